"""Rewards and holdings: ECT rewarded actions, EST stake positions, EGM gems."""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    ACTION,
    COUNTER,
    GEM,
    KEEP,
    POSITION,
    Address,
    BigInt,
    Bytes,
    Int,
    Text,
    Uint,
    append_table,
    latest_table,
)

ect_actions = append_table(
    "ect_actions",
    "ECT ActionRewarded: one row per rewarded action.",
    recipient=Address(entity=ACCOUNT),
    action_id=Bytes(entity=ACTION),
    amount=Uint(),
    epoch=Uint(),
)
stakes = latest_table(
    "stakes",
    "EST positions: Staked opens one ('open'), Unstaked closes it ('closed', its reward added to"
    " rewards_claimed), RewardClaimed adds to rewards_claimed.",
    key=("position_id",),
    position_id=Uint(entity=POSITION),
    owner=Address(entity=ACCOUNT, nullable=True, merge=KEEP),
    amount=Uint(nullable=True, merge=KEEP),
    lock_days=Int(nullable=True, merge=KEEP),
    apr_bp=Uint(nullable=True, merge=KEEP),
    unlock_time=Uint(nullable=True, merge=KEEP),
    status=Text(nullable=True),
    rewards_claimed=Uint(merge=COUNTER),
    opened_block=BigInt(nullable=True, merge=KEEP),
    closed_block=BigInt(nullable=True),
)
stake_rewards_funded = append_table(
    "stake_rewards_funded",
    "EST RewardsFunded: every funding of the reward reserve.",
    funder=Address(entity=ACCOUNT),
    amount=Uint(),
    reserve=Uint(),
)
gems = latest_table(
    "gems",
    "EGM gem definitions (GemDefined; GemExpirySet sets expires_at, NULL until first set).",
    key=("gem_id",),
    gem_id=Uint(entity=GEM),
    cap=Uint(nullable=True),
    min_score_bp=Int(nullable=True),
    price_gst=Uint(nullable=True),
    uri=Text(nullable=True),
    expires_at=Uint(nullable=True),
)
gem_claims = append_table(
    "gem_claims",
    "EGM GemClaimed: gems claimed by score level.",
    account=Address(entity=ACCOUNT),
    gem_id=Uint(entity=GEM),
    score=Int(),
)
gem_purchases = append_table(
    "gem_purchases",
    "EGM GemBought: gems bought with GST.",
    buyer=Address(entity=ACCOUNT),
    gem_id=Uint(entity=GEM),
    amount=Uint(),
    cost_gst=Uint(),
)


@on("ActionRewarded", contract="ECT")
def ect_action_rewarded(b: Batch, c: Ctx, ev) -> None:
    ect_actions.put(b, c, ev, recipient=ev.to)


@on("Staked", contract="EST")
def est_staked(b: Batch, c: Ctx, ev) -> None:
    stakes.put(b, c, ev, unlock_time=ev.unlock_at, status="open", opened_block=c.block_number)


@on("Unstaked", contract="EST")
def est_unstaked(b: Batch, c: Ctx, ev) -> None:
    stakes.put(
        b,
        c,
        position_id=ev.position_id,
        status="closed",
        rewards_claimed=ev.reward,
        closed_block=c.block_number,
    )


@on("RewardClaimed", contract="EST")
def est_reward_claimed(b: Batch, c: Ctx, ev) -> None:
    # ev.amount is the reward, not the position's amount: columns named one by one.
    stakes.put(b, c, position_id=ev.position_id, rewards_claimed=ev.amount)


@on("RewardsFunded", contract="EST")
def est_rewards_funded(b: Batch, c: Ctx, ev) -> None:
    stake_rewards_funded.put(b, c, ev)


@on("GemDefined", contract="EGM")
def egm_gem_defined(b: Batch, c: Ctx, ev) -> None:
    # A redefinition keeps the expiry (the contract does too): GemDefined does not set it.
    gems.put(b, c, ev, gem_id=ev.id)


@on("GemExpirySet", contract="EGM")
def egm_gem_expiry_set(b: Batch, c: Ctx, ev) -> None:
    gems.put(b, c, ev, gem_id=ev.id)


@on("GemClaimed", contract="EGM")
def egm_gem_claimed(b: Batch, c: Ctx, ev) -> None:
    gem_claims.put(b, c, ev, gem_id=ev.id)


@on("GemBought", contract="EGM")
def egm_gem_bought(b: Batch, c: Ctx, ev) -> None:
    gem_purchases.put(b, c, ev, gem_id=ev.id)
