"""Posts are listed by when they were written; topics declare their own accounts.

``ix_posts_created_at_key`` orders posts newest first with ties by key, the order and
cursor of ``GET /posts`` and the mentions list; it replaces ``ix_posts_created_at``,
whose every range it still serves. ``topics.own_accounts`` holds the brand's own
accounts as "source:handle" strings, which influencer rankings leave out by default.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_posts_created_at_key", "posts", ["created_at", "key"])
    op.drop_index("ix_posts_created_at", "posts")
    op.add_column("topics", sa.Column("own_accounts", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    # Not a batch rebuild: on SQLite, dropping the table would cascade to every match.
    op.drop_column("topics", "own_accounts")
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.drop_index("ix_posts_created_at_key", "posts")
