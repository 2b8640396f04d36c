"""What to tell someone whose CSV does not import: the option to use and how.

A CSV exported from another tool names its columns its own way ("Datum", "Inhalt",
"Post ID"), so the first import usually lacks ``--map``: rather than reject every
row, the import stops before storing anything, lists the file's columns and
suggests a ``--map`` for those whose meaning is plain from their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from horchposten.errors import InputError

# Column names (normalised: lower case, single spaces) that plainly mean a field,
# from common German and English exports.
OBVIOUS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "post id", "postid", "message id", "mention id", "mentionid", "tweet id", "guid",
        "beitrags id",
    ),
    "created_at": (
        "created at", "created", "date", "datum", "time", "zeit", "timestamp", "zeitstempel",
        "date utc", "datum utc", "time utc", "published", "published at", "veröffentlicht",
        "erstellt", "date time", "datum zeit",
    ),
    "text": (
        "text", "content", "inhalt", "message", "nachricht", "body", "post", "beitrag",
        "full text", "volltext", "snippet", "mention", "erwähnung",
    ),
    "title": ("title", "titel", "headline", "überschrift", "subject", "betreff"),
    "url": ("url", "link", "permalink", "post url"),
    "lang": ("lang", "language", "sprache"),
    "author.handle": (
        "author", "autor", "handle", "username", "user", "user name", "screen name",
        "nutzer", "benutzer", "benutzername", "author handle", "account",
    ),
    "author.name": ("name", "author name", "full name", "anzeigename", "display name"),
    "author.followers": ("followers", "follower", "followers count", "abonnenten"),
    "metrics.likes": ("likes", "like", "gefällt mir", "reactions", "reaktionen"),
    "metrics.reposts": ("reposts", "shares", "retweets", "geteilt", "teilungen"),
    "metrics.replies": ("replies", "comments", "kommentare", "antworten"),
    "metrics.views": ("views", "impressions", "aufrufe", "impressionen"),
}  # fmt: skip
REQUIRED = ("id", "created_at")
CONTENT = ("text", "title")  # a post needs one of them


def _normalised(column: str) -> str:
    return re.sub(r"[\s_\-.:/()]+", " ", column.casefold()).strip()


def suggested_mapping(header: Iterable[str], mapped: Mapping[str, str]) -> dict[str, str]:
    """Field -> column for the columns whose name plainly means a field not yet mapped."""
    taken = set(mapped.values())
    suggestions: dict[str, str] = {}
    for column in header:
        name = _normalised(column)
        for field, names in OBVIOUS.items():
            if name in names and field not in mapped and field not in suggestions:
                if column not in taken:
                    suggestions[field] = column
                    taken.add(column)
                break
    return suggestions


def _map_option(field: str, column: str) -> str:
    plain = re.fullmatch(r"[\w.-]+", column)  # else quoted for the shell
    return f"--map {field}={column}" if plain else f"--map '{field}={column}'"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check_required(header: list[str], columns: Mapping[str, str]) -> None:
    """Stop before the first row when no column can fill a field every post needs."""
    missing = [field for field in REQUIRED if field not in columns]
    if not any(field in columns for field in CONTENT):
        missing.append("text (or title)")
    if not missing:
        return
    message = (
        f"This CSV has no column for {_listed(missing)}, which every post needs, so "
        f"nothing was imported. Its columns are: {', '.join(header) or '(no header row)'}. "
        f"Say which column holds which field with --map FIELD=COLUMN"
    )
    suggestions = suggested_mapping(header, columns)
    if suggestions:
        options = " ".join(_map_option(*pair) for pair in suggestions.items())
        message += f", e.g. {options}"
    raise InputError(message + " (docs/interchange.md lists the fields).")


def naive_time_hint(value: str) -> str:
    """The reason for a time without a zone in a CSV, naming ``--timezone``."""
    return (
        f"field created_at: {value!r} has no time zone; pass --timezone with the zone the "
        f"file's times are in (e.g. --timezone Europe/Berlin), or write them with one "
        f"(e.g. 'Z' for UTC: 2026-11-01T10:00:00Z)"
    )
