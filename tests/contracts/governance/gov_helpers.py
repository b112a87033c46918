"""Constants and EIP-712 signing shared by the governance tests."""

from dataclasses import astuple, dataclass

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from esg import signing

E18 = 10**18
CAP = 1_000_000 * E18
START_BALANCE = 10_000 * E18
TIMELOCK_DELAY = 3_600
DAY = 86_400


@dataclass(frozen=True)
class GovernorSettings:
    """The Governor's constructor settings after its GST, EST and Timelock, in their order."""

    voting_delay: int  # blocks from proposal to the vote's start
    voting_period: int  # blocks the vote stays open
    proposal_threshold: int  # votes (18 decimals) a proposer needs
    quorum_bp: int  # share of GST's past total supply, basis points

    def args(self) -> tuple:
        return astuple(self)


GOVERNOR = GovernorSettings(
    voting_delay=2, voting_period=10, proposal_threshold=100 * E18, quorum_bp=400
)
GST_NAME = "Green Sustainability Token"


def role(name: str) -> bytes:
    return keccak(text=name)


ADMIN_ROLE = b"\x00" * 32
MINTER_ROLE = role("MINTER_ROLE")
ORACLE_ROLE = role("ORACLE_ROLE")
PAUSER_ROLE = role("PAUSER_ROLE")
DEPOSITOR_ROLE = role("DEPOSITOR_ROLE")
PROPOSER_ROLE = role("PROPOSER_ROLE")
EXECUTOR_ROLE = role("EXECUTOR_ROLE")
CANCELLER_ROLE = role("CANCELLER_ROLE")


def set_score(ecs, account, score: int, oracle) -> None:
    """Give ``account`` an overall ECS score of ``score`` bp (all three components equal)."""
    ecs.set_score(account, score, score, score, 1, b"\x00" * 32, sender=oracle)


def sign_permit(account, token, chain_id, spender, value, nonce, deadline):
    """(v, r, s) of ``account``'s ERC-2612 permit on GST, as ``esg.signing`` builds it."""
    return signing.sign_permit(
        account.private_key,
        token_name=GST_NAME,
        token=token.address,
        chain_id=chain_id,
        owner=account.address,
        spender=str(spender),
        value=value,
        nonce=nonce,
        deadline=deadline,
    )


DELEGATION_TYPES = {
    "Delegation": [
        {"name": "delegatee", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
}


def sign_delegation(account, token, chain_id, delegatee, nonce, expiry):
    """(v, r, s) of ``account``'s EIP-712 delegation of its GST votes to ``delegatee``."""
    signable = encode_typed_data(
        domain_data=signing.domain(GST_NAME, chain_id, token.address),
        message_types=DELEGATION_TYPES,
        message_data={"delegatee": str(delegatee), "nonce": nonce, "expiry": expiry},
    )
    signed = Account.sign_message(signable, account.private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def delegate(token, account, delegatee):
    """Calls `token.delegate(delegatee)` from `account`.

    ape's address objects have their own `delegate` attribute (EIP-7702), which hides the
    contract method of the same name, so the call goes through `invoke_transaction`.
    """
    return token.invoke_transaction("delegate", delegatee, sender=account)


def assert_call_reverts(method, *args, sender, reason: str, value: int = 0) -> None:
    """Asserts that calling `method(*args)` from `sender` reverts with `reason`.

    Runs an eth_call against the current state straight through web3: the same execution as a
    transaction, without ape's revert trace enrichment (about a second per revert), which keeps
    the permission matrix fast.
    """
    from ape import chain
    from web3.exceptions import ContractLogicError

    tx = {
        "from": sender.address,
        "to": method.contract.address,
        "data": method.encode_input(*args),
        "value": value,
    }
    try:
        chain.provider.web3.eth.call(tx)
    except ContractLogicError as err:
        assert reason in str(err), f"reverted with {err}, expected {reason!r}"
        return
    raise AssertionError(f"{method} from {sender} did not revert")


def assert_deploy_reverts(container, *args, sender, reason: str) -> None:
    """Asserts that deploying `container` with `args` reverts with `reason` (via eth_call)."""
    from ape import chain
    from web3.exceptions import ContractLogicError

    bytecode = container.contract_type.deployment_bytecode.bytecode
    data = bytes.fromhex(bytecode.removeprefix("0x")) + container.constructor.encode_input(*args)
    try:
        chain.provider.web3.eth.call({"from": sender.address, "data": data})
    except ContractLogicError as err:
        assert reason in str(err), f"reverted with {err}, expected {reason!r}"
        return
    raise AssertionError(f"deploying {container.contract_type.name} did not revert")
