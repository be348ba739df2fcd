"""The interviewer's path in a real browser: a new project from its sub-sector, its uncertainty and
experiments, the interview with autosave, the draft, an edit, review, and approval by another."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_roles import sign_in
from webapp.demo import company

# one worker runs them all: the live server, its demo study and the browser start once per run
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

DOMAIN = company.DEMO_EMAIL_DOMAIN
PROJECT = "ClauseGraph — clause linking"
ANSWER = "Dense only, hybrid with reciprocal-rank fusion, and ColBERT late interaction."
QUOTE = "Dense retrieval alone kept missing statute citations."
ADDED = "The team measured every alternative against the same statute benchmark."


def shot(page, server, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(server.screenshots / f"interviewer-path-{name}.png"), full_page=full_page)


def answer_with_autosave(page, server) -> None:
    answer = page.locator("textarea[name='answer-ain.rag_alternatives']")
    answer.fill(ANSWER)
    page.locator("textarea[name='quote-ain.rag_alternatives']").fill(QUOTE)
    status = page.locator("[data-testid=autosave-status]")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=30_000)  # a busy CI machine
    expect(page.locator("[data-status-for='ain.rag_alternatives']")).to_contain_text("Saved at")
    shot(page, server, "1-autosaved", full_page=False)  # the sticky "Saved at" bar as the person sees it
    page.reload()  # what the page shows now came from the database: autosave really saved it
    expect(page.locator("textarea[name='answer-ain.rag_alternatives']")).to_have_value(ANSWER)
    expect(page.locator("textarea[name='quote-ain.rag_alternatives']")).to_have_value(QUOTE)


def create_project_with_its_experiments(page, server) -> None:
    page.goto(f"{server.url}/studies/demo/")
    page.click("[data-testid=new-project]")
    page.click("[data-testid=choose-ai_native_product_engineering]")
    page.fill("input[name=code]", "clausegraph")
    page.fill("input[name=name]", PROJECT)
    page.fill("input[name=start_date]", "2025-03-01")
    page.fill("input[name=end_date]", "2025-09-30")
    page.click("[data-testid=project-form] >> text=Save")
    expect(page.locator(".alert-success")).to_contain_text(f"Project {PROJECT} is created")
    page.click("[data-testid=add-uncertainty]")
    page.select_option("select[name=kind]", "method")
    page.fill("textarea[name=statement]", "Whether clauses can be linked across 40-page contracts at 0.9 F1.")
    page.fill("input[name=identified_on]", "2025-03-03")
    page.click("text=Save")
    expect(page.locator("[data-testid=uncertainty]")).to_contain_text("identified 2025-03-03")
    for name, outcome, started in (("Rule-based linker", "failed", "2025-03-10"),
                                   ("Graph neural linker", "succeeded", "2025-05-02")):
        page.click("[data-testid=add-experiment]")
        page.fill("input[name=name]", name)
        page.select_option("select[name=outcome]", outcome)
        page.fill("input[name=started_on]", started)
        page.click("text=Save")
        expect(page.locator("[data-testid=uncertainty]")).to_contain_text(name)
    shot(page, server, "0-project")


def test_interview_draft_edit_review_and_approval_by_a_second_user(page, live_server) -> None:
    sign_in(page, live_server, f"interviewer@{DOMAIN}")
    create_project_with_its_experiments(page, live_server)
    page.click("[data-testid=project-narrative-links] >> text=Interviews")
    page.fill("input[name=interviewee_name]", "Priya Raman")
    page.fill("input[name=interviewee_role]", "Staff ML engineer")
    page.fill("input[name=held_on]", "2025-11-04")
    page.click("text=Start the interview")
    expect(page.locator("h2")).to_have_text("Interview with Priya Raman")
    answer_with_autosave(page, live_server)

    page.click("[data-testid=draft-narratives]")
    expect(page.locator(".alert-success")).to_contain_text("Process of experimentation: drafted as version 1")
    shot(page, live_server, "2-drafted")
    page.click("[data-testid=prong-card-process_of_experimentation] >> text=Process of experimentation")
    rendered = page.locator("[data-testid=narrative-rendered]")
    expect(rendered).to_contain_text(ANSWER)
    expect(rendered).to_contain_text("Priya Raman, Staff ML engineer, interviewed 2025-11-04")

    source = page.locator("textarea[name=markdown]")
    source.fill(source.input_value() + "\n" + ADDED + "\n")
    page.fill("input[name=note]", "Say how the alternatives were measured")
    page.click("[data-testid=preview]")
    expect(page.locator("text=Preview of your unsaved text")).to_be_visible()
    expect(rendered).to_contain_text(ADDED)
    page.click("[data-testid=save-version]")
    expect(page.locator(".alert-success")).to_have_text("Saved as version 2, a draft.")
    shot(page, live_server, "3-edited")

    page.click("text=changes from v1")
    expect(page.locator("[data-testid=diff] ins").last).to_contain_text(ADDED)
    shot(page, live_server, "4-diff")
    page.go_back()

    page.click("[data-testid=send-for-review]")
    expect(page.locator("[data-testid=narrative-state]")).to_have_text("in review")
    expect(page.locator("[data-testid=cannot-self-approve]")).to_be_visible()
    expect(page.locator("[data-testid=approve]")).to_have_count(0)
    shot(page, live_server, "5-in-review")
    narrative_url = page.url

    page.click("text=Sign out")
    sign_in(page, live_server, f"admin@{DOMAIN}")
    page.goto(narrative_url)
    page.click("[data-testid=approve]")
    expect(page.locator(".alert-success")).to_contain_text("Version 2 is approved")
    expect(page.locator("[data-testid=narrative-state]")).to_have_text("approved")
    expect(page.locator("[data-testid=approved-version]")).to_contain_text("approved by Avery Admin")
    shot(page, live_server, "6-approved")
    page.click(".nav-tabs >> text=Narratives")
    row = page.locator("[data-testid=narratives-table] tr", has_text=PROJECT)
    expect(row.locator("[data-testid=narrative-state]")).to_have_text(["draft", "draft", "draft", "approved"])
    shot(page, live_server, "7-study-narratives")


ATTACK = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"


def test_typed_script_and_html_never_run(page, live_server) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, f"interviewer@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/projects/quickbrief/interviews")  # no narrative yet
    page.fill("input[name=interviewee_name]", "<img src=x onerror=alert(4)>")
    page.fill("input[name=interviewee_role]", "<script>alert(5)</script>")
    page.fill("input[name=held_on]", "2025-10-01")
    page.click("text=Start the interview")
    page.locator("textarea[name='answer-pp.component']").fill(ATTACK)
    expect(page.locator("[data-testid=autosave-status]")).to_have_text(re.compile(r"^Saved at"))
    page.reload()
    expect(page.locator("h2")).to_have_text("Interview with <img src=x onerror=alert(4)>")
    page.click("[data-testid=draft-narratives]")
    page.click("[data-testid=prong-card-permitted_purpose] >> text=Permitted purpose")
    rendered = page.locator("[data-testid=narrative-rendered]")
    expect(rendered).to_contain_text("<script>alert(1)</script> <img src=x onerror=alert(2)>")
    page.fill("textarea[name=markdown]", ATTACK)
    page.click("[data-testid=save-version]")
    expect(rendered).to_contain_text("<script>alert(1)</script>")
    assert rendered.locator("script, img, [onerror]").count() == 0
    link = rendered.locator("a", has_text="click")
    if link.count():
        assert link.get_attribute("href") is None
        link.click()
    page.click("text=changes from v1")
    expect(page.locator("[data-testid=diff]")).to_contain_text("<script>alert(1)</script>")
    shot(page, live_server, "8-inert-diff")
    assert dialogs == []
