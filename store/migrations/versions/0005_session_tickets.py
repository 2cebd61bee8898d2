"""one-time sign-in tickets: the server, not a script, sets the HttpOnly session cookie

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_tickets",
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ticket_hash", name=op.f("pk_session_tickets")),
    )


def downgrade() -> None:
    op.drop_table("session_tickets")
