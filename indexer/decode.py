"""From raw logs to a Batch: the hot loop of the indexer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from esg.manifest import ChainDeployment, Manifest
from indexer.abi import EventSpec, events_of
from indexer.projections import Batch, Ctx, Handler, handlers_for

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


def json_encoder(spec: EventSpec) -> Callable[[tuple], bytes]:
    """Args as JSON bytes; integers become decimal strings (uint256 overflows JSON numbers)."""
    names = spec.arg_names
    types = spec.arg_types
    if len(names) == 3 and _is_word(types[0]) and _is_word(types[1]) and _is_int(types[2]):
        n0, n1, n2 = names
        return lambda v: orjson.dumps({n0: v[0], n1: v[1], n2: str(v[2])})
    conv: list[tuple[str, Callable | None]] = []
    for n, t, hashed in zip(names, types, spec.hashed, strict=True):
        if hashed:
            conv.append((n, None))
        elif _is_int(t):
            conv.append((n, str))
        elif _is_int_array(t):
            conv.append((n, lambda a: [str(x) for x in a]))
        elif _is_word(t):
            conv.append((n, None))
        else:
            conv.append((n, _jsonify))
    return lambda v: orjson.dumps(
        {n: (f(x) if f else x) for (n, f), x in zip(conv, v, strict=True)}
    )


def json_decoder(spec: EventSpec) -> Callable[[dict], tuple]:
    """Inverse of json_encoder: stored args back to the decoded tuple (for replays)."""
    plan = []
    for n, t, hashed in zip(spec.arg_names, spec.arg_types, spec.hashed, strict=True):
        if hashed:
            plan.append((n, None))
        elif _is_int(t):
            plan.append((n, int))
        elif _is_int_array(t):
            plan.append((n, lambda a: [int(x) for x in a]))
        else:
            plan.append((n, None))
    return lambda args: tuple(f(args[n]) if f else args[n] for n, f in plan)


@dataclass
class EventRoute:
    spec: EventSpec
    handlers: list[Handler]
    to_json: Callable[[tuple], bytes]
    from_json: Callable[[dict], tuple]


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
                )
            self.by_address[c.address.lower()] = info
        self.addresses = sorted(self.by_address)

    def route(self, contract_name: str, event: str) -> list[EventRoute]:
        return [
            r
            for c in self.by_address.values()
            if c.name == contract_name
            for r in c.routes.values()
            if r.spec.name == event
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
    by_address = contracts.by_address
    c = Ctx()
    last_tx = ""
    tx_bytes = b""
    last_bh = ""
    bh_bytes = b""
    info = None
    last_addr = ""
    for lg in logs:
        if lg.removed:
            continue
        addr = lg.address
        if addr != last_addr:
            info = by_address.get(addr) or by_address.get(addr.lower())
            last_addr = addr
            if info is None:
                continue
        elif info is None:
            continue
        topics = lg.topics
        bn = int(lg.blockNumber, 16)
        li = int(lg.logIndex, 16)
        bh = lg.blockHash
        if bh != last_bh:
            bh_bytes = block_hashes.get(bh) or bytes.fromhex(bh[2:])
            block_hashes[bh] = bh_bytes
            last_bh = bh
        tx = lg.transactionHash
        if tx != last_tx:
            tx_bytes = bytes.fromhex(tx[2:])
            last_tx = tx
        route = info.routes.get((topics[0], len(topics))) if topics else None
        if route is None:
            events.append(
                (
                    chain_id,
                    bn,
                    li,
                    bh_bytes,
                    tx_bytes,
                    info.address,
                    info.name,
                    "",
                    orjson.dumps({"topics": topics, "data": lg.data}),
                    bn <= finalized,
                )
            )
            continue
        values = route.spec.decode(topics, lg.data)
        events.append(
            (
                chain_id,
                bn,
                li,
                bh_bytes,
                tx_bytes,
                info.address,
                info.name,
                route.spec.name,
                route.to_json(values),
                bn <= finalized,
            )
        )
        if route.handlers:
            c.block_number = bn
            c.block_hash = bh_bytes
            c.tx_hash = tx_bytes
            c.log_index = li
            c.contract = info.address
            c.contract_name = info.name
            for h in route.handlers:
                h(batch, c, values)
