"""Evidence in a real browser: drop a file and a folder, watch the job, read what was extracted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_roles import sign_in
from tests.evidence.runs.builders import START_MS, write_experiment, write_run
from webapp.demo import company

# one worker runs them all: the live server, its demo study and the browser start once per run
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

DOMAIN = company.DEMO_EMAIL_DOMAIN
DROP_FILE = """() => {
  const transfer = new DataTransfer();
  transfer.items.add(new File(["# Retrieval notes\\n\\nHybrid RRF beat dense-only on statutes.\\n"],
                              "dropped-notes.md", {type: "text/markdown"}));
  return transfer;
}"""


def small_mlruns(root: Path) -> Path:
    experiment = write_experiment(root / "mlruns", "7", "browser-upload")
    lines = [f"{START_MS + step * 1000} {1.0 / (step + 1)} {step}\n" for step in range(6)]
    write_run(experiment, "c" * 32, name="lr-3e-4", metrics={"loss": "".join(lines)}, params={"lr": "3e-4"})
    write_run(experiment, "d" * 32, name="lr-1e-2", status=4, metrics={"loss": "".join(lines[:3])},
              params={"lr": "1e-2"})
    return root / "mlruns"


def test_an_engineer_drops_a_file_and_a_folder_and_reads_the_result(page, live_server, tmp_path) -> None:
    sign_in(page, live_server, f"engineer@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/evidence")
    page.click("[data-testid=upload-link]")
    page.locator("[data-testid=drop-zone][data-ready=true]").wait_for()  # the deferred script has run
    page.dispatch_event("[data-testid=drop-zone]", "drop", {"dataTransfer": page.evaluate_handle(DROP_FILE)})
    page.locator("[data-testid=chosen-files]").get_by_text("dropped-notes.md").wait_for()
    page.set_input_files("[data-testid=folder-input]", small_mlruns(tmp_path))
    page.locator("[data-testid=chosen-files]").get_by_text("8 files").wait_for()
    chosen = page.locator("[data-testid=chosen-files]").inner_text()
    assert "dropped-notes.md" in chosen and f"mlruns/7/{'c' * 32}/meta.yaml" in chosen
    page.screenshot(path=str(live_server.screenshots / "evidence-upload.png"), full_page=True)

    page.click("#upload-submit")
    page.wait_for_url("**/jobs/*")
    assert page.locator("[data-testid=job-status]").inner_text() == "succeeded"
    ingested = page.locator("[data-testid=ingested-artifacts]").inner_text()
    assert "dropped-notes.md" in ingested and "mlruns" in ingested and "2 runs (1 failed)" in ingested
    page.screenshot(path=str(live_server.screenshots / "evidence-job.png"), full_page=True)

    page.click("[data-testid=ingested-artifacts] a:text('mlruns')")
    assert page.locator("[data-testid=run-row]").count() == 2
    assert page.locator(".run-status-failed").count() == 1
    assert page.locator("[data-testid=run-charts] svg").count() == 1
    page.screenshot(path=str(live_server.screenshots / "evidence-run-log.png"), full_page=True)

    page.goto(f"{live_server.url}/studies/demo/evidence?kind=document")
    assert "dropped-notes.md" in page.locator("[data-testid=artifact-table]").inner_text()
    page.screenshot(path=str(live_server.screenshots / "evidence-list.png"), full_page=True)


def test_the_upload_form_works_without_javascript(browser, live_server, tmp_path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        notes = tmp_path / "no-script-notes.txt"
        notes.write_text("Uploaded with JavaScript switched off.\n", encoding="utf-8")
        sign_in(page, live_server, f"interviewer@{DOMAIN}")
        page.goto(f"{live_server.url}/studies/demo/evidence/upload")
        page.set_input_files("[data-testid=file-input]", notes)
        page.click("#upload-submit")
        assert page.locator("[data-testid=job-status]").inner_text() == "succeeded"
        page.click("[data-testid=ingested-artifacts] a:text('no-script-notes.txt')")
        preview = page.locator("[data-testid=text-preview]").inner_text()
        assert "Uploaded with JavaScript switched off." in preview
    finally:
        context.close()


def test_a_folder_too_large_is_refused_before_it_is_sent(page, live_server, tmp_path) -> None:
    sign_in(page, live_server, f"engineer@{DOMAIN}")
    page.goto(f"{live_server.url}/studies/demo/evidence/upload")
    page.eval_on_selector("#evidence-upload", "form => { form.dataset.maxBytes = '10'; }")
    notes = tmp_path / "eleven-bytes.txt"
    notes.write_text("0123456789\n", encoding="utf-8")
    page.set_input_files("[data-testid=file-input]", notes)
    error = page.locator("[data-testid=upload-error]")
    assert "over the" in error.inner_text() and "smaller batches" in error.inner_text()
    page.click("#upload-submit")
    assert "/evidence/upload" in page.url
