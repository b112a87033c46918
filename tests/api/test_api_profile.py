"""The unified profile equals what the chain says, through either cache backend."""

from __future__ import annotations

import pytest

PERSONAS = ("admin", "alice", "bob", "carol", "oracle", "auditor")
ERC20 = ("GST", "ECT", "EST", "AET")


def _balance(profile: dict, symbol: str, token_id: str | None = None) -> int:
    return sum(
        int(b["amount"])
        for b in profile["balances"]
        if b["token"] == symbol and (token_id is None or b["token_id"] == token_id)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_profile_equals_chain(any_api, world, persona):
    d = world.deployment
    who = getattr(world.who, persona)
    r = any_api.get(f"/api/v1/esg/unified-profile/{who.address}")
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["address"] == who.address
    assert p["read_at"][0]["chain_id"] == world.chain_id

    for symbol in ERC20:
        assert _balance(p, symbol) == d[symbol].balanceOf(who), symbol
    for batch in (world.ids["batch_verra"], world.ids["batch_gold"]):
        assert _balance(p, "CCR", str(batch)) == d["CCR"].balanceOf(who, batch)
    for gem in (1, 2, 3):
        assert _balance(p, "EGM", str(gem)) == d["EGM"].balanceOf(who, gem)
        held = [g for g in p["gems"] if g["gem_id"] == str(gem)]
        assert sum(int(g["amount"]) for g in held) == d["EGM"].balanceOf(who, gem)
        if held:
            assert held[0]["claimed"] == d["EGM"].claimed(gem, who)
    assert _balance(p, "ECR") == d["ECR"].balanceOf(who)
    assert _balance(p, "ECS") == d["ECS"].balanceOf(who)

    score, e, s, g, version, evidence, updated = d["ECS"].score_details(who)
    if updated == 0:
        assert p["scores"] == []
    else:
        (sc,) = p["scores"]
        assert (sc["score"], sc["environmental"], sc["social"], sc["governance"]) == (
            score,
            e,
            s,
            g,
        )
        assert sc["methodology_version"] == version
        assert sc["evidence_hash"] == "0x" + bytes(evidence).hex()
        assert sc["updated_at"] == updated

    stakes = {int(k["position_id"]): k for k in p["stakes"]}
    for pid in range(1, d["EST"].next_position_id()):
        pos = d["EST"].positions(pid)
        if pos.owner != who.address:
            assert pid not in stakes
            continue
        k = stakes[pid]
        assert int(k["amount"]) == pos.amount and k["lock_days"] == pos.lock_days
        assert int(k["unlock_time"]) == pos.unlock_at
        assert (k["status"] == "open") == pos.open
    owned_certs = {int(c["token_id"]) for c in p["certificates"] if c["owner"] == who.address}
    for cid in owned_certs:
        assert d["ECR"].ownerOf(cid) == who.address


def test_profile_sections_from_the_scenario(api, world):
    """The scenario's retirements, certificates and audit show up where they belong."""
    alice = api.get(f"/api/v1/esg/unified-profile/{world.who.alice.address}").json()
    carol = api.get(f"/api/v1/esg/unified-profile/{world.who.carol.address}").json()
    assert str(world.ids["cert_alice"]) in {c["token_id"] for c in alice["certificates"]}
    assert str(world.ids["cert_carol"]) in {c["token_id"] for c in carol["certificates"]}
    assert {r["amount"] for r in alice["retirements"]} >= {"250"}
    assert any(a["auditor"] == world.who.auditor.address for a in carol["ai_audits"])
    assert str(world.ids["position"]) in {k["position_id"] for k in alice["stakes"]}


def test_profile_of_unknown_address_is_empty(api):
    r = api.get("/api/v1/esg/unified-profile/0x" + "ab" * 20)
    assert r.status_code == 200
    p = r.json()
    assert p["balances"] == [] and p["scores"] == [] and p["stakes"] == []
