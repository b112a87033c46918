"""Oracle figures: documents scored per second, training time and energy, and the p95 from a
case's submission to its mined attestations on the running demo.

    .venv/bin/python benchmarks/oracle_bench.py score  [--cases 60]
    .venv/bin/python benchmarks/oracle_bench.py train  [--rows 6000]
    .venv/bin/python benchmarks/oracle_bench.py latency [--cases 20]   # with `make demo` running

Each figure is printed with the load average (``os.getloadavg``) at its start and end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from oracle import pipeline, samples, train
from oracle.demo import SCENARIO, all_mined, case_files, site_photos


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_score(cases: int) -> None:
    """Whole cases (metrics + report + 2 photos) through ``pipeline.assess``, one process."""
    from oracle.service import load_models
    from oracle.settings import Settings

    forest, classifier = load_models(Settings())
    orgs = [case_files(*row, seed=i) for i, row in enumerate(SCENARIO)]
    pipeline.assess(orgs[0], forest, classifier=classifier)  # warm-up: SHAP explainer, ONNX session
    before = _load()
    t0 = time.perf_counter()
    for i in range(cases):
        pipeline.assess(orgs[i % len(orgs)], forest, classifier=classifier)
    dt = time.perf_counter() - t0
    docs = cases * 4
    print(
        f"score: {cases} cases ({docs} documents) in {dt:.2f} s = {cases / dt:.1f} cases/s,"
        f" {docs / dt:.1f} documents/s  [{before} -> {_load()}]"
    )


def bench_train(rows: int) -> None:
    before = _load()
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        m = train.build(Path(out), rows=rows)
        total = time.perf_counter() - t0
    e = m.card["energy"]["training"]
    print(
        f"train: {rows} rows, forest fit {e['seconds']:.2f} s ({e['cpu_seconds']:.2f} CPU s),"
        f" {e['kwh'] * 1000:.4f} Wh, {e['kg_co2e'] * 1e6:.3f} mg CO2e ({e['method']});"
        f" whole build with evaluation, fairness and photo classifier {total:.2f} s  [{before} -> {_load()}]"
    )


def bench_latency(cases: int) -> None:
    """Cases from fresh organizations through the demo's oracle, each reviewed, until mined."""
    from ape import accounts
    from eth_account import Account

    from oracle import review
    from oracle.demo import Client, wait_ready

    port = os.environ.get("ORACLE_PORT", "8100")
    base = f"https://127.0.0.1:{port}"
    ca = os.environ.get("ORACLE_CA") or str(Path(".run") / "tls" / "ca.pem")
    wait_ready(base, ca)
    reviewer_key = accounts.test_accounts[5].private_key
    reviewer = Client(base, ca)
    chain_id = reviewer.http.get("/v1/auth/nonce").json()["chain_id"]
    reviewer.sign_in(reviewer_key, chain_id)
    metrics = samples.demo_file("alice-metrics-2026.csv")
    before = _load()
    waits = []
    for i in range(cases):
        org = Client(base, ca)
        org.sign_in(Account.create().key.hex(), chain_id)
        ids = [org.upload("metrics", "m.csv", metrics, "text/csv")["id"]]
        ids += [
            org.upload("image", "p.jpg", p, "image/jpeg")["id"]
            for p in site_photos(metrics, "text/csv", "green_cover", 1000 + i, n=1)
        ]
        t0 = time.perf_counter()
        case = org.http.post("/v1/cases", json={"evidence_ids": ids}).raise_for_status().json()
        if case["status"] == "pending_review":
            ev = bytes.fromhex(case["evidence_hash"][2:])
            signature = review.sign_review(reviewer_key, case["id"], ev, "approve")
            reviewer.http.post(
                f"/v1/cases/{case['id']}/review",
                json={"decision": "approve", "signature": signature},
            ).raise_for_status()
        done = org.wait_for(case["id"], all_mined, timeout=120)
        assert all(a["status"] == "mined" for a in done["attestations"]), done["attestations"]
        waits.append(time.perf_counter() - t0)
    waits.sort()
    p95 = waits[max(0, round(0.95 * len(waits)) - 1)]
    print(
        f"latency: {cases} cases, submission -> every attestation mined (review included):"
        f" p50 {statistics.median(waits):.2f} s, p95 {p95:.2f} s, max {waits[-1]:.2f} s"
        f"  [{before} -> {_load()}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["score", "train", "latency"])
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--rows", type=int, default=6000)
    args = parser.parse_args()
    if args.what == "score":
        bench_score(args.cases or 60)
    elif args.what == "train":
        bench_train(args.rows)
    else:
        bench_latency(args.cases or 20)


if __name__ == "__main__":
    main()
