"""The oracle in the demo: scores, rewards and audits that come from evidence, not typed numbers.

``attest_scenario`` is the scenario's ESG step: the shipped 2025 evidence of alice, bob and carol
(``data/demo``) goes through the oracle's models and review rule, and the resulting ECS scores,
CO2e metric, ECT rewards and the AET audit of the scoring model are submitted from the ape
personas that hold the roles. ``environment`` and ``play`` are ``make demo``'s live part: the
oracle service over HTTPS, and one organization (alice, 2026) signing in, submitting a report,
metrics and photos, a reviewer approving, the attestations mined and the new score in the API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

from api.settings import Settings as ApiSettings
from oracle import audit, pipeline, review, samples
from oracle.settings import Settings

# (organization, metrics file, media type, report file, photo kind)
SCENARIO = (
    ("alice", "alice-metrics-2025.csv", "text/csv", "alice-report-2025.txt", "built"),
    ("bob", "bob-metrics-2025.json", "application/json", "bob-report-2025.txt", "green_cover"),
    ("carol", "carol-metrics-2025.csv", "text/csv", "carol-report-2025.txt", "built"),
)
DEMO_REVIEW_THRESHOLD_BP = 500


def site_photos(metrics: bytes, media_type: str, kind: str, seed: int, n: int = 2) -> list[bytes]:
    """``n`` generated photos taken at the organization's site during its period."""
    from oracle.metrics import parse_metrics

    info = parse_metrics(metrics, media_type).info
    year = int(info["period"])
    lat, lon = info.get("site_lat"), info.get("site_lon")
    return [
        samples.photo_bytes(
            seed + i, kind, taken=dt.datetime(year, 4 + i, 12, 10, 30), lat=lat, lon=lon
        )
        for i in range(n)
    ]


def case_files(org: str, metrics: str, media_type: str, report: str, kind: str, seed: int):
    data = samples.demo_file(metrics)
    files = [
        pipeline.File("metrics", media_type, data),
        pipeline.File("report", "text/plain", samples.demo_file(report)),
    ]
    files += [
        pipeline.File("image", "image/jpeg", p) for p in site_photos(data, media_type, kind, seed)
    ]
    return files


def _ape_args(args: list) -> list:
    return [int(a) if isinstance(a, str) and a.isdigit() else a for a in args]


def attest_scenario(d, who, provider, say: Callable[[str], None] = print) -> dict:
    """Score the scenario's organizations from their evidence and put the results on-chain."""
    from oracle.service import load_models

    settings = Settings()
    forest, classifier = load_models(settings)
    ecs, ect, aet = d["ECS"], d["ECT"], d["AET"]
    weights = (ecs.weight_environmental(), ecs.weight_social(), ecs.weight_governance())
    ids: dict = {}
    for seed, (org, metrics, media_type, report, kind) in enumerate(SCENARIO):
        account = getattr(who, org)
        files = case_files(org, metrics, media_type, report, kind, seed * 10)
        ev_hash = pipeline.evidence_hash([f.content_hash for f in files])
        a = pipeline.assess(
            files, forest, classifier=classifier, ect_per_tonne=settings.ect_per_tonne
        )
        current = ecs.score_of(account)
        reasons = pipeline.review_reasons(a, current, settings.review_threshold_bp)
        if reasons:
            # The verifier persona is the demo's reviewer: a second key, neither oracle nor org.
            decision = review.sign_review(who.verifier.private_key, 0, ev_hash, "approve")
            review.check_reviewer(
                case_id=0,
                evidence_hash=ev_hash,
                decision="approve",
                signature=decision,
                signed_in=who.verifier.address,
                reviewers=[who.verifier.address],
                oracle_signer=who.oracle.address,
                submitter=account.address,
            )
        done = bytes(ecs.score_details(account)[5]) == ev_hash
        for call in pipeline.plan(account.address, ev_hash, a, settings.methodology_version):
            contract = {"ECS": ecs, "ECT": ect}[call["contract"]]
            if done or (call["kind"] == "ect_reward" and ect.action_rewarded(call["idem_key"])):
                continue
            tx = getattr(contract, call["function"])(*_ape_args(call["args"]), sender=who.oracle)
            if call["kind"] == "ecs_metric":
                ids.setdefault("metric", tx.return_value)
        e, s, g = pipeline.components(a)
        new = pipeline.overall(e, s, g, weights)
        rewarded = sum(int(x["reward_wei"]) for x in a["actions"]) / pipeline.WAD
        say(
            f"ORC  {org}: {a['emissions']['total_tco2e']:,.1f} tCO2e, ESG {new} bp (E {e} S {s} G {g}),"
            f" {len(a['claims'])} claims checked, {len(reasons)} review reason(s)"
            + (f", {rewarded:.2f} ECT for {a['actions'][0]['action']}" if a["actions"] else "")
        )
    if "metric" not in ids:
        ids["metric"] = _metric_of(ecs, who.alice.address)
    if not ecs.metrics(ids["metric"]).verified:
        ecs.verify_metric(ids["metric"], sender=who.verifier)
    say(f"ECS  alice's CO2e metric #{ids['metric']} recorded by the oracle and verified")

    evidence = audit.audit_evidence(forest.card, 1)
    ev_hash = keccak(evidence)
    a = audit.assessment(evidence)
    (call,) = audit.plan(str(who.carol.address), ev_hash, a)
    args = _ape_args(call["args"])
    if not aet.nonce_used(who.auditor.address, args[8]):
        from esg.signing import Attestation, sign_attestation

        deadline = provider.get_block("latest").timestamp + 3_600
        att = Attestation(*args[:9], deadline=deadline)
        att = dataclasses.replace(att, model_id=bytes.fromhex(args[1][2:]))
        signature = sign_attestation(
            who.auditor.private_key, att, chain_id=provider.chain_id, aet=str(aet.address)
        )
        aet.mint_with_attestation(*att.args(), signature, sender=who.carol)
    say(
        f"AET  audit of {a['model']}: scores {a['scores']}, "
        f"{a['energy_kwh'] * 1000:.3f} Wh to train; carol holds {aet.balanceOf(who.carol) / pipeline.WAD:.2f} AET"
    )
    return ids


def _metric_of(ecs, account: str) -> int:
    for metric_id in range(ecs.metric_count(), 0, -1):
        if ecs.metrics(metric_id).account == account:
            return metric_id
    raise LookupError(f"no metric recorded for {account}")


def prepare(chain_id: int) -> None:
    """Set the environment of the demo's ``python -m oracle`` (attesting on ``chain_id``)."""
    from ape import accounts

    from esg.paths import runtime_dir
    from esg.personas import Personas

    who = Personas.from_accounts(accounts.test_accounts)
    port = Settings().port
    os.environ.update(environment(who, chain_id=chain_id, port=port, tls_dir=runtime_dir() / "tls"))


def play_demo(chain_id: int, say: Callable[[str], None] = print) -> bool:
    """``make demo``'s oracle part; True once the new score is visible in the API."""
    from ape import accounts

    from esg.personas import Personas

    who = Personas.from_accounts(accounts.test_accounts)
    api = f"http://127.0.0.1:{ApiSettings().port}"
    return play(who, chain_id=chain_id, api=api, say=say)["score"] is not None


def environment(who, *, chain_id: int, port: int, tls_dir) -> dict[str, str]:
    """The oracle service's settings for the demo (keys of the ape test personas)."""
    from esg.tls import local_ca

    ca, cert, key = local_ca(tls_dir)
    return {
        "ORACLE_PORT": str(port),
        "ORACLE_CHAIN_ID": str(chain_id),
        "ORACLE_SIGNER_KEY": who.oracle.private_key,
        "ORACLE_AUDITOR_KEY": who.auditor.private_key,
        "ORACLE_REVIEWERS": f'["{who.verifier.address}"]',
        "ORACLE_REVIEW_THRESHOLD_BP": str(DEMO_REVIEW_THRESHOLD_BP),
        "ORACLE_AET_RECIPIENT": str(who.carol.address),
        "ORACLE_TLS_CERT": str(cert),
        "ORACLE_TLS_KEY": str(key),
        "ORACLE_CA": str(ca),
    }


class Client:
    """A signed-in HTTP client of the oracle (SIWE, then the bearer token)."""

    def __init__(self, base: str, verify) -> None:
        import httpx

        self.base = base
        self.http = httpx.Client(base_url=base, verify=verify, timeout=30)

    def sign_in(self, private_key: str, chain_id: int) -> dict:
        from siwe import SiweMessage

        account = Account.from_key(private_key)
        n = self.http.get("/v1/auth/nonce").raise_for_status().json()
        now = dt.datetime.now(dt.UTC)
        message = SiweMessage(
            domain=n["domain"],
            address=account.address,
            statement="Sign in to the ESG oracle",
            uri=self.base,
            version="1",
            chain_id=chain_id,
            nonce=n["nonce"],
            issued_at=now.isoformat().replace("+00:00", "Z"),
            expiration_time=(now + dt.timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
        ).prepare_message()
        signature = Account.sign_message(encode_defunct(text=message), private_key).signature
        answer = self.http.post(
            "/v1/auth/login", json={"message": message, "signature": "0x" + bytes(signature).hex()}
        )
        login = answer.raise_for_status().json()
        self.http.headers["Authorization"] = f"Bearer {login['token']}"
        return login

    def upload(self, kind: str, name: str, data: bytes, media_type: str) -> dict:
        answer = self.http.post(
            "/v1/evidence", data={"kind": kind}, files={"file": (name, data, media_type)}
        )
        return answer.raise_for_status().json()

    def wait_for(self, case_id: int, done: Callable[[dict], bool], timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            case = self.http.get(f"/v1/cases/{case_id}").raise_for_status().json()
            if done(case) or time.monotonic() > deadline:
                return case
            time.sleep(0.2)


def wait_ready(base: str, verify, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/health", verify=verify, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"oracle at {base} did not start in {timeout:.0f}s")
        time.sleep(0.3)


def all_mined(case: dict) -> bool:
    atts = case["attestations"]
    return bool(atts) and all(a["status"] in ("mined", "reverted", "skipped") for a in atts)


def play(who, *, chain_id: int, api: str, say: Callable[[str], None] = print) -> dict:
    """One organization through the running oracle, up to its new score in the API."""
    import httpx

    base = f"https://127.0.0.1:{Settings().port}"
    verify = os.environ["ORACLE_CA"]
    wait_ready(base, verify)
    org = Client(base, verify)
    started = time.monotonic()
    login = org.sign_in(who.alice.private_key, chain_id)
    say(
        f"[oracle] {base}: alice signed in with SIWE ({login['role']}, token {login['expires_in']} s, RS256)"
    )
    metrics = samples.demo_file("alice-metrics-2026.csv")
    ids = [
        org.upload(
            "report",
            "alice-report-2026.txt",
            samples.demo_file("alice-report-2026.txt"),
            "text/plain",
        )["id"],
        org.upload("metrics", "alice-metrics-2026.csv", metrics, "text/csv")["id"],
    ]
    for i, photo in enumerate(site_photos(metrics, "text/csv", "green_cover", 100)):
        ids.append(org.upload("image", f"site-{i + 1}.jpg", photo, "image/jpeg")["id"])
    say(
        f"[oracle] report, metrics and {len(ids) - 2} site photos stored encrypted (evidence {ids})"
    )
    case = org.http.post("/v1/cases", json={"evidence_ids": ids}).raise_for_status().json()
    a = case["assessment"]
    say(
        f"[oracle] case {case['id']}: {a['emissions']['total_tco2e']:,.1f} tCO2e; ESG"
        f" {a['current_score_bp']} -> {a['new_score_bp']} bp by {a['model']['version']};"
        f" {sum(not c['contradicted'] for c in a['claims'])}/{len(a['claims'])} claims consistent; {case['status']}"
    )
    for reason in case["review_reasons"]:
        say(f"         held: {reason}")
    if case["status"] == "pending_review":
        reviewer = Client(base, verify)
        reviewer.sign_in(who.verifier.private_key, chain_id)
        ev_hash = bytes.fromhex(case["evidence_hash"][2:])
        signature = review.sign_review(who.verifier.private_key, case["id"], ev_hash, "approve")
        body = {"decision": "approve", "signature": signature, "note": "figures match the report"}
        reviewer.http.post(f"/v1/cases/{case['id']}/review", json=body).raise_for_status()
        say(
            f"[oracle] reviewer {who.verifier.address[:10]}... approved case {case['id']} with a signed decision"
        )
    case = org.wait_for(case["id"], all_mined)
    for att in case["attestations"]:
        say(
            f"         {att['call']}: {att['status']} in block {att['block_number']} (tx {att['tx_hash']})"
        )
    mined = time.monotonic()
    address = who.alice.address
    deadline = time.monotonic() + 60
    score = None
    while time.monotonic() < deadline:
        items = (
            httpx.get(f"{api}/api/v1/scores/{address}/history", timeout=5).json().get("items", [])
        )
        if items and items[0]["new_score"] == a["new_score_bp"]:
            score = items[0]["new_score"]
            break
        time.sleep(0.3)
    say(
        f"[oracle] alice's new ECS score {score} bp in the API {time.monotonic() - mined:.1f}s after mining"
        f" ({time.monotonic() - started:.1f}s from sign-in)"
    )
    return {"case": case, "score": score}
