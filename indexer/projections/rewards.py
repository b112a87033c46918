"""Rewards and holdings: ECT rewarded actions, EST stake positions, EGM gems."""

from __future__ import annotations

from indexer.projections import BLOCK, F, feed
from indexer.projections.schema import append_table, latest_table

ect_actions = append_table(
    "ect_actions",
    "ECT ActionRewarded: one row per rewarded action.",
    columns="""
        recipient  address  entity=account
        action_id  bytes    entity=action
        amount     uint
        epoch      uint
    """,
)
feed(ect_actions, "ECT.ActionRewarded", recipient=F.to)

stakes = latest_table(
    "stakes",
    "EST positions: Staked opens one ('open'), Unstaked closes it ('closed', its reward added to"
    " rewards_claimed), RewardClaimed adds to rewards_claimed.",
    key="position_id",
    columns="""
        position_id      uint     entity=stake_position
        owner            address  null keep entity=account
        amount           uint     null keep
        lock_days        int      null keep
        apr_bp           uint     null keep
        unlock_time      uint     null keep
        status           text     null
        rewards_claimed  uint     counter
        opened_block     bigint   null keep
        closed_block     bigint   null
    """,
)
feed(stakes, "EST.Staked", unlock_time=F.unlock_at, status="open", opened_block=BLOCK)
# A claim's amount is its reward, not the position's: only the columns named are written.
feed(stakes, "EST.RewardClaimed", only=True, position_id=F.position_id, rewards_claimed=F.amount)
# Owner and amount (the principal) are the position's own: kept as created.
feed(stakes, "EST.Unstaked", status="closed", rewards_claimed=F.reward, closed_block=BLOCK)

stake_rewards_funded = append_table(
    "stake_rewards_funded",
    "EST RewardsFunded: every funding of the reward reserve.",
    columns="""
        funder   address  entity=account
        amount   uint
        reserve  uint
    """,
)
feed(stake_rewards_funded, "EST.RewardsFunded")

gems = latest_table(
    "gems",
    "EGM gem definitions: GemDefined (a redefinition keeps the expiry, as the contract does);"
    " GemExpirySet sets expires_at, NULL until first set.",
    key="gem_id",
    columns="""
        gem_id        uint  entity=gem
        cap           uint  null
        min_score_bp  int   null
        price_gst     uint  null
        uri           text  null
        expires_at    uint  null
    """,
)
feed(gems, "EGM.GemDefined", gem_id=F.id)
feed(gems, "EGM.GemExpirySet", gem_id=F.id)

gem_claims = append_table(
    "gem_claims",
    "EGM GemClaimed: gems claimed by score level.",
    columns="""
        account  address  entity=account
        gem_id   uint     entity=gem
        score    int
    """,
)
feed(gem_claims, "EGM.GemClaimed", gem_id=F.id)

gem_purchases = append_table(
    "gem_purchases",
    "EGM GemBought: gems bought with GST.",
    columns="""
        buyer     address  entity=account
        gem_id    uint     entity=gem
        amount    uint
        cost_gst  uint
    """,
)
feed(gem_purchases, "EGM.GemBought", gem_id=F.id)
