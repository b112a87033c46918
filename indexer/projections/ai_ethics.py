"""AET: ethics audits of AI models (AuditRecorded)."""

from __future__ import annotations

from indexer.projections import feed
from indexer.projections.schema import append_table

ai_audits = append_table(
    "ai_audits",
    "AET AuditRecorded: one row per audit.",
    columns="""
        audit_id              ordinal                   # the contract's audit counter: 1, 2, ... per AET
        model_id              bytes    entity=ai_model  # hash of the audited model
        recipient             address  entity=account   # who received the reward
        auditor               address  entity=account   # who signed the attestation
        transparency          int                       # score 0 to 1000
        bias                  int                       # score 0 to 1000
        human_alignment       int                       # score 0 to 1000
        environmental_impact  int                       # score 0 to 1000
        energy_kwh            uint                      # energy used, kWh
        kg_co2e               uint                      # emissions, kg CO2e
        nonce                 uint                      # the attestation's nonce
        reward                uint                      # AET minted
    """,
)
feed(ai_audits, "AET.AuditRecorded")
