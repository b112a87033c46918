"""The oracle's pure parts: encryption, emissions and units, claims, photos, models and ethics."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from oracle import crypto, dataset, ethics, metrics, model, nlp, pipeline, samples, train, vision
from oracle.errors import EvidenceError

# -- encryption at rest ------------------------------------------------------------------------


def test_encryption_round_trip():
    keys = crypto.StaticKeys.parse(crypto.new_key_entry("k1"))
    sealed = crypto.seal(keys, b"scope 1: 566 tCO2e", b"report|hash")
    assert sealed.key_id == "k1" and len(sealed.nonce) == 12
    assert b"566" not in sealed.ciphertext
    assert crypto.open_sealed(keys, sealed, b"report|hash") == b"scope 1: 566 tCO2e"
    # A fresh nonce per record: the same plaintext never encrypts the same way twice.
    assert crypto.seal(keys, b"scope 1: 566 tCO2e", b"report|hash").ciphertext != sealed.ciphertext


@pytest.mark.parametrize("part", ["ciphertext", "tag", "nonce", "aad"])
def test_a_flipped_byte_fails(part):
    keys = crypto.StaticKeys.parse(crypto.new_key_entry("k1"))
    sealed = crypto.seal(keys, b"evidence bytes", b"image|hash")
    ct, nonce, aad = bytearray(sealed.ciphertext), bytearray(sealed.nonce), bytearray(b"image|hash")
    {"ciphertext": ct, "tag": ct, "nonce": nonce, "aad": aad}[part][-1 if part == "tag" else 0] ^= (
        0x01
    )
    tampered = crypto.Sealed(sealed.key_id, bytes(nonce), bytes(ct))
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        crypto.open_sealed(keys, tampered, bytes(aad))


def test_rotation_keeps_old_records_readable():
    old = crypto.new_key_entry("2025")
    before = crypto.StaticKeys.parse(old)
    record = crypto.seal(before, b"old record", b"a")
    after = crypto.StaticKeys.parse(crypto.new_key_entry("2026") + "," + old)
    assert after.active()[0] == "2026"
    new_record = crypto.seal(after, b"new record", b"a")
    assert new_record.key_id == "2026"
    assert crypto.open_sealed(after, record, b"a") == b"old record"
    assert crypto.open_sealed(after, new_record, b"a") == b"new record"
    with pytest.raises(crypto.DecryptionError, match="unknown key id"):
        crypto.open_sealed(before, new_record, b"a")


def test_bad_key_entries_are_named():
    with pytest.raises(ValueError, match="'k9' is 16 bytes"):
        crypto.StaticKeys.parse("k9:" + "A" * 22 + "==")
    with pytest.raises(ValueError, match="no evidence key"):
        crypto.StaticKeys.parse(" , ")


# -- emissions and units -----------------------------------------------------------------------


def _csv(*rows: str) -> bytes:
    head = (
        "kind,name,value,unit\ninfo,region,europe,\ninfo,sector,services,\nfigure,employees,10,\n"
    )
    return (head + "\n".join(rows) + "\n").encode()


def test_emissions_follow_the_factor_table():
    report = metrics.parse_metrics(
        _csv(
            "activity,natural_gas,1,MWh",
            "activity,electricity_grid,2000,kWh",
            "activity,diesel,1000,L",
        ),
        "text/csv",
    )
    em = metrics.emissions(report)
    f = metrics.factor_table()["factors"]
    assert em.scope1 == pytest.approx(
        1000 * f["natural_gas"]["kg_co2e"] / 1000 + f["diesel"]["kg_co2e"]
    )
    assert em.scope2 == pytest.approx(2 * f["electricity_grid"]["kg_co2e"])
    assert all(line["source"] for line in em.lines)


def test_every_factor_names_its_source_and_a_known_unit():
    table = metrics.factor_table()
    assert "GHG Protocol" in table["method"]
    for name, f in table["factors"].items():
        assert f["source"] and f["scope"] in (1, 2, 3), name
        metrics.ureg.Quantity(1, f["per"])  # parses


@pytest.mark.parametrize(
    "row, message",
    [
        ("activity,natural_gas,100,kg", "unit 'kg' of natural_gas is not a unit of kWh"),
        ("activity,diesel,5,kWh", "unit 'kWh' of diesel is not a unit of L"),
        ("activity,diesel,5,furlongs", "unit 'furlongs' of diesel"),
        ("activity,unobtainium,5,kg", "unknown activity 'unobtainium'"),
        ("activity,diesel,-5,L", "is negative"),
        ("activity,diesel,lots,L", "'lots' is not a number"),
        ("figure,women_share,1.7,", "women_share = 1.7 is outside"),
        ("wat,diesel,5,L", "unknown row kind 'wat'"),
    ],
)
def test_a_bad_row_is_named(row, message):
    with pytest.raises(EvidenceError, match=message.replace("(", r"\(")):
        metrics.parse_metrics(_csv(row), "text/csv")


def test_json_metrics_equal_csv_metrics():
    data = samples.demo_file("bob-metrics-2025.json")
    report = metrics.parse_metrics(data, "application/json")
    assert report.region == "north_america" and report.figures["employees"] == 95
    (action,) = metrics.avoided_by_action(report)
    assert action["activity"] == "bike_commute" and action["avoided_t"] > 0


# -- reports: topics and claims ----------------------------------------------------------------


def _demo_case(report_text: str | None = None, photos: list[bytes] | None = None):
    files = [
        pipeline.File("metrics", "text/csv", samples.demo_file("alice-metrics-2025.csv")),
        pipeline.File(
            "report",
            "text/plain",
            report_text.encode() if report_text else samples.demo_file("alice-report-2025.txt"),
        ),
    ]
    return files + [pipeline.File("image", "image/jpeg", p) for p in photos or []]


def test_a_contradicting_claim_is_flagged(tiny_model):
    honest = pipeline.assess(_demo_case(), tiny_model)
    assert honest["claims"] and not any(c["contradicted"] for c in honest["claims"])
    assert honest["topics"]["environmental"] > 0 and honest["topics"]["governance"] > 0
    text = samples.demo_file("alice-report-2025.txt").decode().replace("566 tCO2e", "120 tCO2e")
    lying = pipeline.assess(_demo_case(text), tiny_model)
    (bad,) = [c for c in lying["claims"] if c["contradicted"]]
    assert bad["key"] == "scope1_tco2e" and bad["stated"] == 120 and bad["actual"] > 500
    reasons = pipeline.review_reasons(lying, pipeline.overall(*pipeline.components(lying)), 1000)
    assert reasons == [
        f"claim contradicted by the metrics: scope1_tco2e stated 120.0, metrics give {bad['actual']}"
    ]


def test_share_claims_are_compared_in_points():
    claims = nlp.check(
        nlp.claims("45% of our electricity came from renewable sources."), {"renewable_share": 0.40}
    )
    assert claims[0].contradicted
    claims = nlp.check(
        nlp.claims("41% of our electricity came from renewable sources."), {"renewable_share": 0.40}
    )
    assert not claims[0].contradicted


# -- photos --------------------------------------------------------------------------------------


def test_reused_and_misplaced_photos_are_flagged(tiny_model):
    site = (51.5072, -0.1276)
    good = samples.photo_bytes(1, "built", taken=dt.datetime(2025, 5, 1), lat=site[0], lon=site[1])
    a = pipeline.assess(_demo_case(photos=[good]), tiny_model)
    assert a["photos"][0]["flags"] == []
    known = [(a["photos"][0]["phash"], "evidence 7")]
    # The same scene re-encoded as PNG (no metadata left) is still the same photo to a pHash.
    out = io.BytesIO()
    vision.open_image(good, "image/jpeg").save(out, format="PNG")
    files = _demo_case() + [pipeline.File("image", "image/png", out.getvalue())]
    flags = pipeline.assess(files, tiny_model, known_photos=known)["photos"][0]["flags"]
    assert "reused photo (pHash within 6 bits of evidence 7)" in flags
    assert "no capture time in metadata" in flags
    # Another scene, a year early and in Paris.
    elsewhere = samples.photo_bytes(
        9, "green_cover", taken=dt.datetime(2024, 5, 1), lat=48.85, lon=2.35
    )
    flags = pipeline.assess(_demo_case(photos=[elsewhere]), tiny_model, known_photos=known)[
        "photos"
    ][0]["flags"]
    assert not any("reused" in f for f in flags)
    assert any("outside the period 2025" in f for f in flags)
    assert any(f.startswith("taken 3") and "km from the site" in f for f in flags)


def test_declared_type_must_match_the_content():
    png = samples.photo_bytes(1, "built", fmt="PNG")
    with pytest.raises(EvidenceError, match="content is PNG, declared image/jpeg"):
        vision.open_image(png, "image/jpeg")
    with pytest.raises(EvidenceError, match="cannot decode"):
        vision.open_image(b"\xff\xd8\xff not really a jpeg", "image/jpeg")


def test_onnx_classifier_labels_generated_scenes(tiny_model_dir):
    clf = vision.OnnxClassifier(tiny_model_dir / f"{train.CLASSIFIER}.onnx", samples.LABELS)
    right = 0
    for i in range(20):
        kind = samples.LABELS[i % 2]
        labels = clf.classify(samples.scene(10_000 + i, kind))
        assert set(labels) == set(samples.LABELS) and sum(labels.values()) == pytest.approx(
            1, abs=1e-3
        )
        right += max(labels, key=labels.get) == kind
    assert right >= 16


# -- models and their ethics -------------------------------------------------------------------


def test_training_is_reproducible(tmp_path):
    params = model.Params(n_estimators=15, seed=3)
    a = train.build(tmp_path / "a", rows=500, seed=3, params=params, photos=0)
    b = train.build(tmp_path / "b", rows=500, seed=3, params=params, photos=0)
    assert a.digest == b.digest and a.version == b.version and a.data_hash == b.data_hash
    other = train.build(
        tmp_path / "c", rows=500, seed=4, params=model.Params(n_estimators=15, seed=4), photos=0
    )
    assert other.digest != a.digest
    loaded = model.load(tmp_path / "a")
    assert loaded.version == a.version and (tmp_path / "a" / f"{a.version}.card.json").exists()


def test_a_deliberately_biased_data_set_is_flagged():
    params = model.Params(n_estimators=30, seed=5)
    x, y = dataset.generate(1500, 5)
    fair = ethics.fairness(model.train(x, y, params, "").forest, 5)
    assert not fair.flagged, fair.as_dict()
    x, y = dataset.generate(1500, 5, bias=("africa", 1500.0))
    biased = ethics.fairness(model.train(x, y, params, "").forest, 5)
    assert biased.flagged, biased.as_dict()
    groups = biased.as_dict()["by_group"]
    assert groups["africa"]["mean_score_bp"] == min(g["mean_score_bp"] for g in groups.values())


def test_every_prediction_carries_its_explanation(tiny_model):
    a = pipeline.assess(_demo_case(), tiny_model)
    for target in dataset.TARGETS:
        p = a["prediction"][target]
        total = p["base_bp"] + sum(p["contributions"].values())
        assert total == pytest.approx(p["bp"], abs=2 + 0.1 * len(dataset.FEATURES))
    assert a["model"]["version"] == tiny_model.version
    assert set(a["inputs"]) == set(dataset.FEATURES) and a["imputed"] == []


def test_audit_scores_follow_the_card(tiny_model):
    card = {**tiny_model.card, "human_review": {"reviewers": True}}
    scores = ethics.audit_scores(card)
    assert all(0 <= v <= 1000 for v in scores.values())
    assert scores["transparency"] == 1000 and scores["human_alignment"] == 1000
    worse = {**card, "human_review": {"reviewers": False}}
    assert ethics.audit_scores(worse)["human_alignment"] == 500


def _pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica (objects and xref written by hand)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_reports_are_read():
    text = nlp.report_text(_pdf("Our scope 1 emissions were 566 tCO2e."), "application/pdf")
    assert [(c.key, c.stated) for c in nlp.claims(text)] == [("scope1_tco2e", 566.0)]


# -- human review ------------------------------------------------------------------------------


def test_only_a_second_configured_key_may_release_a_case():
    from eth_account import Account

    from oracle import review

    reviewer, oracle_key, org = (Account.create() for _ in range(3))
    ev = bytes(32)

    def check(who, decision="approve", signed=None, reviewers=None):
        sig = review.sign_review(who.key, 7, ev, signed or decision)
        return review.check_reviewer(
            case_id=7,
            evidence_hash=ev,
            decision=decision,
            signature=sig,
            signed_in=who.address,
            reviewers=reviewers or [reviewer.address, oracle_key.address, org.address],
            oracle_signer=oracle_key.address,
            submitter=org.address,
        )

    assert check(reviewer) == reviewer.address
    for who in (oracle_key, org):
        with pytest.raises(review.ReviewError, match="must differ"):
            check(who)
    with pytest.raises(review.ReviewError, match="not a configured reviewer"):
        check(reviewer, reviewers=[oracle_key.address])
    with pytest.raises(review.ReviewError, match="not from the signed-in reviewer"):
        check(reviewer, signed="reject")  # a signature over another decision


def test_a_flagged_fairness_check_holds_the_audit(tiny_model):
    from oracle import audit

    card = {**tiny_model.card, "fairness": {**tiny_model.card["fairness"], "flagged": True}}
    a = audit.assessment(audit.audit_evidence(card, 1))
    assert audit.review_reasons(a)[0].startswith("fairness check flagged")
    (call,) = audit.plan("0x" + "11" * 20, bytes(32), a)
    assert call["args"][8] == str(int.from_bytes(pipeline.idem_key(bytes(32), "aet_audit"), "big"))
