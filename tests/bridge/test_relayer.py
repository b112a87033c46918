"""Validators and relayer end to end: round trips keep the supply across chains constant, two of
three validators suffice, the relayer alone delivers nothing, paused bridges and missing
signatures only delay, undeliverable messages back off and end as failed with their reason,
and processes killed with SIGKILL mid-flight still deliver every transfer exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import asyncpg
import pytest
from prometheus_client import REGISTRY

from bridge.store import DELIVERED, FAILED, PENDING, Store
from esg.chain.abi import hex_bytes
from tests.support.bridge import (
    CCR_ID,
    CHILD_CHAIN_ID,
    ROOT_SUPPLY,
    ROOT_UNITS,
    make_services,
    root_message,
    signed,
    supply_across_chains,
)
from tests.support.indexing import query as rows
from tests.support.processes import run_module


def statuses(url: str) -> list[str]:
    return [r["status"] for r in rows(url, "SELECT status FROM bridge.messages ORDER BY seq")]


def _sample(name: str, **labels) -> float:
    """A metric of the relayer run in this process (0 before its first round)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_round_trips_keep_supply_constant(wired, services, database, alice, bob, carol, chain):
    root, child = wired
    for amount, to in ((10**18, bob), (3 * 10**18, carol), (5, bob)):
        root.bridge.send_erc20(root.token20, amount, to, CHILD_CHAIN_ID, sender=alice)
    root.bridge.send_erc1155(root.token1155, CCR_ID, 25, bob, CHILD_CHAIN_ID, sender=alice)
    services.round()

    assert child.token20.functions.balanceOf(bob.address).call() == 10**18 + 5
    assert child.token20.functions.balanceOf(carol.address).call() == 3 * 10**18
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 25
    assert tuple(child.token1155.functions.batch(CCR_ID).call()) == tuple(
        root.token1155.batch(CCR_ID)
    )
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    # and back: bob returns part of both to alice on the root chain
    child.transact(child.token20.functions.approve(child.bridge.address, 10**18), bob.address)
    child.transact(
        child.bridge.functions.send_erc20(
            child.token20.address, 10**18, alice.address, chain.chain_id
        ),
        bob.address,
    )
    child.send_erc1155_home(bob.address, alice.address, 20, chain.chain_id)
    before = root.token20.balanceOf(alice)
    services.round()
    assert root.token20.balanceOf(alice) == before + 10**18
    assert root.token1155.balanceOf(alice, CCR_ID) == ROOT_UNITS - 25 + 20
    assert child.token20.functions.balanceOf(bob.address).call() == 5
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    # a further round finds nothing new and changes nothing
    services.round()
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)
    assert statuses(database) == [DELIVERED] * 6
    signers = rows(database, "SELECT DISTINCT validator FROM bridge.signatures")
    assert len(signers) == 3


def test_two_of_three_validators_suffice(wired, services, database, alice, bob):
    root, child = wired
    root.bridge.send_erc20(root.token20, 77, bob, CHILD_CHAIN_ID, sender=alice)
    services.round(0, 2)
    assert child.token20.functions.balanceOf(bob.address).call() == 77
    assert statuses(database) == [DELIVERED]


def test_relayer_alone_delivers_nothing(wired, services, database, alice, bob):
    """The relayer holds no validator key: without two published signatures nothing moves,
    and one validator alone is not enough either."""
    root, child = wired
    root.bridge.send_erc20(root.token20, 9, bob, CHILD_CHAIN_ID, sender=alice)
    services.relay()
    services.relay()
    assert child.token20.functions.totalSupply().call() == 0
    assert statuses(database) == [PENDING]
    services.round(1)
    assert child.token20.functions.totalSupply().call() == 0
    (row,) = rows(database, "SELECT attempts FROM bridge.messages")
    assert row["attempts"] == 0, "waiting for signatures is not a failed attempt"
    services.round(2)
    assert child.token20.functions.totalSupply().call() == 9


def test_each_validator_publishes_only_its_own_signature(wired, services, database, alice, bob):
    root, _ = wired
    root.bridge.send_erc20(root.token20, 9, bob, CHILD_CHAIN_ID, sender=alice)
    services.validate(0)
    (row,) = rows(database, "SELECT validator FROM bridge.signatures")
    assert "0x" + bytes(row["validator"]).hex() == services_address(services, 0).lower()


def services_address(services, i: int) -> str:
    from esg.personas import dev_account

    return dev_account(services.validators[i].dev_account).address


def test_forged_signatures_in_the_table_are_ignored(wired, services, database, alice, bob):
    """Whoever can write the signatures table still cannot make the relayer submit a message
    the validators did not sign: each signature is checked against the exact digest."""
    root, child = wired
    receipt = root.bridge.send_erc20(root.token20, 9, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    services.validate(0)
    inflated = type(msg)(**{**msg.__dict__, "amount": 9 * 10**18})
    from esg.personas import dev_account

    forger = dev_account(11)
    forged = inflated.sign(forger, child.bridge.address)
    rows(
        database,
        "INSERT INTO bridge.signatures VALUES ($1, $2, $3, $4, $5, $6)",
        msg.src_chain_id,
        msg.src_tx_hash,
        msg.src_log_index,
        hex_bytes(forger.address),
        msg.digest(child.bridge.address),
        forged,
    )
    services.relay()
    assert child.token20.functions.totalSupply().call() == 0
    services.round(2)
    assert child.token20.functions.totalSupply().call() == 9


def test_paused_destination_loses_nothing(wired, services, database, admin, pauser, alice, bob):
    root, child = wired
    role = child.bridge.functions.PAUSER_ROLE().call()
    child.transact(child.bridge.functions.grantRole(role, pauser.address), admin.address)
    child.transact(child.bridge.functions.pause(), pauser.address)
    root.bridge.send_erc20(root.token20, 11, bob, CHILD_CHAIN_ID, sender=alice)
    services.round()
    services.round()
    (row,) = rows(database, "SELECT status, attempts FROM bridge.messages")
    assert (row["status"], row["attempts"]) == (PENDING, 0)
    child.transact(child.bridge.functions.unpause(), pauser.address)
    services.relay()
    assert child.token20.functions.balanceOf(bob.address).call() == 11
    assert statuses(database) == [DELIVERED]


def test_undeliverable_message_backs_off_then_fails(
    project, wired, manifest_file, database, alice, admin, chain
):
    """A CCR release to a contract that refuses ERC-1155 reverts on the root chain: the relayer
    retries with growing waits, then marks the message failed with the revert reason."""
    root, child = wired
    refuser = project.TokenReceiverMock.deploy(False, sender=admin)
    services = make_services(
        manifest_file,
        database,
        {chain.chain_id: "instant", CHILD_CHAIN_ID: "instant"},
        max_attempts=2,
        backoff_base=0.05,
        backoff_max=0.05,
    )
    root.bridge.send_erc1155(root.token1155, CCR_ID, 5, alice, CHILD_CHAIN_ID, sender=alice)
    services.round()
    child.send_erc1155_home(alice.address, refuser.address, 5, chain.chain_id)
    failed_before = _sample("bridge_messages_failed_total", dest_chain=str(chain.chain_id))
    services.round()
    (row,) = rows(
        database, "SELECT * FROM bridge.messages WHERE dest_chain_id = $1", chain.chain_id
    )
    assert (row["status"], row["attempts"]) == (PENDING, 1)
    assert row["next_attempt_at"] > row["seen_at"]
    assert _sample("bridge_backlog_messages", dest_chain=str(chain.chain_id)) == 1
    time.sleep(0.1)
    services.relay()
    (row,) = rows(
        database, "SELECT * FROM bridge.messages WHERE dest_chain_id = $1", chain.chain_id
    )
    assert (row["status"], row["attempts"]) == (FAILED, 2)
    assert row["last_error"] == "erc1155: transfer to non-IERC1155Receiver implementer"
    failed = _sample("bridge_messages_failed_total", dest_chain=str(chain.chain_id))
    assert failed == failed_before + 1
    assert _sample("bridge_backlog_messages", dest_chain=str(chain.chain_id)) == 0
    time.sleep(0.1)
    services.relay()
    (row,) = rows(
        database, "SELECT * FROM bridge.messages WHERE dest_chain_id = $1", chain.chain_id
    )
    assert row["attempts"] == 2, "a failed message is not retried by itself"


def test_retry_command_puts_a_failed_message_back(wired, services, database, alice, bob):
    root, _ = wired
    receipt = root.bridge.send_erc20(root.token20, 5, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    services.relay()
    rows(database, "UPDATE bridge.messages SET status = 'failed', attempts = 8")
    label = msg.label()

    def retry() -> subprocess.CompletedProcess:
        return run_module("bridge", "retry", label, env=services.env, check=False)

    run = retry()
    assert run.returncode == 0, run.stderr
    assert tuple(rows(database, "SELECT status, attempts FROM bridge.messages")[0]) == (PENDING, 0)
    run = retry()
    assert run.returncode == 1 and "no failed message" in run.stderr


def test_message_delivered_by_someone_else(wired, services, database, alice, bob, validators):
    root, child = wired
    receipt = root.bridge.send_erc20(root.token20, 9, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    name, args = msg.call(signed(msg, child.bridge.address, validators))
    child.transact(getattr(child.bridge.functions, name)(*args), bob.address)
    services.relay()
    assert child.token20.functions.totalSupply().call() == 9
    (row,) = rows(database, "SELECT status, attempts FROM bridge.messages")
    assert (row["status"], row["attempts"]) == (DELIVERED, 0)


def _start(module: str, env: dict, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module],
        env={**env, **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _received_ids(child) -> Counter:
    logs = child.bridge.events.MessageReceived().get_logs(from_block=0)
    return Counter(bytes(e["args"]["message_id"]) for e in logs)


def test_kill_9_and_restart_delivers_exactly_once(wired, services, database, alice, bob, carol):
    """The relayer and a validator are killed with SIGKILL while transactions are in flight,
    three times; after restarts every transfer arrived exactly once."""
    root, child = wired
    w3 = child.w3
    amounts = [11, 12, 13, 14, 15, 16]
    messages = []
    for i, amount in enumerate(amounts):
        to = bob if i % 2 else carol
        receipt = root.bridge.send_erc20(root.token20, amount, to, CHILD_CHAIN_ID, sender=alice)
        messages.append(root_message(receipt, root.bridge))
    receipt = root.bridge.send_erc1155(root.token1155, CCR_ID, 3, bob, CHILD_CHAIN_ID, sender=alice)
    messages.append(root_message(receipt, root.bridge))
    ids = [m.message_id for m in messages]

    def delivered() -> int:
        return sum(child.bridge.functions.processed(mid).call() for mid in ids)

    def count(status: str) -> int:
        try:
            return rows(database, "SELECT count(*) FROM bridge.messages WHERE status = $1", status)[
                0
            ][0]
        except asyncpg.UndefinedTableError:
            return 0

    # mine the child chain once a second so kills land while transactions are in flight
    w3.provider.make_request("evm_setAutomine", [False])
    w3.provider.make_request("evm_setIntervalMining", [1])
    env = services.env
    validators = {
        i: _start("bridge.validator", env, BRIDGE_VALIDATOR_DEV_ACCOUNT=str(10 + i))
        for i in range(3)
    }
    procs = list(validators.values())

    def wait_for(condition, watched) -> None:
        deadline = time.monotonic() + 90
        while not condition():
            for p in watched:
                assert p.poll() is None, p.stderr.read().decode()
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.02)

    kill_points = [
        lambda: count(PENDING) + count("submitted") > 0,
        lambda: delivered() >= 2 and count("submitted") > 0,
        lambda: delivered() >= 4 and count("submitted") > 0,
    ]
    relayer = None
    try:
        for n, condition in enumerate(kill_points):
            relayer = _start("bridge", env)
            procs.append(relayer)
            wait_for(condition, [relayer])
            os.kill(relayer.pid, signal.SIGKILL)
            relayer.wait()
            victim = validators[n % 3]
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()
            validators[n % 3] = _start(
                "bridge.validator", env, BRIDGE_VALIDATOR_DEV_ACCOUNT=str(10 + n % 3)
            )
            procs.append(validators[n % 3])
            assert delivered() < len(ids), "killed too late to be mid-flight"
        relayer = _start("bridge", env)
        procs.append(relayer)
        wait_for(lambda: delivered() == len(ids), [relayer])
        time.sleep(3)  # give a stray duplicate submission the time to be mined
    finally:
        for p in procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
        w3.provider.make_request("evm_setIntervalMining", [0])
        w3.provider.make_request("evm_setAutomine", [True])

    counts = _received_ids(child)
    assert {m: counts[m] for m in ids} == dict.fromkeys(ids, 1)
    assert sum(counts.values()) == len(ids)
    assert child.token20.functions.totalSupply().call() == sum(amounts)
    assert child.token20.functions.balanceOf(bob.address).call() == 12 + 14 + 16
    assert child.token20.functions.balanceOf(carol.address).call() == 11 + 13 + 15
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 3
    assert supply_across_chains(root, child) == (ROOT_SUPPLY, ROOT_UNITS)

    status = run_module("bridge", "status", env=env, check=True)
    lines = [json.loads(line) for line in status.stdout.splitlines()]
    assert [r["status"] for r in lines] == [DELIVERED] * len(ids)


def test_duplicate_submission_is_rejected_and_settled(
    wired, services, database, alice, bob, validators
):
    """Someone else submits the same message in the same block as the relayer: one of the two
    transactions reverts and the message still counts as delivered once."""
    root, child = wired
    w3 = child.w3
    receipt = root.bridge.send_erc20(root.token20, 21, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    services.validate()
    w3.provider.make_request("evm_setAutomine", [False])
    try:
        name, args = msg.call(signed(msg, child.bridge.address, validators))
        first = getattr(child.bridge.functions, name)(*args).transact(
            {"from": bob.address, "gas": 300_000}
        )
        import threading

        worker = threading.Thread(target=services.relay)
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
    (row,) = rows(database, "SELECT status, dest_tx_hash FROM bridge.messages")
    assert row["status"] == DELIVERED
    outcomes = sorted(
        w3.eth.get_transaction_receipt(tx)["status"] for tx in (first, bytes(row["dest_tx_hash"]))
    )
    assert outcomes == [0, 1], "both transactions mined in one block, exactly one accepted"
    assert child.token20.functions.totalSupply().call() == 21
    assert sum(_received_ids(child).values()) == 1


@pytest.mark.parametrize("module", ["bridge", "bridge.validator"])
def test_no_key_configured_is_a_clear_error(module, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIDGE_")}
    env["ESG_MANIFEST"] = str(tmp_path / "none.json")
    run = run_module(module, env=env, timeout=60)
    assert run.returncode == 2
    assert "no signing key" in run.stderr and "DEV_ACCOUNT" in run.stderr


def test_store_reports_backlog_and_missing_signatures(wired, services, database, alice, bob):
    root, _ = wired
    root.bridge.send_erc20(root.token20, 5, bob, CHILD_CHAIN_ID, sender=alice)
    services.relay()
    services.validate(0)

    async def check():
        store = Store(await asyncpg.create_pool(database, min_size=1, max_size=1))
        try:
            assert await store.backlog() == {CHILD_CHAIN_ID: 1}
            missing = await store.missing_signatures(
                [services_address(services, i) for i in range(3)]
            )
            assert sorted(missing.values()) == [0, 1, 1]
        finally:
            await store.close()

    asyncio.run(check())


def test_validators_refuse_a_pair_the_bridges_disagree_on(
    wired, services, database, admin, alice, bob, chain
):
    """If the destination bridge pairs the token with another root token, releasing it later
    would pay out the wrong locked token: validators sign nothing."""
    root, child = wired
    child.transact(
        child.bridge.functions.map_token(
            child.token20.address, chain.chain_id, root.token1155.address
        ),
        admin.address,
    )
    root.bridge.send_erc20(root.token20, 5, bob, CHILD_CHAIN_ID, sender=alice)
    services.round()
    assert rows(database, "SELECT * FROM bridge.signatures") == []
    assert child.token20.functions.totalSupply().call() == 0
