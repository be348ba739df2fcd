"""GL imports: the company and industry read, how the file was read (mapping), the blind-review share.

Revision ID: 7c3d9e4f2a18
Revises: 5b1e0c7a9f21
Create Date: 2026-11-23 18:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c3d9e4f2a18'
down_revision: str | None = '5b1e0c7a9f21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('gl_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('industry', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reading', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('blind_share', sa.Double(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('gl_imports', schema=None) as batch_op:
        for name in ('blind_share', 'reading', 'industry', 'company'):
            batch_op.drop_column(name)
