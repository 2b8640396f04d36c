"""The tables, as SQLAlchemy Core. Migrations in ``migrations/`` build exactly these.

The full-text index is dialect-specific (SQLite FTS5, PostgreSQL tsvector) and
lives in ``fulltext.py``, outside this metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants BIGINT.
IdType = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware UTC datetimes, on both dialects."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

posts = Table(
    "posts",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("source", String(64), nullable=False),
    Column("native_id", String(255), nullable=False),
    Column("title", Text),
    Column("text", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("url", Text),
    Column("lang", String(8)),
    Column("author_handle", String(255)),
    Column("author_name", Text),
    Column("author_followers", BigInteger),
    Column("author_url", Text),
    Column("parent_key", String(300)),
    Column("root_key", String(300)),
    Column("engagement_type", String(16)),
    Column("likes", BigInteger),
    Column("reposts", BigInteger),
    Column("replies", BigInteger),
    Column("views", BigInteger),
    Column("rating", Float),
    Column("raw", LargeBinary),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_posts_created_at_key", "created_at", "key"),  # newest first, ties by key
    Index("ix_posts_source_created_at", "source", "created_at"),
    Index("ix_posts_author", "source", "author_handle"),
    Index("ix_posts_parent_key", "parent_key"),
)

# Ids a platform gives items on one server only (Mastodon's local status ids),
# for posts stored from there: a deletion that names only such an id finds its
# post in any later pass. Rows go with their post (``store/local_ids.py``).
local_ids = Table(
    "local_ids",
    metadata,
    Column("scope", String(300), primary_key=True),  # e.g. "mastodon:https://mastodon.social"
    Column("local_id", String(64), primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Index("ix_local_ids_post_id", "post_id"),
)

authors = Table(
    "authors",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("handle", String(255), primary_key=True),
    Column("name", Text),
    Column("followers", BigInteger),
    Column("url", Text),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

topics = Table(
    "topics",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("query", Text, nullable=False),
    Column("langs", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("entities", JSON, nullable=False),  # [EntityTerm as JSON]
    # ["source:handle"], left out of influencer rankings (migration 0012)
    Column("own_accounts", JSON, nullable=False, server_default=text("'[]'")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

post_topics = Table(
    "post_topics",
    metadata,
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("matched_at", UTCDateTime, nullable=False),
    Index("ix_post_topics_post_id", "post_id"),
)


def rollup_sums() -> list[Column[int]]:
    """The summed columns of rollups_hourly and rollups_marginal (``SUMS`` in ``rollups.py``):
    posts, reach and engagement, then what earned media's impressions are summed from: the
    platform's view counts (where it gives one), how many posts had one, and the followers
    of the posts without one (impressions = views + followers x the source's reach factor)."""
    return [
        *(Column(name, BigInteger, nullable=False) for name in ("posts", "reach", "engagement")),
        *(
            Column(name, BigInteger, nullable=False, server_default="0")
            for name in ("views", "viewed_posts", "unviewed_reach")
        ),
    ]


# Counts per topic x hour x source x language x sentiment, kept in the same
# transaction as the posts, so charts cost O(buckets) instead of O(posts).
rollups_hourly = Table(
    "rollups_hourly",
    metadata,
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("bucket", UTCDateTime, primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("lang", String(8), primary_key=True),
    # negative / neutral / positive from the sentiment enrichment, "none" without one
    Column("sentiment", String(16), primary_key=True),
    *rollup_sums(),
)

# The same counts summed per single dimension: ("total", ""), ("source", "mastodon"),
# ("lang", "de"), ("sentiment", "positive"). A chart over one dimension or none reads
# a handful of rows per hour here instead of every combination in rollups_hourly.
rollups_marginal = Table(
    "rollups_marginal",
    metadata,
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    # dimension before bucket: a chart reads one dimension's hours as one index range
    Column("dimension", String(16), primary_key=True),
    Column("bucket", UTCDateTime, primary_key=True),
    Column("value", String(64), primary_key=True),
    *rollup_sums(),
)

# Per topic x UTC day, and per topic x UTC month, x author (posts with a handle only):
# what top-author lists rank by, and the sentiment counts their stance comes from. A
# year reads twelve months of rows instead of 365 days (docs/analytics.md).
rollups_authors = Table(
    "rollups_authors",
    metadata,
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("span", String(8), primary_key=True),  # "day" or "month"
    Column("start", UTCDateTime, primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("handle", String(255), primary_key=True),
    Column("posts", BigInteger, nullable=False),
    Column("reach", BigInteger, nullable=False),
    Column("engagement", BigInteger, nullable=False),
    # posts per sentiment label (the rest had none)
    Column("negative", BigInteger, nullable=False),
    Column("neutral", BigInteger, nullable=False),
    Column("positive", BigInteger, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("cursor", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("healthy", Boolean, nullable=False),
    Column("last_error", Text),
    Column("consecutive_failures", Integer, nullable=False),
    Column("last_fetch_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

enrichments = Table(
    "enrichments",
    metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("enricher", String(64), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("data", JSON, nullable=False),
)

# Change counters, bumped in the transaction of each change, so a long-running
# process notices with one cheap read that it must reload (e.g. "topics").
revisions = Table(
    "revisions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# API tokens: only a SHA-256 digest of the secret is kept; scope is read, write or admin.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
)

# People who sign in to the web UI; only an argon2 hash of the password is kept.
users = Table(
    "users",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # admin, analyst, responder or viewer
    Column("locale", String(8)),  # "de" or "en"; None follows the browser
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime),
)

# Server-side sessions of the web UI, keyed by a SHA-256 digest of the cookie's secret.
sessions = Table(
    "sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_sessions_user_id", "user_id"),
)

# Tokens of the sign-in form (before there is a session), by SHA-256 digest: a form
# must carry one this server issued, not just repeat its cookie.
signin_tokens = Table(
    "signin_tokens",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_signin_tokens_expires_at", "expires_at"),
)

# Failed sign-ins, one row each, keyed "name:…" or "address:…"; the rate limit counts
# recent rows, so it holds across server workers and restarts.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

# Workspace settings changed in the web UI (time zone, retention); each overrides the
# config file's value. Values are JSON.
workspace_settings = Table(
    "workspace_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Erasures of one person (privacy/erasure.py): what was removed, when and by whom,
# never the person's handle itself, only its keyed digest (privacy/suppression.py).
erasure_receipts = Table(
    "erasure_receipts",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("erased_at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("handle_digest", String(64), nullable=False),
    Column("source", String(64)),  # None: every source
    Column("posts", BigInteger, nullable=False),
    # {"by_source": {name: n}, "by_topic": {name: n}, "author_profiles": n, "author_rollups": n}
    Column("removed", JSON, nullable=False),
)

# Erased authors whose later posts the store stage drops: keyed digests of their
# handles, per source ("" for every source), with how many posts were dropped since.
suppressed_authors = Table(
    "suppressed_authors",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("receipt_id", ForeignKey("erasure_receipts.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("dropped", BigInteger, nullable=False),
    Column("last_dropped_at", UTCDateTime),
)

# Who viewed which topic's posts, exported what, changed which setting, signed in or
# out (``privacy/audit.py``). Details hold names and parameters, never post text or secrets.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(300), nullable=False),
    Column("details", JSON, nullable=False),
    Index("ix_audit_log_at", "at"),
)
