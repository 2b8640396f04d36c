"""The shared vocabulary: Post, Author, Metrics and Topic.

A Post is exactly the interchange format (docs/interchange.md): the same model
validates imported JSON and produces exported JSON, so the two cannot drift.
"Missing" is ``None``, never 0.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from horchposten.text import tokens

SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANG_CODE = re.compile(r"^(?:[a-z]{2,3}|und)$")


# Bounds both databases can store (store/schema.py): a record outside them is
# rejected here, identically for SQLite and PostgreSQL, instead of sinking its batch.
MAX_SOURCE = 64  # posts.source
MAX_ID = 255  # posts.native_id, author handles
MAX_KEY = 300  # posts.key, parent_key, root_key: "{source}:{id}"
MAX_COUNT = 2**63 - 1  # BIGINT
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
# How far ahead of this machine's clock a post may be dated: clocks disagree a little.
CLOCK_SKEW = timedelta(minutes=10)

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_nul(value: object) -> object:
    # PostgreSQL cannot store NUL in text, and no platform means anything by it; a
    # lone surrogate (half of a broken emoji) cannot be written as UTF-8 at all.
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii() and _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return value


# Validation context of posts read back from the database (store/rows.py).
STORED = {"stored": True}


def _web_link(value: str | None, info: ValidationInfo) -> str | None:
    # Links are shown as links: only http(s) may be one (no 'javascript:' or 'data:').
    if value is None:
        return None
    value = value.strip()
    if not value[:8].lower().startswith(("http://", "https://")):
        if info.context == STORED:
            return None  # stored before links were checked: keep the post, drop the link
        raise ValueError("must be an http(s) URL like 'https://example.org/post/1'")
    return value


def _plain_text(value: object) -> object:
    # For what people type (topic names, queries): say so rather than silently change it.
    if isinstance(value, str) and ("\x00" in value or _SURROGATE.search(value)):
        raise ValueError("contains a NUL or an unpaired surrogate character; remove it")
    return value


class Author(BaseModel):
    """Who wrote a post, as far as the platform tells."""

    model_config = ConfigDict(extra="forbid")

    _no_nul = field_validator("handle", "name", "url", mode="before")(_without_nul)
    _link = field_validator("url")(_web_link)

    handle: str | None = Field(default=None, max_length=MAX_ID)
    name: str | None = None
    followers: Count | None = None
    url: str | None = None


class Metrics(BaseModel):
    """Platform engagement counts; ``None`` where the platform does not say."""

    model_config = ConfigDict(extra="forbid")

    likes: Count | None = None
    reposts: Count | None = None
    replies: Count | None = None
    views: Count | None = None


class Post(BaseModel):
    """One public utterance: a post, reply, comment, article or review."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=MAX_ID)
    source: str = Field(default="files", max_length=MAX_SOURCE)
    text: str | None = None
    title: str | None = None
    created_at: datetime
    url: str | None = None
    lang: str | None = None
    author: Author = Field(default_factory=Author)
    parent_id: str | None = Field(default=None, max_length=MAX_ID)
    root_id: str | None = Field(default=None, max_length=MAX_ID)
    # None is an original post; a post with a parent_id and no type counts as a reply.
    engagement_type: Literal["reply", "comment", "quote", "repost"] | None = None
    metrics: Metrics = Field(default_factory=Metrics)
    rating: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    raw: dict[str, Any] | None = Field(default=None, exclude=True)

    _no_nul = field_validator("text", "title", "url", mode="before")(_without_nul)
    _link = field_validator("url")(_web_link)

    @field_validator("id", "parent_id", "root_id", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        # Many exports write numeric ids; the key is text either way.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return _without_nul(value)

    @field_validator("source")
    @classmethod
    def _source_name(cls, value: str) -> str:
        if not SOURCE_NAME.match(value):
            raise ValueError("must be lowercase letters, digits, '-' or '_', like 'files'")
        return value

    @field_validator("lang")
    @classmethod
    def _lang_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().lower().replace("_", "-").split("-")[0]
        if not LANG_CODE.match(code):
            raise ValueError(f"{value!r} is not an ISO 639-1 code like 'de' or 'en'")
        return code

    @field_validator("created_at")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("has no time zone; add one, e.g. 'Z' for UTC: 2026-11-01T10:00:00Z")
        try:
            moment = value.astimezone(UTC)
        except OverflowError:  # e.g. 9999-12-31T23:59:59-23:59 is in the year 10000 in UTC
            moment = None
        if moment is None or moment < EARLIEST:
            raise ValueError("is not a date a post can have; it must lie between 1970 and now")
        return moment

    @model_validator(mode="after")
    def _has_content(self) -> Post:
        if not (self.text or "").strip() and not (self.title or "").strip():
            raise ValueError("a post needs 'text' or 'title'; both are empty")
        for name, key in (
            ("id", self.key),
            ("parent_id", self.parent_key),
            ("root_id", self.root_key),
        ):
            if key is not None and len(key) > MAX_KEY:
                raise ValueError(
                    f"'source' and '{name}' together have {len(key) - 1:,} characters; "
                    f"the most a key can hold is {MAX_KEY - 1}"
                )
        return self

    @property
    def key(self) -> str:
        """The storage key, ``"{source}:{native_id}"``."""
        return f"{self.source}:{self.id}"

    @property
    def parent_key(self) -> str | None:
        return f"{self.source}:{self.parent_id}" if self.parent_id else None

    @property
    def root_key(self) -> str | None:
        return f"{self.source}:{self.root_id}" if self.root_id else None

    @property
    def content(self) -> str:
        """Title and text as one string, the way topic queries see a post."""
        return "\n".join(part for part in (self.title, self.text) if part)

    def to_interchange(self) -> dict[str, Any]:
        """The post as one interchange JSON object."""
        return self.model_dump(mode="json")


def ahead_of_clock(post: Post, now: datetime) -> str | None:
    """Why a post dated after ``now`` (beyond clock skew) is refused, or None when it is not.

    Checked where posts come in (sources, import, webhook), not in the model:
    stored posts must stay readable whatever the clock says.
    """
    if post.created_at <= now + CLOCK_SKEW:
        return None
    minutes = int(CLOCK_SKEW.total_seconds() // 60)
    return (
        f"field created_at: {post.created_at.isoformat()} lies in the future, more than "
        f"{minutes} minutes after this server's clock ({now.isoformat(timespec='seconds')}); "
        f"check the date and its time zone"
    )


EntityKind = Literal["brand", "product", "person"]


class EntityTerm(BaseModel):
    """One entry of a topic's entity dictionary: a canonical name and other ways to write it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    kind: EntityKind
    aliases: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_has_words(cls, value: str) -> str:
        return _searchable(value)

    @field_validator("aliases")
    @classmethod
    def _aliases_have_words(cls, values: list[str]) -> list[str]:
        return [_searchable(value) for value in values]


def _searchable(value: str) -> str:
    # A name without a word could never be found in a post.
    _plain_text(value)
    value = value.strip()
    if not tokens(value):
        raise ValueError(f"{value!r} has no letters or digits to look for")
    return value


class Topic(BaseModel):
    """A saved boolean query plus its language and source filters."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    query: str = Field(min_length=1)
    langs: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    entities: list[EntityTerm] = Field(default_factory=list)
    # The brand's own accounts, "source:handle": influencer rankings leave them out.
    own_accounts: list[str] = Field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _plain = field_validator("name", "query", mode="before")(_plain_text)

    @field_validator("langs")
    @classmethod
    def _lang_codes(cls, values: list[str]) -> list[str]:
        codes = [value.strip().lower() for value in values]
        for code in codes:
            if not re.fullmatch(r"[a-z]{2}|und", code):
                raise ValueError(f"{code!r} is not an ISO 639-1 language code like 'de' or 'en'")
        return codes

    @field_validator("sources")
    @classmethod
    def _source_names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not SOURCE_NAME.match(value):
                raise ValueError(f"{value!r} is not a source name like 'mastodon' or 'feeds'")
        return values

    @field_validator("own_accounts")
    @classmethod
    def _account_keys(cls, values: list[str]) -> list[str]:
        keys = []
        for value in values:
            source, separator, handle = value.strip().partition(":")
            handle = handle.strip().lstrip("@")
            if not separator or not SOURCE_NAME.match(source.lower()) or not handle:
                raise ValueError(f"{value!r} is not an account like 'bluesky:nordlichtkaffee'")
            keys.append(f"{source.lower()}:{handle.lower()}")
        return list(dict.fromkeys(keys))

    @field_validator("entities")
    @classmethod
    def _one_entry_per_entity(cls, terms: list[EntityTerm]) -> list[EntityTerm]:
        seen: set[tuple[str, str]] = set()
        for term in terms:
            key = (term.kind, term.name.casefold())
            if key in seen:
                raise ValueError(
                    f"the {term.kind} {term.name!r} is listed twice; give its aliases in one entry"
                )
            seen.add(key)
        return terms

    def accepts(self, post: Post) -> bool:
        """Whether the post passes the topic's language and source filters."""
        if self.langs and post.lang not in self.langs:
            return False
        return not self.sources or post.source in self.sources
