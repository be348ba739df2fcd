"""Projects: the three high-threshold-of-innovation statements internal-use software needs.

Revision ID: 5b1e0c7a9f21
Revises: d9668ed607d0
Create Date: 2026-11-23 17:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b1e0c7a9f21'
down_revision: str | None = 'd9668ed607d0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('hti_innovative', 'hti_economic_risk', 'hti_not_commercially_available')


def upgrade() -> None:
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
