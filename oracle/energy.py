"""Energy and CO2e spent by a block of work (training a model, scoring a batch).

Measured with Intel/AMD RAPL counters (``/sys/class/powercap/*/energy_uj``) when the kernel
exposes them readable; otherwise estimated as the process's CPU time (user + system, this
process and its waited-for children) times a per-core power figure. The default figure, 4.4 W
per busy core, is an AMD EPYC 7763's 280 W TDP over its 64 cores; set ``ORACLE_WATTS_PER_CORE``
for another machine. Emissions are energy times the grid factor of the shipped factor table.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oracle.metrics import factor_table
from oracle.settings import Settings

POWERCAP = Path("/sys/class/powercap")


@dataclass
class Energy:
    """What a metered block used."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    joules: float = 0.0
    method: str = ""

    @property
    def kwh(self) -> float:
        return self.joules / 3.6e6

    @property
    def kg_co2e(self) -> float:
        return self.kwh * factor_table()["factors"]["electricity_grid"]["kg_co2e"]

    def as_dict(self) -> dict:
        return {
            "seconds": round(self.seconds, 4),
            "cpu_seconds": round(self.cpu_seconds, 4),
            "kwh": self.kwh,
            "kg_co2e": self.kg_co2e,
            "method": self.method,
            "grid_factor_source": factor_table()["factors"]["electricity_grid"]["source"],
        }


def _rapl_uj() -> int | None:
    """Sum of the package-level RAPL counters, or None when none is readable."""
    total, found = 0, False
    for zone in POWERCAP.glob("intel-rapl:*"):
        if zone.name.count(":") != 1:
            continue  # sub-zones (core, dram) are already inside the package figure
        try:
            total += int((zone / "energy_uj").read_text())
            found = True
        except (OSError, ValueError):
            return None
    return total if found else None


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def metered() -> Iterator[Energy]:
    """Meter the ``with`` block; the yielded ``Energy`` is filled in when the block ends."""
    out = Energy()
    watts = Settings().watts_per_core
    t0, c0, r0 = time.perf_counter(), _cpu_seconds(), _rapl_uj()
    try:
        yield out
    finally:
        out.seconds = time.perf_counter() - t0
        out.cpu_seconds = _cpu_seconds() - c0
        r1 = _rapl_uj()
        if r0 is not None and r1 is not None and r1 >= r0:
            out.joules, out.method = (r1 - r0) / 1e6, "rapl"
        else:
            out.joules = out.cpu_seconds * watts
            out.method = f"cpu-time x {watts} W/core"
