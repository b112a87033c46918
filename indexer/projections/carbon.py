"""Carbon credits: CCR batches, retirements, invalidations, compliance; ECR certificates.

A certificate's current owner is its ERC-721 balance row (``balances``: token = the ECR contract,
amount 1), kept by the standard transfer projection.
"""

from __future__ import annotations

from indexer.projections import F, feed
from indexer.projections.schema import append_table, latest_table

carbon_batches = latest_table(
    "carbon_batches",
    "CCR: one row per batch, tokenized on this chain (BatchTokenized) or, on a child chain, "
    "arrived through the bridge with its first deposit (BatchBridged).",
    columns="""
        batch_id      uint     entity=carbon_batch    # the ERC-1155 id of the batch
        recipient     address  null entity=account    # who received the minted credits (null: bridged)
        issuer        address  null                   # the account that tokenized them (null: bridged)
        registry_id   uint                            # the registry's id in the CCR
        registry      text                            # the off-chain registry (Verra, GoldStandard...)
        project_id    text                            # the registry's project id
        vintage       int                             # year the reductions happened
        methodology   text                            # the registry's methodology code
        serial_start  uint                            # first registry serial of the range
        serial_end    uint                            # last registry serial (inclusive)
        amount        uint     null                   # tonnes of CO2e minted (null: bridged)
        bridged       bool                            # a child chain's copy of a root chain's batch
    """,
    key="batch_id",
    indexes=(("project_id", "chain_id"),),
)
feed(carbon_batches, "CCR.BatchTokenized", recipient=F.to, bridged=False)
feed(carbon_batches, "CCR.BatchBridged", bridged=True)

carbon_registries = latest_table(
    "carbon_registries",
    "CCR RegistryAdded: the registries issuers may tokenize against, by id.",
    columns="""
        registry_id  uint  # the id batches name
        name         text  # the registry's name
    """,
    key="registry_id",
)
feed(carbon_registries, "CCR.RegistryAdded")

retirements = append_table(
    "retirements",
    "CCR Retired: one row per retirement.",
    columns="""
        account         address  entity=account       # whose credits were retired
        beneficiary     address  entity=account       # on whose behalf
        batch_id        uint     entity=carbon_batch  # the batch retired from
        amount          uint                          # tonnes retired
        certificate_id  uint                          # the ECR certificate minted for it
        message         text                          # the retirement's statement
    """,
)
feed(retirements, "CCR.Retired", batch_id=F.id)

invalidations = append_table(
    "invalidations",
    "CCR Invalidated: one row per invalidation (a verifier burning a holder's credits).",
    columns="""
        verifier  address                       # the verifier who invalidated
        holder    address  entity=account       # whose credits were burned
        batch_id  uint     entity=carbon_batch  # the batch
        amount    uint                          # tonnes invalidated
        reason    text                          # the verifier's reason
    """,
)
feed(invalidations, "CCR.Invalidated", batch_id=F.id)

ccr_compliance = latest_table(
    "ccr_compliance",
    "CCR compliance switch (ComplianceSet): current state.",
    columns="enabled bool  # transfers need the allowlist",
    key="",
)
feed(ccr_compliance, "CCR.ComplianceSet")

ccr_allowlist = latest_table(
    "ccr_allowlist",
    "CCR allowlist (AllowedSet): current state per account.",
    columns="""
        account  address  entity=account  # the account
        allowed  bool                     # may hold credits while compliance is on
    """,
    key="account",
)
feed(ccr_allowlist, "CCR.AllowedSet")

certificates = latest_table(
    "certificates",
    "ECR CertificateIssued: one row per certificate, as issued (its owner is in balances).",
    columns="""
        token_id      uint     entity=certificate  # the ERC-721 id
        recipient     address  entity=account      # whom it was issued to
        batch_id      uint                         # the CCR batch the retired credits came from
        tonnes        uint                         # tonnes of CO2e retired
        content_hash  bytes                        # hash of the certificate document
        soulbound     bool                         # true if it can never be transferred
        message       text                         # the retirement's statement
    """,
    key="token_id",
)
feed(certificates, "ECR.CertificateIssued", recipient=F.to)
