"""Carbon credits: CCR batches, retirements, invalidations, compliance; ECR certificates.

A certificate's current owner is its ERC-721 balance row (``balances``: token = the ECR contract,
amount 1), kept by the standard transfer projection.
"""

from __future__ import annotations

from indexer.projections import F, feed
from indexer.projections.schema import append_table, latest_table

carbon_batches = latest_table(
    "carbon_batches",
    "CCR: one row per tokenized batch (BatchTokenized).",
    key="batch_id",
    indexes=(("project_id", "chain_id"),),
    columns="""
        batch_id      uint     entity=carbon_batch
        recipient     address  entity=account
        issuer        address
        registry      text
        project_id    text
        vintage       int
        methodology   text
        serial_start  uint
        serial_end    uint
        amount        uint
    """,
)
feed(carbon_batches, "CCR.BatchTokenized", recipient=F.to)

retirements = append_table(
    "retirements",
    "CCR Retired: one row per retirement.",
    columns="""
        account         address  entity=account
        beneficiary     address  entity=account
        batch_id        uint     entity=carbon_batch
        amount          uint
        certificate_id  uint
        message         text
    """,
)
feed(retirements, "CCR.Retired", batch_id=F.id)

invalidations = append_table(
    "invalidations",
    "CCR Invalidated: one row per invalidation (a verifier burning a holder's credits).",
    columns="""
        verifier  address
        holder    address  entity=account
        batch_id  uint     entity=carbon_batch
        amount    uint
        reason    text
    """,
)
feed(invalidations, "CCR.Invalidated", batch_id=F.id)

ccr_compliance = latest_table(
    "ccr_compliance",
    "CCR compliance switch (ComplianceSet): current state.",
    key="",
    columns="enabled bool",
)
feed(ccr_compliance, "CCR.ComplianceSet")

ccr_allowlist = latest_table(
    "ccr_allowlist",
    "CCR allowlist (AllowedSet): current state per account.",
    key="account",
    columns="""
        account  address  entity=account
        allowed  bool
    """,
)
feed(ccr_allowlist, "CCR.AllowedSet")

certificates = latest_table(
    "certificates",
    "ECR CertificateIssued: one row per certificate, as issued (its owner is in balances).",
    key="token_id",
    columns="""
        token_id      uint     entity=certificate
        recipient     address  entity=account
        batch_id      uint     # the CCR batch the retired credits came from
        tonnes        uint
        content_hash  bytes
        soulbound     bool
        message       text
    """,
)
feed(certificates, "ECR.CertificateIssued", recipient=F.to)
