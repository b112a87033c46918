"""/api/v1/deployment (addresses and ABIs for frontends, never an RPC URL) and CORS."""

from __future__ import annotations

import json

import pytest

from api.settings import Settings
from esg.manifest import load_manifest
from tests.support.api import ApiServer

ORIGIN = "http://127.0.0.1:3000"


def test_deployment_serves_addresses_and_abis_without_rpc_urls(api, world):
    manifest = load_manifest(world.manifest)
    r = api.get("/api/v1/deployment")
    assert r.status_code == 200
    # The manifest changes with a redeploy, not with the indexed heads.
    assert r.headers["cache-control"] == "no-store" and "etag" not in r.headers
    body = r.json()
    [chain] = body["chains"]
    entry = manifest.chains[world.chain_id]
    assert chain["chain_id"] == world.chain_id and chain["start_block"] == entry.start_block
    for name, c in entry.contracts.items():
        served = chain["contracts"][name]
        assert served["address"] == c.address and served["block"] == c.block
        assert body["abis"][served["abi"]] == manifest.abi(world.chain_id, name)
    assert world.deployment["CCR"].address == chain["contracts"]["CCR"]["address"]
    text = r.text
    assert "rpc" not in text.lower()
    for url in entry.rpc_urls:
        assert url not in text
    # Nor the deploy transactions: a frontend has no use for them.
    assert all(c.tx not in text for c in entry.contracts.values())


def test_deployment_without_a_manifest_answers_503(world, tmp_path):
    server = ApiServer(database_url=world.db_url, manifest=tmp_path / "missing.json")
    try:
        r = server.get("/api/v1/deployment")
        assert r.status_code == 503
        assert r.json()["detail"] == "no chain is deployed yet"
        (tmp_path / "broken.json").write_text("{not json")
        server.settings.manifest = tmp_path / "broken.json"
        r = server.get("/api/v1/deployment")
        assert r.status_code == 503
        assert r.json()["detail"] == "the deployment manifest cannot be read"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api_cors(world):
    server = ApiServer(database_url=world.db_url, manifest=world.manifest, cors_origins=[ORIGIN])
    yield server
    server.stop()


def test_cors_allows_the_configured_origin(api_cors):
    r = api_cors.get("/api/v1/chains", headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ORIGIN
    preflight = api_cors.client.options(
        "/api/v1/tokens",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_cors_refuses_other_origins_and_is_off_by_default(api_cors, api):
    r = api_cors.get("/api/v1/chains", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    preflight = api_cors.client.options(
        "/api/v1/tokens",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 400
    r = api.get("/api/v1/chains", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in r.headers


def test_cors_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_CORS_ORIGINS", "http://a.example:3000, http://b.example/")
    assert Settings().cors_origins == ["http://a.example:3000", "http://b.example"]
    monkeypatch.setenv("API_CORS_ORIGINS", json.dumps(["http://c.example"]))
    assert Settings().cors_origins == ["http://c.example"]
    monkeypatch.delenv("API_CORS_ORIGINS")
    assert Settings().cors_origins == []
