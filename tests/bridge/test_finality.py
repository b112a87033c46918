"""Finality before signing: validators sign a message only once its source block is final by
the chain's rule, and re-read it by the canonical block hash when they sign; a send that a
reorg removes before finality is never signed, never recorded and never delivered."""

from __future__ import annotations

import asyncio

import pytest

from esg.chain.finality import Finality
from esg.chain.follower import reread_final
from esg.chain.rpc import RPC
from tests.support.bridge import CHILD_CHAIN_ID, ROOT_SUPPLY, make_services, supply_across_chains
from tests.support.indexing import query as rows_of

DEPTH = 3


@pytest.fixture
def depth_services(manifest_file, database, chain):
    """Validators and relayer with a finality depth of three blocks on the child chain."""
    return make_services(
        manifest_file, database, {chain.chain_id: "instant", CHILD_CHAIN_ID: f"depth:{DEPTH}"}
    )


@pytest.fixture
def sent_back(wired, depth_services, alice, bob, chain):
    """bob got 100 child GST from alice and sent 40 back (not final yet); alice's root balance
    before that send."""
    root, child = wired
    _funded_on_child(wired, depth_services, alice, bob)
    before = root.token20.balanceOf(alice)
    _send_back(child, bob, alice, 40, chain.chain_id)
    depth_services.round()
    return before


def _funded_on_child(wired, services, alice, bob, amount=100):
    """bob holds ``amount`` child GST, bridged from the root chain."""
    root, child = wired
    root.bridge.send_erc20(root.token20, amount, bob, CHILD_CHAIN_ID, sender=alice)
    services.round()
    assert child.token20.functions.balanceOf(bob.address).call() == amount
    child.transact(child.token20.functions.approve(child.bridge.address, amount), bob.address)


def _send_back(child, bob, alice, amount, root_chain_id):
    return child.transact(
        child.bridge.functions.send_erc20(
            child.token20.address, amount, alice.address, root_chain_id
        ),
        bob.address,
    )


def test_message_signed_only_once_final(wired, depth_services, sent_back, database, alice):
    root, child = wired
    services, before = depth_services, sent_back
    signed = rows_of(
        database, "SELECT * FROM bridge.signatures WHERE src_chain_id = $1", CHILD_CHAIN_ID
    )
    assert signed == [], "signed a message whose block is not final"
    assert root.token20.balanceOf(alice) == before
    child.mine(DEPTH - 1)
    services.round()
    assert root.token20.balanceOf(alice) == before
    child.mine(1)
    services.round()
    assert root.token20.balanceOf(alice) == before + 40
    signed = rows_of(
        database, "SELECT * FROM bridge.signatures WHERE src_chain_id = $1", CHILD_CHAIN_ID
    )
    assert len(signed) == 3


def test_send_removed_by_a_reorg_is_never_delivered(
    wired, depth_services, sent_back, database, alice, bob
):
    """bob sends 40 back to the root chain; a reorg drops the send before it is final. The
    tokens stay with bob on the child and nothing is released on the root: no double spend."""
    root, child = wired
    services, before = depth_services, sent_back
    child.w3.provider.make_request("anvil_reorg", [1, []])
    assert child.token20.functions.balanceOf(bob.address).call() == 100
    child.mine(DEPTH + 2)
    services.round()
    services.round()
    assert root.token20.balanceOf(alice) == before
    assert child.token20.functions.balanceOf(bob.address).call() == 100
    assert supply_across_chains(root, child)[0] == ROOT_SUPPLY
    recorded = rows_of(
        database, "SELECT * FROM bridge.messages WHERE src_chain_id = $1", CHILD_CHAIN_ID
    )
    assert recorded == []


def test_reread_refuses_a_log_whose_block_was_replaced(wired, services, alice, bob, chain):
    """At signing time the log is read again by the canonical block hash: once its block is
    replaced, the log no longer counts, however final it looked when it was found."""
    root, child = wired
    _funded_on_child(wired, services, alice, bob)
    receipt = _send_back(child, bob, alice, 40, chain.chain_id)

    async def reread():
        async with RPC(CHILD_CHAIN_ID, [child.uri]) as rpc:
            (log,) = await rpc.get_logs(
                [child.bridge.address], receipt["blockNumber"], receipt["blockNumber"]
            )
            found = await reread_final(rpc, Finality.parse("instant"), log)
            not_final = await reread_final(rpc, Finality.parse("depth:5"), log)
            child.w3.provider.make_request("anvil_reorg", [1, []])
            gone = await reread_final(rpc, Finality.parse("instant"), log)
            return found, gone, not_final

    found, gone, not_final = asyncio.run(reread())
    assert found is not None and found["transactionHash"] == "0x" + receipt["transactionHash"].hex()
    assert gone is None
    assert not_final is None
