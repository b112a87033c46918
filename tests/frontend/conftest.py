"""One demo stack per session for the browser tests: three local chains, the deployed ecosystem,
the scenario, the relayer, the indexer, the API and the web app (``python -m esg.demo``) on free
ports, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from api_helpers import drop_database, idx_helpers  # noqa: E402

from esg import nodes  # noqa: E402
from esg.manifest import Manifest, load_manifest  # noqa: E402
from esg.paths import PROJECT_ROOT  # noqa: E402
from indexer.devnet import free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# The flags of a quiet, throwaway headless browser (no network beyond the pages it opens).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FRONTEND = PROJECT_ROOT / "frontend"
DEMO_TIMEOUT = 600


@dataclass
class Stack:
    web: str
    api: str
    rpc: dict[int, str]
    manifest: Manifest
    log: Path


def _build_frontend() -> None:
    """Build the app unless the build is newer than every source file."""
    dist = FRONTEND / "dist" / "index.html"
    sources = [*FRONTEND.glob("src/**/*"), FRONTEND / "index.html", FRONTEND / "package-lock.json"]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    if dist.is_file() and dist.stat().st_mtime >= newest:
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to build the frontend (make install)")
    if not (FRONTEND / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True, capture_output=True)


def _wait_for(log: Path, proc: subprocess.Popen, marker: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text(errors="replace")
        if marker in text:
            return text
        if proc.poll() is not None:
            pytest.fail(f"the demo exited ({proc.returncode}):\n{text[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"the demo did not print {marker!r} in {timeout}s:\n{text[-4000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    _build_frontend()
    home = tmp_path_factory.mktemp("stack")
    env = {k: v for k, v in os.environ.items() if k not in ("ESG_MANIFEST", "REDIS_URL")}
    env.update(
        ESG_HOME=str(home / "home"),
        ESG_DEPLOYMENTS=str(home / "deployments"),
        ESG_BESU_PORT=str(free_port()),
        ESG_ETHEREUM_PORT=str(free_port()),
        ESG_POLYGON_PORT=str(free_port()),
        API_PORT=str(free_port()),
        WEB_PORT=str(free_port()),
        INDEXER_METRICS_PORT="0",
        DATABASE_URL=idx_helpers.new_database("front"),
    )
    saved = {
        k: os.environ.get(k) for k in ("ESG_HOME", *(p.port_env for p in nodes.PROFILES.values()))
    }
    # The node manager in this process looks at the same runtime folder and ports.
    for key in saved:
        os.environ[key] = env[key]
    log = home / "demo.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "esg.demo"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(log, proc, "[api] alice holds", DEMO_TIMEOUT)
        manifest = load_manifest(Path(env["ESG_DEPLOYMENTS"]) / "local.json")
        yield Stack(
            web=f"http://127.0.0.1:{env['WEB_PORT']}",
            api=f"http://127.0.0.1:{env['API_PORT']}",
            rpc={cid: c.rpc_urls[0] for cid, c in manifest.chains.items()},
            manifest=manifest,
            log=log,
        )
    finally:
        # The demo stops its services and nodes on SIGTERM.
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        nodes.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        drop_database(env["DATABASE_URL"])


@pytest.fixture(scope="session")
def browser(stack):
    """Chromium; it needs the stack first (Playwright's sync API keeps an asyncio loop running,
    so the stack's database set-up and tear-down run outside it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives every run a fresh temporary user-data dir.
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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
