"""Contract ABIs as the deployment manifest records them: encoding calls, decoding results,
events and revert reasons, and reading contracts over ``esg.chain.rpc``.

The ABI files under ``deployments/abi/`` are written by the deploy path from the compiled
contracts, so a service never keeps its own copy of an interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from esg.chain.rpc import RPC, RPCError
from esg.manifest import Manifest

# Selector of Solidity's and Vyper's `Error(string)` revert payload.
_ERROR_SELECTOR = bytes.fromhex("08c379a0")


def canonical_type(inp: dict) -> str:
    """The canonical ABI type string of an input (tuples expanded)."""
    t = inp["type"]
    if t.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in inp.get("components", []))
        return f"({inner}){t[5:]}"
    return t


def hex_bytes(value: str | bytes) -> bytes:
    """Bytes from ``0x`` hex (or bytes as they are)."""
    return value if isinstance(value, bytes) else bytes.fromhex(value.removeprefix("0x"))


def _normalise(t: str, value: Any) -> Any:
    """Decoded values as services use them: checksummed addresses, everything else as is."""
    if t == "address":
        return to_checksum_address(value)
    if t == "address[]":
        return [to_checksum_address(v) for v in value]
    return value


@dataclass(frozen=True)
class Function:
    """One function of an ABI."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    @property
    def selector(self) -> bytes:
        return keccak(text=f"{self.name}({','.join(self.inputs)})")[:4]

    def encode(self, *args: Any) -> bytes:
        """Calldata for a call with ``args``."""
        if len(args) != len(self.inputs):
            raise TypeError(
                f"{self.name}: {len(self.inputs)} arguments expected, {len(args)} given"
            )
        return self.selector + encode(list(self.inputs), list(args))

    def decode(self, data: bytes) -> Any:
        """The result of a call: one value, or a tuple for several outputs."""
        values = decode(list(self.outputs), data)
        values = tuple(_normalise(t, v) for t, v in zip(self.outputs, values, strict=True))
        return values[0] if len(values) == 1 else values


@dataclass(frozen=True)
class Event:
    """One event of an ABI, decoding logs into named arguments."""

    name: str
    inputs: tuple[tuple[str, str, bool], ...]  # (name, type, indexed)

    @property
    def topic0(self) -> str:
        signature = f"{self.name}({','.join(t for _, t, _ in self.inputs)})"
        return "0x" + keccak(text=signature).hex()

    def decode(self, topics: list[str], data: str | bytes) -> dict[str, Any]:
        """Named arguments of a log of this event (an indexed dynamic value stays its hash)."""
        if not topics or topics[0].lower() != self.topic0:
            raise ValueError(f"not a {self.name} log")
        plain = [(n, t) for n, t, indexed in self.inputs if not indexed]
        values = dict(
            zip((n for n, _ in plain), decode([t for _, t in plain], hex_bytes(data)), strict=True)
        )
        out: dict[str, Any] = {}
        rest = iter(topics[1:])
        for name, t, indexed in self.inputs:
            if indexed:
                word = hex_bytes(next(rest))
                static = (
                    t in ("address", "bool")
                    or t.startswith(("uint", "int", "bytes"))
                    and t != "bytes"
                )
                out[name] = decode([t], word)[0] if static else word
            else:
                out[name] = values[name]
            out[name] = _normalise(t, out[name])
        return out


class ContractABI:
    """The functions and events of one contract's ABI, by name."""

    def __init__(self, abi: list[dict]) -> None:
        self.functions = {
            item["name"]: Function(
                item["name"],
                tuple(canonical_type(i) for i in item["inputs"]),
                tuple(canonical_type(o) for o in item.get("outputs", [])),
            )
            for item in abi
            if item.get("type") == "function"
        }
        self.events = {
            item["name"]: Event(
                item["name"],
                tuple(
                    (i["name"], canonical_type(i), bool(i.get("indexed"))) for i in item["inputs"]
                ),
            )
            for item in abi
            if item.get("type") == "event"
        }

    @classmethod
    def from_manifest(cls, manifest: Manifest, chain_id: int, name: str) -> ContractABI:
        """The ABI of contract ``name`` deployed on ``chain_id``."""
        return cls(manifest.abi(chain_id, name))

    def function(self, name: str) -> Function:
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"no function {name!r} in this ABI") from None

    def event(self, name: str) -> Event:
        try:
            return self.events[name]
        except KeyError:
            raise KeyError(f"no event {name!r} in this ABI") from None


def is_revert(error: RPCError) -> bool:
    """Whether a JSON-RPC error is a contract revert (rather than a node problem)."""
    return error.code == 3 or "revert" in error.message.lower()


def revert_reason(error: RPCError) -> str:
    """The reason string of a reverted call or gas estimate (the node's message otherwise)."""
    data = hex_bytes(error.data) if error.data else b""
    if data[:4] == _ERROR_SELECTOR:
        try:
            return decode(["string"], data[4:])[0]
        except Exception:  # noqa: BLE001 - malformed revert data: fall back to the message
            pass
    reason = error.message.removeprefix("execution reverted: ").removeprefix("execution reverted")
    return reason or "execution reverted without a reason"


class Reverted(Exception):
    """A call or transaction the contract refused; ``reason`` is its revert string."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Contract:
    """A deployed contract read over JSON-RPC."""

    rpc: RPC
    address: str
    abi: ContractABI

    async def call(self, name: str, *args: Any, block: str | int = "latest") -> Any:
        """``eth_call`` of a view function; Reverted with the reason if it reverts."""
        fn = self.abi.function(name)
        tag = block if isinstance(block, str) else hex(block)
        try:
            out = await self.rpc.call(
                "eth_call", [{"to": self.address, "data": "0x" + fn.encode(*args).hex()}, tag]
            )
        except RPCError as exc:
            if is_revert(exc):
                raise Reverted(revert_reason(exc)) from None
            raise
        return fn.decode(hex_bytes(out))

    def calldata(self, name: str, *args: Any) -> bytes:
        """Calldata of a transaction calling ``name``."""
        return self.abi.function(name).encode(*args)
