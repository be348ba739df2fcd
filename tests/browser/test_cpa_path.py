"""The CPA's path in a real browser: read the readiness findings, see a final refused over them,
build the draft package as a job, download the PDF and the ZIP, and verify the ZIP."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from narratives.package.verify import verify_zip
from tests.browser.test_roles import sign_in
from webapp.demo import company

# one worker runs them all: the live server, its demo study and the browser start once per run
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_cpa_reads_findings_builds_downloads_and_verifies(page, live_server, tmp_path: Path) -> None:
    sign_in(page, live_server, f"cpa@{company.DEMO_EMAIL_DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/readiness")
    findings = page.locator("[data-testid=finding]")
    expect(findings.filter(has_text="QuickBrief")).to_have_count(1)
    assert page.locator("[data-check=wrapper-charged]").count() == 1

    page.click(".nav-tabs >> text=Package")
    page.check("input[value=final]")
    page.click("[data-testid=build-form] >> text=Build")
    expect(page.locator(".alert-danger")).to_contain_text("blocking")

    page.check("input[value=draft]")
    page.click("[data-testid=build-form] >> text=Build")
    expect(page.locator("body")).to_contain_text("succeeded", timeout=120_000)
    page.click(".nav-tabs >> text=Package")
    row = page.locator("[data-testid=packages-table] tbody tr").first
    expect(row).to_contain_text("draft")
    page.screenshot(path=str(live_server.screenshots / "cpa-path-packages.png"), full_page=True)

    downloaded = {}
    for kind in ("PDF", "ZIP"):
        with page.expect_download() as info:
            row.get_by_role("link", name=kind, exact=True).click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        downloaded[kind] = target
    reader = PdfReader(downloaded["PDF"])
    assert len(reader.pages) > 10 and "Lexbridge" in reader.pages[0].extract_text()
    verification = verify_zip(downloaded["ZIP"])
    assert verification.ok, verification.problems
