"""Local ids: a platform's server-local item id → the stored post, for deletions.

A Mastodon ``delete`` event names a status only by the id the streaming
instance gave it. ``local_ids`` keeps (scope, local id) → post for the posts
stored from such a server, so a deletion finds its post in any later pass or
after a restart. It starts empty: posts stored before it are indexed when a
pass sees them again (the raw statuses do not say which instance they came from).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import IdType

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_ids",
        sa.Column("scope", sa.String(300), primary_key=True),
        sa.Column("local_id", sa.String(64), primary_key=True),
        sa.Column("post_id", IdType, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_local_ids_post_id", "local_ids", ["post_id"])


def downgrade() -> None:
    op.drop_index("ix_local_ids_post_id", table_name="local_ids")
    op.drop_table("local_ids")
