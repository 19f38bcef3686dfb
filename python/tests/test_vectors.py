"""Every vector of test-vectors/healthpass through the Python API (test-vectors/README and the
vectors' own fields: `trusted_keys` with optional issuer binding, `now`, `skew_seconds`, `text`,
`expected` {valid, error}, and for reference cases `claims` + `signing_key` that reproduce `text`);
then the trust-list, revocation-list and checkpoint vectors of test-vectors/trust."""

from datetime import timedelta

import pytest

import healthpass
from conftest import TRUST_VECTORS, VECTORS, load_vectors, parse_time

HEALTHPASS = load_vectors(VECTORS)
TRUST = load_vectors(TRUST_VECTORS)


def test_the_vectors_are_all_there():
    assert len(HEALTHPASS) >= 46
    assert sum(v["expected"]["valid"] for _, v in HEALTHPASS) >= 10
    assert sum(not v["expected"]["valid"] for _, v in HEALTHPASS) >= 30
    assert len(TRUST) >= 21


def outcome(vector):
    """What a verifier given the vector's keys, clock and skew reaches: claims or an error."""
    keys = [(healthpass.PublicKey(k["public_key"]), k["issuer"]) for k in vector["trusted_keys"]]
    skew = timedelta(seconds=vector["skew_seconds"])
    return healthpass.verify(vector["text"], keys, parse_time(vector["now"]), skew=skew)


@pytest.mark.parametrize("name,vector", HEALTHPASS, ids=[n for n, _ in HEALTHPASS])
def test_vector(name, vector):
    expected = vector["expected"]
    if expected["valid"]:
        assert outcome(vector) == vector["claims"], name
    else:
        with pytest.raises(healthpass.HealthpassError) as refused:
            outcome(vector)
        assert refused.value.code == expected["error"], f"{name}: {refused.value}"
    if vector["issuer_cose_hex"] is not None:
        key = healthpass.SigningKey.from_seed(vector["signing_key"]["seed"])
        assert key.kid == vector["signing_key"]["kid"]
        assert healthpass.issue(vector["claims"], key) == vector["text"], f"{name}: code text"


TRUST_LISTS = [(n, v) for n, v in TRUST if v["kind"] == "trust_list"]
REVOCATION_LISTS = [(n, v) for n, v in TRUST if v["kind"] == "revocation_list"]
CHECKPOINTS = [(n, v) for n, v in TRUST if v["kind"] == "checkpoint"]


def anchor(vector):
    return healthpass.PublicKey(vector["anchor"]["public_key"])


@pytest.mark.parametrize("name,vector", TRUST_LISTS, ids=[n for n, _ in TRUST_LISTS])
def test_trust_list_vector(name, vector):
    signed = bytes.fromhex(vector["list_hex"])
    expected = vector["expected"]
    if expected["valid"]:
        held = healthpass.TrustList.decode(signed, [anchor(vector)])
        assert held.sequence == expected["sequence"]
        assert len(held) == expected["entries"]
        if "draft" in vector:
            signer = healthpass.SigningKey.from_seed(vector["signer"]["seed"])
            assert healthpass.TrustList.from_dict(vector["draft"]).sign(signer) == signed, f"{name}: signed bytes"
            assert held.to_dict() == vector["draft"]
    else:
        with pytest.raises(healthpass.HealthpassError) as refused:
            healthpass.TrustList.decode(signed, [anchor(vector)])
        assert refused.value.code == expected["error"], f"{name}: {refused.value}"


@pytest.mark.parametrize("name,vector", REVOCATION_LISTS, ids=[n for n, _ in REVOCATION_LISTS])
def test_revocation_list_vector(name, vector):
    checkpoint = healthpass.Checkpoint([anchor(vector)], bytes.fromhex(vector["trust_list_hex"]))
    signed = bytes.fromhex(vector["list_hex"])
    expected = vector["expected"]
    if expected["valid"]:
        checkpoint.add_revocation_list(signed)
        assert checkpoint.revocation_list_count == 1
    else:
        with pytest.raises(healthpass.HealthpassError) as refused:
            checkpoint.add_revocation_list(signed)
        assert refused.value.code == expected["error"], f"{name}: {refused.value}"
        assert checkpoint.revocation_list_count == 0


@pytest.mark.parametrize("name,vector", CHECKPOINTS, ids=[n for n, _ in CHECKPOINTS])
def test_checkpoint_vector(name, vector):
    checkpoint = healthpass.Checkpoint(
        [anchor(vector)],
        bytes.fromhex(vector["trust_list_hex"]),
        vector["policy"],
        skew=timedelta(seconds=vector["skew_seconds"]),
    )
    for signed in vector["revocation_lists_hex"]:
        checkpoint.add_revocation_list(bytes.fromhex(signed))
    verdict = checkpoint.check(vector["text"], parse_time(vector["now"]))
    expected = vector["expected"]
    assert [f["code"] for f in verdict["refusals"]] == expected["refusals"], f"{name}: {verdict}"
    assert verdict["accepted"] == expected["accepted"]
    assert verdict["colour"] == expected["colour"]
    assert sorted(verdict) == ["accepted", "colour", "refusals", "summary", "warnings"]
    signer = healthpass.SigningKey.from_seed(vector["signer"]["seed"])
    assert healthpass.issue(vector["claims"], signer) == vector["text"], f"{name}: code text"
