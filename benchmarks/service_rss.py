"""Resident memory of each service of ``make demo``, the figures behind the Kubernetes requests
and limits (deploy/kubernetes/base, docs/operations.md).

    python benchmarks/service_rss.py [--load-seconds 60]

Runs ``python -m esg.demo`` in a runtime folder of its own, on free ports, with its own database
(on DATABASE_URL's server, else the embedded one); once the demo prints its first API answer,
drives the API with the staged load test (``python -m benchmarks.loadtest``, short stages) while it
samples every service's RSS once a second (the PIDs from the supervisor's services.json, worker
processes included); then stops the demo with SIGTERM, drops its database and folder, and prints,
per service, the RSS at rest, the highest RSS seen and the kernel's peak (VmHWM), with the load
average beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return out


def status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()
    import asyncio

    from esg.database import drop_database, embedded_url, ensure_database, with_database

    home = Path(tempfile.mkdtemp(prefix="esg-rss-"))
    server = os.environ.get("DATABASE_URL") or embedded_url()
    database = with_database(server, f"rss_{uuid.uuid4().hex[:8]}")
    asyncio.run(ensure_database(database))
    api_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("ESG_MANIFEST", "REDIS_URL")},
        "ESG_HOME": str(home),
        "ESG_DEPLOYMENTS": str(home / "deployments"),
        "ESG_BESU_PORT": str(free_port()),
        "ESG_ETHEREUM_PORT": str(free_port()),
        "ESG_POLYGON_PORT": str(free_port()),
        "API_PORT": str(api_port),
        "INDEXER_METRICS_PORT": "0",
        "DATABASE_URL": database,
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "esg.demo"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    ready = threading.Event()

    def read() -> None:
        for line in demo.stdout:
            if line.startswith("[api] alice holds"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(900):
        demo.send_signal(signal.SIGTERM)
        print("the demo did not come up; see", home)
        return 1
    pids = {n: s["pid"] for n, s in json.loads((home / "services.json").read_text()).items()}
    at_rest = {n: sum(status_kb(p, "VmRSS") for p in tree(pid)) for n, pid in pids.items()}
    load = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.loadtest", "--url", f"http://127.0.0.1:{api_port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    highest = dict(at_rest)
    peak: dict[str, int] = {}
    deadline = time.monotonic() + args.load_seconds
    while time.monotonic() < deadline:
        for name, pid in pids.items():
            procs = tree(pid)
            highest[name] = max(highest[name], sum(status_kb(p, "VmRSS") for p in procs))
            peak[name] = max(status_kb(p, "VmHWM") for p in procs)
        time.sleep(1)
    load.terminate()
    load.wait(30)
    loadavg = os.getloadavg()
    demo.send_signal(signal.SIGTERM)
    demo.wait(120)
    asyncio.run(drop_database(database))
    shutil.rmtree(home, ignore_errors=True)
    print(f"load average {loadavg[0]:.2f} {loadavg[1]:.2f} {loadavg[2]:.2f}")
    print(f"{'service':10} {'at rest':>10} {'highest':>10} {'VmHWM':>10}")
    for name in pids:
        print(
            f"{name:10} {at_rest[name] / 1024:8.0f} MB {highest[name] / 1024:8.0f} MB"
            f" {peak.get(name, 0) / 1024:8.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
