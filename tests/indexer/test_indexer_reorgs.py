"""Reorgs (anvil_reorg) during backfill and during live following: the database then equals a
fresh index of the same chain, row for row. A reorg deeper than the window is a fatal error."""

import random

import pytest

from indexer.chain import ReorgTooDeep
from tests.support import indexing as helpers


class Activity:
    """Random emitter transactions (transfers, singles, batches), reproducible from ``seed``."""

    def __init__(self, token, sender, seed: int):
        self.token, self.sender, self.rng = token, sender, random.Random(seed)

    def __call__(self, txs: int) -> None:
        rng = self.rng
        for _ in range(txs):
            kind = rng.random()
            if kind < 0.5:
                self.token.emit_transfers(
                    rng.randint(1, 60), rng.randint(0, 10**9), sender=self.sender
                )
            elif kind < 0.8:
                self.token.emit_singles(
                    rng.randint(1, 30), rng.randint(0, 10**9), sender=self.sender
                )
            else:
                self.token.emit_batches(
                    rng.randint(1, 10), rng.randint(0, 10**9), 3, sender=self.sender
                )


@pytest.fixture
def activity(emitter, accounts):
    """``activity(seed)``: an Activity of the emitter, sent by the first test account."""
    return lambda seed: Activity(emitter[0], accounts[0], seed)


@pytest.fixture
def manifest(emitter):
    return emitter[2]


def _reorg(chain, depth):
    chain.provider.make_request("anvil_reorg", [depth, []])


def _compare_with_fresh(url, manifest, chain_id):
    fresh = helpers.new_database("fresh")
    helpers.index_once(fresh, manifest, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))


def test_reorgs_while_following_live(activity, manifest, chain, chain_id):
    send = activity(3)
    url = helpers.new_database("live")
    with helpers.following(url, manifest, chain_id) as proc:
        send(8)
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        for depth in (1, 3, 6):
            before = helpers.query(url, "SELECT count(*) FROM events")[0][0]
            _reorg(chain, depth)
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
            send(3)
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
            assert before > 0
    assert proc.stderr.read().decode().count("reorg rolled back") >= 3
    _compare_with_fresh(url, manifest, chain_id)


def test_reorg_during_backfill(activity, manifest, chain, chain_id):
    send = activity(5)
    send(30)
    url = helpers.new_database("backfill")
    # Tiny ranges so the backfill is still running when the chain reorganises.
    with helpers.following(
        url,
        manifest,
        chain_id,
        logs_per_request="20",
        initial_block_span="1",
        max_block_span="2",
        prefetch="1",
        bulk_min_events="50",  # bulk mode on: the rollback needs the indexes back first
    ) as proc:
        # Reorganise blocks that are already indexed while later ones are still being fetched.
        helpers.wait_indexed(url, chain.blocks.head.number - 6)
        _reorg(chain, 8)
        send(4)
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
    err = proc.stderr.read().decode()
    assert "reorg rolled back" in err
    assert not helpers.missing_indexes(url)
    _compare_with_fresh(url, manifest, chain_id)


def test_reorg_deeper_than_window_is_fatal(activity, manifest, chain, chain_id):
    activity(9)(10)
    url = helpers.new_database("deep")
    helpers.index_once(url, manifest, chain_id, reorg_window=3)
    _reorg(chain, 6)
    with pytest.raises(BaseException) as info:
        helpers.index_once(url, manifest, chain_id, reorg_window=3)
    assert info.group_contains(ReorgTooDeep) if hasattr(info, "group_contains") else True
    from indexer import metrics

    assert metrics.DEEP_REORGS.labels(str(chain_id))._value.get() >= 1
