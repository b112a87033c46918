"""End to end against anvil and PostgreSQL: evidence in, review, attestations mined, the score
in the indexer and the API; held contradictions; the model's AET audit; TLS 1.3 only."""

from __future__ import annotations

import ssl
import subprocess
import sys

import httpx
import pytest

from esg.paths import PROJECT_ROOT
from oracle import review, samples
from oracle.demo import all_mined, site_photos
from tests.support import indexing
from tests.support.api import ApiServer
from tests.support.indexing import free_port
from tests.support.oracle import wait_until


def _submit(client, org: str, year: str, *, report: bytes | None = None, media: str = "text/csv"):
    ext = "json" if media == "application/json" else "csv"
    metrics = samples.demo_file(f"{org}-metrics-{year}.{ext}")
    ids = [
        client.upload("metrics", f"m.{ext}", metrics, media)["id"],
        client.upload(
            "report", "r.txt", report or samples.demo_file(f"{org}-report-{year}.txt"), "text/plain"
        )["id"],
    ]
    ids += [
        client.upload("image", "p.jpg", p, "image/jpeg")["id"]
        for p in site_photos(metrics, media, "built", 40)
    ]
    return client.http.post("/v1/cases", json={"evidence_ids": ids})


@pytest.fixture
def reviewer(oracle, oracle_world):
    c = oracle.client()
    c.sign_in(oracle_world.who.verifier.private_key, oracle_world.chain_id)
    return c


def _approve(reviewer, who, case, decision="approve"):
    ev = bytes.fromhex(case["evidence_hash"][2:])
    signature = review.sign_review(who.verifier.private_key, case["id"], ev, decision)
    return reviewer.http.post(
        f"/v1/cases/{case['id']}/review", json={"decision": decision, "signature": signature}
    )


def test_evidence_to_mined_attestation_to_api(oracle, oracle_world, reviewer):
    who, d = oracle_world.who, oracle_world.deployment
    bob = oracle.client()
    bob.sign_in(who.bob.private_key, oracle_world.chain_id)
    r = _submit(bob, "bob", "2025", media="application/json")
    assert r.status_code == 201, r.text
    case = r.json()
    a = case["assessment"]
    assert case["status"] == "pending_review" and case["attestations"] == []
    assert case["review_reasons"] == [f"score change 0 -> {a['new_score_bp']} bp exceeds 1000 bp"]
    assert (
        a["model"]["version"].startswith("esg-rf-") and a["prediction"]["social"]["contributions"]
    )

    # The organization is not a reviewer; a reviewer's signature must be over this decision.
    own = review.sign_review(
        who.bob.private_key, case["id"], bytes.fromhex(case["evidence_hash"][2:]), "approve"
    )
    r = bob.http.post(
        f"/v1/cases/{case['id']}/review", json={"decision": "approve", "signature": own}
    )
    assert r.status_code == 401
    ev = bytes.fromhex(case["evidence_hash"][2:])
    wrong = review.sign_review(who.verifier.private_key, case["id"], ev, "reject")
    r = reviewer.http.post(
        f"/v1/cases/{case['id']}/review", json={"decision": "approve", "signature": wrong}
    )
    assert r.status_code == 403 and "signed-in reviewer" in r.json()["detail"]
    assert bob.http.get(f"/v1/cases/{case['id']}").json()["attestations"] == []

    assert _approve(reviewer, who, case).json()["status"] == "approved"
    case = bob.wait_for(case["id"], all_mined)
    assert [(x["kind"], x["status"]) for x in case["attestations"]] == [
        ("ecs_score", "mined"),
        ("ecs_metric", "mined"),
        ("ect_reward", "mined"),
    ]
    score = d["ECS"].score_details(who.bob.address)
    assert score[0] == a["new_score_bp"] and "0x" + bytes(score[5]).hex() == case["evidence_hash"]
    assert d["ECT"].balanceOf(who.bob.address) == int(a["actions"][0]["reward_wei"])

    # The same evidence again: the same case, nothing new on-chain.
    again = bob.http.post("/v1/cases", json={"evidence_ids": case["evidence_ids"]})
    assert again.status_code == 200 and again.json()["id"] == case["id"]
    assert len(again.json()["attestations"]) == 3

    indexing.index_once(oracle_world.db_url, oracle_world.manifest, oracle_world.chain_id)
    api = ApiServer(database_url=oracle_world.db_url, manifest=oracle_world.manifest)
    try:
        history = api.get(f"/api/v1/scores/{who.bob.address}/history").json()["items"]
        assert history[0]["new_score"] == a["new_score_bp"]
        metrics = api.get(f"/api/v1/metrics/{who.bob.address}").json()["items"]
        assert metrics and metrics[0]["evidence_hash"] == case["evidence_hash"]
    finally:
        api.stop()


def test_a_contradicting_claim_waits_and_a_rejection_signs_nothing(oracle, oracle_world, reviewer):
    who = oracle_world.who
    carol = oracle.client()
    carol.sign_in(who.carol.private_key, oracle_world.chain_id)
    text = samples.demo_file("carol-report-2025.txt").replace(b"58%", b"90%")
    case = _submit(carol, "carol", "2025", report=text).json()
    assert case["status"] == "pending_review"
    assert (
        "claim contradicted by the metrics: women_share stated 0.9, metrics give 0.58"
        in case["review_reasons"]
    )
    held = reviewer.http.get("/v1/cases").json()["items"]
    assert case["id"] in [c["id"] for c in held]
    assert _approve(reviewer, who, case, "reject").json()["status"] == "rejected"
    assert carol.http.get(f"/v1/cases/{case['id']}").json()["attestations"] == []
    assert _approve(reviewer, who, case).status_code == 403  # decided once


def test_the_models_own_audit_is_attested(oracle, oracle_world, reviewer):
    aet = oracle_world.deployment["AET"]
    audits = reviewer.http.get("/v1/cases", params={"status": "approved"}).json()["items"]
    held = reviewer.http.get("/v1/cases").json()["items"]
    for case in held:
        if case["kind"] == "model_audit":
            _approve(reviewer, oracle_world.who, case)
    (case,) = [c for c in audits + held if c["kind"] == "model_audit"]
    case = reviewer.wait_for(case["id"], all_mined)
    assert case["attestations"][0]["status"] == "mined"
    card = oracle.client().http.get("/v1/models/current").json()
    assert card["model"] == case["assessment"]["model"] and card["energy"]["training"]["kwh"] > 0
    assert aet.audit_count() >= 1 and aet.balanceOf(oracle_world.who.oracle.address) > 0


def _tls_context(ca: str, version: ssl.TLSVersion) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ctx.maximum_version = version
    return ctx


def _assert_tls13_only(url: str, ca: str) -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, verify=_tls_context(ca, ssl.TLSVersion.TLSv1_2), timeout=5)
    r = httpx.get(url, verify=_tls_context(ca, ssl.TLSVersion.TLSv1_3), timeout=5)
    assert r.status_code == 200


def test_oracle_serves_tls13_only(oracle):
    _assert_tls13_only(oracle.url + "/health", oracle.ca)


def test_api_serves_tls13_only(oracle_world):
    port = free_port()
    tls = oracle_world.home / "tls"
    env = {
        "API_PORT": str(port),
        "API_DATABASE_URL": oracle_world.db_url,
        "API_TLS_CERT": str(tls / "server.pem"),
        "API_TLS_KEY": str(tls / "server.key"),
        "API_ACCESS_LOG": "false",
    }
    import os

    proc = subprocess.Popen(
        [sys.executable, "-m", "api"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"https://127.0.0.1:{port}/api/v1/chains"
        ok = _tls_context(str(tls / "ca.pem"), ssl.TLSVersion.TLSv1_3)

        def up():
            try:
                return httpx.get(url, verify=ok, timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 60, "the API over HTTPS")
        _assert_tls13_only(url, str(tls / "ca.pem"))
    finally:
        proc.terminate()
        proc.wait(15)
