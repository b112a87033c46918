"""Evidence upload: reports, metrics files and site photos, stored encrypted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from oracle import intake
from oracle.deps import OracleDep, PrincipalDep
from oracle.errors import TooLarge
from oracle.models import EvidenceOut
from oracle.service import NotFound

router = APIRouter(prefix="/v1/evidence", tags=["evidence"])


@router.post("", status_code=201, response_model=EvidenceOut)
async def upload(
    oracle: OracleDep,
    principal: PrincipalDep,
    response: Response,
    kind: Annotated[str, Form(max_length=16)],
    file: Annotated[UploadFile, File()],
) -> dict:
    """Store one file (201; 200 when the same file was stored before)."""
    limit = getattr(oracle.limits, kind, oracle.settings.max_image_bytes)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"evidence: {kind} exceeds {limit} bytes")
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    record, new = await intake.store(
        oracle.pool, oracle.keys, principal.address, kind, media_type, data, oracle.limits
    )
    if not new:
        response.status_code = 200
    return record


@router.get("/{evidence_id}", response_model=EvidenceOut)
async def show(evidence_id: int, oracle: OracleDep, principal: PrincipalDep) -> dict:
    """What the intake learned from one of the caller's files (never its content)."""
    row = await oracle.pool.fetchrow(
        "SELECT id, kind, media_type, size, content_hash, analysis, created_at FROM oracle.evidence"
        " WHERE id = $1 AND account = $2",
        evidence_id,
        principal.address,
    )
    if row is None:
        raise NotFound(f"evidence {evidence_id} not found")
    return intake.record(row)
