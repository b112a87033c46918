"""Carbon credits: CCR batches, retirements, invalidations, compliance; ECR certificates.

A certificate's current owner is its ERC-721 balance row (``balances``: token = the ECR contract,
amount 1), kept by the standard transfer projection.
"""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    CARBON_BATCH,
    CERTIFICATE,
    Address,
    Bool,
    Bytes,
    Int,
    Text,
    Uint,
    append_table,
    latest_table,
)

carbon_batches = latest_table(
    "carbon_batches",
    "CCR: one row per tokenized batch (BatchTokenized).",
    key=("batch_id",),
    indexes=(("project_id", "chain_id"),),
    batch_id=Uint(entity=CARBON_BATCH),
    recipient=Address(entity=ACCOUNT),
    issuer=Address(),
    registry=Text(),
    project_id=Text(),
    vintage=Int(),
    methodology=Text(),
    serial_start=Uint(),
    serial_end=Uint(),
    amount=Uint(),
)
retirements = append_table(
    "retirements",
    "CCR Retired: one row per retirement.",
    account=Address(entity=ACCOUNT),
    beneficiary=Address(entity=ACCOUNT),
    batch_id=Uint(entity=CARBON_BATCH),
    amount=Uint(),
    certificate_id=Uint(),
    message=Text(),
)
invalidations = append_table(
    "invalidations",
    "CCR Invalidated: one row per invalidation (a verifier burning a holder's credits).",
    verifier=Address(),
    holder=Address(entity=ACCOUNT),
    batch_id=Uint(entity=CARBON_BATCH),
    amount=Uint(),
    reason=Text(),
)
ccr_compliance = latest_table(
    "ccr_compliance",
    "CCR compliance switch (ComplianceSet): current state.",
    key=(),
    enabled=Bool(),
)
ccr_allowlist = latest_table(
    "ccr_allowlist",
    "CCR allowlist (AllowedSet): current state per account.",
    key=("account",),
    account=Address(entity=ACCOUNT),
    allowed=Bool(),
)
certificates = latest_table(
    "certificates",
    "ECR CertificateIssued: one row per certificate, as issued (its owner is in balances).",
    key=("token_id",),
    token_id=Uint(entity=CERTIFICATE),
    recipient=Address(entity=ACCOUNT),
    batch_id=Uint(doc="the CCR batch the retired credits came from"),
    tonnes=Uint(),
    content_hash=Bytes(),
    soulbound=Bool(),
    message=Text(),
)


@on("BatchTokenized", contract="CCR")
def ccr_batch_tokenized(b: Batch, c: Ctx, ev) -> None:
    carbon_batches.put(b, c, ev, recipient=ev.to)


@on("Retired", contract="CCR")
def ccr_retired(b: Batch, c: Ctx, ev) -> None:
    retirements.put(b, c, ev, batch_id=ev.id)


@on("Invalidated", contract="CCR")
def ccr_invalidated(b: Batch, c: Ctx, ev) -> None:
    invalidations.put(b, c, ev, batch_id=ev.id)


@on("ComplianceSet", contract="CCR")
def ccr_compliance_set(b: Batch, c: Ctx, ev) -> None:
    ccr_compliance.put(b, c, ev)


@on("AllowedSet", contract="CCR")
def ccr_allowed_set(b: Batch, c: Ctx, ev) -> None:
    ccr_allowlist.put(b, c, ev)


@on("CertificateIssued", contract="ECR")
def ecr_certificate_issued(b: Batch, c: Ctx, ev) -> None:
    certificates.put(b, c, ev, recipient=ev.to)
