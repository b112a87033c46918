"""Typed dependencies of the routes: pool, heads, settings, and the parameters every list
shares (address, page, chain), each documented in the OpenAPI document with its constraints."""

from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, Path, Query, Request

from api.db import Heads
from api.errors import bad_request, not_found
from api.fields import ADDRESS_DOC, ADDRESS_PATTERN, parse_address
from api.models import Page, rows_of
from api.paging import Keyset
from api.settings import Settings

# Page sizes: the OpenAPI document states the bounds the API enforces.
PAGE_MAX = 500
PAGE_DEFAULT = 50


async def get_pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_heads(request: Request) -> Heads:
    return request.app.state.heads.heads


PoolDep = Annotated[asyncpg.Pool, Depends(get_pool)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
HeadsDep = Annotated[Heads, Depends(get_heads)]

# The pattern cannot say that mixed case must be the EIP-55 checksum: the format names it.
_ADDRESS_SCHEMA = {"format": "eth-address"}
AddressPath = Annotated[
    str, Path(pattern=ADDRESS_PATTERN, description=ADDRESS_DOC, json_schema_extra=_ADDRESS_SCHEMA)
]


async def address_path(address: AddressPath) -> bytes:
    return parse_address(address)


AddressDep = Annotated[bytes, Depends(address_path)]


def address_query(name: str):
    """A dependency reading the optional address filter ``name`` (bytes or None)."""

    async def dep(
        value: Annotated[
            str | None,
            Query(
                alias=name,
                pattern=ADDRESS_PATTERN,
                description=ADDRESS_DOC,
                json_schema_extra=_ADDRESS_SCHEMA,
            ),
        ] = None,
    ) -> bytes | None:
        return None if value is None else parse_address(value, name)

    return Depends(dep)


ChainId = Annotated[int, Path(ge=0, lt=2**63, description="chain id")]


def known_chain(heads: Heads, chain: int) -> int:
    if chain not in heads.by_chain:
        raise not_found(
            f"unknown chain {chain}: indexed chains are {sorted(heads.by_chain) or 'none yet'}"
        )
    return chain


async def chain_query(
    heads: HeadsDep,
    chain: Annotated[int | None, Query(ge=0, lt=2**63, description="only this chain id")] = None,
) -> list[int]:
    """The chains a list reads: ``chain`` alone, or every indexed chain."""
    if chain is None:
        return sorted(heads.by_chain)
    return [known_chain(heads, chain)]


ChainsDep = Annotated[list[int], Depends(chain_query)]


@dataclass(frozen=True)
class Paging:
    """The page a list answers: its size and the key values to read after (decoded from the
    cursor), in ``keyset`` order."""

    limit: int
    after: list
    keyset: Keyset

    def split(self, rows: list) -> tuple[list, str | None]:
        """This page's rows (``limit + 1`` were read) and the next page's cursor, or None."""
        return self.keyset.split(rows, self.limit)


def paging(keyset: Keyset):
    """The ``limit`` and ``cursor`` parameters of a list in ``keyset`` order, the cursor's
    pattern in the OpenAPI document admitting exactly the cursors of this list."""

    async def dep(
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX, description="page size")] = PAGE_DEFAULT,
        cursor: Annotated[
            str | None,
            Query(pattern=keyset.pattern, description="`next_cursor` of the previous page"),
        ] = None,
    ) -> Paging:
        return Paging(limit, keyset.after(cursor), keyset)

    return Depends(dep)


@dataclass(frozen=True)
class Listing:
    """One page of a list of indexed rows: the pool, the heads and chains it reads, and the
    page (``Paging``)."""

    pool: asyncpg.Pool
    heads: Heads
    chains: list[int]
    paging: Paging

    async def page(self, page: type[Page], statement: str, *params, **extra) -> Page:
        """``page`` (a ``Page[Model]``) of ``statement``'s rows: $1 the chain ids, $2 their
        indexed blocks, then ``params``, the keyset values and the limit."""
        upto = [self.heads.by_chain[c].indexed_block for c in self.chains]
        p = self.paging
        rows = await self.pool.fetch(statement, self.chains, upto, *params, *p.after, p.limit + 1)
        rows, cursor = p.split(rows)
        model = page.model_fields["items"].annotation.__args__[0]
        items = rows_of(model, self.heads, rows)
        return page.of_items(self.heads, self.chains, items, cursor, **extra)


def listing(keyset: Keyset):
    """A list of indexed rows in ``keyset`` order: its ``chain`` parameter and its page's
    (``paging``)."""

    async def dep(
        pool: PoolDep,
        heads: HeadsDep,
        chains: ChainsDep,
        page: Annotated[Paging, paging(keyset)],
    ) -> Listing:
        return Listing(pool, heads, chains, page)

    return Depends(dep)


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(dependant) -> set[str]:
    """The query parameters of a route's dependency tree."""
    out = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        out |= _query_names(sub)
    return out


async def known_query(request: Request) -> None:
    """400 for a query parameter the route does not take (a typo would otherwise be ignored)."""
    if not request.scope["query_string"]:
        return
    route = request.scope["route"]
    names = _QUERY_NAMES.get(id(route))
    if names is None:
        names = _QUERY_NAMES[id(route)] = frozenset(_query_names(route.dependant))
    unknown = sorted(set(request.query_params) - names)
    if unknown:
        raise bad_request(
            f"unknown query parameter {', '.join(map(repr, unknown))}: this route takes "
            f"{', '.join(sorted(names)) or 'none'}"
        )
