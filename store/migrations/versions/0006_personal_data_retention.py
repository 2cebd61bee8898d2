"""originals holding personal data are marked, and can be purged after a retention period

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column("personal_data", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    # Dossier exports (shape D) list applicants by name and ID number.
    op.execute(sa.text("UPDATE uploads SET personal_data = :yes WHERE format = 'D'").bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("personal_data")
