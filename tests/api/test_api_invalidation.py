"""Entity-level invalidation: blocks and reorgs committed through the indexer's own store
(``ChainStore.write`` / ``rollback``) while the API serves cached answers about accounts.

After each step, once the API has caught up with the chain's change number (its LISTEN or, at
the latest, its head poll), every answer the caching API gives equals the answer of an API that
keeps nothing, ETag included; so do those of a caching API that does not listen and learns of
changes from its head poll alone (a lost notification delays a change by one poll at most).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.blocks import ZERO, write_block
from indexer.store import ChainStore, connect
from tests.support import indexing
from tests.support.api import ApiServer

ACCOUNTS = ["0x" + hashlib.sha256(f"acct{i}".encode()).hexdigest()[:40] for i in range(5)]
TOKEN = bytes.fromhex("ab" * 20)
FINALITY_LAG = 2
_CHAIN_IDS = itertools.count(7_000_001)


class Writer:
    """One chain written as the indexer writes it, on a loop of its own."""

    def __init__(self, url: str, chain_id: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.chain_id = chain_id
        self.conn = self.run(connect(url))
        self.store = ChainStore(self.conn, chain_id)
        self.run(self.store.setup("test:invalidation", 1, [(TOKEN, "GST", 0)]))
        self.indexed = 0
        self.fork = 0

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def block(self, moves) -> None:
        self.indexed += 1
        self.run(
            write_block(
                self.store,
                self.indexed,
                TOKEN,
                moves,
                finality_lag=FINALITY_LAG,
                fork=self.fork,
            )
        )

    def reorg(self, depth: int) -> None:
        fork = max(0, self.indexed - depth)
        self.run(self.store.rollback(fork, None))
        self.indexed = fork
        self.fork += 1

    def change_seq(self) -> int:
        return self.run(
            self.conn.fetchval("SELECT change_seq FROM chains WHERE chain_id = $1", self.chain_id)
        )

    def close(self) -> None:
        self.run(self.conn.close())
        self.loop.close()


@pytest.fixture(scope="module")
def live():
    """A database of its own, an API that caches and one that keeps nothing."""
    url = indexing.new_schema_database("inval")
    cached = ApiServer(database_url=url)
    fresh = ApiServer(database_url=url, response_cache_entries=0)
    # Changes from the head poll alone, as if every notification were lost.
    polled = ApiServer(database_url=url, listen_changes=False)
    yield url, cached, fresh, polled
    for server in (cached, fresh, polled):
        server.stop()
    indexing.drop_database(url)


def caught_up(api: ApiServer, w: Writer, timeout: float = 30) -> None:
    """Wait until ``api`` has handed over the chain's changes and reads it at its checkpoint."""
    deadline = time.monotonic() + timeout
    want = w.change_seq()
    while time.monotonic() < deadline:
        state = api.app.state.heads
        head = state.heads.by_chain.get(w.chain_id)
        if (
            head is not None
            and head.indexed_block == w.indexed
            and state.feed.seen.get(w.chain_id, 0) >= want
        ):
            return
        time.sleep(0.01)
    raise AssertionError(f"API did not catch up with chain {w.chain_id} at change {want}")


def profile(api: ApiServer, account: str, **kw):
    return api.get(f"/api/v1/esg/unified-profile/{account}", **kw)


def document(r) -> dict:
    """The answer without ``read_at`` (a kept answer says the block it was read at)."""
    assert r.status_code == 200, r.text
    doc = r.json()
    doc.pop("read_at")
    return doc


move = st.tuples(
    st.sampled_from([ZERO, *ACCOUNTS]), st.sampled_from(ACCOUNTS), st.integers(1, 10**6)
)
step = st.one_of(
    st.tuples(st.just("block"), st.lists(move, min_size=0, max_size=4)),
    st.tuples(st.just("reorg"), st.integers(1, 3)),
    st.tuples(st.just("read"), st.sampled_from(ACCOUNTS)),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_cached_answers_follow_blocks_and_reorgs(live, steps):
    url, cached, fresh, polled = live
    w = Writer(url, next(_CHAIN_IDS))
    try:
        w.block([(ZERO, a, 1000) for a in ACCOUNTS])
        read: set[str] = set()
        for kind, arg in steps:
            if kind == "block":
                w.block(arg)
            elif kind == "reorg":
                w.reorg(arg)
            else:
                read.add(arg)
            for api in (cached, fresh, polled):
                caught_up(api, w)
            for account in sorted(read):
                want = profile(fresh, account)
                for api in (cached, polled):
                    got = profile(api, account)
                    assert document(got) == document(want), f"stale answer for {account}"
                    assert got.headers["etag"] == want.headers["etag"]
    finally:
        w.close()


def test_304_survives_an_unrelated_block_and_a_change_gets_a_new_etag(live):
    url, cached, _, _ = live
    w = Writer(url, next(_CHAIN_IDS))
    try:
        a, b, c = ACCOUNTS[:3]
        w.block([(ZERO, a, 5), (ZERO, b, 7)])
        caught_up(cached, w)
        first = profile(cached, a)
        etag = first.headers["etag"]
        # A block that touches b and c only.
        w.block([(b, c, 1)])
        caught_up(cached, w)
        assert cached.app.state.heads.heads.by_chain[w.chain_id].indexed_block == 2
        again = profile(cached, a, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag
        # A block that changes a: a new answer under a new ETag.
        w.block([(b, a, 2)])
        caught_up(cached, w)
        changed = profile(cached, a, headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != etag
        balances = [x for x in changed.json()["balances"] if x["chain_id"] == w.chain_id]
        assert [x["amount"] for x in balances] == ["7"]
        # A reorg that removes the change gives a again another ETag and the former amount.
        w.reorg(1)
        caught_up(cached, w)
        undone = profile(cached, a, headers={"If-None-Match": changed.headers["etag"]})
        assert undone.status_code == 200
        balances = [x for x in undone.json()["balances"] if x["chain_id"] == w.chain_id]
        assert [x["amount"] for x in balances] == ["5"]
    finally:
        w.close()
