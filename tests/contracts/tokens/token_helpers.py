"""Constants, role ids and EIP-712 signing shared by the token tests (permit, AET attestations)."""

from eth_account import Account
from eth_utils import keccak

from esg import signing
from esg.signing import ATTESTATION_TYPES, domain  # noqa: F401 (re-exported to the tests)

EPOCH_LENGTH = 86_400
EPOCH_CAP = 1_000 * 10**18
AET_BASE_REWARD = 100 * 10**18
MISSING_ROLE = "access_control: account is missing role"


def role(name: str) -> bytes:
    return keccak(text=name)


def sign_typed(signer, domain_data: dict, types: dict, message: dict):
    """Sign EIP-712 typed data with a test account's private key."""
    return Account.sign_typed_data(signer.private_key, domain_data, types, message)


def permit_args(
    token,
    name: str,
    chain_id: int,
    owner,
    spender,
    value: int,
    deadline: int,
    *,
    signer=None,
    nonce: int | None = None,
) -> tuple:
    """Arguments of ``token.permit``: ``owner``'s ERC-2612 permit for ``spender``, signed as
    ``esg.signing`` signs it (by ``signer`` instead, to test a wrong signature); the nonce is
    the owner's next one unless given."""
    v, r, s = signing.sign_permit(
        (signer or owner).private_key,
        token_name=name,
        token=token.address,
        chain_id=chain_id,
        owner=str(owner),
        spender=str(spender),
        value=value,
        nonce=token.nonces(owner) if nonce is None else nonce,
        deadline=deadline,
    )
    return owner, spender, value, deadline, v, r, s


def attestation(
    recipient, deadline: int, nonce: int = 1, scores=(800, 700, 900, 600), **overrides
) -> dict:
    """An Attestation message; `overrides` replace fields by their typed name."""
    message = {
        "recipient": str(recipient),
        "modelId": keccak(text="model-x"),
        "transparency": scores[0],
        "bias": scores[1],
        "humanAlignment": scores[2],
        "environmentalImpact": scores[3],
        "energyKwh": 1_250,
        "kgCo2e": 480,
        "nonce": nonce,
        "deadline": deadline,
    }
    message.update(overrides)
    return message


def attestation_args(message: dict) -> list:
    """The message fields in `mint_with_attestation` argument order."""
    return [message[field["name"]] for field in ATTESTATION_TYPES["Attestation"]]
