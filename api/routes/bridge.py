"""/bridge: cross-chain messages and their delivery status, as the bridge services record them.

Read from the relayer's and the validators' tables (schema ``bridge`` of the same database);
before the bridge services have ever run, the lists are empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.deps import PoolDep
from api.errors import bad_request, not_found
from api.models import Envelope, PageEnvelope
from api.params import HeadsDep, PageDep, checksum, decode_cursor, hex0x, next_page
from api.sql import bridge as sql

router = APIRouter(prefix="/bridge", tags=["bridge"])

BIG = 2**62
STATUSES = ("pending", "submitted", "queued", "delivered", "executed", "canceled", "failed")
_MISSING = (asyncpg.UndefinedTableError, asyncpg.InvalidSchemaNameError)


class BridgeMessage(BaseModel):
    src_chain_id: int
    src_tx_hash: str
    src_log_index: int
    kind: str
    dest_chain_id: int
    src_block_number: int
    sender: str | None
    src_token: str | None
    token: str | None
    token_id: str | None
    amount: str | None
    recipient: str | None
    target: str | None
    status: str
    attempts: int
    last_error: str | None
    dest_tx_hash: str | None
    eta: int | None
    signatures: int
    seen_at: datetime
    delivered_at: datetime | None


class MessagesOut(PageEnvelope):
    items: list[BridgeMessage]


class Signer(BaseModel):
    validator: str
    signed_at: datetime


class MessageOut(Envelope):
    message: BridgeMessage
    signers: list[Signer]


def message_row(r) -> dict:
    return {
        "src_chain_id": r["src_chain_id"],
        "src_tx_hash": hex0x(r["src_tx_hash"]),
        "src_log_index": r["src_log_index"],
        "kind": r["kind"],
        "dest_chain_id": r["dest_chain_id"],
        "src_block_number": r["src_block_number"],
        "sender": checksum(r["sender"]),
        "src_token": checksum(r["src_token"]),
        "token": checksum(r["token"]),
        "token_id": r["token_id"],
        "amount": r["amount"],
        "recipient": checksum(r["recipient"]),
        "target": checksum(r["target"]),
        "status": r["status"],
        "attempts": r["attempts"],
        "last_error": r["last_error"],
        "dest_tx_hash": hex0x(r["dest_tx_hash"]),
        "eta": r["eta"],
        "signatures": r["signatures"],
        "seen_at": r["seen_at"],
        "delivered_at": r["delivered_at"],
    }


@router.get(
    "/messages",
    response_model=MessagesOut,
    summary="Bridge messages and their delivery, newest first",
)
async def messages(
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    status: Annotated[str | None, Query(max_length=20, description=", ".join(STATUSES))] = None,
    src_chain: Annotated[int | None, Query(ge=0, lt=2**63)] = None,
    dest_chain: Annotated[int | None, Query(ge=0, lt=2**63)] = None,
) -> dict:
    if status is not None and status not in STATUSES:
        raise bad_request(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    before = BIG
    if page.cursor:
        (before,) = decode_cursor(page.cursor, (int,))
    try:
        rows = await pool.fetch(sql.MESSAGES, status, src_chain, dest_chain, before, page.limit + 1)
    except _MISSING:
        rows = []
    rows, nxt = next_page(rows, page.limit, lambda r: [r["seq"]])
    return {
        "read_at": heads.read_at(),
        "final": False,
        "items": [message_row(r) for r in rows],
        "next_cursor": nxt,
    }


@router.get(
    "/messages/{src_chain_id}/{src_tx_hash}/{src_log_index}",
    response_model=MessageOut,
    summary="One bridge message with the validators that signed it",
)
async def message(
    src_chain_id: Annotated[int, Path(ge=0, lt=2**63)],
    src_tx_hash: Annotated[str, Path(pattern=r"^0x[0-9a-fA-F]{64}$")],
    src_log_index: Annotated[int, Path(ge=0, lt=2**31)],
    pool: PoolDep,
    heads: HeadsDep,
) -> dict:
    key = (src_chain_id, bytes.fromhex(src_tx_hash[2:]), src_log_index)
    try:
        row = await pool.fetchrow(sql.MESSAGE, *key)
        signers = await pool.fetch(sql.SIGNERS, *key) if row else []
    except _MISSING:
        row = None
    if row is None:
        raise not_found(f"no bridge message {src_chain_id}/{src_tx_hash}/{src_log_index}")
    return {
        "read_at": heads.read_at(),
        "final": False,
        "message": message_row(row),
        "signers": [
            {"validator": checksum(s["validator"]), "signed_at": s["signed_at"]} for s in signers
        ],
    }
