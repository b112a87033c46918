"""Reports: which E/S/G topics a report covers and which quantitative claims it makes.

Topics are counted with a lexicon per pillar (word-boundary matches, case-insensitive). Claims
are sentences that state a figure the metrics file also carries (scope emissions in tCO2e,
renewable share, women's share of the workforce, board independence, employees, water, injury
rate); each is compared with the value computed from the submitted metrics, and a claim off by
more than the tolerance is flagged as contradicted.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from oracle.errors import EvidenceError
from oracle.metrics import Emissions, MetricsReport

TOLERANCE = 0.10  # relative difference above which a claim is contradicted
ABS_TOLERANCE = {"share": 0.02}  # shares: two percentage points

LEXICON = {
    "environmental": (
        "emission",
        "emissions",
        "carbon",
        "co2",
        "climate",
        "renewable",
        "energy",
        "solar",
        "wind",
        "water",
        "waste",
        "recycl",
        "biodiversity",
        "scope 1",
        "scope 2",
        "scope 3",
        "net zero",
        "pollution",
    ),
    "social": (
        "employee",
        "employees",
        "workforce",
        "diversity",
        "women",
        "gender",
        "safety",
        "injury",
        "training",
        "community",
        "human rights",
        "wellbeing",
        "turnover",
        "labour",
        "labor",
    ),
    "governance": (
        "board",
        "independent",
        "independence",
        "audit",
        "ethics",
        "anti-corruption",
        "bribery",
        "shareholder",
        "remuneration",
        "compliance",
        "whistleblow",
        "transparency",
        "risk committee",
    ),
}

NUM = r"(\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)"
# (claim key, kind, pattern): the first group is the number; kinds are "share" or "amount".
CLAIMS = (
    ("scope1_tco2e", "amount", rf"scope\s*1[^.\d]{{0,60}}?{NUM}\s*(?:t|tonnes?|tons?)\s*co2e?"),
    ("scope2_tco2e", "amount", rf"scope\s*2[^.\d]{{0,60}}?{NUM}\s*(?:t|tonnes?|tons?)\s*co2e?"),
    ("scope3_tco2e", "amount", rf"scope\s*3[^.\d]{{0,60}}?{NUM}\s*(?:t|tonnes?|tons?)\s*co2e?"),
    (
        "total_tco2e",
        "amount",
        rf"(?:total|overall)\s+(?:ghg\s+|greenhouse[- ]gas\s+|carbon\s+)?emissions[^.\d]{{0,40}}?"
        rf"{NUM}\s*(?:t|tonnes?|tons?)\s*co2e?",
    ),
    (
        "renewable_share",
        "share",
        rf"{NUM}\s*%\s*(?:of\s+(?:our\s+)?electricity\s+)?[^.]{{0,30}}?renewable",
    ),
    ("renewable_share", "share", rf"renewable[^.\d]{{0,60}}?{NUM}\s*%"),
    ("women_share", "share", rf"women[^.\d]{{0,60}}?{NUM}\s*%"),
    (
        "women_share",
        "share",
        rf"{NUM}\s*%\s*(?:of\s+(?:our\s+)?(?:workforce|employees|staff)\s+)?(?:are\s+)?women",
    ),
    (
        "board_independence",
        "share",
        rf"{NUM}\s*%\s*(?:of\s+(?:the\s+|our\s+)?board[^.]{{0,20}}?)?independent",
    ),
    ("board_independence", "share", rf"board[^.\d]{{0,40}}?independen[^.\d]{{0,20}}?{NUM}\s*%"),
    ("employees", "amount", rf"{NUM}\s+(?:employees|people|staff)\b"),
    ("water_m3", "amount", rf"water[^.\d]{{0,60}}?{NUM}\s*(?:m3|m³|cubic met)"),
)


@dataclass
class Claim:
    key: str
    stated: float
    sentence: str
    actual: float | None = None
    contradicted: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "stated": self.stated,
            "actual": None if self.actual is None else round(self.actual, 4),
            "contradicted": self.contradicted,
            "sentence": self.sentence[:300],
        }


def report_text(data: bytes, media_type: str) -> str:
    """The text of a report: UTF-8 text as is, a PDF through pypdf."""
    if media_type == "application/pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as e:
            raise EvidenceError(f"report: unreadable PDF ({e})") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvidenceError("report: text is not UTF-8") from None
    if not text.strip():
        raise EvidenceError("report: no text found")
    return text


def topics(text: str) -> dict[str, int]:
    """Lexicon hits per pillar."""
    low = text.lower()
    return {
        pillar: sum(len(re.findall(rf"\b{re.escape(w)}", low)) for w in words)
        for pillar, words in LEXICON.items()
    }


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n{2,}", text) if s.strip()]


def claims(text: str) -> list[Claim]:
    """Every quantitative claim the report makes (first match of each key per sentence)."""
    found: list[Claim] = []
    for sentence in _sentences(text):
        low = sentence.lower()
        seen = set()
        for key, kind, pattern in CLAIMS:
            if key in seen:
                continue
            m = re.search(pattern, low)
            if m:
                value = float(re.sub(r"[,\s]", "", m.group(1)))
                found.append(Claim(key, value / 100 if kind == "share" else value, sentence))
                seen.add(key)
    return found


def actual_values(report: MetricsReport, em: Emissions) -> dict[str, float]:
    """The claimable figures computed from a metrics file."""
    values = {
        "scope1_tco2e": em.scope1,
        "scope2_tco2e": em.scope2,
        "scope3_tco2e": em.scope3,
        "total_tco2e": em.total,
        "employees": report.figures["employees"],
        "water_m3": em.water_m3,
    }
    if em.electricity_kwh:
        values["renewable_share"] = em.renewable_kwh / em.electricity_kwh
    for key in ("women_share", "board_independence"):
        if key in report.figures:
            values[key] = report.figures[key]
    return values


def check(found: list[Claim], actual: dict[str, float]) -> list[Claim]:
    """Compare claims with the metrics; sets ``actual`` and ``contradicted`` on each."""
    for c in found:
        if c.key not in actual:
            continue
        c.actual = actual[c.key]
        if c.key.endswith("share") or c.key == "board_independence":
            c.contradicted = abs(c.stated - c.actual) > ABS_TOLERANCE["share"]
        else:
            c.contradicted = abs(c.stated - c.actual) > TOLERANCE * max(abs(c.actual), 1e-9)
    return found
