"""Event decoding from ABIs: topic0 → decoder tables built once, decoders specialised per event.

Static ABI types (address, bool, bytesN, intN/uintN), arrays of them, ``string`` and ``bytes`` are
decoded by hand from the hex strings the node returns; anything else (tuples, nested arrays) falls
back to eth_abi. Integers
are Python ints; addresses, bytes and hashes stay lower-case ``0x`` hex strings. A decoded event is
a record: a tuple in ABI order whose fields are also readable by name (``ev.beneficiary``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from eth_utils import keccak

from esg.chain.abi import canonical_type

Decoder = Callable[[list[str], str], tuple]

_UINT = re.compile(r"^uint(\d*)$")
_INT = re.compile(r"^int(\d*)$")
_BYTESN = re.compile(r"^bytes(\d+)$")
_STATIC_ARRAY_OF_WORDS = re.compile(r"^(u?int\d*|address|bool|bytes\d+)\[\]$")


def event_signature(item: dict) -> str:
    return f"{item['name']}({','.join(canonical_type(i) for i in item['inputs'])})"


def record_type(name: str, fields: tuple[str, ...]) -> type[tuple]:
    """A tuple class whose items are also attributes named ``fields`` (a namedtuple that accepts
    the ABI's names, leading underscores included)."""
    ns: dict = {"__slots__": (), "_fields": fields}
    for i, f in enumerate(fields):
        ns[f] = property(itemgetter(i), doc=f"argument {i} of {name}")
    ns["__repr__"] = lambda self: (
        f"{name}({', '.join(f'{f}={v!r}' for f, v in zip(fields, self, strict=True))})"
    )
    return type(name, (tuple,), ns)


def _word_decoder(t: str) -> Callable[[str], object] | None:
    """A function decoding one 64-hex-digit word of type ``t``, or None if not a static word."""
    if t == "address":
        return lambda w: "0x" + w[24:]
    if t == "bool":
        return lambda w: w[-1] != "0"
    m = _UINT.match(t)
    if m:
        return lambda w: int(w, 16)
    m = _INT.match(t)
    if m:

        def dec_int(w: str) -> int:
            v = int(w, 16)
            return v - (1 << 256) if v >> 255 else v

        return dec_int
    m = _BYTESN.match(t)
    if m:
        n = int(m.group(1)) * 2
        return lambda w: "0x" + w[:n]
    return None


# Indexed addresses repeat (holders): one shared string per topic saves time and memory.
_ADDRESS_TOPICS: dict[str, str] = {}


def _address_topic(topic: str) -> str:
    a = _ADDRESS_TOPICS.get(topic)
    if a is None:
        if len(_ADDRESS_TOPICS) > 200_000:
            _ADDRESS_TOPICS.clear()
        a = _ADDRESS_TOPICS[topic] = "0x" + topic[26:]
    return a


def _topic_decoder(t: str) -> Callable[[str], object]:
    """Indexed argument: static types decode from the topic; dynamic ones keep it (a hash)."""
    if t == "address":
        return _address_topic
    dec = _word_decoder(t)
    if dec is None:
        return lambda topic: topic
    return lambda topic: dec(topic[2:])


# Kinds of data-section values that _data_decoder slices from the hex.
_WORD, _ARRAY, _BYTES, _STRING = range(4)
_DYNAMIC = {"bytes": _BYTES, "string": _STRING}


def _data_decoder(types: list[str]) -> Callable[[str], tuple]:
    """Decoder of the data section for ``types``; hand-rolled when every type is simple."""
    if not types:
        return lambda data: ()
    words = [_word_decoder(t) for t in types]
    if all(w is not None for w in words):
        spans = [(2 + 64 * i, 66 + 64 * i) for i in range(len(types))]
        if len(types) == 1:
            (a, b), w0 = spans[0], words[0]
            return lambda data: (w0(data[a:b]),)
        if len(types) == 2 and all(_UINT.match(t) for t in types):
            return lambda data: (int(data[2:66], 16), int(data[66:130], 16))
        pairs = list(zip(spans, words, strict=True))
        return lambda data: tuple([w(data[a:b]) for (a, b), w in pairs])

    # Words, arrays of words, strings and bytes: sliced from the hex as well.
    sliced = all(
        _word_decoder(t) is not None or _STATIC_ARRAY_OF_WORDS.match(t) or t in _DYNAMIC
        for t in types
    )
    if sliced:
        plan = []
        for i, t in enumerate(types):
            w = _word_decoder(t)
            if w is not None:
                plan.append((_WORD, i, w))
            elif t in _DYNAMIC:
                plan.append((_DYNAMIC[t], i, None))
            else:
                plan.append((_ARRAY, i, _word_decoder(t[:-2])))

        def dec_sliced(data: str) -> tuple:
            out = []
            for kind, i, w in plan:
                head = data[2 + 64 * i : 66 + 64 * i]
                if kind == _WORD:
                    out.append(w(head))
                    continue
                pos = 2 + int(head, 16) * 2
                n = int(data[pos : pos + 64], 16)
                pos += 64
                if kind == _ARRAY:
                    out.append([w(data[pos + 64 * k : pos + 64 * k + 64]) for k in range(n)])
                elif kind == _BYTES:
                    out.append("0x" + data[pos : pos + 2 * n])
                else:
                    out.append(bytes.fromhex(data[pos : pos + 2 * n]).decode("utf-8"))
            return tuple(out)

        return dec_sliced

    def dec_generic(data: str) -> tuple:
        from eth_abi import decode as abi_decode  # only for rare dynamic types: import lazily

        values = abi_decode(types, bytes.fromhex(data[2:]))
        return tuple(_jsonable(v) for v in values)

    return dec_generic


def _jsonable(v: object) -> object:
    if isinstance(v, bytes):
        return "0x" + v.hex()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


@dataclass(frozen=True)
class EventSpec:
    """One event of one ABI, with its decoder returning values in declaration order."""

    name: str
    signature: str
    topic0: str
    arg_names: tuple[str, ...]
    arg_types: tuple[str, ...]
    # Indexed arguments of dynamic types decode to their topic (a hash string).
    hashed: tuple[bool, ...]
    n_topics: int
    decode: Decoder
    # The class of decoded values (a tuple with the argument names as attributes).
    record: type[tuple]


def build_event(item: dict) -> EventSpec:
    inputs = item["inputs"]
    names = tuple(i["name"] or f"arg{k}" for k, i in enumerate(inputs))
    types = tuple(canonical_type(i) for i in inputs)
    indexed = [k for k, i in enumerate(inputs) if i.get("indexed")]
    plain = [k for k, i in enumerate(inputs) if not i.get("indexed")]
    topic_decs = [(1 + n, _topic_decoder(types[k])) for n, k in enumerate(indexed)]
    data_dec = _data_decoder([types[k] for k in plain])
    order = indexed + plain  # positions of decoded values in declaration order
    rec = record_type(item["name"], names)
    new = tuple.__new__
    if order == list(range(len(inputs))):

        def decode(topics: list[str], data: str) -> tuple:
            return new(rec, tuple([d(topics[p]) for p, d in topic_decs]) + data_dec(data))

    else:
        inverse = [order.index(k) for k in range(len(inputs))]

        def decode(topics: list[str], data: str) -> tuple:
            raw = tuple([d(topics[p]) for p, d in topic_decs]) + data_dec(data)
            return new(rec, [raw[j] for j in inverse])

    if len(topic_decs) == 2 and len(plain) == 1 and order == [0, 1, 2]:
        # The ERC-20 Transfer / Approval shape: the hottest path, unrolled.
        (_, t1), (_, t2) = topic_decs
        if _UINT.match(types[2]):

            def decode(topics: list[str], data: str) -> tuple:  # noqa: F811
                return new(rec, (t1(topics[1]), t2(topics[2]), int(data[2:66], 16)))

    sig = event_signature(item)
    return EventSpec(
        name=item["name"],
        signature=sig,
        topic0="0x" + keccak(text=sig).hex(),
        arg_names=names,
        arg_types=types,
        hashed=tuple(k in indexed and _word_decoder(types[k]) is None for k in range(len(types))),
        n_topics=1 + len(indexed),
        decode=decode,
        record=rec,
    )


def events_of(abi: list[dict]) -> dict[tuple[str, int], EventSpec]:
    """(topic0, number of topics) → spec; the topic count tells ERC-20 from ERC-721 Transfer."""
    table = {}
    for item in abi:
        if item.get("type") == "event" and not item.get("anonymous"):
            spec = build_event(item)
            table[(spec.topic0, spec.n_topics)] = spec
    return table
