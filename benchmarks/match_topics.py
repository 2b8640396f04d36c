"""Deterministic brand-monitoring topics in the full query language, for ``bench_match.py``.

Each brand gets about four topics drawn from the shapes real monitoring
queries take: the brand with its variants, hashtags and handle minus job
posts, products near a theme, staff names, wildcards, case-sensitive
acronyms, field filters (``lang:``, ``source:``, ``site:``, ``author:``,
``authorFollowers:``), proximity and comments; a few percent are generic
topics without a brand.

With ``full=False`` the same topics are written in the subset the parser
accepted before the full language: wildcards become their word forms,
``NEAR`` and ``~`` become ``AND``, ``lang:``/``source:`` become the topic's
language and source settings, other fields and comments are left out. Both
forms draw the same random choices, so they describe the same topics.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import NamedTuple

from horchposten.models import Topic
from match_vocab import GENERIC_PAIRS, JOBS, Brand, Theme, make_brands, transliterate


class Draft(NamedTuple):
    query: str
    langs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class Syntax:
    """Writes one construct in the full language, or its nearest subset form."""

    def __init__(self, full: bool) -> None:
        self.full = full

    def wildcard(self, pattern: str, forms: Sequence[str]) -> str:
        """``pattern`` with its ``*``, or the word forms it stands for."""
        return pattern if self.full else any_of(forms)

    def near(self, left: str, right: str, distance: int, ordered: bool = False) -> str:
        if self.full:
            return f"{left} NEAR/{distance}{'f' if ordered else ''} {right}"
        return f"({left} AND {right})"

    def proximity(self, words: Sequence[str], distance: int) -> str:
        return f'"{" ".join(words)}"~{distance}' if self.full else f"({' '.join(words)})"

    def case(self, word: str) -> str:
        return f"{{{word}}}" if self.full else word.lower()

    def theme(self, theme: Theme, rng: random.Random, size: int = 3) -> str:
        """An OR group of some of the theme's words and stems."""
        words = rng.sample(theme.words, min(size, len(theme.words)))
        stems = rng.sample(theme.stems, min(1, len(theme.stems)))
        parts = [quoted(word) for word in words]
        parts += [self.wildcard(stem + "*", forms) for stem, forms in stems]
        return any_of(parts)

    def commented(self, query: str, comment: str) -> str:
        return f"<<<{comment}>>> {query}" if self.full else query


def quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text


def any_of(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def brand_terms(brand: Brand, rng: random.Random, most: int = 4) -> str:
    """The brand as people write it: name, variant, #tag, @handle, product phrases."""
    terms = [brand.word]
    if brand.variant is not None:
        terms.append(brand.variant.lower())
    extras = [f"#{brand.word}", f"@{brand.handle}", *(quoted(p.lower()) for p in brand.products)]
    terms += rng.sample(extras, rng.randint(0, min(most, len(extras))))
    return any_of(terms)


Template = Callable[[Brand, list[Brand], random.Random, Syntax], Draft]


def core(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    terms = brand_terms(brand, rng)
    excluded = any_of(rng.sample(JOBS, rng.randint(1, 3)))
    return Draft(f"{terms} NOT {excluded}" if rng.random() < 0.6 else terms)


def product_near(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    product = quoted(rng.choice(brand.products).lower())
    theme = syn.theme(rng.choice(brand.themes), rng)
    return Draft(syn.near(product, theme, rng.choice((3, 5, 8))))


def brand_theme(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    terms = brand_terms(brand, rng, most=2)
    theme = syn.theme(rng.choice(brand.themes), rng)
    if rng.random() < 0.5:
        return Draft(syn.near(terms, theme, rng.choice((5, 10)), ordered=rng.random() < 0.5))
    return Draft(f"{terms} AND {theme}")


def with_lang(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    lang = rng.choice(("de", "de", "en"))
    query = f"{brand_terms(brand, rng, most=2)} AND {syn.theme(rng.choice(brand.themes), rng)}"
    return Draft(f"({query}) AND lang:{lang}") if syn.full else Draft(query, langs=(lang,))


def staff(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    person = rng.choice(brand.staff)
    surname = person.split()[-1].lower()
    parts = [quoted(person.lower())]
    if transliterate(person) != person:
        parts.append(quoted(transliterate(person).lower()))
    parts.append(f"({surname} AND {brand.word})")
    return Draft(any_of(parts))


def stem(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    nouns = [p.split()[-1].lower() for p in brand.products]
    nouns += rng.sample(rng.choice(brand.themes).forms(), 2)
    word = brand.word
    cut = word[:-2] if len(word) >= 8 and rng.random() < 0.25 else word
    forms = [word, word + "s"] if cut == word else [word]
    return Draft(f"{syn.wildcard(cut + '*', forms)} AND {any_of([quoted(n) for n in nouns])}")


def official(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    handle = brand.handle
    return Draft(f"author:{handle} OR @{handle}" if syn.full else f"@{handle}")


def followers(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    terms, least = brand_terms(brand, rng, most=2), rng.choice((500, 1000, 5000, 10000))
    return Draft(f"{terms} AND authorFollowers:[{least} TO *]" if syn.full else terms)


def acronym(brand: Brand, brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    if brand.acronym is None:
        return core(brand, brands, rng, syn)
    short, lower = brand.acronym, brand.acronym.lower()
    if rng.random() < 0.5:
        return Draft(f"{syn.case(short)} NOT {syn.wildcard(lower + '*x', [lower + 'x'])}")
    theme = syn.theme(rng.choice(brand.themes), rng)
    return Draft(f"({syn.case(short)} OR {brand.word}) AND {theme}")


def site(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    terms = brand_terms(brand, rng, most=2)
    domain = brand.domain if rng.random() < 0.6 else rng.choice(("reddit.com", "youtube.com"))
    return Draft(f"site:{domain} AND {terms}" if syn.full else terms)


def proximity(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    word = rng.choice(rng.choice(brand.themes).words).split()[0]
    return Draft(syn.proximity((brand.word, word), rng.choice((3, 4, 6))))


def source(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    names = tuple(rng.sample(("reddit", "mastodon", "bluesky", "youtube", "feeds"), 2))
    terms = brand_terms(brand, rng, most=2)
    if not syn.full:
        return Draft(terms, sources=names)
    return Draft(f"{terms} AND {any_of([f'source:{name}' for name in names])}")


def competitor(brand: Brand, brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    other = rng.choice(brands)
    shape = rng.random()
    if shape < 0.4 or other is brand:
        return Draft(f"({brand.word} OR #{brand.word}) AND ({other.word} OR #{other.word})")
    if shape < 0.7:
        return Draft(f'"{brand.word} vs {other.word}" OR "{other.word} vs {brand.word}"')
    return Draft(f"{brand.word} AND {other.word} NOT {any_of(rng.sample(JOBS, 2))}")


def campaign(brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    season = rng.choice(("sommer", "winter", "herbst", "xmas", "launch"))
    slug = transliterate(brand.word)
    query = f'#{slug}{season}2026 OR "{brand.word} {season}" OR (#{slug} AND {season})'
    return Draft(syn.commented(query, f"campaign {season} 2026"))


def generic(_brand: Brand, _brands: list[Brand], rng: random.Random, syn: Syntax) -> Draft:
    first, second = rng.choice(GENERIC_PAIRS)
    return Draft(f"{syn.theme(first, rng, 2)} AND {syn.theme(second, rng, 2)}")


TEMPLATES: tuple[tuple[Template, int], ...] = (
    (core, 22), (product_near, 10), (brand_theme, 10), (with_lang, 6), (staff, 7), (stem, 6),
    (official, 5), (followers, 4), (acronym, 4), (site, 4), (proximity, 5), (source, 5),
    (competitor, 6), (campaign, 3), (generic, 3),
)  # fmt: skip


def make_topics(count: int, seed: int, full: bool = True) -> tuple[list[Brand], list[Topic]]:
    """``count`` topics (ids 1..count) about ``count // 4`` brands, the brands first."""
    rng = random.Random(seed)
    brands = make_brands(max(1, count // 4), rng)
    syn = Syntax(full)
    templates, weights = zip(*TEMPLATES, strict=True)
    topics = []
    for index in range(count):
        brand = brands[index % len(brands)]
        template = rng.choices(templates, weights)[0]
        draft = template(brand, brands, rng, syn)
        # Comments are drawn in both forms so that both draw the same numbers.
        comment, with_comment = rng.choice(("Q3", "Agentur", "Kunde", "review")), rng.random()
        if with_comment < 0.08:
            draft = draft._replace(query=syn.commented(draft.query, comment))
        topics.append(_topic(index + 1, template, draft, rng))
    return brands, topics


def _topic(topic_id: int, template: Template, draft: Draft, rng: random.Random) -> Topic:
    # Some topics also carry language or source settings, as saved topics do;
    # the numbers are drawn for every topic, so both syntaxes stay in step.
    setting, lang = rng.random(), rng.choice(("de", "en"))
    langs, sources = draft.langs, draft.sources
    if template not in (with_lang, source):
        langs = (lang,) if setting < 0.12 else ()
        sources = ("mastodon", "bluesky") if 0.12 <= setting < 0.18 else ()
    return Topic(
        id=topic_id, name=f"{template.__name__} {topic_id}", query=draft.query,
        langs=list(langs), sources=list(sources),
    )  # fmt: skip
