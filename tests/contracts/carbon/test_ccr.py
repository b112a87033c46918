"""Unit tests of every CCR external function and every revert reason."""

import ape
import pytest
from carbon_roles import ADMIN, DEPOSITOR, ISSUER, PAUSER, REGISTRIES, UNKNOWN_REGISTRY, VERIFIER
from eth_abi import decode, encode
from eth_utils import keccak

MAX_UINT = 2**256 - 1
ZERO = "0x0000000000000000000000000000000000000000"


def deposit_data(ids, amounts, data=b""):
    return encode(["uint256[]", "uint256[]", "bytes"], [ids, amounts, data])


# --- deployment and views -------------------------------------------------------------------


def test_deploy_state(ccr, ecr, admin):
    assert ccr.ECR() == ecr.address
    assert ccr.hasRole(ADMIN, admin)
    assert ccr.DEFAULT_ADMIN_ROLE() == ADMIN
    assert ccr.ISSUER_ROLE() == ISSUER
    assert ccr.VERIFIER_ROLE() == VERIFIER
    assert ccr.PAUSER_ROLE() == PAUSER
    assert ccr.DEPOSITOR_ROLE() == DEPOSITOR
    assert ccr.getRoleAdmin(ISSUER) == ADMIN
    assert not ccr.paused()
    assert not ccr.compliance_enabled()
    assert ccr.batch_count() == 0
    assert ccr.retirement_count() == 0


def test_supports_interface(ccr):
    for iface in ("0x01ffc9a7", "0xd9b67a26", "0x0e89341c", "0x7965db0b"):
        assert ccr.supportsInterface(iface), iface
    assert not ccr.supportsInterface("0xffffffff")
    assert not ccr.supportsInterface("0x80ac58cd")


def test_module_admin_functions_not_exported(ccr):
    for name in (
        "safe_mint",
        "safe_mint_batch",
        "burn",
        "burn_batch",
        "set_minter",
        "set_uri",
        "transfer_ownership",
        "renounce_ownership",
        "owner",
        "is_minter",
    ):
        assert not hasattr(ccr, name), name


# --- tokenize -------------------------------------------------------------------------------


def test_tokenize_mints_and_records(ccr, tokenize, alice, issuer):
    receipt, batch_id = tokenize(alice, 100, 199, vintage=2021, methodology="VM0007")
    assert batch_id == 1
    assert ccr.batch_count() == 1
    assert ccr.balanceOf(alice, batch_id) == 100
    assert ccr.total_supply(batch_id) == 100
    assert ccr.exists(batch_id)
    assert ccr.batch_amount(batch_id) == 100
    b = ccr.batch(batch_id)
    assert (b.registry_id, b.project_id, b.vintage, b.methodology) == (
        1,
        "VCS-1234",
        2021,
        "VM0007",
    )
    assert (b.serial_start, b.serial_end) == (100, 199)
    assert ccr.next_serial(1) == 200
    [ev] = ccr.BatchTokenized.from_receipt(receipt)
    assert ev.batch_id == batch_id and ev.to == alice and ev.issuer == issuer
    assert (ev.registry, ev.registry_id, ev.project_id, ev.vintage, ev.methodology) == (
        "Verra",
        1,
        "VCS-1234",
        2021,
        "VM0007",
    )
    assert (ev.serial_start, ev.serial_end, ev.amount) == (100, 199, 100)
    [mint] = ccr.TransferSingle.from_receipt(receipt)
    assert mint._from == ZERO and mint._to == alice and mint._value == 100


def test_tokenize_single_serial_and_ids_increase(ccr, tokenize, alice, bob):
    _, first = tokenize(alice, 0, 0)
    _, second = tokenize(bob, 1, 1)
    assert (first, second) == (1, 2)
    assert ccr.balanceOf(alice, first) == 1
    assert ccr.balanceOf(bob, second) == 1
    assert ccr.next_serial(1) == 2


def test_tokenize_uri(ccr, tokenize, alice):
    _, plain = tokenize(alice, 1, 10)
    assert ccr.uri(plain) == f"ipfs://ccr/{plain}"
    receipt, custom = tokenize(alice, 11, 20, uri="batch-b.json")
    assert ccr.uri(custom) == "ipfs://ccr/batch-b.json"
    [ev] = ccr.URI.from_receipt(receipt)
    assert ev._id == custom and ev._value == "ipfs://ccr/batch-b.json"


@pytest.mark.parametrize(
    "start,end",
    [(50, 60), (10, 50), (90, 120), (20, 99), (0, 1000), (99, 99)],
    ids=["inside", "overlap-start", "overlap-end", "same", "cover", "last"],
)
def test_tokenize_overlap_reverts(tokenize, alice, start, end):
    tokenize(alice, 20, 99)
    with ape.reverts("ccr: serial range overlaps"):
        tokenize(alice, start, end)


def test_tokenize_below_high_water_mark_reverts(tokenize, alice):
    tokenize(alice, 500, 599)
    with ape.reverts("ccr: serial range overlaps"):
        tokenize(alice, 0, 10)


def test_serials_are_per_registry(ccr, tokenize, alice):
    tokenize(alice, 1, 100, registry="Verra")
    _, other = tokenize(alice, 1, 100, registry="GoldStandard")
    assert ccr.balanceOf(alice, other) == 100
    assert ccr.next_serial(REGISTRIES["GoldStandard"]) == 101
    assert ccr.next_serial(REGISTRIES["Verra"]) == 101
    assert ccr.next_serial(UNKNOWN_REGISTRY) == 0


def test_tokenize_contiguous_ranges(tokenize, ccr, alice):
    tokenize(alice, 1, 100)
    _, nxt = tokenize(alice, 101, 150)
    assert ccr.batch_amount(nxt) == 50


def test_tokenize_invalid_range(tokenize, alice):
    with ape.reverts("ccr: invalid serial range"):
        tokenize(alice, 10, 9)
    with ape.reverts("ccr: invalid serial range"):
        tokenize(alice, 0, MAX_UINT)


def test_tokenize_largest_range(ccr, tokenize, alice):
    _, batch_id = tokenize(alice, 0, MAX_UINT - 1)
    assert ccr.balanceOf(alice, batch_id) == MAX_UINT
    with ape.reverts("ccr: serial range overlaps"):
        tokenize(alice, MAX_UINT - 1, MAX_UINT - 1)


def test_tokenize_empty_fields(tokenize, alice):
    with ape.reverts("ccr: unknown registry"):
        tokenize(alice, 1, 2, registry="")
    with ape.reverts("ccr: empty project id"):
        tokenize(alice, 1, 2, project_id="")


def test_tokenize_to_zero_address(tokenize):
    with ape.reverts("erc1155: mint to the zero address"):
        tokenize(ZERO, 1, 2)


def test_tokenize_to_contracts(ccr, tokenize, receiver, refuser, non_receiver):
    _, batch_id = tokenize(receiver, 1, 5)
    assert ccr.balanceOf(receiver, batch_id) == 5
    with ape.reverts("erc1155: transfer to non-IERC1155Receiver implementer"):
        tokenize(refuser, 6, 7)
    with ape.reverts():
        tokenize(non_receiver, 6, 7)


def test_tokenize_paused(ccr, tokenize, alice, pauser):
    ccr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        tokenize(alice, 1, 2)


def test_tokenize_compliance(ccr, tokenize, alice, admin, verifier):
    ccr.set_compliance(True, sender=admin)
    with ape.reverts("ccr: receiver not allowed"):
        tokenize(alice, 1, 2)
    ccr.set_allowed(alice, True, sender=verifier)
    _, batch_id = tokenize(alice, 1, 2)
    assert ccr.balanceOf(alice, batch_id) == 2


def test_tokenize_failed_does_not_move_mark(ccr, tokenize, alice, pauser):
    ccr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        tokenize(alice, 1, 100)
    assert ccr.next_serial(1) == 0


def test_batch_unknown(ccr, tokenize, alice):
    with ape.reverts("ccr: unknown batch"):
        ccr.batch(0)
    with ape.reverts("ccr: unknown batch"):
        ccr.batch(1)
    tokenize(alice, 1, 2)
    with ape.reverts("ccr: unknown batch"):
        ccr.batch(2)
    assert ccr.batch_amount(0) == 0
    assert ccr.batch_amount(2) == 0


# --- registries -----------------------------------------------------------------------------


def test_add_registry(ccr, admin):
    assert (ccr.registry_name(1), ccr.registry_name(2)) == ("Verra", "GoldStandard")
    assert ccr.registry_name(3) == ""
    receipt = ccr.add_registry("ACR", sender=admin)
    assert receipt.return_value == 3
    assert receipt.events == [ccr.RegistryAdded(3, "ACR")]
    assert ccr.registry_name(3) == "ACR"
    with ape.reverts("ccr: registry exists"):
        ccr.add_registry("Verra", sender=admin)
    with ape.reverts("ccr: empty registry"):
        ccr.add_registry("", sender=admin)


def test_one_registry_cannot_be_spelled_twice(ccr, tokenize, alice, issuer):
    """Issuers name a registry by the id governance gave it: serials of Verra tokenized once
    cannot be tokenized again under another spelling, since no id but Verra's means Verra."""
    tokenize(alice, 1, 100, registry="Verra")
    with ape.reverts("access_control: account is missing role"):
        ccr.add_registry("verra ", sender=issuer)
    for registry_id in (0, UNKNOWN_REGISTRY, len(REGISTRIES) + 1):
        with ape.reverts("ccr: unknown registry"):
            ccr.tokenize(alice, registry_id, "VCS-1234", 2023, "VM0015", 1, 100, "", sender=issuer)
    with ape.reverts("ccr: serial range overlaps"):
        tokenize(alice, 1, 100, registry="Verra")


# --- transfers ------------------------------------------------------------------------------


@pytest.fixture
def funded(tokenize, alice):
    """Alice holds 100 units of batch 1 and 50 of batch 2."""
    _, first = tokenize(alice, 1, 100)
    _, second = tokenize(alice, 101, 150, project_id="VCS-99")
    return first, second


def test_safe_transfer(ccr, funded, alice, bob):
    first, _ = funded
    receipt = ccr.safeTransferFrom(alice, bob, first, 30, b"", sender=alice)
    assert ccr.balanceOf(alice, first) == 70
    assert ccr.balanceOf(bob, first) == 30
    assert ccr.total_supply(first) == 100
    [ev] = ccr.TransferSingle.from_receipt(receipt)
    assert (ev._operator, ev._from, ev._to, ev._id, ev._value) == (alice, alice, bob, first, 30)


def test_safe_transfer_by_operator(ccr, funded, alice, bob, carol):
    first, _ = funded
    with ape.reverts("ccr: caller is not token owner or approved"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=carol)
    receipt = ccr.setApprovalForAll(carol, True, sender=alice)
    [ev] = ccr.ApprovalForAll.from_receipt(receipt)
    assert ev._owner == alice and ev._operator == carol and ev._approved
    assert ccr.isApprovedForAll(alice, carol)
    ccr.safeTransferFrom(alice, bob, first, 5, b"", sender=carol)
    assert ccr.balanceOf(bob, first) == 5
    ccr.setApprovalForAll(carol, False, sender=alice)
    with ape.reverts("ccr: caller is not token owner or approved"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=carol)


def test_set_approval_for_self(ccr, alice):
    with ape.reverts("erc1155: setting approval status for self"):
        ccr.setApprovalForAll(alice, True, sender=alice)


def test_safe_transfer_reverts(ccr, funded, alice, bob):
    first, _ = funded
    with ape.reverts("erc1155: insufficient balance for transfer"):
        ccr.safeTransferFrom(alice, bob, first, 101, b"", sender=alice)
    with ape.reverts("erc1155: transfer to the zero address"):
        ccr.safeTransferFrom(alice, ZERO, first, 1, b"", sender=alice)


def test_safe_transfer_receivers(ccr, funded, alice, receiver, refuser, non_receiver):
    first, _ = funded
    ccr.safeTransferFrom(alice, receiver, first, 3, b"hi", sender=alice)
    assert ccr.balanceOf(receiver, first) == 3
    with ape.reverts("erc1155: transfer to non-IERC1155Receiver implementer"):
        ccr.safeTransferFrom(alice, refuser, first, 1, b"", sender=alice)
    # A contract without onERC1155Received: the hook call itself fails.
    with ape.reverts():
        ccr.safeTransferFrom(alice, non_receiver, first, 1, b"", sender=alice)
    assert ccr.balanceOf(non_receiver, first) == 0
    assert ccr.balanceOf(alice, first) == 97


def test_safe_batch_transfer(ccr, funded, alice, bob):
    first, second = funded
    receipt = ccr.safeBatchTransferFrom(alice, bob, [first, second], [10, 20], b"", sender=alice)
    assert ccr.balanceOfBatch([bob, bob, alice, alice], [first, second, first, second]) == [
        10,
        20,
        90,
        30,
    ]
    [ev] = ccr.TransferBatch.from_receipt(receipt)
    assert list(ev._ids) == [first, second] and list(ev._values) == [10, 20]


def test_safe_batch_transfer_reverts(
    ccr, funded, alice, bob, carol, receiver, refuser, non_receiver
):
    first, second = funded
    with ape.reverts("erc1155: ids and amounts length mismatch"):
        ccr.safeBatchTransferFrom(alice, bob, [first, second], [1], b"", sender=alice)
    with ape.reverts("erc1155: insufficient balance for transfer"):
        ccr.safeBatchTransferFrom(alice, bob, [first, second], [1, 51], b"", sender=alice)
    with ape.reverts("erc1155: transfer to the zero address"):
        ccr.safeBatchTransferFrom(alice, ZERO, [first], [1], b"", sender=alice)
    with ape.reverts("ccr: caller is not token owner or approved"):
        ccr.safeBatchTransferFrom(alice, bob, [first], [1], b"", sender=carol)
    ccr.safeBatchTransferFrom(alice, receiver, [first], [1], b"", sender=alice)
    assert ccr.balanceOf(receiver, first) == 1
    with ape.reverts("erc1155: transfer to non-IERC1155Receiver implementer"):
        ccr.safeBatchTransferFrom(alice, refuser, [first], [1], b"", sender=alice)
    with ape.reverts():
        ccr.safeBatchTransferFrom(alice, non_receiver, [first], [1], b"", sender=alice)


def test_balance_of_batch_mismatch(ccr, alice):
    with ape.reverts("erc1155: owners and ids length mismatch"):
        ccr.balanceOfBatch([alice], [1, 2])


def test_transfers_paused(ccr, funded, alice, bob, pauser):
    first, _ = funded
    ccr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    with ape.reverts("pausable: contract is paused"):
        ccr.safeBatchTransferFrom(alice, bob, [first], [1], b"", sender=alice)
    ccr.unpause(sender=pauser)
    ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    assert ccr.balanceOf(bob, first) == 1


def test_transfers_compliance(ccr, funded, alice, bob, admin, verifier):
    first, _ = funded
    ccr.set_compliance(True, sender=admin)
    with ape.reverts("ccr: sender not allowed"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    with ape.reverts("ccr: sender not allowed"):
        ccr.safeBatchTransferFrom(alice, bob, [first], [1], b"", sender=alice)
    ccr.set_allowed(alice, True, sender=verifier)
    with ape.reverts("ccr: receiver not allowed"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    with ape.reverts("ccr: receiver not allowed"):
        ccr.safeBatchTransferFrom(alice, bob, [first], [1], b"", sender=alice)
    ccr.set_allowed(bob, True, sender=verifier)
    ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    ccr.safeBatchTransferFrom(alice, bob, [first], [1], b"", sender=alice)
    assert ccr.balanceOf(bob, first) == 2
    # Delisting the sender blocks it again; switching compliance off lifts every check.
    ccr.set_allowed(alice, False, sender=verifier)
    with ape.reverts("ccr: sender not allowed"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    ccr.set_compliance(False, sender=admin)
    ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    assert ccr.balanceOf(bob, first) == 3


def test_set_compliance_and_allowed_events(ccr, admin, verifier, alice):
    receipt = ccr.set_compliance(True, sender=admin)
    assert ccr.compliance_enabled()
    [ev] = ccr.ComplianceSet.from_receipt(receipt)
    assert ev.enabled
    receipt = ccr.set_allowed(alice, True, sender=verifier)
    assert ccr.allowed(alice)
    [ev] = ccr.AllowedSet.from_receipt(receipt)
    assert ev.account == alice and ev.allowed
    ccr.set_allowed(alice, False, sender=verifier)
    assert not ccr.allowed(alice)
    ccr.set_compliance(False, sender=admin)
    assert not ccr.compliance_enabled()


# --- retire ---------------------------------------------------------------------------------


def expected_hash(chain_id, ccr, batch_id, amount, beneficiary, message, account, index):
    return keccak(
        encode(
            ["uint256", "address", "uint256", "uint256", "address", "string", "address", "uint256"],
            [
                chain_id,
                ccr.address,
                batch_id,
                amount,
                beneficiary.address,
                message,
                account.address,
                index,
            ],
        )
    )


def test_retire(ccr, ecr, funded, alice, bob, chain):
    first, _ = funded
    message = "Offsetting 2023 business travel"
    receipt = ccr.retire(first, 40, bob, message, sender=alice)
    cert = receipt.return_value
    assert ccr.balanceOf(alice, first) == 60
    assert ccr.retired(first, alice) == 40
    assert ccr.retired_total(first) == 40
    assert ccr.total_supply(first) == 60
    assert ccr.retirement_count() == 1
    [ev] = ccr.Retired.from_receipt(receipt)
    assert (ev.account, ev.beneficiary, ev.id, ev.amount, ev.certificate_id, ev.message) == (
        alice,
        bob,
        first,
        40,
        cert,
        message,
    )
    [burn] = ccr.TransferSingle.from_receipt(receipt)
    assert burn._from == alice and burn._to == ZERO and burn._value == 40
    # The certificate: owned by the beneficiary, soulbound, committing to the documented hash.
    owner, tonnes, content_hash, soulbound = ecr.certificate(cert)
    assert (owner, tonnes, soulbound) == (bob, 40, True)
    assert content_hash == expected_hash(chain.chain_id, ccr, first, 40, bob, message, alice, 0)
    [issued] = ecr.CertificateIssued.from_receipt(receipt)
    assert issued.batch_id == first and issued.message == message and issued.to == bob


def test_retire_twice_distinct_hashes(ccr, ecr, funded, alice, bob, chain):
    first, _ = funded
    c1 = ccr.retire(first, 1, bob, "same", sender=alice).return_value
    c2 = ccr.retire(first, 1, bob, "same", sender=alice).return_value
    assert c1 != c2
    h1, h2 = ecr.content_hash(c1), ecr.content_hash(c2)
    assert h1 != h2
    assert h2 == expected_hash(chain.chain_id, ccr, first, 1, bob, "same", alice, 1)
    assert ccr.retired(first, alice) == 2


def test_retired_units_cannot_move(ccr, funded, alice, bob):
    first, _ = funded
    ccr.retire(first, 100, bob, "all", sender=alice)
    assert ccr.balanceOf(alice, first) == 0
    with ape.reverts("erc1155: insufficient balance for transfer"):
        ccr.safeTransferFrom(alice, bob, first, 1, b"", sender=alice)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.retire(first, 1, bob, "again", sender=alice)
    assert ccr.retired(first, alice) == 100


def test_retire_reverts(ccr, funded, alice, bob, pauser):
    first, _ = funded
    with ape.reverts("ccr: zero amount"):
        ccr.retire(first, 0, bob, "", sender=alice)
    with ape.reverts("ccr: beneficiary is the zero address"):
        ccr.retire(first, 1, ZERO, "", sender=alice)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.retire(first, 101, bob, "", sender=alice)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.retire(first, 1, alice, "", sender=bob)
    ccr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        ccr.retire(first, 1, bob, "", sender=alice)


def test_retire_needs_certifier_role_on_ecr(ccr, ecr, funded, alice, bob, admin):
    first, _ = funded
    ecr.revokeRole(ecr.CERTIFIER_ROLE(), ccr, sender=admin)
    with ape.reverts("access_control: account is missing role"):
        ccr.retire(first, 1, bob, "", sender=alice)
    assert ccr.retired(first, alice) == 0


def test_retire_ignores_compliance(ccr, funded, alice, bob, admin):
    first, _ = funded
    ccr.set_compliance(True, sender=admin)
    ccr.retire(first, 1, bob, "", sender=alice)
    assert ccr.retired(first, alice) == 1


# --- invalidate -----------------------------------------------------------------------------


def test_invalidate(ccr, funded, alice, verifier):
    first, _ = funded
    receipt = ccr.invalidate(first, alice, 25, "double issuance at registry", sender=verifier)
    assert ccr.balanceOf(alice, first) == 75
    assert ccr.invalidated(first, alice) == 25
    assert ccr.invalidated_total(first) == 25
    assert ccr.retired(first, alice) == 0
    assert ccr.total_supply(first) == 75
    [ev] = ccr.Invalidated.from_receipt(receipt)
    assert (ev.verifier, ev.holder, ev.id, ev.amount, ev.reason) == (
        verifier,
        alice,
        first,
        25,
        "double issuance at registry",
    )


def test_invalidate_reverts(ccr, funded, alice, verifier):
    first, _ = funded
    with ape.reverts("ccr: zero amount"):
        ccr.invalidate(first, alice, 0, "", sender=verifier)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.invalidate(first, alice, 101, "", sender=verifier)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.invalidate(first, ZERO, 1, "", sender=verifier)


def test_invalidate_cannot_touch_retired(ccr, funded, alice, bob, verifier):
    first, _ = funded
    ccr.retire(first, 100, bob, "", sender=alice)
    with ape.reverts("ccr: amount exceeds balance"):
        ccr.invalidate(first, alice, 1, "", sender=verifier)


def test_invalidate_refuses_units_locked_in_the_bridge(ccr, funded, alice, bridge, verifier):
    """Units the root bridge holds back units on another chain: invalidating them would leave
    those unbacked, so the verifier must invalidate where the units are."""
    first, _ = funded
    ccr.safeTransferFrom(alice, bridge, first, 40, b"", sender=alice)
    with ape.reverts("ccr: units locked in the bridge"):
        ccr.invalidate(first, bridge, 1, "double issuance", sender=verifier)
    assert ccr.balanceOf(bridge, first) == 40
    ccr.invalidate(first, alice, 1, "double issuance", sender=verifier)
    assert ccr.invalidated(first, alice) == 1


def test_invalidate_works_while_paused(ccr, funded, alice, verifier, pauser):
    first, _ = funded
    ccr.pause(sender=pauser)
    ccr.invalidate(first, alice, 1, "", sender=verifier)
    assert ccr.invalidated(first, alice) == 1


# --- pause ----------------------------------------------------------------------------------


def test_pause_unpause(ccr, pauser):
    receipt = ccr.pause(sender=pauser)
    assert ccr.paused()
    [ev] = ccr.Paused.from_receipt(receipt)
    assert ev.account == pauser
    with ape.reverts("pausable: contract is paused"):
        ccr.pause(sender=pauser)
    receipt = ccr.unpause(sender=pauser)
    assert not ccr.paused()
    [ev] = ccr.Unpaused.from_receipt(receipt)
    assert ev.account == pauser
    with ape.reverts("pausable: contract is not paused"):
        ccr.unpause(sender=pauser)


def test_approval_works_while_paused(ccr, alice, carol, pauser):
    ccr.pause(sender=pauser)
    ccr.setApprovalForAll(carol, True, sender=alice)
    assert ccr.isApprovedForAll(alice, carol)


# --- root and child ---------------------------------------------------------------------------


def metadata(ccr, batch_id):
    return ccr.bridge_metadata(batch_id)


def test_bridge_metadata(ccr, funded):
    first, _ = funded
    registry, batch = decode(
        ["string", "(uint256,string,uint16,string,uint256,uint256)"], ccr.bridge_metadata(first)
    )
    assert registry == "Verra"
    assert batch == (1, "VCS-1234", 2023, "VM0015", 1, 100)
    with ape.reverts("ccr: unknown batch"):
        ccr.bridge_metadata(99)


def test_root_has_no_child_interface(ccr, funded, alice, bridge):
    first, _ = funded
    with ape.reverts("bridged_child: deposit on a root token"):
        ccr.deposit(alice, deposit_data([first], [1]), sender=bridge)
    with ape.reverts("bridged_child: withdraw on a root token"):
        ccr.withdrawSingle(first, 1, sender=alice)
    with ape.reverts("bridged_child: withdraw on a root token"):
        ccr.withdrawBatch([first], [1], sender=alice)


def test_child_cannot_tokenize_or_add_registries(child_ccr, admin, bob):
    """No role on a child chain tokenizes serials: the path refuses whoever holds the role."""
    child_ccr.grantRole(ISSUER, admin, sender=admin)
    with ape.reverts("bridged_child: no native issuance on a child token"):
        child_ccr.tokenize(bob, 1, "P", 2020, "M", 1, 5, "", sender=admin)
    with ape.reverts("bridged_child: no native issuance on a child token"):
        child_ccr.add_registry("Verra", sender=admin)


def test_first_deposit_creates_the_root_batch(ccr, child_ccr, funded, alice, bob, bridge):
    """A bridged batch keeps its root batch id and metadata; later deposits add units."""
    _, second = funded
    receipt = child_ccr.deposit(
        bob, deposit_data([second], [7], metadata(ccr, second)), sender=bridge
    )
    assert child_ccr.batch(second) == ccr.batch(second)
    assert child_ccr.registry_name(1) == "Verra"
    assert child_ccr.batch_amount(second) == ccr.batch_amount(second) == 50
    assert child_ccr.balanceOf(bob, second) == 7
    assert child_ccr.deposited(second) == 7
    assert child_ccr.batch_count() == 0
    [ev] = child_ccr.BatchBridged.from_receipt(receipt)
    assert (ev.batch_id, ev.registry_id, ev.registry, ev.project_id) == (
        second,
        1,
        "Verra",
        "VCS-99",
    )
    assert (ev.serial_start, ev.serial_end) == (101, 150)
    [mint] = child_ccr.TransferBatch.from_receipt(receipt)
    assert mint._to == bob and list(mint._values) == [7]
    again = child_ccr.deposit(bob, deposit_data([second], [3]), sender=bridge)
    assert child_ccr.BatchBridged.from_receipt(again) == []
    assert child_ccr.balanceOf(bob, second) == 10
    with ape.reverts("ccr: unknown batch"):
        child_ccr.batch(1)


def test_deposit_of_unknown_batch_reverts(child_ccr, bob, bridge):
    """Units of a batch the child has no metadata for cannot appear."""
    with ape.reverts("ccr: unknown batch"):
        child_ccr.deposit(bob, deposit_data([42], [3]), sender=bridge)


def test_deposit_ignores_pause_and_compliance(ccr, child_ccr, funded, bob, bridge, pauser, admin):
    first, _ = funded
    child_ccr.pause(sender=pauser)
    child_ccr.set_compliance(True, sender=admin)
    child_ccr.deposit(bob, deposit_data([first], [5], metadata(ccr, first)), sender=bridge)
    assert child_ccr.balanceOf(bob, first) == 5


def test_deposit_reverts(ccr, child_ccr, funded, bob, bridge, refuser, receiver):
    first, second = funded
    meta = metadata(ccr, first)
    with ape.reverts("ccr: ids and amounts length mismatch"):
        child_ccr.deposit(bob, deposit_data([first, second], [5]), sender=bridge)
    with ape.reverts("ccr: metadata for one id only"):
        child_ccr.deposit(bob, deposit_data([first, second], [5, 5], meta), sender=bridge)
    with ape.reverts("erc1155: mint to the zero address"):
        child_ccr.deposit(ZERO, deposit_data([first], [5], meta), sender=bridge)
    with ape.reverts("erc1155: transfer to non-IERC1155Receiver implementer"):
        child_ccr.deposit(refuser, deposit_data([first], [5], meta), sender=bridge)
    child_ccr.deposit(receiver, deposit_data([first], [5], meta), sender=bridge)
    assert child_ccr.balanceOf(receiver, first) == 5


@pytest.fixture
def child_funded(ccr, child_ccr, funded, alice, bridge):
    """Alice holds 100 units of batch 1 and 50 of batch 2 on the child copy."""
    first, second = funded
    for batch_id, amount in ((first, 100), (second, 50)):
        child_ccr.deposit(
            alice, deposit_data([batch_id], [amount], metadata(ccr, batch_id)), sender=bridge
        )
    return first, second


def test_withdraw_single(child_ccr, child_funded, alice):
    first, _ = child_funded
    receipt = child_ccr.withdrawSingle(first, 10, sender=alice)
    assert child_ccr.balanceOf(alice, first) == 90
    assert child_ccr.withdrawn(first) == 10
    assert child_ccr.total_supply(first) == 90
    [ev] = child_ccr.TransferSingle.from_receipt(receipt)
    assert ev._from == alice and ev._to == ZERO and ev._value == 10


def test_withdraw_batch(child_ccr, child_funded, alice):
    first, second = child_funded
    receipt = child_ccr.withdrawBatch([first, second], [1, 2], sender=alice)
    assert child_ccr.withdrawn(first) == 1
    assert child_ccr.withdrawn(second) == 2
    assert child_ccr.balanceOfBatch([alice, alice], [first, second]) == [99, 48]
    [ev] = child_ccr.TransferBatch.from_receipt(receipt)
    assert ev._from == alice and ev._to == ZERO and list(ev._values) == [1, 2]


def test_withdraw_reverts(child_ccr, child_funded, alice, bob, pauser):
    first, second = child_funded
    with ape.reverts("ccr: amount exceeds balance"):
        child_ccr.withdrawSingle(first, 101, sender=alice)
    with ape.reverts("ccr: amount exceeds balance"):
        child_ccr.withdrawBatch([first, second], [1, 51], sender=alice)
    with ape.reverts("ccr: ids and amounts length mismatch"):
        child_ccr.withdrawBatch([first, second], [1], sender=alice)
    # The same id twice: each entry fits the balance, together they do not.
    child_ccr.safeTransferFrom(alice, bob, first, 10, b"", sender=alice)
    with ape.reverts("erc1155: burn amount exceeds balance"):
        child_ccr.withdrawBatch([first, first], [50, 45], sender=alice)
    child_ccr.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        child_ccr.withdrawSingle(first, 1, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        child_ccr.withdrawBatch([first], [1], sender=alice)


# --- access control -------------------------------------------------------------------------


def test_role_management(ccr, admin, alice, mallory):
    receipt = ccr.grantRole(ISSUER, alice, sender=admin)
    assert ccr.hasRole(ISSUER, alice)
    [ev] = ccr.RoleGranted.from_receipt(receipt)
    assert ev.role == ISSUER and ev.account == alice and ev.sender == admin
    ccr.revokeRole(ISSUER, alice, sender=admin)
    assert not ccr.hasRole(ISSUER, alice)
    ccr.grantRole(ISSUER, alice, sender=admin)
    with ape.reverts("access_control: can only renounce roles for itself"):
        ccr.renounceRole(ISSUER, alice, sender=mallory)
    ccr.renounceRole(ISSUER, alice, sender=alice)
    assert not ccr.hasRole(ISSUER, alice)
    ccr.set_role_admin(ISSUER, VERIFIER, sender=admin)
    assert ccr.getRoleAdmin(ISSUER) == VERIFIER
