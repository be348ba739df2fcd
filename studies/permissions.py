"""Who may do what in a study: the one place every permission is decided.

A user who is not a member of a study may do nothing with it, and is told nothing about
it (the web layer answers 404). A member may do what their role is granted below.
"""

from __future__ import annotations

import enum

from studies.models import Role


class Permission(enum.StrEnum):
    VIEW_STUDY = "view_study"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_TOKENS = "manage_tokens"
    VIEW_JOBS = "view_jobs"
    UPLOAD_EVIDENCE = "upload_evidence"
    LINK_EVIDENCE = "link_evidence"
    EDIT_PROJECTS = "edit_projects"
    CONDUCT_INTERVIEWS = "conduct_interviews"
    WRITE_NARRATIVES = "write_narratives"
    APPROVE_NARRATIVES = "approve_narratives"
    VIEW_PAYROLL = "view_payroll"
    EDIT_PAYROLL = "edit_payroll"
    REVIEW_GL = "review_gl"
    MANAGE_MODELS = "manage_models"  # retrain the GL scoring models, or make a stored version active
    COMPUTE_CREDIT = "compute_credit"
    BUILD_PACKAGE = "build_package"
    DOWNLOAD_PACKAGE = "download_package"


_EVERY_MEMBER = {Permission.VIEW_STUDY, Permission.VIEW_JOBS}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.INTERVIEWER: frozenset(_EVERY_MEMBER | {
        Permission.UPLOAD_EVIDENCE, Permission.LINK_EVIDENCE, Permission.EDIT_PROJECTS,
        Permission.CONDUCT_INTERVIEWS, Permission.WRITE_NARRATIVES,
        Permission.APPROVE_NARRATIVES,
    }),
    Role.ENGINEER: frozenset(_EVERY_MEMBER | {
        Permission.UPLOAD_EVIDENCE, Permission.MANAGE_TOKENS,
    }),
    Role.CPA: frozenset(_EVERY_MEMBER | {
        Permission.VIEW_AUDIT_TRAIL, Permission.VIEW_PAYROLL, Permission.EDIT_PAYROLL,
        Permission.REVIEW_GL, Permission.COMPUTE_CREDIT, Permission.BUILD_PACKAGE,
        Permission.DOWNLOAD_PACKAGE,
    }),
}


def can(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in GRANTS[role]


def permissions_of(role: Role | None) -> frozenset[Permission]:
    return GRANTS[role] if role is not None else frozenset()
