"""The policy itself, written out, so a change to GRANTS is a visible, reviewed change."""

import pytest

from studies.models import Role
from studies.permissions import Permission, can

P = Permission
EXPECTED = {
    Role.ADMIN: set(Permission),
    Role.INTERVIEWER: {P.VIEW_STUDY, P.VIEW_JOBS, P.UPLOAD_EVIDENCE, P.LINK_EVIDENCE, P.EDIT_PROJECTS,
                       P.CONDUCT_INTERVIEWS, P.WRITE_NARRATIVES, P.APPROVE_NARRATIVES},
    Role.ENGINEER: {P.VIEW_STUDY, P.VIEW_JOBS, P.UPLOAD_EVIDENCE, P.MANAGE_TOKENS},
    Role.CPA: {P.VIEW_STUDY, P.VIEW_JOBS, P.VIEW_AUDIT_TRAIL, P.VIEW_PAYROLL, P.EDIT_PAYROLL,
               P.REVIEW_GL, P.COMPUTE_CREDIT, P.BUILD_PACKAGE, P.DOWNLOAD_PACKAGE},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_permissions(role: Role) -> None:
    assert {p for p in Permission if can(role, p)} == EXPECTED[role]


def test_no_role_means_no_permission() -> None:
    assert not any(can(None, p) for p in Permission)


def test_payroll_stays_with_admin_and_cpa() -> None:
    assert [r for r in Role if can(r, P.VIEW_PAYROLL)] == [Role.ADMIN, Role.CPA]
