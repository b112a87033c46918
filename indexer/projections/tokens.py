"""Projections of the eight ESG tokens' own events (carbon batches, retirements, certificates,
scores, metrics, rewarded actions, stakes, gems, audits, governance, bridge messages).

Tables are created by indexer/migrations/0002_tokens.sql. Every row carries chain_id,
block_number, block_hash, tx_hash and log_index (``Ctx.loc()``) and ``contract``, the emitting
contract's address, so rollbacks stay exact.

Some latest-state rows are fed by several events (a stake is opened, rewarded and closed; a
metric is recorded, then verified; a proposal is created, voted, queued and executed). A handler
cannot read the database, so it writes what its event knows: the columns it does not know are
None, counters hold the event's increment. ``_merge`` combines rows of one batch in Python; the
table's BEFORE UPDATE trigger (0002) combines them with the stored row in the same way (None keeps
the old value, counters add). A rollback replays all remaining events into one batch, so rebuilt
rows are merged entirely in Python.
"""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on, register_append, register_latest

LOC = ("block_number", "block_hash", "tx_hash", "log_index")
# Append rows: (chain_id, block_number, log_index, block_hash, tx_hash, contract, ...).
HEAD = ("chain_id", "block_number", "log_index", "block_hash", "tx_hash", "contract")


def _b(hex_value: str) -> bytes:
    """0x hex (bytes32, bytes) as bytes."""
    return bytes.fromhex(hex_value[2:])


def _head(b: Batch, c: Ctx) -> tuple:
    return (b.chain_id, c.block_number, c.log_index, c.block_hash, c.tx_hash, c.contract)


def _merge(b: Batch, table: str, key: tuple, row: tuple, counters: tuple[int, ...] = ()) -> None:
    """Store ``row`` for ``key``, merged with a row of the same key earlier in this batch:
    None keeps the earlier value, columns at positions ``counters`` add up."""
    rows = b.latest[table]
    old = rows.get(key)
    if old is not None:
        row = tuple(
            (o + n) if i in counters else (o if n is None else n)
            for i, (o, n) in enumerate(zip(old, row, strict=True))
        )
    rows[key] = row


# --- CCR -------------------------------------------------------------------------------------

register_latest(
    "carbon_batches",
    (
        "chain_id",
        "contract",
        "batch_id",
        "recipient",
        "issuer",
        "registry",
        "project_id",
        "vintage",
        "methodology",
        "serial_start",
        "serial_end",
        "amount",
        *LOC,
    ),
    key=("chain_id", "contract", "batch_id"),
    events=("BatchTokenized",),
)
register_append(
    "retirements",
    (*HEAD, "account", "beneficiary", "batch_id", "amount", "certificate_id", "message"),
)
register_append("invalidations", (*HEAD, "verifier", "holder", "batch_id", "amount", "reason"))
register_latest(
    "ccr_compliance",
    ("chain_id", "contract", "enabled", *LOC),
    key=("chain_id", "contract"),
    events=("ComplianceSet",),
)
register_latest(
    "ccr_allowlist",
    ("chain_id", "contract", "account", "allowed", *LOC),
    key=("chain_id", "contract", "account"),
    events=("AllowedSet",),
)


@on("BatchTokenized", contract="CCR")
def ccr_batch_tokenized(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    b.latest["carbon_batches"][key] = (
        *key,
        b.addr(v[1]),
        b.addr(v[2]),
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        v[8],
        v[9],
        *c.loc(),
    )


@on("Retired", contract="CCR")
def ccr_retired(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["retirements"].append(
        (*_head(b, c), b.addr(v[0]), b.addr(v[1]), v[2], v[3], v[4], v[5])
    )


@on("Invalidated", contract="CCR")
def ccr_invalidated(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["invalidations"].append((*_head(b, c), b.addr(v[0]), b.addr(v[1]), v[2], v[3], v[4]))


@on("ComplianceSet", contract="CCR")
def ccr_compliance_set(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract)
    b.latest["ccr_compliance"][key] = (*key, v[0], *c.loc())


@on("AllowedSet", contract="CCR")
def ccr_allowed_set(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, b.addr(v[0]))
    b.latest["ccr_allowlist"][key] = (*key, v[1], *c.loc())


# --- ECR -------------------------------------------------------------------------------------

register_latest(
    "certificates",
    (
        "chain_id",
        "contract",
        "token_id",
        "recipient",
        "batch_id",
        "tonnes",
        "content_hash",
        "soulbound",
        "message",
        *LOC,
    ),
    key=("chain_id", "contract", "token_id"),
    events=("CertificateIssued",),
)


@on("CertificateIssued", contract="ECR")
def ecr_certificate_issued(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    b.latest["certificates"][key] = (*key, b.addr(v[1]), v[2], v[3], _b(v[4]), v[5], v[6], *c.loc())


# --- ECS -------------------------------------------------------------------------------------

register_latest(
    "scores",
    (
        "chain_id",
        "contract",
        "account",
        "score",
        "old_score",
        "environmental",
        "social",
        "governance",
        "methodology_version",
        "evidence_hash",
        *LOC,
    ),
    key=("chain_id", "contract", "account"),
    events=("ScoreUpdated",),
)
register_append(
    "score_history",
    (
        *HEAD,
        "account",
        "old_score",
        "new_score",
        "environmental",
        "social",
        "governance",
        "methodology_version",
        "evidence_hash",
    ),
)
register_latest(
    "esg_metrics",
    (
        "chain_id",
        "contract",
        "metric_id",
        "account",
        "metric_type",
        "value",
        "unit",
        "evidence_hash",
        "recorded_block",
        "verified",
        "verifier",
        "verified_block",
        *LOC,
    ),
    key=("chain_id", "contract", "metric_id"),
    events=("MetricRecorded", "MetricVerified"),
)


@on("ScoreUpdated", contract="ECS")
def ecs_score_updated(b: Batch, c: Ctx, v: tuple) -> None:
    account = b.addr(v[0])
    evidence = _b(v[7])
    key = (b.chain_id, c.contract, account)
    b.latest["scores"][key] = (*key, v[2], v[1], v[3], v[4], v[5], v[6], evidence, *c.loc())
    b.appends["score_history"].append(
        (*_head(b, c), account, v[1], v[2], v[3], v[4], v[5], v[6], evidence)
    )


@on("MetricRecorded", contract="ECS")
def ecs_metric_recorded(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    _merge(
        b,
        "esg_metrics",
        key,
        (
            *key,
            b.addr(v[1]),
            _b(v[2]),
            v[3],
            v[4],
            _b(v[5]),
            c.block_number,
            False,
            None,
            None,
            *c.loc(),
        ),
    )


@on("MetricVerified", contract="ECS")
def ecs_metric_verified(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    _merge(
        b,
        "esg_metrics",
        key,
        (*key, None, None, None, None, None, None, True, b.addr(v[1]), c.block_number, *c.loc()),
    )


# --- ECT -------------------------------------------------------------------------------------

register_append("ect_actions", (*HEAD, "recipient", "action_id", "amount", "epoch"))


@on("ActionRewarded", contract="ECT")
def ect_action_rewarded(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["ect_actions"].append((*_head(b, c), b.addr(v[0]), _b(v[1]), v[2], v[3]))


# --- EST -------------------------------------------------------------------------------------

STAKE_COLS = (
    "chain_id",
    "contract",
    "position_id",
    "owner",
    "amount",
    "lock_days",
    "apr_bp",
    "unlock_time",
    "status",
    "rewards_claimed",
    "opened_block",
    "closed_block",
    *LOC,
)
_STAKE_COUNTERS = (STAKE_COLS.index("rewards_claimed"),)
register_latest(
    "stakes",
    STAKE_COLS,
    key=("chain_id", "contract", "position_id"),
    events=("Staked", "Unstaked", "RewardClaimed"),
)
register_append("stake_rewards_funded", (*HEAD, "funder", "amount", "reserve"))


@on("Staked", contract="EST")
def est_staked(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[1])
    _merge(
        b,
        "stakes",
        key,
        (*key, b.addr(v[0]), v[2], v[3], v[4], v[5], "open", 0, c.block_number, None, *c.loc()),
        _STAKE_COUNTERS,
    )


@on("Unstaked", contract="EST")
def est_unstaked(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[1])
    _merge(
        b,
        "stakes",
        key,
        (*key, None, None, None, None, None, "closed", v[3], None, c.block_number, *c.loc()),
        _STAKE_COUNTERS,
    )


@on("RewardClaimed", contract="EST")
def est_reward_claimed(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[1])
    _merge(
        b,
        "stakes",
        key,
        (*key, None, None, None, None, None, None, v[2], None, None, *c.loc()),
        _STAKE_COUNTERS,
    )


@on("RewardsFunded", contract="EST")
def est_rewards_funded(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["stake_rewards_funded"].append((*_head(b, c), b.addr(v[0]), v[1], v[2]))


# --- EGM -------------------------------------------------------------------------------------

register_latest(
    "gems",
    (
        "chain_id",
        "contract",
        "gem_id",
        "cap",
        "min_score_bp",
        "price_gst",
        "uri",
        "expires_at",
        *LOC,
    ),
    key=("chain_id", "contract", "gem_id"),
    events=("GemDefined", "GemExpirySet"),
)
register_append("gem_claims", (*HEAD, "account", "gem_id", "score"))
register_append("gem_purchases", (*HEAD, "buyer", "gem_id", "amount", "cost_gst"))


@on("GemDefined", contract="EGM")
def egm_gem_defined(b: Batch, c: Ctx, v: tuple) -> None:
    # A redefinition keeps the expiry (the contract does too).
    key = (b.chain_id, c.contract, v[0])
    _merge(b, "gems", key, (*key, v[1], v[2], v[3], v[4], None, *c.loc()))


@on("GemExpirySet", contract="EGM")
def egm_gem_expiry_set(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    _merge(b, "gems", key, (*key, None, None, None, None, v[1], *c.loc()))


@on("GemClaimed", contract="EGM")
def egm_gem_claimed(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["gem_claims"].append((*_head(b, c), b.addr(v[0]), v[1], v[2]))


@on("GemBought", contract="EGM")
def egm_gem_bought(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["gem_purchases"].append((*_head(b, c), b.addr(v[0]), v[1], v[2], v[3]))


# --- AET -------------------------------------------------------------------------------------

# audit_id is numbered by the table's trigger (the contract's counter, in event order).
register_append(
    "ai_audits",
    (
        *HEAD,
        "model_id",
        "recipient",
        "auditor",
        "transparency",
        "bias",
        "human_alignment",
        "environmental_impact",
        "energy_kwh",
        "kg_co2e",
        "nonce",
        "reward",
    ),
)


@on("AuditRecorded", contract="AET")
def aet_audit_recorded(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["ai_audits"].append(
        (
            *_head(b, c),
            _b(v[0]),
            b.addr(v[1]),
            b.addr(v[2]),
            v[3],
            v[4],
            v[5],
            v[6],
            v[7],
            v[8],
            v[9],
            v[10],
        )
    )


# --- Governor --------------------------------------------------------------------------------

PROPOSAL_COLS = (
    "chain_id",
    "contract",
    "proposal_id",
    "proposer",
    "targets",
    "call_values",
    "calldatas",
    "description",
    "vote_start",
    "vote_end",
    "status",
    "eta",
    "for_votes",
    "against_votes",
    "abstain_votes",
    "created_block",
    *LOC,
)
_VOTE_COUNTERS = tuple(
    PROPOSAL_COLS.index(n) for n in ("for_votes", "against_votes", "abstain_votes")
)
register_latest(
    "proposals",
    PROPOSAL_COLS,
    key=("chain_id", "contract", "proposal_id"),
    events=(
        "ProposalCreated",
        "VoteCast",
        "ProposalQueued",
        "ProposalExecuted",
        "ProposalCanceled",
    ),
)
register_append("votes", (*HEAD, "proposal_id", "voter", "support", "weight"))


def _proposal(
    b: Batch,
    c: Ctx,
    proposal_id: int,
    status: str | None,
    eta: int | None = None,
    votes: tuple[int, int, int] = (0, 0, 0),
) -> None:
    key = (b.chain_id, c.contract, proposal_id)
    _merge(
        b,
        "proposals",
        key,
        (*key, None, None, None, None, None, None, None, status, eta, *votes, None, *c.loc()),
        _VOTE_COUNTERS,
    )


@on("ProposalCreated", contract="Governor")
def gov_proposal_created(b: Batch, c: Ctx, v: tuple) -> None:
    key = (b.chain_id, c.contract, v[0])
    _merge(
        b,
        "proposals",
        key,
        (
            *key,
            b.addr(v[1]),
            [_b(t) for t in v[2]],
            list(v[3]),
            [_b(d) for d in v[4]],
            v[7],
            v[5],
            v[6],
            "created",
            None,
            0,
            0,
            0,
            c.block_number,
            *c.loc(),
        ),
        _VOTE_COUNTERS,
    )


@on("VoteCast", contract="Governor")
def gov_vote_cast(b: Batch, c: Ctx, v: tuple) -> None:
    voter, proposal_id, support, weight = v
    b.appends["votes"].append((*_head(b, c), proposal_id, b.addr(voter), support, weight))
    # support: 0 against, 1 for, 2 abstain.
    votes = (
        weight if support == 1 else 0,
        weight if support == 0 else 0,
        weight if support == 2 else 0,
    )
    _proposal(b, c, proposal_id, None, votes=votes)


@on("ProposalQueued", contract="Governor")
def gov_proposal_queued(b: Batch, c: Ctx, v: tuple) -> None:
    _proposal(b, c, v[0], "queued", eta=v[1])


@on("ProposalExecuted", contract="Governor")
def gov_proposal_executed(b: Batch, c: Ctx, v: tuple) -> None:
    _proposal(b, c, v[0], "executed")


@on("ProposalCanceled", contract="Governor")
def gov_proposal_canceled(b: Batch, c: Ctx, v: tuple) -> None:
    _proposal(b, c, v[0], "canceled")


# --- Bridge ----------------------------------------------------------------------------------

register_append(
    "bridge_messages",
    (
        *HEAD,
        "direction",
        "token",
        "sender",
        "recipient",
        "src_chain_id",
        "sequence",
        "dest_chain_id",
        "dest_token",
        "message_id",
        "src_tx_hash",
        "src_log_index",
        "token_id",
        "amount",
        "data",
    ),
)


@on("MessageSent", contract="Bridge")
def bridge_message_sent(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["bridge_messages"].append(
        (
            *_head(b, c),
            "sent",
            b.addr(v[0]),
            b.addr(v[1]),
            b.addr(v[2]),
            v[3],
            v[4],
            v[5],
            b.addr(v[6]),
            None,
            None,
            None,
            v[7],
            v[8],
            _b(v[9]),
        )
    )


@on("MessageReceived", contract="Bridge")
def bridge_message_received(b: Batch, c: Ctx, v: tuple) -> None:
    b.appends["bridge_messages"].append(
        (
            *_head(b, c),
            "received",
            b.addr(v[1]),
            None,
            b.addr(v[2]),
            v[3],
            None,
            None,
            None,
            _b(v[0]),
            _b(v[4]),
            v[5],
            v[6],
            v[7],
            None,
        )
    )
