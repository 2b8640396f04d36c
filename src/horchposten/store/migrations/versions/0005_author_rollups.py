"""Per-author daily and monthly rollups per topic, filled by a recount from the posts.

Top-author lists read ``rollups_authors`` (posts, reach, engagement and the
sentiment counts per topic x UTC day, and x UTC month, x author) instead of
grouping the posts.
Posts without an author handle are not counted, as the author lists skip them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import IdType, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SQLITE_START = {
    "day": "strftime('%Y-%m-%d 00:00:00.000000', p.created_at)",
    "month": "strftime('%Y-%m-01 00:00:00.000000', p.created_at)",
}
_PG_START = {
    span: f"date_trunc('{span}', p.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    for span in ("day", "month")
}
_SQLITE_LABEL = "json_extract(e.data, '$.label')"
_PG_LABEL = "(e.data ->> 'label')"
LABELS = ("negative", "neutral", "positive")


def upgrade() -> None:
    op.create_table(
        "rollups_authors",
        sa.Column(
            "topic_id", IdType, sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("span", sa.String(8), primary_key=True),
        sa.Column("start", UTCDateTime, primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("handle", sa.String(255), primary_key=True),
        *(
            sa.Column(name, sa.BigInteger, nullable=False)
            for name in ("posts", "reach", "engagement", *LABELS)
        ),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    label = _SQLITE_LABEL if sqlite else _PG_LABEL
    moods = ", ".join(f"SUM(CASE WHEN {label} = '{name}' THEN 1 ELSE 0 END)" for name in LABELS)
    for span, start in (_SQLITE_START if sqlite else _PG_START).items():
        grouped = f"t.topic_id, {start}, p.source, p.author_handle"
        op.execute(
            "INSERT INTO rollups_authors (topic_id, start, source, handle, span, posts, reach, "
            f"engagement, {', '.join(LABELS)}) SELECT {grouped}, '{span}', COUNT(*), "
            "SUM(COALESCE(p.author_followers, 0)), "
            "SUM(COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.replies, 0)), "
            f"{moods} FROM post_topics t JOIN posts p ON p.id = t.post_id "
            "LEFT JOIN enrichments e ON e.post_id = p.id AND e.enricher = 'sentiment' "
            f"WHERE p.author_handle IS NOT NULL AND p.author_handle != '' GROUP BY {grouped}"
        )


def downgrade() -> None:
    op.drop_table("rollups_authors")
