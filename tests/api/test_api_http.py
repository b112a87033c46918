"""HTTP behaviour: rate limit with Retry-After, ETag/304 tied to the indexed head, and keyset
pages without gaps or repeats while the indexer writes new events."""

from __future__ import annotations

import time

import pytest

from tests.support import indexing


def _window_start_soon() -> None:
    """Avoid a minute boundary in the middle of a rate-limit test (the window is per minute)."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_rate_limit_429_with_retry_after(world, backend, request, serve_api):
    extra = {}
    if backend == "redis":
        extra = {
            "redis_url": request.getfixturevalue("redis_url"),  # skips without Redis
            "cache_prefix": f"rl-{time.time_ns()}:",
        }
    server = serve_api(database_url=world.db_url, rate_limit=5, **extra)
    _window_start_soon()
    codes = [server.get("/api/v1/chains").status_code for _ in range(5)]
    assert codes == [200] * 5
    r = server.get("/api/v1/chains")
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    body = r.json()
    assert "rate limit" in body["detail"]
    assert body["request_id"] == r.headers["x-request-id"]
    assert server.get("/health").status_code == 429


def test_etag_gives_304_and_cache_headers(any_api, world):
    path = f"/api/v1/esg/unified-profile/{world.who.alice.address}"
    r = any_api.get(path)
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = any_api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert any_api.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    other = any_api.get(f"/api/v1/esg/unified-profile/{world.who.bob.address}")
    assert other.headers["etag"] != etag


def test_final_range_is_cached_long(api, world):
    final = api.get("/api/v1/chains").json()["items"][0]["finalized_block"]
    r = api.get(f"/api/v1/accounts/{world.who.alice.address}/transfers", params={"to_block": final})
    assert r.status_code == 200
    assert r.headers["cache-control"] == f"public, max-age={api.settings.final_max_age}"
    assert r.json()["final"] is True


def test_pages_have_no_gaps_or_repeats_while_events_arrive(world, chain, serve_api):
    """On a database of its own: the transfers made here are reverted on the chain after the
    test (ape isolates each test), which the shared database must not see."""
    d, who = world.deployment, world.who
    db_url = indexing.new_database("apilive")
    proc = indexing.spawn(db_url, world.manifest, world.chain_id)
    try:
        indexing.wait_synced(db_url, chain.provider, world.chain_id, proc=proc)
        api = serve_api(database_url=db_url)
        path = f"/api/v1/accounts/{who.alice.address}/transfers"
        first = api.get(path, params={"limit": 3})
        body = first.json()
        read_at = body["read_at"][0]["block"]
        items, cursor = list(body["items"]), body["next_cursor"]
        while cursor:
            # A new transfer to alice lands (and is indexed) between every two pages.
            receipt = d["GST"].transfer(who.alice, 1, sender=who.admin)
            api.wait_head(world.chain_id, receipt.block_number)
            page = api.get(path, params={"limit": 3, "cursor": cursor}).json()
            assert page["read_at"][0]["block"] >= receipt.block_number
            items += page["items"]
            cursor = page["next_cursor"]
        got = [(t["block_number"], t["log_index"], t["batch_index"]) for t in items]
        assert len(got) == len(set(got)), "a transfer appeared on two pages"
        alice = bytes.fromhex(who.alice.address[2:])
        rows = indexing.query(
            db_url,
            "SELECT block_number, log_index, batch_index FROM transfers WHERE chain_id = $1 "
            "AND (from_addr = $2 OR to_addr = $2) AND block_number <= $3 "
            "ORDER BY block_number DESC, log_index DESC, batch_index DESC",
            world.chain_id,
            alice,
            read_at,
        )
        assert got == [tuple(r) for r in rows], "pages skipped or reordered transfers"
        assert len(got) > 6
        # The head moved: the first page now starts with the new transfers, under a new ETag.
        fresh = api.get(path, params={"limit": 3}, headers={"If-None-Match": first.headers["etag"]})
        assert fresh.status_code == 200
        assert fresh.json()["items"][0]["block_number"] > read_at
    finally:
        proc.terminate()
        proc.wait(10)
        indexing.drop_database(db_url)


def test_kept_answers_carry_their_request_id_and_count_against_the_rate_limit(world, serve_api):
    from prometheus_client import REGISTRY

    def hits() -> float:
        return REGISTRY.get_sample_value("api_response_cache_total", {"result": "hit"}) or 0.0

    server = serve_api(database_url=world.db_url, rate_limit=4)
    _window_start_soon()
    path = f"/api/v1/esg/unified-profile/{world.who.alice.address}"
    first = server.get(path)
    assert first.status_code == 200
    before = hits()
    kept = server.get(path, headers={"X-Request-ID": "kept-1"})
    assert hits() == before + 1  # answered from the kept answers
    assert kept.status_code == 200 and kept.content == first.content
    assert kept.headers["x-request-id"] == "kept-1"
    assert kept.headers["etag"] == first.headers["etag"]
    assert kept.headers["cache-control"] == first.headers["cache-control"]
    again = server.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert "content-length" not in again.headers or again.headers["content-length"] == "0"
    assert again.headers["x-request-id"] not in ("", "kept-1")
    head = server.client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == first.headers["etag"]
    # The fifth request of the minute (a limit of 4) is refused, kept answer or not.
    refused = server.get(path)
    assert refused.status_code == 429
    assert refused.json()["request_id"] == refused.headers["x-request-id"]
