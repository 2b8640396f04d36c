"""Rollups gain the sentiment dimension and marginal sums per dimension; API tokens.

The rollups are rebuilt by a recount from the posts, their matches and their stored
sentiment. Nothing references ``rollups_hourly``, so dropping it cascades nowhere.
``rollups_marginal`` holds the same sums per single dimension (and in total).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import IdType, UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_BUCKET = "strftime('%Y-%m-%d %H:00:00.000000', p.created_at)"
_PG_BUCKET = "date_trunc('hour', p.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
_SQLITE_LABEL = "json_extract(e.data, '$.label')"
_PG_LABEL = "(e.data ->> 'label')"


def _rollups(name: str, *, sentiment: bool) -> None:
    op.create_table(
        name,
        sa.Column(
            "topic_id", IdType, sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("bucket", UTCDateTime, primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        *([sa.Column("sentiment", sa.String(16), primary_key=True)] if sentiment else []),
        sa.Column("posts", sa.BigInteger, nullable=False),
        sa.Column("reach", sa.BigInteger, nullable=False),
        sa.Column("engagement", sa.BigInteger, nullable=False),
    )


def _recount(*, sentiment: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    bucket = _SQLITE_BUCKET if sqlite else _PG_BUCKET
    label = _SQLITE_LABEL if sqlite else _PG_LABEL
    mood = f"CASE WHEN {label} IN ('negative', 'neutral', 'positive') THEN {label} ELSE 'none' END"
    columns = "topic_id, bucket, source, lang, " + ("sentiment, " if sentiment else "")
    grouped = f"t.topic_id, {bucket}, p.source, COALESCE(p.lang, 'und')" + (
        f", {mood}" if sentiment else ""
    )
    op.execute(
        f"INSERT INTO rollups_hourly ({columns}posts, reach, engagement) "
        f"SELECT {grouped}, COUNT(*), SUM(COALESCE(p.author_followers, 0)), "
        "SUM(COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.replies, 0)) "
        "FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "LEFT JOIN enrichments e ON e.post_id = p.id AND e.enricher = 'sentiment' "
        f"GROUP BY {grouped}"
    )


def _marginals() -> None:
    op.create_table(
        "rollups_marginal",
        sa.Column(
            "topic_id", IdType, sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("dimension", sa.String(16), primary_key=True),
        sa.Column("bucket", UTCDateTime, primary_key=True),
        sa.Column("value", sa.String(64), primary_key=True),
        sa.Column("posts", sa.BigInteger, nullable=False),
        sa.Column("reach", sa.BigInteger, nullable=False),
        sa.Column("engagement", sa.BigInteger, nullable=False),
    )
    for dimension in ("total", "source", "lang", "sentiment"):
        value, grouped = ("''", "") if dimension == "total" else (dimension, f", {dimension}")
        op.execute(
            "INSERT INTO rollups_marginal (topic_id, bucket, dimension, value, posts, reach, "
            f"engagement) SELECT topic_id, bucket, '{dimension}', {value}, SUM(posts), "
            f"SUM(reach), SUM(engagement) FROM rollups_hourly GROUP BY topic_id, bucket{grouped}"
        )


def upgrade() -> None:
    op.drop_table("rollups_hourly")
    _rollups("rollups_hourly", sentiment=True)
    _recount(sentiment=True)
    _marginals()
    op.create_table(
        "api_tokens",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_used_at", UTCDateTime),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("rollups_marginal")
    op.drop_table("rollups_hourly")
    _rollups("rollups_hourly", sentiment=False)
    _recount(sentiment=False)
