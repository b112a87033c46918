"""Role and registry ids of the CCR and ECR tests (imported by the fixtures and the tests)."""

from eth_utils import keccak

ROLE_NAMES = ("ISSUER_ROLE", "VERIFIER_ROLE", "PAUSER_ROLE", "DEPOSITOR_ROLE", "CERTIFIER_ROLE")


def role(name: str) -> bytes:
    """Role id as the contracts define it: keccak256 of the role name."""
    return keccak(text=name)


ISSUER = role("ISSUER_ROLE")
VERIFIER = role("VERIFIER_ROLE")
PAUSER = role("PAUSER_ROLE")
DEPOSITOR = role("DEPOSITOR_ROLE")
CERTIFIER = role("CERTIFIER_ROLE")
ADMIN = b"\x00" * 32
# Registry ids the admin adds to the root CCR, in this order.
REGISTRIES = {"Verra": 1, "GoldStandard": 2}
# A registry id nobody added.
UNKNOWN_REGISTRY = 99
