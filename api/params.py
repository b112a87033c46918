"""Parsing and validation of path and query inputs: addresses, symbols, chains, cursors."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

import orjson
from Crypto.Hash import keccak
from fastapi import Depends, Path, Query, Request

from api.db import Heads
from api.errors import bad_request, not_found

_HEX40 = re.compile(r"^0x[0-9a-fA-F]{40}$")


def parse_address(value: str, what: str = "address") -> bytes:
    """20 bytes from lower-case hex or a correct EIP-55 checksum; 400 otherwise."""
    if not _HEX40.match(value):
        raise bad_request(f"malformed {what} {value[:60]!r}: expected 0x and 40 hex digits")
    body = value[2:]
    if body != body.lower() and eip55(body.lower()) != value:
        raise bad_request(
            f"malformed {what} {value!r}: mixed case that is not its EIP-55 "
            "checksum (use the checksummed or the lower-case form)"
        )
    return bytes.fromhex(body)


def eip55(hex40: str) -> str:
    """EIP-55 checksummed form of 40 lower-case hex digits: a letter is upper case where the
    matching hex digit of keccak256(the lower-case digits) is 8 or more."""
    digest = keccak.new(digest_bits=256, data=hex40.encode()).hexdigest()
    return "0x" + "".join(c.upper() if d > "7" else c for c, d in zip(hex40, digest, strict=False))


def checksum(raw: bytes | None) -> str | None:
    return None if raw is None else eip55(raw.hex())


@lru_cache(maxsize=65_536)
def checksum_hex(value: str | None) -> str | None:
    """EIP-55 form of a lower-case 0x address (repeated addresses are cheap)."""
    return None if value is None else eip55(value[2:].lower())


def hex0x(raw: bytes | None) -> str | None:
    return None if raw is None else "0x" + raw.hex()


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def next_page(rows: list, limit: int, key: Callable[[Any], list]) -> tuple[list, str | None]:
    """This page's rows (``limit + 1`` were fetched to see whether another page follows) and the
    next page's cursor, made from ``key`` of the last row shown; None on the last page."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(key(rows[-1]))


def decode_cursor(cursor: str, types: tuple[type, ...]) -> list:
    """The keyset values of ``cursor``, each checked against ``types``; 400 if not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        raise bad_request("invalid cursor: not a cursor this API returned") from None
    if (
        not isinstance(values, list)
        or len(values) != len(types)
        or not all(
            isinstance(v, t) and not isinstance(v, bool) for v, t in zip(values, types, strict=True)
        )
    ):
        raise bad_request("invalid cursor: not a cursor this API returned")
    for v in values:
        if isinstance(v, int) and not -(2**63) <= v < 2**63:
            raise bad_request("invalid cursor: value out of range")
    return values


async def get_heads(request: Request) -> Heads:
    return request.app.state.heads.heads


HeadsDep = Annotated[Heads, Depends(get_heads)]


async def address_path(
    address: Annotated[
        str, Path(description="0x address, checksummed or lower-case", max_length=100)
    ],
) -> bytes:
    return parse_address(address)


AddressDep = Annotated[bytes, Depends(address_path)]


@dataclass(frozen=True)
class Page:
    limit: int
    cursor: str | None


async def page_params(
    request: Request,
    limit: Annotated[int | None, Query(description="page size (capped)")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="from `next_cursor`")] = None,
) -> Page:
    s = request.app.state.settings
    if limit is None:
        limit = s.page_size_default
    if not 1 <= limit <= s.page_size_max:
        raise bad_request(f"page size limit={limit} out of range 1..{s.page_size_max}")
    return Page(limit=limit, cursor=cursor)


PageDep = Annotated[Page, Depends(page_params)]


async def chain_query(
    heads: HeadsDep,
    chain: Annotated[int | None, Query(description="chain id")] = None,
) -> int | None:
    if chain is not None and chain not in heads.by_chain:
        raise not_found(
            f"unknown chain {chain}: indexed chains are {sorted(heads.by_chain) or 'none yet'}"
        )
    return chain


ChainDep = Annotated[int | None, Depends(chain_query)]


def chain_ids(heads: Heads, chain: int | None) -> list[int]:
    return [chain] if chain is not None else sorted(heads.by_chain)


def token_addresses(heads: Heads, symbol: str, chain: int | None = None) -> dict[int, bytes]:
    """{chain_id: contract address} of a token symbol (the contracts table's name); 404 if none."""
    by_chain = heads.by_name.get(symbol.upper())
    if not by_chain:
        raise not_found(
            f"unknown token symbol {symbol[:40]!r}: known are "
            f"{', '.join(sorted(known_tokens(heads))) or 'none yet'}"
        )
    if chain is not None:
        if chain not in by_chain:
            raise not_found(f"token {symbol.upper()} is not deployed on chain {chain}")
        return {chain: by_chain[chain]}
    return dict(by_chain)


TOKENS = ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")


def known_tokens(heads: Heads) -> list[str]:
    return [t for t in TOKENS if t in heads.by_name]


def block_range(from_block: int | None, to_block: int | None) -> tuple[int, int]:
    lo = 0 if from_block is None else from_block
    hi = 2**62 if to_block is None else to_block
    if lo < 0 or hi < 0:
        raise bad_request("block numbers must not be negative")
    if lo > hi:
        raise bad_request(f"from_block {lo} is above to_block {hi}")
    return lo, hi
