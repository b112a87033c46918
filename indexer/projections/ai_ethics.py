"""AET: ethics audits of AI models (AuditRecorded)."""

from __future__ import annotations

from indexer.projections import feed
from indexer.projections.schema import append_table

ai_audits = append_table(
    "ai_audits",
    "AET AuditRecorded: one row per audit.",
    columns="""
        audit_id              ordinal  # the contract's audit counter: 1, 2, ... per AET
        model_id              bytes    entity=ai_model
        recipient             address  entity=account
        auditor               address  entity=account
        transparency          int
        bias                  int
        human_alignment       int
        environmental_impact  int
        energy_kwh            uint
        kg_co2e               uint
        nonce                 uint
        reward                uint
    """,
)
feed(ai_audits, "AET.AuditRecorded")
