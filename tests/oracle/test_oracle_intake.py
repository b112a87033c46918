"""Evidence intake over HTTPS: limits and type checks answer 4xx and store nothing; evidence is
stored encrypted and decrypts with the oracle's key file, also after a key rotation."""

from __future__ import annotations

import pytest

from oracle import crypto, samples
from tests.support.oracle import query


@pytest.fixture
def bob(oracle, oracle_world):
    c = oracle.client()
    c.sign_in(oracle_world.who.bob.private_key, oracle_world.chain_id)
    return c


def _count(oracle_world) -> int:
    return query(oracle_world.db_url, "SELECT count(*) FROM oracle.evidence")[0][0]


METRICS = samples.demo_file("bob-metrics-2025.json")
BIG_JPEG = b"\xff\xd8" + b"0" * 300_000
PNG = samples.photo_bytes(1, "built", fmt="PNG")
KG_FLIGHT = METRICS.replace(b'"unit": "km"}', b'"unit": "kg"}', 1)
JSON, CSV, TEXT = "application/json", "text/csv", "text/plain"

# Each bad upload (kind, file name, content, media type), its status and a piece of its message.
BAD_EVIDENCE = {
    "too-large": ("image", "big.jpg", BIG_JPEG, "image/jpeg", 413, "exceeds 200000 bytes"),
    "gif": ("image", "x.gif", b"GIF89a....", "image/gif", 415, "'image/gif' is not accepted"),
    "png-as-jpeg": ("image", "x.jpg", PNG, "image/jpeg", 422, "content is PNG"),
    "bad-pdf": ("report", "r.pdf", b"%PDF-1.4 garbage", "application/pdf", 422, "unreadable PDF"),
    "not-utf8": ("report", "r.txt", b"\xff\xfe\x00bad", TEXT, 422, "not UTF-8"),
    "bad-json": ("metrics", "m.json", b"{not json", JSON, 422, "invalid JSON"),
    "wrong-unit": ("metrics", "m.json", KG_FLIGHT, JSON, 422, "unit 'kg' of flight_short_haul"),
    "bad-csv": ("metrics", "m.csv", b"a,b\n1,2\n", CSV, 422, "columns kind,name,value,unit"),
    "kind": ("receipts", "m.csv", b"x", CSV, 422, "unknown kind 'receipts'"),
    "empty": ("report", "empty.txt", b"", TEXT, 422, "empty file"),
}


@pytest.mark.parametrize(
    "kind, name, data, media_type, status, message",
    list(BAD_EVIDENCE.values()),
    ids=list(BAD_EVIDENCE),
)
def test_bad_evidence_is_refused_and_nothing_is_stored(
    bob, oracle_world, kind, name, data, media_type, status, message
):
    before = _count(oracle_world)
    r = bob.http.post("/v1/evidence", data={"kind": kind}, files={"file": (name, data, media_type)})
    assert r.status_code == status, r.text
    assert message in r.json()["detail"]
    assert _count(oracle_world) == before


def test_a_body_over_every_limit_is_refused_before_parsing(bob, oracle_world):
    before = _count(oracle_world)
    big = b"Our scope 1 emissions were 10 tCO2e. " * 160_000  # ~6 MB, over the 5 MB report limit
    r = bob.http.post(
        "/v1/evidence", data={"kind": "report"}, files={"file": ("r.txt", big, "text/plain")}
    )
    assert r.status_code == 413 and "body over" in r.json()["detail"]
    assert _count(oracle_world) == before


def test_upload_needs_a_token(oracle, oracle_world):
    before = _count(oracle_world)
    r = oracle.client().http.post(
        "/v1/evidence",
        data={"kind": "metrics"},
        files={"file": ("m.json", METRICS, "application/json")},
    )
    assert r.status_code == 401 and _count(oracle_world) == before


def test_evidence_is_stored_encrypted_once(bob, oracle_world):
    first = bob.upload("metrics", "m.json", METRICS, "application/json")
    again = bob.http.post(
        "/v1/evidence",
        data={"kind": "metrics"},
        files={"file": ("m.json", METRICS, "application/json")},
    )
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    (row,) = query(
        oracle_world.db_url,
        "SELECT key_id, nonce, ciphertext, kind, content_hash FROM oracle.evidence WHERE id = $1",
        first["id"],
    )
    assert b"bike_commute" not in bytes(row["ciphertext"])
    key_file = oracle_world.home / "run" / "oracle" / "evidence.keys"
    keys = crypto.StaticKeys.from_file(key_file)
    sealed = crypto.Sealed(row["key_id"], bytes(row["nonce"]), bytes(row["ciphertext"]))
    aad = row["kind"].encode() + b"|" + bytes(row["content_hash"])
    assert crypto.open_sealed(keys, sealed, aad) == METRICS
    # The key file rotated (a new first key, the old one kept): the old record still opens.
    rotated = crypto.StaticKeys.parse(
        crypto.new_key_entry("next") + "," + ",".join(key_file.read_text().split())
    )
    assert rotated.active()[0] == "next"
    assert crypto.open_sealed(rotated, sealed, aad) == METRICS
    # Another organization's upload of the same bytes is its own record.
    assert (
        bob.http.get(f"/v1/evidence/{first['id']}").json()["analysis"]["info"]["region"]
        == "north_america"
    )


def test_someone_elses_evidence_is_not_visible(bob, oracle, oracle_world):
    mine = bob.upload("report", "r.txt", b"Our scope 1 emissions were 10 tCO2e.", "text/plain")
    carol = oracle.client()
    carol.sign_in(oracle_world.who.carol.private_key, oracle_world.chain_id)
    assert carol.http.get(f"/v1/evidence/{mine['id']}").status_code == 404
    r = carol.http.post("/v1/cases", json={"evidence_ids": [mine["id"]]})
    assert r.status_code == 422 and "not found" in r.json()["detail"]
