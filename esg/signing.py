"""EIP-712 messages the ecosystem's contracts accept: AET audit attestations and ERC-2612 permits."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from eth_account import Account
from eth_account.messages import encode_typed_data

ATTESTATION_TYPES = {
    "Attestation": [
        {"name": "recipient", "type": "address"},
        {"name": "modelId", "type": "bytes32"},
        {"name": "transparency", "type": "uint16"},
        {"name": "bias", "type": "uint16"},
        {"name": "humanAlignment", "type": "uint16"},
        {"name": "environmentalImpact", "type": "uint16"},
        {"name": "energyKwh", "type": "uint256"},
        {"name": "kgCo2e", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


@dataclass(frozen=True)
class Attestation:
    """An auditor's statement about one AI model (scores 0-1000, green-AI metrics)."""

    recipient: str
    model_id: bytes
    transparency: int
    bias: int
    human_alignment: int
    environmental_impact: int
    energy_kwh: int
    kg_co2e: int
    nonce: int
    deadline: int

    def message(self) -> dict:
        return {
            "recipient": self.recipient,
            "modelId": self.model_id,
            "transparency": self.transparency,
            "bias": self.bias,
            "humanAlignment": self.human_alignment,
            "environmentalImpact": self.environmental_impact,
            "energyKwh": self.energy_kwh,
            "kgCo2e": self.kg_co2e,
            "nonce": self.nonce,
            "deadline": self.deadline,
        }

    def args(self) -> tuple:
        """Arguments of ``AET.mint_with_attestation`` before the signature."""
        return tuple(asdict(self).values())


def domain(name: str, chain_id: int, contract: str, version: str = "1") -> dict:
    return {
        "name": name,
        "version": version,
        "chainId": chain_id,
        "verifyingContract": str(contract),
    }


def sign_attestation(private_key, att: Attestation, *, chain_id: int, aet: str) -> bytes:
    """The 65-byte signature of ``att`` for the AET contract at ``aet`` on ``chain_id``."""
    msg = encode_typed_data(
        domain_data=domain("AI Ethics Token", chain_id, aet),
        message_types=ATTESTATION_TYPES,
        message_data=att.message(),
    )
    return bytes(Account.sign_message(msg, private_key).signature)


def sign_permit(
    private_key,
    *,
    token_name: str,
    token: str,
    chain_id: int,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an ERC-2612 permit for a snekmate-based token."""
    msg = encode_typed_data(
        domain_data=domain(token_name, chain_id, token),
        message_types=PERMIT_TYPES,
        message_data={
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": nonce,
            "deadline": deadline,
        },
    )
    signed = Account.sign_message(msg, private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
