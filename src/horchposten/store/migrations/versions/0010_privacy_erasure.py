"""Erasure receipts and the suppression list of erased authors.

``erasure_receipts`` records each erasure of one person (what was removed, when, by
whom, the keyed digest of the handle, never the handle); ``suppressed_authors``
holds the digests whose later posts the store stage drops (privacy/suppression.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import IdType, UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_receipts",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("erased_at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("handle_digest", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64)),
        sa.Column("posts", sa.BigInteger, nullable=False),
        sa.Column("removed", sa.JSON, nullable=False),
    )
    op.create_table(
        "suppressed_authors",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("receipt_id", IdType, sa.ForeignKey("erasure_receipts.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("dropped", sa.BigInteger, nullable=False),
        sa.Column("last_dropped_at", UTCDateTime),
    )


def downgrade() -> None:
    op.drop_table("suppressed_authors")
    op.drop_table("erasure_receipts")
