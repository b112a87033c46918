"""/esg/unified-profile/{address}: everything one address holds and did, across all chains."""

from __future__ import annotations

import re

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.db import Heads
from api.models import Envelope
from api.params import AddressDep, checksum, checksum_hex
from api.sql import profile as sql

router = APIRouter(prefix="/esg", tags=["profile"])

# Rows per list section of the profile; the full lists have their own paginated endpoints.
SECTION_ROWS = 100


class Balance(BaseModel):
    chain_id: int
    token: str | None
    contract: str
    token_id: str
    amount: str
    final: bool


class Score(BaseModel):
    chain_id: int
    contract: str
    score: int
    environmental: int
    social: int
    governance: int
    methodology_version: int
    evidence_hash: str
    previous_score: int
    block_number: int
    tx_hash: str
    updated_at: int | None
    final: bool


class Stake(BaseModel):
    chain_id: int
    contract: str
    position_id: str
    amount: str | None
    lock_days: int | None
    apr_bp: str | None
    unlock_time: str | None
    status: str | None
    rewards_claimed: str
    block_number: int
    final: bool


class Gem(BaseModel):
    chain_id: int
    contract: str
    gem_id: str
    amount: str
    claimed: bool
    final: bool


class GemClaim(BaseModel):
    chain_id: int
    gem_id: str
    score: int
    block_number: int
    tx_hash: str
    final: bool


class Certificate(BaseModel):
    chain_id: int
    contract: str
    token_id: str
    batch_id: str
    tonnes: str
    content_hash: str
    soulbound: bool
    message: str
    recipient: str
    owner: str | None
    block_number: int
    tx_hash: str
    final: bool


class Retirement(BaseModel):
    chain_id: int
    contract: str
    batch_id: str
    amount: str
    account: str
    beneficiary: str
    certificate_id: str
    message: str
    block_number: int
    log_index: int
    tx_hash: str
    final: bool


class Audit(BaseModel):
    chain_id: int
    contract: str
    audit_id: str | None
    model_id: str
    auditor: str
    transparency: int
    bias: int
    human_alignment: int
    environmental_impact: int
    energy_kwh: str
    kg_co2e: str
    reward: str
    block_number: int
    tx_hash: str
    final: bool


class ProfileOut(Envelope):
    address: str
    balances: list[Balance]
    scores: list[Score]
    stakes: list[Stake]
    gems: list[Gem]
    gem_claims: list[GemClaim]
    certificates: list[Certificate]
    retirements: list[Retirement]
    ai_audits: list[Audit]


# An address field with a lower-case value in PostgreSQL's json text (``"key" : "0x..."``). A
# quote inside a JSON string is escaped, so text in a message never matches.
_ADDRESS_FIELD = re.compile(
    rb'"(?:contract|recipient|owner|account|beneficiary|auditor)" : "(0x[0-9a-f]{40})"'
)
_CHECKSUMS: dict[bytes, bytes] = {}


def _checksum(value: bytes) -> bytes:
    """EIP-55 form of a lower-case 0x address (kept: the same contracts recur in every answer)."""
    out = _CHECKSUMS.get(value)
    if out is None:
        if len(_CHECKSUMS) >= 65_536:
            _CHECKSUMS.clear()
        out = _CHECKSUMS[value] = checksum_hex(value.decode()).encode()
    return out


def _checksum_field(m: re.Match) -> bytes:
    whole = m.group(0)
    return whole[:-43] + _checksum(m.group(1)) + b'"'


_PER_HEAD: dict[str, tuple[bytes, list[tuple[bytes, bytes]]]] = {}


def _per_head(heads: Heads) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """``"read_at":[...]`` of ``heads`` and (lower-case, EIP-55) ``"contract"`` fields of the
    indexed contracts, built once per head token."""
    out = _PER_HEAD.get(heads.token)
    if out is None:
        _PER_HEAD.clear()
        contracts = sorted({c.address for c in heads.contracts})
        field = b'"contract" : "'
        out = _PER_HEAD[heads.token] = (
            b'"read_at":' + orjson.dumps(heads.read_at()),
            [(field + b"0x" + a.hex().encode(), field + checksum(a).encode()) for a in contracts],
        )
    return out


async def profile_body(pool, address: bytes, heads: Heads) -> bytes:
    """The profile document as JSON bytes: built by PostgreSQL in one statement, then the address
    fields put in EIP-55 form and ``read_at``/``address`` added (no parse, no model pass)."""
    chains = [c.chain_id for c in heads.chains]
    finalized = [c.finalized_block for c in heads.chains]
    text = await pool.fetchval(sql.PROFILE, address, chains, SECTION_ROWS, finalized)
    read_at, contracts = _per_head(heads)
    doc = text.encode()
    # Most address fields are the indexed contracts': plain replacements, no per-match call.
    for lower, eip in contracts:
        doc = doc.replace(lower, eip)
    doc = _ADDRESS_FIELD.sub(_checksum_field, doc)
    head = b"{" + read_at + b',"address":"' + checksum(address).encode()
    return head + b'",' + doc[1:]


@router.get(
    "/unified-profile/{address}",
    response_model=ProfileOut,
    summary="Balances of the eight tokens, ECS score, stakes, gems, certificates, "
    "retirements and AI audits of one address across all chains",
)
async def unified_profile(address: AddressDep, request: Request) -> Response:
    # The hot path of the API: state read directly rather than through four dependencies.
    # (The edge middleware answers most requests for this route itself, with profile_body.)
    state = request.app.state
    pool, heads, cache, settings = (
        state.profile_pool,
        state.heads.heads,
        state.cache,
        state.settings,
    )
    if not cache.shared:
        # Per worker, the edge middleware already keeps whole answers keyed by the head.
        return Response(await profile_body(pool, address, heads), media_type="application/json")
    token = heads.token.encode()
    hexaddr = address.hex()
    key = f"esg:profile:0x{hexaddr}"
    cached = (await cache.get_many([key]))[0]
    if cached is not None and cached.startswith(token + b"|"):
        return Response(cached[len(token) + 1 :], media_type="application/json")
    body = await profile_body(pool, address, heads)
    doc = orjson.loads(body)
    # The seed's keys: esg:score:{user} (1800 s) and token:balance:{user}:{token} (300 s).
    stamp = token + b"|"
    entries = [
        (key, stamp + body, settings.profile_ttl),
        (f"esg:score:0x{hexaddr}", stamp + orjson.dumps(doc["scores"]), settings.score_ttl),
    ]
    per_token: dict[str, list] = {}
    for b in doc["balances"]:
        per_token.setdefault(b["token"] or b["contract"], []).append(b)
    entries += [
        (f"token:balance:0x{hexaddr}:{sym}", stamp + orjson.dumps(rows), settings.balance_ttl)
        for sym, rows in per_token.items()
    ]
    await cache.set_many(entries)
    return Response(body, media_type="application/json")
