"""From raw logs to a Batch: the hot loop of the indexer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from esg.manifest import ChainDeployment, Manifest
from indexer.abi import EventSpec, events_of
from indexer.projections import TRANSFER_KINDS, Batch, Ctx, Handler, handlers_for
from indexer.projections.standard import STANDARD_TRANSFER_HANDLERS

log = logging.getLogger("indexer.decode")

_INT_PREFIXES = ("uint", "int")


def _is_int(t: str) -> bool:
    return t.startswith(_INT_PREFIXES) and "[" not in t


def _is_int_array(t: str) -> bool:
    return t.startswith(_INT_PREFIXES) and t.endswith("[]") and t.count("[") == 1


def _is_word(t: str) -> bool:
    """Types that decode to JSON-safe scalars (strings or booleans)."""
    return t in ("address", "bool", "string") or (t.startswith("bytes") and "[" not in t)


def _jsonify(v: object) -> object:
    """Nested values (tuples, arrays) with integers as decimal strings and bytes as hex."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, bytes):
        return "0x" + v.hex()
    if isinstance(v, (list, tuple)):
        return [_jsonify(x) for x in v]
    return v


def _per_argument(spec: EventSpec, number: Callable, other: Callable | None) -> list:
    """(name, converter or None) per argument: ``number`` for integers and arrays of integers
    (element-wise), ``other`` for values that are neither hashes nor JSON-safe scalars."""
    plan: list[tuple[str, Callable | None]] = []
    for n, t, hashed in zip(spec.arg_names, spec.arg_types, spec.hashed, strict=True):
        if hashed:
            plan.append((n, None))
        elif _is_int(t):
            plan.append((n, number))
        elif _is_int_array(t):
            plan.append((n, lambda a: [number(x) for x in a]))
        else:
            plan.append((n, None if _is_word(t) else other))
    return plan


def json_encoder(spec: EventSpec) -> Callable[[tuple], bytes]:
    """Args as JSON bytes; integers become decimal strings (uint256 overflows JSON numbers)."""
    names, types = spec.arg_names, spec.arg_types
    if len(names) == 3 and _is_word(types[0]) and _is_word(types[1]) and _is_int(types[2]):
        n0, n1, n2 = names
        return lambda v: orjson.dumps({n0: v[0], n1: v[1], n2: str(v[2])})
    plan = _per_argument(spec, str, _jsonify)
    return lambda v: orjson.dumps(
        {n: (f(x) if f else x) for (n, f), x in zip(plan, v, strict=True)}
    )


def json_decoder(spec: EventSpec) -> Callable[[dict], tuple]:
    """Inverse of json_encoder: stored args back to the decoded record (for replays)."""
    plan = _per_argument(spec, int, None)
    new, rec = tuple.__new__, spec.record
    return lambda args: new(rec, (f(args[n]) if f else args[n] for n, f in plan))


@dataclass
class EventRoute:
    spec: EventSpec
    handlers: list[Handler]
    to_json: Callable[[tuple], bytes]
    from_json: Callable[[dict], tuple]
    # transfers.log_kind when the log is stored only as transfer rows (standard transfer events),
    # else 0 (the log gets an event_rows row).
    kind: int = 0


@dataclass
class ContractInfo:
    name: str
    address: bytes
    deploy_block: int
    routes: dict[tuple[str, int], EventRoute] = field(default_factory=dict)


class ChainContracts:
    """The contracts of one chain, by lower-case address, with their event routes."""

    def __init__(self, manifest: Manifest, dep: ChainDeployment) -> None:
        self.chain_id = dep.chain_id
        self.by_address: dict[str, ContractInfo] = {}
        for name, c in dep.contracts.items():
            info = ContractInfo(name, bytes.fromhex(c.address[2:]), c.block)
            for key, spec in events_of(manifest.abi(dep.chain_id, name)).items():
                info.routes[key] = EventRoute(
                    spec,
                    handlers_for(name, spec.name, spec.n_topics),
                    json_encoder(spec),
                    json_decoder(spec),
                    0,
                )
                route = info.routes[key]
                kind = TRANSFER_KINDS.get((spec.signature, spec.n_topics), 0)
                # Fold the log into transfer rows only where the standard handler writes them.
                if kind and STANDARD_TRANSFER_HANDLERS[kind] in route.handlers:
                    route.kind = kind
            self.by_address[c.address.lower()] = info
        self.addresses = sorted(self.by_address)

    def transfer_events(self) -> list[tuple[bytes, int, str, list[str]]]:
        """(address, log_kind, event name, argument names) of every folded transfer event."""
        return [
            (info.address, r.kind, r.spec.name, list(r.spec.arg_names))
            for info in self.by_address.values()
            for r in info.routes.values()
            if r.kind
        ]


def decode_logs(
    contracts: ChainContracts,
    logs: list,
    batch: Batch,
    finalized: int,
    block_hashes: dict[str, bytes],
) -> None:
    """Decode ``logs`` (one eth_getLogs answer, in chain order) into ``batch``."""
    chain_id = batch.chain_id
    events = batch.events
    blocks = batch.blocks
    by_address = contracts.by_address
    c = Ctx()
    last_tx = ""
    tx_bytes = b""
    tx_text = ""
    last_bh = ""
    bh_bytes = b""
    bh_text = ""
    last_bn = ""
    bn = 0
    info = None
    last_addr = ""
    addr_text = ""
    loc_text = ""
    n = 0
    for lg in logs:
        if lg.removed:
            continue
        addr = lg.address
        if addr != last_addr:
            info = by_address.get(addr) or by_address.get(addr.lower())
            last_addr = addr
            if info is None:
                continue
            addr_text = "\\\\x" + info.address.hex()
            loc_text = ""
        elif info is None:
            continue
        n += 1
        topics = lg.topics
        if lg.blockNumber != last_bn:
            last_bn = lg.blockNumber
            bn = int(last_bn, 16)
            c.row_head = f"{chain_id}\t{bn}\t"
        li = int(lg.logIndex, 16)
        bh = lg.blockHash
        if bh != last_bh:
            bh_bytes = block_hashes.get(bh) or bytes.fromhex(bh[2:])
            block_hashes[bh] = bh_bytes
            bh_text = "\\\\x" + bh[2:].lower()
            last_bh = bh
            loc_text = ""
            known = blocks.get(bn)
            if known is None:
                blocks[bn] = bh_bytes
            elif known != bh_bytes:
                batch.conflict = True
        tx = lg.transactionHash
        if tx != last_tx:
            tx_bytes = bytes.fromhex(tx[2:])
            tx_text = "\\\\x" + tx[2:].lower()
            last_tx = tx
            loc_text = ""
        route = info.routes.get((topics[0], len(topics))) if topics else None
        if route is None:
            values, kind, name = None, 0, ""
        else:
            values = route.spec.decode(topics, lg.data)
            kind = route.kind
            if kind == 4 and not values[3]:
                kind = 0  # an empty TransferBatch has no transfer row: keep its event row
            name = route.spec.name
        if not kind:
            # Undecodable logs keep their topics and data.
            args = (
                orjson.dumps({"topics": topics, "data": lg.data})
                if route is None
                else route.to_json(values)
            )
            events.append(
                (
                    chain_id,
                    bn,
                    li,
                    bh_bytes,
                    tx_bytes,
                    info.address,
                    info.name,
                    name,
                    args,
                    bn <= finalized,
                )
            )
        if route is None:
            continue
        if route.handlers:
            if not loc_text:
                loc_text = f"{bh_text}\t{tx_text}\t{addr_text}"
            c.block_number = bn
            c.block_hash = bh_bytes
            c.tx_hash = tx_bytes
            c.log_index = li
            c.contract = info.address
            c.contract_name = info.name
            c.kind = kind
            c.row_loc = loc_text
            for h in route.handlers:
                h(batch, c, values)
    batch.logs += n
