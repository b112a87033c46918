"""/tokens: supply and holders of the eight tokens on every chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.deps import PoolDep
from api.errors import bad_request
from api.models import Envelope, PageEnvelope
from api.params import (
    ChainDep,
    HeadsDep,
    PageDep,
    checksum,
    decode_cursor,
    known_tokens,
    next_page,
    token_addresses,
)
from api.sql import tokens as sql

router = APIRouter(prefix="/tokens", tags=["tokens"])

SymbolPath = Annotated[str, Path(max_length=40, description="token symbol, e.g. GST")]


class TokenOnChain(BaseModel):
    chain_id: int
    contract: str
    supply: str
    minted: str
    burned: str
    ids: int
    holders: int


class TokenOut(BaseModel):
    symbol: str
    chains: list[TokenOnChain]


class TokensOut(Envelope):
    items: list[TokenOut]


class TokenDetailOut(Envelope, TokenOut):
    pass


class Holder(BaseModel):
    holder: str
    token_id: str
    amount: str


class HoldersOut(PageEnvelope):
    symbol: str
    chain_id: int
    items: list[Holder]


async def _summaries(pool, heads, symbols: list[str], chain: int | None) -> list[dict]:
    pairs = [
        (cid, addr, sym)
        for sym in symbols
        for cid, addr in sorted(token_addresses(heads, sym, chain).items())
    ]
    if not pairs:
        return []
    rows = await pool.fetch(sql.SUMMARY, [p[0] for p in pairs], [p[1] for p in pairs])
    by_key = {(r["chain_id"], r["token"]): r for r in rows}
    out: dict[str, list] = {s: [] for s in symbols}
    for cid, addr, sym in pairs:
        r = by_key[(cid, addr)]
        out[sym].append(
            {
                "chain_id": cid,
                "contract": checksum(addr),
                "supply": r["supply"],
                "minted": r["minted"],
                "burned": r["burned"],
                "ids": r["ids"],
                "holders": r["holders"],
            }
        )
    return [{"symbol": s, "chains": c} for s, c in out.items()]


@router.get("", response_model=TokensOut, summary="Every token: supply and holders per chain")
async def list_tokens(pool: PoolDep, heads: HeadsDep, chain: ChainDep) -> dict:
    symbols = [s for s in known_tokens(heads) if chain is None or chain in heads.by_name[s]]
    items = await _summaries(pool, heads, symbols, chain)
    return {"read_at": heads.read_at(), "final": False, "items": items}


@router.get("/{symbol}", response_model=TokenDetailOut, summary="One token per chain")
async def get_token(symbol: SymbolPath, pool: PoolDep, heads: HeadsDep, chain: ChainDep) -> dict:
    token_addresses(heads, symbol, chain)
    item = (await _summaries(pool, heads, [symbol.upper()], chain))[0]
    return {"read_at": heads.read_at(), "final": False, **item}


@router.get(
    "/{symbol}/holders",
    response_model=HoldersOut,
    summary="Holders of a token on one chain (keyset pages in address order)",
)
async def holders(
    symbol: SymbolPath,
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    token_id: Annotated[int | None, Query(ge=0, lt=2**256, description="CCR/EGM/ECR id")] = None,
) -> dict:
    addrs = token_addresses(heads, symbol, chain)
    if chain is None:
        if len(addrs) > 1:
            raise bad_request(
                f"token {symbol.upper()} is on chains {sorted(addrs)}: pass chain=<id>"
            )
        chain = next(iter(addrs))
    after_holder, after_id = b"", -1
    if page.cursor:
        h, i = decode_cursor(page.cursor, (str, str))
        try:
            after_holder, after_id = bytes.fromhex(h), int(i)
        except ValueError:
            raise bad_request("invalid cursor: not a cursor this API returned") from None
    rows = await pool.fetch(
        sql.HOLDERS, chain, addrs[chain], token_id, after_holder, after_id, page.limit + 1
    )
    rows, nxt = next_page(rows, page.limit, lambda r: [r["holder"].hex(), r["token_id"]])
    items = [
        {"holder": checksum(r["holder"]), "token_id": r["token_id"], "amount": r["amount"]}
        for r in rows
    ]
    return {
        "read_at": heads.read_at([chain]),
        "final": False,
        "symbol": symbol.upper(),
        "chain_id": chain,
        "items": items,
        "next_cursor": nxt,
    }
