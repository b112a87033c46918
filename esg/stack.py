"""The whole demo (``python -m esg.demo``) in a subprocess on free ports, with its own runtime
folder and database: what the browser tests and the frontend benchmark run against.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from esg import nodes
from esg.manifest import Manifest, load_manifest
from esg.paths import PROJECT_ROOT

# Debian's Chromium (apt-get install chromium); Playwright drives it, never downloads one.
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
# The demo prints this once the API serves the indexed scenario.
READY = "[api] alice holds"


class StackError(RuntimeError):
    """The demo exited or did not come up in time."""


@dataclass
class Stack:
    """Where the running stack answers."""

    web: str
    api: str
    rpc: dict[int, str]
    manifest: Manifest
    log: Path


def launch_chromium(playwright):
    """Chromium from Debian under Playwright; launch() gives it a fresh temporary profile."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(log: Path, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while READY not in log.read_text(errors="replace"):
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:]
            raise StackError(f"the demo exited ({proc.returncode}):\n{tail}")
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:]
            raise StackError(f"the demo did not come up in {timeout:.0f}s:\n{tail}")
        time.sleep(0.5)


def demo_environment(home: Path, database_url: str) -> dict[str, str]:
    """The environment of a demo that shares nothing with another one on this machine: its own
    runtime folder, deployments and database, free ports, no metrics endpoints."""
    env = {k: v for k, v in os.environ.items() if k not in ("ESG_MANIFEST", "REDIS_URL")}
    env.update(
        ESG_HOME=str(home / "home"),
        ESG_DEPLOYMENTS=str(home / "deployments"),
        API_PORT=str(free_port()),
        WEB_PORT=str(free_port()),
        ORACLE_PORT=str(free_port()),
        INDEXER_METRICS_PORT="0",
        BRIDGE_VALIDATOR_METRICS_PORT="0",
        BRIDGE_RELAYER_METRICS_PORT="0",
        DATABASE_URL=database_url,
        **{p.port_env: str(free_port()) for p in nodes.PROFILES.values()},
    )
    return env


@contextlib.contextmanager
def demo_stack(home: Path, database_url: str, timeout: float = 600) -> Iterator[Stack]:
    """Run the demo under ``home`` on free ports until the block exits, then stop all of it.

    The node manager of this process is pointed at the same runtime folder and ports while the
    block runs, so ``esg.nodes`` calls here see the demo's nodes.
    """
    env = demo_environment(home, database_url)
    shared = ("ESG_HOME", *(p.port_env for p in nodes.PROFILES.values()))
    saved = {k: os.environ.get(k) for k in shared}
    os.environ.update({k: env[k] for k in shared})
    home.mkdir(parents=True, exist_ok=True)
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
        _wait_ready(log, proc, timeout)
        manifest = load_manifest(Path(env["ESG_DEPLOYMENTS"]) / "local.json")
        yield Stack(
            web=f"http://127.0.0.1:{env['WEB_PORT']}",
            api=f"http://127.0.0.1:{env['API_PORT']}",
            rpc={cid: c.rpc_urls[0] for cid, c in manifest.chains.items()},
            manifest=manifest,
            log=log,
        )
    finally:
        # SIGTERM makes the demo stop its services and nodes.
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
