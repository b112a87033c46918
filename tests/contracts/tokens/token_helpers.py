"""Constants, role ids and EIP-712 signing shared by the token tests (permit, AET attestations)."""

from eth_account import Account
from eth_utils import keccak

from esg.signing import ATTESTATION_TYPES, PERMIT_TYPES, domain  # noqa: F401 (re-exported to the tests)

EPOCH_LENGTH = 86_400
EPOCH_CAP = 1_000 * 10**18
AET_BASE_REWARD = 100 * 10**18
MISSING_ROLE = "access_control: account is missing role"


def role(name: str) -> bytes:
    return keccak(text=name)


def sign_typed(signer, domain_data: dict, types: dict, message: dict):
    """Sign EIP-712 typed data with a test account's private key."""
    return Account.sign_typed_data(signer.private_key, domain_data, types, message)


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
