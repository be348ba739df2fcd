"""A live Fourpart server with the demo study, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from core import migrate
from core.db import Database
from core.settings import Settings
from tests.databases import in_ci

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings
    screenshots: Path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from core.blobstore import blob_store_from_settings
    from webapp.app import create_app
    from webapp.demo.loader import load_demo

    root = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{root / 'fourpart.db'}"
    migrate.upgrade(url)
    settings = Settings(instance_path=root / "instance", database_url=url,
                        storage_url=str(root / "evidence"), queue_url="immediate",
                        secret_key="browser-test-secret", rate_limit_storage_url="memory://",
                        login_rate_limit="1000 per minute")  # many sign-ins from one address
    db = Database(url)
    load_demo(db, blob_store_from_settings(settings), root / "demo-materials")
    server = make_server("127.0.0.1", 0, create_app(settings, db=db), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shots = Path(os.environ.get("FOURPART_SCREENSHOTS", root / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", settings, shots)
    server.shutdown()
    db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    if shutil.which("chromium") is None and in_ci():
        pytest.fail("chromium is not on PATH")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
