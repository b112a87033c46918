"""The training data of the E/S/G predictor: synthetic organizations scored by a written rubric.

No public data set pairs company metrics with audited E/S/G scores under an open licence, so the
project generates one: each row draws an organization's figures from the ranges below (region
and sector shift the emissions intensity, as grid mixes and industries do), and its E, S and G
components come from ``rubric`` plus Gaussian noise (the disagreement between raters). The
generator is seeded: the same seed and size give the same rows, hence the same model.

``bias`` lowers the labels of one region by a fixed amount unrelated to its figures: the
deliberately biased data set the fairness check must flag.
"""

from __future__ import annotations

import hashlib

import numpy as np

from oracle.metrics import REGIONS, SECTORS

FEATURES = (
    "intensity_t_per_employee",
    "renewable_share",
    "water_m3_per_employee",
    "recycled_share",
    "women_share",
    "injury_rate",
    "training_hours",
    "turnover_rate",
    "board_independence",
    "board_women_share",
    "ethics_policy",
    "log10_ceo_pay_ratio",
    "region",
    "sector",
)
TARGETS = ("environmental", "social", "governance")
NOISE_BP = 300.0

# Intensity multipliers: carbon-heavier grids and industries emit more per employee.
REGION_INTENSITY = (0.8, 1.2, 0.9, 1.0, 1.3)
SECTOR_INTENSITY = (2.0, 0.4, 3.0, 1.5, 0.7)


def _clip01(x):
    return np.clip(x, 0.0, 1.0)


def rubric(x: np.ndarray) -> np.ndarray:
    """E, S, G in basis points (0-10000) for feature rows ``x`` (columns as ``FEATURES``)."""
    f = {name: x[:, i] for i, name in enumerate(FEATURES)}
    e = (
        0.45 * (1 - _clip01(f["intensity_t_per_employee"] / 20))
        + 0.30 * f["renewable_share"]
        + 0.15 * f["recycled_share"]
        + 0.10 * (1 - _clip01(f["water_m3_per_employee"] / 200))
    )
    s = (
        0.25 * (1 - _clip01(np.abs(f["women_share"] - 0.5) * 2))
        + 0.25 * (1 - _clip01(f["injury_rate"] / 5))
        + 0.25 * _clip01(f["training_hours"] / 40)
        + 0.25 * (1 - _clip01(f["turnover_rate"] / 0.3))
    )
    g = (
        0.35 * f["board_independence"]
        + 0.20 * _clip01(f["board_women_share"] / 0.4)
        + 0.25 * f["ethics_policy"]
        + 0.20 * (1 - _clip01(f["log10_ceo_pay_ratio"] / 3))
    )
    return np.stack([e, s, g], axis=1) * 10_000


def draw_features(rng: np.random.Generator, n: int, region: int | None = None) -> np.ndarray:
    """``n`` organizations' feature rows; ``region`` fixes every row's region code."""
    regions = (
        np.full(n, region) if region is not None else rng.integers(0, len(REGIONS), n)
    ).astype(float)
    sectors = rng.integers(0, len(SECTORS), n)
    base = rng.gamma(2.0, 2.5, n)
    intensity = (
        base * np.take(REGION_INTENSITY, regions.astype(int)) * np.take(SECTOR_INTENSITY, sectors)
    )
    cols = {
        "intensity_t_per_employee": intensity,
        "renewable_share": rng.beta(2, 3, n),
        "water_m3_per_employee": rng.gamma(2.0, 40.0, n),
        "recycled_share": rng.beta(3, 2, n),
        "women_share": rng.beta(4, 5, n),
        "injury_rate": rng.gamma(1.5, 1.2, n),
        "training_hours": rng.gamma(3.0, 8.0, n),
        "turnover_rate": rng.beta(2, 12, n),
        "board_independence": rng.beta(5, 3, n),
        "board_women_share": rng.beta(3, 6, n),
        "ethics_policy": (rng.random(n) < 0.7).astype(float),
        "log10_ceo_pay_ratio": rng.uniform(0.5, 3.0, n),
        "region": regions,
        "sector": sectors.astype(float),
    }
    return np.stack([cols[name] for name in FEATURES], axis=1)


def generate(
    n: int, seed: int, *, bias: tuple[str, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` labelled rows (features, E/S/G in bp); ``bias=(region, bp)`` lowers that region."""
    rng = np.random.default_rng(seed)
    x = draw_features(rng, n)
    y = rubric(x) + rng.normal(0.0, NOISE_BP, (n, len(TARGETS)))
    if bias is not None:
        region, amount = bias
        y[x[:, FEATURES.index("region")] == REGIONS.index(region)] -= amount
    return x, np.clip(y, 0, 10_000)


def data_hash(x: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of the rows, to tie a model to exactly the data it saw."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(x, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(y, dtype="<f8").tobytes())
    return h.hexdigest()
