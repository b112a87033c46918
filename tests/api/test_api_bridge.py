"""/api/v1/bridge: the bridge services' messages with their delivery status and signers; and
/health, which names a failing node without its URL (node URLs carry API keys)."""

from __future__ import annotations

import asyncio
import json

from bridge.store import DELIVERED, Store, connect
from esg.manifest import load_manifest
from tests.support.api import ApiServer
from tests.support.indexing import drop_database, new_database

SECRET_URL = "http://validator:s3cr3t-pass@127.0.0.1:1/v3/APIKEY0123456789"


def test_bridge_messages_newest_first_and_paged(api, bridge_messages):
    body = api.get("/api/v1/bridge/messages").json()
    assert [m["src_log_index"] for m in body["items"]] == [3, 2, 1]
    first = body["items"][0]
    assert (first["kind"], first["status"], first["signatures"]) == ("transfer", "pending", 2)
    assert first["amount"] == str(10**30 + 3) and first["token_id"] == "3"
    page = api.get("/api/v1/bridge/messages", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get(
        "/api/v1/bridge/messages", params={"limit": 2, "cursor": page["next_cursor"]}
    ).json()
    assert [m["src_log_index"] for m in rest["items"]] == [1] and rest["next_cursor"] is None


def test_bridge_failed_messages_show_their_reason(api, bridge_messages):
    failed = api.get("/api/v1/bridge/messages", params={"status": "failed"}).json()["items"]
    assert [(m["src_log_index"], m["last_error"]) for m in failed] == [
        (2, "bridge: transfer failed")
    ]
    assert api.get("/api/v1/bridge/messages", params={"dest_chain": 1}).json()["items"] == []
    bad = api.get("/api/v1/bridge/messages", params={"status": "lost"})
    assert bad.status_code == 400 and "'status'" in bad.json()["detail"]
    assert "delivered" in bad.json()["detail"]


def test_one_bridge_message_with_signers(api, bridge_messages):
    tx = "0x" + "03" * 32
    body = api.get(f"/api/v1/bridge/messages/2025/{tx}/3").json()
    assert body["message"]["src_tx_hash"] == tx
    assert [s["validator"].lower() for s in body["signers"]] == ["0x" + "aa" * 20, "0x" + "bb" * 20]
    missing = api.get(f"/api/v1/bridge/messages/2025/{tx}/9")
    assert missing.status_code == 404
    assert api.get("/api/v1/bridge/messages/2025/0x12/3").status_code in (400, 422)


def test_bridge_routes_before_the_services_ever_ran():
    url = new_database("apibridge")
    server = ApiServer(database_url=url)
    try:
        assert server.get("/api/v1/bridge/messages").json()["items"] == []
        tx = "0x" + "03" * 32
        assert server.get(f"/api/v1/bridge/messages/1/{tx}/0").status_code == 404
    finally:
        server.stop()
        drop_database(url)


def test_health_never_echoes_a_node_url(world, tmp_path):
    """A failing node is named by its position, never by its URL (which carries a key)."""
    manifest = load_manifest(world.manifest)
    manifest.path = tmp_path / "manifest.json"
    manifest.chains[world.chain_id].rpc_urls = [SECRET_URL]
    for entry in manifest.chains[world.chain_id].contracts.values():
        (tmp_path / entry.abi).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / entry.abi).write_text((world.manifest.parent / entry.abi).read_text())
    manifest.save()
    server = ApiServer(database_url=world.db_url, manifest=manifest.path)
    try:
        answer = server.get("/health")
        text = answer.text
        node = json.loads(text)["chains"][0]["node"]
        assert not node["ok"] and node["detail"].startswith("node 0:")
        for secret in ("s3cr3t", "APIKEY0123456789", "validator:", "127.0.0.1:1"):
            assert secret not in text
    finally:
        server.stop()


def test_bridge_answers_follow_the_services_not_the_indexed_heads(api, bridge_messages, world):
    """A delivery changes no indexed head: the response cache must not keep the answers."""
    first = bridge_messages[0]
    path = f"/api/v1/bridge/messages/{first.src_chain_id}/0x{first.src_tx_hash.hex()}/1"
    before = api.get(path)
    assert before.json()["message"]["status"] == "pending"
    assert before.headers["cache-control"] == "no-store" and "etag" not in before.headers

    async def deliver() -> None:
        store = Store(await connect(world.db_url))
        try:
            await store.set_status(first, DELIVERED)
        finally:
            await store.close()

    asyncio.run(deliver())
    assert api.get(path).json()["message"]["status"] == "delivered"
    delivered = api.get("/api/v1/bridge/messages", params={"status": "delivered"}).json()
    assert [m["src_log_index"] for m in delivered["items"]] == [1]
