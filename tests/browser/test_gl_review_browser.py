"""The CPA's GL review in a real browser: accounts by score, an account's lines, keyboard decisions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_roles import sign_in
from webapp.demo import company

# one worker runs them all: the live server, its demo study and the browser start once per run
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

DOMAIN = company.DEMO_EMAIL_DOMAIN
POSITIVE = r"^\d[\d,]*\.\d\d$"


def shot(page, server, name: str) -> None:
    page.screenshot(path=str(server.screenshots / f"gl-review-{name}.png"), full_page=True)


def _undecided_expense_rows(page):
    rows = page.locator("tr.gl-line").filter(has=page.locator("[data-testid=gl-line-decision]",
                                                                has_text="undecided"))
    return rows.filter(has=page.locator("td.mono", has_text=re.compile(POSITIVE)))


def test_a_cpa_reviews_an_account_with_the_keyboard(page, live_server) -> None:
    sign_in(page, live_server, f"cpa@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/")
    page.click("text=GL review")
    expect(page.locator("[data-testid=gl-import-row]")).to_have_count(1)
    page.click("text=lexbridge_gl_2025.csv")
    accounts = page.locator("[data-testid=gl-account-row]")
    expect(accounts.first).to_be_visible()
    expect(page.locator("[data-testid=gl-blind-badge]").first).to_be_visible()  # the demo's blind share
    for blind in page.locator("tr.gl-blind [data-testid=gl-account-score]").all():
        assert blind.inner_text() == "hidden"
    shot(page, live_server, "1-accounts")
    page.locator("tr[data-testid=gl-account-row]:not(.gl-blind)[data-account^='6'] a").first.click()
    expect(page.locator("[data-testid=gl-keys]")).to_contain_text("q qualified")

    page.select_option("[data-testid=gl-category]", "computer_rental")
    citerag = page.locator("[data-testid=gl-project] option", has_text="citerag ·").get_attribute("value")
    page.select_option("[data-testid=gl-project]", citerag)
    target = _undecided_expense_rows(page).first
    line_id = target.get_attribute("data-line")
    target.locator("td").nth(2).click()  # the row becomes the current line (and the select loses focus)
    page.keyboard.press("q")
    decided = page.locator(f"tr[data-line='{line_id}'] [data-testid=gl-line-decision]")
    expect(decided).to_contain_text("qualified")
    expect(decided).to_contain_text("computer rental · 100% · citerag")
    expect(decided).to_contain_text("Carmen CPA")

    rows = _undecided_expense_rows(page)
    first, second = rows.nth(0).get_attribute("data-line"), rows.nth(1).get_attribute("data-line")
    rows.nth(0).locator("td").nth(2).click()
    page.keyboard.press("x")
    page.locator(f"tr[data-line='{second}'] td").nth(2).click()
    page.keyboard.press("x")
    page.keyboard.press("n")
    for line in (first, second):
        expect(page.locator(f"tr[data-line='{line}'] [data-testid=gl-line-decision]")).to_contain_text(
            "not qualified")

    page.fill("[data-testid=gl-share]", "150")
    _undecided_expense_rows(page).first.locator("td").nth(2).click()
    page.keyboard.press("q")
    expect(page.locator("[data-error-for=share]")).to_have_text(
        "the qualified share must be above 0 and at most 100 percent")
    shot(page, live_server, "2-account")

    page.reload()  # what the page shows now comes from the database
    expect(page.locator(f"tr[data-line='{line_id}'] [data-testid=gl-line-decision]")).to_contain_text(
        "computer rental · 100% · citerag")
    expect(page.locator(f"tr[data-line='{first}'] [data-testid=gl-line-decision]")).to_contain_text(
        "not qualified")
    page.click("[data-testid=gl-queue-link]")
    expect(page.locator("h2")).to_contain_text("lexbridge_gl_2025.csv")
    shot(page, live_server, "3-queue")


def test_an_admin_finds_the_scoring_models_and_their_curves(page, live_server) -> None:
    sign_in(page, live_server, f"admin@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/gl")
    page.click("[data-testid=gl-models-link]")
    active = page.locator("tr[data-testid=model-version]", has=page.locator("[data-testid=model-active]"))
    expect(active).to_have_count(1)
    expect(active).to_contain_text("0.9")  # ROC AUCs, cross-validated / held-out
    for kind in ("expense", "account"):
        chart = page.locator(f"[data-model={kind}] svg")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
    expect(page.locator("[data-testid=model-retrain]")).to_be_visible()
    shot(page, live_server, "4-models")
