"""/tokens: supply and holders of the eight tokens on every chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.db import Heads
from api.deps import ChainsDep, HeadsDep, Listing, PoolDep, listing
from api.errors import not_found
from api.fields import AddressStr, DecimalStr
from api.models import Envelope, Page
from api.paging import DIGITS, HEX, INT, Keyset
from api.sql import tokens as sql

router = APIRouter(prefix="/tokens", tags=["tokens"])

SymbolPath = Annotated[
    str, Path(min_length=1, max_length=40, description="token symbol, e.g. GST (any case)")
]
TOKENS = ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")


def known_tokens(heads: Heads) -> list[str]:
    return [t for t in TOKENS if t in heads.by_name]


def token_addresses(heads: Heads, symbol: str) -> dict[int, bytes]:
    """{chain_id: contract address} of a token symbol (the contracts table's name); 404 if none."""
    by_chain = heads.by_name.get(symbol.upper())
    if not by_chain:
        raise not_found(
            f"unknown token symbol {symbol[:40]!r}: known are "
            f"{', '.join(known_tokens(heads)) or 'none yet'}"
        )
    return by_chain


class TokenOnChain(BaseModel):
    chain_id: int
    contract: AddressStr
    supply: DecimalStr
    minted: DecimalStr
    burned: DecimalStr
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
    chain_id: int
    holder: AddressStr
    token_id: DecimalStr
    amount: DecimalStr


class HoldersPage(Envelope):
    symbol: str
    items: list[Holder]
    next_cursor: str | None = Page.model_fields["next_cursor"]


async def _summaries(pool, heads: Heads, symbols: list[str], chains: list[int]) -> list[TokenOut]:
    pairs = [
        (cid, addr, sym)
        for sym in symbols
        for cid, addr in sorted(token_addresses(heads, sym).items())
        if cid in chains
    ]
    rows = await pool.fetch(sql.SUMMARY, [p[0] for p in pairs], [p[1] for p in pairs])
    by_key = {(r["chain_id"], r["token"]): r for r in rows}
    out: dict[str, list[TokenOnChain]] = {s: [] for s in symbols}
    for cid, addr, sym in pairs:
        r = by_key[(cid, addr)]
        out[sym].append(TokenOnChain.model_validate({**r, "contract": addr}))
    return [TokenOut(symbol=s, chains=c) for s, c in out.items()]


@router.get("", summary="Every token: supply and holders per chain")
async def list_tokens(pool: PoolDep, heads: HeadsDep, chains: ChainsDep) -> TokensOut:
    symbols = [s for s in known_tokens(heads) if set(heads.by_name[s]) & set(chains)]
    items = await _summaries(pool, heads, symbols, chains)
    # Supplies are summed over every block indexed: never final as a whole.
    return TokensOut(read_at=heads.read_at(chains), final=False, items=items)


@router.get("/{symbol}", summary="One token per chain")
async def get_token(
    symbol: SymbolPath, pool: PoolDep, heads: HeadsDep, chains: ChainsDep
) -> TokenDetailOut:
    if not set(token_addresses(heads, symbol)) & set(chains):
        raise not_found(f"token {symbol.upper()} is not deployed on chain {chains[0]}")
    (item,) = await _summaries(pool, heads, [symbol.upper()], chains)
    return TokenDetailOut(read_at=heads.read_at(chains), final=False, **item.model_dump())


_HOLDERS = Keyset(("chain_id", "holder", "token_id"), (INT, HEX, DIGITS), (-1, b"", "-1"))


@router.get(
    "/{symbol}/holders",
    summary="Holders of a token, by chain and address (keyset pages); balances are not final",
)
async def holders(
    symbol: SymbolPath,
    lst: Annotated[Listing, listing(_HOLDERS)],
    token_id: Annotated[int | None, Query(ge=0, lt=2**256, description="CCR/EGM/ECR id")] = None,
) -> HoldersPage:
    deployed = token_addresses(lst.heads, symbol)
    chains = [c for c in lst.chains if c in deployed]
    rows = await lst.pool.fetch(
        sql.HOLDERS,
        chains,
        [deployed[c] for c in chains],
        None if token_id is None else str(token_id),
        *lst.paging.after,
        lst.paging.limit + 1,
    )
    rows, cursor = lst.paging.split(rows)
    return HoldersPage(
        read_at=lst.heads.read_at(chains),
        final=False,
        symbol=symbol.upper(),
        items=[Holder.model_validate(dict(r)) for r in rows],
        next_cursor=cursor,
    )
