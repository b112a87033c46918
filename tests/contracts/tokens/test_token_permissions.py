"""Permission matrix: every role-protected function reverts for every persona lacking the role."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from token_helpers import (
    ATTESTATION_TYPES,
    MISSING_ROLE,
    attestation,
    attestation_args,
    domain,
    role,
    sign_typed,
)
from web3.exceptions import ContractLogicError as Web3ContractLogicError

from esg.personas import PERSONAS

H = keccak(text="x")
ADMIN = bytes(32)

# (contract fixture, function, args given the persona map, role needed, the persona holding it)
CASES = [
    ("ect", "mint_for_action", lambda p: [p["alice"], 1, H], "ORACLE_ROLE", "oracle"),
    ("ect", "set_epoch_cap", lambda p: [1], "DEFAULT_ADMIN_ROLE", "admin"),
    (
        "child_ect",
        "deposit",
        lambda p: [p["alice"], encode(["uint256"], [1])],
        "DEPOSITOR_ROLE",
        "bridge",
    ),
    ("ect", "pause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("ect", "unpause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("ecs", "set_score", lambda p: [p["alice"], 1, 1, 1, 1, H], "ORACLE_ROLE", "oracle"),
    ("ecs", "set_weights", lambda p: [5000, 2500, 2500], "DEFAULT_ADMIN_ROLE", "admin"),
    ("ecs", "record_metric", lambda p: [p["alice"], H, 1, "t", H], "ORACLE_ROLE", "oracle"),
    ("ecs", "verify_metric", lambda p: [1], "VERIFIER_ROLE", "verifier"),
    ("ecs", "pause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("ecs", "unpause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("egm", "define_gem", lambda p: [1, 1, 1, 1, ""], "DEFAULT_ADMIN_ROLE", "admin"),
    ("egm", "set_expiry", lambda p: [1, 0], "DEFAULT_ADMIN_ROLE", "admin"),
    ("egm", "set_treasury", lambda p: [p["alice"]], "DEFAULT_ADMIN_ROLE", "admin"),
    ("egm", "pause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("egm", "unpause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("aet", "set_base_reward", lambda p: [1], "DEFAULT_ADMIN_ROLE", "admin"),
    ("aet", "pause", lambda p: [], "PAUSER_ROLE", "pauser"),
    ("aet", "unpause", lambda p: [], "PAUSER_ROLE", "pauser"),
]
# Role administration (snekmate access_control) on every contract: DEFAULT_ADMIN_ROLE only.
for _name in ("ect", "ecs", "egm", "aet"):
    CASES += [
        (
            _name,
            "grantRole",
            lambda p: [role("PAUSER_ROLE"), p["mallory"]],
            "DEFAULT_ADMIN_ROLE",
            "admin",
        ),
        (
            _name,
            "revokeRole",
            lambda p: [role("PAUSER_ROLE"), p["pauser"]],
            "DEFAULT_ADMIN_ROLE",
            "admin",
        ),
        (
            _name,
            "set_role_admin",
            lambda p: [role("PAUSER_ROLE"), ADMIN],
            "DEFAULT_ADMIN_ROLE",
            "admin",
        ),
    ]


def assert_call_reverts(contract, function, args, sender, reason):
    """Run the call as eth_call straight through web3 and require a revert with `reason`.

    Same code path as a transaction, without mining or ape's revert tracing, which keeps the
    matrix (hundreds of calls) fast.
    """
    data = getattr(contract, function).encode_input(*args)
    tx = {"from": sender.address, "to": contract.address, "data": data}
    with pytest.raises(Web3ContractLogicError) as info:
        ape.chain.provider.web3.eth.call(tx)
    assert reason in str(info.value), f"{function} by {sender}: {info.value}"


@pytest.fixture(scope="module")
def personas(admin, alice, bob, carol, oracle, verifier, auditor, pauser, bridge, mallory):
    return dict(
        zip(
            PERSONAS,
            [admin, alice, bob, carol, oracle, verifier, auditor, pauser, bridge, mallory],
            strict=True,
        )
    )


@pytest.fixture(scope="module")
def deployed(ect, child_ect, ecs, egm, aet):
    """All contracts, deployed before any per-test snapshot is taken."""
    return {"ect": ect, "child_ect": child_ect, "ecs": ecs, "egm": egm, "aet": aet}


@pytest.mark.parametrize(
    "contract_name,function,make_args,role_name,holder",
    CASES,
    ids=[f"{c[0]}.{c[1]}" for c in CASES],
)
def test_role_protected_function(
    deployed, personas, contract_name, function, make_args, role_name, holder
):
    contract = deployed[contract_name]
    role_id = ADMIN if role_name == "DEFAULT_ADMIN_ROLE" else role(role_name)
    assert contract.hasRole(role_id, personas[holder])
    args = make_args(personas)
    for name, persona in personas.items():
        if name == holder:
            continue
        assert not contract.hasRole(role_id, persona)
        assert_call_reverts(contract, function, args, persona, MISSING_ROLE)


def test_aet_attestation_signer_needs_auditor_role(aet, chain, personas):
    deadline = chain.pending_timestamp + 3600
    message = attestation(personas["alice"], deadline)
    dom = domain("AI Ethics Token", chain.chain_id, aet.address)
    for name, persona in personas.items():
        if name == "auditor":
            continue
        signature = sign_typed(persona, dom, ATTESTATION_TYPES, message).signature
        args = [*attestation_args(message), signature]
        assert_call_reverts(
            aet, "mint_with_attestation", args, persona, "aet: signer is not an auditor"
        )
    signature = sign_typed(personas["auditor"], dom, ATTESTATION_TYPES, message).signature
    aet.mint_with_attestation(*attestation_args(message), signature, sender=personas["mallory"])
    assert aet.balanceOf(personas["alice"]) > 0
