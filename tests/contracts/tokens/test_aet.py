"""AI Ethics Token (AET): EIP-712 attestation minting, reward scaling, pause, base reward."""

import ape
import pytest
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from token_helpers import (
    AET_BASE_REWARD,
    ATTESTATION_TYPES,
    attestation,
    attestation_args,
    domain,
    permit_args,
    sign_typed,
)

NAME = "AI Ethics Token"


def signed_args(aet, chain, signer, message, chain_id=None, contract=None):
    """Arguments of `mint_with_attestation` for `message` signed by `signer`."""
    dom = domain(NAME, chain_id or chain.chain_id, contract or aet.address)
    signed = sign_typed(signer, dom, ATTESTATION_TYPES, message)
    return [*attestation_args(message), signed.signature]


@pytest.fixture
def deadline(chain):
    return chain.pending_timestamp + 3600


def test_metadata(aet, admin, chain):
    assert aet.name() == NAME and aet.symbol() == "AET" and aet.decimals() == 18
    assert aet.base_reward() == AET_BASE_REWARD
    assert aet.hasRole(aet.DEFAULT_ADMIN_ROLE(), admin)
    assert aet.AUDITOR_ROLE() == keccak(text="AUDITOR_ROLE")
    fields = aet.eip712Domain()
    assert (fields[1], fields[2], fields[3], fields[4]) == (NAME, "1", chain.chain_id, aet.address)
    type_string = (
        "Attestation(address recipient,bytes32 modelId,uint16 transparency,uint16 bias,"
        "uint16 humanAlignment,uint16 environmentalImpact,uint256 energyKwh,uint256 kgCo2e,"
        "uint256 nonce,uint256 deadline)"
    )
    assert aet.ATTESTATION_TYPEHASH() == keccak(text=type_string)


def test_owner_minting_is_not_exposed(aet):
    for name in ("mint", "set_minter", "transfer_ownership", "renounce_ownership", "owner"):
        assert not hasattr(aet, name)


def test_valid_attestation_mints_and_records(aet, chain, auditor, alice, mallory, deadline):
    scores = (800, 700, 900, 600)
    message = attestation(alice, deadline, nonce=7, scores=scores)
    tx = aet.mint_with_attestation(*signed_args(aet, chain, auditor, message), sender=mallory)
    expected = AET_BASE_REWARD * sum(scores) // 4 // 1000
    assert expected == 75 * 10**18
    assert tx.return_value == 1
    assert aet.balanceOf(alice) == expected
    assert aet.totalSupply() == expected
    assert aet.nonce_used(auditor, 7)
    assert aet.audit_count() == 1
    audit = aet.audits(1)
    encoded = encode_typed_data(
        domain(NAME, chain.chain_id, aet.address), ATTESTATION_TYPES, message
    )
    assert encoded.header == aet.DOMAIN_SEPARATOR()
    assert audit.attestation_hash == encoded.body
    assert audit.auditor == auditor
    ev = tx.decode_logs(aet.AuditRecorded)[0]
    assert ev.model_id == keccak(text="model-x") and ev.recipient == alice and ev.auditor == auditor
    assert (ev.transparency, ev.bias, ev.human_alignment, ev.environmental_impact) == scores
    assert (ev.energy_kwh, ev.kg_co2e, ev.nonce, ev.reward) == (1_250, 480, 7, expected)


@pytest.mark.parametrize(
    "scores", [(1000, 1000, 1000, 1000), (0, 0, 0, 0), (1, 0, 0, 0), (999, 1, 500, 250)]
)
def test_reward_scales_with_average(aet, chain, auditor, alice, deadline, scores):
    message = attestation(alice, deadline, scores=scores)
    aet.mint_with_attestation(*signed_args(aet, chain, auditor, message), sender=alice)
    assert aet.balanceOf(alice) == AET_BASE_REWARD * sum(scores) // 4000


def test_wrong_signer(aet, chain, mallory, alice, deadline):
    message = attestation(alice, deadline)
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*signed_args(aet, chain, mallory, message), sender=mallory)


def test_tampered_field_reverts(aet, chain, auditor, alice, mallory, deadline):
    message = attestation(alice, deadline)
    args = signed_args(aet, chain, auditor, message)
    args[0] = mallory.address  # redirect the reward
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*args, sender=mallory)


def test_revoked_auditor(aet, chain, admin, auditor, alice, deadline):
    message = attestation(alice, deadline)
    args = signed_args(aet, chain, auditor, message)
    aet.revokeRole(aet.AUDITOR_ROLE(), auditor, sender=admin)
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*args, sender=alice)


def test_expired_deadline(aet, chain, auditor, alice):
    deadline = chain.pending_timestamp + 60
    args = signed_args(aet, chain, auditor, attestation(alice, deadline))
    chain.pending_timestamp = deadline + 1
    with ape.reverts("aet: attestation expired"):
        aet.mint_with_attestation(*args, sender=alice)


def test_deadline_is_inclusive(aet, chain, auditor, alice):
    deadline = chain.pending_timestamp + 60
    args = signed_args(aet, chain, auditor, attestation(alice, deadline))
    chain.pending_timestamp = deadline
    aet.mint_with_attestation(*args, sender=alice)
    assert aet.balanceOf(alice) > 0


def test_reused_nonce(aet, chain, auditor, alice, bob, deadline):
    aet.mint_with_attestation(
        *signed_args(aet, chain, auditor, attestation(alice, deadline)), sender=alice
    )
    with ape.reverts("aet: nonce already used"):
        aet.mint_with_attestation(
            *signed_args(aet, chain, auditor, attestation(alice, deadline)), sender=alice
        )
    # A different attestation with the same nonce is refused too.
    other = attestation(bob, deadline, modelId=keccak(text="model-y"))
    with ape.reverts("aet: nonce already used"):
        aet.mint_with_attestation(*signed_args(aet, chain, auditor, other), sender=bob)


def test_nonces_are_per_auditor(aet, chain, admin, auditor, verifier, alice, deadline):
    aet.grantRole(aet.AUDITOR_ROLE(), verifier, sender=admin)
    aet.mint_with_attestation(
        *signed_args(aet, chain, auditor, attestation(alice, deadline)), sender=alice
    )
    aet.mint_with_attestation(
        *signed_args(aet, chain, verifier, attestation(alice, deadline)), sender=alice
    )
    assert aet.audit_count() == 2
    assert aet.audits(2).auditor == verifier


def test_signature_for_another_chain_id(aet, chain, auditor, alice, deadline):
    args = signed_args(
        aet, chain, auditor, attestation(alice, deadline), chain_id=chain.chain_id + 1
    )
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*args, sender=alice)


def test_signature_for_another_contract(project, aet, chain, admin, auditor, alice, deadline):
    other = project.AET.deploy(AET_BASE_REWARD, sender=admin)
    other.grantRole(other.AUDITOR_ROLE(), auditor, sender=admin)
    args = signed_args(aet, chain, auditor, attestation(alice, deadline), contract=other.address)
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*args, sender=alice)
    other.mint_with_attestation(*args, sender=alice)  # valid where it was meant to be used
    assert other.balanceOf(alice) > 0


def test_signature_for_another_domain_name(aet, chain, auditor, alice, deadline):
    message = attestation(alice, deadline)
    dom = domain("EcoToken", chain.chain_id, aet.address)
    signed = sign_typed(auditor, dom, ATTESTATION_TYPES, message)
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*attestation_args(message), signed.signature, sender=alice)


def test_malformed_signature(aet, chain, auditor, alice, deadline):
    args = signed_args(aet, chain, auditor, attestation(alice, deadline))
    args[-1] = b"\x01" * 10
    with ape.reverts("aet: signer is not an auditor"):
        aet.mint_with_attestation(*args, sender=alice)


@pytest.mark.parametrize("index", range(4))
def test_score_out_of_range(aet, chain, auditor, alice, deadline, index):
    scores = [500, 500, 500, 500]
    scores[index] = 1001
    args = signed_args(aet, chain, auditor, attestation(alice, deadline, scores=tuple(scores)))
    with ape.reverts("aet: score out of range"):
        aet.mint_with_attestation(*args, sender=alice)


def test_set_base_reward(aet, chain, admin, auditor, alice, deadline):
    tx = aet.set_base_reward(8 * 10**18, sender=admin)
    ev = tx.decode_logs(aet.BaseRewardChanged)[0]
    assert ev.old_reward == AET_BASE_REWARD and ev.new_reward == 8 * 10**18
    assert aet.base_reward() == 8 * 10**18
    message = attestation(alice, deadline, scores=(1000, 1000, 1000, 1000))
    aet.mint_with_attestation(*signed_args(aet, chain, auditor, message), sender=alice)
    assert aet.balanceOf(alice) == 8 * 10**18


def test_pause_blocks_minting_and_transfers(aet, chain, pauser, auditor, alice, bob, deadline):
    aet.mint_with_attestation(
        *signed_args(aet, chain, auditor, attestation(alice, deadline)), sender=alice
    )
    aet.approve(bob, 10, sender=alice)
    aet.pause(sender=pauser)
    assert aet.paused()
    args = signed_args(aet, chain, auditor, attestation(alice, deadline, nonce=2))
    with ape.reverts("pausable: contract is paused"):
        aet.mint_with_attestation(*args, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        aet.transfer(bob, 1, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        aet.transferFrom(alice, bob, 1, sender=bob)
    aet.unpause(sender=pauser)
    aet.mint_with_attestation(*args, sender=alice)
    aet.transfer(bob, 1, sender=alice)
    aet.transferFrom(alice, bob, 1, sender=bob)
    assert aet.balanceOf(bob) == 2


def test_transfer_reverts(aet, alice, bob):
    with ape.reverts("erc20: transfer amount exceeds balance"):
        aet.transfer(bob, 1, sender=alice)
    with ape.reverts("erc20: insufficient allowance"):
        aet.transferFrom(alice, bob, 1, sender=bob)


def test_permit_uses_same_domain(aet, chain, alice, bob):
    deadline = chain.pending_timestamp + 3600
    aet.permit(
        *permit_args(aet, NAME, chain.chain_id, alice, bob, 5, deadline, nonce=0), sender=bob
    )
    assert aet.allowance(alice, bob) == 5


def test_gas_mint_with_attestation(aet, chain, auditor, alice, deadline):
    tx = aet.mint_with_attestation(
        *signed_args(aet, chain, auditor, attestation(alice, deadline)), sender=alice
    )
    print(f"\nAET gas: mint_with_attestation {tx.gas_used}")
    assert tx.gas_used < 200_000
