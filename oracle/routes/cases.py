"""Cases: evidence scored together, their review, and their attestations."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from oracle.deps import OracleDep, PrincipalDep, ReviewerDep
from oracle.models import CaseList, CaseOut
from oracle.service import NotFound

router = APIRouter(prefix="/v1", tags=["cases"])


class CaseIn(BaseModel):
    evidence_ids: list[int] = Field(min_length=1, max_length=100)


class ReviewIn(BaseModel):
    decision: str = Field(max_length=16)
    signature: str = Field(max_length=200)
    note: str = Field("", max_length=1_000)


@router.post("/cases", status_code=201, response_model=CaseOut)
async def open_case(
    body: CaseIn, oracle: OracleDep, principal: PrincipalDep, response: Response
) -> dict:
    """Score the caller's evidence (201; 200 when the same evidence was scored before)."""
    case, new = await oracle.open_case(principal.address, body.evidence_ids)
    if not new:
        response.status_code = 200
    return case


@router.get("/cases", response_model=CaseList)
async def held_cases(
    oracle: OracleDep, reviewer: ReviewerDep, status: str = Query("pending_review", max_length=20)
) -> dict:
    """Cases in a status (reviewers only)."""
    ids = await oracle.pool.fetch(
        "SELECT id FROM oracle.cases WHERE status = $1 ORDER BY id LIMIT 200", status
    )
    return {"items": [await oracle.case(r["id"]) for r in ids]}


@router.get("/cases/{case_id}", response_model=CaseOut)
async def show_case(case_id: int, oracle: OracleDep, principal: PrincipalDep) -> dict:
    """A case with its assessment and attestations (its organization or a reviewer)."""
    case = await oracle.case(case_id)
    if principal.role != "reviewer" and case["account"].lower() != principal.address.lower():
        raise NotFound(f"case {case_id} not found")
    return case


@router.post("/cases/{case_id}/review", response_model=CaseOut)
async def review_case(
    case_id: int, body: ReviewIn, oracle: OracleDep, reviewer: ReviewerDep
) -> dict:
    """Approve or reject a held case with a signature of ``review.approval_text``."""
    return await oracle.review(case_id, reviewer.address, body.decision, body.signature, body.note)


@router.get("/models/current")
async def current_model(oracle: OracleDep) -> dict:
    """The scoring model's card: data, accuracy, fairness, importance, training energy."""
    return oracle.forest.card
