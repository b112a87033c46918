"""Frontend figures on the demo (a benchmark, not a test): bundle size of the first route,
first meaningful paint of the account page, and "mined" to "indexed" as the page shows it.
Takes screenshots of every page on the way.

    make bench-frontend
    .venv/bin/python benchmarks/frontend_bench.py [--runs 15] [--retirements 8] [--shots docs/frontend]

Everything runs on this machine: the demo stack (three anvil chains, relayer, indexer, API, web
server) and Debian's Chromium, so write the load average printed beside each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import re
import statistics
import tempfile
import uuid
from pathlib import Path

from esg.database import drop_database, embedded_url, ensure_database, with_database
from esg.paths import PROJECT_ROOT
from esg.stack import demo_stack, launch_chromium

DIST = PROJECT_ROOT / "frontend" / "dist"
BESU = 2025
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
# Records when the account page first shows its balances (the meaningful part of the page).
MEANINGFUL = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid=balance]')) {
    window.__meaningful = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def route_js(page, url: str) -> list[Path]:
    """The JS files the browser fetches to show `url` (entry, preloads and lazy chunks)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.resource_type == "script" else None)
    page.goto(url, wait_until="networkidle")
    files = [
        DIST / "assets" / m.group(1) for u in seen if (m := re.search(r"/assets/([^/?]+\.js)", u))
    ]
    return sorted(set(files))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bundle_figures(browser, web: str) -> None:
    for name, path in (("first route (/)", "/"), ("account page", f"/account/{ALICE}")):
        context = browser.new_context()
        files = route_js(context.new_page(), web + path)
        context.close()
        total = sum(gzipped(f) for f in files)
        raw = sum(f.stat().st_size for f in files)
        print(
            f"JS of the {name}: {total / 1000:.1f} kB gzipped ({raw / 1000:.1f} kB raw, {len(files)} files)  [{load()}]"
        )


def paint_figures(browser, web: str, runs: int) -> None:
    cold, warm, fcp = [], [], []
    for _ in range(runs):
        context = browser.new_context()
        context.add_init_script(MEANINGFUL)
        page = context.new_page()
        for bucket in (cold, warm):  # a fresh browser cache, then the same page again
            page.goto(f"{web}/account/{ALICE}")
            page.wait_for_function("window.__meaningful !== undefined", timeout=30_000)
            bucket.append(page.evaluate("window.__meaningful"))
            if bucket is cold:
                fcp.append(
                    page.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"
                    )
                )
        context.close()
    for name, values in (("cold", cold), ("warm", warm)):
        print(
            f"account page meaningful ({name} cache, {runs} loads): median {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 95):.0f} ms  [{load()}]"
        )
    print(f"first contentful paint (cold): median {statistics.median(fcp):.0f} ms  [{load()}]")


def connect(page, name: str) -> None:
    page.get_by_role("button", name="Connect wallet").click()
    page.get_by_role("menuitem", name=name).click()
    page.get_by_test_id("wallet-address").wait_for()


def indexing_figures(browser, web: str, retirements: int, shots: Path | None) -> str:
    """Retire credits from the page `retirements` times; returns the last certificate's path."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{web}/act?action=retire&chain={BESU}&batch=1")
    connect(page, "alice")
    times, href = [], ""
    for i in range(retirements):
        page.fill("input[name=amount]", "1")
        page.fill("input[name=message]", f"Benchmark retirement {i + 1}")
        page.get_by_test_id("submit-action").click()
        done = page.locator("[data-testid=action-progress][data-phase=indexed]")
        done.wait_for(timeout=90_000)
        times.append(int(page.get_by_test_id("mined-to-indexed-ms").get_attribute("data-ms")))
        href = page.get_by_test_id("action-result").get_attribute("href")
    if shots:
        page.screenshot(path=shots / "act-retire.png", full_page=True)
    context.close()
    print(
        f"mined -> indexed shown on the page ({retirements} retirements): median "
        f"{statistics.median(times)} ms, max {max(times)} ms  [{load()}]"
    )
    return href


def screenshots(browser, web: str, shots: Path, certificate: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    pages = {
        "overview": ("/", "[data-testid=tokens]"),
        "account": (f"/account/{ALICE}", "[data-testid=score-chart] svg"),
        "carbon": ("/carbon", "[data-testid=retirements]"),
        "governance": ("/governance", "[data-testid=proposal]"),
        "ai-ethics": ("/ai-ethics", "[data-testid=audit]"),
        "certificate": (certificate, "[data-testid=certificate]"),
    }
    for name, (path, ready) in pages.items():
        page.goto(web + path)
        page.locator(ready).first.wait_for()
        if name == "certificate":
            page.get_by_test_id("verify").click()
            page.get_by_test_id("verdict").wait_for()
        page.wait_for_timeout(500)  # charts animate in
        page.screenshot(path=shots / f"{name}.png", full_page=True)
    context.close()
    print(f"screenshots in {shots}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/frontend_bench.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=15, help="account page loads")
    parser.add_argument("--retirements", type=int, default=8, help="retirements timed")
    parser.add_argument("--shots", type=Path, default=None, help="folder for page screenshots")
    args = parser.parse_args(argv)
    if not (DIST / "index.html").is_file():
        raise SystemExit("frontend/dist is missing: run `make frontend` first")
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    print(f"before start  [{load()}]")
    url = with_database(embedded_url(), f"frontend_bench_{uuid.uuid4().hex[:8]}")
    asyncio.run(ensure_database(url))
    try:
        with tempfile.TemporaryDirectory() as home, demo_stack(Path(home), url) as stack:
            print(f"demo up at {stack.web}  [{load()}]")
            with sync_playwright() as p:
                browser = launch_chromium(p)
                bundle_figures(browser, stack.web)
                paint_figures(browser, stack.web, args.runs)
                certificate = indexing_figures(browser, stack.web, args.retirements, args.shots)
                if args.shots:
                    screenshots(browser, stack.web, args.shots, certificate)
                browser.close()
    finally:
        asyncio.run(drop_database(url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
