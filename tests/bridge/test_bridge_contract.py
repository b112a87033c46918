"""Bridge.vy on the root chain (ape) and the child chain (web3): sends, signed receipts,
every revert path, administration and the permission matrix."""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from bridge.message import AdminCall
from tests.support.bridge import (
    ADMIN_DELAY,
    CCR_ID,
    CHILD_CHAIN_ID,
    ERC20,
    ERC1155,
    child_message,
    root_message,
    signed,
    stranger,
)

ZERO = "0x" + "00" * 20


def call_args(message, signatures) -> tuple:
    """The arguments of the destination call delivering ``message``."""
    return message.call(signatures)[1]


def test_constructor_state(root, validators):
    bridge = root.bridge
    assert bridge.threshold() == 2
    assert bridge.validator_count() == len(validators)
    assert all(bridge.is_validator(v.address) for v in validators)
    assert bridge.sequence() == 0
    assert bridge.PAUSER_ROLE() == keccak(text="PAUSER_ROLE")
    assert bridge.supportsInterface(bytes.fromhex("4e2312e0"))
    assert bridge.supportsInterface(bytes.fromhex("01ffc9a7"))
    assert not bridge.supportsInterface(bytes.fromhex("ffffffff"))


def test_constructor_rejects_bad_threshold(project, admin, validators):
    addresses = [v.address for v in validators]
    with ape.reverts("bridge: zero threshold"):
        project.Bridge.deploy(addresses, 0, 0, 0, sender=admin)
    with ape.reverts("bridge: threshold above validator count"):
        project.Bridge.deploy(addresses, 4, 0, 0, sender=admin)
    with ape.reverts("bridge: already a validator"):
        project.Bridge.deploy(addresses + addresses[:1], 2, 0, 0, sender=admin)
    with ape.reverts("bridge: governance chain is this chain"):
        project.Bridge.deploy(addresses, 2, project.provider.chain_id, 0, sender=admin)


def test_send_erc20_locks_on_root(wired, alice, bob, chain):
    root, child = wired
    before = root.token20.balanceOf(alice)
    receipt = root.bridge.send_erc20(root.token20, 10**18, bob, CHILD_CHAIN_ID, sender=alice)
    print(f"gas send_erc20 (root, lock): {receipt.gas_used}")
    assert root.token20.balanceOf(alice) == before - 10**18
    assert root.token20.balanceOf(root.bridge) == 10**18
    (event,) = receipt.decode_logs(root.bridge.MessageSent)
    assert event.src_chain_id == chain.chain_id
    assert event.sequence == 0
    assert event.dest_chain_id == CHILD_CHAIN_ID
    assert event.dest_token == child.token20.address
    assert event.sender == alice.address and event.recipient == bob.address
    assert (event.id, event.amount) == (0, 10**18)
    receipt = root.bridge.send_erc20(root.token20, 1, bob, CHILD_CHAIN_ID, sender=alice)
    assert receipt.decode_logs(root.bridge.MessageSent)[0].sequence == 1
    assert root.bridge.sequence() == 2


def test_send_erc1155_locks_on_root(wired, alice, bob):
    root, child = wired
    receipt = root.bridge.send_erc1155(
        root.token1155, CCR_ID, 40, bob, CHILD_CHAIN_ID, sender=alice
    )
    print(f"gas send_erc1155 (root, lock): {receipt.gas_used}")
    assert root.token1155.balanceOf(root.bridge, CCR_ID) == 40
    (event,) = receipt.decode_logs(root.bridge.MessageSent)
    assert (event.id, event.amount, event.dest_token) == (CCR_ID, 40, child.token1155.address)


@pytest.mark.parametrize(
    "args, reason",
    [
        (lambda r, bob: (r.token20, 0, bob, CHILD_CHAIN_ID), "bridge: zero amount"),
        (lambda r, bob: (r.token20, 1, ZERO, CHILD_CHAIN_ID), "bridge: zero recipient"),
        (lambda r, bob: (r.token20, 1, bob, 999), "bridge: token not mapped"),
        (lambda r, bob: (r.token1155, 1, bob, CHILD_CHAIN_ID), "bridge: wrong token standard"),
    ],
)
def test_send_erc20_reverts(wired, alice, bob, args, reason):
    root, _ = wired
    with ape.reverts(reason):
        root.bridge.send_erc20(*args(root, bob), sender=alice)


def test_send_to_own_chain_reverts(wired, alice, bob, chain):
    root, _ = wired
    with ape.reverts("bridge: wrong destination chain"):
        root.bridge.send_erc20(root.token20, 1, bob, chain.chain_id, sender=alice)
    with ape.reverts("bridge: wrong destination chain"):
        root.bridge.send_erc1155(root.token1155, CCR_ID, 1, bob, chain.chain_id, sender=alice)


def test_send_erc1155_reverts(wired, alice, bob):
    root, _ = wired
    with ape.reverts("bridge: wrong token standard"):
        root.bridge.send_erc1155(root.token20, 0, 1, bob, CHILD_CHAIN_ID, sender=alice)
    with ape.reverts("bridge: zero amount"):
        root.bridge.send_erc1155(root.token1155, CCR_ID, 0, bob, CHILD_CHAIN_ID, sender=alice)
    with ape.reverts("bridge: token not mapped"):
        root.bridge.send_erc1155(root.token1155, CCR_ID, 1, bob, 5, sender=alice)


def test_direct_erc1155_transfers_refused(wired, alice):
    root, _ = wired
    with ape.reverts("bridge: direct transfers refused"):
        root.token1155.safeTransferFrom(alice, root.bridge, CCR_ID, 1, b"", sender=alice)
    with ape.reverts("bridge: direct transfers refused"):
        root.token1155.safeBatchTransferFrom(alice, root.bridge, [CCR_ID], [1], b"", sender=alice)


def _child_send(child, sender, recipient, root_chain_id, amount=10**18, erc1155=False):
    if erc1155:
        fn = child.bridge.functions.send_erc1155(
            child.token1155.address, CCR_ID, amount, recipient, root_chain_id
        )
    else:
        fn = child.bridge.functions.send_erc20(
            child.token20.address, amount, recipient, root_chain_id
        )
    return child.transact(fn, sender)


def test_receive_mints_on_child_and_burns_on_send(wired, alice, bob, validators, chain):
    root, child = wired
    receipt = root.bridge.send_erc20(root.token20, 5 * 10**18, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    sigs = signed(msg, child.bridge.address, validators)
    tx = child.transact(
        child.bridge.functions.receive_message(*call_args(msg, sigs)), alice.address
    )
    print(f"gas receive_message (child, deposit erc20, 2 sigs): {tx['gasUsed']}")
    assert tx["status"] == 1
    assert child.token20.functions.balanceOf(bob.address).call() == 5 * 10**18
    assert child.bridge.functions.is_processed(
        *msg.key[:1], msg.src_tx_hash, msg.src_log_index
    ).call()
    (event,) = child.bridge.events.MessageReceived().process_receipt(tx, errors=DISCARD)
    assert (
        event["args"]["message_id"]
        == child.bridge.functions.message_id(
            msg.src_chain_id, msg.src_tx_hash, msg.src_log_index
        ).call()
    )

    # child -> root: bob burns on the child, the root releases the locked tokens
    child.transact(child.token20.functions.approve(child.bridge.address, 2 * 10**18), bob.address)
    back = _child_send(child, bob.address, alice.address, chain.chain_id, 2 * 10**18)
    print(f"gas send_erc20 (child, burn): {back['gasUsed']}")
    assert child.token20.functions.totalSupply().call() == 3 * 10**18
    msg_back = child_message(back, child.bridge)
    before = root.token20.balanceOf(alice)
    release = root.bridge.receive_message(
        *call_args(msg_back, signed(msg_back, root.bridge.address, validators)), sender=bob
    )
    print(f"gas receive_message (root, release erc20, 2 sigs): {release.gas_used}")
    assert root.token20.balanceOf(alice) == before + 2 * 10**18
    assert root.token20.balanceOf(root.bridge) == 3 * 10**18


def test_erc1155_round_trip(wired, alice, bob, validators, chain):
    root, child = wired
    receipt = root.bridge.send_erc1155(
        root.token1155, CCR_ID, 30, bob, CHILD_CHAIN_ID, sender=alice
    )
    msg = root_message(receipt, root.bridge)
    tx = child.transact(
        child.bridge.functions.receive_message(
            *call_args(msg, signed(msg, child.bridge.address, validators))
        ),
        alice.address,
    )
    print(f"gas receive_message (child, deposit erc1155): {tx['gasUsed']}")
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 30
    child.transact(
        child.token1155.functions.setApprovalForAll(child.bridge.address, True), bob.address
    )
    back = _child_send(child, bob.address, carol_address(chain), chain.chain_id, 12, erc1155=True)
    print(f"gas send_erc1155 (child, burn): {back['gasUsed']}")
    assert child.token1155.functions.total_supply(CCR_ID).call() == 18
    msg_back = child_message(back, child.bridge)
    release = root.bridge.receive_message(
        *call_args(msg_back, signed(msg_back, root.bridge.address, validators)), sender=bob
    )
    print(f"gas receive_message (root, release erc1155): {release.gas_used}")
    assert root.token1155.balanceOf(carol_address(chain), CCR_ID) == 12
    assert root.token1155.balanceOf(root.bridge, CCR_ID) == 18


def carol_address(chain) -> str:
    return chain.provider.web3.eth.accounts[3]


@pytest.fixture
def locked(wired, alice, bob):
    """One ERC-20 transfer root -> child, sent but not yet received."""
    root, child = wired
    receipt = root.bridge.send_erc20(root.token20, 7, bob, CHILD_CHAIN_ID, sender=alice)
    return root, child, root_message(receipt, root.bridge)


def _receive(child, msg, sigs, sender):
    return child.bridge.functions.receive_message(*call_args(msg, sigs)).transact({"from": sender})


def test_replayed_message_reverts(locked, validators, mallory):
    _, child, msg = locked
    sigs = signed(msg, child.bridge.address, validators)
    child.w3.eth.wait_for_transaction_receipt(_receive(child, msg, sigs, mallory.address))
    with pytest.raises(ContractLogicError, match="bridge: message already processed"):
        _receive(child, msg, sigs, mallory.address)
    other = signed(msg, child.bridge.address, validators[1:])
    with pytest.raises(ContractLogicError, match="bridge: message already processed"):
        _receive(child, msg, other, mallory.address)
    assert child.token20.functions.totalSupply().call() == 7


def test_under_signed_message_reverts(locked, validators, mallory):
    _, child, msg = locked
    with pytest.raises(ContractLogicError, match="bridge: not enough signatures"):
        _receive(child, msg, signed(msg, child.bridge.address, validators, 1), mallory.address)
    with pytest.raises(ContractLogicError, match="bridge: not enough signatures"):
        _receive(child, msg, [], mallory.address)


def test_forged_signer_reverts(locked, validators, mallory):
    _, child, msg = locked
    forged = signed(msg, child.bridge.address, [validators[0], stranger()])
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _receive(child, msg, forged, mallory.address)
    # a validator's signature over a different amount recovers to a stranger
    inflated = type(msg)(**{**msg.__dict__, "amount": msg.amount * 1000})
    sigs = signed(msg, child.bridge.address, validators)
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _receive(child, inflated, sigs, mallory.address)


def test_duplicate_signer_reverts(locked, validators, mallory):
    _, child, msg = locked
    sig = msg.sign(validators[0], child.bridge.address)
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _receive(child, msg, [sig, sig], mallory.address)
    ordered = signed(msg, child.bridge.address, validators)
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _receive(child, msg, list(reversed(ordered)), mallory.address)


def test_wrong_chain_message_reverts(locked, validators, mallory, chain, alice):
    root, child, msg = locked
    # signed for the child bridge, submitted to the root bridge: the domain differs
    sigs = signed(msg, child.bridge.address, validators)
    root_token = root.token20.address
    on_root = type(msg)(**{**msg.__dict__, "token": root_token, "src_chain_id": CHILD_CHAIN_ID})
    with ape.reverts("bridge: invalid signer"):
        root.bridge.receive_message(*call_args(on_root, sigs), sender=alice)
    # a message claiming to come from the chain it is delivered on
    own = type(msg)(**{**msg.__dict__, "src_chain_id": CHILD_CHAIN_ID})
    with pytest.raises(ContractLogicError, match="bridge: wrong source chain"):
        _receive(child, own, signed(own, child.bridge.address, validators), mallory.address)
    # a source chain the token is not mapped from
    far = type(msg)(**{**msg.__dict__, "src_chain_id": 4242})
    with pytest.raises(ContractLogicError, match="bridge: token not mapped"):
        _receive(child, far, signed(far, child.bridge.address, validators), mallory.address)


def test_erc20_message_with_id_reverts(locked, validators, mallory):
    _, child, msg = locked
    bad = type(msg)(**{**msg.__dict__, "id": 1})
    with pytest.raises(ContractLogicError, match="bridge: erc20 has no id"):
        _receive(child, bad, signed(bad, child.bridge.address, validators), mallory.address)


def test_message_digest_matches_offchain_signing(locked, validators):
    _, child, msg = locked
    sig = msg.sign(validators[0], child.bridge.address)
    digest = child.bridge.functions.message_digest(*call_args(msg, [])[:8]).call()
    assert digest == msg.digest(child.bridge.address)
    assert msg.signer(sig, child.bridge.address) == validators[0].address


def test_pause_blocks_send_and_receive(locked, validators, pauser, admin, alice, bob):
    root, child, msg = locked
    root.bridge.grantRole(root.bridge.PAUSER_ROLE(), pauser, sender=admin)
    root.bridge.pause(sender=pauser)
    assert root.bridge.paused()
    with ape.reverts("pausable: contract is paused"):
        root.bridge.send_erc20(root.token20, 1, bob, CHILD_CHAIN_ID, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        root.bridge.send_erc1155(root.token1155, CCR_ID, 1, bob, CHILD_CHAIN_ID, sender=alice)
    back = type(msg)(
        **{**msg.__dict__, "src_chain_id": CHILD_CHAIN_ID, "token": root.token20.address}
    )
    with ape.reverts("pausable: contract is paused"):
        root.bridge.receive_message(
            *call_args(back, signed(back, root.bridge.address, validators)), sender=alice
        )
    root.bridge.unpause(sender=pauser)
    assert not root.bridge.paused()
    with ape.reverts("pausable: contract is not paused"):
        root.bridge.unpause(sender=pauser)


def test_validator_management(root, admin, validators):
    bridge = root.bridge
    newcomer = stranger().address
    receipt = bridge.add_validator(newcomer, sender=admin)
    assert receipt.decode_logs(bridge.ValidatorAdded)[0].validator == newcomer
    assert bridge.validator_count() == 4 and bridge.is_validator(newcomer)
    with ape.reverts("bridge: already a validator"):
        bridge.add_validator(newcomer, sender=admin)
    with ape.reverts("bridge: zero validator"):
        bridge.add_validator(ZERO, sender=admin)
    receipt = bridge.set_threshold(4, sender=admin)
    event = receipt.decode_logs(bridge.ThresholdChanged)[0]
    assert (event.old_threshold, event.new_threshold) == (2, 4)
    with ape.reverts("bridge: threshold above validator count"):
        bridge.remove_validator(newcomer, sender=admin)
    bridge.set_threshold(3, sender=admin)
    receipt = bridge.remove_validator(newcomer, sender=admin)
    assert receipt.decode_logs(bridge.ValidatorRemoved)[0].validator == newcomer
    assert not bridge.is_validator(newcomer) and bridge.validator_count() == 3
    with ape.reverts("bridge: not a validator"):
        bridge.remove_validator(newcomer, sender=admin)
    with ape.reverts("bridge: zero threshold"):
        bridge.set_threshold(0, sender=admin)
    with ape.reverts("bridge: threshold above validator count"):
        bridge.set_threshold(4, sender=admin)


def test_removed_validator_signature_rejected(locked, validators, admin, mallory):
    _, child, msg = locked
    child.transact(child.bridge.functions.remove_validator(validators[0].address), admin.address)
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _receive(child, msg, signed(msg, child.bridge.address, validators, 3), mallory.address)
    tx = child.transact(
        child.bridge.functions.receive_message(
            *call_args(msg, signed(msg, child.bridge.address, validators[1:]))
        ),
        mallory.address,
    )
    assert tx["status"] == 1


def test_token_configuration(root, admin, chain):
    bridge = root.bridge
    token = stranger().address
    with ape.reverts("bridge: token not configured"):
        bridge.map_token(token, CHILD_CHAIN_ID, token, sender=admin)
    with ape.reverts("bridge: unknown standard"):
        bridge.set_token(token, 721, False, sender=admin)
    with ape.reverts("bridge: zero token"):
        bridge.set_token(ZERO, ERC20, False, sender=admin)
    receipt = bridge.set_token(token, ERC1155, True, sender=admin)
    event = receipt.decode_logs(bridge.TokenConfigured)[0]
    assert (event.token, event.standard, event.child) == (token, ERC1155, True)
    assert bridge.token_config(token) == (ERC1155, True)
    with ape.reverts("bridge: wrong destination chain"):
        bridge.map_token(token, chain.chain_id, token, sender=admin)
    receipt = bridge.map_token(token, CHILD_CHAIN_ID, admin.address, sender=admin)
    event = receipt.decode_logs(bridge.TokenMapped)[0]
    assert (event.token, event.remote_chain_id, event.remote_token) == (
        token,
        CHILD_CHAIN_ID,
        admin.address,
    )
    assert bridge.remote_token(token, CHILD_CHAIN_ID) == admin.address
    bridge.map_token(token, CHILD_CHAIN_ID, ZERO, sender=admin)
    assert bridge.remote_token(token, CHILD_CHAIN_ID) == ZERO


ADMIN_CALLS = {
    "set_token": lambda r: (r.token20, ERC20, False),
    "map_token": lambda r: (r.token20, CHILD_CHAIN_ID, r.token20),
    "add_validator": lambda r: (stranger().address,),
    "remove_validator": lambda r: (r.bridge.address,),
    "set_threshold": lambda r: (1,),
    "set_min_amount": lambda r: (r.token20, 1),
    "set_admin_delay": lambda r: (1,),
    "send_admin": lambda r: (CHILD_CHAIN_ID, r.bridge.address, b""),
    "cancel_admin": lambda r: (b"\x01" * 32,),
}


@pytest.mark.parametrize("fn", sorted(ADMIN_CALLS))
@pytest.mark.parametrize(
    "persona",
    ["alice", "bob", "carol", "oracle", "verifier", "auditor", "pauser", "bridge", "mallory"],
)
def test_admin_functions_need_admin_role(root, fn, persona, request):
    caller = request.getfixturevalue(persona)
    with ape.reverts("access_control: account is missing role"):
        getattr(root.bridge, fn)(*ADMIN_CALLS[fn](root), sender=caller)


@pytest.mark.parametrize(
    "persona",
    ["admin", "alice", "bob", "carol", "oracle", "verifier", "auditor", "bridge", "mallory"],
)
def test_pause_needs_pauser_role(root, persona, request):
    caller = request.getfixturevalue(persona)
    with ape.reverts("access_control: account is missing role"):
        root.bridge.pause(sender=caller)
    with ape.reverts("access_control: account is missing role"):
        root.bridge.unpause(sender=caller)


def test_child_deposit_needs_depositor_role(child, mallory):
    with pytest.raises(ContractLogicError, match="access_control: account is missing role"):
        child.token20.functions.deposit(mallory.address, (1).to_bytes(32, "big")).transact(
            {"from": mallory.address}
        )


def test_receive_needs_depositor_role_on_child_token(locked, validators, admin, mallory):
    _, child, msg = locked
    role = child.token20.functions.DEPOSITOR_ROLE().call()
    child.transact(child.token20.functions.revokeRole(role, child.bridge.address), admin.address)
    with pytest.raises(ContractLogicError, match="access_control: account is missing role"):
        _receive(child, msg, signed(msg, child.bridge.address, validators), mallory.address)


# --- amounts -------------------------------------------------------------------------------


def test_send_records_the_amount_that_arrived(project, wired, admin, alice, bob, mallory):
    """A token that takes a fee on transfer is bridged net of the fee: the message (and so the
    units minted on the other side) carries what the bridge actually holds."""
    root, child = wired
    fee_token = project.MockFeeERC20.deploy(mallory, sender=admin)
    fee_token.mint(alice, 10_000, sender=admin)
    fee_token.approve(root.bridge, 10_000, sender=alice)
    root.bridge.set_token(fee_token, ERC20, False, sender=admin)
    root.bridge.map_token(fee_token, CHILD_CHAIN_ID, child.token20.address, sender=admin)
    receipt = root.bridge.send_erc20(fee_token, 1_000, bob, CHILD_CHAIN_ID, sender=alice)
    (event,) = receipt.decode_logs(root.bridge.MessageSent)
    assert fee_token.balanceOf(root.bridge) == 990
    assert event.amount == 990


def test_min_amount_set_by_governance(wired, admin, alice, bob):
    """Sends below a token's minimum (dust whose delivery gas the relayer would pay) revert."""
    root, _ = wired
    receipt = root.bridge.set_min_amount(root.token20, 10**15, sender=admin)
    assert receipt.decode_logs(root.bridge.MinAmountSet)[0].amount == 10**15
    assert root.bridge.min_amount(root.token20) == 10**15
    with ape.reverts("bridge: amount below minimum"):
        root.bridge.send_erc20(root.token20, 10**15 - 1, bob, CHILD_CHAIN_ID, sender=alice)
    root.bridge.send_erc20(root.token20, 10**15, bob, CHILD_CHAIN_ID, sender=alice)
    root.bridge.set_min_amount(root.token1155, 5, sender=admin)
    with ape.reverts("bridge: amount below minimum"):
        root.bridge.send_erc1155(root.token1155, CCR_ID, 4, bob, CHILD_CHAIN_ID, sender=alice)


def test_bridged_batch_keeps_root_id_and_metadata(wired, alice, bob, validators):
    """A CCR batch arrives on the child under its root batch id with the root's metadata."""
    root, child = wired
    receipt = root.bridge.send_erc1155(root.token1155, CCR_ID, 3, bob, CHILD_CHAIN_ID, sender=alice)
    msg = root_message(receipt, root.bridge)
    assert msg.data == bytes(root.token1155.bridge_metadata(CCR_ID))
    child.transact(
        child.bridge.functions.receive_message(
            *call_args(msg, signed(msg, child.bridge.address, validators))
        ),
        alice.address,
    )
    on_child = child.token1155.functions.batch(CCR_ID).call()
    assert tuple(on_child) == tuple(root.token1155.batch(CCR_ID))
    assert child.token1155.functions.registry_name(1).call() == "Verra"
    with pytest.raises(ContractLogicError, match="ccr: unknown batch"):
        child.token1155.functions.batch(CCR_ID + 1).call()


# --- governance of a child bridge from the root chain --------------------------------------


def _admin_message(root, receipt) -> AdminCall:
    (event,) = receipt.decode_logs(root.bridge.AdminMessageSent)
    return AdminCall(
        src_chain_id=event.src_chain_id,
        src_tx_hash=bytes.fromhex(receipt.txn_hash.removeprefix("0x")),
        src_log_index=event.log_index,
        dest_chain_id=event.dest_chain_id,
        target=event.target,
        payload=bytes(event.payload),
    )


@pytest.fixture
def self_governed(wired, admin):
    """The child bridge administers itself (only admin messages change it)."""
    root, child = wired
    bridge = child.bridge
    child.transact(bridge.functions.grantRole(b"\x00" * 32, bridge.address), admin.address)
    child.transact(bridge.functions.renounceRole(b"\x00" * 32, admin.address), admin.address)
    return root, child


def _deliver_admin(child, msg, validators, sender):
    return child.transact(
        child.bridge.functions.receive_admin(
            *call_args(msg, signed(msg, child.bridge.address, validators))
        ),
        sender,
    )


def _after_delay(child) -> None:
    """Let the child bridge's admin delay pass (and mine, so calls see the new time)."""
    child.w3.provider.make_request("evm_increaseTime", [ADMIN_DELAY + 1])
    child.mine(1)


def _send_admin(root, child, fn, admin) -> AdminCall:
    """Root governance sends ``fn`` (a call of the child bridge) as an admin message."""
    payload = bytes.fromhex(fn._encode_transaction_data()[2:])
    receipt = root.bridge.send_admin(CHILD_CHAIN_ID, child.bridge.address, payload, sender=admin)
    return _admin_message(root, receipt)


def _queue_admin(root, child, fn, validators, admin, relayer):
    """Sends ``fn`` as an admin message and delivers it to the child bridge, which queues it;
    returns the message and the delivery's receipt."""
    msg = _send_admin(root, child, fn, admin)
    return msg, _deliver_admin(child, msg, validators, relayer.address)


def _govern(root, child, fn, validators, admin, relayer):
    """Root governance runs ``fn`` (a call of the child bridge) through an admin message, after
    the child bridge's delay."""
    msg, _ = _queue_admin(root, child, fn, validators, admin, relayer)
    _after_delay(child)
    child.transact(child.bridge.functions.execute_admin(*msg.execute_call()[1]), relayer.address)
    return msg


def test_admin_message_waits_its_delay(self_governed, validators, admin, mallory, chain):
    root, child = self_governed
    newcomer = stranger().address
    msg = _send_admin(root, child, child.bridge.functions.add_validator(newcomer), admin)
    assert (msg.src_chain_id, msg.target) == (chain.chain_id, child.bridge.address)
    tx = _deliver_admin(child, msg, validators, mallory.address)
    (queued,) = child.bridge.events.AdminMessageQueued().process_receipt(tx, errors=DISCARD)
    eta = queued["args"]["eta"]
    assert eta == child.w3.eth.get_block(tx["blockNumber"])["timestamp"] + ADMIN_DELAY
    assert child.bridge.functions.admin_eta(msg.message_id).call() == eta
    execute = child.bridge.functions.execute_admin(*msg.execute_call()[1])
    with pytest.raises(ContractLogicError, match="bridge: admin delay not passed"):
        execute.transact({"from": mallory.address})
    assert not child.bridge.functions.is_validator(newcomer).call()
    _after_delay(child)
    child.transact(execute, mallory.address)
    assert child.bridge.functions.is_validator(newcomer).call()
    with pytest.raises(ContractLogicError, match="bridge: admin message not queued"):
        execute.transact({"from": mallory.address})
    with pytest.raises(ContractLogicError, match="bridge: message already processed"):
        _deliver_admin(child, msg, validators, mallory.address)


def test_admin_message_cancelled_at_once(self_governed, validators, admin, mallory):
    root, child = self_governed
    bridge = child.bridge
    first, _ = _queue_admin(
        root, child, bridge.functions.set_threshold(1), validators, admin, mallory
    )
    cancel = bridge.functions.cancel_admin(first.message_id)
    _, tx = _queue_admin(root, child, cancel, validators, admin, mallory)
    assert bridge.events.AdminMessageCanceled().process_receipt(tx, errors=DISCARD)
    assert bridge.functions.admin_eta(first.message_id).call() == 0
    _after_delay(child)
    with pytest.raises(ContractLogicError, match="bridge: admin message not queued"):
        bridge.functions.execute_admin(*first.execute_call()[1]).transact({"from": mallory.address})
    assert bridge.functions.threshold().call() == 2


def test_admin_messages_only_from_the_governance_chain(self_governed, validators, mallory, chain):
    root, child = self_governed
    msg = AdminCall(
        src_chain_id=4242,
        src_tx_hash=b"\x01" * 32,
        src_log_index=0,
        dest_chain_id=CHILD_CHAIN_ID,
        target=child.bridge.address,
        payload=b"",
    )
    with pytest.raises(ContractLogicError, match="bridge: not the governance chain"):
        _deliver_admin(child, msg, validators, mallory.address)
    forged = AdminCall(**{**msg.__dict__, "src_chain_id": chain.chain_id})
    with pytest.raises(ContractLogicError, match="bridge: invalid signer"):
        _deliver_admin(child, forged, [stranger(), stranger()], mallory.address)
    # The root bridge is governed locally and accepts no admin message at all.
    on_root = AdminCall(**{**forged.__dict__, "src_chain_id": CHILD_CHAIN_ID})
    with ape.reverts("bridge: not governed by another chain"):
        root.bridge.receive_admin(
            *call_args(on_root, signed(on_root, root.bridge.address, validators)), sender=mallory
        )


def test_admin_path_ignores_pause(self_governed, validators, admin, mallory, pauser):
    """A paused child bridge can still be governed (e.g. to replace its pauser)."""
    root, child = self_governed
    bridge = child.bridge
    pauser_role = bridge.functions.PAUSER_ROLE().call()
    _govern(
        root,
        child,
        bridge.functions.grantRole(pauser_role, pauser.address),
        validators,
        admin,
        mallory,
    )
    child.transact(bridge.functions.pause(), pauser.address)
    _govern(
        root,
        child,
        bridge.functions.revokeRole(pauser_role, pauser.address),
        validators,
        admin,
        mallory,
    )
    assert bridge.functions.paused().call()
    assert not bridge.functions.hasRole(pauser_role, pauser.address).call()


def test_failing_admin_call_stays_queued(self_governed, validators, admin, mallory):
    root, child = self_governed
    bridge = child.bridge
    msg, _ = _queue_admin(
        root, child, bridge.functions.set_threshold(9), validators, admin, mallory
    )
    _after_delay(child)
    execute = bridge.functions.execute_admin(*msg.execute_call()[1])
    with pytest.raises(ContractLogicError, match="bridge: threshold above validator count"):
        execute.transact({"from": mallory.address})
    assert bridge.functions.admin_eta(msg.message_id).call() != 0
    other = AdminCall(**{**msg.__dict__, "payload": encode(["uint256"], [1])})
    with pytest.raises(ContractLogicError, match="bridge: admin call mismatch"):
        bridge.functions.execute_admin(*other.execute_call()[1]).transact({"from": mallory.address})
