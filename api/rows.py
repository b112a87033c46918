"""The read models of the answers: the declared tables' (``row_model``) and the ledger's."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.fields import AddressStr, DecimalStr, HexStr, Row, row_model
from indexer.projections.ai_ethics import ai_audits
from indexer.projections.carbon import carbon_batches, certificates, retirements
from indexer.projections.governance import proposals, votes
from indexer.projections.rewards import gem_claims, stakes
from indexer.projections.scores import esg_metrics, score_history, scores

Retirement = row_model(retirements, "Retirement")
CarbonBatch = row_model(
    carbon_batches,
    "CarbonBatch",
    supply=(DecimalStr, Field(description="units in circulation (ERC-1155 supply)")),
    retired=(DecimalStr, Field(description="units retired, up to the read block")),
    invalidated=(DecimalStr, Field(description="units invalidated, up to the read block")),
)
Certificate = row_model(
    certificates,
    "Certificate",
    owner=(AddressStr | None, Field(None, description="current owner; null once burned")),
)
CertificateDetail = row_model(
    certificates,
    "CertificateDetail",
    owner=(AddressStr | None, Field(None, description="current owner; null once burned")),
    retired_by=(AddressStr | None, None),
    beneficiary=(AddressStr | None, None),
    retired_amount=(DecimalStr | None, None),
    ccr_contract=(AddressStr | None, None),
)
Score = row_model(
    scores, "Score", updated_at=(int | None, Field(None, description="block timestamp"))
)
ScoreChange = row_model(
    score_history, "ScoreChange", timestamp=(int | None, Field(None, description="block timestamp"))
)
Metric = row_model(esg_metrics, "Metric")
Stake = row_model(stakes, "Stake")
GemClaim = row_model(gem_claims, "GemClaim")
Audit = row_model(ai_audits, "Audit")
ProposalState = Literal[
    "Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Executed"
]
Proposal = row_model(
    proposals,
    "Proposal",
    state=(ProposalState, Field(description="Governor.state at the read block")),
    quorum=(DecimalStr | None, Field(None, description="votes (for + abstain) needed")),
)
Vote = row_model(votes, "Vote", support_name=(str, Field(description="against, for or abstain")))


class Balance(Row):
    chain_id: int
    token: str | None = Field(description="symbol of the token contract")
    contract: AddressStr
    token_id: DecimalStr
    amount: DecimalStr


class Gem(Row):
    chain_id: int
    contract: AddressStr
    gem_id: DecimalStr
    amount: DecimalStr
    claimed: bool


class Transfer(Row):
    chain_id: int
    block_number: int
    log_index: int
    batch_index: int
    tx_hash: HexStr
    token: str | None
    contract: AddressStr
    token_id: DecimalStr
    operator: AddressStr | None
    from_addr: AddressStr
    to_addr: AddressStr
    amount: DecimalStr
