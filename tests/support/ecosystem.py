"""Helpers of the token projection tests: random ecosystem activity and the
comparison of the token tables with the contracts' own state."""

from __future__ import annotations

import random
from collections import defaultdict

from ape.exceptions import ContractLogicError
from eth_utils import keccak

from esg.deploy import WAD, Deployment, record
from esg.manifest import Manifest
from esg.personas import Personas
from esg.scenario import _advance, registry_id
from esg.signing import Attestation, sign_attestation
from indexer.projections.schema import TABLES
from tests.support import indexing as helpers

# Governor.state by the proposals table's status ("created": pending, active, defeated, succeeded).
STATE_OF_STATUS = {"created": {0, 1, 3, 4}, "canceled": {2}, "queued": {5}, "executed": {7}}


def write_manifest(path, d: Deployment, chain_id: int, rpc_url: str):
    record(
        Manifest(path=path), d, chain_id=chain_id, network="ethereum:local:foundry", rpc_url=rpc_url
    )
    return path


def _addr(a) -> bytes:
    return bytes.fromhex(str(a)[2:])


def _hex(b: bytes) -> str:
    return "0x" + b.hex()


class Activity:
    """Random valid transactions across the tokens; a reverted pick is skipped."""

    def __init__(self, d: Deployment, who: Personas, provider, accounts, seed: int) -> None:
        self.d = d
        self.who = who
        self.provider = provider
        self.rng = random.Random(seed)
        self.people = [who.admin, who.alice, who.bob, who.carol]
        self.nonce = 10_000 + seed * 1_000
        # The timelock holds DEFAULT_ADMIN_ROLE after the deploy (gem definitions, allowlist).
        self.timelock = accounts[d["Timelock"].address]
        provider.set_balance(self.timelock.address, 10**21)
        self.counts: dict[str, int] = defaultdict(int)

    def run(self, n: int) -> None:
        kinds = [k for k in dir(self) if k.startswith("do_")]
        done = 0
        while done < n:
            kind = self.rng.choice(kinds)
            try:
                getattr(self, kind)()
            except ContractLogicError:
                continue
            self.counts[kind] += 1
            done += 1

    def _pick(self, exclude=None):
        return self.rng.choice([p for p in self.people if p != exclude])

    def _ids(self, token, count_fn) -> list[int]:
        return list(range(1, count_fn() + 1))

    def do_gst_transfer(self):
        a = self._pick()
        b = self._pick(a)
        bal = self.d["GST"].balanceOf(a)
        self.d["GST"].transfer(b, self.rng.randint(0, bal // 10 + 1), sender=a)

    def do_gst_mint(self):
        self.d["GST"].mint(self._pick(), self.rng.randint(1, 5_000) * WAD, sender=self.who.admin)

    def do_ect_action(self):
        self.nonce += 1
        self.d["ECT"].mint_for_action(
            self._pick(),
            self.rng.randint(1, 50) * WAD,
            keccak(text=f"action:{self.nonce}"),
            sender=self.who.oracle,
        )

    def do_ect_transfer(self):
        a = self._pick()
        bal = self.d["ECT"].balanceOf(a)
        self.d["ECT"].transfer(self._pick(a), self.rng.randint(0, bal), sender=a)

    def do_ccr_tokenize(self):
        ccr = self.d["CCR"]
        registry = registry_id(ccr, "VERRA")
        start = max(900_001, ccr.next_serial(registry))
        size = self.rng.randint(1, 300)
        ccr.tokenize(
            self._pick(),
            registry,
            f"T-{self.nonce}",
            2020 + self.rng.randint(0, 5),
            "VM0001",
            start,
            start + size - 1,
            "",
            sender=self.who.admin,
        )

    def _holding(self):
        ccr = self.d["CCR"]
        pairs = [
            (p, i)
            for p in self.people
            for i in range(1, ccr.batch_count() + 1)
            if ccr.balanceOf(p, i) > 0
        ]
        return self.rng.choice(pairs) if pairs else (None, None)

    def do_ccr_transfer(self):
        p, i = self._holding()
        if p is None:
            return
        amount = self.rng.randint(1, self.d["CCR"].balanceOf(p, i))
        self.d["CCR"].safeTransferFrom(p, self._pick(p), i, amount, b"", sender=p)

    def do_ccr_retire(self):
        p, i = self._holding()
        if p is None:
            return
        amount = self.rng.randint(1, self.d["CCR"].balanceOf(p, i))
        self.d["CCR"].retire(i, amount, self._pick(), f"retirement {self.nonce}", sender=p)

    def do_ccr_invalidate(self):
        p, i = self._holding()
        if p is None:
            return
        self.d["CCR"].invalidate(i, p, 1, "double counted", sender=self.who.verifier)

    def do_ccr_allowlist(self):
        self.d["CCR"].set_allowed(self._pick(), self.rng.random() < 0.7, sender=self.who.verifier)

    def do_ccr_compliance(self):
        # Mostly off, so that transfers keep working for accounts not on the allowlist.
        self.d["CCR"].set_compliance(self.rng.random() < 0.3, sender=self.timelock)

    def do_ecs_score(self):
        r = self.rng.randint
        self.nonce += 1
        self.d["ECS"].set_score(
            self._pick(),
            r(0, 10_000),
            r(0, 10_000),
            r(0, 10_000),
            r(1, 3),
            keccak(text=f"evidence:{self.nonce}"),
            sender=self.who.oracle,
        )

    def do_ecs_metric(self):
        ecs = self.d["ECS"]
        self.nonce += 1
        tx = ecs.record_metric(
            self._pick(),
            keccak(text=self.rng.choice(["co2", "water"])),
            self.rng.randint(-(10**20), 10**21),
            "t",
            keccak(text=f"m:{self.nonce}"),
            sender=self.who.oracle,
        )
        if self.rng.random() < 0.5:
            ecs.verify_metric(tx.return_value, sender=self.who.verifier)

    def do_ecs_verify(self):
        ecs = self.d["ECS"]
        open_ = [i for i in range(1, ecs.metric_count() + 1) if not ecs.metrics(i).verified]
        if open_:
            ecs.verify_metric(self.rng.choice(open_), sender=self.who.verifier)

    def do_est_stake(self):
        p = self._pick()
        amount = self.rng.randint(1, 1_000) * WAD
        self.d["GST"].approve(self.d["EST"], amount, sender=p)
        self.d["EST"].stake(amount, self.rng.randint(7, 40), sender=p)

    def _positions(self, open_only: bool):
        est = self.d["EST"]
        out = []
        for i in range(1, est.next_position_id()):
            pos = est.positions(i)
            if pos.open or not open_only:
                out.append((i, pos))
        return out

    def _later_position(self, days: tuple[int, int], open_only: bool) -> tuple:
        """(position id, owner) of a random position, some days later; (None, None) if none."""
        _advance(self.provider, seconds=self.rng.randint(*days) * 86_400)
        positions = self._positions(open_only)
        if not positions:
            return None, None
        i, pos = self.rng.choice(positions)
        return i, self._account(pos.owner)

    def do_est_claim(self):
        i, owner = self._later_position((1, 20), open_only=False)
        if owner is not None:
            self.d["EST"].claim(i, sender=owner)

    def do_est_unstake(self):
        i, owner = self._later_position((5, 40), open_only=True)
        if owner is not None:
            self.d["EST"].unstake(i, sender=owner)

    def do_est_fund(self):
        amount = self.rng.randint(1, 500) * WAD
        self.d["GST"].approve(self.d["EST"], amount, sender=self.who.admin)
        self.d["EST"].fund_rewards(amount, sender=self.who.admin)

    def _account(self, address):
        return next(p for p in self.people if p.address == address)

    def do_egm_buy(self):
        p = self._pick()
        self.d["GST"].approve(self.d["EGM"], 5_000 * WAD, sender=p)
        self.d["EGM"].buy(3, self.rng.randint(1, 3), sender=p)

    def do_egm_claim(self):
        self.d["EGM"].claim(self.rng.choice([1, 2]), sender=self._pick())

    def do_egm_transfer(self):
        egm = self.d["EGM"]
        pairs = [(p, i) for p in self.people for i in (1, 2, 3) if egm.balanceOf(p, i) > 0]
        if pairs:
            p, i = self.rng.choice(pairs)
            egm.safeTransferFrom(p, self._pick(p), i, 1, b"", sender=p)

    def do_egm_define(self):
        egm = self.d["EGM"]
        gem_id = self.rng.choice([3, 4, 5])
        if gem_id > 3 or self.rng.random() < 0.5:
            egm.define_gem(
                gem_id,
                10_000,
                0,
                self.rng.randint(1, 9) * WAD,
                f"https://esg.example/gems/{gem_id}-{self.nonce}.json",
                sender=self.timelock,
            )
        else:
            ts = self.provider.get_block("latest").timestamp
            egm.set_expiry(
                gem_id, self.rng.choice([0, ts + 10 * 365 * 86_400]), sender=self.timelock
            )

    def do_ecr_certificate(self):
        ecr = self.d["ECR"]
        self.nonce += 1
        to = self._pick()
        tx = ecr.mint_certificate(
            to,
            1,
            self.rng.randint(1, 100),
            keccak(text=f"c:{self.nonce}"),
            "manual",
            self.rng.random() < 0.3,
            sender=self.who.admin,
        )
        if not ecr.locked(tx.return_value):
            ecr.transferFrom(to, self._pick(to), tx.return_value, sender=to)

    def do_aet_audit(self):
        aet = self.d["AET"]
        self.nonce += 1
        r = self.rng.randint
        att = Attestation(
            recipient=str(self._pick().address),
            model_id=keccak(text=f"model:{r(1, 3)}"),
            transparency=r(0, 1000),
            bias=r(0, 1000),
            human_alignment=r(0, 1000),
            environmental_impact=r(0, 1000),
            energy_kwh=r(0, 10**6),
            kg_co2e=r(0, 10**6),
            nonce=self.nonce,
            deadline=self.provider.get_block("latest").timestamp + 3_600,
        )
        sig = sign_attestation(
            self.who.auditor.private_key, att, chain_id=self.provider.chain_id, aet=str(aet.address)
        )
        aet.mint_with_attestation(*att.args(), sig, sender=self.who.carol)

    def do_governance(self):
        gov = self.d["Governor"]
        est = self.d["EST"]
        self.nonce += 1
        calldata = est.set_bonus.encode_input(7_000 + self.rng.randint(0, 2_000), 300)
        tx = gov.propose(
            [est.address], [0], [calldata], f"Bonus change {self.nonce}", sender=self.who.alice
        )
        pid = tx.return_value
        _advance(self.provider, blocks=gov.voting_delay() + 1)
        for voter in (self.who.alice, self.who.bob):
            if self.rng.random() < 0.8:
                gov.castVote(pid, self.rng.choice([0, 1, 2]), sender=voter)


def assert_matches_chain(url: str, d: Deployment, chain_id: int, holders) -> dict[str, int]:
    """Every token table equals what the contracts say; returns row counts per table."""
    q = helpers.query
    addr = {name: _addr(c.address) for name, c in d.contracts.items()}
    holders = [str(h.address) if hasattr(h, "address") else str(h) for h in holders]
    counts = {
        t: q(url, f"SELECT count(*) FROM {t} WHERE chain_id = $1", chain_id)[0][0] for t in TABLES
    }

    # Balances and supplies, every holder and id seen on the chain or in the database.
    rows = q(
        url, "SELECT token, token_id, holder, amount FROM balances WHERE chain_id = $1", chain_id
    )
    db_bal = {(bytes(r[0]), int(r[1]), bytes(r[2])): int(r[3]) for r in rows}
    erc20 = ("GST", "ECT", "AET", "EST")
    for name in erc20:
        for h in holders:
            assert db_bal.get((addr[name], 0, _addr(h)), 0) == d[name].balanceOf(h), (name, h)
        supply = q(
            url,
            "SELECT supply FROM supplies WHERE chain_id = $1 AND token = $2 AND token_id = 0",
            chain_id,
            addr[name],
        )
        assert (int(supply[0][0]) if supply else 0) == d[name].totalSupply(), name
    for (token, token_id, holder), amount in db_bal.items():
        name = next(n for n, a in addr.items() if a == token)
        if name in erc20:
            assert amount == d[name].balanceOf(_hex(holder)), (name, holder)
        elif name in ("CCR", "EGM"):
            assert amount == d[name].balanceOf(_hex(holder), token_id), (name, token_id, holder)
        elif name == "ECR":
            # A row stays at 0 for a former owner; the owner's row holds 1.
            assert amount in (0, 1)
            if amount == 1:
                assert str(d["ECR"].ownerOf(token_id)).lower() == _hex(holder), token_id
        else:
            raise AssertionError(f"unexpected balance row for {name}")
    for name in ("CCR", "EGM"):
        ids = {k[1] for k in db_bal if k[0] == addr[name]}
        for i in ids:
            for h in holders:
                assert db_bal.get((addr[name], i, _addr(h)), 0) == d[name].balanceOf(h, i)
            s = q(
                url,
                "SELECT supply FROM supplies WHERE chain_id = $1 AND token = $2 AND token_id = $3",
                chain_id,
                addr[name],
                i,
            )
            assert (int(s[0][0]) if s else 0) == d[name].total_supply(i), (name, i)

    # Carbon batches.
    ccr = d["CCR"]
    batches = q(url, "SELECT * FROM carbon_batches WHERE chain_id = $1", chain_id)
    assert len(batches) == ccr.batch_count()
    for r in batches:
        b = ccr.batch(int(r["batch_id"]))
        assert (r["registry"], r["project_id"], r["vintage"], r["methodology"]) == (
            ccr.registry_name(b.registry_id),
            b.project_id,
            b.vintage,
            b.methodology,
        )
        assert int(r["serial_start"]) == b.serial_start and int(r["serial_end"]) == b.serial_end
        assert int(r["registry_id"]) == b.registry_id and not r["bridged"]
        assert int(r["amount"]) == ccr.batch_amount(int(r["batch_id"]))
    registries = q(
        url, "SELECT registry_id, name FROM carbon_registries WHERE chain_id = $1", chain_id
    )
    assert registries and all(ccr.registry_name(int(i)) == name for i, name in registries)

    # Retirements and invalidations per (id, account).
    for table, col, fn in (
        ("retirements", "account", ccr.retired),
        ("invalidations", "holder", ccr.invalidated),
    ):
        sums = {
            (int(r[0]), bytes(r[1])): int(r[2])
            for r in q(
                url,
                f"SELECT batch_id, {col}, sum(amount) FROM {table} WHERE chain_id = $1"
                f" GROUP BY 1, 2",
                chain_id,
            )
        }
        for i in range(1, ccr.batch_count() + 1):
            for h in holders:
                assert sums.get((i, _addr(h)), 0) == fn(i, h), (table, i, h)
    allow = q(url, "SELECT account, allowed FROM ccr_allowlist WHERE chain_id = $1", chain_id)
    for r in allow:
        assert r["allowed"] == ccr.allowed(_hex(r["account"]))

    # Certificates: content, and the owner from the ERC-721 balance rows.
    ecr = d["ECR"]
    certs = q(
        url,
        "SELECT c.*, b.holder AS owner FROM certificates c LEFT JOIN balances b"
        " ON b.chain_id = c.chain_id AND b.token = c.contract AND b.token_id = c.token_id"
        " AND b.amount > 0 WHERE c.chain_id = $1",
        chain_id,
    )
    assert len(certs) == ecr.totalSupply()
    for r in certs:
        owner, tonnes, content_hash, soulbound = ecr.certificate(int(r["token_id"]))
        assert _hex(r["owner"]) == str(owner).lower()
        assert int(r["tonnes"]) == tonnes and bytes(r["content_hash"]) == bytes(content_hash)
        assert r["soulbound"] == soulbound
    retired_certs = q(
        url,
        "SELECT r.certificate_id, r.beneficiary, c.recipient FROM retirements"
        " r JOIN certificates c ON c.chain_id = r.chain_id AND c.token_id ="
        " r.certificate_id WHERE r.chain_id = $1",
        chain_id,
    )
    assert len(retired_certs) == counts["retirements"]
    assert all(bytes(r[1]) == bytes(r[2]) for r in retired_certs)

    # Scores.
    ecs = d["ECS"]
    scores = q(url, "SELECT * FROM scores WHERE chain_id = $1", chain_id)
    for h in holders:
        row = next((r for r in scores if bytes(r["account"]) == _addr(h)), None)
        details = ecs.score_details(h)
        if row is None:
            assert details[6] == 0, h
            continue
        assert (
            row["score"],
            row["environmental"],
            row["social"],
            row["governance"],
            row["methodology_version"],
        ) == tuple(details[:5]), h
        assert bytes(row["evidence_hash"]) == bytes(details[5])
        assert row["score"] == ecs.score_of(h)
    last = q(
        url,
        "SELECT DISTINCT ON (account) account, new_score FROM score_history WHERE"
        " chain_id = $1 ORDER BY account, block_number DESC, log_index DESC",
        chain_id,
    )
    assert {bytes(r[0]): r[1] for r in last} == {bytes(r["account"]): r["score"] for r in scores}

    # Metrics.
    metrics = q(url, "SELECT * FROM esg_metrics WHERE chain_id = $1", chain_id)
    assert len(metrics) == ecs.metric_count()
    for r in metrics:
        m = ecs.metrics(int(r["metric_id"]))
        assert _hex(r["account"]) == str(m.account).lower() and int(r["value"]) == m.value
        assert bytes(r["metric_type"]) == bytes(m.metric_type) and r["unit"] == m.unit
        assert r["verified"] == m.verified
        assert (_hex(r["verifier"]) if r["verifier"] else None) == (
            str(m.verifier).lower() if m.verified else None
        )

    # Stakes.
    est = d["EST"]
    stakes = q(url, "SELECT * FROM stakes WHERE chain_id = $1", chain_id)
    assert len(stakes) == est.next_position_id() - 1
    for r in stakes:
        p = est.positions(int(r["position_id"]))
        assert _hex(r["owner"]) == str(p.owner).lower()
        assert (int(r["amount"]), int(r["lock_days"]), int(r["apr_bp"]), int(r["unlock_time"])) == (
            p.amount,
            p.lock_days,
            p.apr_bp,
            p.unlock_at,
        )
        assert r["status"] == ("open" if p.open else "closed")
    paid = defaultdict(int)
    head = est.chain_manager.blocks.head.number
    for ev in (*est.RewardClaimed.range(0, head + 1), *est.Unstaked.range(0, head + 1)):
        paid[ev.position_id] += ev.amount if ev.event_name == "RewardClaimed" else ev.reward
    assert {int(r["position_id"]): int(r["rewards_claimed"]) for r in stakes} == {
        i: paid[i] for i in range(1, est.next_position_id())
    }
    claimed = q(
        url, "SELECT coalesce(sum(rewards_claimed), 0) FROM stakes WHERE chain_id = $1", chain_id
    )[0][0]
    funded = q(
        url,
        "SELECT coalesce(sum(amount), 0) FROM stake_rewards_funded WHERE chain_id = $1",
        chain_id,
    )[0][0]
    assert int(funded) - int(claimed) == est.reward_reserve()

    # Gems, claims, purchases.
    egm = d["EGM"]
    for r in q(url, "SELECT * FROM gems WHERE chain_id = $1", chain_id):
        g = egm.gems(int(r["gem_id"]))
        assert (int(r["cap"]), int(r["min_score_bp"]), int(r["price_gst"])) == (
            g.cap,
            g.min_score_bp,
            g.price_gst,
        )
        assert int(r["expires_at"] or 0) == g.expires_at
    for r in q(url, "SELECT account, gem_id FROM gem_claims WHERE chain_id = $1", chain_id):
        assert egm.claimed(int(r[1]), _hex(r[0]))

    # Audits: the numbering equals the contract's counter.
    aet = d["AET"]
    audits = q(
        url,
        "SELECT audit_id, auditor FROM ai_audits WHERE chain_id = $1 ORDER BY audit_id",
        chain_id,
    )
    assert [int(r[0]) for r in audits] == list(range(1, aet.audit_count() + 1))
    for r in audits:
        assert str(aet.audits(int(r[0])).auditor).lower() == _hex(r[1])

    # Proposals: status against Governor.state, vote totals against the stored proposal.
    gov = d["Governor"]
    for r in q(url, "SELECT * FROM proposals WHERE chain_id = $1", chain_id):
        pid = int(r["proposal_id"])
        assert gov.state(pid) in STATE_OF_STATUS[r["status"]], (pid, r["status"])
        p = gov.proposals(pid)
        assert (int(r["for_votes"]), int(r["against_votes"]), int(r["abstain_votes"])) == (
            p.for_votes,
            p.against_votes,
            p.abstain_votes,
        )
        assert int(r["vote_start"]) == p.vote_start and int(r["vote_end"]) == p.vote_end
        assert int(r["eta"] or 0) == p.eta
        # The stored calls and description hash back to the proposal id.
        targets = ["0x" + bytes(t).hex() for t in r["targets"]]
        calldatas = [bytes(c) for c in r["calldatas"]]
        assert (
            gov.hashProposal(
                targets,
                [int(x) for x in r["call_values"]],
                calldatas,
                keccak(text=r["description"]),
                "0x" + bytes(r["proposer"]).hex(),
            )
            == pid
        )
    for r in q(url, "SELECT proposal_id, voter FROM votes WHERE chain_id = $1", chain_id):
        assert gov.hasVoted(int(r[0]), _hex(r[1]))
    return counts
