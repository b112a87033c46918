"""One writer per chain and database: a second ``python -m indexer`` on the same chain and
database stops with a message naming the chain; the lock goes with its holder, even on kill -9."""

import signal

from indexer.__main__ import EXIT_CHAIN_BUSY
from tests.support import indexing as helpers


def _stop(proc) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def test_second_indexer_of_a_chain_refuses_to_run(
    deploy, accounts, chain, chain_id, rpc_url, tmp_path
):
    token, receipt = deploy()
    token.emit_transfers(50, 1, sender=accounts[0])
    manifest = helpers.manifest_for(
        tmp_path / "m.json", chain_id, rpc_url, {"EMIT": (token, receipt)}
    )
    url = helpers.new_database("writer")
    first = helpers.spawn(url, manifest, chain_id)
    try:
        helpers.wait_synced(url, chain.provider, chain_id, proc=first)
        second = helpers.spawn(url, manifest, chain_id)
        assert second.wait(60) == EXIT_CHAIN_BUSY
        err = second.stderr.read().decode()
        assert f"chain {chain_id}: another indexer is already writing this chain" in err
        assert "esg-indexer" in err  # the holder's session is named
        # The first one is unaffected and keeps following the chain.
        assert first.poll() is None
        token.emit_transfers(20, 2, sender=accounts[0])
        helpers.wait_synced(url, chain.provider, chain_id, proc=first)

        # Another database is another index: the same chain may be written there meanwhile.
        other = helpers.new_database("writer_other")
        third = helpers.spawn(other, manifest, chain_id)
        try:
            helpers.wait_synced(other, chain.provider, chain_id, proc=third)
        finally:
            _stop(third)

        # kill -9 of the holder frees the chain: the next indexer takes over and catches up.
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        token.emit_transfers(20, 3, sender=accounts[0])
        successor = helpers.spawn(url, manifest, chain_id)
        try:
            helpers.wait_synced(url, chain.provider, chain_id, proc=successor)
        finally:
            _stop(successor)
    finally:
        _stop(first)
    fresh = helpers.new_database("writer_fresh")
    helpers.index_once(fresh, manifest, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))
