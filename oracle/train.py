"""``python -m oracle.train``: build the oracle's models from generated data, reproducibly.

1. the E/S/G RandomForest on ``--rows`` organizations from ``oracle.dataset`` (seed ``--seed``),
   evaluated on held-out rows, checked for fairness across regions, explained (permutation
   importance globally, SHAP per prediction at scoring time), its training energy metered;
2. the site-photo classifier (logistic regression over colour histograms of generated scenes),
   exported to ONNX and served through ``vision.OnnxClassifier``.

Both land in ``--out`` (default: the oracle's model folder) with a model card each. The same
rows and seed give the same model hash; the card records the data hash beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from oracle import dataset, ethics, model, samples, vision
from oracle.energy import metered

PROVENANCE = (
    "synthetic organizations from oracle.dataset (seeded numpy generator), labelled by the "
    "written rubric oracle.dataset.rubric plus Gaussian rater noise; no external data"
)
CLASSIFIER = "site-photo-hist"


def build(
    out: Path,
    *,
    rows: int = 6000,
    seed: int = 7,
    params: model.Params | None = None,
    bias: tuple[str, float] | None = None,
    photos: int = 200,
) -> model.Model:
    """Train, evaluate and save the models; returns the E/S/G model with its card."""
    params = params or model.Params(seed=seed)
    x, y = dataset.generate(rows, seed, bias=bias)
    x_test, y_test = dataset.generate(max(200, rows // 5), seed + 100, bias=bias)
    digest = dataset.data_hash(x, y)
    with metered() as energy:
        m = model.train(x, y, params, digest)
    fair = ethics.fairness(m.forest, seed)
    m.card = {
        "model": m.version,
        "digest": m.digest,
        "task": "E, S and G components (bp) of an organization from its metrics",
        "algorithm": "sklearn RandomForestRegressor (multi-output)",
        "params": params.__dict__,
        "features": list(dataset.FEATURES),
        "data": {
            "provenance": PROVENANCE,
            "rows": rows,
            "seed": seed,
            "hash": digest,
            "bias_injected": list(bias) if bias else None,
        },
        "accuracy": ethics.accuracy_by_group(m.forest, x_test, y_test),
        "fairness": fair.as_dict(),
        "importance": ethics.importance(m.forest, x_test[:300], y_test[:300], seed),
        "explanations": "SHAP TreeExplainer contributions (bp) with every prediction",
        "energy": {"training": energy.as_dict()},
        "intended_use": "an input to the EcoScore, reviewed by a person above a set change",
        "limitations": "learned from a rubric on synthetic data: it reproduces the rubric, "
        "not an external rating",
    }
    model.save(m, out)
    if photos:
        build_classifier(out, photos, seed)
    return m


def build_classifier(out: Path, n: int, seed: int) -> Path:
    """Fit the photo classifier on ``n`` generated scenes and write it as ONNX with its card."""
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    kinds = [samples.LABELS[i % 2] for i in range(n)]
    x = np.stack(
        [vision.histogram(samples.scene(seed * 10_000 + i, k)) for i, k in enumerate(kinds)]
    )
    y = np.array([samples.LABELS.index(k) for k in kinds])
    with metered() as energy:
        clf = LogisticRegression(max_iter=500, random_state=seed).fit(x, y)
    onx = to_onnx(clf, x[:1], options={id(clf): {"zipmap": False}}, target_opset=17)
    data = onx.SerializeToString()
    path = out / f"{CLASSIFIER}.onnx"
    path.write_bytes(data)
    card = {
        "model": CLASSIFIER,
        "sha256": hashlib.sha256(data).hexdigest(),
        "labels": samples.LABELS,
        "input": "24-float colour histogram (oracle.vision.histogram)",
        "data": {"provenance": "generated scenes (oracle.samples.scene)", "rows": n, "seed": seed},
        "train_accuracy": round(float(clf.score(x, y)), 4),
        "energy": {"training": energy.as_dict()},
    }
    (out / f"{CLASSIFIER}.card.json").write_text(json.dumps(card, indent=1) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    from oracle.settings import Settings

    parser = argparse.ArgumentParser(
        prog="python -m oracle.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Settings().model_dir
    m = build(out, rows=args.rows, seed=args.seed)
    e = m.card["energy"]["training"]
    print(f"{m.version}: {args.rows} rows, seed {args.seed}, data {m.data_hash[:12]}")
    print(
        f"  trained in {e['seconds']:.2f} s, {e['kwh'] * 1000:.4f} Wh, {e['kg_co2e'] * 1000:.4f} g CO2e ({e['method']})"
    )
    mae = ", ".join(f"{k} {v['overall']}" for k, v in m.card["accuracy"].items())
    print(f"  MAE (bp): {mae}")
    print(f"  fairness flagged: {m.card['fairness']['flagged']}; saved in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
