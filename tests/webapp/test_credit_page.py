"""The credit page: what a CPA sees of the computation, and the Form 6765 downloads."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from studies.models import (
    AllocationSource,
    BusinessComponent,
    Employee,
    OrganizationYear,
    Role,
    WageAllocation,
)


def _study_with_wages(session, make_user, make_study):
    cpa, interviewer = make_user(name="Carmen CPA"), make_user(name="Irene Interviewer")
    study = make_study(members={cpa: Role.CPA, interviewer: Role.INTERVIEWER})
    project = BusinessComponent(study_id=study.id, code="rag", name="Retrieval <b>engine</b>",
                                sub_sector="ai_native_product_engineering")
    session.add(project)
    session.flush()
    for name, wages, share in (("Priya", 200_000, 90), ("Tomás", 100_000, 50)):
        employee = Employee(study_id=study.id, name=name, email=f"{name[:2].lower()}@x.test",
                            title="Engineer",
                            w2_wages=Decimal(wages))
        session.add(employee)
        session.flush()
        session.add(WageAllocation(study_id=study.id, employee_id=employee.id, project_id=project.id,
                                   percent=Decimal(share), source=AllocationSource.TIME_SURVEY))
    for year, qres in ((2022, 100_000), (2023, 150_000), (2024, 200_000)):
        session.add(OrganizationYear(organization_id=study.organization_id, year=year, qres=Decimal(qres),
                                     gross_receipts=Decimal(1_000_000)))
    session.commit()
    return study, cpa, interviewer


def test_cpa_sees_both_methods_qres_and_the_records_behind_them(client, session, sign_in, make_user,
                                                                 make_study) -> None:
    study, cpa, _ = _study_with_wages(session, make_user, make_study)
    sign_in(cpa)
    page = client.get(f"/studies/{study.slug}/credit").get_data(as_text=True)
    # Priya at 90% counts in full (substantially all); Tomás at 50%: 200,000 + 50,000.
    assert "250,000.00" in page
    # ASC: 14% x (250,000 - 50% x 150,000) = 24,500.00
    assert "24,500.00" in page and 'data-testid="method-asc"' in page
    assert "Priya" in page and "substantially all" in page
    assert "<b>engine</b>" not in page and "&lt;b&gt;engine&lt;/b&gt;" in page


def test_form_6765_downloads_as_csv_and_json(client, session, sign_in, make_user, make_study) -> None:
    study, cpa, _ = _study_with_wages(session, make_user, make_study)
    sign_in(cpa)
    response = client.get(f"/studies/{study.slug}/credit/form-6765.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any(row[1] == "48" and row[-1] == "250000.00" for row in rows[1:])
    payload = json.loads(client.get(f"/studies/{study.slug}/credit/form-6765.json").get_data(as_text=True))
    assert payload["methods"]["asc"]["credit"] == "24500.00"
    assert client.get(f"/studies/{study.slug}/credit/form-6765.pdf").status_code == 404


def test_an_interviewer_cannot_see_the_credit(client, session, sign_in, make_user, make_study) -> None:
    study, _, interviewer = _study_with_wages(session, make_user, make_study)
    sign_in(interviewer)
    assert client.get(f"/studies/{study.slug}/credit").status_code == 403


def test_a_study_without_qres_shows_the_scoping_estimate(client, session, sign_in, make_user,
                                                         make_study) -> None:
    cpa = make_user(name="Carmen CPA")
    study = make_study(members={cpa: Role.CPA})
    sign_in(cpa)
    query = ("wages=2%2C000%2C000&sub_sector=ai_native_product_engineering"
             "&uncertain_outcome=yes&alternatives=yes&self_funded=yes&us_for_profit=no")
    page = client.get(f"/studies/{study.slug}/credit?{query}").get_data(as_text=True)
    assert 'data-testid="scoping-estimate"' in page and "Estimate" in page
    assert "24,000.00 to 80,000.00" in page and "96,000.00 to 320,000.00" in page
    assert "the work may not qualify" in page
    assert 'data-testid="four-years"' in page


def test_a_study_with_qres_shows_no_estimate_and_its_four_years(client, session, sign_in, make_user,
                                                                make_study) -> None:
    study, cpa, _ = _study_with_wages(session, make_user, make_study)
    sign_in(cpa)
    page = client.get(f"/studies/{study.slug}/credit").get_data(as_text=True)
    assert 'data-testid="scoping-estimate"' not in page
    for year in (2022, 2023, 2024, 2025):
        assert f"<td>{year}</td>" in page
