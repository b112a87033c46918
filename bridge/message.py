"""Bridge messages and their EIP-712 signatures, exactly as Bridge.vy verifies them.

A ``Transfer`` comes from a ``MessageSent`` log, an ``AdminCall`` from an ``AdminMessageSent``
log of the source chain's bridge. Both are identified by (source chain id, source tx hash, log
index); validators sign them under the destination bridge's EIP-712 domain (its chain id and
address), so a signature is worth nothing on another chain or another bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import ClassVar, Self

from eth_abi import encode
from eth_account import Account
from eth_account.messages import SignableMessage
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from esg.chain.abi import ContractABI, hex_bytes
from esg.chain.rpc import Log
from esg.signing import Struct, domain

DOMAIN_NAME = "ESG Bridge"
TRANSFER, ADMIN = "transfer", "admin"

# The structs Bridge.vy verifies; each message's fields follow one of them.
MESSAGE = Struct.parse(
    "Message(uint256 srcChainId,bytes32 srcTxHash,uint256 srcLogIndex,address token,uint256 id,"
    "uint256 amount,address recipient,bytes data)"
)
ADMIN_MESSAGE = Struct.parse(
    "AdminMessage(uint256 srcChainId,bytes32 srcTxHash,uint256 srcLogIndex,address target,"
    "bytes payload)"
)


# The fields that identify a message: where its log is.
SOURCE = ("src_chain_id", "src_tx_hash", "src_log_index")


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

    # The EIP-712 struct of the message's kind.
    struct: ClassVar[Struct]
    # The event that announces it, and its field names where they differ from the attributes.
    event: ClassVar[str]
    event_fields: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_event(cls, chain_id: int, tx_hash: bytes, log_index: int, ev: dict) -> Self:
        """The message a decoded event of chain ``chain_id`` announces (its fields by name)."""
        values = {}
        for f in fields(cls)[len(SOURCE) :]:
            value = ev[cls.event_fields.get(f.name, f.name)]
            values[f.name] = bytes(value) if f.type == "bytes" else value
        return cls(chain_id, tx_hash, log_index, **values)

    def signable(self, dest_bridge: str) -> SignableMessage:
        """The EIP-712 message for the bridge ``dest_bridge`` on the destination chain."""
        dest = to_checksum_address(dest_bridge)
        return self.struct.signable(domain(DOMAIN_NAME, self.dest_chain_id, dest), self)

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
    struct = MESSAGE
    event = "MessageSent"
    # The log names the source token ``token`` and the destination one ``dest_token``.
    event_fields = {"token": "dest_token", "src_token": "token"}

    def call(self, signatures: list[bytes]) -> tuple[str, tuple]:
        """The destination bridge function and arguments that deliver this message."""
        return "receive_message", (*self.struct.values(self), signatures)


@dataclass(frozen=True)
class AdminCall(_Base):
    """A governance call the root chain sends to a child bridge (an ``AdminMessageSent`` log)."""

    target: str
    payload: bytes

    kind = ADMIN
    struct = ADMIN_MESSAGE
    event = "AdminMessageSent"

    def call(self, signatures: list[bytes]) -> tuple[str, tuple]:
        return "receive_admin", (*self.struct.values(self), signatures)

    def execute_call(self) -> tuple[str, tuple]:
        """The call that executes this message once its delay has passed."""
        return "execute_admin", self.struct.values(self)


Message = Transfer | AdminCall


def decode(abi: ContractABI, chain_id: int, log: Log) -> Message | None:
    """The message a bridge log announces, None for another event or another chain's echo."""
    topic = log.topics[0].lower() if log.topics else ""
    tx, index = hex_bytes(log.transactionHash), int(log.logIndex, 16)
    for kind in (Transfer, AdminCall):
        event = abi.event(kind.event)
        if topic == event.topic0:
            ev = event.decode(log.topics, log.data)
            # Another chain's echo of the same bridge address is not this chain's message.
            if ev["src_chain_id"] != chain_id:
                return None
            return kind.from_event(chain_id, tx, index, ev)
    return None


def ordered(signatures: dict[str, bytes], threshold: int) -> list[bytes]:
    """``threshold`` signatures by signer address, in the ascending order the contract wants."""
    chosen = sorted(signatures.items(), key=lambda item: int(item[0], 16))[:threshold]
    return [sig for _, sig in chosen]
