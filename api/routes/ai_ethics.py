"""/ai-ethics/audits: AI model ethics audits recorded on AET."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ChainsDep, HeadsDep, Paging, PoolDep, address_query, paged
from api.fields import HEX32_PATTERN
from api.models import Page, rows_of
from api.paging import NEWEST
from api.rows import Audit
from api.sql import ai_ethics as sql

router = APIRouter(prefix="/ai-ethics", tags=["ai-ethics"])


@router.get("/audits", summary="AI ethics audits, newest first")
async def audits(
    pool: PoolDep,
    heads: HeadsDep,
    chains: ChainsDep,
    page: Annotated[Paging, paged(NEWEST)],
    recipient: Annotated[bytes | None, address_query("recipient")],
    auditor: Annotated[bytes | None, address_query("auditor")],
    model_id: Annotated[
        str | None, Query(pattern=HEX32_PATTERN, description="0x and 64 hex digits")
    ] = None,
) -> Page[Audit]:
    model = None if model_id is None else bytes.fromhex(model_id[2:])
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(
        sql.AUDITS,
        chains,
        upto,
        recipient,
        auditor,
        model,
        *page.after,
        page.limit + 1,
    )
    rows, cursor = NEWEST.split(rows, page.limit)
    return Page[Audit].of_items(heads, chains, rows_of(Audit, heads, rows), cursor)
