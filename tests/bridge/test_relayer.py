"""The relayer end to end: round trips through `python -m bridge`'s code keep the supply across
chains constant, and a relayer killed with SIGKILL mid-flight and restarted delivers every
transfer exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from conftest import CCR_ID, CHILD_CHAIN_ID, ROOT_SUPPLY, ROOT_UNITS, root_message, signed

from bridge.config import RelayerConfig
from bridge.relayer import Relayer
from bridge.state import DELIVERED, PENDING, SUBMITTED, StateStore


def relay_once(env: dict[str, str], monkeypatch) -> None:
    for key in ("ESG_MANIFEST", "ESG_BRIDGE_STATE", "ESG_BRIDGE_RELAYER_KEY"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.setenv("ESG_BRIDGE_VALIDATOR_KEYS", env["ESG_BRIDGE_VALIDATOR_KEYS"])
    relayer = Relayer(RelayerConfig.load())
    try:
        asyncio.run(relayer.run(once=True))
    finally:
        relayer.store.close()


def supply_across_chains(root, child) -> tuple[int, int]:
    """ERC-20 and CCR units in circulation on both chains (root supply minus locked, plus child)."""
    erc20 = (
        root.token20.totalSupply()
        - root.token20.balanceOf(root.bridge)
        + child.token20.functions.totalSupply().call()
    )
    units = (
        root.token1155.total_supply(CCR_ID)
        - root.token1155.balanceOf(root.bridge, CCR_ID)
        + child.token1155.functions.total_supply(CCR_ID).call()
    )
    return erc20, units


def test_round_trips_keep_supply_constant(
    wired, relayer_env, monkeypatch, alice, bob, carol, chain
):
    root, child = wired
    sends = [(10**18, bob), (3 * 10**18, carol), (5, bob)]
    for amount, to in sends:
        root.bridge.send_erc20(root.token20, amount, to, CHILD_CHAIN_ID, sender=alice)
    root.bridge.send_erc1155(root.token1155, CCR_ID, 25, bob, CHILD_CHAIN_ID, sender=alice)
    relay_once(relayer_env, monkeypatch)

    assert child.token20.functions.balanceOf(bob.address).call() == 10**18 + 5
    assert child.token20.functions.balanceOf(carol.address).call() == 3 * 10**18
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 25
    assert root.token20.balanceOf(root.bridge) == 4 * 10**18 + 5
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    # and back: bob returns part of both to alice on the root chain
    child.transact(child.token20.functions.approve(child.bridge.address, 10**18), bob.address)
    child.transact(
        child.bridge.functions.send_erc20(
            child.token20.address, 10**18, alice.address, chain.chain_id
        ),
        bob.address,
    )
    child.transact(
        child.token1155.functions.setApprovalForAll(child.bridge.address, True), bob.address
    )
    child.transact(
        child.bridge.functions.send_erc1155(
            child.token1155.address, CCR_ID, 20, alice.address, chain.chain_id
        ),
        bob.address,
    )
    before = root.token20.balanceOf(alice)
    relay_once(relayer_env, monkeypatch)
    assert root.token20.balanceOf(alice) == before + 10**18
    assert root.token1155.balanceOf(alice, CCR_ID) == ROOT_UNITS - 25 + 20
    assert child.token20.functions.balanceOf(bob.address).call() == 5
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    # a further round finds nothing new and changes nothing
    relay_once(relayer_env, monkeypatch)
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)
    store = StateStore(Path(relayer_env["ESG_BRIDGE_STATE"]))
    statuses = [s.status for s in store.all_messages()]
    store.close()
    assert statuses == [DELIVERED] * 6


def test_relayer_skips_message_delivered_by_someone_else(
    wired, relayer_env, monkeypatch, alice, bob, validators
):
    root, child = wired
    receipt = root.bridge.send_erc20(root.token20, 9, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)

    child.transact(
        child.bridge.functions.receive_message(
            *msg.call_args(signed(msg, child.bridge.address, validators))
        ),
        bob.address,
    )
    relay_once(relayer_env, monkeypatch)
    assert child.token20.functions.totalSupply().call() == 9
    store = StateStore(Path(relayer_env["ESG_BRIDGE_STATE"]))
    (stored,) = store.all_messages()
    store.close()
    assert stored.status == DELIVERED and stored.attempts == 0


def _start(env):
    return subprocess.Popen(
        [sys.executable, "-m", "bridge", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _received_ids(child) -> Counter:
    logs = child.bridge.events.MessageReceived().get_logs(from_block=0)
    return Counter(bytes(e["args"]["message_id"]) for e in logs)


def test_kill_9_and_restart_delivers_exactly_once(wired, relayer_env, alice, bob, carol):
    root, child = wired
    w3 = child.w3
    amounts = [11, 12, 13, 14, 15, 16]
    message_ids = []
    for i, amount in enumerate(amounts):
        to = bob if i % 2 else carol
        receipt = root.bridge.send_erc20(root.token20, amount, to, CHILD_CHAIN_ID, sender=alice)
        msg = root_message(receipt, root.bridge)
        message_ids.append(
            child.bridge.functions.message_id(
                msg.src_chain_id, msg.src_tx_hash, msg.src_log_index
            ).call()
        )
    receipt = root.bridge.send_erc1155(root.token1155, CCR_ID, 3, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    message_ids.append(
        child.bridge.functions.message_id(
            msg.src_chain_id, msg.src_tx_hash, msg.src_log_index
        ).call()
    )

    def delivered() -> int:
        return sum(child.bridge.functions.processed(mid).call() for mid in message_ids)

    # mine the child chain once a second so kills land while transactions are in flight
    w3.provider.make_request("evm_setAutomine", [False])
    w3.provider.make_request("evm_setIntervalMining", [1])
    state = relayer_env["ESG_BRIDGE_STATE"]

    def count(status: str) -> int:
        if not os.path.exists(state):
            return 0
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            return db.execute(
                "SELECT count(*) FROM message WHERE status = ?", (status,)
            ).fetchone()[0]
        except sqlite3.OperationalError:  # schema not created yet
            return 0
        finally:
            db.close()

    def wait_for(condition, proc) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "relayer made no progress"
            time.sleep(0.02)

    # kill points: right after the first scan recorded messages, then twice while a
    # receive_message transaction is submitted but not yet mined
    kill_points = [
        lambda: count(PENDING) + count(SUBMITTED) > 0,
        lambda: delivered() >= 2 and count(SUBMITTED) > 0,
        lambda: delivered() >= 4 and count(SUBMITTED) > 0,
    ]
    proc = None
    try:
        for condition in kill_points:
            proc = _start(relayer_env)
            wait_for(condition, proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            assert delivered() < len(message_ids), "killed too late to be mid-flight"
        proc = _start(relayer_env)
        deadline = time.monotonic() + 90
        while delivered() < len(message_ids):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "not every transfer arrived"
            time.sleep(0.1)
        time.sleep(3)  # give a stray duplicate submission the time to be mined
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        w3.provider.make_request("evm_setIntervalMining", [0])
        w3.provider.make_request("evm_setAutomine", [True])

    counts = _received_ids(child)
    assert {bytes(m): counts[bytes(m)] for m in message_ids} == {bytes(m): 1 for m in message_ids}
    assert sum(counts.values()) == len(message_ids)
    assert child.token20.functions.totalSupply().call() == sum(amounts)
    assert child.token20.functions.balanceOf(bob.address).call() == 12 + 14 + 16
    assert child.token20.functions.balanceOf(carol.address).call() == 11 + 13 + 15
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 3
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    status = subprocess.run(
        [sys.executable, "-m", "bridge", "status"],
        env=relayer_env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in status.stdout.splitlines()]
    assert [r["status"] for r in rows] == [DELIVERED] * len(message_ids)
    print("relayer attempts per message:", [r["attempts"] for r in rows])


def test_duplicate_submission_is_rejected_and_settled(
    wired, relayer_env, monkeypatch, alice, bob, validators
):
    """A crash between submitting and recording the submission makes the relayer submit again:
    the second transaction reverts and the message still counts as delivered once."""
    root, child = wired
    w3 = child.w3
    receipt = root.bridge.send_erc20(root.token20, 21, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    w3.provider.make_request("evm_setAutomine", [False])
    try:
        first = child.bridge.functions.receive_message(
            *msg.call_args(signed(msg, child.bridge.address, validators))
        ).transact({"from": bob.address, "gas": 300_000})
        worker = threading.Thread(target=relay_once, args=(relayer_env, monkeypatch))
        worker.start()
        deadline = time.monotonic() + 30
        while len(w3.provider.make_request("txpool_content", [])["result"]["pending"]) < 2:
            assert time.monotonic() < deadline, "the relayer did not submit"
            time.sleep(0.05)
        w3.provider.make_request("evm_mine", [])
        worker.join(30)
        assert not worker.is_alive()
    finally:
        w3.provider.make_request("evm_setAutomine", [True])
    store = StateStore(Path(relayer_env["ESG_BRIDGE_STATE"]))
    (stored,) = store.all_messages()
    store.close()
    assert (stored.status, stored.attempts) == (DELIVERED, 1)
    outcomes = sorted(
        w3.eth.get_transaction_receipt(tx)["status"] for tx in (first, stored.dest_tx_hash)
    )
    assert outcomes == [0, 1], "both transactions mined in one block, exactly one accepted"
    assert child.token20.functions.totalSupply().call() == 21
    assert sum(_received_ids(child).values()) == 1
