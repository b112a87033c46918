"""The E/S/G predictor: a scikit-learn RandomForest from metrics features to three components.

``train`` fits it on generated data (``oracle.dataset``) with a fixed seed and one thread, so the
same data and seed give byte-identical trees and therefore the same model hash. ``predict``
returns the components with each feature's SHAP contribution (TreeExplainer: exact for trees),
so every score carries its explanation. Models are saved as pickles under the oracle's own
runtime folder and only ever loaded from there (a pickle runs code when loaded).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestRegressor

from oracle.dataset import FEATURES, TARGETS
from oracle.metrics import REGIONS, SECTORS, Emissions, MetricsReport

MODEL_NAME = "esg-rf"
# Defaults of figures a report leaves out: the median of the generated data, flagged as imputed.
IMPUTE = {
    "women_share": 0.44,
    "injury_rate": 1.5,
    "training_hours": 22.0,
    "turnover_rate": 0.13,
    "board_independence": 0.63,
    "board_women_share": 0.32,
    "ethics_policy": 1.0,
    "ceo_pay_ratio": 60.0,
}


@dataclass
class Params:
    """Hyperparameters; part of the model's identity."""

    n_estimators: int = 120
    max_depth: int = 14
    min_samples_leaf: int = 3
    seed: int = 7


@dataclass
class Model:
    """A fitted forest with what it was trained on."""

    forest: RandomForestRegressor
    params: Params
    data_hash: str
    rows: int
    card: dict = field(default_factory=dict)
    _explainer: object = None

    @property
    def digest(self) -> str:
        return model_digest(self.forest)

    @property
    def version(self) -> str:
        return f"{MODEL_NAME}-{self.digest[:12]}"

    def explainer(self):
        if self._explainer is None:
            import shap

            self._explainer = shap.TreeExplainer(self.forest)
        return self._explainer


def model_digest(forest: RandomForestRegressor) -> str:
    """SHA-256 over every tree's structure and leaf values (independent of pickle details)."""
    h = hashlib.sha256()
    for est in forest.estimators_:
        t = est.tree_
        for arr in (t.children_left, t.children_right, t.feature, t.threshold, t.value):
            h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def train(x: np.ndarray, y: np.ndarray, params: Params, data_hash: str) -> Model:
    """Fit the forest (one job: thread scheduling must not change the trees)."""
    forest = RandomForestRegressor(
        n_estimators=params.n_estimators,
        max_depth=params.max_depth,
        min_samples_leaf=params.min_samples_leaf,
        random_state=params.seed,
        n_jobs=1,
    )
    forest.fit(x, y)
    return Model(forest=forest, params=params, data_hash=data_hash, rows=len(x))


def features(report: MetricsReport, em: Emissions) -> tuple[np.ndarray, dict, list[str]]:
    """The feature row of a report, the named inputs, and which figures were imputed."""
    fig = report.figures
    imputed = sorted(k for k in IMPUTE if k not in fig)
    get = {**IMPUTE, **fig}.get
    employees = fig["employees"]
    recycled = em.recycled_t / em.waste_t if em.waste_t else 0.0
    renewable = em.renewable_kwh / em.electricity_kwh if em.electricity_kwh else 0.0
    named = {
        "intensity_t_per_employee": em.total / employees,
        "renewable_share": renewable,
        "water_m3_per_employee": em.water_m3 / employees,
        "recycled_share": recycled,
        "women_share": get("women_share"),
        "injury_rate": get("injury_rate"),
        "training_hours": get("training_hours"),
        "turnover_rate": get("turnover_rate"),
        "board_independence": get("board_independence"),
        "board_women_share": get("board_women_share"),
        "ethics_policy": get("ethics_policy"),
        "log10_ceo_pay_ratio": math.log10(get("ceo_pay_ratio")),
        "region": float(REGIONS.index(report.region)),
        "sector": float(SECTORS.index(report.sector)),
    }
    row = np.array([[named[f] for f in FEATURES]])
    return row, named, imputed


def predict(model: Model, row: np.ndarray) -> dict:
    """E/S/G in whole basis points with SHAP contributions (bp) of each feature."""
    raw = model.forest.predict(row)[0]
    values = model.explainer().shap_values(row)  # (1, features, targets)
    base = np.ravel(model.explainer().expected_value)
    out = {}
    for j, target in enumerate(TARGETS):
        contrib = {f: round(float(values[0, i, j]), 1) for i, f in enumerate(FEATURES)}
        out[target] = {
            "bp": int(min(10_000, max(0, round(float(raw[j]))))),
            "base_bp": round(float(base[j]), 1),
            "contributions": dict(sorted(contrib.items(), key=lambda kv: -abs(kv[1]))),
        }
    return out


def save(model: Model, folder: Path) -> Path:
    """Write ``<version>.pkl`` and ``<version>.card.json``, then point ``CURRENT`` at them.

    Each file is written beside its place and renamed into it, so a reader never sees half a file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{model.version}.pkl"
    model._explainer = None
    _replace(path, pickle.dumps(model, protocol=5))
    _replace(
        folder / f"{model.version}.card.json", (json.dumps(model.card, indent=1) + "\n").encode()
    )
    _replace(folder / "CURRENT", (model.version + "\n").encode())
    return path


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load(folder: Path) -> Model | None:
    """The model named in ``folder/CURRENT``, checked against its own digest; None if none."""
    current = folder / "CURRENT"
    if not current.exists():
        return None
    version = current.read_text().strip()
    model = pickle.loads((folder / f"{version}.pkl").read_bytes())
    if model.version != version:
        raise ValueError(f"model: {version} does not match its trees ({model.version})")
    return model
