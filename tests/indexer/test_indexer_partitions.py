"""Block-range partitions of `transfers` and `event_rows`: created ahead of the indexer while it
follows a chain through reorgs, rows of an older DEFAULT-only database moved into them, and the
result equal row for row to an index without partitions."""

import random
import re
import signal

import pytest

from indexer.partitions import TABLES, missing_ranges
from tests.support import indexing as helpers

BOUND = re.compile(r"FOR VALUES FROM \('?(\d+)'?\) TO \('?(\d+)'?\)")


def _activity(token, sender, rng, txs):
    for _ in range(txs):
        if rng.random() < 0.6:
            token.emit_transfers(rng.randint(1, 40), rng.randint(0, 10**9), sender=sender)
        else:
            token.emit_batches(rng.randint(1, 8), rng.randint(0, 10**9), 3, sender=sender)


def _partitions(url, table):
    """[(name, lo, hi, rows)] of ``table``'s partitions; lo = hi = None for DEFAULT."""
    rows = helpers.query(
        url,
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass"
        " ORDER BY c.relname",
        table,
    )
    out = []
    for name, bound in rows:
        n = helpers.query(url, f"SELECT count(*) FROM {name}")[0][0]
        m = BOUND.fullmatch(bound)
        out.append((name, int(m[1]), int(m[2]), n) if m else (name, None, None, n))
    return out


def _default_rows(url):
    return sum(p[3] for t in TABLES for p in _partitions(url, t) if p[1] is None)


def _assert_covered(url, low, high, size):
    """Every block of [low, high] is in exactly one aligned partition of each table."""
    for table in TABLES:
        ranges = sorted((p[1], p[2]) for p in _partitions(url, table) if p[1] is not None)
        assert all(lo % size == 0 and hi - lo == size for lo, hi in ranges), ranges
        assert ranges[0][0] <= low and ranges[-1][1] > high, (low, high, ranges)
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False)), ranges


def test_missing_ranges():
    assert missing_ranges([], 5, 25, 10) == [(0, 10), (10, 20), (20, 30)]
    assert missing_ranges([(0, 10)], 5, 25, 10) == [(10, 20), (20, 30)]
    # Existing partitions of another size are respected: only the gaps are filled.
    assert missing_ranges([(0, 10), (13, 17), (30, 40)], 5, 35, 10) == [
        (10, 13),
        (17, 20),
        (20, 30),
    ]
    assert missing_ranges([(0, 100)], 5, 35, 10) == []


def test_partitions_ahead_of_a_live_chain_with_reorgs(
    deploy, accounts, chain, chain_id, rpc_url, tmp_path
):
    token, receipt = deploy()
    rng = random.Random(21)
    _activity(token, accounts[0], rng, 6)
    manifest = helpers.manifest_for(
        tmp_path / "m.json", chain_id, rpc_url, {"EMIT": (token, receipt)}
    )
    url = helpers.new_database("parts")
    size = 8
    proc = helpers.spawn(
        url, manifest, chain_id, partition_blocks=str(size), partitions_ahead="2", log_level="INFO"
    )
    try:
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        for depth in (2, 5, 9):
            # Bursts longer than the two partitions ahead: the keeper has to follow the head.
            _activity(token, accounts[0], rng, 20)
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
            chain.provider.make_request("anvil_reorg", [depth, []])
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
            # Each commit covered its blocks first: nothing waits in DEFAULT for the keeper.
            assert _default_rows(url) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    err = proc.stderr.read().decode()
    assert err.count("reorg rolled back") >= 3
    assert "partition created" in err
    assert _default_rows(url) == 0
    _assert_covered(url, receipt.block_number, chain.blocks.head.number, size)
    per_partition = [p[3] for p in _partitions(url, "transfers") if p[1] is not None]
    assert sum(1 for n in per_partition if n) > 3  # the rows really are spread over partitions
    fresh = helpers.new_database("parts_fresh")
    helpers.index_once(fresh, manifest, chain_id, partition_blocks=0)
    assert _default_rows(fresh) > 0
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))


@pytest.mark.parametrize("size", [16, 1_000_000])
def test_rows_of_the_default_partition_move_into_partitions(
    deploy, accounts, chain, chain_id, rpc_url, tmp_path, size
):
    token, receipt = deploy()
    _activity(token, accounts[0], random.Random(size), 30)
    manifest = helpers.manifest_for(
        tmp_path / "m.json", chain_id, rpc_url, {"EMIT": (token, receipt)}
    )
    url = helpers.new_database("moved")
    helpers.index_once(url, manifest, chain_id, partition_blocks=0)
    before = helpers.dump(url)
    in_default = _default_rows(url)
    assert in_default > 0
    assert all(p[1] is None for t in TABLES for p in _partitions(url, t))
    # The next run (an upgraded indexer) partitions the database it finds. Its keeper never
    # checks the heads by itself here, and what it covers at start (one partition past the start
    # block) ends before the new blocks: their commit has to cover everything up to them.
    _activity(token, accounts[0], random.Random(size + 1), 20)
    helpers.index_once(
        url,
        manifest,
        chain_id,
        partition_blocks=size,
        partitions_ahead=1,
        partition_check_interval=3600,
    )
    assert _default_rows(url) == 0
    _assert_covered(url, receipt.block_number, chain.blocks.head.number, size)
    after = helpers.dump(url)
    for table in ("events", "transfers"):
        # Everything indexed before is still there, exactly once (the new blocks sort after it;
        # `final` of an event may have changed since).
        rows = before[table]
        assert [r[:9] for r in after[table][: len(rows)]] == [r[:9] for r in rows], table
    fresh = helpers.new_database("moved_fresh")
    helpers.index_once(fresh, manifest, chain_id, partition_blocks=0)
    helpers.assert_same(after, helpers.dump(fresh))
