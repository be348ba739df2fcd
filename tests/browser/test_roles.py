"""Each demo role signs in through a real browser and sees what its role allows."""

from __future__ import annotations

import pytest

from webapp.demo import company

# one worker runs them all: the live server, its demo study and the browser start once per run
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

DOMAIN = company.DEMO_EMAIL_DOMAIN
EVERY_MEMBER = {"Overview", "Evidence", "Narratives", "Readiness", "Jobs"}
TABS = EVERY_MEMBER | {"People and wages", "Credit", "GL review", "Package", "Members", "API tokens",
                       "Audit trail"}
EXPECTED_TABS = {
    "admin": TABS,
    "interviewer": EVERY_MEMBER,
    "engineer": EVERY_MEMBER | {"API tokens"},
    "cpa": EVERY_MEMBER | {"People and wages", "Credit", "GL review", "Package", "Audit trail"},
}


def sign_in(page, server, email: str, password: str = company.DEMO_PASSWORD) -> None:
    page.goto(f"{server.url}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.mark.parametrize("role", ["admin", "interviewer", "engineer", "cpa"])
def test_each_role_sees_its_study_and_its_tabs(page, live_server, role: str) -> None:
    sign_in(page, live_server, f"{role}@{DOMAIN}")
    assert page.locator("[data-testid=study-list]").inner_text().count("research credit study") == 1
    page.click("text=Lexbridge 2025 research credit study")
    assert page.locator("[data-testid=role]").inner_text().lower() == role
    tabs = {t.strip() for t in page.locator(".nav-tabs .nav-link").all_inner_texts()}
    assert tabs == EXPECTED_TABS[role]
    # The demo's four projects, plus any the interviewer's browser path added to this shared server.
    assert int(page.locator("[data-testid=project-count]").inner_text()) >= 4
    assert page.locator("[data-testid=projects-table]").inner_text().count("QuickBrief") == 1
    payroll_visible = page.locator("[data-testid=payroll-card]").count() == 1
    assert payroll_visible == (role in ("admin", "cpa"))
    page.screenshot(path=str(live_server.screenshots / f"overview-{role}.png"), full_page=True)


def test_outsider_sees_only_their_own_client(page, live_server) -> None:
    sign_in(page, live_server, f"outsider@{DOMAIN}")
    studies = page.locator("[data-testid=study-list]").inner_text()
    assert "Halvorsen" in studies and "Lexbridge" not in studies
    response = page.goto(f"{live_server.url}/studies/demo/")
    assert response.status == 404
    assert "Lexbridge" not in page.content()
    page.screenshot(path=str(live_server.screenshots / "outsider-404.png"))


def test_wrong_password_is_refused_without_a_hint(page, live_server) -> None:
    sign_in(page, live_server, f"admin@{DOMAIN}", "wrong password")
    assert page.locator(".alert-danger").inner_text() == "E-mail or password is incorrect."
    page.screenshot(path=str(live_server.screenshots / "sign-in-refused.png"))


def test_engineer_creates_a_token_shown_once(page, live_server) -> None:
    sign_in(page, live_server, f"engineer@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/tokens")
    page.fill("input[name=name]", "training pipeline")
    page.click("text=Create token")
    token = page.locator("[data-testid=new-token] .mono").inner_text()
    assert token.startswith("fp_")
    page.screenshot(path=str(live_server.screenshots / "token-created.png"), full_page=True)
    page.reload()
    assert token not in page.content()


def test_a_member_starts_a_job_and_watches_it_finish(page, live_server) -> None:
    sign_in(page, live_server, f"cpa@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/jobs")
    page.click("text=Verify every original's SHA-256")
    assert page.locator("[data-testid=job-status]").inner_text() == "succeeded"
    page.goto(f"{live_server.url}/studies/demo/jobs")
    assert "evidence.verify" in page.locator("[data-testid=jobs-table]").inner_text()
    page.screenshot(path=str(live_server.screenshots / "jobs.png"), full_page=True)


def test_interviewer_reads_a_project_with_its_failures_and_layers(page, live_server) -> None:
    sign_in(page, live_server, f"interviewer@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/")
    page.click("text=Forge — distributed fine-tuning infrastructure")
    assert page.locator("[data-testid=uncertainty]").count() == 1
    body = page.locator("main").inner_text()
    assert "DeepSpeed ZeRO-3 with CPU offload" in body and "failed" in body
    assert "qualifying engineering" in body
    page.screenshot(path=str(live_server.screenshots / "project-forge.png"), full_page=True)
    assert page.goto(f"{live_server.url}/studies/demo/people").status == 403


def test_cpa_sees_people_wages_and_foreign_work_flagged(page, live_server) -> None:
    sign_in(page, live_server, f"cpa@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/people")
    table = page.locator("[data-testid=employees-table]").inner_text()
    assert "Rohan Deshpande" in table and "$310,000" in table and "foreign" in table
    page.screenshot(path=str(live_server.screenshots / "people.png"), full_page=True)
