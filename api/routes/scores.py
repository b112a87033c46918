"""/scores/{address}/history and /metrics/{address}: the ECS registry of an address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AddressDep, Listing, listing
from api.fields import checksum
from api.paging import NEWEST, by_chain_and
from api.routes.accounts import AccountPage
from api.rows import Metric, ScoreChange
from api.sql import scores as sql

router = APIRouter(tags=["scores"])


@router.get("/scores/{address}/history", summary="ECS score changes of an address, newest first")
async def history(
    address: AddressDep, lst: Annotated[Listing, listing(NEWEST)]
) -> AccountPage[ScoreChange]:
    page = AccountPage[ScoreChange]
    return await lst.page(page, sql.HISTORY, address, address=checksum(address))


@router.get(
    "/metrics/{address}", summary="ESG metrics recorded for an address, with their verification"
)
async def metrics_of(
    address: AddressDep,
    lst: Annotated[Listing, listing(by_chain_and("metric_id"))],
    verified: Annotated[bool | None, Query()] = None,
) -> AccountPage[Metric]:
    page = AccountPage[Metric]
    return await lst.page(page, sql.METRICS, address, verified, address=checksum(address))
