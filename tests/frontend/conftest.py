"""One demo stack for the browser tests (test_browser.py): three local chains, the deployed ecosystem,
the scenario, the relayer, the indexer, the API and the web app (``python -m esg.demo``) on free
ports, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from esg.paths import PROJECT_ROOT
from esg.stack import CHROMIUM, StackError, demo_stack, launch_chromium
from tests.support.indexing import drop_database, new_database

FRONTEND = PROJECT_ROOT / "frontend"


def _build_frontend() -> None:
    """Build the app unless the build is newer than every source file."""
    dist = FRONTEND / "dist" / "index.html"
    sources = [
        *FRONTEND.glob("src/**/*"),
        FRONTEND / "index.html",
        FRONTEND / "package-lock.json",
        FRONTEND / "openapi.json",
    ]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    if dist.is_file() and dist.stat().st_mtime >= newest:
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to build the frontend (make install)")
    if not (FRONTEND / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True, capture_output=True)


# Module-scoped: Playwright's sync API runs an asyncio loop while the browser is open, so the
# browser must be closed before the next module's tests call asyncio.run.
@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    _build_frontend()
    url = new_database("front")
    try:
        with demo_stack(tmp_path_factory.mktemp("stack"), url) as running:
            yield running
    except StackError as exc:
        pytest.fail(str(exc))
    finally:
        drop_database(url)


@pytest.fixture(scope="module")
def browser(stack):
    """Chromium; it needs the stack first (Playwright's sync API keeps an asyncio loop running,
    so the stack's database set-up and tear-down run outside it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (empty storage: no wallet connected) and page per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
