"""Errors carry stable codes in a hierarchy by step; hostile inputs raise, never crash."""

import math
import random
from datetime import date, datetime, timedelta

import pytest

import healthpass
from conftest import NOW, make_claims

SUBCLASSES = [
    healthpass.DecodeError,
    healthpass.ClaimsError,
    healthpass.SignatureError,
    healthpass.ValidityError,
    healthpass.KeyFormatError,
    healthpass.ImageError,
    healthpass.TrustError,
    healthpass.PolicyError,
    healthpass.InputError,
]


def code_of(call, *args, **kwargs):
    with pytest.raises(healthpass.HealthpassError) as raised:
        call(*args, **kwargs)
    return type(raised.value), raised.value.code


def test_every_error_class_is_a_healthpass_error_with_a_code():
    for cls in SUBCLASSES:
        assert issubclass(cls, healthpass.HealthpassError)
        assert isinstance(cls.code, str) and cls.__doc__
    assert issubclass(healthpass.HealthpassError, Exception)


def test_errors_name_the_step_that_failed(issuer_key):
    key = [issuer_key.public_key()]
    text = healthpass.issue(make_claims(), issuer_key)
    assert code_of(healthpass.verify, "HC1:abc", key, NOW) == (healthpass.DecodeError, "prefix")
    assert code_of(healthpass.verify, "HP1:~~~", key, NOW) == (healthpass.DecodeError, "base45")
    assert code_of(healthpass.verify, text, [healthpass.SigningKey.demo().public_key()], NOW) == (
        healthpass.SignatureError,
        "unknown_kid",
    )
    assert code_of(healthpass.verify, text, key, NOW + timedelta(days=2)) == (healthpass.ValidityError, "expired")
    assert code_of(healthpass.verify, text, key, NOW - timedelta(days=2)) == (
        healthpass.ValidityError,
        "issued_in_future",
    )
    assert code_of(healthpass.issue, make_claims(colour="purple"), issuer_key) == (healthpass.ClaimsError, "claims")
    assert code_of(healthpass.issue, make_claims(reasons=[]), issuer_key) == (healthpass.ClaimsError, "claims")
    with pytest.raises(healthpass.ClaimsError) as unknown:
        healthpass.issue(make_claims(colour="purple"), issuer_key)
    assert "purple" in str(unknown.value) and "line 1" not in str(unknown.value)
    assert code_of(healthpass.SigningKey.from_pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n") == (
        healthpass.KeyFormatError,
        "key",
    )
    assert code_of(healthpass.PublicKey, bytes(32))[1] == "key"  # the identity point: a weak key
    assert code_of(healthpass.scan, b"\x89PNG\r\n\x1a\n" + b"\0" * 64) == (healthpass.ImageError, "image")
    assert code_of(healthpass.Checkpoint, [issuer_key.public_key()], b"\xd2\x84") [1] in {"cbor", "list"}
    assert code_of(healthpass.Checkpoint, [], b"", {"accept_colours": []})[0] in {
        healthpass.PolicyError,
        healthpass.DecodeError,
        healthpass.TrustError,
    }


def test_a_bad_policy_is_a_policy_error(anchor_key, trust_list):
    anchors = [anchor_key.public_key()]
    assert code_of(healthpass.Checkpoint, anchors, trust_list, {"accept_colours": ["green"], "colour": "red"}) == (
        healthpass.PolicyError,
        "policy",
    )
    assert code_of(healthpass.Checkpoint, anchors, trust_list, "{not json")[1] == "policy"


def test_naive_datetimes_are_refused(issuer_key, anchor_key, trust_list):
    text = healthpass.issue(make_claims(), issuer_key)
    naive = datetime(2026, 11, 23, 9, 0)
    assert code_of(healthpass.verify, text, [issuer_key.public_key()], naive) == (healthpass.InputError, "input")
    assert code_of(healthpass.issue, make_claims(issued_at=naive), issuer_key)[1] == "input"
    cp = healthpass.Checkpoint([anchor_key.public_key()], trust_list)
    assert code_of(cp.check, text, naive)[1] == "input"
    assert code_of(cp.check, text, "2026-11-23T09:00:00Z")[1] == "input"
    assert code_of(healthpass.TrustList, 1, naive, NOW)[1] == "input"


def test_dates_and_bytes_in_claims(issuer_key):
    claims = make_claims(credential_id=bytes([7] * 16))
    claims["subject"]["birth_date"] = date(1990, 5, 17)
    verified = healthpass.verify(healthpass.issue(claims, issuer_key), [issuer_key.public_key()], NOW)
    assert verified["subject"]["birth_date"] == "1990-05-17"
    assert verified["credential_id"] == "07" * 16


HOSTILE_VALUES = [
    object(),
    {1: "non-str key"},
    {"nested": float("nan")},
    {"big": 2**80},
    {"set": {1, 2}},
    lambda: None,
]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_values_without_a_json_form_raise_input_errors(issuer_key, value):
    assert code_of(healthpass.issue, {"issuer": value}, issuer_key) == (healthpass.InputError, "input")


def test_deep_nesting_is_refused(issuer_key):
    deep = {}
    for _ in range(10_000):
        deep = {"x": deep}
    assert code_of(healthpass.issue, deep, issuer_key)[1] == "input"
    deep_list = []
    for _ in range(10_000):
        deep_list = [deep_list]
    assert code_of(healthpass.issue, {"issuer": deep_list}, issuer_key)[1] == "input"


def test_out_of_range_arguments(issuer_key):
    text = healthpass.issue(make_claims(), issuer_key)
    for size in (0, 65, 10**6):
        assert code_of(healthpass.render_png, text, size) == (healthpass.InputError, "input")
    with pytest.raises(OverflowError):
        healthpass.render_png(text, -1)
    assert code_of(healthpass.render_png, "A" * 10_000, 1) == (healthpass.ImageError, "qr")
    assert code_of(healthpass.SigningKey.from_seed, b"short")[1] == "input"
    assert code_of(healthpass.SigningKey.from_seed, "zz" * 32)[1] == "input"
    assert code_of(healthpass.PublicKey, "00")[1] == "input"
    assert code_of(healthpass.verify, text, [issuer_key.public_key()], NOW, skew=math.inf)[1] == "input"
    assert code_of(healthpass.verify, text, ["not a key"], NOW)[1] == "input"
    assert code_of(healthpass.verify, text, [(issuer_key.public_key(), 5)], NOW)[1] == "input"
    assert code_of(healthpass.verify, text, [issuer_key.public_key()], datetime.max.replace(tzinfo=NOW.tzinfo))[
        0
    ] in {healthpass.InputError, healthpass.ValidityError}
    revocations = healthpass.RevocationList(1, NOW, NOW + timedelta(days=1))
    assert code_of(revocations.revoke_credentials, ["07"])[1] == "input"
    assert code_of(revocations.revoke_key, "", NOW)[1] == "input"


def test_huge_and_random_text_raises_decode_errors(issuer_key):
    keys = [issuer_key.public_key()]
    assert code_of(healthpass.verify, "HP1:" + "A" * 10_000_000, keys, NOW) == (healthpass.DecodeError, "too_large")
    rng = random.Random(17)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    for _ in range(2_000):
        text = "HP1:" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
        with pytest.raises(healthpass.HealthpassError):
            healthpass.verify(text, keys, NOW)


def test_mutated_codes_never_crash(issuer_key, anchor_key, trust_list):
    keys = [issuer_key.public_key()]
    text = healthpass.issue(make_claims(), issuer_key)
    cp = healthpass.Checkpoint([anchor_key.public_key()], trust_list)
    rng = random.Random(3)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    refused = 0
    for _ in range(2_000):
        chars = list(text)
        for _ in range(rng.randrange(1, 4)):
            chars[rng.randrange(4, len(chars))] = rng.choice(alphabet)
        mutated = "".join(chars)
        try:
            healthpass.verify(mutated, keys, NOW)
        except healthpass.HealthpassError:
            refused += 1
        assert isinstance(cp.check(mutated, NOW)["accepted"], bool)
    assert refused > 1_900


def test_hostile_images_raise_image_errors():
    rng = random.Random(5)
    png = healthpass.render_png("HP1:ABC", 2)
    for _ in range(200):
        data = bytearray(png)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(0, len(data))] = rng.randrange(256)
        try:
            healthpass.scan(bytes(data))
        except healthpass.HealthpassError as err:
            assert err.code in {"image", "no_code", "qr", "too_large"}
    for junk in (b"", b"\xff\xd8\xff", bytes(rng.randrange(256) for _ in range(4096))):
        with pytest.raises(healthpass.HealthpassError):
            healthpass.scan(junk)
    # A PNG header claiming a 100 000 x 100 000 image is refused before decoding.
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    huge = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    assert code_of(healthpass.scan, huge)[1] in {"too_large", "image"}
    assert code_of(healthpass.scan, "not bytes")[1] == "input"


def test_a_tzinfo_without_an_offset_is_naive(issuer_key):
    from datetime import tzinfo

    class Nowhere(tzinfo):
        def utcoffset(self, dt):
            return None

        def dst(self, dt):
            return None

    text = healthpass.issue(make_claims(), issuer_key)
    assert code_of(healthpass.verify, text, [issuer_key.public_key()], NOW.replace(tzinfo=Nowhere()))[1] == "input"
