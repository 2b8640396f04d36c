"""Sign-in form tokens kept on the server: the form's CSRF token must be one this
server issued (its digest stored here, until it expires), not merely equal to a
cookie that whoever can set cookies for the host could choose.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from horchposten.store.schema import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signin_tokens",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_signin_tokens_expires_at", "signin_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_signin_tokens_expires_at", "signin_tokens")
    op.drop_table("signin_tokens")
