"""Issue, render, scan and verify through the Python API; keys in and out of PEM."""

from datetime import timedelta, timezone, datetime

import pytest

import healthpass
from conftest import NOW, make_claims


def test_issue_then_verify_gives_back_the_claims(issuer_key):
    claims = make_claims()
    text = healthpass.issue(claims, issuer_key)
    assert text.startswith(healthpass.PREFIX)
    verified = healthpass.verify(text, [issuer_key.public_key()], NOW + timedelta(hours=1))
    assert verified["colour"] == "green"
    assert verified["issuer"] == "CN-GD"
    assert verified["credential_id"] == "07" * 16
    assert verified["issued_at"] == "2026-11-23T09:00:00Z"
    assert verified["subject"]["name"] == "Chan Tai Man"
    # The claims dict of a verified code issues the very same code again.
    assert healthpass.issue(verified, issuer_key) == text


def test_claims_as_json_text_and_rfc3339_strings(issuer_key):
    import json

    claims = make_claims()
    as_text = json.loads(json.dumps(claims, default=lambda t: t.isoformat().replace("+00:00", "Z")))
    assert healthpass.issue(json.dumps(as_text), issuer_key) == healthpass.issue(claims, issuer_key)


def test_a_verifier_reads_its_keys_once_and_agrees_with_verify(issuer_key):
    text = healthpass.issue(make_claims(), issuer_key)
    verifier = healthpass.Verifier([issuer_key.public_key()], skew=timedelta(minutes=1))
    assert verifier.verify(text, NOW) == healthpass.verify(text, [issuer_key.public_key()], NOW)


def test_now_defaults_to_the_system_clock(issuer_key):
    now = datetime.now(timezone.utc)
    text = healthpass.issue(make_claims(now), issuer_key)
    assert healthpass.verify(text, [issuer_key.public_key()])["colour"] == "green"


def test_times_in_other_zones_are_the_same_instant(issuer_key):
    text = healthpass.issue(make_claims(), issuer_key)
    hong_kong = timezone(timedelta(hours=8))
    assert healthpass.verify(text, [issuer_key.public_key()], (NOW + timedelta(hours=1)).astimezone(hong_kong))


def test_issuer_bound_keys(issuer_key):
    text = healthpass.issue(make_claims(), issuer_key)
    key = issuer_key.public_key()
    assert healthpass.verify(text, [(key, "CN-GD")], NOW)["issuer"] == "CN-GD"
    with pytest.raises(healthpass.SignatureError) as refused:
        healthpass.verify(text, [(key, "HK-DH")], NOW)
    assert refused.value.code == "issuer_mismatch"


def test_batches_issue_and_verify_like_single_calls(issuer_key):
    claims = [make_claims(credential_id=f"{i:032x}") for i in range(20)]
    texts = healthpass.issue_batch(claims, issuer_key)
    assert texts == [healthpass.issue(c, issuer_key) for c in claims]
    results = healthpass.verify_batch(texts + ["HP1:nonsense"], [issuer_key.public_key()], NOW)
    assert [r["credential_id"] for r in results[:20]] == [f"{i:032x}" for i in range(20)]
    assert isinstance(results[20], healthpass.DecodeError) and results[20].code == "base45"


def test_render_png_scans_back_and_svg_is_an_svg(issuer_key):
    text = healthpass.issue(make_claims(), issuer_key)
    png = healthpass.render_png(text, module_size=3)
    assert png.startswith(b"\x89PNG")
    assert healthpass.scan(png) == [text]
    assert healthpass.scan(bytearray(healthpass.render_png(text))) == [text]
    assert "<svg" in healthpass.render_svg(text)


def test_keys_round_trip_through_pem_and_bytes():
    key = healthpass.SigningKey.generate()
    again = healthpass.SigningKey.from_pem(key.to_pem())
    assert again.kid == key.kid
    public = key.public_key()
    assert healthpass.PublicKey.from_pem(public.to_pem()) == public
    assert healthpass.PublicKey(public.to_bytes()) == public
    assert healthpass.PublicKey(public.to_bytes().hex()) == public
    assert public.kid == key.kid and len(key.kid) == 16
    assert "PRIVATE" not in repr(key) and key.kid in repr(key)
    assert len({public, healthpass.PublicKey(public.to_bytes())}) == 1


def test_demo_key_is_the_cores():
    assert healthpass.SigningKey.demo().kid == healthpass.SigningKey.demo().kid


def test_subject_ids_and_credential_ids():
    a = healthpass.derive_subject_id(b"secret", "national_id", "a123-456")
    assert a == healthpass.derive_subject_id(b"secret", "national_id", "A123456")
    assert a != healthpass.derive_subject_id(b"other", "national_id", "A123456")
    assert len(a) == 32
    ids = {healthpass.new_credential_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)
    with pytest.raises(healthpass.ClaimsError):
        healthpass.derive_subject_id(b"secret", "library_card", "1")


def test_zoneinfo_times_are_aware(issuer_key):
    from zoneinfo import ZoneInfo

    text = healthpass.issue(make_claims(), issuer_key)
    local = datetime(2026, 11, 23, 17, 30, tzinfo=ZoneInfo("Asia/Hong_Kong"))  # 09:30 UTC
    assert healthpass.verify(text, [issuer_key.public_key()], local)["colour"] == "green"
    with pytest.raises(healthpass.ValidityError):
        healthpass.verify(text, [issuer_key.public_key()], local + timedelta(days=2))


def test_threads_share_keys_and_verifiers(issuer_key):
    from concurrent.futures import ThreadPoolExecutor

    verifier = healthpass.Verifier([issuer_key.public_key()])
    claims = [make_claims(credential_id=f"{i:032x}") for i in range(64)]
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda c: healthpass.issue(c, issuer_key), claims))
        verified = list(pool.map(lambda t: verifier.verify(t, NOW), texts))
        pngs = list(pool.map(lambda t: healthpass.render_png(t, 2), texts[:4]))
        scanned = list(pool.map(healthpass.scan, pngs))
    assert [v["credential_id"] for v in verified] == [c["credential_id"] for c in claims]
    assert scanned == [[t] for t in texts[:4]]
