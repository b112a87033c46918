"""Rewards and holdings: ECT rewarded actions, EST stake positions, EGM gems."""

from __future__ import annotations

from indexer.projections import BLOCK, F, feed
from indexer.projections.schema import append_table, latest_table

ect_actions = append_table(
    "ect_actions",
    "ECT ActionRewarded: one row per rewarded action.",
    columns="""
        recipient  address  entity=account  # who was rewarded
        action_id  bytes    entity=action   # the verified action (unique)
        amount     uint                     # ECT minted
        epoch      uint                     # the epoch of the mint cap
    """,
)
feed(ect_actions, "ECT.ActionRewarded", recipient=F.to)

stakes = latest_table(
    "stakes",
    "EST positions: Staked opens one ('open'), Unstaked closes it ('closed', its reward added to"
    " rewards_claimed), RewardClaimed adds to rewards_claimed.",
    columns="""
        position_id      uint     entity=stake_position     # the position's id
        owner            address  null keep entity=account  # who staked
        amount           uint     null keep                 # GST staked
        lock_days        int      null keep                 # lock period, days
        apr_bp           uint     null keep                 # reward rate, bp a year
        unlock_time      uint     null keep                 # unix time the lock ends
        status           text     null                      # open or closed
        rewards_claimed  uint     counter                   # GST rewards paid so far
        opened_block     bigint   null keep                 # block of Staked
        closed_block     bigint   null                      # block of Unstaked
    """,
    key="position_id",
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
        funder   address  entity=account  # who funded
        amount   uint                     # GST added
        reserve  uint                     # the reserve after it
    """,
)
feed(stake_rewards_funded, "EST.RewardsFunded")

gems = latest_table(
    "gems",
    "EGM gem definitions: GemDefined (a redefinition keeps the expiry, as the contract does);"
    " GemExpirySet sets expires_at, NULL until first set.",
    columns="""
        gem_id        uint  entity=gem  # the ERC-1155 id
        cap           uint  null        # most that can exist
        min_score_bp  int   null        # ECS score a claim needs
        price_gst     uint  null        # price in GST
        uri           text  null        # metadata URI
        expires_at    uint  null        # unix time it expires (0: never)
    """,
    key="gem_id",
)
feed(gems, "EGM.GemDefined", "EGM.GemExpirySet", gem_id=F.id)

gem_claims = append_table(
    "gem_claims",
    "EGM GemClaimed: gems claimed by score level.",
    columns="""
        account  address  entity=account  # who claimed
        gem_id   uint     entity=gem      # the gem
        score    int                      # their ECS score then
    """,
)
feed(gem_claims, "EGM.GemClaimed", gem_id=F.id)

gem_purchases = append_table(
    "gem_purchases",
    "EGM GemBought: gems bought with GST.",
    columns="""
        buyer     address  entity=account  # who bought
        gem_id    uint     entity=gem      # the gem
        amount    uint                     # gems bought
        cost_gst  uint                     # GST paid
    """,
)
feed(gem_purchases, "EGM.GemBought", gem_id=F.id)
