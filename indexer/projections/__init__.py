"""Projections: event handlers that turn decoded events into rows of read tables.

A handler is registered for an event name, optionally for one contract of the manifest (its name,
e.g. "CCR") and a topic count (ERC-20 and ERC-721 ``Transfer`` differ only in it)::

    @on("Retired", contract="CCR")
    def ccr_retired(b: Batch, c: Ctx, v: tuple) -> None:
        b.appends["retirements"].append((b.chain_id, c.block_number, c.log_index, ...))

``v`` holds the decoded arguments in ABI order. A handler writes into the batch only, through one of
three kinds of projection, each with an exact rollback above a fork block:

- append tables (``register_append``): one row per event, deleted above the fork;
- latest-state tables (``register_latest``): one row per key holding the latest event's state;
  after a fork they are recomputed by replaying the remaining events of their feeding events;
- the built-in transfer rows (``Batch.transfer``) with their summed effects on balances,
  supplies and accounts.

Standard handlers live in ``standard.py``; the eight tokens' own handlers belong in ``tokens.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

ZERO = bytes(20)
ZERO_HEX = "0x" + "00" * 20


class Ctx:
    """Where an event sits: block, transaction, log index, emitting contract."""

    __slots__ = ("block_number", "block_hash", "tx_hash", "log_index", "contract", "contract_name")

    def __init__(self) -> None:
        self.block_number = 0
        self.block_hash = b""
        self.tx_hash = b""
        self.log_index = 0
        self.contract = b""
        self.contract_name = ""

    def loc(self) -> tuple:
        """(block_number, block_hash, tx_hash, log_index): the columns every event row carries."""
        return (self.block_number, self.block_hash, self.tx_hash, self.log_index)


class Batch:
    """Rows produced by one range of blocks, written in one transaction."""

    __slots__ = (
        "chain_id",
        "events",
        "transfers",
        "balances",
        "supplies",
        "accounts",
        "latest",
        "appends",
        "addr_cache",
    )

    def __init__(self, chain_id: int, addr_cache: dict[str, bytes] | None = None) -> None:
        self.chain_id = chain_id
        self.events: list[tuple] = []
        # Staging rows: addresses as 0x hex text, token id and amount as decimal text (the
        # database converts them).
        self.transfers: list[tuple] = []
        # Summed effects of the transfers (rollbacks subtract the same sums computed in SQL):
        # (token, token_id, holder) -> [amount delta, transfer rows]
        self.balances: dict[tuple, list] = {}
        # (token, token_id) -> [minted, burned, mint/burn rows]
        self.supplies: dict[tuple, list] = {}
        # holder -> [first block, last block, transfer rows]
        self.accounts: dict[str, list] = {}
        self.latest: dict[str, dict[tuple, tuple]] = defaultdict(dict)
        self.appends: dict[str, list[tuple]] = defaultdict(list)
        self.addr_cache = addr_cache if addr_cache is not None else {}

    def addr(self, hex_address: str) -> bytes:
        """A 0x address as 20 bytes (cached: holders repeat)."""
        b = self.addr_cache.get(hex_address)
        if b is None:
            b = self.addr_cache[hex_address] = bytes.fromhex(hex_address[2:])
        return b

    def transfer(
        self,
        c: Ctx,
        batch_index: int,
        token_id: int,
        operator: str | None,
        frm: str,
        to: str,
        amount: int,
    ) -> None:
        """Record one moved (token, id, amount); addresses are 0x hex strings."""
        bn = c.block_number
        token = c.contract
        self.transfers.append(
            (
                self.chain_id,
                bn,
                c.log_index,
                batch_index,
                c.block_hash,
                c.tx_hash,
                token,
                str(token_id),
                operator,
                frm,
                to,
                str(amount),
            )
        )
        self.book(bn, token, token_id, frm, to, amount)

    def book(self, bn: int, token: bytes, token_id: int, frm: str, to: str, amount: int) -> None:
        """Add one transfer's effect to the balance, supply and account deltas."""
        if frm == ZERO_HEX:
            s = self.supplies.get((token, token_id))
            if s is None:
                self.supplies[(token, token_id)] = [amount, 0, 1]
            else:
                s[0] += amount
                s[2] += 1
        else:
            d = self.balances.get((token, token_id, frm))
            if d is None:
                self.balances[(token, token_id, frm)] = [-amount, 1]
            else:
                d[0] -= amount
                d[1] += 1
            a = self.accounts.get(frm)
            if a is None:
                self.accounts[frm] = [bn, bn, 1]
            else:
                a[1] = bn
                a[2] += 1
        if to == ZERO_HEX:
            s = self.supplies.get((token, token_id))
            if s is None:
                self.supplies[(token, token_id)] = [0, amount, 1]
            else:
                s[1] += amount
                s[2] += 1
        else:
            d = self.balances.get((token, token_id, to))
            if d is None:
                self.balances[(token, token_id, to)] = [amount, 1]
            else:
                d[0] += amount
                d[1] += 1
            a = self.accounts.get(to)
            if a is None:
                self.accounts[to] = [bn, bn, 1]
            else:
                a[1] = bn
                a[2] += 1


Handler = Callable[[Batch, Ctx, tuple], None]


@dataclass(frozen=True)
class HandlerEntry:
    fn: Handler
    event: str
    contract: str | None
    n_topics: int | None


@dataclass(frozen=True)
class AppendTable:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class LatestTable:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    # Event names whose replay rebuilds the table after a rollback.
    events: tuple[str, ...]


HANDLERS: list[HandlerEntry] = []
APPEND_TABLES: dict[str, AppendTable] = {}
LATEST_TABLES: dict[str, LatestTable] = {}


def on(event: str, contract: str | None = None, n_topics: int | None = None):
    """Register a handler for ``event`` (on every contract, or only on ``contract``)."""

    def register(fn: Handler) -> Handler:
        HANDLERS.append(HandlerEntry(fn, event, contract, n_topics))
        return fn

    return register


def register_append(name: str, columns: tuple[str, ...]) -> None:
    """Declare an append table (its columns must include chain_id and block_number)."""
    APPEND_TABLES[name] = AppendTable(name, columns)


def register_latest(
    name: str, columns: tuple[str, ...], key: tuple[str, ...], events: tuple[str, ...]
) -> None:
    """Declare a latest-state table keyed by ``key`` and fed by ``events``."""
    LATEST_TABLES[name] = LatestTable(name, columns, key, events)


def handlers_for(contract: str, event: str, n_topics: int) -> list[Handler]:
    """Generic handlers first, then the contract's own ones."""
    _load()
    matching = [
        h
        for h in HANDLERS
        if h.event == event and h.contract in (None, contract) and h.n_topics in (None, n_topics)
    ]
    matching.sort(key=lambda h: h.contract is not None)
    return [h.fn for h in matching]


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from indexer.projections import standard, tokens  # noqa: F401
