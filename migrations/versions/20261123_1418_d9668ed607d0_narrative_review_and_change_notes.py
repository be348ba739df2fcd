"""Narratives: who sent one for review, and each version's origin and change note.

Revision ID: d9668ed607d0
Revises: 417eea6417f9
Create Date: 2026-11-23 14:18:42.862205+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd9668ed607d0'
down_revision: str | None = '417eea6417f9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('narrative_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.Enum('drafted', 'edited', name='versionorigin', native_enum=False, length=40), server_default='edited', nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_narratives_submitted_by_id_users'), 'users', ['submitted_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_narratives_submitted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submitted_by_id')

    with op.batch_alter_table('narrative_versions', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('origin')
