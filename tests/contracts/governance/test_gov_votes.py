"""The vote-clock views GST and EST share: past lookups answer only for blocks already mined."""

import ape
import pytest


@pytest.mark.parametrize("token", ["gst", "est"])
def test_past_lookups_reject_future(gst, est, token, chain, alice):
    votes = {"gst": gst, "est": est}[token]
    now = chain.blocks.head.number
    with ape.reverts(f"{token}: future lookup"):
        votes.getPastVotes(alice, now + 1)
    with ape.reverts(f"{token}: future lookup"):
        votes.getPastTotalSupply(now + 1)
