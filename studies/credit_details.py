"""What a CPA enters by hand for Form 6765 beyond the records: the "Form details" of a study.

Item B (controlled group) and line 49(b) (business activity code) belong to the client, so they
are kept on its organization; the payroll election's inputs (prior election years, line 33b, the
line 35 carryforward) belong to the study's tax year; a component's funded-research reason
(§41(d)(4)(H)) to the project. Every change goes through the audit trail; an organization's
change is also recorded in the study it was made from, since organizations have no study of their
own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.audit import record
from studies.credit.payroll import MAX_ELECTION_YEARS
from studies.models import BusinessComponent, Study
from studies.project_checks import Checks

ACTIVITY_CODE = re.compile(r"^\d{6}$")
ORGANIZATION_FIELDS = ("controlled_group", "business_activity_code")


@dataclass(frozen=True)
class FormDetails:
    """The form's details as a form gives them (text and check boxes)."""

    controlled_group: bool
    business_activity_code: str
    prior_payroll_election_years: str
    payroll_tax_other_ein: bool
    credit_carryforward: str


def save_form_details(session: Session, study: Study, data: FormDetails) -> None:
    checks = Checks()
    code = checks.text("business_activity_code", data.business_activity_code, "The business activity code",
                       limit=6)
    if code and not ACTIVITY_CODE.match(code):
        checks.fail("business_activity_code", "The business activity code is six digits (e.g. 513210).")
    years = _years(checks, data.prior_payroll_election_years)
    carryforward = checks.number("credit_carryforward", data.credit_carryforward, "The carryforward",
                                 required=False)
    checks.done()
    _set_organization(session, study, {"controlled_group": bool(data.controlled_group),
                                       "business_activity_code": code or None})
    study.prior_payroll_election_years = years
    study.payroll_tax_other_ein = bool(data.payroll_tax_other_ein)
    study.credit_carryforward = carryforward
    session.flush()


def save_funded_reason(session: Session, project: BusinessComponent, reason: str) -> None:
    """A reason makes the component funded research (all its QREs excluded); blank clears it."""
    checks = Checks()
    text = checks.text("funded_reason", reason, "The funded-research reason", limit=2000)
    checks.done()
    project.funded_reason = text or None
    session.flush()


def _set_organization(session: Session, study: Study, values: dict[str, Any]) -> None:
    organization = study.organization
    changes = {name: [getattr(organization, name), value] for name, value in values.items()
               if getattr(organization, name) != value}
    for name, (_, value) in changes.items():
        setattr(organization, name, value)
    if changes:
        record(session, action="update", study_id=study.id, record_type="organizations",
               record_id=str(organization.id), details=changes)


def _years(checks: Checks, text: str) -> int:
    cleaned = (text or "").strip() or "0"
    if not cleaned.isdigit() or int(cleaned) > MAX_ELECTION_YEARS:
        checks.fail("prior_payroll_election_years",
                    f"The prior election years are a whole number from 0 to {MAX_ELECTION_YEARS}.")
        return 0
    return int(cleaned)

