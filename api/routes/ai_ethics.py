"""/ai-ethics/audits: AI model ethics audits recorded on AET."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Listing, address_query, listing
from api.fields import HEX32_PATTERN
from api.models import Page
from api.paging import NEWEST
from api.rows import Audit
from api.sql import ai_ethics as sql

router = APIRouter(prefix="/ai-ethics", tags=["ai-ethics"])


@router.get("/audits", summary="AI ethics audits, newest first")
async def audits(
    lst: Annotated[Listing, listing(NEWEST)],
    recipient: Annotated[bytes | None, address_query("recipient")],
    auditor: Annotated[bytes | None, address_query("auditor")],
    model_id: Annotated[
        str | None, Query(pattern=HEX32_PATTERN, description="0x and 64 hex digits")
    ] = None,
) -> Page[Audit]:
    model = None if model_id is None else bytes.fromhex(model_id[2:])
    return await lst.page(Page[Audit], sql.AUDITS, recipient, auditor, model)
