"""Entity dictionaries of topics (brands, products, people with their aliases).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default fills the existing rows. SQLite keeps it: dropping a default
    # means rebuilding the table, whose DROP would cascade to every match and rollup.
    op.add_column(
        "topics",
        sa.Column("entities", sa.JSON, nullable=False, server_default=sa.text("'[]'")),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("topics", "entities", server_default=None)


def downgrade() -> None:
    op.drop_column("topics", "entities")
