"""initial schema

Revision ID: 38f2a675ede2
Revises: 
Create Date: 2026-11-23 10:55:39.854345+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '38f2a675ede2'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs'))
    )
    op.create_table('embedding_cache',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('model_name', sa.String(length=200), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_embedding_cache'))
    )
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ein', sa.String(length=20), nullable=True),
    sa.Column('entity_type', sa.Enum('c_corp', 's_corp', 'partnership', 'llc', 'sole_proprietor', name='entitytype', native_enum=False, length=40), nullable=False),
    sa.Column('sub_sector', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_superuser', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('study_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('record_type', sa.String(length=80), nullable=False),
    sa.Column('record_id', sa.String(length=80), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_audit_events_actor_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_user_id'), ['actor_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_study_id'), ['study_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_study_id'), ['study_id'], unique=False)

    op.create_table('organization_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('gross_receipts', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('qres', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_years_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_years')),
    sa.UniqueConstraint('organization_id', 'year', name=op.f('uq_organization_years_organization_id_year'))
    )
    with op.batch_alter_table('organization_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_years_organization_id'), ['organization_id'], unique=False)

    op.create_table('scoring_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('threshold', sa.Double(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], name=op.f('fk_scoring_models_blob_sha256_blobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_models')),
    sa.UniqueConstraint('kind', 'version', name=op.f('uq_scoring_models_kind_version'))
    )
    op.create_table('studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tax_year', sa.Integer(), nullable=False),
    sa.Column('credit_method', sa.Enum('best', 'regular', 'asc', name='creditmethod', native_enum=False, length=40), nullable=False),
    sa.Column('reduced_credit_election', sa.Boolean(), nullable=False),
    sa.Column('payroll_election', sa.Boolean(), nullable=False),
    sa.Column('amended_return', sa.Boolean(), nullable=False),
    sa.Column('fixed_base_percentage', sa.Numeric(precision=7, scale=6), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_studies_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_studies')),
    sa.UniqueConstraint('slug', name=op.f('uq_studies_slug'))
    )
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_studies_organization_id'), ['organization_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_api_tokens_study_id_studies')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_study_id'), ['study_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('artifacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('git_repository', 'adr', 'run_log', 'ablation', 'document', name='artifactkind', native_enum=False, length=40), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_artifacts_removed_by_id_users')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_artifacts_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artifacts')),
    sa.UniqueConstraint('study_id', 'source', 'path', name=op.f('uq_artifacts_study_id_source_path'))
    )
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_artifacts_study_id'), ['study_id'], unique=False)

    op.create_table('business_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('component_type', sa.String(length=40), nullable=False),
    sa.Column('sub_sector', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('information_sought', sa.Text(), nullable=False),
    sa.Column('permitted_purpose', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('internal_use_software', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_business_components_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_components')),
    sa.UniqueConstraint('study_id', 'code', name=op.f('uq_business_components_study_id_code'))
    )
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_components_study_id'), ['study_id'], unique=False)

    op.create_table('employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('w2_wages', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('is_officer', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_employees_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees'))
    )
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_study_id'), ['study_id'], unique=False)

    op.create_table('export_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_final', sa.Boolean(), nullable=False),
    sa.Column('inputs_digest', sa.String(length=64), nullable=False),
    sa.Column('manifest_digest', sa.String(length=64), nullable=True),
    sa.Column('manifest', sa.JSON(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('zip_sha256', sa.String(length=64), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_export_packages_created_by_id_users')),
    sa.ForeignKeyConstraint(['pdf_sha256'], ['blobs.sha256'], name=op.f('fk_export_packages_pdf_sha256_blobs')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_export_packages_study_id_studies')),
    sa.ForeignKeyConstraint(['zip_sha256'], ['blobs.sha256'], name=op.f('fk_export_packages_zip_sha256_blobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_packages')),
    sa.UniqueConstraint('study_id', 'version', name=op.f('uq_export_packages_study_id_version'))
    )
    with op.batch_alter_table('export_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_packages_study_id'), ['study_id'], unique=False)

    op.create_table('gl_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_format', sa.String(length=40), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scoring_model_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], name=op.f('fk_gl_imports_blob_sha256_blobs')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_gl_imports_imported_by_id_users')),
    sa.ForeignKeyConstraint(['scoring_model_id'], ['scoring_models.id'], name=op.f('fk_gl_imports_scoring_model_id_scoring_models')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_gl_imports_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gl_imports'))
    )
    with op.batch_alter_table('gl_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gl_imports_study_id'), ['study_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'interviewer', 'engineer', 'cpa', name='role', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_memberships_study_id_studies')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('study_id', 'user_id', name=op.f('uq_memberships_study_id_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_study_id'), ['study_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('artifact_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('artifact_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_start', sa.Date(), nullable=True),
    sa.Column('content_end', sa.Date(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['artifact_id'], ['artifacts.id'], name=op.f('fk_artifact_revisions_artifact_id_artifacts')),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], name=op.f('fk_artifact_revisions_blob_sha256_blobs')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_artifact_revisions_study_id_studies')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_artifact_revisions_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artifact_revisions')),
    sa.UniqueConstraint('artifact_id', 'number', name=op.f('uq_artifact_revisions_artifact_id_number'))
    )
    with op.batch_alter_table('artifact_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_artifact_revisions_artifact_id'), ['artifact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_artifact_revisions_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_artifact_revisions_study_id'), ['study_id'], unique=False)

    op.create_table('contractors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('amount_paid', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('rights_retained', sa.Boolean(), nullable=False),
    sa.Column('risk_borne', sa.Boolean(), nullable=False),
    sa.Column('org_type', sa.Enum('other', 'qualified_research_consortium', 'eligible_small_business', 'university', 'federal_laboratory', name='researchorgtype', native_enum=False, length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('excluded_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_contractors_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_contractors_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contractors'))
    )
    with op.batch_alter_table('contractors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contractors_study_id'), ['study_id'], unique=False)

    op.create_table('evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('artifact_id', sa.Integer(), nullable=False),
    sa.Column('part_type', sa.String(length=40), nullable=True),
    sa.Column('part_ref', sa.String(length=120), nullable=True),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('prong', sa.String(length=40), nullable=True),
    sa.Column('suggested_by', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('status', sa.Enum('suggested', 'accepted', 'rejected', name='linkstatus', native_enum=False, length=40), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['artifact_id'], ['artifacts.id'], name=op.f('fk_evidence_links_artifact_id_artifacts')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_evidence_links_decided_by_id_users')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_evidence_links_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_links'))
    )
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_links_artifact_id'), ['artifact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_links_study_id'), ['study_id'], unique=False)

    op.create_table('gl_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('account_type', sa.String(length=80), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('blind_review', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['gl_imports.id'], name=op.f('fk_gl_accounts_import_id_gl_imports')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_gl_accounts_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gl_accounts')),
    sa.UniqueConstraint('import_id', 'number', 'name', name=op.f('uq_gl_accounts_import_id_number_name'))
    )
    with op.batch_alter_table('gl_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gl_accounts_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gl_accounts_study_id'), ['study_id'], unique=False)

    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=True),
    sa.Column('interviewee_name', sa.String(length=200), nullable=False),
    sa.Column('interviewee_role', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interviewer_id'], ['users.id'], name=op.f('fk_interviews_interviewer_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_interviews_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_interviews_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_study_id'), ['study_id'], unique=False)

    op.create_table('layers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('qualifying_engineering', 'third_party_model', 'excluded_activity', name='layerkind', native_enum=False, length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('vendor', sa.String(length=120), nullable=True),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_layers_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_layers_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_layers'))
    )
    with op.batch_alter_table('layers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_layers_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_layers_study_id'), ['study_id'], unique=False)

    op.create_table('narratives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('prong', sa.Enum('permitted_purpose', 'technological_in_nature', 'elimination_of_uncertainty', 'process_of_experimentation', name='prong', native_enum=False, length=40), nullable=False),
    sa.Column('state', sa.Enum('draft', 'in_review', 'approved', name='narrativestate', native_enum=False, length=40), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_narratives_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_narratives_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_narratives')),
    sa.UniqueConstraint('project_id', 'prong', name=op.f('uq_narratives_project_id_prong'))
    )
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narratives_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_narratives_study_id'), ['study_id'], unique=False)

    op.create_table('qualified_expenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('supplies', 'computer_rental', 'contract_research', name='expensecategory', native_enum=False, length=40), nullable=False),
    sa.Column('vendor', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('qualified_share', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('source_ref', sa.String(length=120), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_qualified_expenses_approved_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_qualified_expenses_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_qualified_expenses_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualified_expenses'))
    )
    with op.batch_alter_table('qualified_expenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qualified_expenses_study_id'), ['study_id'], unique=False)

    op.create_table('uncertainty_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('capability', 'method', 'appropriate_design', name='uncertaintykind', native_enum=False, length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('identified_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_uncertainty_statements_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_uncertainty_statements_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uncertainty_statements'))
    )
    with op.batch_alter_table('uncertainty_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uncertainty_statements_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uncertainty_statements_study_id'), ['study_id'], unique=False)

    op.create_table('wage_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Enum('direct_research', 'direct_supervision', 'direct_support', name='wageactivity', native_enum=False, length=40), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('source', sa.Enum('interview', 'time_survey', 'time_tracking', 'git_activity', name='allocationsource', native_enum=False, length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_wage_allocations_employee_id_employees')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_wage_allocations_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_wage_allocations_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wage_allocations')),
    sa.UniqueConstraint('employee_id', 'project_id', 'activity', name=op.f('uq_wage_allocations_employee_id_project_id_activity'))
    )
    with op.batch_alter_table('wage_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wage_allocations_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wage_allocations_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wage_allocations_study_id'), ['study_id'], unique=False)

    op.create_table('ablation_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('sheet', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('is_baseline', sa.Boolean(), nullable=False),
    sa.Column('factors', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_ablation_variants_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_ablation_variants_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ablation_variants'))
    )
    with op.batch_alter_table('ablation_variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ablation_variants_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ablation_variants_study_id'), ['study_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=80), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('deciders', sa.JSON(), nullable=False),
    sa.Column('drivers', sa.JSON(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('consequences', sa.Text(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_decisions_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_decisions_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_study_id'), ['study_id'], unique=False)

    op.create_table('experiments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('uncertainty_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hypothesis', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Enum('ongoing', 'baseline', 'succeeded', 'failed', 'inconclusive', 'abandoned', name='outcome', native_enum=False, length=40), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_experiments_study_id_studies')),
    sa.ForeignKeyConstraint(['uncertainty_id'], ['uncertainty_statements.id'], name=op.f('fk_experiments_uncertainty_id_uncertainty_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiments'))
    )
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiments_study_id'), ['study_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_experiments_uncertainty_id'), ['uncertainty_id'], unique=False)

    op.create_table('git_commits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('artifact_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('sha', sa.String(length=64), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_email', sa.String(length=254), nullable=False),
    sa.Column('authored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('is_merge', sa.Boolean(), nullable=False),
    sa.Column('insertions', sa.Integer(), nullable=False),
    sa.Column('deletions', sa.Integer(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['artifact_id'], ['artifacts.id'], name=op.f('fk_git_commits_artifact_id_artifacts')),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_git_commits_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_git_commits_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_git_commits')),
    sa.UniqueConstraint('artifact_id', 'sha', name=op.f('uq_git_commits_artifact_id_sha'))
    )
    with op.batch_alter_table('git_commits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_git_commits_artifact_id'), ['artifact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_git_commits_study_id'), ['study_id'], unique=False)

    op.create_table('gl_expenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=True),
    sa.Column('vendor', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('qualified', sa.Boolean(), nullable=True),
    sa.Column('category', sa.Enum('supplies', 'computer_rental', 'contract_research', name='expensecategory', native_enum=False, length=40), nullable=True),
    sa.Column('qualified_share', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['gl_accounts.id'], name=op.f('fk_gl_expenses_account_id_gl_accounts')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_gl_expenses_decided_by_id_users')),
    sa.ForeignKeyConstraint(['import_id'], ['gl_imports.id'], name=op.f('fk_gl_expenses_import_id_gl_imports')),
    sa.ForeignKeyConstraint(['project_id'], ['business_components.id'], name=op.f('fk_gl_expenses_project_id_business_components')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_gl_expenses_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gl_expenses'))
    )
    with op.batch_alter_table('gl_expenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gl_expenses_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gl_expenses_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gl_expenses_study_id'), ['study_id'], unique=False)

    op.create_table('interview_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=80), nullable=False),
    sa.Column('prong', sa.Enum('permitted_purpose', 'technological_in_nature', 'elimination_of_uncertainty', 'process_of_experimentation', name='prong', native_enum=False, length=40), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_answers_interview_id_interviews')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_interview_answers_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_answers')),
    sa.UniqueConstraint('interview_id', 'question_key', name=op.f('uq_interview_answers_interview_id_question_key'))
    )
    with op.batch_alter_table('interview_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_answers_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_answers_study_id'), ['study_id'], unique=False)

    op.create_table('narrative_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('narrative_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('markdown', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_narrative_versions_approved_by_id_users')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_narrative_versions_author_id_users')),
    sa.ForeignKeyConstraint(['narrative_id'], ['narratives.id'], name=op.f('fk_narrative_versions_narrative_id_narratives')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_narrative_versions_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_narrative_versions')),
    sa.UniqueConstraint('narrative_id', 'number', name=op.f('uq_narrative_versions_narrative_id_number'))
    )
    with op.batch_alter_table('narrative_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narrative_versions_narrative_id'), ['narrative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_narrative_versions_study_id'), ['study_id'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=False),
    sa.Column('tracker', sa.String(length=20), nullable=False),
    sa.Column('experiment_name', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_commit', sa.String(length=64), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['artifact_revisions.id'], name=op.f('fk_runs_revision_id_artifact_revisions')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_runs_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_runs_study_id'), ['study_id'], unique=False)

    op.create_table('decision_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('chosen', sa.Boolean(), nullable=False),
    sa.Column('pros', sa.JSON(), nullable=False),
    sa.Column('cons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_options_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_options'))
    )
    with op.batch_alter_table('decision_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_options_decision_id'), ['decision_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('decision_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_options_decision_id'))

    op.drop_table('decision_options')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_study_id'))
        batch_op.drop_index(batch_op.f('ix_runs_revision_id'))

    op.drop_table('runs')
    with op.batch_alter_table('narrative_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narrative_versions_study_id'))
        batch_op.drop_index(batch_op.f('ix_narrative_versions_narrative_id'))

    op.drop_table('narrative_versions')
    with op.batch_alter_table('interview_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_answers_study_id'))
        batch_op.drop_index(batch_op.f('ix_interview_answers_interview_id'))

    op.drop_table('interview_answers')
    with op.batch_alter_table('gl_expenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gl_expenses_study_id'))
        batch_op.drop_index(batch_op.f('ix_gl_expenses_import_id'))
        batch_op.drop_index(batch_op.f('ix_gl_expenses_account_id'))

    op.drop_table('gl_expenses')
    with op.batch_alter_table('git_commits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_git_commits_study_id'))
        batch_op.drop_index(batch_op.f('ix_git_commits_artifact_id'))

    op.drop_table('git_commits')
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experiments_uncertainty_id'))
        batch_op.drop_index(batch_op.f('ix_experiments_study_id'))

    op.drop_table('experiments')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_study_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_revision_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('ablation_variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ablation_variants_study_id'))
        batch_op.drop_index(batch_op.f('ix_ablation_variants_revision_id'))

    op.drop_table('ablation_variants')
    with op.batch_alter_table('wage_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wage_allocations_study_id'))
        batch_op.drop_index(batch_op.f('ix_wage_allocations_project_id'))
        batch_op.drop_index(batch_op.f('ix_wage_allocations_employee_id'))

    op.drop_table('wage_allocations')
    with op.batch_alter_table('uncertainty_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uncertainty_statements_study_id'))
        batch_op.drop_index(batch_op.f('ix_uncertainty_statements_project_id'))

    op.drop_table('uncertainty_statements')
    with op.batch_alter_table('qualified_expenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qualified_expenses_study_id'))

    op.drop_table('qualified_expenses')
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narratives_study_id'))
        batch_op.drop_index(batch_op.f('ix_narratives_project_id'))

    op.drop_table('narratives')
    with op.batch_alter_table('layers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_layers_study_id'))
        batch_op.drop_index(batch_op.f('ix_layers_project_id'))

    op.drop_table('layers')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_study_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_project_id'))

    op.drop_table('interviews')
    with op.batch_alter_table('gl_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gl_accounts_study_id'))
        batch_op.drop_index(batch_op.f('ix_gl_accounts_import_id'))

    op.drop_table('gl_accounts')
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_links_study_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_links_artifact_id'))

    op.drop_table('evidence_links')
    with op.batch_alter_table('contractors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contractors_study_id'))

    op.drop_table('contractors')
    with op.batch_alter_table('artifact_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_artifact_revisions_study_id'))
        batch_op.drop_index(batch_op.f('ix_artifact_revisions_blob_sha256'))
        batch_op.drop_index(batch_op.f('ix_artifact_revisions_artifact_id'))

    op.drop_table('artifact_revisions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_study_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('gl_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gl_imports_study_id'))

    op.drop_table('gl_imports')
    with op.batch_alter_table('export_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_packages_study_id'))

    op.drop_table('export_packages')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employees_study_id'))

    op.drop_table('employees')
    with op.batch_alter_table('business_components', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_components_study_id'))

    op.drop_table('business_components')
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_artifacts_study_id'))

    op.drop_table('artifacts')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_tokens_study_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_studies_organization_id'))

    op.drop_table('studies')
    op.drop_table('scoring_models')
    with op.batch_alter_table('organization_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_years_organization_id'))

    op.drop_table('organization_years')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_study_id'))

    op.drop_table('jobs')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_study_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_user_id'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('organizations')
    op.drop_table('embedding_cache')
    op.drop_table('blobs')
