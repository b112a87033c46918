"""``make demo`` end to end: three local chains, the deployed ecosystem, the scenario, the bridge
round trip through three validators (threshold two, one of them stopped halfway) and the
relayer, the indexer and the API — then everything stops again.

Runs ``python -m esg.demo --once`` in its own runtime folder, on free ports, with its own fresh
database on the embedded PostgreSQL, so it never touches a demo a user is running.
"""

import os
import re
import subprocess
import sys

import pytest

from esg import nodes
from esg.paths import PROJECT_ROOT
from esg.stack import demo_environment
from tests.support.indexing import new_database
from tests.support.processes import run_module


@pytest.fixture
def demo_env(tmp_path, monkeypatch):
    """The environment of a demo of its own: a fresh runtime folder and database, every chain
    profile, service and oracle on a free port, the metrics servers on none."""
    # The database is made before ESG_HOME moves: it lives on the server this run already uses.
    env = demo_environment(tmp_path, new_database("demo"))
    # The node manager in this process looks at the same runtime folder and ports.
    for key in ("ESG_HOME", *(p.port_env for p in nodes.PROFILES.values())):
        monkeypatch.setenv(key, env[key])
    yield env
    nodes.stop()  # whatever happened, no node of this test outlives it


def test_demo_brings_everything_up_and_stops(demo_env):
    run = run_module("esg.demo", "--once", cwd=PROJECT_ROOT, env=demo_env, timeout=900)
    out = run.stdout
    assert run.returncode == 0, out[-4000:] + run.stderr[-4000:]
    for chain_id in (2025, 31337, 31338):
        assert f"chain {chain_id}: deploying the ecosystem and its bridge" in out
    assert "GOV  proposal" in out and "executed through the timelock" in out
    assert "3 bridge validators, the relayer, indexer, api, web, oracle started" in out
    assert (
        "polygon] chain 31338: deploying the ecosystem and its bridge (child of chain 2025)" in out
    )
    assert out.count("arrived after") == 5
    before, after = out.split("validator3 stopped", 1)
    assert before.count("arrived after") == 3 and after.count("arrived after") == 2
    assert "chain 31338 -> 2025: arrived after" in after
    summary = next(line for line in out.splitlines() if line.startswith("[api] alice holds"))
    for token in ("CCR", "ECR", "EGM", "EST", "GST"):
        assert token in summary
    assert re.search(r"ECS score \[\d{4}\]", summary) and "1 certificate(s)" in summary
    # CCR batch 1 went from the root chain to polygon: the child chain lists its copy.
    batches = next(line for line in out.splitlines() if line.startswith("[api] carbon batches"))
    assert "chain 31338: 1 (1 bridged)" in batches and "chain 2025: 2 (0 bridged)" in batches
    # The scores, rewards and audit came from evidence through the oracle.
    assert (
        out.count("ORC  ") == 3 and "ECT for bike_commute" in out and "AET  audit of esg-rf-" in out
    )
    assert "alice signed in with SIWE" in out and "approved case" in out
    (line,) = [x for x in out.splitlines() if "alice's new ECS score" in x]
    assert "score None" not in line
    assert not any(s.running for s in nodes.status().values())


def test_demo_restarts_a_killed_indexer_and_keeps_the_chain(demo_env):
    """kill -9 of the indexer under ``make demo``: the supervisor restarts it, the chain and the
    API stay up; SIGTERM then stops everything."""
    import json
    import signal
    import threading
    import time

    import httpx

    from esg.paths import runtime_dir

    demo = subprocess.Popen(
        [sys.executable, "-m", "esg.demo", "--profiles", "ethereum"],
        cwd=PROJECT_ROOT,
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(demo.stdout), daemon=True)
    reader.start()

    def wait_for(text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in lines):
            assert demo.poll() is None, "".join(lines)[-4000:]
            assert time.monotonic() < deadline, f"no {text!r} in:\n" + "".join(lines)[-4000:]
            time.sleep(0.2)

    api = f"http://127.0.0.1:{demo_env['API_PORT']}"
    try:
        wait_for("(the indexer follows all chains live", 600)
        node = nodes.status()["ethereum"]
        pid = json.loads((runtime_dir() / "services.json").read_text())["indexer"]["pid"]
        os.kill(pid, signal.SIGKILL)
        wait_for(f"[supervisor] indexer (pid {pid}) killed by SIGKILL", 30)
        wait_for("[supervisor] indexer restarted", 30)
        # The chain kept running (same process, same blocks) and the API still answers.
        after = nodes.status()["ethereum"]
        assert after.running and after.pid == node.pid and after.block >= node.block
        chains = httpx.get(f"{api}/api/v1/chains", timeout=5).json()["items"]
        assert [c["chain_id"] for c in chains] == [31337]
        new_pid = json.loads((runtime_dir() / "services.json").read_text())["indexer"]["pid"]
        assert new_pid != pid and new_pid is not None
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(60) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(10)
    reader.join(5)
    assert "stopping ..." in "".join(lines)
    assert not any(s.running for s in nodes.status().values())
