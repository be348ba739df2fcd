"""Record which certificate sealed a package's PDF.

Revision ID: c3f8a1d2e4b5
Revises: a41c6e2d9b37
Create Date: 2026-11-24 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c3f8a1d2e4b5'
down_revision: str | None = 'a41c6e2d9b37'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('export_packages') as batch:
        batch.add_column(sa.Column('sealed_by', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('export_packages') as batch:
        batch.drop_column('sealed_by')
