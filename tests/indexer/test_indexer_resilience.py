"""Crashes (kill -9 at random moments) and RPC faults: the index still equals a fresh one."""

import random
import signal
import time

from tests.support import indexing as helpers


def _bulk(token, sender, txs, per_tx):
    for i in range(txs):
        if i % 3 == 0:
            token.emit_transfers(per_tx, i, sender=sender)
        elif i % 3 == 1:
            token.emit_singles(per_tx, i, sender=sender)
        else:
            token.emit_batches(per_tx // 4, i, 4, sender=sender)


def test_kill_9_at_random_moments(emitter, accounts, chain, chain_id, rpc_url, tmp_path):
    token, receipt, manifest = emitter
    _bulk(token, accounts[0], 40, 1000)
    url = helpers.new_database("crash")
    rng = random.Random(11)
    # bulk_min_events: low enough that runs drop the transfer indexes (bulk mode) and get killed
    # in it.
    settings = dict(
        logs_per_request="1500", initial_block_span="1", max_block_span="4", bulk_min_events="1000"
    )
    head = chain.blocks.head.number
    mid_run_kills = 0
    for _ in range(4):
        before = _checkpoint(url)
        proc = helpers.spawn(url, manifest, chain_id, **settings)
        # Kill once this run has committed something, at a random moment after that.
        deadline = time.time() + 60
        while proc.poll() is None and _checkpoint(url) <= before and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.4))
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if _checkpoint(url) < head:
            mid_run_kills += 1
    assert mid_run_kills >= 2
    proc = helpers.spawn(url, manifest, chain_id, **settings)
    try:
        helpers.wait_synced(url, chain.provider, chain_id, timeout=180, proc=proc)
        # Synced means the indexes bulk mode dropped are back.
        assert not helpers.missing_indexes(url)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)

    logs = helpers.node_logs(chain.provider, token.address, receipt.block_number)
    t = bytes.fromhex(token.address[2:])
    rows = helpers.query(
        url,
        "SELECT block_number, log_index FROM events WHERE contract = $1 "
        "ORDER BY block_number, log_index",
        t,
    )
    assert [(r[0], r[1]) for r in rows] == [
        (int(lg["blockNumber"], 16), int(lg["logIndex"], 16)) for lg in logs
    ]
    fresh = helpers.new_database("fresh")
    helpers.index_once(fresh, manifest, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))


def _checkpoint(url):
    if not helpers.tables_exist(url):
        return -1
    rows = helpers.query(url, "SELECT indexed_block FROM chains")
    return rows[0][0] if rows else -1


def test_rpc_faults(deploy, accounts, chain, chain_id, rpc_url, tmp_path):
    token, receipt = deploy()
    _bulk(token, accounts[0], 12, 400)
    proxy = helpers.FaultProxy(rpc_url, rate=0.3, delay=3.0)
    try:
        faulty = helpers.manifest_for(
            tmp_path / "faulty" / "m.json", chain_id, proxy.url, {"EMIT": (token, receipt)}
        )
        url = helpers.new_database("faults")
        helpers.index_once(
            url,
            faulty,
            chain_id,
            rpc_timeout=1.0,
            rpc_max_backoff=0.2,
            logs_per_request=1000,
            initial_block_span=8,
        )
    finally:
        proxy.close()
    assert sum(proxy.faults.values()) >= 5, proxy.faults
    assert len(proxy.faults) >= 4, proxy.faults
    direct = helpers.manifest_for(
        tmp_path / "direct" / "m.json", chain_id, rpc_url, {"EMIT": (token, receipt)}
    )
    fresh = helpers.new_database("fresh")
    helpers.index_once(fresh, direct, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))
    assert helpers.query(url, "SELECT count(*) FROM events")[0][0] == len(
        helpers.node_logs(chain.provider, token.address, receipt.block_number)
    )
