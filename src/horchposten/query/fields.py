"""The ``field:value`` searches a query may use, and the values each accepts.

Names follow Brandwatch, so pasted queries keep working; each reads one field
of the interchange format (docs/interchange.md). Brandwatch fields for data we
do not have are recognised by name, so the error can say why they cannot work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from horchposten.labels import EMOTIONS, SENTIMENTS, TOXICITY
from horchposten.models import SOURCE_NAME
from horchposten.texts import Text


class FieldValueError(ValueError):
    """A field's value is not one it accepts; carries a hint for the fix."""

    def __init__(self, message: Text, hint: Text) -> None:
        super().__init__(str(message))
        self.text = message
        self.hint_text = hint
        self.hint = str(hint)


@dataclass(frozen=True)
class FieldSpec:
    name: str  # as written in canonical queries
    kind: str  # "text", "range" or "title"
    reads: str  # the interchange field it reads
    example: str
    minimum: float = 0
    maximum: float | None = None
    whole: bool = True  # range bounds must be whole numbers


VERDICTS = ("disclosed", "undisclosed_commercial_signals", "no_commercial_signals")
# Retweet is Brandwatch's (Twitter's) word for a repost; both mean the same here.
ENGAGEMENT_TYPES = {"REPLY": "REPLY", "QUOTE": "QUOTE", "REPOST": "REPOST", "RETWEET": "REPOST"}
ENGAGEMENT_TYPES |= {"COMMENT": "COMMENT"}
# Accepted spellings of labels, and the label each means.
_ALLOWED: dict[str, dict[str, str]] = {
    "engagementType": ENGAGEMENT_TYPES,
    "sentiment": {label: label for label in SENTIMENTS},
    "emotion": {label: label for label in EMOTIONS},
    "toxicity": {label: label for label in TOXICITY},
    "disclosure": {label: label for label in VERDICTS}
    | {"undisclosed": "undisclosed_commercial_signals", "none": "no_commercial_signals"},
}
# What a wrong label is not, and the labels to use instead (filled in with the value).
_LABEL_PROBLEMS = {
    "engagementType": (
        Text("'%(value)s' is not an engagement type."),
        Text("Use REPLY, QUOTE, REPOST (or RETWEET) or COMMENT."),
    ),
    "sentiment": (
        Text("'%(value)s' is not a sentiment."),
        Text("Use sentiment:positive, negative or neutral."),
    ),
    "emotion": (
        Text("'%(value)s' is not an emotion."),
        Text("Use emotion:anger, joy, optimism or sadness."),
    ),
    "toxicity": (
        Text("'%(value)s' is not a toxicity label."),
        Text("Use toxicity:toxic or not_toxic."),
    ),
    "disclosure": (
        Text("'%(value)s' is not a disclosure verdict."),
        Text(
            "Use disclosure:disclosed, undisclosed (undisclosed_commercial_signals) or none "
            "(no_commercial_signals)."
        ),
    ),
}

FIELDS = {
    spec.name.lower(): spec
    for spec in (
        FieldSpec("author", "text", "author.handle", "author:nivea_de"),
        FieldSpec("language", "text", "lang", "language:de"),
        FieldSpec("source", "text", "source", "source:mastodon"),
        FieldSpec("site", "text", "url (its host)", "site:nivea.de"),
        FieldSpec("url", "text", "url", "url:nivea.de/produkte"),
        FieldSpec("links", "text", "links in title and text", "links:nivea.de"),
        FieldSpec("title", "title", "title", 'title:"nivea creme"'),
        FieldSpec("subreddit", "text", "url (/r/NAME/ on reddit.com)", "subreddit:de"),
        FieldSpec("sentiment", "text", "the sentiment enrichment", "sentiment:negative"),
        FieldSpec("emotion", "text", "the emotion enrichment", "emotion:anger"),
        FieldSpec("toxicity", "text", "the toxicity enrichment", "toxicity:toxic"),
        FieldSpec("disclosure", "text", "the ad-disclosure enrichment", "disclosure:undisclosed"),
        FieldSpec(
            "engagementType", "text", "parent_id and engagement_type", "engagementType:REPLY"
        ),
        FieldSpec("authorFollowers", "range", "author.followers", "authorFollowers:[1000 TO *]"),
        FieldSpec("likes", "range", "metrics.likes", "likes:[10 TO *]"),
        FieldSpec("replies", "range", "metrics.replies", "replies:[5 TO *]"),
        FieldSpec("reposts", "range", "metrics.reposts", "reposts:[5 TO *]"),
        FieldSpec("rating", "range", "rating", "rating:[1 TO 2]", whole=False),
        FieldSpec(
            "minuteOfDay", "range", "created_at (UTC)", "minuteOfDay:[420 TO 600]", maximum=1439
        ),
    )
}
ALIASES = {"lang": "language"}

_NO_LOCATION = Text(
    "Horchposten has no location data: the platforms it reads do not say where a post was written."
)
_NO_GENDER = Text(
    "Horchposten has no data on authors' gender: platforms do not provide it,"
    " and it does not guess it from names."
)
UNAVAILABLE = {
    "authorgender": _NO_GENDER,
    "gender": _NO_GENDER,
    "country": _NO_LOCATION,
    "region": _NO_LOCATION,
    "city": _NO_LOCATION,
    "continent": _NO_LOCATION,
    "location": _NO_LOCATION,
    "authorlocation": _NO_LOCATION,
    "authorverified": Text("Horchposten has no data on verified accounts."),
    "impact": Text("Horchposten computes no impact score; use authorFollowers: or likes: ranges."),
    "pagetype": Text(
        "Horchposten has no page types; filter by platform with source:, like source:reddit."
    ),
}


def known_names() -> str:
    return ", ".join(f"{spec.name}:" for spec in FIELDS.values()) + ", lang:"


def lookup(name: str) -> FieldSpec | None:
    """The field called ``name`` (any case, aliases allowed), or ``None``."""
    key = name.lower()
    return FIELDS.get(ALIASES.get(key, key))


def clean_value(spec: FieldSpec, value: str) -> str:
    """The canonical form of a text field's value; raises ``FieldValueError``."""
    value = value.strip()
    if not value:
        raise FieldValueError(Text("%(field)s: needs a value.", field=spec.name), write_like(spec))
    cleaned = _cleaned(spec, value)
    if not cleaned:
        raise FieldValueError(
            Text(
                "%(field)s: '%(value)s' leaves nothing to look for once the prefix is removed.",
                field=spec.name,
                value=value,
            ),
            write_like(spec),
        )
    if spec.name == "language" and not re.fullmatch(r"[a-z]{2}|und", cleaned):
        raise FieldValueError(
            Text("'%(value)s' is not a language code.", value=value),
            Text("Use a two-letter ISO 639-1 code, like language:de or language:en."),
        )
    if spec.name == "source" and not SOURCE_NAME.match(cleaned):
        raise FieldValueError(
            Text("'%(value)s' is not a source name.", value=value),
            Text("Use a source kind in lower case, like source:mastodon or source:reddit."),
        )
    allowed = _ALLOWED.get(spec.name)
    if allowed is not None:
        if cleaned not in allowed:
            problem, choices = _LABEL_PROBLEMS[spec.name]
            raise FieldValueError(problem.but(value=value), choices)
        cleaned = allowed[cleaned]
    if spec.name == "subreddit" and "/" in cleaned:
        raise FieldValueError(
            Text("'%(value)s' is not a subreddit name.", value=value),
            Text("Write the name alone, like %(example)s.", example=spec.example),
        )
    if spec.name in ("site", "links") and ("/" in cleaned or "." not in cleaned):
        raise FieldValueError(
            Text("'%(value)s' is not a domain.", value=value),
            Text("Write the host alone, like %(example)s.", example=spec.example),
        )
    return cleaned


def _cleaned(spec: FieldSpec, value: str) -> str:
    """``value`` cleaned until cleaning changes nothing more (``url:www.www.x`` is ``x``).

    One pass could leave another prefix to strip, and the canonical form, cleaned
    again, would then mean something else.
    """
    clean = _CLEANERS.get(spec.name, _lower)
    while (again := clean(value).strip()) != value:
        value = again
    return value


def clean_bound(spec: FieldSpec, bound: str) -> float | None:
    """A range bound as a number (``*`` is open); raises ``FieldValueError``."""
    if bound == "*":
        return None
    hint = write_like(spec)
    try:
        number = float(bound)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise FieldValueError(Text("'%(bound)s' is not a number.", bound=bound), hint)
    if spec.whole and not number.is_integer():
        message = Text(
            "%(field)s: counts whole numbers; '%(bound)s' is not one.", field=spec.name, bound=bound
        )
        raise FieldValueError(message, hint)
    if number < spec.minimum or (spec.maximum is not None and number > spec.maximum):
        message = (
            Text("%(field)s: takes numbers from %(low)s; %(bound)s is out of range.")
            if spec.maximum is None
            else Text("%(field)s: takes %(low)s to %(high)s; %(bound)s is out of range.")
        )
        low, high = f"{spec.minimum:g}", f"{spec.maximum or 0:g}"
        raise FieldValueError(message.but(field=spec.name, low=low, high=high, bound=bound), hint)
    return number


def write_like(spec: FieldSpec) -> Text:
    """The hint that shows how to write ``spec``'s field (its example)."""
    return Text("Write it like %(example)s.", example=spec.example)


def _lower(value: str) -> str:
    return value.lower()


def _handle(value: str) -> str:
    return value.lower().lstrip("@")


def _subreddit(value: str) -> str:
    return re.sub(r"^/?r/", "", value.lower())


def _host(value: str) -> str:
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.lower()).rstrip("/")


def _url(value: str) -> str:
    return re.sub(r"^www\.", "", _host(value))


_CLEANERS: dict[str, Callable[[str], str]] = {
    "author": _handle,
    "engagementType": str.upper,
    "site": _host,
    "links": _host,
    "url": _url,
    "subreddit": _subreddit,
}
