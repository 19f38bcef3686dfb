"""Independent implementation of docs/TRUST.md (trust lists, revocation lists, the checkpoint
decision and the clock guard) and of the policy rules of docs/POLICY.md.

Written from those two documents alone (no Rust source), on top of the FORMAT.md primitives of
`healthpass_ref` (strict Ed25519, kid, Sig_structure, the code verifier's steps 1-8).  Every
refusal raises `HPError` with the code the crate's `Error::code()` gives; where TRUST.md names
no code for a refusal, the choice is marked "not in TRUST.md" and listed in FINDINGS.md (G).
"""

from __future__ import annotations

import hashlib
from typing import Any

import healthpass_ref as hp
from healthpass_ref import CMap, HPError, Simple, Tag

TRUST_MARKER = "healthpass trust list v1"
REVOCATION_MARKER = "healthpass revocation list v1"
MAX_LIST_BYTES = 32 * 1024 * 1024  # Limits::max_list_bytes default (TRUST.md s1)
MAX_TRUST_ENTRIES = 10_000
MAX_REVOKED_CREDENTIALS = 2_000_000
MAX_REVOKED_KEYS = 10_000
# Not in TRUST.md: the value of Limits::max_cbor_depth.  FORMAT.md's 16 is used (FINDINGS G2).
MAX_DEPTH = 16
MAX_SPKI = 2048
ALGORITHMS = {-8: "ed25519", -7: "es256", -37: "ps256"}
KINDS = {1: "personal", 2: "student", 3: "cross_border", 4: "venue"}
COLOURS = {1: "green", 2: "yellow", 3: "orange", 4: "red"}
HASH_PREFIX = b"healthpass/revoked-credential/v1"


def list_error(detail: str) -> HPError:
    # Not in TRUST.md: the code of a payload that breaks a rule of s2/s3 (FINDINGS G1).
    return HPError("list", detail)


# --------------------------------------------------------------------------
# CBOR: one item, bounded depth, no item-count cap of its own (the lists have their own caps)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise HPError("cbor", "truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def arg(self, ai: int) -> int:
        if ai < 24:
            return ai
        if ai in (24, 25, 26, 27):
            return int.from_bytes(self.take(1 << (ai - 24)), "big")
        raise HPError("cbor", "indefinite length or reserved value")

    def item(self, depth: int):
        if depth > MAX_DEPTH:
            raise HPError("cbor", "nested too deeply")
        ib = self.take(1)[0]
        mt, ai = ib >> 5, ib & 31
        if mt == 7:
            simple = {20: False, 21: True, 22: None}
            if ai in simple:
                return Simple("value", simple[ai])
            if ai in (25, 26, 27):
                self.take(1 << (ai - 24))
                return Simple("float", None)
            raise HPError("cbor", "unexpected simple value")
        n = self.arg(ai)
        if mt == 0:
            return n
        if mt == 1:
            return -1 - n
        if mt == 2:
            return self.take(n)
        if mt == 3:
            try:
                return self.take(n).decode("utf-8")
            except UnicodeDecodeError:
                raise HPError("cbor", "invalid UTF-8") from None
        if mt == 4:
            if n > len(self.data) - self.pos:
                raise HPError("cbor", "array longer than the input")
            return [self.item(depth + 1) for _ in range(n)]
        if mt == 5:
            if 2 * n > len(self.data) - self.pos:
                raise HPError("cbor", "map longer than the input")
            m = CMap()
            for _ in range(n):
                k = self.item(depth + 1)
                if not m.add(k, self.item(depth + 1)):
                    raise HPError("duplicate_key", f"duplicate map key {k!r}")
            return m
        return Tag(n, self.item(depth + 1))


def cbor_one(data: bytes):
    r = _Reader(data)
    value = r.item(1)
    if r.pos != len(data):
        raise HPError("trailing_bytes", f"{len(data) - r.pos} bytes after the item")
    return value


def cbor_write(v) -> bytes:
    """Deterministic encoding (s1: ascending map keys), with `true` for scope key 4."""
    if v is True:
        return b"\xf5"
    if isinstance(v, dict):
        pairs = sorted((cbor_write(k), cbor_write(x)) for k, x in v.items())
        return hp._head(5, len(pairs)) + b"".join(k + x for k, x in pairs)
    if isinstance(v, list):
        return hp._head(4, len(v)) + b"".join(cbor_write(x) for x in v)
    return hp.cbor_encode(v)


# --------------------------------------------------------------------------
# s1: the signed envelope


def open_envelope(data: bytes):
    """Size and structure of the COSE_Sign1; returns (protected, kid, payload, signature)."""
    if len(data) > MAX_LIST_BYTES:
        raise HPError("too_large", "list file larger than 32 MiB")
    msg = cbor_one(data)
    if not isinstance(msg, Tag) or msg.tag != 18:
        raise HPError("cbor", "not a tagged COSE_Sign1 (tag 18)")
    parts = msg.value
    if not isinstance(parts, list) or len(parts) != 4:
        raise HPError("cbor", "a COSE_Sign1 is an array of four")
    protected, unprotected, payload, signature = parts
    if not isinstance(protected, bytes) or not isinstance(unprotected, CMap):
        raise HPError("cbor", "malformed headers")
    if not isinstance(payload, bytes):
        raise HPError("cbor", "detached or non-byte-string payload")
    if not isinstance(signature, bytes):
        raise HPError("cbor", "signature is not a byte string")
    header = cbor_one(protected) if protected else CMap()
    if not isinstance(header, CMap):
        raise HPError("cbor", "the protected header is not a map")
    if header.get(2) is not None:
        raise HPError("cbor", "crit header parameter")
    alg = header.get(1)
    if alg is None:
        raise HPError("missing_alg")
    if alg != -8 or isinstance(alg, bool):
        raise HPError("unsupported_alg", repr(alg))
    kid = header.get(4)
    if not isinstance(kid, bytes) or not kid:
        raise HPError("missing_kid")
    return protected, kid, payload, signature


def signed_by(protected: bytes, kid: bytes, payload: bytes, signature: bytes, keys) -> bytes | None:
    """The first of `keys` (raw Ed25519) with this kid whose strict signature verifies."""
    tbs = hp.sig_structure(protected, payload)
    for key in keys:
        if hp.kid_of(key) == kid and hp.ed25519_verify_strict(key, tbs, signature):
            return key
    return None


class Fields:
    """A payload map with small integer keys; unknown keys are refused when done."""

    def __init__(self, value, what: str):
        if not isinstance(value, CMap):
            raise list_error(f"{what} is not a map")
        for k in value.keys():
            if not isinstance(k, int) or isinstance(k, bool):
                raise list_error(f"{what}: a key is not an integer")
        self.value, self.what, self.used = value, what, set()

    def get(self, key: int, required: bool = True):
        self.used.add(key)
        v = self.value.get(key)
        if v is None and required:
            raise list_error(f"{self.what} lacks key {key}")
        return v

    def done(self):
        extra = [k for k in self.value.keys() if k not in self.used]
        if extra:
            raise list_error(f"{self.what}: unknown key {extra[0]}")


def _int(v, what: str) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise list_error(f"{what} must be an integer")
    return v


def _uint(v, what: str) -> int:
    if _int(v, what) < 0:
        raise list_error(f"{what} must be unsigned")
    return v


def _text(v, what: str) -> str:
    if not isinstance(v, str) or not v:
        raise list_error(f"{what} must be non-empty text")
    return v


def _bytes(v, what: str) -> bytes:
    if not isinstance(v, bytes):
        raise list_error(f"{what} must be a byte string")
    return v


def _array(v, what: str, cap: int | None = None) -> list:
    if not isinstance(v, list):
        raise list_error(f"{what} must be an array")
    if cap is not None and len(v) > cap:
        raise HPError("too_large", f"{what}: more than {cap}")
    return v


def _header(fields: Fields, marker: str) -> dict:
    if fields.get(0) != marker:
        raise list_error(f"the format marker is not `{marker}`")
    out = {"sequence": _uint(fields.get(1), "sequence"), "issued_at": _int(fields.get(2), "issued_at"),
           "next_update": _int(fields.get(3), "next_update")}
    if out["next_update"] <= out["issued_at"]:
        raise list_error("next_update must be after issued_at")
    return out


# --------------------------------------------------------------------------
# s2: trust list


def _der_one_sequence(der: bytes) -> bool:
    """A DER SEQUENCE that fills the bytes exactly (definite length)."""
    if len(der) < 2 or der[0] != 0x30:
        return False
    n, at = der[1], 2
    if n & 0x80:
        width = n & 0x7F
        if width == 0 or width > 2 or len(der) < 2 + width:
            return False
        n, at = int.from_bytes(der[2:2 + width], "big"), 2 + width
    return at + n == len(der)


def _scope(v) -> dict:
    f = Fields(v, "scope")
    out: dict[str, Any] = {}
    for key, name, registry in ((1, "kinds", KINDS), (2, "colours", COLOURS)):
        items = f.get(key, required=False)
        if items is not None:
            items = _array(items, name)
            if not items or any(_uint(i, name) not in registry for i in items):
                raise list_error(f"scope {name}: empty or unknown code")
            out[name] = [registry[i] for i in items]
    regions = f.get(3, required=False)
    if regions is not None:
        regions = _array(regions, "regions")
        if not regions:
            raise list_error("scope regions: empty")
        out["regions"] = [_text(r, "region") for r in regions]
    revocation = f.get(4, required=False)
    if revocation is not None:
        if not (isinstance(revocation, Simple) and revocation.value is True):
            raise list_error("scope revocation must be true")
        out["revocation"] = True
    f.done()
    return out


def _entry(v) -> dict:
    f = Fields(v, "entry")
    kid = _bytes(f.get(1), "kid")
    alg = _int(f.get(2), "algorithm")
    key = _bytes(f.get(3), "public key")
    if not 1 <= len(kid) <= 64 or alg not in ALGORITHMS:
        raise list_error("kid length or algorithm")
    if alg == -8:
        point = hp._pdecode_strict(key) if len(key) == 32 else None
        if point is None or hp.kid_of(key) != kid:
            raise list_error("an Ed25519 key must be 32 bytes of a valid point, under its own kid")
    elif len(key) > MAX_SPKI or not _der_one_sequence(key):
        raise list_error("not a DER SubjectPublicKeyInfo")
    out = {"kid": kid, "algorithm": ALGORITHMS[alg], "public_key": key,
           "issuer": _text(f.get(4), "issuer"), "region": _text(f.get(5), "region"),
           "valid_from": _int(f.get(6), "valid_from"), "valid_until": _int(f.get(7), "valid_until"),
           "scope": _scope(f.get(8))}
    if out["valid_until"] <= out["valid_from"]:
        raise list_error("valid_until must be after valid_from")
    f.done()
    return out


def decode_trust_list(data: bytes, anchors: list[bytes]) -> dict:
    protected, kid, payload, signature = open_envelope(data)
    if not any(hp.kid_of(a) == kid for a in anchors):
        raise HPError("unknown_anchor", kid.hex())  # not in TRUST.md s2 (FINDINGS G1)
    if signed_by(protected, kid, payload, signature, anchors) is None:
        raise HPError("bad_signature")
    f = Fields(cbor_one(payload), "trust list")
    out = _header(f, TRUST_MARKER)
    out["entries"] = [_entry(e) for e in _array(f.get(4), "entries", MAX_TRUST_ENTRIES)]
    f.done()
    return out


_ALG_IDS = {name: alg for alg, name in ALGORITHMS.items()}
_KIND_IDS = {name: k for k, name in KINDS.items()}
_COLOUR_IDS = {name: c for c, name in COLOURS.items()}


def draft_payload(draft: dict) -> bytes:
    """The s2 payload of the JSON draft (s2 "The draft"), keys ascending."""
    def scope(s):
        out = {}
        if "kinds" in s:
            out[1] = [_KIND_IDS[k] for k in s["kinds"]]
        if "colours" in s:
            out[2] = [_COLOUR_IDS[c] for c in s["colours"]]
        if "regions" in s:
            out[3] = list(s["regions"])
        if s.get("revocation"):
            out[4] = True
        return out

    entries = [{1: bytes.fromhex(e["kid"]), 2: _ALG_IDS[e["algorithm"]], 3: bytes.fromhex(e["public_key"]),
                4: e["issuer"], 5: e["region"], 6: hp.rfc3339_to_secs(e["valid_from"]),
                7: hp.rfc3339_to_secs(e["valid_until"]), 8: scope(e.get("scope", {}))}
               for e in draft["entries"]]
    return cbor_write({0: TRUST_MARKER, 1: draft["sequence"], 2: hp.rfc3339_to_secs(draft["issued_at"]),
                       3: hp.rfc3339_to_secs(draft["next_update"]), 4: entries})


def seal(payload: bytes, seed: bytes) -> bytes:
    """A tagged COSE_Sign1 as s1 describes it."""
    protected = hp.cbor_encode({1: -8, 4: hp.kid_of(hp.ed25519_public_from_seed(seed))})
    signature = hp.ed25519_sign(seed, hp.sig_structure(protected, payload))
    return hp.cbor_encode(Tag(18, [protected, {}, payload, signature]))


# --------------------------------------------------------------------------
# s3: revocation list


def credential_hash(cti: bytes) -> bytes:
    return hashlib.sha256(HASH_PREFIX + cti).digest()[:16]


def _revocation_signer(kid: bytes, issued_at: int, issuer: str | None, anchors, trust: dict):
    """Whether the kid belongs to an anchor, else the authorised entries with this kid."""
    if any(hp.kid_of(a) == kid for a in anchors):
        return anchors, None
    entries = [e for e in trust["entries"] if e["kid"] == kid and e["algorithm"] == "ed25519"
               and e["scope"].get("revocation") and e["valid_from"] <= issued_at <= e["valid_until"]]
    if not entries:
        raise HPError("unknown_anchor", kid.hex())
    if issuer is None or all(e["issuer"] != issuer for e in entries):
        raise HPError("out_of_scope", "an issuer's key may revoke only its own issuer's codes")
    return [e["public_key"] for e in entries if e["issuer"] == issuer], issuer


def decode_revocation_list(data: bytes, anchors: list[bytes], trust: dict) -> dict:
    protected, kid, payload, signature = open_envelope(data)
    # The signer's authority depends on the payload (issuer, issued_at): read it first, then
    # check the signature before any of it is returned.
    f = Fields(cbor_one(payload), "revocation list")
    out = _header(f, REVOCATION_MARKER)
    issuer = f.get(4, required=False)
    out["issuer"] = None if issuer is None else _text(issuer, "issuer")
    keys, _ = _revocation_signer(kid, out["issued_at"], out["issuer"], anchors, trust)
    if signed_by(protected, kid, payload, signature, keys) is None:
        raise HPError("bad_signature")
    hashes = _bytes(f.get(5), "credentials")
    if len(hashes) % 16:
        raise list_error("credentials must be 16-byte hashes")
    if len(hashes) // 16 > MAX_REVOKED_CREDENTIALS:
        raise HPError("too_large", "revoked credentials")
    out["credentials"] = [hashes[i:i + 16] for i in range(0, len(hashes), 16)]
    if any(a >= b for a, b in zip(out["credentials"], out["credentials"][1:])):
        raise list_error("credentials must be strictly ascending")
    out["keys"] = []
    for k in _array(f.get(6, required=False) or [], "keys", MAX_REVOKED_KEYS):
        kf = Fields(k, "revoked key")
        rkid = _bytes(kf.get(1), "kid")
        if not 1 <= len(rkid) <= 64:
            raise list_error("revoked kid length")
        out["keys"].append((rkid, _int(kf.get(2), "from")))
        kf.done()
    f.done()
    return out


def revokes(rl: dict, claims: dict, kid: bytes) -> bool:
    if rl["issuer"] is not None and rl["issuer"] != claims["issuer"]:
        return False
    if credential_hash(bytes.fromhex(claims["credential_id"])) in set(rl["credentials"]):
        return True
    iat = hp.rfc3339_to_secs(claims["issued_at"])
    return any(rkid == kid and iat >= start for rkid, start in rl["keys"])


# --------------------------------------------------------------------------
# POLICY.md


def _region_accepts(region: str, issuer: str) -> bool:
    return issuer == region or issuer.startswith(region + "-")


def policy_refusals(policy: dict, claims: dict, now: int) -> list[str]:
    out = []
    if claims["colour"] not in policy["accept_colours"]:
        out.append("colour_not_accepted")
    if "accept_kinds" in policy and claims["kind"]["type"] not in policy["accept_kinds"]:
        out.append("kind_not_accepted")
    issuer = claims["issuer"]
    if "accept_issuers" in policy or "accept_regions" in policy:
        if issuer not in policy.get("accept_issuers", []) and not any(
                _region_accepts(r, issuer) for r in policy.get("accept_regions", [])):
            out.append("issuer_not_accepted")
    if issuer in policy.get("deny_issuers", []):
        out.append("issuer_denied")
    ev = claims.get("evidence", {})
    if "negative_test_max_age_hours" in policy:
        kinds = policy.get("test_kinds")
        tests = [t for t in ev.get("tests", []) if kinds is None or t["kind"] in kinds]
        if not tests:
            out.append("no_negative_test")
        else:
            latest = max(tests, key=lambda t: hp.rfc3339_to_secs(t["sampled_at"]))
            if latest["result"] != "negative":
                out.append("test_not_negative")
            elif now - hp.rfc3339_to_secs(latest["sampled_at"]) > 3600 * policy["negative_test_max_age_hours"]:
                out.append("test_too_old")
    if "max_code_age_hours" in policy:
        if now - hp.rfc3339_to_secs(claims["issued_at"]) > 3600 * policy["max_code_age_hours"]:
            out.append("code_too_old")
    if "min_vaccination_doses" in policy:
        if not any(v["dose"] >= policy["min_vaccination_doses"] for v in ev.get("vaccinations", [])):
            out.append("too_few_doses")
    if "max_temperature_decicelsius" in policy:
        temps = ev.get("temperatures", [])
        if not temps:
            out.append("no_temperature")
        elif max(temps, key=lambda t: hp.rfc3339_to_secs(t["at"]))["decicelsius"] > policy[
                "max_temperature_decicelsius"]:
            out.append("temperature_too_high")
    return out


# --------------------------------------------------------------------------
# s2 "Deciding a native code with a trust list", s4 clock guard


def _named_regions(claims: dict) -> list[str]:
    named = []
    if claims["kind"]["type"] == "venue" and claims["kind"].get("region"):
        named.append(claims["kind"]["region"])
    if claims.get("evidence", {}).get("residency"):
        named.append(claims["evidence"]["residency"])
    return named


def entry_findings(entry: dict, claims: dict) -> list[str]:
    out = []
    if claims["issuer"] != entry["issuer"]:
        out.append("issuer_mismatch")
    iat = hp.rfc3339_to_secs(claims["issued_at"])
    if not entry["valid_from"] <= iat <= entry["valid_until"]:
        out.append("key_not_valid")
    scope = entry["scope"]
    if "kinds" in scope and claims["kind"]["type"] not in scope["kinds"]:
        out.append("out_of_scope")
    if "colours" in scope and claims["colour"] not in scope["colours"]:
        out.append("out_of_scope")
    if "regions" in scope:
        out.extend("out_of_scope" for r in _named_regions(claims) if r not in scope["regions"])
    return out


def code_signature(text: str, trust: dict):
    """Steps 1-2 (and FORMAT.md s7 steps 1-8): the kid, the verifying entries and the claims."""
    if len(text) > hp.MAX_TEXT:
        raise HPError("too_large")
    if not text.startswith(hp.PREFIX):
        raise HPError("prefix")
    protected, pmap, payload, sig = hp.parse_cose(hp.body_to_cose(hp.b45decode(text[len(hp.PREFIX):])))
    if pmap.get(1) is None:
        raise HPError("missing_alg")
    if pmap.get(1) != -8:
        raise HPError("unsupported_alg")
    kid = pmap.get(4)
    if not isinstance(kid, bytes) or not kid:
        raise HPError("missing_kid")
    entries = [e for e in trust["entries"] if e["kid"] == kid]
    if not entries:
        raise HPError("unknown_kid", kid.hex())
    ed = [e for e in entries if e["algorithm"] == "ed25519"]
    if not ed:
        raise HPError("unsupported_alg")
    tbs = hp.sig_structure(protected, payload)
    good = [e for e in ed if hp.ed25519_verify_strict(e["public_key"], tbs, sig)]
    if not good:
        raise HPError("bad_signature")
    claims = hp.cwt_to_claims(hp.cbor_decode(payload, max_text=hp.MAX_TEXT_BYTES))
    return kid, good, claims


def decide(text: str, trust: dict, revocations: list[dict], policy: dict, now: int, skew: int) -> dict:
    """The checkpoint's verdict: {"accepted", "colour", "refusals"}; steps 1-2 raise."""
    kid, entries, claims = code_signature(text, trust)
    refusals = []
    newest = max([trust["issued_at"]] + [r["issued_at"] for r in revocations])
    if now < newest - skew:
        refusals.append("clock_rollback")
    grace = 3600 * policy.get("stale_list_grace_hours", 0)
    if any(now > lst["next_update"] + grace for lst in [trust] + revocations):
        refusals.append("stale_list")
    refusals += min((entry_findings(e, claims) for e in entries), key=len)
    iat, nbf, exp = (hp.rfc3339_to_secs(claims[k]) for k in ("issued_at", "not_before", "expires_at"))
    if iat > now + skew:
        refusals.append("issued_in_future")
    if nbf > now + skew:
        refusals.append("not_yet_valid")
    if exp < now - skew:
        refusals.append("expired")
    if any(revokes(r, claims, kid) for r in revocations):
        refusals.append("revoked")
    refusals += policy_refusals(policy, claims, now)
    return {"accepted": not refusals, "colour": claims["colour"], "refusals": refusals}
