"""The bridge message and its EIP-712 signature, exactly as Bridge.vy verifies them."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

DOMAIN_NAME = "ESG Bridge"
DOMAIN_VERSION = "1"

MESSAGE_TYPES = {
    "Message": [
        {"name": "srcChainId", "type": "uint256"},
        {"name": "srcTxHash", "type": "bytes32"},
        {"name": "srcLogIndex", "type": "uint256"},
        {"name": "token", "type": "address"},
        {"name": "id", "type": "uint256"},
        {"name": "amount", "type": "uint256"},
        {"name": "recipient", "type": "address"},
    ]
}


@dataclass(frozen=True)
class Message:
    """One transfer: where it left (chain, tx, log index) and what arrives where."""

    src_chain_id: int
    src_tx_hash: bytes
    src_log_index: int
    dest_chain_id: int
    token: str  # the destination-side token
    id: int
    amount: int
    recipient: str

    @property
    def key(self) -> tuple[int, str, int]:
        """The relayer's message id: (source chain id, tx hash hex, log index)."""
        return (self.src_chain_id, "0x" + self.src_tx_hash.hex(), self.src_log_index)

    def typed_data(self, dest_bridge: str) -> dict:
        """The EIP-712 payload for the bridge `dest_bridge` on the destination chain."""
        return {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                **MESSAGE_TYPES,
            },
            "primaryType": "Message",
            "domain": {
                "name": DOMAIN_NAME,
                "version": DOMAIN_VERSION,
                "chainId": self.dest_chain_id,
                "verifyingContract": dest_bridge,
            },
            "message": {
                "srcChainId": self.src_chain_id,
                "srcTxHash": self.src_tx_hash,
                "srcLogIndex": self.src_log_index,
                "token": self.token,
                "id": self.id,
                "amount": self.amount,
                "recipient": self.recipient,
            },
        }

    def call_args(self, signatures: list[bytes]) -> tuple:
        """Arguments of `receive_message` for this message."""
        return (
            self.src_chain_id,
            self.src_tx_hash,
            self.src_log_index,
            self.token,
            self.id,
            self.amount,
            self.recipient,
            signatures,
        )


def sign(message: Message, dest_bridge: str, key: LocalAccount | str | bytes) -> tuple[str, bytes]:
    """One validator's signature: (signer address, 65-byte r||s||v)."""
    account = key if isinstance(key, LocalAccount) else Account.from_key(key)
    signable = encode_typed_data(full_message=message.typed_data(dest_bridge))
    signed = account.sign_message(signable)
    return account.address, bytes(signed.signature)


def collect_signatures(
    message: Message, dest_bridge: str, keys: list[LocalAccount], threshold: int
) -> list[bytes]:
    """`threshold` signatures from `keys`, ordered by ascending signer address as the
    contract requires (fewer if not enough keys are configured)."""
    signed = sorted((sign(message, dest_bridge, key) for key in keys), key=lambda s: int(s[0], 16))
    return [sig for _, sig in signed[:threshold]]
