"""Bad input gets a 4xx that names the problem and carries the request id."""

from __future__ import annotations

import pytest


def _flip_case(address: str) -> str:
    """The address with one letter's case flipped: no longer its EIP-55 checksum."""
    for i, ch in enumerate(address[2:], start=2):
        if ch.isalpha():
            return address[:i] + ch.swapcase() + address[i + 1 :]
    raise AssertionError("no letter to flip")


def _profile(addr: str) -> str:
    return f"/api/v1/esg/unified-profile/{addr}"


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        (_profile("0x1234"), {}, 400, "malformed address"),
        (_profile("alice"), {}, 400, "malformed address"),
        (_profile("0x" + "g" * 40), {}, 400, "malformed address"),
        (_profile("0x" + "ab" * 20), {"x": "1"}, 400, "unknown query parameter"),
        ("/api/v1/scores/0x12/history", {}, 400, "path parameter 'address'"),
        ("/api/v1/tokens/XYZ", {}, 404, "unknown token symbol"),
        ("/api/v1/tokens/XYZ/holders", {"chain": "{chain}"}, 404, "unknown token symbol"),
        ("/api/v1/tokens", {"chain": 999999}, 404, "unknown chain"),
        ("/api/v1/tokens", {"chain": "abc"}, 400, "chain"),
        ("/api/v1/tokens", {"chian": "1"}, 400, "unknown query parameter 'chian'"),
        ("/api/v1/carbon/batches", {"limit": 0}, 400, "query parameter 'limit'"),
        ("/api/v1/carbon/batches", {"limit": 100000}, 400, "query parameter 'limit'"),
        ("/api/v1/carbon/batches", {"cursor": "not-a-cursor"}, 400, "'cursor'"),
        ("/api/v1/carbon/retirements", {"cursor": "5.1"}, 400, "'cursor'"),
        ("/api/v1/tokens/GST/holders", {"chain": "{chain}", "cursor": "abc.1"}, 400, "'cursor'"),
        ("/api/v1/carbon/retirements", {"beneficiary": "0xzz"}, 400, "'beneficiary'"),
        ("/api/v1/carbon/batches/{chain}/-1", {}, 400, "batch_id"),
        ("/api/v1/carbon/batches/{chain}/" + "9" * 90, {}, 400, "batch_id"),
        ("/api/v1/carbon/batches/{chain}/424242", {}, 404, "no carbon batch"),
        ("/api/v1/carbon/batches/999999/1", {}, 404, "unknown chain"),
        ("/api/v1/certificates/999999/1", {}, 404, "unknown chain"),
        ("/api/v1/governance/proposals/{chain}/12345", {}, 404, "no proposal"),
        ("/api/v1/governance/proposals", {"state": "Done"}, 400, "query parameter 'state'"),
        ("/api/v1/ai-ethics/audits", {"model_id": "0x12"}, 400, "'model_id'"),
        ("/api/v1/tokens/GST/holders", {"chain": "{chain}", "token_id": -5}, 400, "token_id"),
        ("/api/v1/nothing-here", {}, 404, "not found"),
    ],
)
def test_bad_input_is_named(api, world, path, params, status, words):
    chain = str(world.chain_id)
    path = path.replace("{chain}", chain)
    params = {
        k: v.replace("{chain}", chain) if isinstance(v, str) else v for k, v in params.items()
    }
    r = api.get(path, params=params)
    body = r.json()
    assert r.status_code == status, r.text
    assert words.lower() in body["detail"].lower(), body
    assert body["request_id"] == r.headers["x-request-id"]


def test_checksum_rules(api, world):
    alice = world.who.alice.address
    ok = api.get(_profile(alice))
    lower = api.get(_profile(alice.lower()))
    assert ok.status_code == lower.status_code == 200
    assert ok.json() == lower.json()
    bad = api.get(_profile(_flip_case(alice)))
    assert bad.status_code == 400 and "checksum" in bad.json()["detail"]


def test_transfers_block_range(api, world):
    path = f"/api/v1/accounts/{world.who.alice.address}/transfers"
    r = api.get(path, params={"from_block": 10, "to_block": 5})
    assert r.status_code == 200 and r.json()["items"] == []
    r = api.get(path, params={"to_block": 2**70})
    assert r.status_code == 400 and "to_block" in r.json()["detail"]


def test_request_id_is_echoed(api):
    r = api.get("/api/v1/chains", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    assert len(api.get("/api/v1/chains").headers["x-request-id"]) >= 8
    # Not an id this API would pass on (too long, or characters outside [A-Za-z0-9._:-]): a new one.
    for bad in ("x" * 65, "a b", 'a"b'):
        assert api.get("/api/v1/chains", headers={"X-Request-ID": bad}).headers[
            "x-request-id"
        ] not in (bad, "")


def test_405_carries_the_request_id_and_allow(api):
    r = api.client.post("/api/v1/chains")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET"
    body = r.json()
    assert body["status"] == 405 and body["request_id"] == r.headers["x-request-id"]
