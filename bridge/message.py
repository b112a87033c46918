"""Bridge messages and their EIP-712 signatures, exactly as Bridge.vy verifies them.

A ``Transfer`` comes from a ``MessageSent`` log, an ``AdminCall`` from an ``AdminMessageSent``
log of the source chain's bridge. Both are identified by (source chain id, source tx hash, log
index); validators sign them under the destination bridge's EIP-712 domain (its chain id and
address), so a signature is worth nothing on another chain or another bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_abi import encode
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from esg.chain.abi import ContractABI, hex_bytes
from esg.chain.rpc import Log
from esg.signing import domain

DOMAIN_NAME = "ESG Bridge"
TRANSFER, ADMIN = "transfer", "admin"

MESSAGE_TYPE = [
    {"name": "srcChainId", "type": "uint256"},
    {"name": "srcTxHash", "type": "bytes32"},
    {"name": "srcLogIndex", "type": "uint256"},
    {"name": "token", "type": "address"},
    {"name": "id", "type": "uint256"},
    {"name": "amount", "type": "uint256"},
    {"name": "recipient", "type": "address"},
    {"name": "data", "type": "bytes"},
]
ADMIN_TYPE = [
    {"name": "srcChainId", "type": "uint256"},
    {"name": "srcTxHash", "type": "bytes32"},
    {"name": "srcLogIndex", "type": "uint256"},
    {"name": "target", "type": "address"},
    {"name": "payload", "type": "bytes"},
]


@dataclass(frozen=True)
class _Base:
    src_chain_id: int
    src_tx_hash: bytes
    src_log_index: int
    dest_chain_id: int

    @property
    def key(self) -> tuple[int, bytes, int]:
        """(source chain id, source tx hash, log index): the message's identity."""
        return (self.src_chain_id, self.src_tx_hash, self.src_log_index)

    @property
    def message_id(self) -> bytes:
        """The id the destination bridge records in ``processed``."""
        return keccak(
            encode(
                ["uint256", "bytes32", "uint256"],
                [self.src_chain_id, self.src_tx_hash, self.src_log_index],
            )
        )

    def label(self) -> str:
        return f"{self.src_chain_id}/0x{self.src_tx_hash.hex()}/{self.src_log_index}"

    def _signable(self, dest_bridge: str, primary: str, types: list, message: dict):
        return encode_typed_data(
            domain_data=domain(DOMAIN_NAME, self.dest_chain_id, to_checksum_address(dest_bridge)),
            message_types={primary: types},
            message_data=message,
        )

    def signable(self, dest_bridge: str) -> SignableMessage:
        """The EIP-712 message for the bridge ``dest_bridge`` on the destination chain."""
        raise NotImplementedError

    def digest(self, dest_bridge: str) -> bytes:
        """The EIP-712 digest the destination bridge verifies."""
        signable = self.signable(dest_bridge)
        return keccak(b"\x19" + signable.version + signable.header + signable.body)

    def sign(self, account: LocalAccount, dest_bridge: str) -> bytes:
        """``account``'s 65-byte signature (r‖s‖v) of this message for ``dest_bridge``."""
        return bytes(account.sign_message(self.signable(dest_bridge)).signature)

    def signer(self, signature: bytes, dest_bridge: str) -> str | None:
        """The address that made ``signature`` over this message, None if it is malformed."""
        try:
            return Account.recover_message(self.signable(dest_bridge), signature=signature)
        except Exception:  # noqa: BLE001 - any malformed signature simply has no signer
            return None


@dataclass(frozen=True)
class Transfer(_Base):
    """Tokens sent to another chain (a ``MessageSent`` log)."""

    token: str  # the destination-side token
    id: int
    amount: int
    recipient: str
    data: bytes = b""
    # What the source log also says (checked by validators, not signed).
    src_token: str = field(default="", compare=False)
    sender: str = field(default="", compare=False)

    kind = TRANSFER

    @classmethod
    def from_event(cls, chain_id: int, tx_hash: bytes, log_index: int, ev: dict) -> Transfer:
        """The transfer a decoded ``MessageSent`` event of chain ``chain_id`` announces."""
        return cls(
            src_chain_id=chain_id,
            src_tx_hash=tx_hash,
            src_log_index=log_index,
            dest_chain_id=ev["dest_chain_id"],
            token=ev["dest_token"],
            id=ev["id"],
            amount=ev["amount"],
            recipient=ev["recipient"],
            data=bytes(ev["data"]),
            src_token=ev["token"],
            sender=ev["sender"],
        )

    def signable(self, dest_bridge: str) -> SignableMessage:
        return self._signable(
            dest_bridge,
            "Message",
            MESSAGE_TYPE,
            {
                "srcChainId": self.src_chain_id,
                "srcTxHash": self.src_tx_hash,
                "srcLogIndex": self.src_log_index,
                "token": self.token,
                "id": self.id,
                "amount": self.amount,
                "recipient": self.recipient,
                "data": self.data,
            },
        )

    def call(self, signatures: list[bytes]) -> tuple[str, tuple]:
        """The destination bridge function and arguments that deliver this message."""
        return "receive_message", (
            self.src_chain_id,
            self.src_tx_hash,
            self.src_log_index,
            self.token,
            self.id,
            self.amount,
            self.recipient,
            self.data,
            signatures,
        )


@dataclass(frozen=True)
class AdminCall(_Base):
    """A governance call the root chain sends to a child bridge (an ``AdminMessageSent`` log)."""

    target: str
    payload: bytes

    kind = ADMIN

    def signable(self, dest_bridge: str) -> SignableMessage:
        return self._signable(
            dest_bridge,
            "AdminMessage",
            ADMIN_TYPE,
            {
                "srcChainId": self.src_chain_id,
                "srcTxHash": self.src_tx_hash,
                "srcLogIndex": self.src_log_index,
                "target": self.target,
                "payload": self.payload,
            },
        )

    def call(self, signatures: list[bytes]) -> tuple[str, tuple]:
        return "receive_admin", (
            self.src_chain_id,
            self.src_tx_hash,
            self.src_log_index,
            self.target,
            self.payload,
            signatures,
        )

    def execute_call(self) -> tuple[str, tuple]:
        """The call that executes this message once its delay has passed."""
        return "execute_admin", (
            self.src_chain_id,
            self.src_tx_hash,
            self.src_log_index,
            self.target,
            self.payload,
        )


Message = Transfer | AdminCall


def decode(abi: ContractABI, chain_id: int, log: Log) -> Message | None:
    """The message a bridge log announces, None for another event or another chain's echo."""
    topic = log.topics[0].lower() if log.topics else ""
    tx, index = hex_bytes(log.transactionHash), int(log.logIndex, 16)
    sent = abi.event("MessageSent")
    if topic == sent.topic0:
        ev = sent.decode(log.topics, log.data)
        if ev["src_chain_id"] != chain_id:
            return None
        return Transfer.from_event(chain_id, tx, index, ev)
    admin = abi.event("AdminMessageSent")
    if topic == admin.topic0:
        ev = admin.decode(log.topics, log.data)
        if ev["src_chain_id"] != chain_id:
            return None
        return AdminCall(
            src_chain_id=chain_id,
            src_tx_hash=tx,
            src_log_index=index,
            dest_chain_id=ev["dest_chain_id"],
            target=ev["target"],
            payload=bytes(ev["payload"]),
        )
    return None


def ordered(signatures: dict[str, bytes], threshold: int) -> list[bytes]:
    """``threshold`` signatures by signer address, in the ascending order the contract wants."""
    chosen = sorted(signatures.items(), key=lambda item: int(item[0], 16))[:threshold]
    return [sig for _, sig in chosen]
