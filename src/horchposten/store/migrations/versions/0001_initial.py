"""Initial schema: posts, authors, topics, matches, hourly rollups, sources, enrichments.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store import fulltext
from horchposten.store.schema import IdType, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("native_id", sa.String(255), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("lang", sa.String(8)),
        sa.Column("author_handle", sa.String(255)),
        sa.Column("author_name", sa.Text),
        sa.Column("author_followers", sa.BigInteger),
        sa.Column("author_url", sa.Text),
        sa.Column("parent_key", sa.String(300)),
        sa.Column("root_key", sa.String(300)),
        sa.Column("likes", sa.BigInteger),
        sa.Column("reposts", sa.BigInteger),
        sa.Column("replies", sa.BigInteger),
        sa.Column("views", sa.BigInteger),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_index("ix_posts_source_created_at", "posts", ["source", "created_at"])
    op.create_index("ix_posts_author", "posts", ["source", "author_handle"])
    op.create_index("ix_posts_parent_key", "posts", ["parent_key"])
    op.create_table(
        "authors",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("handle", sa.String(255), primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("followers", sa.BigInteger),
        sa.Column("url", sa.Text),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "topics",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("langs", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "post_topics",
        sa.Column(
            "topic_id", IdType, sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "post_id", IdType, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("matched_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_post_topics_post_id", "post_topics", ["post_id"])
    op.create_table(
        "rollups_hourly",
        sa.Column(
            "topic_id", IdType, sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("bucket", UTCDateTime, primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column("posts", sa.BigInteger, nullable=False),
        sa.Column("reach", sa.BigInteger, nullable=False),
        sa.Column("engagement", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("cursor", sa.JSON, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("healthy", sa.Boolean, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("last_fetch_at", UTCDateTime),
        sa.Column("last_success_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "enrichments",
        sa.Column(
            "post_id", IdType, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("enricher", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    for statement in fulltext.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in fulltext.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    for table in ("enrichments", "sources", "rollups_hourly", "post_topics", "topics", "authors"):
        op.drop_table(table)
    op.drop_table("posts")
