"""learned column mappings: a person's decision about a header, applied to the next upload of the form

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "column_mappings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("header_key", sa.String(length=255), nullable=False),
        sa.Column("header", sa.String(length=500), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mappings")),
    )
    op.create_index("ix_column_mappings_key", "column_mappings", ["header_key"])


def downgrade() -> None:
    op.drop_index("ix_column_mappings_key", table_name="column_mappings")
    op.drop_table("column_mappings")
