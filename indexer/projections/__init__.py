"""Projections: event handlers that turn decoded events into rows of read tables.

Each table is declared once (``schema.py``: columns, types, key, merge rules, entities) and fed
by events. Most events map onto a table field by field, with a few columns renamed or set::

    feed(retirements, "CCR.Retired", batch_id=F.id)

(one row per Retired event of the manifest's CCR: every column from the event field of the same
name, batch_id from ``id``). Other events get a handler, registered for an event name, optionally
one contract of the manifest (its name) and a topic count (ERC-20 and ERC-721 ``Transfer`` differ
only in it), reading the decoded event by name::

    @on("VoteCast", contract="Governor")
    def gov_vote_cast(b: Batch, c: Ctx, ev) -> None:
        votes.put(b, c, ev)
        proposals.put(b, c, proposal_id=ev.proposal_id, for_votes=...)

A handler writes into the batch only. Besides the declared tables (append and latest-state, see
``schema.py``), the built-in transfer rows (``Batch.transfer``) carry their summed effects on
balances, supplies and accounts; the standard transfer handlers read their events by position,
since the standards fix the order of the arguments and not their names.

Handlers live in one module per domain: ``standard.py`` (ERC-20/721/1155 transfers, roles,
pause), ``carbon.py``, ``scores.py``, ``rewards.py``, ``ai_ethics.py``, ``governance.py`` and
``bridge.py``; ``MODULES`` lists them.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from indexer.projections.schema import TABLES

ZERO = bytes(20)
ZERO_HEX = "0x" + "00" * 20
# NULL in COPY text format.
NULL_TEXT = "\\N"


class Ctx:
    """Where an event sits: block, transaction, log index, emitting contract.

    ``kind`` is the event's transfer kind (TRANSFER_KINDS) when its log is stored only as
    transfer rows, else 0; ``row_head`` is the start of a transfer COPY line (chain, block) and
    ``row_loc`` its block hash, tx hash and token columns, both in COPY text format."""

    __slots__ = (
        "block_number",
        "block_hash",
        "tx_hash",
        "log_index",
        "contract",
        "contract_name",
        "kind",
        "row_head",
        "row_loc",
    )

    def __init__(self) -> None:
        self.block_number = 0
        self.block_hash = b""
        self.tx_hash = b""
        self.log_index = 0
        self.contract = b""
        self.contract_name = ""
        self.kind = 0
        self.row_head = ""
        self.row_loc = ""

    def set_text(self, chain_id: int) -> None:
        """Fill row_head and row_loc from the binary fields (for callers outside the decoder)."""
        self.row_head = f"{chain_id}\t{self.block_number}\t"
        self.row_loc = (
            f"\\\\x{self.block_hash.hex()}\t\\\\x{self.tx_hash.hex()}\t\\\\x{self.contract.hex()}"
        )


# Standard transfer events stored only as `transfers` rows (their `events` rows are rebuilt by the
# view of migration 0003): (signature, topic count) -> transfers.log_kind.
TRANSFER_KINDS = {
    ("Transfer(address,address,uint256)", 3): 1,
    ("Transfer(address,address,uint256)", 4): 2,
    ("TransferSingle(address,address,address,uint256,uint256)", 4): 3,
    ("TransferBatch(address,address,address,uint256[],uint256[])", 4): 4,
}
TRANSFER_EVENT_NAMES = frozenset(sig.split("(")[0] for sig, _ in TRANSFER_KINDS)


class Batch:
    """Rows produced by one range of blocks, written in one transaction."""

    __slots__ = (
        "chain_id",
        "events",
        "transfers",
        "blocks",
        "logs",
        "conflict",
        "balances",
        "supplies",
        "latest",
        "appends",
        "addr_cache",
    )

    def __init__(self, chain_id: int, addr_cache: dict[str, bytes] | None = None) -> None:
        self.chain_id = chain_id
        # event_rows: every decoded log except the standard transfers kept in `transfers` only.
        self.events: list[tuple] = []
        # transfers rows as lines of COPY text (PostgreSQL parses hex bytea and decimal numeric
        # text faster than the client encodes binary numeric).
        self.transfers: list[str] = []
        # Block number -> block hash of every log decoded into the batch, and the log count.
        self.blocks: dict[int, bytes] = {}
        self.logs = 0
        # Two logs of one block number with different block hashes (the node moved).
        self.conflict = False
        # Summed effects of the transfers (rollbacks subtract the same sums computed in SQL):
        # (token, token_id, holder) -> [amount delta, transfer rows, first block, last block]
        self.balances: dict[tuple, list] = {}
        # (token, token_id) -> [minted, burned, mint/burn rows]
        self.supplies: dict[tuple, list] = {}
        self.latest: dict[str, dict[tuple, tuple]] = defaultdict(dict)
        self.appends: dict[str, list[tuple]] = defaultdict(list)
        self.addr_cache = addr_cache if addr_cache is not None else {}

    def absorb(self, o: Batch) -> bool:
        """Append the rows of ``o`` (the batch of the blocks right after this one's) so both
        commit as one (latest-state rows of one key merge by their table's rules); True."""
        self.events.extend(o.events)
        self.transfers.extend(o.transfers)
        blocks = self.blocks
        for n, h in o.blocks.items():
            known = blocks.get(n)
            if known is None:
                blocks[n] = h
            elif known != h:
                self.conflict = True
        self.conflict = self.conflict or o.conflict
        self.logs += o.logs
        balances = self.balances
        for k, (amount, n, first, last) in o.balances.items():
            d = balances.get(k)
            if d is None:
                balances[k] = [amount, n, first, last]
            else:
                d[0] += amount
                d[1] += n
                d[3] = last
        supplies = self.supplies
        for k, (minted, burned, n) in o.supplies.items():
            s = supplies.get(k)
            if s is None:
                supplies[k] = [minted, burned, n]
            else:
                s[0] += minted
                s[1] += burned
                s[2] += n
        for name, rows in o.latest.items():
            mine = self.latest[name]
            merge = TABLES[name].merge
            for key, row in rows.items():
                old = mine.get(key)
                mine[key] = row if old is None else merge(old, row)
        for name, rows in o.appends.items():
            self.appends[name].extend(rows)
        return True

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
        op = NULL_TEXT if operator is None else "\\\\x" + operator[2:]
        self.transfers.append(
            f"{c.row_head}{c.log_index}\t{batch_index}\t{c.row_loc}\t{token_id}\t{op}\t"
            f"\\\\x{frm[2:]}\t\\\\x{to[2:]}\t{amount}\t{c.kind}\n"
        )
        self.book(c.block_number, c.contract, token_id, frm, to, amount)

    def book(self, bn: int, token: bytes, token_id: int, frm: str, to: str, amount: int) -> None:
        """Add one transfer's effect to the balance and supply deltas (account deltas are
        summed from the balance deltas by ``account_deltas``)."""
        balances = self.balances
        supplies = self.supplies
        # The sender's side, then the receiver's; the zero address mints or burns.
        for holder, change, side in ((frm, -amount, 0), (to, amount, 1)):
            if holder == ZERO_HEX:
                s = supplies.get((token, token_id))
                if s is None:
                    s = supplies[(token, token_id)] = [0, 0, 0]
                s[side] += amount
                s[2] += 1
            else:
                k = (token, token_id, holder)
                d = balances.get(k)
                if d is None:
                    balances[k] = [change, 1, bn, bn]
                else:
                    d[0] += change
                    d[1] += 1
                    d[3] = bn

    def account_deltas(self) -> dict[str, list]:
        """holder -> [first block, last block, transfer rows], from the balance deltas."""
        out: dict[str, list] = {}
        for (_, _, holder), (_, n, first, last) in self.balances.items():
            a = out.get(holder)
            if a is None:
                out[holder] = [first, last, n]
            else:
                if first < a[0]:
                    a[0] = first
                if last > a[1]:
                    a[1] = last
                a[2] += n
        return out


# (batch, context, decoded event record)
Handler = Callable[[Batch, Ctx, tuple], None]


@dataclass(frozen=True)
class HandlerEntry:
    fn: Handler
    event: str
    contract: str | None
    n_topics: int | None


HANDLERS: list[HandlerEntry] = []
MODULES = ("standard", "carbon", "scores", "rewards", "ai_ethics", "governance", "bridge")


def on(event: str, contract: str | None = None, n_topics: int | None = None):
    """Register a handler for ``event`` (on every contract, or only on ``contract``)."""

    def register(fn: Handler) -> Handler:
        HANDLERS.append(HandlerEntry(fn, event, contract, n_topics))
        return fn

    return register


class FieldRef:
    """``F.name``: the value of the event's field ``name`` (in ``feed``)."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Fields:
    def __getattr__(self, name: str) -> FieldRef:
        return FieldRef(name)


F = _Fields()
BLOCK = object()  # in ``feed``: the event's block number


def feed(table, *events: str, only: bool = False, **columns) -> None:
    """Write one row of ``table`` per event of ``events`` ("Contract.Event" for one contract of
    the manifest, "Event" for every contract): each column from the event field of the same
    name (none with ``only``), or from ``columns``: ``F.field`` (another field of the event),
    ``BLOCK`` (its block number) or a constant."""
    if not events:
        raise ValueError(f"feed({table.name}): no event named")
    fields = {k: v.name for k, v in columns.items() if isinstance(v, FieldRef)}
    blocks = [k for k, v in columns.items() if v is BLOCK]
    constants = {k: v for k, v in columns.items() if k not in fields and k not in blocks}

    def handler_for(name: str):
        def handler(b: Batch, c: Ctx, ev) -> None:
            values = {k: getattr(ev, f) for k, f in fields.items()}
            values.update(constants)
            for k in blocks:
                values[k] = c.block_number
            table.put(b, c, None if only else ev, **values)

        handler.__name__ = handler.__qualname__ = f"{table.name}_from_{name}"
        return handler

    for event in events:
        contract, _, name = event.rpartition(".")
        on(name, contract or None)(handler_for(name))


def handlers_for(contract: str, event: str, n_topics: int) -> list[Handler]:
    """Generic handlers first, then the contract's own ones."""
    load()
    matching = [
        h
        for h in HANDLERS
        if h.event == event and h.contract in (None, contract) and h.n_topics in (None, n_topics)
    ]
    matching.sort(key=lambda h: h.contract is not None)
    return [h.fn for h in matching]


def load() -> None:
    """Import every projection module (registering its tables and handlers), once."""
    for name in MODULES:
        importlib.import_module(f"indexer.projections.{name}")
