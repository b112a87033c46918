"""``make demo`` end to end: three local chains, the deployed ecosystem, the scenario, the bridge
round trip through the relayer, the indexer and the API — then everything stops again.

Runs ``python -m esg.demo --once`` in its own runtime folder, on free ports, with its own fresh
database on the embedded PostgreSQL, so it never touches a demo a user is running.
"""

import os
import subprocess
import sys

import pytest

from esg import nodes
from esg.paths import PROJECT_ROOT
from tests.support.indexing import free_port, new_database


@pytest.fixture
def demo_env(tmp_path, monkeypatch):
    env = {k: v for k, v in os.environ.items() if k not in ("ESG_MANIFEST", "REDIS_URL")}
    env.update(
        ESG_HOME=str(tmp_path / "home"),
        ESG_DEPLOYMENTS=str(tmp_path / "deployments"),
        ESG_BESU_PORT=str(free_port()),
        ESG_ETHEREUM_PORT=str(free_port()),
        ESG_POLYGON_PORT=str(free_port()),
        API_PORT=str(free_port()),
        INDEXER_METRICS_PORT="0",
        DATABASE_URL=new_database("demo"),
    )
    # The node manager in this process looks at the same runtime folder and ports.
    for key in ("ESG_HOME", "ESG_BESU_PORT", "ESG_ETHEREUM_PORT", "ESG_POLYGON_PORT"):
        monkeypatch.setenv(key, env[key])
    yield env
    nodes.stop()  # whatever happened, no node of this test outlives it


def test_demo_brings_everything_up_and_stops(demo_env):
    run = subprocess.run(
        [sys.executable, "-m", "esg.demo", "--once"],
        cwd=PROJECT_ROOT,
        env=demo_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = run.stdout
    assert run.returncode == 0, out[-4000:] + run.stderr[-4000:]
    for chain_id in (2025, 31337, 31338):
        assert f"chain {chain_id}: deploying the ecosystem and its bridge" in out
    assert "GOV  proposal" in out and "executed through the timelock" in out
    assert out.count("arrived after") == 4
    summary = next(line for line in out.splitlines() if line.startswith("[api] alice holds"))
    for token in ("CCR", "ECR", "EGM", "EST", "GST"):
        assert token in summary
    assert "ECS score [8290]" in summary and "1 certificate(s)" in summary
    assert not any(s.running for s in nodes.status().values())
