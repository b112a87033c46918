"""Response models of the oracle's routes (what the OpenAPI document promises)."""

from __future__ import annotations

from pydantic import BaseModel


class EvidenceOut(BaseModel):
    """One stored file: what the intake learned from it, never its content."""

    id: int
    kind: str
    media_type: str
    size: int
    content_hash: str
    analysis: dict
    created_at: str


class AttestationOut(BaseModel):
    """One on-chain call of a case and how far it got."""

    id: int
    kind: str
    call: str
    status: str
    tx_hash: str | None
    block_number: int | None
    error: str | None


class CaseOut(BaseModel):
    """Evidence scored together: the assessment, why it waits (if it does), its attestations."""

    id: int
    account: str
    kind: str
    evidence_hash: str
    evidence_ids: list[int]
    status: str
    review_reasons: list[str]
    reviewer: str | None
    assessment: dict
    attestations: list[AttestationOut]


class CaseList(BaseModel):
    items: list[CaseOut]
