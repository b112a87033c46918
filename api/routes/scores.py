"""/scores/{address}/history and /metrics/{address}: the ECS registry of an address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AddressDep, ChainsDep, HeadsDep, Paging, PoolDep, paged
from api.fields import checksum
from api.models import rows_of
from api.paging import NEWEST, by_chain_and
from api.routes.accounts import AccountPage
from api.rows import Metric, ScoreChange
from api.sql import scores as sql

router = APIRouter(tags=["scores"])


@router.get("/scores/{address}/history", summary="ECS score changes of an address, newest first")
async def history(
    address: AddressDep,
    pool: PoolDep,
    heads: HeadsDep,
    chains: ChainsDep,
    page: Annotated[Paging, paged(NEWEST)],
) -> AccountPage[ScoreChange]:
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(sql.HISTORY, chains, upto, address, *page.after, page.limit + 1)
    rows, cursor = NEWEST.split(rows, page.limit)
    items = rows_of(ScoreChange, heads, rows)
    return AccountPage[ScoreChange].of_items(
        heads, chains, items, cursor, address=checksum(address)
    )


_METRICS = by_chain_and("metric_id")


@router.get(
    "/metrics/{address}", summary="ESG metrics recorded for an address, with their verification"
)
async def metrics_of(
    address: AddressDep,
    pool: PoolDep,
    heads: HeadsDep,
    chains: ChainsDep,
    page: Annotated[Paging, paged(_METRICS)],
    verified: Annotated[bool | None, Query()] = None,
) -> AccountPage[Metric]:
    rows = await pool.fetch(sql.METRICS, address, chains, verified, *page.after, page.limit + 1)
    rows, cursor = _METRICS.split(rows, page.limit)
    items = rows_of(Metric, heads, rows)
    return AccountPage[Metric].of_items(heads, chains, items, cursor, address=checksum(address))
