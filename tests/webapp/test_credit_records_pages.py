"""The credit page's 80% test, §174A/§174 split and refund statement; activity lines and manual expenses."""

from __future__ import annotations

from sqlalchemy import select

from studies.models import (
    ComponentActivity,
    Layer,
    LayerKind,
    QualifiedExpense,
    Role,
)
from tests.studies.credit_records import project_with_engineer


def _study(session, make_user, make_study):
    cpa = make_user(name="Carmen CPA")
    study = make_study(members={cpa: Role.CPA})
    study.amended_return = True
    project = project_with_engineer(session, study, wages=120_000, percent=50,
                                    information_sought="Whether hybrid retrieval cuts wrong citations")
    layer = Layer(study_id=study.id, project_id=project.id, kind=LayerKind.QUALIFYING_ENGINEERING,
                  name="custom retrieval")
    session.add(layer)
    session.commit()
    return study, cpa, project, layer


def test_activity_lines_feed_the_80_percent_test_shown_on_the_credit_page(
        client, session, sign_in, make_user, make_study, app) -> None:
    study, cpa, _, layer = _study(session, make_user, make_study)
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(cpa)
    url = f"/studies/{study.slug}/credit/components/chat"
    assert client.post(url, data={"action": "basis", "basis": "cost"}).status_code == 302
    client.post(url, data={"action": "propose"})
    # Experiments 45,000 in the custom layer; 15,000 routine configuration of a vendor model:
    # whole 45,000 / 60,000 = 75% fails; the custom layer alone 45,000 / 45,000 = 100% passes and is
    # 75% of the component, so 75% of Ana's 60,000 (45,000) counts.
    client.post(url, data={"action": "add", "label": "Retrieval experiments", "measure": "45000",
                           "experimentation": "1", "layer_id": str(layer.id), "source": "runs"})
    client.post(url, data={"action": "add", "label": "Vendor prompt setup", "measure": "15,000"})
    unconfirmed = select(ComponentActivity).where(ComponentActivity.confirmed_at.is_(None))
    proposed = session.scalars(unconfirmed).one()
    page = client.post(url, data={"action": f"delete:{proposed.id}"}, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "shrunk back to a subset" in page
    refused = client.post(url, data={"action": "add", "label": "", "measure": "lots"}).get_data(as_text=True)
    assert 'data-testid="activity-errors"' in refused and "not a number" in refused
    credit = client.get(f"/studies/{study.slug}/credit").get_data(as_text=True)
    assert 'data-testid="sa-chat"' in credit and "75.00%" in credit and "100.00%" in credit
    assert "45,000.00" in credit and "the custom retrieval layer" not in credit
    assert "the qualifying engineering custom retrieval" in credit


def test_manual_foreign_expense_refund_statement_and_174_split(
        client, session, sign_in, make_user, make_study, app) -> None:
    study, cpa, project, _ = _study(session, make_user, make_study)
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(cpa)
    url = f"/studies/{study.slug}/credit/expenses"
    client.post(url, data={"action": "add", "category": "computer_rental", "vendor": "GPU Cloud EU",
                           "amount": "30000", "qualified_share": "100", "country": "DE",
                           "project_id": str(project.id), "reference": "INV-1"})
    expense = session.scalars(select(QualifiedExpense)).one()
    assert (expense.country, expense.source_kind, expense.approved_by_id) == ("DE", "manual", cpa.id)
    credit = client.get(f"/studies/{study.slug}/credit").get_data(as_text=True)
    # Domestic: Ana's 60,000; foreign: the German cluster's 30,000, excluded from QREs.
    assert 'data-testid="section-174"' in credit and "60,000.00" in credit and "30,000.00" in credit
    assert "outside the United States (DE)" in credit
    assert 'data-testid="refund-statement"' in credit
    statement = client.get(f"/studies/{study.slug}/credit/refund-statement")
    text = statement.get_data(as_text=True)
    assert statement.status_code == 200 and "attachment" in statement.headers["Content-Disposition"]
    assert "Whether hybrid retrieval cuts wrong citations" in text and "Under penalties of perjury" in text
    assert "Total qualified wages: $60,000.00" in text
    study.amended_return = False
    session.commit()
    assert client.get(f"/studies/{study.slug}/credit/refund-statement?format=txt").status_code == 409
