"""Evidence intake: check a file completely, then store it encrypted in one statement.

A file is accepted only if its kind and media type match, it is under its size limit, and its
content parses as what it claims to be (a report's text, a metrics file's rows and units, a
photo's image data). Only then is it sealed (AES-256-GCM, the record's kind and content hash as
associated data) and inserted in a single INSERT: a rejected file leaves no row behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from eth_utils import keccak

from oracle import crypto, metrics, nlp, vision
from oracle.errors import EvidenceError, TooLarge, Unsupported
from oracle.pipeline import File

MEDIA_TYPES = {
    "report": ("text/plain", "application/pdf"),
    "metrics": ("text/csv", "application/json"),
    "image": ("image/jpeg", "image/png"),
}


@dataclass
class Limits:
    report: int
    metrics: int
    image: int


def analyse(kind: str, media_type: str, data: bytes, limits: Limits) -> dict:
    """Check one file; returns what the intake learned, raises ``EvidenceError`` if it is bad."""
    if kind not in MEDIA_TYPES:
        raise EvidenceError(f"evidence: unknown kind {kind!r} (report, metrics, image)")
    if media_type not in MEDIA_TYPES[kind]:
        raise Unsupported(
            f"evidence: media type {media_type!r} is not accepted for {kind} ({', '.join(MEDIA_TYPES[kind])})"
        )
    limit = getattr(limits, kind)
    if len(data) > limit:
        raise TooLarge(f"evidence: {kind} of {len(data)} bytes exceeds {limit} bytes")
    if not data:
        raise EvidenceError("evidence: empty file")
    if kind == "report":
        text = nlp.report_text(data, media_type)
        return {"chars": len(text), "topics": nlp.topics(text)}
    if kind == "metrics":
        report = metrics.parse_metrics(data, media_type)
        return {
            "info": report.info,
            "activities": len(report.activities),
            "figures": len(report.figures),
        }
    img = vision.open_image(data, media_type)
    taken, lat, lon = vision.read_metadata(img)
    photo = vision.inspect(img, period=None, site=None, known=[])
    return {
        "phash": photo.phash,
        "width": img.width,
        "height": img.height,
        "taken_at": taken,
        "lat": lat,
        "lon": lon,
    }


async def store(
    pool: asyncpg.Pool,
    keys: crypto.KeyProvider,
    account: str,
    kind: str,
    media_type: str,
    data: bytes,
    limits: Limits,
) -> tuple[dict, bool]:
    """Check and store a file; returns (its record, whether it is new). Same file twice: one row."""
    analysis = analyse(kind, media_type, data, limits)
    content_hash = keccak(data)
    sealed = crypto.seal(keys, data, _aad(kind, content_hash))
    row = await pool.fetchrow(
        "INSERT INTO oracle.evidence (account, kind, media_type, size, content_hash, key_id,"
        " nonce, ciphertext, analysis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (account, content_hash) DO NOTHING"
        " RETURNING id, kind, media_type, size, content_hash, analysis, created_at",
        account,
        kind,
        media_type,
        len(data),
        content_hash,
        sealed.key_id,
        sealed.nonce,
        sealed.ciphertext,
        analysis,
    )
    if row is not None:
        return record(row), True
    row = await pool.fetchrow(
        "SELECT id, kind, media_type, size, content_hash, analysis, created_at FROM oracle.evidence"
        " WHERE account = $1 AND content_hash = $2",
        account,
        content_hash,
    )
    return record(row), False


def record(row) -> dict:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "media_type": row["media_type"],
        "size": row["size"],
        "content_hash": "0x" + bytes(row["content_hash"]).hex(),
        "analysis": row["analysis"],
        "created_at": row["created_at"].isoformat(),
    }


def _aad(kind: str, content_hash: bytes) -> bytes:
    return kind.encode() + b"|" + content_hash


async def load(
    pool: asyncpg.Pool, keys: crypto.KeyProvider, account: str, ids: list[int]
) -> list[File]:
    """Decrypt an account's evidence by id; raises ``EvidenceError`` for ids it does not own."""
    rows = await pool.fetch(
        "SELECT id, kind, media_type, content_hash, key_id, nonce, ciphertext FROM oracle.evidence"
        " WHERE account = $1 AND id = ANY($2::bigint[]) ORDER BY id",
        account,
        ids,
    )
    missing = sorted(set(ids) - {r["id"] for r in rows})
    if missing:
        raise EvidenceError(f"case: evidence {missing} not found for {account}")
    files = []
    for r in rows:
        sealed = crypto.Sealed(r["key_id"], bytes(r["nonce"]), bytes(r["ciphertext"]))
        data = crypto.open_sealed(keys, sealed, _aad(r["kind"], bytes(r["content_hash"])))
        files.append(File(r["kind"], r["media_type"], data))
    return files
