"""Ethics checks of the oracle's own models: fairness across groups, explanations, energy.

Fairness is measured on a counterfactual set: the same organizations scored once per region
(only the region code differs), so any gap between regions is the model's, not the data's.
fairlearn's ``MetricFrame`` gives the per-group mean score and the rate of organizations at or
above the gem threshold; the check fails when the selection-rate gap (demographic parity
difference) or the mean-score gap exceeds its limit. Accuracy per group (MAE on held-out rows)
goes into the model card beside it.

``audit_scores`` turns a model card into the four 0-1000 scores an AET attestation carries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from fairlearn.metrics import MetricFrame, demographic_parity_difference, selection_rate
from sklearn.inspection import permutation_importance
from sklearn.metrics import mean_absolute_error

from oracle.dataset import FEATURES, TARGETS, draw_features
from oracle.metrics import REGIONS

SELECT_BP = 6_000  # the lowest ECS score that claims a gem
MAX_PARITY_GAP = 0.10
MAX_MEAN_GAP_BP = 400.0
WEIGHTS = np.array([0.4, 0.3, 0.3])  # ECS's default component weights


@dataclass
class Fairness:
    by_group: dict
    parity_difference: float
    mean_gap_bp: float

    @property
    def flagged(self) -> bool:
        return self.parity_difference > MAX_PARITY_GAP or self.mean_gap_bp > MAX_MEAN_GAP_BP

    def as_dict(self) -> dict:
        return {
            "sensitive_feature": "region",
            "method": "counterfactual: each organization scored once per region",
            "by_group": self.by_group,
            "demographic_parity_difference": round(self.parity_difference, 4),
            "mean_gap_bp": round(self.mean_gap_bp, 1),
            "limits": {"parity_difference": MAX_PARITY_GAP, "mean_gap_bp": MAX_MEAN_GAP_BP},
            "flagged": self.flagged,
        }


def overall(y: np.ndarray) -> np.ndarray:
    return y @ WEIGHTS


def fairness(forest, seed: int, n: int = 400) -> Fairness:
    """The counterfactual fairness check of ``forest`` across regions."""
    rng = np.random.default_rng(seed + 1)
    base = draw_features(rng, n)
    col = FEATURES.index("region")
    xs, groups = [], []
    for code, name in enumerate(REGIONS):
        x = base.copy()
        x[:, col] = code
        xs.append(x)
        groups += [name] * n
    score = overall(forest.predict(np.vstack(xs)))
    selected = (score >= SELECT_BP).astype(int)
    frame = MetricFrame(
        metrics={"selection_rate": selection_rate, "mean_score_bp": _mean_pred},
        y_true=selected,
        y_pred=selected,
        sensitive_features=np.array(groups),
    )
    table = frame.by_group
    by_group = {
        g: {k: round(float(table.loc[g, k]), 4) for k in table.columns} for g in table.index
    }
    frame_scores = MetricFrame(
        metrics=_mean_pred, y_true=score, y_pred=score, sensitive_features=np.array(groups)
    )
    return Fairness(
        by_group=by_group,
        parity_difference=float(
            demographic_parity_difference(selected, selected, sensitive_features=np.array(groups))
        ),
        mean_gap_bp=float(frame_scores.difference()),
    )


def _mean_pred(y_true, y_pred) -> float:
    return float(np.mean(y_pred))


def accuracy_by_group(forest, x: np.ndarray, y: np.ndarray) -> dict:
    """Held-out MAE (bp) of each component, per region."""
    regions = np.array([REGIONS[int(c)] for c in x[:, FEATURES.index("region")]])
    pred = forest.predict(x)
    out = {}
    for j, target in enumerate(TARGETS):
        frame = MetricFrame(
            metrics=mean_absolute_error,
            y_true=y[:, j],
            y_pred=pred[:, j],
            sensitive_features=regions,
        )
        out[target] = {
            "overall": round(float(frame.overall), 1),
            "by_group": {g: round(float(v), 1) for g, v in frame.by_group.items()},
        }
    return out


def importance(forest, x: np.ndarray, y: np.ndarray, seed: int) -> dict:
    """Permutation importance (drop in R^2 when a feature is shuffled), the global explanation."""
    result = permutation_importance(forest, x, y, n_repeats=3, random_state=seed, n_jobs=1)
    pairs = sorted(zip(FEATURES, result.importances_mean, strict=True), key=lambda p: -p[1])
    return {f: round(float(v), 4) for f, v in pairs}


def audit_scores(card: dict) -> dict:
    """The AET scores (0-1000, higher is better) of a model card.

    transparency: share of the documentation a card promises that it has (data provenance,
    per-prediction explanations, global importance, held-out accuracy, fairness), each 200;
    bias: 1000 minus the parity gap and mean gap, each scaled to its limit (half the score each);
    human_alignment: 1000 when every score change above the review threshold and every flagged
    contradiction waits for a second key, less 500 without a configured reviewer;
    environmental_impact: 1000 at zero training energy, minus 100 per decade of kWh above 1 Wh.
    """
    present = ("data", "explanations", "importance", "accuracy", "fairness")
    transparency = 200 * sum(1 for k in present if card.get(k))
    fair = card["fairness"]
    bias_penalty = 500 * min(1.0, fair["demographic_parity_difference"] / MAX_PARITY_GAP)
    bias_penalty += 500 * min(1.0, fair["mean_gap_bp"] / MAX_MEAN_GAP_BP)
    human = 1000 if card.get("human_review", {}).get("reviewers") else 500
    kwh = card["energy"]["training"]["kwh"]
    env = 1000 - 100 * max(0.0, math.log10(max(kwh, 1e-12) / 1e-3))
    return {
        "transparency": int(transparency),
        "bias": int(round(1000 - bias_penalty)),
        "human_alignment": int(human),
        "environmental_impact": int(round(min(1000, max(0, env)))),
    }
