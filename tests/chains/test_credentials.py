"""No credential reaches a manifest, a log line, a metrics label or an error message: node URLs
of hosted providers carry their API key (path, query or user info)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from prometheus_client import Counter, Histogram

from esg.chain.rpc import RPC, RPCMetrics, Unavailable, endpoint_label
from esg.deploy import Deployment, record
from esg.manifest import Manifest, load_manifest
from esg.redact import is_public_url, redact_url, scrub
from indexer.heads import HeadSubscription

KEYED = "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef"
USERINFO = "http://relayer:hunter2-secret@127.0.0.1:1/v3/PATHKEY77?apikey=QUERYKEY42"


@pytest.mark.parametrize(
    "url, public, shown",
    [
        ("http://127.0.0.1:8545", True, "http://127.0.0.1:8545"),
        ("http://127.0.0.1:8545/", True, "http://127.0.0.1:8545"),
        (KEYED, False, "https://mainnet.infura.io/…"),
        (USERINFO, False, "http://127.0.0.1:1/…"),
        ("wss://polygon.example/ws?key=abc", False, "wss://polygon.example/…"),
        ("not a url", False, "<url>"),
    ],
)
def test_urls_are_shown_without_their_secrets(url, public, shown):
    assert is_public_url(url) is public
    assert redact_url(url) == shown


def test_scrub_removes_every_secret_part():
    text = f"failed: {USERINFO} (and again: hunter2-secret, QUERYKEY42, PATHKEY77)"
    cleaned = scrub(text, [USERINFO])
    for secret in ("hunter2-secret", "QUERYKEY42", "PATHKEY77", "relayer:"):
        assert secret not in cleaned


def test_manifest_never_records_a_keyed_url(project, accounts, chain, tmp_path):
    emitter = project.EventEmitter.deploy(sender=accounts[0])
    d = Deployment(
        contracts={"Emitter": emitter}, receipts={"Emitter": chain.get_receipt(emitter.txn_hash)}
    )
    manifest = Manifest(path=tmp_path / "live.json")
    record(manifest, d, chain_id=1, network="ethereum:mainnet:node", rpc_url=KEYED)
    record(manifest, d, chain_id=2, network="polygon:amoy:node", rpc_url=USERINFO)
    record(manifest, d, chain_id=3, network="besu:local:node", rpc_url="http://127.0.0.1:8545")
    text = manifest.path.read_text()
    for secret in ("0123456789abcdef", "hunter2", "QUERYKEY42", "infura"):
        assert secret not in text
    loaded = load_manifest(manifest.path)
    assert loaded.chains[1].rpc_urls == [] and loaded.chains[2].rpc_urls == []
    assert loaded.chains[3].rpc_urls == ["http://127.0.0.1:8545"]


def test_rpc_failures_never_name_the_url(caplog):
    metrics = RPCMetrics(
        latency=Histogram("test_cred_rpc_latency_seconds", "t", ["chain", "method"]),
        errors=Counter("test_cred_rpc_errors_total", "t", ["chain", "endpoint", "kind"]),
    )

    async def call() -> str:
        async with RPC(1, [USERINFO], retry_budget=0.3, max_backoff=0.05, metrics=metrics) as rpc:
            with pytest.raises(Unavailable) as failure:
                await rpc.call("eth_blockNumber", [])
            return str(failure.value) + repr(rpc.endpoints)

    with caplog.at_level(logging.DEBUG):
        shown = asyncio.run(call())
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    labels = str([s.labels for m in metrics.errors.collect() for s in m.samples])
    for text in (shown, logged, labels):
        for secret in ("hunter2-secret", "QUERYKEY42", "PATHKEY77", "relayer:"):
            assert secret not in text
    assert endpoint_label(0, USERINFO) == "0:127.0.0.1:1"


def test_websocket_url_is_logged_redacted():
    heads = HeadSubscription(1, "wss://polygon-mainnet.example/ws/v2/WSKEY987")
    assert heads.shown_url == "wss://polygon-mainnet.example/…"
