"""The "substantially all" activities per project, research location on GL decisions, Form 6765 fields.

Revision ID: a41c6e2d9b37
Revises: 7c3d9e4f2a18
Create Date: 2026-11-24 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a41c6e2d9b37'
down_revision: str | None = '7c3d9e4f2a18'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('component_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('layer_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('measure', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('experimentation', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'],
                            name=op.f('fk_component_activities_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['layer_id'], ['layers.id'], ondelete='SET NULL',
                            name=op.f('fk_component_activities_layer_id_layers')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'],
                            name=op.f('fk_component_activities_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_component_activities_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_component_activities'))
    )
    with op.batch_alter_table('component_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_component_activities_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_component_activities_study_id'), ['study_id'], unique=False)
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        batch_op.add_column(sa.Column('funded_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('activity_basis', sa.String(length=10), nullable=True))
    with op.batch_alter_table('gl_expenses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('controlled_group', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('business_activity_code', sa.String(length=6), nullable=True))
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payroll_tax_other_ein', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('prior_payroll_election_years', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('credit_carryforward', sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('studies', schema=None) as batch_op:
        for name in ('credit_carryforward', 'prior_payroll_election_years', 'payroll_tax_other_ein'):
            batch_op.drop_column(name)
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        for name in ('business_activity_code', 'controlled_group'):
            batch_op.drop_column(name)
    with op.batch_alter_table('gl_expenses', schema=None) as batch_op:
        batch_op.drop_column('country')
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        for name in ('activity_basis', 'funded_reason'):
            batch_op.drop_column(name)
    with op.batch_alter_table('component_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_component_activities_study_id'))
        batch_op.drop_index(batch_op.f('ix_component_activities_project_id'))
    op.drop_table('component_activities')
