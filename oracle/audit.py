"""The oracle's audit of its own model: a model card turned into an AET attestation.

The evidence of a model audit is the canonical JSON of the card (plus the review settings the
human-alignment score depends on); its hash is the case's evidence hash, so one model version is
attested at most once. The on-chain fields ``energyKwh`` and ``kgCo2e`` are whole units: the
measured figures are rounded up, so the chain never understates them.
"""

from __future__ import annotations

import math

import orjson
from eth_utils import keccak

from oracle import ethics
from oracle.pipeline import idem_key


def audit_evidence(card: dict, reviewers: int) -> bytes:
    """The canonical bytes of what an audit attests: the card and whether reviewers exist."""
    doc = {**card, "human_review": {"reviewers": reviewers > 0}}
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def assessment(evidence: bytes) -> dict:
    card = orjson.loads(evidence)
    scores = ethics.audit_scores(card)
    energy = card["energy"]["training"]
    return {
        "model": card["model"],
        "scores": scores,
        "energy_kwh": energy["kwh"],
        "kg_co2e": energy["kg_co2e"],
        "fairness": card["fairness"],
    }


def review_reasons(a: dict) -> list[str]:
    if a["fairness"]["flagged"]:
        f = a["fairness"]
        return [
            "fairness check flagged: parity difference "
            f"{f['demographic_parity_difference']}, mean gap {f['mean_gap_bp']} bp"
        ]
    return []


def plan(recipient: str, evidence_hash: bytes, a: dict) -> list[dict]:
    key = idem_key(evidence_hash, "aet_audit")
    s = a["scores"]
    return [
        {
            "kind": "aet_audit",
            "idem_key": key,
            "contract": "AET",
            "function": "mint_with_attestation",
            # deadline and signature are added when the transaction is signed
            "args": [
                recipient,
                "0x" + keccak(text=a["model"]).hex(),
                s["transparency"],
                s["bias"],
                s["human_alignment"],
                s["environmental_impact"],
                str(math.ceil(a["energy_kwh"])),
                str(math.ceil(a["kg_co2e"])),
                str(int.from_bytes(key, "big")),
            ],
        }
    ]
