"""/esg/unified-profile/{address}: everything one address holds and did, across all chains."""

from __future__ import annotations

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


_ADDRESS_FIELDS = ("contract", "recipient", "owner", "account", "beneficiary", "auditor")


def _finish_rows(rows: list[dict], heads: Heads) -> list[dict]:
    for r in rows:
        for f in _ADDRESS_FIELDS:
            if f in r:
                r[f] = checksum_hex(r[f])
        r["final"] = heads.is_final(r["chain_id"], r["block_number"])
    return rows


def build(address: bytes, row, heads: Heads) -> dict:
    """The profile document from the statement's JSON columns."""
    balances = []
    gems = []
    claimed = {(c["chain_id"], c["gem_id"]) for c in row["gem_claims"]}
    for b in row["balances"]:
        sym = heads.names_hex.get((b["chain_id"], b["contract"]))
        final = heads.is_final(b["chain_id"], b["block_number"])
        contract = checksum_hex(b["contract"])
        balances.append(
            {
                "chain_id": b["chain_id"],
                "token": sym,
                "contract": contract,
                "token_id": b["token_id"],
                "amount": b["amount"],
                "final": final,
            }
        )
        if sym == "EGM":
            gems.append(
                {
                    "chain_id": b["chain_id"],
                    "contract": contract,
                    "gem_id": b["token_id"],
                    "amount": b["amount"],
                    "claimed": (b["chain_id"], b["token_id"]) in claimed,
                    "final": final,
                }
            )
    scores = _finish_rows(row["scores"], heads)
    # ECS is soulbound and emits no Transfer: its balance is 1 once the account is scored.
    for s in scores:
        balances.append(
            {
                "chain_id": s["chain_id"],
                "token": "ECS",
                "contract": s["contract"],
                "token_id": "0",
                "amount": "1",
                "final": s["final"],
            }
        )
    sections = {
        k: _finish_rows(row[k], heads)
        for k in ("stakes", "gem_claims", "certificates", "retirements", "ai_audits")
    }
    everything = [balances, scores, *sections.values()]
    return {
        "read_at": heads.read_at(),
        "final": all(r["final"] for rows in everything for r in rows),
        "address": checksum(address),
        "balances": balances,
        "scores": scores,
        "gems": gems,
        **sections,
    }


@router.get(
    "/unified-profile/{address}",
    response_model=ProfileOut,
    summary="Balances of the eight tokens, ECS score, stakes, gems, certificates, "
    "retirements and AI audits of one address across all chains",
)
async def unified_profile(address: AddressDep, request: Request) -> Response:
    # The hot path of the API: state read directly rather than through four dependencies.
    state = request.app.state
    pool, heads, cache, settings = (
        state.profile_pool,
        state.heads.heads,
        state.cache,
        state.settings,
    )
    chains = list(heads.by_chain)
    if not cache.shared:
        # Per worker, the edge middleware already keeps whole answers keyed by the head.
        row = await pool.fetchrow(sql.PROFILE, address, chains, SECTION_ROWS)
        return Response(orjson.dumps(build(address, row, heads)), media_type="application/json")
    token = heads.token.encode()
    hexaddr = address.hex()
    key = f"esg:profile:0x{hexaddr}"
    cached = (await cache.get_many([key]))[0]
    if cached is not None and cached.startswith(token + b"|"):
        return Response(cached[len(token) + 1 :], media_type="application/json")
    row = await pool.fetchrow(sql.PROFILE, address, chains, SECTION_ROWS)
    doc = build(address, row, heads)
    body = orjson.dumps(doc)
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
