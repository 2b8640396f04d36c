"""Slot fillers that are the same in German and English posts: people, places, brands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Competitor:
    """A competing roaster and the slot values that belong together with it."""

    name: str
    short: str
    handle: str
    tag: str
    host: str
    products: tuple[str, ...]

    def slots(self, product: str) -> dict[str, str]:
        return {
            "competitor": self.name,
            "competitor_short": self.short,
            "competitor_handle": self.handle,
            "competitor_tag": self.tag,
            "competitor_product": product,
            "competitor_host": self.host,
        }


COMPETITORS = (
    Competitor(
        "Bergquell Kaffee", "Bergquell", "@bergquell", "#Bergquell", "bergquell.example",
        ("Bergquell Hausmischung", "Bergquell Crema", "Gipfelröstung",
         "Bergquell Espressomischung"),
    ),
    Competitor(
        "Röstwerk", "Röstwerk", "@roestwerk", "#Röstwerk", "roestwerk.example",
        ("Röstwerk Nr. 7", "Werkbohne", "Röstwerk Filterröstung", "Röstwerk Forte-Mischung"),
    ),
)  # fmt: skip

SHARED: Mapping[str, tuple[str, ...]] = {
    "product": (
        "Nordlicht Espresso", "Polarbohne", "Polarbohne", "Nordlicht Espresso",
        "Nordlicht-Espresso", "Polarbohne Hell", "Nordlicht Espresso Dunkel", "Fjord-Mischung",
        "Polarbohne Entkoffeiniert", "Mitternachtsröstung",
    ),
    "city": (
        "Hamburg", "Kiel", "Lübeck", "Bremen", "Flensburg", "Rostock", "Hannover", "Berlin",
        "Köln", "Düsseldorf", "München", "Leipzig", "Dresden", "Münster", "Osnabrück",
        "Frankfurt", "Stuttgart", "Nürnberg", "Wien", "Graz", "Zürich", "Basel", "Husum",
        "Göttingen", "Oldenburg",
    ),
    "north_city": (
        "Sylt", "Kiel", "Rügen", "Flensburg", "Husum", "Cuxhaven", "der Ostsee", "Fehmarn",
        "Rostock", "St. Peter-Ording",
    ),
    "street": (
        "Hauptstraße", "Lange Straße", "Schloßstraße", "Große Bergstraße", "Bahnhofstraße",
        "Königstraße", "Mühlenweg", "Osterstraße", "Am Großen Teich", "Schützenstraße",
        "Gärtnerstraße", "Süderstraße", "Friedrich-Ebert-Straße", "Grindelallee",
    ),
    "station": (
        "Hamburg Hbf", "Hannover Hbf", "Köln Messe/Deutz", "Fulda", "Bremen Hbf",
        "München-Pasing", "Berlin Südkreuz", "Göttingen", "Würzburg Hbf", "Kassel-Wilhelmshöhe",
        "Lüneburg", "Hamburg-Harburg", "Frankfurt (Main) Hbf", "Mannheim Hbf",
    ),
    "team": (
        "der HSV", "St. Pauli", "Werder", "der BVB", "Bayern", "Union", "Holstein Kiel",
        "Hansa Rostock", "Schalke", "Gladbach", "der VfB", "Freiburg",
    ),
    "team2": (
        "Hannover 96", "Leverkusen", "Mainz", "Wolfsburg", "Bochum", "Köln", "Hoffenheim",
        "Augsburg", "Heidenheim", "Darmstadt",
    ),
    "staff": ("Jana", "Tobias", "Lea", "Malte", "Sören", "Wiebke", "Ole"),
}  # fmt: skip

GERMAN_NAMES = (
    (
        "Anna", "Lena", "Jana", "Lea", "Marie", "Sophie", "Hannah", "Laura", "Julia", "Katrin",
        "Sabine", "Birgit", "Ute", "Jördis", "Grete", "Frauke", "Merle", "Wiebke", "Lukas",
        "Jonas", "Felix", "Leon", "Tim", "Jan", "Niklas", "Moritz", "Sören", "Jürgen", "Uwe",
        "Björn", "Malte", "Hauke", "Ole", "Tobias", "Stefan", "Thomas", "Michael", "Fabian",
        "Dominik", "Özlem", "Emre", "Ayşe", "Mehmet", "Katarzyna", "Piotr", "Lina", "Mia",
        "Emil", "Paul", "Henrik", "Till", "Nele", "Finn", "Jörg", "Dörte", "Käthe", "Günther",
        "Gisela", "Ömer", "Helge",
    ),
    (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
        "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler",
        "Jansen", "Petersen", "Hansen", "Claßen", "Weiß", "Groß", "Voß", "Brückner",
        "Jürgensen", "Kaya", "Nowak", "Kowalski", "Öztürk", "Thießen", "Möller",
        "Yılmaz",  # noqa: RUF001 - a Turkish name with a dotless i
        "Lüders", "Stöver", "Dreßler",
    ),
)  # fmt: skip

ENGLISH_NAMES = (
    (
        "James", "Emma", "Olivia", "Liam", "Noah", "Ava", "Sophia", "Mason", "Ethan", "Chloe",
        "Grace", "Harry", "Jack", "Oscar", "Amelia", "Isla", "Freya", "Daniel", "Sarah",
        "Rachel", "Kevin", "Brian", "Priya", "Arjun", "Wei", "Mei", "Diego", "Lucia", "Tom",
        "Kate", "Ben", "Lucy", "Sam", "Alex", "Jordan", "Taylor", "Chris", "Megan", "Ryan", "Zoe",
    ),
    (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Wood", "Jackson", "Clarke", "Patel", "Khan", "Chen", "Nguyen", "Garcia", "Murphy",
        "O'Brien", "Kelly", "Walsh", "Miller", "Anderson", "Cooper", "Hughes", "Bennett",
        "Carter", "Hill", "Moore", "Clark", "Lewis", "Young",
    ),
)  # fmt: skip

NICKNAMES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "de": (
        ("kaffeejunkie", "Kaffeejunkie ☕"), ("bohnenliebe", "Bohnenliebe"),
        ("espressoholiker", "Espressoholiker"), ("nordkind", "Nordkind 🌊"),
        ("milchschaumfee", "Milchschaumfee"), ("hafermilchheld", "Hafermilchheld"),
        ("kuestenkind", "Küstenkind"), ("elbkind", "Elbkind"),
        ("fischbroetchen", "Fischbrötchen-Fan"), ("roestfrisch", "röstfrisch"),
        ("koffeinkoenig", "Koffeinkönig 👑"), ("moinmoin", "Moin Moin"),
        ("tassenkuchen", "Tassenkuchen"), ("siebtraegersepp", "Siebträger-Sepp"),
    ),
    "en": (
        ("coffeegeek", "Coffee Geek"), ("beanthere", "Bean There"),
        ("espressoyourself", "Espresso Yourself"), ("latteartist", "Latte Artist ☕"),
        ("brewmaster", "Brew Master"), ("decafnotfound", "404 Decaf Not Found"),
        ("morningperson", "Not A Morning Person"), ("caffeinated", "Caffeinated 24/7"),
        ("flatwhitefan", "Flat White Fan"), ("grindhard", "Grind Hard"),
        ("expatinhamburg", "Expat in Hamburg"), ("berlinbeans", "Berlin Beans"),
    ),
}  # fmt: skip

MASTODON_INSTANCES = (
    "norden.social.example", "chaos.example", "muenchen.example", "kiel.social.example",
    "mastodon.example", "fediverse.example", "wien.example",
)  # fmt: skip
MASTODON_HOME = "social.example"

# Blogs and news sites behind the "feeds" source: (name, host, lang, beat).
BLOGS = (
    ("Röstgeflüster", "roestgefluester.example", "de", "coffee"),
    ("Bohnenblog", "bohnenblog.example", "de", "coffee"),
    ("Kaffeezeitung", "kaffeezeitung.example", "de", "coffee"),
    ("Espressonerd", "espressonerd.example", "de", "coffee"),
    ("Tassenrand", "tassenrand.example", "de", "coffee"),
    ("Elbkurier", "elbkurier.example", "de", "news"),
    ("Nordwest Nachrichten", "nordwest-nachrichten.example", "de", "news"),
    ("Gründerwelt Nord", "gruenderwelt-nord.example", "de", "news"),
    ("Fußballfieber", "fussballfieber.example", "de", "sport"),
    ("Schienenblog", "schienenblog.example", "de", "rail"),
    ("Wetterküste", "wetterkueste.example", "de", "weather"),
    ("Roast Notes", "roastnotes.example", "en", "coffee"),
    ("The Daily Grind", "dailygrind.example", "en", "coffee"),
    ("Euro Coffee Review", "eurocoffeereview.example", "en", "coffee"),
    ("Hamburg Expat News", "hamburgexpat.example", "en", "news"),
    ("Retail Europe Brief", "retailbrief.example", "en", "news"),
    ("Bundesliga Weekly", "bundesligaweekly.example", "en", "sport"),
    ("Rail Europe Watch", "railwatch.example", "en", "rail"),
    ("North Sea Skies", "northseaskies.example", "en", "weather"),
)  # fmt: skip
