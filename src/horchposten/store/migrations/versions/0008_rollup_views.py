"""Rollups gain what earned media is summed from: views, viewed posts, unviewed reach.

``views`` sums the platform's view counts of the posts that have one, ``viewed_posts``
counts those posts, and ``unviewed_reach`` sums the followers of the posts without
one, so impressions (views where given, else followers x the source's reach factor)
come from the rollups instead of every post (``analytics/reach.py``). Both rollup
tables are rebuilt by a recount from the posts, their matches and stored sentiment.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ADDED = ("views", "viewed_posts", "unviewed_reach")
_SQLITE_BUCKET = "strftime('%Y-%m-%d %H:00:00.000000', p.created_at)"
_PG_BUCKET = "date_trunc('hour', p.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
_SQLITE_LABEL = "json_extract(e.data, '$.label')"
_PG_LABEL = "(e.data ->> 'label')"


def upgrade() -> None:
    for name in ("rollups_hourly", "rollups_marginal"):
        for column in _ADDED:
            op.add_column(
                name, sa.Column(column, sa.BigInteger, nullable=False, server_default="0")
            )
    _recount()


def downgrade() -> None:
    for name in ("rollups_hourly", "rollups_marginal"):
        with op.batch_alter_table(name) as batch:
            for column in _ADDED:
                batch.drop_column(column)


def _recount() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    bucket = _SQLITE_BUCKET if sqlite else _PG_BUCKET
    label = _SQLITE_LABEL if sqlite else _PG_LABEL
    mood = f"CASE WHEN {label} IN ('negative', 'neutral', 'positive') THEN {label} ELSE 'none' END"
    grouped = f"t.topic_id, {bucket}, p.source, COALESCE(p.lang, 'und'), {mood}"
    sums = "posts, reach, engagement, " + ", ".join(_ADDED)
    op.execute("DELETE FROM rollups_marginal")
    op.execute("DELETE FROM rollups_hourly")
    op.execute(
        f"INSERT INTO rollups_hourly (topic_id, bucket, source, lang, sentiment, {sums}) "
        f"SELECT {grouped}, COUNT(*), SUM(COALESCE(p.author_followers, 0)), "
        "SUM(COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.replies, 0)), "
        "SUM(COALESCE(p.views, 0)), "
        "SUM(CASE WHEN p.views IS NULL THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN p.views IS NULL THEN COALESCE(p.author_followers, 0) ELSE 0 END) "
        "FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "LEFT JOIN enrichments e ON e.post_id = p.id AND e.enricher = 'sentiment' "
        f"GROUP BY {grouped}"
    )
    summed = ", ".join(f"SUM({name})" for name in sums.split(", "))
    for dimension in ("total", "source", "lang", "sentiment"):
        value, more = ("''", "") if dimension == "total" else (dimension, f", {dimension}")
        op.execute(
            f"INSERT INTO rollups_marginal (topic_id, bucket, dimension, value, {sums}) "
            f"SELECT topic_id, bucket, '{dimension}', {value}, {summed} "
            f"FROM rollups_hourly GROUP BY topic_id, bucket{more}"
        )
