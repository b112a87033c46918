"""Site photos: type checks, reused-photo detection, metadata checks, and a pluggable classifier.

A photo is hashed perceptually (pHash, 64 bits): a photo within ``REUSE_DISTANCE`` bits of one
already on file (from any organization) is flagged as reused, which catches re-encoded, resized
or lightly edited copies that a content hash misses. Its EXIF metadata must place it within the
reporting period (not in the future) and within ``MAX_SITE_KM`` of the organization's site.

An ``ImageClassifier`` labels what a photo shows; ``OnnxClassifier`` runs any ONNX model that
takes the colour-histogram features of ``histogram`` (the one ``python -m oracle.train`` builds
from generated images), and another ONNX model with its own preprocessing can replace it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import imagehash
import numpy as np
from PIL import Image, UnidentifiedImageError

from oracle.errors import EvidenceError

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PIXELS = 40_000_000
REUSE_DISTANCE = 6
MAX_SITE_KM = 5.0
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL = 36867
HIST_BINS = 8


@dataclass
class Photo:
    """What the intake learns from one photo."""

    phash: str
    width: int
    height: int
    taken_at: str | None = None
    lat: float | None = None
    lon: float | None = None
    flags: list[str] = field(default_factory=list)
    labels: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def open_image(data: bytes, media_type: str) -> Image.Image:
    """Decode and check a photo: its bytes must be the declared format and not too large."""
    try:
        img = Image.open(io.BytesIO(data))
        if img.format != FORMATS.get(media_type):
            raise EvidenceError(
                f"image: content is {img.format or 'unknown'}, declared {media_type}"
            )
        if img.width * img.height > MAX_PIXELS:
            raise EvidenceError(f"image: {img.width}x{img.height} exceeds {MAX_PIXELS} pixels")
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
        raise EvidenceError(f"image: cannot decode ({e})") from None
    return img


def _rational(v) -> float:
    return float(v[0]) / float(v[1]) if isinstance(v, tuple) else float(v)


def _degrees(dms, ref: str) -> float:
    d, m, s = (_rational(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if ref in ("S", "W") else value


def read_metadata(img: Image.Image) -> tuple[str | None, float | None, float | None]:
    """(taken at, latitude, longitude) from EXIF, each None when absent or unreadable."""
    exif = img.getexif()
    taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(306)
    when = None
    if taken:
        try:
            when = dt.datetime.strptime(str(taken).strip("\x00"), "%Y:%m:%d %H:%M:%S").isoformat()
        except ValueError:
            when = None
    gps = exif.get_ifd(GPS_IFD)
    lat = lon = None
    try:
        if 2 in gps and 4 in gps:
            lat = _degrees(gps[2], gps.get(1, "N"))
            lon = _degrees(gps[4], gps.get(3, "E"))
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        lat = lon = None
    return when, lat, lon


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def inspect(
    img: Image.Image,
    *,
    period: str | None,
    site: tuple[float, float] | None,
    known: list[tuple[str, str]],
    now: dt.datetime | None = None,
) -> Photo:
    """Hash a photo and check it; ``known`` holds (phash, owner label) of photos on file."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ph = imagehash.phash(img)
    taken, lat, lon = read_metadata(img)
    photo = Photo(str(ph), img.width, img.height, taken, lat, lon)
    for other, owner in known:
        if ph - imagehash.hex_to_hash(other) <= REUSE_DISTANCE:
            photo.flags.append(f"reused photo (pHash within {REUSE_DISTANCE} bits of {owner})")
            break
    if taken is None:
        photo.flags.append("no capture time in metadata")
    else:
        when = dt.datetime.fromisoformat(taken)
        if when > now + dt.timedelta(days=1):
            photo.flags.append(f"capture time {taken} is in the future")
        elif period and str(when.year) != str(period):
            photo.flags.append(f"capture time {taken} is outside the period {period}")
    if site is not None:
        if lat is None:
            photo.flags.append("no location in metadata")
        else:
            km = distance_km(lat, lon, *site)
            if km > MAX_SITE_KM:
                photo.flags.append(f"taken {km:.1f} km from the site (limit {MAX_SITE_KM} km)")
    return photo


def histogram(img: Image.Image) -> np.ndarray:
    """The classifier's input: a normalized 8-bin histogram per RGB channel (24 floats)."""
    rgb = np.asarray(img.convert("RGB").resize((64, 64)), dtype=np.float32)
    parts = [np.histogram(rgb[:, :, c], bins=HIST_BINS, range=(0, 256))[0] for c in range(3)]
    h = np.concatenate(parts).astype(np.float32)
    return h / h.sum()


class ImageClassifier(Protocol):
    """Labels what a photo shows, with probabilities."""

    name: str

    def classify(self, img: Image.Image) -> dict[str, float]: ...


class OnnxClassifier:
    """An ONNX model over ``histogram`` features, run with onnxruntime on the CPU."""

    def __init__(self, path: Path, labels: list[str]) -> None:
        import onnxruntime as ort

        self.name = path.stem
        self.labels = labels
        self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name

    def classify(self, img: Image.Image) -> dict[str, float]:
        outputs = self.session.run(None, {self.input: histogram(img)[None, :]})
        probs = outputs[1][0] if len(outputs) > 1 else outputs[0][0]
        if isinstance(probs, dict):
            return {str(self.labels[int(k)]): round(float(v), 4) for k, v in probs.items()}
        return {label: round(float(p), 4) for label, p in zip(self.labels, probs, strict=False)}
