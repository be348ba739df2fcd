"""evidence ingestion facts

Revision ID: 417eea6417f9
Revises: 38f2a675ede2
Create Date: 2026-11-23 14:06:27.309339+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '417eea6417f9'
down_revision: str | None = '38f2a675ede2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ablation_metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('sheet', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('better', sa.Enum('higher', 'lower', 'unknown', name='metricdirection', native_enum=False, length=40), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_ablation_metrics_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_ablation_metrics_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_ablation_metrics_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ablation_metrics')),
    sa.UniqueConstraint('revision_id', 'sheet', 'name', name=op.f('uq_ablation_metrics_revision_id_sheet_name'))
    )
    with op.batch_alter_table('ablation_metrics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ablation_metrics_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ablation_metrics_study_id'), ['study_id'], unique=False)

    op.create_table('git_refs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('artifact_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('branch', 'tag', name='gitrefkind', native_enum=False, length=40), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['artifact_id'], ['artifacts.id'], name=op.f('fk_git_refs_artifact_id_artifacts')),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_git_refs_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_git_refs_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_git_refs')),
    sa.UniqueConstraint('revision_id', 'name', name=op.f('uq_git_refs_revision_id_name'))
    )
    with op.batch_alter_table('git_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_git_refs_artifact_id'), ['artifact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_git_refs_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_git_refs_study_id'), ['study_id'], unique=False)

    op.create_table('commit_projects',
    sa.Column('commit_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['commit_id'], ['git_commits.id'], name=op.f('fk_commit_projects_commit_id_git_commits')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_commit_projects_project_id_business_components')),
    sa.PrimaryKeyConstraint('commit_id', 'project_id', name=op.f('pk_commit_projects'))
    )
    with op.batch_alter_table('commit_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commit_projects_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('ablation_variants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('decision_options', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('git_commits', schema=None) as batch_op:
        batch_op.create_index('ix_git_commits_study_sha', ['study_id', 'sha'], unique=False)

    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index('ix_runs_study_source_commit', ['study_id', 'source_commit'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index('ix_runs_study_source_commit')

    with op.batch_alter_table('git_commits', schema=None) as batch_op:
        batch_op.drop_index('ix_git_commits_study_sha')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('tags')

    with op.batch_alter_table('decision_options', schema=None) as batch_op:
        batch_op.drop_column('description')

    with op.batch_alter_table('ablation_variants', schema=None) as batch_op:
        batch_op.drop_column('row')

    with op.batch_alter_table('commit_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commit_projects_project_id'))

    op.drop_table('commit_projects')
    with op.batch_alter_table('git_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_git_refs_study_id'))
        batch_op.drop_index(batch_op.f('ix_git_refs_revision_id'))
        batch_op.drop_index(batch_op.f('ix_git_refs_artifact_id'))

    op.drop_table('git_refs')
    with op.batch_alter_table('ablation_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ablation_metrics_study_id'))
        batch_op.drop_index(batch_op.f('ix_ablation_metrics_revision_id'))

    op.drop_table('ablation_metrics')
