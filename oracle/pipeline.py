"""From a case's evidence to an assessment and the on-chain calls it justifies.

``assess`` runs every model on the evidence of one organization (metrics -> emissions and the
E/S/G forest, reports -> topics and claims checked against the metrics, photos -> reuse and
metadata checks and the classifier) and records each model's inputs, version and output.
``review_reasons`` says why a person must approve it first; ``plan`` lists the attestations.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from eth_utils import keccak

from oracle import metrics, model, nlp, vision
from oracle.energy import metered

WAD = 10**18
CO2_METRIC = keccak(text="co2_emissions")


@dataclass
class File:
    """One piece of evidence in plaintext."""

    kind: str  # report, metrics, image
    media_type: str
    data: bytes

    @property
    def content_hash(self) -> bytes:
        return keccak(self.data)


def evidence_hash(content_hashes: list[bytes]) -> bytes:
    """The case's evidence hash: keccak256 of its files' content hashes in sorted order."""
    return keccak(b"".join(sorted(set(content_hashes))))


def idem_key(evidence: bytes, kind: str, index: int = 0) -> bytes:
    """The once-only key of one attestation (also the ECT action id and the AET nonce)."""
    return keccak(evidence + kind.encode() + index.to_bytes(4, "big"))


def assess(
    files: list[File],
    forest: model.Model,
    *,
    known_photos: list[tuple[str, str]] = (),
    classifier: vision.ImageClassifier | None = None,
    ect_per_tonne: int = 20,
) -> dict:
    """Score one case; ``known_photos`` are (pHash, owner) of photos outside it."""
    metric_files = [f for f in files if f.kind == "metrics"]
    if len(metric_files) != 1:
        from oracle.errors import EvidenceError

        raise EvidenceError(f"case: needs exactly one metrics file, got {len(metric_files)}")
    with metered() as energy:
        report = metrics.parse_metrics(metric_files[0].data, metric_files[0].media_type)
        em = metrics.emissions(report)
        row, named, imputed = model.features(report, em)
        prediction = model.predict(forest, row)
        claims: list[nlp.Claim] = []
        topic_counts = {p: 0 for p in nlp.LEXICON}
        actual = nlp.actual_values(report, em)
        for f in files:
            if f.kind == "report":
                text = nlp.report_text(f.data, f.media_type)
                claims += nlp.check(nlp.claims(text), actual)
                for pillar, n in nlp.topics(text).items():
                    topic_counts[pillar] += n
        site = None
        if "site_lat" in report.info and "site_lon" in report.info:
            site = (float(report.info["site_lat"]), float(report.info["site_lon"]))
        photos, seen = [], list(known_photos)
        for i, f in enumerate(x for x in files if x.kind == "image"):
            img = vision.open_image(f.data, f.media_type)
            photo = vision.inspect(img, period=report.info.get("period"), site=site, known=seen)
            if classifier is not None:
                photo.labels = classifier.classify(img)
            seen.append((photo.phash, f"photo {i + 1} of this case"))
            photos.append(photo.as_dict())
    actions = [
        {
            "action": line["activity"],
            "avoided_tco2e": round(line["avoided_t"], 6),
            "reward_wei": str(int(Decimal(f"{line['avoided_t'] * ect_per_tonne:.6f}") * WAD)),
        }
        for line in em.lines
        if line["scope"] == 0 and line["avoided_t"] > 0
    ]
    return {
        "model": {"version": forest.version, "digest": forest.digest},
        "classifier": getattr(classifier, "name", None),
        "info": report.info,
        "emissions": {
            "method": metrics.factor_table()["method"],
            "scope1_tco2e": round(em.scope1, 6),
            "scope2_tco2e": round(em.scope2, 6),
            "scope3_tco2e": round(em.scope3, 6),
            "total_tco2e": round(em.total, 6),
            "lines": em.lines,
        },
        "inputs": named,
        "imputed": imputed,
        "prediction": prediction,
        "topics": topic_counts,
        "claims": [c.as_dict() for c in claims],
        "photos": photos,
        "actions": actions,
        "energy": energy.as_dict(),
    }


def components(assessment: dict) -> tuple[int, int, int]:
    p = assessment["prediction"]
    return p["environmental"]["bp"], p["social"]["bp"], p["governance"]["bp"]


def overall(e: int, s: int, g: int, weights: tuple[int, int, int] = (4000, 3000, 3000)) -> int:
    """The overall score ECS computes from the components (integer division, as on-chain)."""
    return (e * weights[0] + s * weights[1] + g * weights[2]) // 10_000


def review_reasons(assessment: dict, current: int | None, threshold_bp: int) -> list[str]:
    """Why this assessment must wait for a reviewer (empty: it may be signed right away)."""
    reasons = [
        f"claim contradicted by the metrics: {c['key']} stated {c['stated']}, metrics give {c['actual']}"
        for c in assessment["claims"]
        if c["contradicted"]
    ]
    for i, photo in enumerate(assessment["photos"]):
        reasons += [f"photo {i + 1}: {flag}" for flag in photo["flags"]]
    new = overall(*components(assessment))
    old = current or 0
    if abs(new - old) > threshold_bp:
        reasons.append(f"score change {old} -> {new} bp exceeds {threshold_bp} bp")
    return reasons


def plan(account: str, evidence: bytes, assessment: dict, methodology_version: int) -> list[dict]:
    """The attestations of an approved score case: ECS score and CO2e metric, ECT rewards."""
    e, s, g = components(assessment)
    total = assessment["emissions"]["total_tco2e"]
    calls = [
        {
            "kind": "ecs_score",
            "idem_key": idem_key(evidence, "ecs_score"),
            "contract": "ECS",
            "function": "set_score",
            "args": [account, e, s, g, methodology_version, "0x" + evidence.hex()],
        },
        {
            "kind": "ecs_metric",
            "idem_key": idem_key(evidence, "ecs_metric"),
            "contract": "ECS",
            "function": "record_metric",
            "args": [
                account,
                "0x" + CO2_METRIC.hex(),
                str(int(round(total * WAD))),
                "tCO2e",
                "0x" + evidence.hex(),
            ],
        },
    ]
    for i, action in enumerate(assessment["actions"]):
        key = idem_key(evidence, "ect_reward", i)
        calls.append(
            {
                "kind": "ect_reward",
                "idem_key": key,
                "contract": "ECT",
                "function": "mint_for_action",
                "args": [account, str(action["reward_wei"]), "0x" + key.hex()],
            }
        )
    return calls
