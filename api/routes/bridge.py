"""/bridge: cross-chain messages and their delivery status, as the bridge services record them.

Read from the relayer's and the validators' tables (schema ``bridge`` of the same database);
before the bridge services have ever run, the lists are empty. A message's status changes with
the bridge services' work, not with the indexed heads: the answers are never kept by the
response cache (``Cache-Control: no-store``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import asyncpg
from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.db import Heads
from api.deps import HeadsDep, Paging, PoolDep, paging
from api.errors import not_found
from api.fields import HEX32_PATTERN, AddressStr, DecimalStr, HexStr, Row
from api.models import Envelope, Page
from api.paging import BIG, INT, Keyset
from api.sql import bridge as sql

router = APIRouter(prefix="/bridge", tags=["bridge"])

Status = Literal["pending", "submitted", "queued", "delivered", "executed", "canceled", "failed"]
# Statuses a message never leaves.
_SETTLED = frozenset(("delivered", "executed", "canceled"))
_MISSING = (asyncpg.UndefinedTableError, asyncpg.InvalidSchemaNameError)
_SEQ = Keyset(("seq",), (INT,), (BIG,))
ChainParam = Annotated[int | None, Query(ge=0, lt=2**63)]


class BridgeMessage(Row):
    """A message the relayer found on its source chain; ``final`` once its source block is final
    and its status settled (delivered, executed or canceled)."""

    src_chain_id: int
    src_tx_hash: HexStr
    src_log_index: int
    kind: Literal["transfer", "admin"]
    dest_chain_id: int
    src_block_number: int
    sender: AddressStr | None
    src_token: AddressStr | None
    token: AddressStr | None
    token_id: DecimalStr | None
    amount: DecimalStr | None
    recipient: AddressStr | None
    target: AddressStr | None = Field(description="the called contract of an admin message")
    status: Status
    attempts: int
    last_error: str | None
    dest_tx_hash: HexStr | None
    eta: int | None = Field(description="when a queued admin message may run (unix time)")
    signatures: int = Field(description="validator signatures published so far")
    seen_at: datetime
    delivered_at: datetime | None


class Signer(BaseModel):
    validator: AddressStr
    signed_at: datetime


class MessageOut(Envelope):
    message: BridgeMessage
    signers: list[Signer]


def _message(heads: Heads, r) -> BridgeMessage:
    final = r["status"] in _SETTLED and heads.is_final(r["src_chain_id"], r["src_block_number"])
    return BridgeMessage.model_validate({**r, "final": final})


@router.get("/messages", summary="Bridge messages and their delivery, newest first")
async def messages(
    pool: PoolDep,
    heads: HeadsDep,
    page: Annotated[Paging, paging(_SEQ)],
    response: Response,
    status: Annotated[Status | None, Query(description="only messages in this status")] = None,
    src_chain: ChainParam = None,
    dest_chain: ChainParam = None,
) -> Page[BridgeMessage]:
    response.headers["Cache-Control"] = "no-store"
    try:
        rows = await pool.fetch(
            sql.MESSAGES, status, src_chain, dest_chain, *page.after, page.limit + 1
        )
    except _MISSING:
        rows = []
    rows, cursor = page.split(rows)
    items = [_message(heads, r) for r in rows]
    return Page[BridgeMessage].of_items(heads, None, items, cursor)


@router.get(
    "/messages/{src_chain_id}/{src_tx_hash}/{src_log_index}",
    summary="One bridge message with the validators that signed it",
)
async def message(
    src_chain_id: Annotated[int, Path(ge=0, lt=2**63)],
    src_tx_hash: Annotated[str, Path(pattern=HEX32_PATTERN)],
    src_log_index: Annotated[int, Path(ge=0, lt=2**31)],
    pool: PoolDep,
    heads: HeadsDep,
    response: Response,
) -> MessageOut:
    response.headers["Cache-Control"] = "no-store"
    key = (src_chain_id, bytes.fromhex(src_tx_hash[2:]), src_log_index)
    try:
        row = await pool.fetchrow(sql.MESSAGE, *key)
        signers = await pool.fetch(sql.SIGNERS, *key) if row else []
    except _MISSING:
        row = None
    if row is None:
        raise not_found(f"no bridge message {src_chain_id}/{src_tx_hash}/{src_log_index}")
    item = _message(heads, row)
    return MessageOut.of(
        heads,
        None,
        [item],
        message=item,
        signers=[Signer.model_validate(dict(s)) for s in signers],
    )
