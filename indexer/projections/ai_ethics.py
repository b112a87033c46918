"""AET: ethics audits of AI models (AuditRecorded)."""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    AI_MODEL,
    Address,
    Bytes,
    Int,
    Ordinal,
    Uint,
    append_table,
)

ai_audits = append_table(
    "ai_audits",
    "AET AuditRecorded: one row per audit.",
    audit_id=Ordinal(doc="the contract's audit counter: 1, 2, ... per AET, in event order"),
    model_id=Bytes(entity=AI_MODEL),
    recipient=Address(entity=ACCOUNT),
    auditor=Address(entity=ACCOUNT),
    transparency=Int(),
    bias=Int(),
    human_alignment=Int(),
    environmental_impact=Int(),
    energy_kwh=Uint(),
    kg_co2e=Uint(),
    nonce=Uint(),
    reward=Uint(),
)


@on("AuditRecorded", contract="AET")
def aet_audit_recorded(b: Batch, c: Ctx, ev) -> None:
    ai_audits.put(b, c, ev)
