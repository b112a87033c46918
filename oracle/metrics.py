"""Metrics files (CSV or JSON) and their emissions: tCO2e from activity data, GHG Protocol method.

A metrics file holds one organization's reporting period: activity data (energy by source, fuel,
travel, water, waste) with units, workforce and governance figures, and who and where the
organization is (region, sector, main site). Every quantity is unit-checked with pint against the
factor's unit; a unit of the wrong dimension or an unknown activity is an ``EvidenceError``.

CSV columns: ``kind,name,value,unit`` where kind is ``info``, ``activity`` or ``figure``.
JSON: ``{"info": {...}, "activities": [{"name", "value", "unit"}], "figures": {...}}``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pint

from oracle.errors import EvidenceError

DATA = Path(__file__).resolve().parent / "data"
REGIONS = ("europe", "north_america", "latin_america", "africa", "asia_pacific")
SECTORS = ("manufacturing", "services", "energy", "agriculture", "retail")
RENEWABLE = ("electricity_solar", "electricity_wind", "electricity_hydro")

# Workforce and governance figures: (lowest, highest) accepted value.
FIGURES = {
    "employees": (1, 10_000_000),
    "women_share": (0.0, 1.0),
    "injury_rate": (0.0, 100.0),
    "training_hours": (0.0, 500.0),
    "turnover_rate": (0.0, 1.0),
    "board_independence": (0.0, 1.0),
    "board_women_share": (0.0, 1.0),
    "ethics_policy": (0.0, 1.0),
    "ceo_pay_ratio": (1.0, 5000.0),
}
REQUIRED_FIGURES = ("employees",)
INFO_TEXT = ("region", "sector", "period")
INFO_NUMBERS = ("site_lat", "site_lon")

ureg = pint.UnitRegistry()
ureg.define("m3 = meter ** 3")  # how metering and utility bills write cubic metres


@cache
def factor_table() -> dict:
    """The shipped emission factors with their sources (``data/emission_factors.json``)."""
    return json.loads((DATA / "emission_factors.json").read_text())


@dataclass
class Activity:
    name: str
    value: float
    unit: str


@dataclass
class MetricsReport:
    """One organization's period as submitted."""

    info: dict[str, str | float]
    activities: list[Activity]
    figures: dict[str, float]

    @property
    def region(self) -> str:
        return str(self.info["region"])

    @property
    def sector(self) -> str:
        return str(self.info["sector"])


@dataclass
class Emissions:
    """The GHG inventory computed from a report: tCO2e per scope and per activity line."""

    scope1: float = 0.0
    scope2: float = 0.0
    scope3: float = 0.0
    avoided: float = 0.0
    lines: list[dict] = field(default_factory=list)
    electricity_kwh: float = 0.0
    renewable_kwh: float = 0.0
    water_m3: float = 0.0
    waste_t: float = 0.0
    recycled_t: float = 0.0

    @property
    def total(self) -> float:
        return self.scope1 + self.scope2 + self.scope3


def _number(name: str, raw) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise EvidenceError(f"metrics: {name} value {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise EvidenceError(f"metrics: {name} value {raw!r} is not finite")
    return value


def parse_metrics(data: bytes, media_type: str) -> MetricsReport:
    """Parse and check a metrics file; raises ``EvidenceError`` naming the first bad entry."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError("metrics: file is not UTF-8 text") from None
    if media_type == "application/json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise EvidenceError(f"metrics: invalid JSON ({e.msg} at line {e.lineno})") from None
        if not isinstance(doc, dict):
            raise EvidenceError("metrics: JSON must be an object with info, activities, figures")
        info = doc.get("info") or {}
        acts = doc.get("activities") or []
        figs = doc.get("figures") or {}
        if not (isinstance(info, dict) and isinstance(acts, list) and isinstance(figs, dict)):
            raise EvidenceError("metrics: info and figures must be objects, activities a list")
        rows = [("info", k, v, "") for k, v in info.items()]
        for a in acts:
            if not isinstance(a, dict):
                raise EvidenceError("metrics: each activity must be an object")
            rows.append(("activity", a.get("name"), a.get("value"), a.get("unit")))
        rows += [("figure", k, v, "") for k, v in figs.items()]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or not {"kind", "name", "value"} <= set(reader.fieldnames):
            raise EvidenceError("metrics: CSV needs the columns kind,name,value,unit")
        rows = [(r["kind"], r["name"], r["value"], r.get("unit") or "") for r in reader]
    return _check(rows)


def _check(rows) -> MetricsReport:
    factors, avoided = factor_table()["factors"], factor_table()["avoided"]
    info: dict[str, str | float] = {}
    activities: list[Activity] = []
    figures: dict[str, float] = {}
    for kind, name, value, unit in rows:
        name = str(name or "").strip()
        if kind == "info":
            if name in INFO_TEXT:
                info[name] = str(value).strip()
            elif name in INFO_NUMBERS:
                info[name] = _number(name, value)
            else:
                raise EvidenceError(f"metrics: unknown info field {name!r}")
        elif kind == "activity":
            if name not in factors and name not in avoided:
                raise EvidenceError(f"metrics: unknown activity {name!r}")
            qty = _number(name, value)
            if qty < 0:
                raise EvidenceError(f"metrics: {name} value {qty} is negative")
            per = (factors.get(name) or avoided[name])["per"]
            try:
                ureg.Quantity(qty, str(unit or "")).to(per)
            except (pint.errors.UndefinedUnitError, pint.errors.DimensionalityError, ValueError):
                raise EvidenceError(
                    f"metrics: unit {unit!r} of {name} is not a unit of {per}"
                ) from None
            activities.append(Activity(name, qty, str(unit)))
        elif kind == "figure":
            if name not in FIGURES:
                raise EvidenceError(f"metrics: unknown figure {name!r}")
            lo, hi = FIGURES[name]
            v = _number(name, value)
            if not lo <= v <= hi:
                raise EvidenceError(f"metrics: {name} = {v} is outside [{lo}, {hi}]")
            figures[name] = v
        else:
            raise EvidenceError(f"metrics: unknown row kind {kind!r} (info, activity, figure)")
    if info.get("region") not in REGIONS:
        raise EvidenceError(f"metrics: region {info.get('region')!r} is not one of {REGIONS}")
    if info.get("sector") not in SECTORS:
        raise EvidenceError(f"metrics: sector {info.get('sector')!r} is not one of {SECTORS}")
    for name in REQUIRED_FIGURES:
        if name not in figures:
            raise EvidenceError(f"metrics: figure {name!r} is required")
    return MetricsReport(info, activities, figures)


def emissions(report: MetricsReport) -> Emissions:
    """tCO2e per scope: each activity converted to its factor's unit, times the factor."""
    table = factor_table()
    out = Emissions()
    for a in report.activities:
        if a.name in table["avoided"]:
            spec = table["avoided"][a.name]
            factor = table["factors"][spec["replaces"]]
            qty = ureg.Quantity(a.value, a.unit).to(spec["per"]).magnitude
            tonnes = qty * factor["kg_co2e"] / 1000
            out.avoided += tonnes
            out.lines.append(
                {"activity": a.name, "avoided_t": tonnes, "source": factor["source"], "scope": 0}
            )
            continue
        factor = table["factors"][a.name]
        qty = ureg.Quantity(a.value, a.unit).to(factor["per"]).magnitude
        tonnes = qty * factor["kg_co2e"] / 1000
        scope = factor["scope"]
        setattr(out, f"scope{scope}", getattr(out, f"scope{scope}") + tonnes)
        out.lines.append(
            {
                "activity": a.name,
                "quantity": qty,
                "unit": factor["per"],
                "tco2e": tonnes,
                "scope": scope,
                "source": factor["source"],
            }
        )
        if a.name.startswith("electricity_"):
            out.electricity_kwh += qty
            if a.name in RENEWABLE:
                out.renewable_kwh += qty
        elif a.name == "water_supply":
            out.water_m3 += qty
        elif a.name.startswith("waste_"):
            out.waste_t += qty
            if a.name == "waste_recycled":
                out.recycled_t += qty
    return out


def avoided_by_action(report: MetricsReport) -> list[dict]:
    """Verified actions (bike commuting, on-site solar) with the tCO2e each one avoided."""
    return [line for line in emissions(report).lines if line["scope"] == 0]
