"""Unit tests of every ECR external function and every revert reason."""

import ape
import pytest
from carbon_roles import ADMIN, CERTIFIER, PAUSER

ZERO = "0x0000000000000000000000000000000000000000"
NOT_APPROVED = "ecr: caller is not token owner or approved"
HASH = b"\xab" * 32
MAX_TONNES = 2**95 - 1


@pytest.fixture
def mint(ecr, certifier):
    """Issue a certificate; returns (receipt, token_id)."""

    def _mint(to, batch_id=7, tonnes=12, content_hash=HASH, message="thanks", soulbound=False):
        receipt = ecr.mint_certificate(
            to, batch_id, tonnes, content_hash, message, soulbound, sender=certifier
        )
        return receipt, receipt.return_value

    return _mint


def test_deploy_state(ecr, admin):
    assert ecr.name() == "EcoCertificate"
    assert ecr.symbol() == "ECR"
    assert ecr.base_uri() == "ipfs://ecr/"
    assert ecr.totalSupply() == 0
    assert ecr.hasRole(ADMIN, admin)
    assert ecr.CERTIFIER_ROLE() == CERTIFIER
    assert ecr.PAUSER_ROLE() == PAUSER
    assert not ecr.paused()


def test_supports_interface(ecr):
    for iface in ("0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0xb45a3c0e", "0x7965db0b"):
        assert ecr.supportsInterface(iface), iface
    assert not ecr.supportsInterface("0x780e9d63")  # no enumeration
    assert not ecr.supportsInterface("0xffffffff")


def test_mint_certificate(ecr, mint, alice, certifier):
    receipt, token_id = mint(alice, batch_id=3, tonnes=40, message="Flights 2023")
    assert token_id == 1
    assert ecr.ownerOf(token_id) == alice
    assert ecr.balanceOf(alice) == 1
    assert ecr.totalSupply() == 1
    assert ecr.content_hash(token_id) == HASH
    assert not ecr.locked(token_id)
    assert ecr.certificate(token_id) == (alice, 40, HASH, False)
    [transfer] = ecr.Transfer.from_receipt(receipt)
    assert (transfer.sender, transfer.receiver, transfer.token_id) == (ZERO, alice, token_id)
    [issued] = ecr.CertificateIssued.from_receipt(receipt)
    assert (issued.token_id, issued.to, issued.batch_id, issued.tonnes) == (token_id, alice, 3, 40)
    assert issued.content_hash == HASH and not issued.soulbound
    assert issued.message == "Flights 2023"
    assert ecr.Locked.from_receipt(receipt) == []


def test_mint_soulbound(ecr, mint, alice):
    receipt, token_id = mint(alice, soulbound=True)
    assert ecr.locked(token_id)
    [locked] = ecr.Locked.from_receipt(receipt)
    assert locked.tokenId == token_id
    [issued] = ecr.CertificateIssued.from_receipt(receipt)
    assert issued.soulbound


def test_mint_ids_increase_and_balances(ecr, mint, alice, bob):
    ids = [mint(alice)[1], mint(bob)[1], mint(alice)[1]]
    assert ids == [1, 2, 3]
    assert ecr.balanceOf(alice) == 2
    assert ecr.balanceOf(bob) == 1
    assert ecr.totalSupply() == 3


def test_mint_packing_edges(ecr, mint, alice):
    # Largest tonnes with the soulbound bit set must not bleed into each other or the owner.
    _, token_id = mint(alice, tonnes=MAX_TONNES, soulbound=True)
    assert ecr.certificate(token_id) == (alice, MAX_TONNES, HASH, True)
    _, other = mint(alice, tonnes=0, soulbound=False, content_hash=b"\x00" * 32)
    assert ecr.certificate(other) == (alice, 0, b"\x00" * 32, False)


def test_mint_reverts(mint, alice):
    with ape.reverts("ecr: mint to the zero address"):
        mint(ZERO)
    with ape.reverts("ecr: tonnes too large"):
        mint(alice, tonnes=MAX_TONNES + 1)


def test_mint_not_blocked_by_pause(ecr, mint, alice, pauser):
    ecr.pause(sender=pauser)
    _, token_id = mint(alice)
    assert ecr.ownerOf(token_id) == alice


def test_views_of_missing_token(ecr, alice):
    for fn in (ecr.ownerOf, ecr.getApproved, ecr.locked, ecr.certificate, ecr.tokenURI):
        with ape.reverts("ecr: invalid token id"):
            fn(1)
    with ape.reverts("ecr: invalid owner"):
        ecr.balanceOf(ZERO)
    assert ecr.balanceOf(alice) == 0


def test_token_uri_and_base_uri(ecr, mint, alice, admin):
    _, token_id = mint(alice)
    assert ecr.tokenURI(token_id) == f"ipfs://ecr/{token_id}"
    receipt = ecr.set_base_uri("https://certs.example/ecr/", sender=admin)
    [ev] = ecr.BaseURIUpdated.from_receipt(receipt)
    assert ev.base_uri == "https://certs.example/ecr/"
    assert ecr.base_uri() == "https://certs.example/ecr/"
    assert ecr.tokenURI(token_id) == f"https://certs.example/ecr/{token_id}"


# --- transfers and approvals ----------------------------------------------------------------


def test_transfer_from_owner(ecr, mint, alice, bob):
    _, token_id = mint(alice)
    receipt = ecr.transferFrom(alice, bob, token_id, sender=alice)
    assert ecr.ownerOf(token_id) == bob
    assert ecr.balanceOf(alice) == 0
    assert ecr.balanceOf(bob) == 1
    assert ecr.certificate(token_id) == (bob, 12, HASH, False)
    [ev] = ecr.Transfer.from_receipt(receipt)
    assert (ev.sender, ev.receiver, ev.token_id) == (alice, bob, token_id)


def test_approve_and_transfer(ecr, mint, alice, bob, carol):
    _, token_id = mint(alice)
    receipt = ecr.approve(carol, token_id, sender=alice)
    [ev] = ecr.Approval.from_receipt(receipt)
    assert (ev.owner, ev.approved, ev.token_id) == (alice, carol, token_id)
    assert ecr.getApproved(token_id) == carol
    ecr.transferFrom(alice, bob, token_id, sender=carol)
    assert ecr.ownerOf(token_id) == bob
    assert ecr.getApproved(token_id) == ZERO  # cleared on transfer
    with ape.reverts("ecr: caller is not token owner or approved"):
        ecr.transferFrom(bob, alice, token_id, sender=carol)


def test_operator_transfer_and_approve(ecr, mint, alice, bob, carol):
    _, token_id = mint(alice)
    receipt = ecr.setApprovalForAll(carol, True, sender=alice)
    [ev] = ecr.ApprovalForAll.from_receipt(receipt)
    assert (ev.owner, ev.operator, ev.approved) == (alice, carol, True)
    assert ecr.isApprovedForAll(alice, carol)
    ecr.approve(bob, token_id, sender=carol)  # an operator may approve
    assert ecr.getApproved(token_id) == bob
    ecr.transferFrom(alice, carol, token_id, sender=carol)
    assert ecr.ownerOf(token_id) == carol
    ecr.setApprovalForAll(carol, False, sender=alice)
    assert not ecr.isApprovedForAll(alice, carol)


def test_approve_reverts(ecr, mint, alice, bob):
    _, token_id = mint(alice)
    with ape.reverts("ecr: approval to current owner"):
        ecr.approve(alice, token_id, sender=alice)
    with ape.reverts("ecr: caller is not token owner or approved for all"):
        ecr.approve(bob, token_id, sender=bob)
    with ape.reverts("ecr: invalid token id"):
        ecr.approve(bob, 99, sender=alice)
    with ape.reverts("ecr: approve to caller"):
        ecr.setApprovalForAll(alice, True, sender=alice)


def test_transfer_reverts(ecr, mint, alice, bob, carol):
    _, token_id = mint(alice)
    refused = [
        (ecr.transferFrom, bob, carol, token_id, bob, "ecr: transfer from incorrect owner"),
        (ecr.transferFrom, alice, ZERO, token_id, alice, "ecr: transfer to the zero address"),
        (ecr.transferFrom, alice, bob, token_id, bob, NOT_APPROVED),
        (ecr.transferFrom, alice, bob, 99, alice, "ecr: invalid token id"),
        (ecr.safeTransferFrom, alice, bob, token_id, bob, NOT_APPROVED),
    ]
    for move, owner, to, token, caller, reason in refused:
        with ape.reverts(reason):
            move(owner, to, token, sender=caller)


def test_soulbound_cannot_move(ecr, mint, alice, bob):
    _, token_id = mint(alice, soulbound=True)
    ecr.approve(bob, token_id, sender=alice)
    # Neither the owner nor an approved account moves it, by any of the transfer functions.
    moves = [
        (ecr.transferFrom, (), alice),
        (ecr.transferFrom, (), bob),
        (ecr.safeTransferFrom, (), alice),
        (ecr.safeTransferFrom, (b"data",), alice),
    ]
    for move, data, caller in moves:
        with ape.reverts("ecr: certificate is soulbound"):
            move(alice, bob, token_id, *data, sender=caller)
    assert ecr.ownerOf(token_id) == alice


def test_transfers_paused(ecr, mint, alice, bob, pauser):
    _, token_id = mint(alice)
    receipt = ecr.pause(sender=pauser)
    assert ecr.paused()
    assert ecr.Paused.from_receipt(receipt)[0].account == pauser
    with ape.reverts("pausable: contract is paused"):
        ecr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        ecr.transferFrom(alice, bob, token_id, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        ecr.safeTransferFrom(alice, bob, token_id, sender=alice)
    receipt = ecr.unpause(sender=pauser)
    assert ecr.Unpaused.from_receipt(receipt)[0].account == pauser
    with ape.reverts("pausable: contract is not paused"):
        ecr.unpause(sender=pauser)
    ecr.transferFrom(alice, bob, token_id, sender=alice)
    assert ecr.ownerOf(token_id) == bob


def test_safe_transfer_to_eoa_and_receivers(ecr, mint, alice, bob, receiver, refuser, non_receiver):
    _, token_id = mint(alice)
    ecr.safeTransferFrom(alice, bob, token_id, sender=alice)
    assert ecr.ownerOf(token_id) == bob
    ecr.safeTransferFrom(bob, receiver, token_id, b"payload", sender=bob)
    assert ecr.ownerOf(token_id) == receiver
    _, other = mint(alice)
    with ape.reverts("ecr: transfer to non-IERC721Receiver implementer"):
        ecr.safeTransferFrom(alice, refuser, other, sender=alice)
    with ape.reverts():
        ecr.safeTransferFrom(alice, non_receiver, other, b"", sender=alice)
    # transferFrom does not consult the receiver.
    ecr.transferFrom(alice, non_receiver, other, sender=alice)
    assert ecr.ownerOf(other) == non_receiver


def test_role_management(ecr, admin, alice, mallory):
    ecr.grantRole(CERTIFIER, alice, sender=admin)
    assert ecr.hasRole(CERTIFIER, alice)
    assert ecr.getRoleAdmin(CERTIFIER) == ADMIN
    with ape.reverts("access_control: can only renounce roles for itself"):
        ecr.renounceRole(CERTIFIER, alice, sender=mallory)
    ecr.renounceRole(CERTIFIER, alice, sender=alice)
    assert not ecr.hasRole(CERTIFIER, alice)
    ecr.grantRole(CERTIFIER, alice, sender=admin)
    ecr.revokeRole(CERTIFIER, alice, sender=admin)
    assert not ecr.hasRole(CERTIFIER, alice)
    ecr.set_role_admin(CERTIFIER, PAUSER, sender=admin)
    assert ecr.getRoleAdmin(CERTIFIER) == PAUSER
