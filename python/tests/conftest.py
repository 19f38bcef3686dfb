"""Shared fixtures: the repository's test vectors, fixed times and keys made through the API."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import healthpass

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "test-vectors" / "healthpass"
TRUST_VECTORS = REPO / "test-vectors" / "trust"

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def load_vectors(folder: Path):
    """Every vector of a folder as (file name, parsed JSON), sorted by name."""
    return [(p.name, json.loads(p.read_text())) for p in sorted(folder.glob("*.json"))]


def parse_time(text: str) -> datetime:
    """An RFC 3339 time of the vectors (`Z` suffix) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def make_claims(now: datetime = NOW, **changes):
    """Claims of a typical green personal code issued at `now`, valid for a day."""
    claims = {
        "issuer": "CN-GD",
        "credential_id": "07" * 16,
        "issued_at": now,
        "not_before": now,
        "expires_at": now + timedelta(days=1),
        "colour": "green",
        "reasons": ["negative_test"],
        "kind": {"type": "personal"},
        "subject": {"id": "01" * 16, "name": "Chan Tai Man"},
        "evidence": {
            "tests": [{"kind": "nucleic_acid", "result": "negative", "sampled_at": now - timedelta(hours=20)}]
        },
    }
    claims.update(changes)
    return claims


@pytest.fixture
def issuer_key():
    """The issuer's key (a fixed seed, so codes are reproducible)."""
    return healthpass.SigningKey.from_seed(bytes([0x0F] * 32))


@pytest.fixture
def anchor_key():
    """The trust anchor's key."""
    return healthpass.SigningKey.from_seed(bytes([0xA1] * 32))


@pytest.fixture
def trust_list(issuer_key, anchor_key):
    """A trust list signed by the anchor: the issuer's key for CN-GD, green to orange, people."""
    draft = healthpass.TrustList(7, NOW - timedelta(hours=1), NOW + timedelta(days=7))
    draft.add_key(
        issuer_key.public_key(),
        "CN-GD",
        "CN-GD",
        NOW - timedelta(days=30),
        NOW + timedelta(days=335),
        scope={"kinds": ["personal", "cross_border"], "colours": ["green", "yellow", "orange"], "revocation": True},
    )
    return draft.sign(anchor_key)
