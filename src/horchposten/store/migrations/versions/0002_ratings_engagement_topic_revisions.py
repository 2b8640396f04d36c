"""Review ratings and engagement types on posts; topics.updated_at; change counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("posts", sa.Column("engagement_type", sa.String(16)))
    op.add_column("posts", sa.Column("rating", sa.Float))
    op.create_table(
        "revisions",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a NOT NULL column only with a constant default, and dropping that
        # default means rebuilding the table, whose DROP would cascade to every match
        # and rollup of the topics. So the default stays, unused: inserts set the value.
        default = sa.text("'1970-01-01 00:00:00.000000'")
        op.add_column(
            "topics", sa.Column("updated_at", UTCDateTime, nullable=False, server_default=default)
        )
        op.execute("UPDATE topics SET updated_at = created_at")
    else:
        op.add_column("topics", sa.Column("updated_at", UTCDateTime))
        op.execute("UPDATE topics SET updated_at = created_at")
        op.alter_column("topics", "updated_at", nullable=False)


def downgrade() -> None:
    op.drop_column("topics", "updated_at")
    op.drop_table("revisions")
    op.drop_column("posts", "rating")
    op.drop_column("posts", "engagement_type")
