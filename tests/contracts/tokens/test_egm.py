"""EcoGem (EGM): gem definitions, score claims, GST purchases, caps, burns, pause, transfers."""

import ape
import pytest
from eth_utils import keccak

UNIT = 10**18
PRICE = 25 * UNIT
CLAIM_GEM = 1  # claimable at score >= 7000, not for sale
SALE_GEM = 2  # for sale, not claimable
BOTH_GEM = 3  # claimable at 5000 and for sale
ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def gems(egm, ecs, gst, admin, oracle, alice, bob):
    egm.define_gem(CLAIM_GEM, 2, 7000, 0, "ipfs://gold", sender=admin)
    egm.define_gem(SALE_GEM, 10, 0, PRICE, "ipfs://emerald", sender=admin)
    egm.define_gem(BOTH_GEM, 5, 5000, PRICE, "ipfs://jade", sender=admin)
    evidence = keccak(text="e")
    ecs.set_score(alice, 9000, 9000, 9000, 1, evidence, sender=oracle)  # 9000
    ecs.set_score(bob, 6000, 6000, 6000, 1, evidence, sender=oracle)  # 6000
    for holder in (alice, bob):
        gst.mint(holder, 1_000 * UNIT, sender=admin)
        gst.approve(egm, 2**256 - 1, sender=holder)
    return egm


def test_constructor(egm, gst, ecs, treasury, admin):
    assert egm.GST() == gst.address
    assert egm.ECS() == ecs.address
    assert egm.treasury() == treasury
    assert egm.hasRole(egm.DEFAULT_ADMIN_ROLE(), admin)
    assert not egm.paused()


def test_constructor_zero_treasury(project, gst, ecs, admin):
    with ape.reverts("egm: zero treasury"):
        project.EGM.deploy(gst, ecs, ZERO, sender=admin)


def test_owner_minting_is_not_exposed(egm):
    for name in (
        "safe_mint",
        "safe_mint_batch",
        "set_minter",
        "set_uri",
        "burn_batch",
        "transfer_ownership",
        "renounce_ownership",
        "owner",
    ):
        assert not hasattr(egm, name)


def test_supports_interface(egm):
    for iid in ("0x01ffc9a7", "0xd9b67a26", "0x0e89341c", "0x7965db0b"):
        assert egm.supportsInterface(iid)
    assert not egm.supportsInterface("0xffffffff")


def test_define_gem(egm, admin):
    tx = egm.define_gem(9, 100, 4200, 3 * UNIT, "ipfs://ruby", sender=admin)
    gem = egm.gems(9)
    assert (gem.cap, gem.minted, gem.min_score_bp, gem.price_gst, gem.expires_at, gem.defined) == (
        100,
        0,
        4200,
        3 * UNIT,
        0,
        True,
    )
    assert egm.uri(9) == "ipfs://ruby"
    ev = tx.decode_logs(egm.GemDefined)[0]
    assert (ev.id, ev.cap, ev.min_score_bp, ev.price_gst, ev.uri) == (
        9,
        100,
        4200,
        3 * UNIT,
        "ipfs://ruby",
    )
    assert tx.decode_logs(egm.URI)[0]._value == "ipfs://ruby"


def test_define_gem_reverts(gems, admin, alice):
    with ape.reverts("egm: min score out of range"):
        gems.define_gem(9, 1, 10001, 0, "", sender=admin)
    gems.claim(CLAIM_GEM, sender=alice)
    with ape.reverts("egm: cap below minted"):
        gems.define_gem(CLAIM_GEM, 0, 7000, 0, "ipfs://gold", sender=admin)


def test_redefine_keeps_minted(gems, admin, alice):
    gems.claim(CLAIM_GEM, sender=alice)
    gems.define_gem(CLAIM_GEM, 1, 8000, 0, "ipfs://gold2", sender=admin)
    gem = gems.gems(CLAIM_GEM)
    assert gem.minted == 1 and gem.cap == 1 and gem.min_score_bp == 8000
    assert gems.uri(CLAIM_GEM) == "ipfs://gold2"


def test_claim(gems, ecs, alice):
    tx = gems.claim(CLAIM_GEM, sender=alice)
    print(f"\nEGM gas: claim {tx.gas_used}")
    assert gems.balanceOf(alice, CLAIM_GEM) == 1
    assert gems.claimed(CLAIM_GEM, alice)
    assert gems.gems(CLAIM_GEM).minted == 1
    assert gems.total_supply(CLAIM_GEM) == 1
    ev = tx.decode_logs(gems.GemClaimed)[0]
    assert ev.account == alice and ev.id == CLAIM_GEM and ev.score == ecs.score_of(alice)
    mint = tx.decode_logs(gems.TransferSingle)[0]
    assert mint._from == ZERO and mint._to == alice and mint._id == CLAIM_GEM and mint._value == 1


def test_claim_once(gems, alice):
    gems.claim(CLAIM_GEM, sender=alice)
    with ape.reverts("egm: already claimed"):
        gems.claim(CLAIM_GEM, sender=alice)


def test_claim_once_even_after_burn(gems, alice):
    gems.claim(CLAIM_GEM, sender=alice)
    gems.burn(CLAIM_GEM, 1, sender=alice)
    with ape.reverts("egm: already claimed"):
        gems.claim(CLAIM_GEM, sender=alice)


def test_claim_score_too_low(gems, bob, mallory):
    with ape.reverts("egm: score too low"):
        gems.claim(CLAIM_GEM, sender=bob)  # 6000 < 7000
    with ape.reverts("egm: score too low"):
        gems.claim(BOTH_GEM, sender=mallory)  # never scored
    gems.claim(BOTH_GEM, sender=bob)  # 6000 >= 5000
    assert gems.balanceOf(bob, BOTH_GEM) == 1


def test_claim_at_exact_threshold(gems, ecs, oracle, carol):
    ecs.set_score(carol, 7000, 7000, 7000, 1, keccak(text="e"), sender=oracle)
    assert ecs.score_of(carol) == 7000
    gems.claim(CLAIM_GEM, sender=carol)
    assert gems.balanceOf(carol, CLAIM_GEM) == 1


def test_claim_unknown_and_not_claimable(gems, alice):
    with ape.reverts("egm: unknown gem"):
        gems.claim(77, sender=alice)
    with ape.reverts("egm: not claimable"):
        gems.claim(SALE_GEM, sender=alice)


def test_claim_cap(gems, ecs, oracle, alice, carol, mallory):
    for account in (carol, mallory):
        ecs.set_score(account, 9000, 9000, 9000, 1, keccak(text="e"), sender=oracle)
    gems.claim(CLAIM_GEM, sender=alice)
    gems.claim(CLAIM_GEM, sender=carol)
    with ape.reverts("egm: cap exceeded"):
        gems.claim(CLAIM_GEM, sender=mallory)


def test_buy(gems, gst, alice, treasury):
    before = gst.balanceOf(alice)
    tx = gems.buy(SALE_GEM, 3, sender=alice)
    print(f"\nEGM gas: buy {tx.gas_used}")
    assert gems.balanceOf(alice, SALE_GEM) == 3
    assert gst.balanceOf(treasury) == 3 * PRICE
    assert gst.balanceOf(alice) == before - 3 * PRICE
    assert gems.gems(SALE_GEM).minted == 3
    ev = tx.decode_logs(gems.GemBought)[0]
    assert ev.buyer == alice and ev.id == SALE_GEM and ev.amount == 3 and ev.cost_gst == 3 * PRICE


def test_buy_reverts(gems, alice, mallory):
    refused = [
        (alice, 77, 1, "egm: unknown gem"),
        (alice, CLAIM_GEM, 1, "egm: not for sale"),
        (alice, SALE_GEM, 0, "egm: zero amount"),
        (alice, SALE_GEM, 11, "egm: cap exceeded"),
        (mallory, SALE_GEM, 1, "erc20: insufficient allowance"),  # mallory approved nothing
    ]
    for buyer, gem, amount, reason in refused:
        with ape.reverts(reason):
            gems.buy(gem, amount, sender=buyer)


def test_buy_cap_counts_claims(gems, alice, bob):
    gems.claim(BOTH_GEM, sender=alice)
    gems.buy(BOTH_GEM, 4, sender=bob)
    with ape.reverts("egm: cap exceeded"):
        gems.buy(BOTH_GEM, 1, sender=bob)


def test_buy_pays_new_treasury(gems, gst, admin, alice, mallory):
    tx = gems.set_treasury(mallory, sender=admin)
    ev = tx.decode_logs(gems.TreasuryChanged)[0]
    assert ev.new_treasury == mallory
    gems.buy(SALE_GEM, 1, sender=alice)
    assert gst.balanceOf(mallory) == PRICE
    with ape.reverts("egm: zero treasury"):
        gems.set_treasury(ZERO, sender=admin)


def test_burn(gems, alice, bob):
    gems.buy(SALE_GEM, 3, sender=alice)
    gems.buy(SALE_GEM, 2, sender=bob)
    tx = gems.burn(SALE_GEM, 2, sender=alice)
    assert gems.balanceOf(alice, SALE_GEM) == 1
    assert gems.total_supply(SALE_GEM) == 3
    assert gems.gems(SALE_GEM).minted == 5  # the cap counts units ever minted
    ev = tx.decode_logs(gems.TransferSingle)[0]
    assert ev._from == alice and ev._to == ZERO and ev._value == 2
    with ape.reverts("erc1155: burn amount exceeds balance"):
        gems.burn(SALE_GEM, 2, sender=alice)


def test_transfers(gems, alice, bob, carol):
    gems.buy(SALE_GEM, 4, sender=alice)
    gems.safeTransferFrom(alice, bob, SALE_GEM, 1, b"", sender=alice)
    assert gems.balanceOf(bob, SALE_GEM) == 1
    with ape.reverts("erc1155: caller is not token owner or approved"):
        gems.safeTransferFrom(alice, carol, SALE_GEM, 1, b"", sender=carol)
    gems.setApprovalForAll(carol, True, sender=alice)
    assert gems.isApprovedForAll(alice, carol)
    gems.safeBatchTransferFrom(alice, carol, [SALE_GEM], [2], b"", sender=carol)
    assert gems.balanceOf(carol, SALE_GEM) == 2
    assert gems.balanceOfBatch([alice, bob, carol], [SALE_GEM] * 3) == [1, 1, 2]
    with ape.reverts("erc1155: insufficient balance for transfer"):
        gems.safeTransferFrom(alice, bob, SALE_GEM, 2, b"", sender=alice)
    with ape.reverts("erc1155: caller is not token owner or approved"):
        gems.safeBatchTransferFrom(bob, carol, [SALE_GEM], [1], b"", sender=carol)


def test_pause_blocks_claim_buy_transfers(gems, pauser, alice, bob):
    gems.buy(SALE_GEM, 2, sender=alice)
    gems.pause(sender=pauser)
    assert gems.paused()
    with ape.reverts("pausable: contract is paused"):
        gems.claim(CLAIM_GEM, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        gems.buy(SALE_GEM, 1, sender=alice)
    with ape.reverts("pausable: contract is paused"):
        gems.safeTransferFrom(alice, bob, SALE_GEM, 1, b"", sender=alice)
    with ape.reverts("pausable: contract is paused"):
        gems.safeBatchTransferFrom(alice, bob, [SALE_GEM], [1], b"", sender=alice)
    gems.burn(SALE_GEM, 1, sender=alice)  # holders may always destroy their own gems
    gems.unpause(sender=pauser)
    gems.claim(CLAIM_GEM, sender=alice)
    gems.safeTransferFrom(alice, bob, SALE_GEM, 1, b"", sender=alice)
    assert gems.balanceOf(bob, SALE_GEM) == 1


# --- expiry and the annual burn ----------------------------------------------------------------


def test_set_expiry(gems, admin, chain):
    expires_at = chain.pending_timestamp + 365 * 86_400
    tx = gems.set_expiry(SALE_GEM, expires_at, sender=admin)
    ev = tx.decode_logs(gems.GemExpirySet)[0]
    assert ev.id == SALE_GEM and ev.expires_at == expires_at
    assert gems.gems(SALE_GEM).expires_at == expires_at
    assert not gems.is_expired(SALE_GEM)
    gems.set_expiry(SALE_GEM, 0, sender=admin)  # cleared
    assert gems.gems(SALE_GEM).expires_at == 0


def test_set_expiry_reverts(gems, admin, chain):
    with ape.reverts("egm: unknown gem"):
        gems.set_expiry(77, chain.pending_timestamp + 100, sender=admin)
    with ape.reverts("egm: expiry in the past"):
        gems.set_expiry(SALE_GEM, chain.pending_timestamp - 1, sender=admin)
    expires_at = chain.pending_timestamp + 100
    gems.set_expiry(SALE_GEM, expires_at, sender=admin)
    chain.mine(timestamp=expires_at)
    with ape.reverts("egm: gem expired"):
        gems.set_expiry(SALE_GEM, 0, sender=admin)


def test_redefine_keeps_expiry(gems, admin, chain):
    expires_at = chain.pending_timestamp + 1000
    gems.set_expiry(SALE_GEM, expires_at, sender=admin)
    gems.define_gem(SALE_GEM, 20, 0, PRICE, "ipfs://emerald", sender=admin)
    assert gems.gems(SALE_GEM).expires_at == expires_at


def test_expired_gem_is_frozen_then_burned(gems, admin, chain, alice, bob, mallory):
    gems.buy(SALE_GEM, 3, sender=alice)
    gems.buy(SALE_GEM, 2, sender=bob)
    gems.claim(BOTH_GEM, sender=alice)
    expires_at = chain.pending_timestamp + 365 * 86_400
    gems.set_expiry(SALE_GEM, expires_at, sender=admin)
    gems.set_expiry(BOTH_GEM, expires_at, sender=admin)
    with ape.reverts("egm: gem not expired"):
        gems.burn_expired(SALE_GEM, [alice, bob], sender=mallory)

    chain.mine(timestamp=expires_at)
    assert gems.is_expired(SALE_GEM)
    with ape.reverts("egm: gem expired"):
        gems.buy(SALE_GEM, 1, sender=alice)
    with ape.reverts("egm: gem expired"):
        gems.claim(BOTH_GEM, sender=bob)
    with ape.reverts("egm: gem expired"):
        gems.safeTransferFrom(alice, bob, SALE_GEM, 1, b"", sender=alice)
    with ape.reverts("egm: gem expired"):
        gems.safeBatchTransferFrom(alice, bob, [SALE_GEM], [1], b"", sender=alice)

    # Anyone may run the burn; holders without a balance are skipped.
    tx = gems.burn_expired(SALE_GEM, [alice, bob, mallory], sender=mallory)
    burns = tx.decode_logs(gems.TransferSingle)
    assert [(b._from, b._to, b._value) for b in burns] == [(alice, ZERO, 3), (bob, ZERO, 2)]
    assert gems.balanceOf(alice, SALE_GEM) == 0 and gems.balanceOf(bob, SALE_GEM) == 0
    assert gems.total_supply(SALE_GEM) == 0
    assert gems.balanceOf(alice, BOTH_GEM) == 1  # other ids untouched until their own burn


def test_burn_expired_requires_schedule(gems, alice, mallory):
    with ape.reverts("egm: gem not expired"):
        gems.burn_expired(SALE_GEM, [alice], sender=mallory)
    with ape.reverts("egm: unknown gem"):
        gems.burn_expired(77, [alice], sender=mallory)
