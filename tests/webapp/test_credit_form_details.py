"""The credit page's "Form details" (item B, 49(b), 33b, 35, prior election years) and a funded reason."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.audit import AuditEvent
from studies.models import (
    OrganizationYear,
    Role,
)
from tests.studies.credit_records import project_with_engineer

DETAILS = {"controlled_group": "1", "business_activity_code": "513210", "prior_payroll_election_years": "2",
           "payroll_tax_other_ein": "1", "credit_carryforward": "$1,500"}


def _study(session, make_user, make_study, role: Role = Role.CPA):
    user = make_user()
    study = make_study(members={user: role})
    study.payroll_election = True
    session.add(OrganizationYear(organization_id=study.organization_id, year=2025,
                                 gross_receipts=Decimal(2_000_000)))
    project = project_with_engineer(session, study, wages=100_000, percent=100)
    session.commit()
    return study, user, project


def test_form_details_are_saved_audited_and_shown_where_the_form_uses_them(
        client, session, sign_in, make_user, make_study, app) -> None:
    study, cpa, _ = _study(session, make_user, make_study)
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(cpa)
    url = f"/studies/{study.slug}/credit"
    assert client.post(url, data=DETAILS).status_code == 302
    session.expire_all()
    organization = study.organization
    assert (organization.controlled_group, organization.business_activity_code) == (True, "513210")
    assert (study.prior_payroll_election_years, study.payroll_tax_other_ein) == (2, True)
    assert study.credit_carryforward == Decimal("1500.00")
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="section-g"' in page and "513210" in page
    assert "Prior tax years with the election: 2 of 5" in page and "1,500.00" in page
    form = client.get(f"{url}/form-6765.json").get_json()["form_6765"]
    assert form["lines"]["B"] == "Yes" and form["lines"]["33b"] is True and form["lines"]["35"] == "1500.00"
    # Credit: 100,000 QREs, ASC 6% (no prior QREs) = 6,000; line 36 is limited by line 35.
    assert form["lines"]["36"] == "1500.00" and form["section_g"][0]["49(b)"] == "513210"
    trail = session.scalars(select(AuditEvent).where(AuditEvent.study_id == study.id)).all()
    changed = {(e.record_type, key) for e in trail if e.action == "update" for key in e.changes}
    assert {("organizations", "business_activity_code"), ("organizations", "controlled_group"),
            ("studies", "credit_carryforward"), ("studies", "prior_payroll_election_years")} <= changed


def test_bad_form_details_are_named_and_nothing_is_saved(
        client, session, sign_in, make_user, make_study, app) -> None:
    study, cpa, _ = _study(session, make_user, make_study)
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(cpa)
    bad = {**DETAILS, "business_activity_code": "51-32", "prior_payroll_election_years": "6",
           "credit_carryforward": "-3"}
    page = client.post(f"/studies/{study.slug}/credit", data=bad).get_data(as_text=True)
    assert 'data-testid="form-details-errors"' in page and "six digits" in page
    assert "from 0 to 5" in page and "cannot be negative" in page and 'value="51-32"' in page
    session.expire_all()
    assert study.organization.business_activity_code is None and study.credit_carryforward is None


def test_a_funded_reason_excludes_the_component_and_is_shown(
        client, session, sign_in, make_user, make_study, app) -> None:
    study, cpa, project = _study(session, make_user, make_study)
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(cpa)
    url = f"/studies/{study.slug}/credit/components/chat"
    reason = "Paid under a fixed-fee contract with Acme, which keeps the rights"
    assert client.post(url, data={"action": "funded", "funded_reason": reason}).status_code == 302
    session.expire_all()
    assert project.funded_reason == reason
    credit = client.get(f"/studies/{study.slug}/credit").get_data(as_text=True)
    assert 'data-testid="sa-funded"' in credit and "funded research (§41(d)(4)(H))" in credit
    form = client.get(f"/studies/{study.slug}/credit/form-6765.json").get_json()["form_6765"]
    assert Decimal(form["lines"]["48"]) == 0
    client.post(url, data={"action": "funded", "funded_reason": "  "})
    session.expire_all()
    assert project.funded_reason is None


def test_an_engineer_cannot_change_the_form_details(client, session, sign_in, make_user, make_study) -> None:
    study, engineer, _ = _study(session, make_user, make_study, Role.ENGINEER)
    sign_in(engineer)
    assert client.post(f"/studies/{study.slug}/credit", data=DETAILS).status_code == 403
