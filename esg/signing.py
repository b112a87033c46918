"""EIP-712 messages the ecosystem's contracts accept: AET audit attestations, ERC-2612 permits,
and (bridge.message) the bridge's messages.

Each struct is declared once, in EIP-712's own ``encodeType`` notation (the string the contracts
hash into their type hashes); its field list for eth-account and each message's values come
from that one declaration: a message's values are the attributes (``model_id`` for ``modelId``)
of the object it is made from, or the entries of a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data


def _attribute(field_name: str) -> str:
    """The Python attribute of an EIP-712 field name: ``srcTxHash`` -> ``src_tx_hash``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field_name).lower()


@dataclass(frozen=True)
class Struct:
    """One EIP-712 struct type: its name and (type, name) fields in order."""

    name: str
    fields: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, encoded: str) -> Struct:
        """The struct of an ``encodeType`` string, e.g. ``Permit(address owner,uint256 value)``."""
        match = re.fullmatch(r"(\w+)\(([^()]*)\)", encoded)
        if match is None:
            raise ValueError(f"not an EIP-712 struct type: {encoded!r}")
        fields = tuple(tuple(f.split(" ")) for f in match[2].split(","))
        if any(len(f) != 2 for f in fields):
            raise ValueError(f"a field is not '<type> <name>': {encoded!r}")
        return cls(match[1], fields)

    @property
    def types(self) -> dict[str, list[dict[str, str]]]:
        """The ``message_types`` of eth-account's ``encode_typed_data``."""
        return {self.name: [{"name": name, "type": kind} for kind, name in self.fields]}

    def message(self, source: Any) -> dict[str, Any]:
        """The struct's values taken from ``source`` (a mapping by field name, or an object)."""
        if isinstance(source, Mapping):
            if missing := [name for _, name in self.fields if name not in source]:
                raise ValueError(f"{self.name} without {', '.join(missing)}")
            return {name: source[name] for _, name in self.fields}
        return {name: getattr(source, _attribute(name)) for _, name in self.fields}

    def values(self, source: Any) -> tuple:
        """The values in field order (a contract function's arguments)."""
        return tuple(self.message(source).values())

    def signable(self, domain_data: dict, source: Any) -> SignableMessage:
        return encode_typed_data(
            domain_data=domain_data, message_types=self.types, message_data=self.message(source)
        )


ATTESTATION = Struct.parse(
    "Attestation(address recipient,bytes32 modelId,uint16 transparency,uint16 bias,"
    "uint16 humanAlignment,uint16 environmentalImpact,uint256 energyKwh,uint256 kgCo2e,"
    "uint256 nonce,uint256 deadline)"
)
PERMIT = Struct.parse(
    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)
# The field lists in eth-account's form.
ATTESTATION_TYPES = ATTESTATION.types
PERMIT_TYPES = PERMIT.types


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
        return ATTESTATION.message(self)

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
    msg = ATTESTATION.signable(domain("AI Ethics Token", chain_id, aet), att)
    return bytes(Account.sign_message(msg, private_key).signature)


def sign_permit(
    private_key, *, token_name: str, token: str, chain_id: int, **permit: Any
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an ERC-2612 permit (``owner``, ``spender``, ``value``, ``nonce``,
    ``deadline``) for a snekmate-based token."""
    msg = PERMIT.signable(domain(token_name, chain_id, token), permit)
    signed = Account.sign_message(msg, private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
