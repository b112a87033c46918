"""Proposal states: the API derives Governor.state at the block it reads (Pending, Active,
Canceled, Defeated, Succeeded, Queued, Executed, quorum included) and filters by it."""

from __future__ import annotations

from eth_utils import keccak

from esg.scenario import _advance
from tests.support import indexing

STATES = {0: "Pending", 1: "Active", 2: "Canceled", 3: "Defeated", 4: "Succeeded", 5: "Queued"}
STATES[7] = "Executed"


def test_every_state_as_the_governor_reports_it(world, chain, serve_api):
    """On a database of its own: the proposals made here are reverted on the chain after the
    test, which the shared database must not see."""
    d, who = world.deployment, world.who
    gov, est = d["Governor"], d["EST"]
    delay, period = gov.voting_delay(), gov.voting_period()
    made: dict[str, int] = {}

    def propose(name: str) -> tuple:
        call = ([est.address], [0], [est.set_bonus.encode_input(7_000, len(made) + 1)])
        description = f"state test: {name}"
        tx = gov.propose(*call, description, sender=who.alice)
        made[name] = tx.return_value
        return (*call, keccak(text=description), who.alice)

    propose("succeeds")
    queue = propose("queued")
    propose("defeated")
    propose("no quorum")
    propose("canceled")
    gov.cancel(made["canceled"], sender=who.alice)
    _advance(chain.provider, blocks=delay + 1)
    gov.castVote(made["succeeds"], 1, sender=who.alice)
    gov.castVote(made["queued"], 1, sender=who.alice)
    gov.castVote(made["defeated"], 0, sender=who.alice)
    gov.castVote(made["defeated"], 1, sender=who.bob)
    _advance(chain.provider, blocks=period + 1)
    gov.queue(*queue, sender=who.alice)
    propose("active")
    _advance(chain.provider, blocks=delay + 2)
    propose("pending")
    _advance(chain.provider, blocks=1)

    db_url = indexing.new_database("apigov")
    try:
        indexing.index_once(db_url, world.manifest, world.chain_id)
        api = serve_api(database_url=db_url)
        api.wait_head(world.chain_id, chain.blocks.head.number)
        seen = {}
        for name, pid in {**made, "executed": world.ids["proposal"]}.items():
            body = api.get(f"/api/v1/governance/proposals/{world.chain_id}/{pid}").json()
            assert body["read_at"][0]["block"] == chain.blocks.head.number
            seen[name] = body["proposal"]["state"]
            assert seen[name] == STATES[gov.state(pid)], name
        assert seen == {
            "succeeds": "Succeeded",
            "queued": "Queued",
            "defeated": "Defeated",
            "no quorum": "Defeated",
            "canceled": "Canceled",
            "active": "Active",
            "pending": "Pending",
            "executed": "Executed",
        }
        for state in set(seen.values()):
            listed = api.get("/api/v1/governance/proposals", params={"state": state}).json()
            assert {p["proposal_id"] for p in listed["items"]} == {
                str(made.get(n, world.ids["proposal"])) for n, s in seen.items() if s == state
            }
    finally:
        indexing.drop_database(db_url)
