"""kill -9 of the oracle between signing and mining: still exactly one attestation per evidence.

The node's automine is off while a case is approved, so the oracle's transactions are signed,
stored and sent but not mined when the process is killed. Three crashes: the sent transactions
lost with the process (dropped from the node's pool, as if it died before sending), kept in the
pool, and mined while the oracle was down. Each time the restarted oracle must end with each
attestation mined once, never re-signed into a second one.
"""

from __future__ import annotations

import time

import pytest
from eth_utils import keccak

from oracle import review, samples
from oracle.demo import all_mined, site_photos
from tests.support.oracle import query, wait_until

SCORE_UPDATED = (
    "0x"
    + keccak(
        text="ScoreUpdated(address,uint256,uint256,uint256,uint256,uint256,uint16,bytes32)"
    ).hex()
)
METRIC_RECORDED = (
    "0x" + keccak(text="MetricRecorded(uint256,address,bytes32,int256,string,bytes32)").hex()
)


@pytest.fixture
def manual_mining(chain):
    chain.provider.make_request("evm_setAutomine", [False])
    yield chain.provider
    chain.provider.make_request("evm_setAutomine", [True])
    chain.provider.make_request("evm_mine", [])


def _logs_with(provider, address: str, topic: str, evidence_hash: str) -> int:
    logs = provider.make_request(
        "eth_getLogs", [{"address": address, "fromBlock": "0x0", "topics": [topic]}]
    )
    # evidence_hash is a word of both events' (unindexed) data
    return sum(1 for log in logs if evidence_hash[2:] in log["data"])


def _open_case(oracle, oracle_world, org, seed: int) -> dict:
    who = oracle_world.who
    client = oracle.client()
    client.sign_in(getattr(who, org).private_key, oracle_world.chain_id)
    metrics = samples.demo_file("alice-metrics-2026.csv")
    report = samples.demo_file("alice-report-2026.txt")
    ids = [
        client.upload("metrics", "m.csv", metrics, "text/csv")["id"],
        client.upload("report", "r.txt", report, "text/plain")["id"],
    ]
    ids += [
        client.upload("image", "p.jpg", p, "image/jpeg")["id"]
        for p in site_photos(metrics, "text/csv", "green_cover", seed, n=1)
    ]
    case = client.http.post("/v1/cases", json={"evidence_ids": ids}).json()
    reviewer = oracle.client()
    reviewer.sign_in(who.verifier.private_key, oracle_world.chain_id)
    ev = bytes.fromhex(case["evidence_hash"][2:])
    signature = review.sign_review(who.verifier.private_key, case["id"], ev, "approve")
    assert case["status"] == "pending_review"
    r = reviewer.http.post(
        f"/v1/cases/{case['id']}/review", json={"decision": "approve", "signature": signature}
    )
    assert r.status_code == 200, r.text
    return case


def _sent_rows(url: str, case_id: int):
    rows = query(
        url,
        "SELECT status, sent_at, tx_hash FROM oracle.attestations WHERE case_id = $1 ORDER BY id",
        case_id,
    )
    return rows if rows and all(r["status"] == "signed" and r["sent_at"] for r in rows) else None


@pytest.mark.parametrize("crash", ["lost", "pending", "mined-while-down"])
def test_kill9_between_signing_and_mining_leaves_one_attestation(
    oracle, oracle_world, manual_mining, crash
):
    provider = manual_mining
    org = {"lost": "alice", "pending": "carol", "mined-while-down": "pauser"}[crash]
    case = _open_case(
        oracle, oracle_world, org, seed={"lost": 1, "pending": 2, "mined-while-down": 3}[crash]
    )
    signed = wait_until(
        lambda: _sent_rows(oracle_world.db_url, case["id"]), 30, "signed and sent transactions"
    )
    hashes = {bytes(r["tx_hash"]).hex() for r in signed}
    oracle.kill9()
    if crash == "lost":
        provider.make_request("anvil_dropAllTransactions", [])
    elif crash == "mined-while-down":
        provider.make_request("evm_mine", [])
    oracle.start()
    if crash != "mined-while-down":
        # The restarted oracle sends the stored transactions again; then a block mines them.
        def in_pool():
            content = provider.make_request("txpool_content", [])["pending"]
            sent = {tx["hash"][2:] for by_nonce in content.values() for tx in by_nonce.values()}
            return hashes <= sent

        wait_until(in_pool, 30, "the stored transactions back in the node's pool")
        provider.make_request("evm_mine", [])
    client = oracle.client()
    client.sign_in(getattr(oracle_world.who, org).private_key, oracle_world.chain_id)
    done = client.wait_for(case["id"], all_mined, timeout=30)
    assert [a["status"] for a in done["attestations"]] == ["mined", "mined"]
    # The transactions mined are exactly those signed before the crash.
    assert {a["tx_hash"][2:] for a in done["attestations"]} == hashes
    time.sleep(1.0)  # a few more submitter passes: nothing may be sent again
    provider.make_request("evm_mine", [])
    ecs = str(oracle_world.deployment["ECS"].address)
    assert _logs_with(provider, ecs, SCORE_UPDATED, done["evidence_hash"]) == 1
    assert _logs_with(provider, ecs, METRIC_RECORDED, done["evidence_hash"]) == 1
    rows = query(
        oracle_world.db_url,
        "SELECT count(*) FROM oracle.attestations WHERE case_id = $1",
        case["id"],
    )
    assert rows[0][0] == 2
