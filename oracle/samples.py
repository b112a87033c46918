"""Generated site photos (seeded) and the demo organizations' evidence shipped in ``data/demo``.

Photos are drawn, not downloaded: ``green_cover`` scenes are mostly foliage greens with sky,
``built`` scenes are grey and blue blocks (roofs, panels, walls). Each carries EXIF capture time
and GPS position, so the metadata checks have something real to read.
"""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from oracle.vision import DATETIME_ORIGINAL, EXIF_IFD, GPS_IFD

DEMO = Path(__file__).resolve().parent / "data" / "demo"
LABELS = ["built", "green_cover"]


def _dms(value: float) -> tuple:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction((value - d - m / 60) * 3600).limit_denominator(1000)
    return (Fraction(d), Fraction(m), s)


def scene(seed: int, kind: str, size: int = 96) -> Image.Image:
    """A synthetic site photo of ``kind`` (one of ``LABELS``)."""
    rng = np.random.default_rng(seed)
    img = np.zeros((size, size, 3), dtype=np.float32)
    sky = rng.integers(size // 5, size // 2)
    img[:sky] = [rng.uniform(120, 190), rng.uniform(160, 210), rng.uniform(210, 255)]
    if kind == "green_cover":
        base = np.array([rng.uniform(30, 80), rng.uniform(110, 180), rng.uniform(30, 70)])
        img[sky:] = base + rng.normal(0, 25, (size - sky, size, 3))
    else:
        img[sky:] = rng.uniform(90, 150) + rng.normal(0, 10, (size - sky, size, 1))
        for _ in range(rng.integers(3, 7)):
            y, x = rng.integers(sky, size - 8), rng.integers(0, size - 8)
            h, w = rng.integers(6, 30), rng.integers(6, 40)
            img[y : y + h, x : x + w] = [
                rng.uniform(20, 70),
                rng.uniform(40, 90),
                rng.uniform(90, 160),
            ]
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def photo_bytes(
    seed: int,
    kind: str,
    *,
    taken: dt.datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    fmt: str = "JPEG",
) -> bytes:
    """A site photo encoded as JPEG (or PNG) with EXIF time and position when given."""
    img = scene(seed, kind)
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if lat is not None and lon is not None:
        gps = exif.get_ifd(GPS_IFD)
        gps.update({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W"})
        gps[4] = _dms(lon)
    out = io.BytesIO()
    img.save(out, format=fmt, exif=exif.tobytes(), quality=90)
    return out.getvalue()


def demo_file(name: str) -> bytes:
    """One shipped demo evidence file."""
    return (DEMO / name).read_bytes()
