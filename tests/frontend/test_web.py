"""The web app's server (python -m esg.web): runtime config, built files, client-side routes."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from esg import nodes
from esg.personas import dev_account
from esg.web import WebSettings, create_app


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1);" * 200)
    return tmp_path


def config_of(client: TestClient) -> dict:
    r = client.get("/config.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-store"
    prefix, suffix = "window.ESG_CONFIG = ", ";\n"
    assert r.text.startswith(prefix) and r.text.endswith(suffix)
    return json.loads(r.text[len(prefix) : -len(suffix)])


def test_config_names_the_api_the_local_chains_and_the_dev_accounts(dist, monkeypatch):
    monkeypatch.setenv("ESG_POLYGON_PORT", "18547")
    client = TestClient(create_app(WebSettings(dist=dist, api_url="http://127.0.0.1:9/")))
    config = config_of(client)
    assert config["apiUrl"] == "http://127.0.0.1:9"
    assert {c["chainId"]: c["rpcUrl"] for c in config["chains"]} == {
        p.chain_id: p.url for p in nodes.PROFILES.values()
    }
    assert "http://127.0.0.1:18547" in [c["rpcUrl"] for c in config["chains"]]
    # The demo's personas alice, bob and carol: accounts 1-3 of the public test mnemonic.
    keys = {a["name"]: a["privateKey"] for a in config["devAccounts"]}
    assert keys == {
        n: "0x" + dev_account(i).key.hex() for i, n in enumerate(("alice", "bob", "carol"), 1)
    }


def test_dev_accounts_can_be_hidden(dist):
    client = TestClient(create_app(WebSettings(dist=dist, dev_accounts=False)))
    assert config_of(client)["devAccounts"] == []


def test_built_files_and_client_side_routes(dist):
    client = TestClient(create_app(WebSettings(dist=dist)))
    asset = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
    assert "immutable" in asset.headers["cache-control"]
    for path in ("/", "/account/0xabc", "/certificates/2025/1"):
        r = client.get(path)
        assert r.status_code == 200 and "<title>app</title>" in r.text, path
        assert r.headers["cache-control"] == "no-cache"


def test_unbuilt_frontend_says_how_to_build_it(tmp_path):
    client = TestClient(create_app(WebSettings(dist=tmp_path / "nothing")))
    r = client.get("/")
    assert r.status_code == 503 and "npm run build" in r.text
    assert config_of(client)["apiUrl"]


def test_origins_cover_both_local_host_names():
    s = WebSettings(host="127.0.0.1", port=3100)
    assert s.origins == ["http://127.0.0.1:3100", "http://localhost:3100"]
    assert s.url == "http://127.0.0.1:3100/"
    assert WebSettings(host="app.example", port=80).origins == ["http://app.example:80"]
