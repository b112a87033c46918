"""The OpenAPI document says what the API accepts and answers: schemathesis, with every check,
on positive and negative data, in every phase (the schema's examples, boundary values, random
data, stateful sequences), against the document the API serves. Real values (the scenario's
addresses, ids and symbols) are offered for half of the parameters that take them, so that
requests also reach rows and not only empty lists and 404s."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from esg.paths import PROJECT_ROOT

ST = Path(sys.executable).parent / "st"
HOOKS = "tests.api.schemathesis_hooks"


def _config(world, bridge_messages, path: Path) -> Path:
    """A schemathesis.toml offering the scenario's values for the parameters named so (a
    proposal id does not fit a TOML integer: schemathesis finds the proposals by itself)."""
    who, ids = world.who, world.ids
    pools = {
        "addresses": [p.address for p in (who.alice, who.bob, who.carol, who.auditor)]
        + [who.bob.address.lower()],
        "chains": [world.chain_id],
        "ids": [ids[k] for k in ("batch_verra", "batch_gold", "cert_alice", "cert_carol")],
        "symbols": ["GST", "ccr", "EGM", "ECR", "ECS", "EST", "AET", "ECT"],
        "bridge_chains": sorted({m.src_chain_id for m in bridge_messages}),
        "bridge_txs": ["0x" + m.src_tx_hash.hex() for m in bridge_messages],
        "bridge_logs": [m.src_log_index for m in bridge_messages],
    }
    bindings = {
        "path.address": "addresses",
        "query.recipient": "addresses",
        "query.beneficiary": "addresses",
        "query.account": "addresses",
        "query.auditor": "addresses",
        "path.chain": "chains",
        "query.chain": "chains",
        "path.batch_id": "ids",
        "path.token_id": "ids",
        "path.symbol": "symbols",
        "query.token": "symbols",
        "path.src_chain_id": "bridge_chains",
        "query.src_chain": "bridge_chains",
        "path.src_tx_hash": "bridge_txs",
        "path.src_log_index": "bridge_logs",
    }
    lines = []
    for name, values in pools.items():
        shown = ", ".join(str(v) if isinstance(v, int) else f'"{v}"' for v in values)
        lines += [f"[dictionaries.{name}]", f"values = [{shown}]", ""]
    lines.append("[parameters]")
    lines += [f'"{k}" = {{ dictionary = "{v}", probability = 0.5 }}' for k, v in bindings.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_schemathesis_finds_no_failure(api, world, bridge_messages, tmp_path):
    config = _config(world, bridge_messages, tmp_path / "schemathesis.toml")
    run = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(config),
            "run",
            f"{api.url}/openapi.json",
            "--checks",
            "all",
            "--mode",
            "all",
            "--max-examples",
            "40",
            "--seed",
            "20251",
            "--workers",
            "2",
            "--generation-database",
            "none",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, SCHEMATHESIS_HOOKS=HOOKS, PYTHONPATH=str(PROJECT_ROOT)),
        cwd=tmp_path,  # its cache goes there, not into the repository
        timeout=900,
    )
    out = run.stdout + run.stderr
    print(out[-4000:])
    assert run.returncode == 0, out[-12000:]
    assert "5xx" not in out and "Server error" not in out


def test_openapi_lists_every_endpoint(api):
    paths = set(api.get("/openapi.json").json()["paths"])
    assert {
        "/api/v1/esg/unified-profile/{address}",
        "/api/v1/tokens",
        "/api/v1/tokens/{symbol}",
        "/api/v1/tokens/{symbol}/holders",
        "/api/v1/accounts/{address}/transfers",
        "/api/v1/accounts/{address}/stakes",
        "/api/v1/accounts/{address}/certificates",
        "/api/v1/accounts/{address}/gem-claims",
        "/api/v1/accounts/{address}/retirements",
        "/api/v1/accounts/{address}/ai-audits",
        "/api/v1/carbon/batches",
        "/api/v1/carbon/batches/{chain}/{batch_id}",
        "/api/v1/carbon/retirements",
        "/api/v1/certificates/{chain}/{token_id}",
        "/api/v1/scores/{address}/history",
        "/api/v1/metrics/{address}",
        "/api/v1/ai-ethics/audits",
        "/api/v1/governance/proposals",
        "/api/v1/governance/proposals/{chain}/{proposal_id}",
        "/api/v1/chains",
        "/api/v1/deployment",
        "/api/v1/bridge/messages",
        "/api/v1/bridge/messages/{src_chain_id}/{src_tx_hash}/{src_log_index}",
        "/health",
        "/ready",
        "/metrics",
    } <= paths
