"""Checkpoints built through the API: trust list, revocation, policy, clock guard and state."""

from datetime import timedelta

import pytest

import healthpass
from conftest import NOW, make_claims

POLICY = {"accept_colours": ["green"], "accept_regions": ["CN"], "negative_test_max_age_hours": 48}


def checkpoint(anchor_key, trust_list, policy=POLICY, **kwargs):
    return healthpass.Checkpoint([anchor_key.public_key()], trust_list, policy, **kwargs)


def test_an_in_scope_green_code_is_accepted(anchor_key, issuer_key, trust_list):
    cp = checkpoint(anchor_key, trust_list, now=NOW)
    verdict = cp.check(healthpass.issue(make_claims(), issuer_key), NOW + timedelta(minutes=1))
    assert verdict["accepted"] is True, verdict
    assert verdict["colour"] == "green"
    assert verdict["refusals"] == [] and verdict["warnings"] == []
    summary = verdict["summary"]
    assert summary["name"] == "C** T** M**"
    assert summary["issuer"] == "CN-GD" and summary["kind"] == "personal"
    assert summary["valid_until"] == "2026-11-24T09:00:00Z"


def test_policy_as_json_text_and_default_permissive(anchor_key, issuer_key, trust_list):
    import json

    text = healthpass.issue(make_claims(colour="yellow", reasons=["close_contact"]), issuer_key)
    strict = checkpoint(anchor_key, trust_list, json.dumps(POLICY))
    assert [f["code"] for f in strict.check(text, NOW)["refusals"]] == ["colour_not_accepted"]
    assert strict.policy["accept_colours"] == ["green"]
    assert checkpoint(anchor_key, trust_list, None).check(text, NOW)["accepted"]


def test_every_refusal_is_listed_with_its_code(anchor_key, issuer_key, trust_list):
    cp = checkpoint(anchor_key, trust_list)
    red = make_claims(colour="red", reasons=["positive_test"], issuer="HK-DH", evidence={})
    verdict = cp.check(healthpass.issue(red, issuer_key), NOW + timedelta(days=2))
    codes = [f["code"] for f in verdict["refusals"]]
    assert verdict["accepted"] is False
    assert {"issuer_mismatch", "out_of_scope", "expired", "colour_not_accepted"} <= set(codes), codes
    assert all(f["message"] for f in verdict["refusals"])


def test_an_unknown_signer_shows_nothing_of_the_code(anchor_key, trust_list):
    cp = checkpoint(anchor_key, trust_list)
    verdict = cp.check(healthpass.issue(make_claims(), healthpass.SigningKey.demo()), NOW)
    assert verdict == {
        "accepted": False,
        "colour": None,
        "summary": None,
        "refusals": [verdict["refusals"][0]],
        "warnings": [],
    }
    assert verdict["refusals"][0]["code"] == "unknown_kid"
    assert cp.check("not a code", NOW)["refusals"][0]["code"] == "prefix"


def test_revoked_credentials_and_keys(anchor_key, issuer_key, trust_list):
    text = healthpass.issue(make_claims(), issuer_key)
    cp = checkpoint(anchor_key, trust_list)
    revocations = healthpass.RevocationList(1, NOW - timedelta(minutes=30), NOW + timedelta(days=1))
    revocations.revoke_credentials(["07" * 16, bytes(16)])
    assert revocations.credential_count == 2
    cp.add_revocation_list(revocations.sign(anchor_key), NOW)
    assert cp.revocation_list_count == 1
    assert [f["code"] for f in cp.check(text, NOW)["refusals"]] == ["revoked"]

    by_key = healthpass.RevocationList(1, NOW - timedelta(minutes=30), NOW + timedelta(days=1), issuer="CN-GD")
    by_key.revoke_key(issuer_key.kid, NOW - timedelta(hours=1))
    fresh = checkpoint(anchor_key, trust_list)
    fresh.add_revocation_list(by_key.sign(issuer_key))  # the issuer's own key: scope allows revocation
    assert [f["code"] for f in fresh.check(text, NOW)["refusals"]] == ["revoked"]


def test_an_older_revocation_list_is_refused(anchor_key, trust_list):
    cp = checkpoint(anchor_key, trust_list)
    newer = healthpass.RevocationList(5, NOW - timedelta(hours=1), NOW + timedelta(days=1)).sign(anchor_key)
    older = healthpass.RevocationList(4, NOW - timedelta(hours=2), NOW + timedelta(days=1)).sign(anchor_key)
    cp.add_revocation_list(newer)
    with pytest.raises(healthpass.TrustError) as refused:
        cp.add_revocation_list(older)
    assert refused.value.code == "list_rollback"


def test_a_list_signed_in_the_future_is_refused_with_now(anchor_key, trust_list):
    with pytest.raises(healthpass.TrustError) as refused:
        checkpoint(anchor_key, trust_list, now=NOW - timedelta(days=1))
    assert refused.value.code == "signed_in_future"


def test_a_trust_list_from_another_anchor_is_refused(issuer_key, trust_list):
    with pytest.raises(healthpass.HealthpassError) as refused:
        healthpass.Checkpoint([issuer_key.public_key()], trust_list)
    assert refused.value.code == "unknown_anchor"


def test_state_survives_a_restart_and_refuses_rollback(anchor_key, issuer_key, trust_list):
    text = healthpass.issue(make_claims(), issuer_key)
    cp = checkpoint(anchor_key, trust_list, now=NOW)
    assert cp.check(text, NOW)["accepted"]
    state = cp.state()
    assert state["version"] == 1 and state["trust_list_sequence"] == 7
    assert state["newest_signed_time"] == "2026-11-23T09:00:00Z"

    restarted = checkpoint(anchor_key, trust_list)
    restarted.restore_state(state)
    rolled_back = restarted.check(text, NOW - timedelta(hours=2))
    assert "clock_rollback" in [f["code"] for f in rolled_back["refusals"]]

    import json

    newer_state = dict(state, trust_list_sequence=8)
    with pytest.raises(healthpass.TrustError) as refused:
        checkpoint(anchor_key, trust_list).restore_state(json.dumps(newer_state))
    assert refused.value.code == "list_rollback"
    with pytest.raises(healthpass.TrustError) as refused:
        restarted.restore_state({"version": 99})
    assert refused.value.code == "scanner_state"


def test_a_newer_trust_list_replaces_the_held_one(anchor_key, issuer_key, trust_list):
    cp = checkpoint(anchor_key, trust_list)
    replacement = healthpass.TrustList.from_dict(dict(cp.trust_list, sequence=8, entries=[]))
    cp.update_trust_list(replacement.sign(anchor_key))
    assert cp.trust_list["sequence"] == 8
    verdict = cp.check(healthpass.issue(make_claims(), issuer_key), NOW)
    assert [f["code"] for f in verdict["refusals"]] == ["unknown_kid"]
    with pytest.raises(healthpass.TrustError) as refused:
        cp.update_trust_list(trust_list)
    assert refused.value.code == "list_rollback"


def test_stale_lists_warn_within_grace_then_refuse(anchor_key, issuer_key, trust_list):
    text = healthpass.issue(make_claims(expires_at=NOW + timedelta(days=30)), issuer_key)
    policy = dict(POLICY, negative_test_max_age_hours=24 * 30, stale_list_grace_hours=24)
    cp = checkpoint(anchor_key, trust_list, policy)
    within = cp.check(text, NOW + timedelta(days=7, hours=12))
    assert within["accepted"] and [w["code"] for w in within["warnings"]] == ["list_past_next_update"]
    beyond = cp.check(text, NOW + timedelta(days=9))
    assert "stale_list" in [f["code"] for f in beyond["refusals"]]


def test_check_image_gives_one_verdict_per_code(anchor_key, issuer_key, trust_list):
    cp = checkpoint(anchor_key, trust_list)
    png = healthpass.render_png(healthpass.issue(make_claims(), issuer_key), 4)
    [verdict] = cp.check_image(png, NOW)
    assert verdict["accepted"], verdict
    [unreadable] = cp.check_image(b"not an image", NOW)
    assert unreadable["accepted"] is False and unreadable["refusals"][0]["code"] == "image"


def test_trust_list_builder_round_trips(anchor_key, issuer_key, trust_list):
    held = healthpass.TrustList.decode(trust_list, [anchor_key.public_key()])
    assert held.sequence == 7 and len(held) == 1
    entry = held.to_dict()["entries"][0]
    assert entry["kid"] == issuer_key.kid and entry["issuer"] == "CN-GD"
    assert healthpass.TrustList.from_dict(held.to_dict()).sign(anchor_key) == trust_list
    with pytest.raises(healthpass.TrustError) as refused:
        healthpass.TrustList.from_dict({"sequence": 1})
    assert refused.value.code == "list"
