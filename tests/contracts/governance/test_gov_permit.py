"""GST EIP-2612 permit: valid, expired, wrong signer, replay; plus its gas figure."""

import ape
from gov_helpers import E18, sign_permit


def test_domain_separator_matches_eip712_domain(gst, chain):
    fields = gst.eip712Domain()
    assert fields[1] == "Green Sustainability Token"
    assert fields[2] == "1"
    assert fields[3] == chain.chain_id
    assert fields[4] == gst.address


def test_permit_sets_allowance(gst, chain, alice, bob, mallory):
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(alice, gst, chain.chain_id, bob, 5 * E18, 0, deadline)
    tx = gst.permit(alice, bob, 5 * E18, deadline, v, r, s, sender=mallory)
    assert gst.allowance(alice, bob) == 5 * E18
    assert gst.nonces(alice) == 1
    assert tx.events == [gst.Approval(alice, bob, 5 * E18)]
    print(f"\nGST gas: permit {tx.gas_used}")
    # The spender can now use it.
    gst.transferFrom(alice, bob, 5 * E18, sender=bob)
    assert gst.allowance(alice, bob) == 0


def test_permit_expired(gst, chain, alice, bob, mallory):
    deadline = chain.pending_timestamp - 1
    v, r, s = sign_permit(alice, gst, chain.chain_id, bob, E18, 0, deadline)
    with ape.reverts("erc20: expired deadline"):
        gst.permit(alice, bob, E18, deadline, v, r, s, sender=mallory)
    assert gst.nonces(alice) == 0


def test_permit_wrong_signer(gst, chain, alice, bob, mallory):
    deadline = chain.pending_timestamp + 600
    # Mallory signs a permit for alice's tokens.
    v, r, s = sign_permit(mallory, gst, chain.chain_id, bob, E18, 0, deadline)
    with ape.reverts("erc20: invalid signature"):
        gst.permit(alice, bob, E18, deadline, v, r, s, sender=mallory)
    assert gst.allowance(alice, bob) == 0


def test_permit_changed_amount(gst, chain, alice, bob, mallory):
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(alice, gst, chain.chain_id, bob, E18, 0, deadline)
    with ape.reverts("erc20: invalid signature"):
        gst.permit(alice, bob, 2 * E18, deadline, v, r, s, sender=mallory)


def test_permit_replay(gst, chain, alice, bob, mallory):
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(alice, gst, chain.chain_id, bob, E18, 0, deadline)
    gst.permit(alice, bob, E18, deadline, v, r, s, sender=mallory)
    gst.approve(bob, 0, sender=alice)
    with ape.reverts("erc20: invalid signature"):
        gst.permit(alice, bob, E18, deadline, v, r, s, sender=mallory)
    assert gst.allowance(alice, bob) == 0


def test_permit_works_while_paused(gst, chain, alice, bob, pauser, mallory):
    gst.pause(sender=pauser)
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(alice, gst, chain.chain_id, bob, E18, 0, deadline)
    gst.permit(alice, bob, E18, deadline, v, r, s, sender=mallory)
    assert gst.allowance(alice, bob) == E18
