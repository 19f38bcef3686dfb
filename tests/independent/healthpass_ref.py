"""Independent reference implementation of the `HP1:` health-code format.

Written from docs/FORMAT.md alone (no Rust source was read).  Everything the
spec leaves open is decided here in one place and listed in FINDINGS.md.

Public API
    verify(text, trusted_keys, now, skew=300) -> claims dict (JSON form, FORMAT.md section 11)
        raises HPError(code) with `code` one of the names in FORMAT.md section 7.
        trusted_keys: iterable of raw 32-byte public keys, or of dicts
        {"public_key": hex-or-bytes, "issuer": optional str}.
        now: int (Unix seconds), datetime, or RFC 3339 string.
    issue_cose(claims_json, seed) -> bytes   (deterministic COSE_Sign1, section 3/4)
    issue_text(claims_json, seed) -> str     ("HP1:" + base45(zlib-if-shorter(cose)))
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import zlib
from typing import Any

# --------------------------------------------------------------------------
# errors


class HPError(Exception):
    """A refusal; `code` is the crate's Error::code as named in FORMAT.md s7."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------
# section 1: text and base45 (RFC 9285)

PREFIX = "HP1:"
MAX_TEXT = 7089
B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_INDEX = {c: i for i, c in enumerate(B45)}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = n % 45, n // 45
        d, e = n % 45, n // 45
        out += [B45[c], B45[d], B45[e]]
    if len(data) % 2:
        n = data[-1]
        out += [B45[n % 45], B45[n // 45]]
    return "".join(out)


def b45decode(s: str) -> bytes:
    if len(s) % 3 == 1:
        raise HPError("base45", "length is 1 mod 3")
    try:
        vals = [_B45_INDEX[ch] for ch in s]
    except KeyError as e:
        raise HPError("base45", f"character {e.args[0]!r} outside the alphabet") from None
    out = bytearray()
    for i in range(0, len(vals), 3):
        grp = vals[i:i + 3]
        if len(grp) == 3:
            n = grp[0] + grp[1] * 45 + grp[2] * 45 * 45
            if n > 0xFFFF:
                raise HPError("base45", "triplet above 65535")
            out += bytes([n >> 8, n & 0xFF])
        else:
            n = grp[0] + grp[1] * 45
            if n > 0xFF:
                raise HPError("base45", "final pair above 255")
            out.append(n)
    return bytes(out)


# --------------------------------------------------------------------------
# section 2: body

MAX_INFLATE = 65536


def inflate_bounded(body: bytes) -> bytes:
    d = zlib.decompressobj(wbits=15)  # zlib wrapper (RFC 1950), checks FCHECK and Adler-32
    try:
        out = d.decompress(body, MAX_INFLATE + 1)
        if len(out) > MAX_INFLATE:
            raise HPError("too_large", "inflated body over 65,536 bytes")
        if d.unconsumed_tail:
            # output buffer was filled exactly; anything more is over the cap
            more = d.decompress(d.unconsumed_tail, 1)
            if more:
                raise HPError("too_large", "inflated body over 65,536 bytes")
        if not d.eof:
            raise HPError("decompress", "incomplete zlib stream")
    except zlib.error as e:
        raise HPError("decompress", str(e)) from None
    if d.unused_data:
        raise HPError("trailing_bytes", "bytes after the zlib stream")
    return out


def body_to_cose(body: bytes) -> bytes:
    if not body:
        raise HPError("cbor", "empty body")  # section 2
    if body[0] == 0xD2:
        return body
    if body[0] == 0x78:
        return inflate_bounded(body)
    raise HPError("body", f"first byte {body[0]:#04x}")


# --------------------------------------------------------------------------
# section 4: a strict, bounded CBOR decoder (RFC 8949)

MAX_DEPTH = 16
MAX_ITEMS = 512
MAX_TEXT_BYTES = 1024


class Tag:
    __slots__ = ("tag", "value")

    def __init__(self, tag: int, value: Any):
        self.tag, self.value = tag, value

    def __repr__(self):
        return f"Tag({self.tag}, {self.value!r})"


class Simple:
    """false/true/null/undefined/other simple values and floats: kept opaque."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: Any):
        self.kind, self.value = kind, value

    def __repr__(self):
        return f"Simple({self.kind}, {self.value!r})"


class CMap:
    """A decoded CBOR map: ordered (key, value) pairs, keys unique by value."""

    __slots__ = ("items", "_index")

    def __init__(self):
        self.items: list[tuple[Any, Any]] = []
        self._index: dict = {}

    @staticmethod
    def keyid(k):
        # identity of a key by CBOR data model value: 1 and "1" and h'01' differ
        if isinstance(k, bool):
            return ("simple", k)
        if isinstance(k, int):
            return ("int", k)
        if isinstance(k, bytes):
            return ("bstr", k)
        if isinstance(k, str):
            return ("tstr", k)
        if isinstance(k, Simple):
            return ("simple", k.kind, repr(k.value))
        return ("other", repr(k))

    def add(self, k, v) -> bool:
        kid = self.keyid(k)
        if kid in self._index:
            return False
        self._index[kid] = len(self.items)
        self.items.append((k, v))
        return True

    def get(self, k, default=None):
        i = self._index.get(self.keyid(k))
        return default if i is None else self.items[i][1]

    def keys(self):
        return [k for k, _ in self.items]

    def __len__(self):
        return len(self.items)

    def __repr__(self):
        return "CMap(" + repr(self.items) + ")"


class _Decoder:
    def __init__(self, data: bytes, max_text: int | None):
        self.data = data
        self.pos = 0
        self.max_text = max_text

    def _take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise HPError("cbor", "truncated")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def _arg(self, ai: int) -> int:
        if ai < 24:
            return ai
        if ai == 24:
            return self._take(1)[0]
        if ai == 25:
            return int.from_bytes(self._take(2), "big")
        if ai == 26:
            return int.from_bytes(self._take(4), "big")
        if ai == 27:
            return int.from_bytes(self._take(8), "big")
        if ai == 31:
            raise HPError("cbor", "indefinite length")
        raise HPError("cbor", f"reserved additional information {ai}")

    def item(self, depth: int):
        if depth > MAX_DEPTH:
            raise HPError("cbor", "nesting deeper than 16")
        ib = self._take(1)[0]
        mt, ai = ib >> 5, ib & 31
        if mt == 7:
            if ai < 20:
                return Simple("simple", ai)
            if ai == 20:
                return Simple("bool", False)
            if ai == 21:
                return Simple("bool", True)
            if ai == 22:
                return Simple("null", None)
            if ai == 23:
                return Simple("undefined", None)
            if ai == 24:
                v = self._take(1)[0]
                if v < 32:
                    raise HPError("cbor", "badly formed simple value")
                return Simple("simple", v)
            if ai in (25, 26, 27):
                self._take({25: 2, 26: 4, 27: 8}[ai])
                return Simple("float", None)
            raise HPError("cbor", "unexpected break or reserved simple")
        n = self._arg(ai)
        if mt == 0:
            return n
        if mt == 1:
            return -1 - n
        if mt == 2:
            return self._take(n)
        if mt == 3:
            raw = self._take(n)
            try:
                s = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise HPError("cbor", "invalid UTF-8 in text string") from None
            if self.max_text is not None and len(raw) > self.max_text:
                raise HPError("too_large", "text string over 1,024 bytes")
            return s
        if mt == 4:
            if n > MAX_ITEMS:
                raise HPError("too_large", "array with more than 512 items")
            return [self.item(depth + 1) for _ in range(n)]
        if mt == 5:
            if n > MAX_ITEMS:
                raise HPError("too_large", "map with more than 512 items")
            m = CMap()
            for _ in range(n):
                k = self.item(depth + 1)
                if isinstance(k, Simple) or not isinstance(k, (int, str)):
                    raise HPError("cbor", "a map key must be an integer or a text string")  # section 4
                v = self.item(depth + 1)
                if not m.add(k, v):
                    raise HPError("duplicate_key", f"duplicate map key {k!r}")
            return m
        # mt == 6: tag; the tagged item is one level deeper
        return Tag(n, self.item(depth + 1))


def cbor_decode(data: bytes, *, max_text: int | None = None):
    """Decode exactly one item; refuse bytes after it (trailing_bytes)."""
    d = _Decoder(data, max_text)
    v = d.item(1)
    if d.pos != len(data):
        raise HPError("trailing_bytes", f"{len(data) - d.pos} bytes after the CBOR item")
    return v


# ---- deterministic encoder (RFC 8949 s4.2.1)


def _head(mt: int, n: int) -> bytes:
    if n < 24:
        return bytes([(mt << 5) | n])
    if n < 0x100:
        return bytes([(mt << 5) | 24, n])
    if n < 0x10000:
        return bytes([(mt << 5) | 25]) + n.to_bytes(2, "big")
    if n < 0x100000000:
        return bytes([(mt << 5) | 26]) + n.to_bytes(4, "big")
    if n < 0x10000000000000000:
        return bytes([(mt << 5) | 27]) + n.to_bytes(8, "big")
    raise ValueError("integer out of CBOR range")


def cbor_encode(v) -> bytes:
    if isinstance(v, bool) or v is None:
        raise TypeError("booleans/null are not used by this format")
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(v, list):
        return _head(4, len(v)) + b"".join(cbor_encode(x) for x in v)
    if isinstance(v, dict):
        pairs = sorted((cbor_encode(k), cbor_encode(x)) for k, x in v.items())
        return _head(5, len(pairs)) + b"".join(k + x for k, x in pairs)
    if isinstance(v, Tag):
        return _head(6, v.tag) + cbor_encode(v.value)
    raise TypeError(f"cannot encode {type(v)}")


# --------------------------------------------------------------------------
# section 3: Ed25519 (RFC 8032): the encoding checks of dalek's verify_strict; codes use the cofactored equation

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _padd(P, Q):
    x1, y1, z1, t1 = P
    x2, y2, z2, t2 = Q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = 2 * t1 * t2 * _D % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _pmul(s: int, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = _padd(Q, P)
        P = _padd(P, P)
        s >>= 1
    return Q


def _pneg(P):
    x, y, z, t = P
    return ((-x) % _P, y, z, (-t) % _P)


def _pencode(P) -> bytes:
    x, y, z, _ = P
    zi = pow(z, _P - 2, _P)
    x, y = x * zi % _P, y * zi % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _is_identity(P) -> bool:
    x, y, z, _ = P
    return x % _P == 0 and (y - z) % _P == 0


def _pdecode_strict(b: bytes):
    """Decode a point; refuse non-canonical encodings (y >= p, or x = 0 with sign bit)."""
    if len(b) != 32:
        return None
    n = int.from_bytes(b, "little")
    sign = n >> 255
    y = n & ((1 << 255) - 1)
    if y >= _P:
        return None  # non-canonical y
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x2 = u * pow(v, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None  # not on the curve
    if x == 0 and sign == 1:
        return None  # non-canonical: "-0"
    if (x & 1) != sign:
        x = _P - x
    return (x, y, 1, x * y % _P)


def _is_small_order(P) -> bool:
    return _is_identity(_pmul(8, P))


_BY = 4 * pow(5, _P - 2, _P) % _P
_B = _pdecode_strict(_BY.to_bytes(32, "little"))


def ed25519_verify_strict(public_key: bytes, msg: bytes, sig: bytes) -> bool:
    return _ed25519_verify(public_key, msg, sig, cofactored=False)


def ed25519_verify_cofactored(public_key: bytes, msg: bytes, sig: bytes) -> bool:
    """The rule for codes (FORMAT.md section 3): [8]([S]B - R - [k]A) == 0, same encoding checks."""
    return _ed25519_verify(public_key, msg, sig, cofactored=True)


def _ed25519_verify(public_key: bytes, msg: bytes, sig: bytes, cofactored: bool) -> bool:
    if len(public_key) != 32 or len(sig) != 64:
        return False
    A = _pdecode_strict(public_key)
    if A is None or _is_small_order(A):
        return False  # non-canonical or weak public key
    Rb, Sb = sig[:32], sig[32:]
    R = _pdecode_strict(Rb)
    if R is None or _is_small_order(R):
        return False  # non-canonical or small-order R
    S = int.from_bytes(Sb, "little")
    if S >= _L:
        return False  # non-canonical S (malleability)
    k = int.from_bytes(hashlib.sha512(Rb + public_key + msg).digest(), "little") % _L
    # cofactorless: [S]B == R + [k]A  <=>  encode([S]B - [k]A) == R bytes
    Rc = _padd(_pmul(S, _B), _pneg(_pmul(k, A)))
    if cofactored:
        return _is_identity(_pmul(8, _padd(Rc, _pneg(R))))
    return _pencode(Rc) == Rb


def ed25519_public_from_seed(seed: bytes) -> bytes:
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return _pencode(_pmul(a, _B))


def ed25519_sign(seed: bytes, msg: bytes) -> bytes:
    """RFC 8032 signing.  Uses `cryptography` when installed, else pure Python."""
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:  # pragma: no cover
        Ed25519PrivateKey = None
    if Ed25519PrivateKey is not None:
        return Ed25519PrivateKey.from_private_bytes(seed).sign(msg)
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    A = _pencode(_pmul(a, _B))
    r = int.from_bytes(hashlib.sha512(h[32:] + msg).digest(), "little") % _L
    Rb = _pencode(_pmul(r, _B))
    k = int.from_bytes(hashlib.sha512(Rb + A + msg).digest(), "little") % _L
    return Rb + ((r + k * a) % _L).to_bytes(32, "little")


def kid_of(public_key: bytes) -> bytes:
    return hashlib.sha256(public_key).digest()[:8]


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor_encode(["Signature1", protected, b"", payload])


# --------------------------------------------------------------------------
# registries (section 8) and their JSON names (section 11)
# Names marked (*) are confirmed by the vectors; the rest are guesses,
# because FORMAT.md section 11 does not list them (see FINDINGS.md).

COLOURS = {1: "green", 2: "yellow", 3: "orange", 4: "red"}  # green*, red*
REASONS = {  # FORMAT.md section 8.2, JSON names
    1: "negative_test",
    2: "positive_test",
    3: "close_contact",
    4: "risk_area_visit",
    5: "quarantine_completed",
    6: "fever_at_check",
    7: "self_reported_symptoms",
    8: "vaccinated",
    9: "officer_decision",
    10: "recovered",
    11: "in_quarantine",
    12: "incomplete_reports",
    13: "normal_reports",
    14: "converted_code",
}
KIND_TYPES = {1: "personal", 2: "student", 3: "cross_border", 4: "venue"}  # all given in s11
TEST_KINDS = {1: "nucleic_acid", 2: "antigen", 3: "antibody"}  # nucleic_acid*, antigen*
TEST_RESULTS = {1: "negative", 2: "positive", 3: "inconclusive"}  # negative*, positive*
DOCUMENTS = {1: "national_id", 2: "passport", 3: "residence_permit", 4: "travel_permit", 5: "other"}  # national_id*
RELATIONS = {1: "parent", 2: "child", 3: "spouse", 4: "family", 5: "guardian", 6: "carer"}  # child*
CATEGORIES = {1: "individual", 2: "truck_driver", 3: "commuter", 4: "crew"}


def _inv(d):
    return {v: k for k, v in d.items()}


# --------------------------------------------------------------------------
# time helpers

_EPOCH_DATE = _dt.date(1970, 1, 1)
_UTC = _dt.timezone.utc


def secs_to_rfc3339(s: int) -> str:
    try:
        t = _dt.datetime(1970, 1, 1, tzinfo=_UTC) + _dt.timedelta(seconds=s)
    except OverflowError:
        raise HPError("claims", "time out of the representable range") from None
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}"
            f"T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z")


def rfc3339_to_secs(s: str) -> int:
    if isinstance(s, (int, float)):
        return int(s)
    t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"time without offset: {s}")
    delta = t - _dt.datetime(1970, 1, 1, tzinfo=_UTC)
    # whole seconds: drop any sub-second part (floor; see FINDINGS.md)
    return delta.days * 86400 + delta.seconds


def days_to_date(n: int) -> str:
    try:
        return (_EPOCH_DATE + _dt.timedelta(days=n)).isoformat()
    except OverflowError:
        raise HPError("claims", "date out of the representable range") from None


def date_to_days(s: str) -> int:
    return (_dt.date.fromisoformat(s) - _EPOCH_DATE).days


# --------------------------------------------------------------------------
# sections 5 and 6: CWT <-> JSON-form claims


def _c(cond: bool, what: str):
    if not cond:
        raise HPError("claims", what)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_uint(v) -> bool:
    return _is_int(v) and v >= 0


_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1


def _int64(v, what):
    _c(_is_int(v), f"{what} must be an integer")
    _c(_I64_MIN <= v <= _I64_MAX, f"{what} out of 64-bit range")
    return v


def _tstr(v, what, nonempty=False):
    _c(isinstance(v, str), f"{what} must be a text string")
    if nonempty:
        _c(len(v) > 0, f"{what} must not be empty")
    return v


def _bstr16(v, what):
    _c(isinstance(v, bytes) and len(v) == 16, f"{what} must be a 16-byte string")
    return v.hex()


def _map(v, what, allowed: set, required: set = frozenset()):
    _c(isinstance(v, CMap), f"{what} must be a map")
    for k in v.keys():
        _c(_is_int(k) and k in allowed, f"unknown key {k!r} in {what}")
    for k in required:
        _c(v.get(k) is not None, f"{what} lacks required key {k}")
    return v


def _code(v, registry, what):
    _c(_is_uint(v), f"{what} must be an unsigned integer")
    _c(v in registry, f"unknown {what} code {v}")
    return registry[v]


def _list(v, what):
    _c(isinstance(v, list), f"{what} must be an array")
    _c(len(v) >= 1, f"{what} must not be empty")
    return v


def _opt(m: CMap, k):
    return m.get(k)


def cwt_to_claims(payload) -> dict:
    """Validate a decoded CWT map and return the JSON form (section 11)."""
    m = _map(payload, "CWT", {1, 4, 5, 6, 7, -65537}, {1, 4, 6, 7, -65537})
    out: dict[str, Any] = {}
    out["issuer"] = _tstr(m.get(1), "iss", nonempty=True)
    exp = _int64(m.get(4), "exp")
    iat = _int64(m.get(6), "iat")
    nbf = m.get(5)
    nbf = iat if nbf is None else _int64(nbf, "nbf")
    _c(exp > nbf, "exp must be later than nbf")
    out["credential_id"] = _bstr16(m.get(7), "cti")
    out["issued_at"] = secs_to_rfc3339(iat)
    out["not_before"] = secs_to_rfc3339(nbf)
    out["expires_at"] = secs_to_rfc3339(exp)

    st = _map(m.get(-65537), "status", {1, 2, 3, 4, 5, 6}, {1, 2, 4})
    out["colour"] = _code(st.get(1), COLOURS, "colour")
    out["reasons"] = [_code(r, REASONS, "reason") for r in _list(st.get(2), "reasons")]
    _c(len(set(out["reasons"])) == len(out["reasons"]), "a reason is given twice")

    kind = st.get(3)
    if kind is None:
        out["kind"] = {"type": "personal"}
    else:
        _c(isinstance(kind, CMap), "kind must be a map")
        t = _code(kind.get(1), KIND_TYPES, "kind type")
        allowed = {"personal": {1}, "student": {1, 2, 3}, "cross_border": {1, 4},
                   "venue": {1, 5, 6, 7}}[t]
        required = {"personal": {1}, "student": {1, 2, 3}, "cross_border": {1, 4},
                    "venue": {1, 5}}[t]
        _map(kind, "kind", allowed, required)
        k: dict[str, Any] = {"type": t}
        if t == "student":
            k["school"] = _tstr(kind.get(2), "school")
            k["class"] = _tstr(kind.get(3), "class")
        elif t == "cross_border":
            k["category"] = _code(kind.get(4), CATEGORIES, "category")
        elif t == "venue":
            k["venue_id"] = _tstr(kind.get(5), "venue id")
            if kind.get(6) is not None:
                k["name"] = _tstr(kind.get(6), "venue name")
            if kind.get(7) is not None:
                k["region"] = _tstr(kind.get(7), "venue region")
        out["kind"] = k

    sub = _map(st.get(4), "subject", {1, 2, 3, 4}, {1})
    s: dict[str, Any] = {"id": _bstr16(sub.get(1), "subject id")}
    if sub.get(2) is not None:
        s["name"] = _tstr(sub.get(2), "subject name")
    if sub.get(3) is not None:
        s["birth_date"] = days_to_date(_int64(sub.get(3), "birth date"))
    if sub.get(4) is not None:
        s["document"] = _code(sub.get(4), DOCUMENTS, "document")
    out["subject"] = s

    if st.get(5) is not None:
        h = _map(st.get(5), "holder", {1, 2, 3}, {1})
        hj: dict[str, Any] = {"relation": _code(h.get(1), RELATIONS, "relation")}
        if h.get(2) is not None:
            hj["name"] = _tstr(h.get(2), "holder name")
        if h.get(3) is not None:
            hj["id"] = _bstr16(h.get(3), "holder id")
        out["holder"] = hj

    if st.get(6) is not None:
        ev = _map(st.get(6), "evidence", {1, 2, 3, 4, 5, 6, 7})
        e: dict[str, Any] = {}
        if ev.get(1) is not None:
            e["tests"] = [_test(x) for x in _list(ev.get(1), "tests")]
        if ev.get(2) is not None:
            e["vaccinations"] = [_vacc(x) for x in _list(ev.get(2), "vaccinations")]
        if ev.get(3) is not None:
            e["temperatures"] = [_temp(x) for x in _list(ev.get(3), "temperatures")]
        if ev.get(4) is not None:
            e["travel"] = [_stay(x) for x in _list(ev.get(4), "travel")]
        if ev.get(5) is not None:
            e["residency"] = _tstr(ev.get(5), "residency")
        if ev.get(6) is not None:
            e["decisions"] = [_decision(x) for x in _list(ev.get(6), "decisions")]
        if ev.get(7) is not None:
            src = _map(ev.get(7), "converted from", {1, 2, 3}, {1, 2, 3})
            digest = src.get(3)
            _c(isinstance(digest, bytes) and len(digest) == 32, "converted from: hash must be 32 bytes")
            e["converted_from"] = {"format": _tstr(src.get(1), "source format"),
                                   "region": _tstr(src.get(2), "source region"),
                                   "hash": digest.hex()}
        if e:  # an empty evidence map is read as "no evidence" (FINDINGS.md)
            out["evidence"] = e
    return out


def _test(x):
    t = _map(x, "test", {1, 2, 3, 4}, {1, 2, 3})
    o = {"kind": _code(t.get(1), TEST_KINDS, "test kind"),
         "result": _code(t.get(2), TEST_RESULTS, "test result"),
         "sampled_at": secs_to_rfc3339(_int64(t.get(3), "sample time"))}
    if t.get(4) is not None:
        o["facility"] = _tstr(t.get(4), "facility")
    return o


def _vacc(x):
    v = _map(x, "vaccination", {1, 2, 3, 4}, {1, 2, 3, 4})
    dose, doses = v.get(2), v.get(3)
    _c(_is_uint(dose) and 1 <= dose <= 255, "dose must be 1..255")
    _c(_is_uint(doses) and dose <= doses <= 255, "doses in series must be dose..255")
    return {"product": _tstr(v.get(1), "product"), "dose": dose, "doses": doses,
            "date": days_to_date(_int64(v.get(4), "vaccination date"))}


def _temp(x):
    t = _map(x, "temperature", {1, 2, 3}, {1, 2})
    dc = t.get(1)
    _c(_is_uint(dc) and dc <= 65535, "temperature must be 0..65535")
    o = {"decicelsius": dc, "at": secs_to_rfc3339(_int64(t.get(2), "temperature time"))}
    if t.get(3) is not None:
        o["place"] = _tstr(t.get(3), "place")
    return o


def _stay(x):
    s = _map(x, "stay", {1, 2, 3}, {1, 2})
    frm = _int64(s.get(2), "stay from")
    o = {"region": _tstr(s.get(1), "region"), "from": days_to_date(frm)}
    if s.get(3) is not None:
        until = _int64(s.get(3), "stay until")
        _c(until >= frm, "stay until must not be before from")
        o["until"] = days_to_date(until)
    return o


def _decision(x):
    d = _map(x, "decision", {1, 2, 3}, {1, 2, 3})
    return {"officer": _tstr(d.get(1), "officer id"),
            "at": secs_to_rfc3339(_int64(d.get(2), "decision time")),
            "basis": _tstr(d.get(3), "basis")}


# ---- JSON form -> CWT (issuer side)


def claims_to_cwt(c: dict) -> dict:
    iat = rfc3339_to_secs(c["issued_at"])
    nbf = rfc3339_to_secs(c.get("not_before") or c["issued_at"])
    exp = rfc3339_to_secs(c["expires_at"])
    if not c.get("issuer"):
        raise ValueError("issuer must be non-empty")
    if exp <= nbf:
        raise ValueError("expires_at must be later than not_before")
    cwt: dict = {1: c["issuer"], 4: exp, 6: iat, 7: bytes.fromhex(c["credential_id"])}
    if nbf != iat:
        cwt[5] = nbf
    st: dict = {1: _inv(COLOURS)[c["colour"]],
                2: [_inv(REASONS)[r] for r in c["reasons"]]}
    if not st[2]:
        raise ValueError("at least one reason")
    kind = c.get("kind") or {"type": "personal"}
    t = kind["type"]
    if t != "personal":
        k: dict = {1: _inv(KIND_TYPES)[t]}
        if t == "student":
            k[2], k[3] = kind["school"], kind["class"]
        elif t == "cross_border":
            k[4] = _inv(CATEGORIES)[kind["category"]]
        elif t == "venue":
            k[5] = kind["venue_id"]
            if kind.get("name") is not None:
                k[6] = kind["name"]
            if kind.get("region") is not None:
                k[7] = kind["region"]
        st[3] = k
    sj = c["subject"]
    s: dict = {1: bytes.fromhex(sj["id"])}
    if sj.get("name") is not None:
        s[2] = sj["name"]
    if sj.get("birth_date") is not None:
        s[3] = date_to_days(sj["birth_date"])
    if sj.get("document") is not None:
        s[4] = _inv(DOCUMENTS)[sj["document"]]
    st[4] = s
    hj = c.get("holder")
    if hj:
        h: dict = {1: _inv(RELATIONS)[hj["relation"]]}
        if hj.get("name") is not None:
            h[2] = hj["name"]
        if hj.get("id") is not None:
            h[3] = bytes.fromhex(hj["id"])
        st[5] = h
    ej = c.get("evidence") or {}
    e: dict = {}
    if ej.get("tests"):
        e[1] = []
        for t_ in ej["tests"]:
            tm = {1: _inv(TEST_KINDS)[t_["kind"]], 2: _inv(TEST_RESULTS)[t_["result"]],
                  3: rfc3339_to_secs(t_["sampled_at"])}
            if t_.get("facility") is not None:
                tm[4] = t_["facility"]
            e[1].append(tm)
    if ej.get("vaccinations"):
        e[2] = [{1: v["product"], 2: v["dose"], 3: v["doses"], 4: date_to_days(v["date"])}
                for v in ej["vaccinations"]]
    if ej.get("temperatures"):
        e[3] = []
        for t_ in ej["temperatures"]:
            tm = {1: t_["decicelsius"], 2: rfc3339_to_secs(t_["at"])}
            if t_.get("place") is not None:
                tm[3] = t_["place"]
            e[3].append(tm)
    if ej.get("travel"):
        e[4] = []
        for s_ in ej["travel"]:
            sm = {1: s_["region"], 2: date_to_days(s_["from"])}
            if s_.get("until") is not None:
                sm[3] = date_to_days(s_["until"])
            e[4].append(sm)
    if ej.get("residency") is not None:
        e[5] = ej["residency"]
    if ej.get("decisions"):
        e[6] = [{1: d["officer"], 2: rfc3339_to_secs(d["at"]), 3: d["basis"]}
                for d in ej["decisions"]]
    if ej.get("converted_from") is not None:
        c = ej["converted_from"]
        e[7] = {1: c["format"], 2: c["region"], 3: bytes.fromhex(c["hash"])}
    if e:
        st[6] = e
    cwt[-65537] = st
    return cwt


# --------------------------------------------------------------------------
# issuer


def issue_cose(claims: dict, seed: bytes) -> bytes:
    if len(seed) != 32:
        raise ValueError("seed must be 32 bytes")
    public = ed25519_public_from_seed(seed)
    protected = cbor_encode({1: -8, 4: kid_of(public)})
    payload = cbor_encode(claims_to_cwt(claims))
    sig = ed25519_sign(seed, sig_structure(protected, payload))
    return cbor_encode(Tag(18, [protected, {}, payload, sig]))


def cose_to_text(cose: bytes) -> str:
    z = zlib.compress(cose, 9)
    body = z if len(z) < len(cose) else cose
    text = PREFIX + b45encode(body)
    if len(text) > MAX_TEXT:
        raise ValueError("code too large for the format")
    return text


def issue_text(claims: dict, seed: bytes) -> str:
    return cose_to_text(issue_cose(claims, seed))


# --------------------------------------------------------------------------
# verifier (section 7)


def _norm_keys(trusted_keys):
    out = []
    for k in trusted_keys:
        issuer = None
        if isinstance(k, dict):
            pk = k["public_key"]
            issuer = k.get("issuer")
        else:
            pk = k
        if isinstance(pk, str):
            pk = bytes.fromhex(pk)
        A = _pdecode_strict(bytes(pk)) if len(pk) == 32 else None
        if A is None or _is_small_order(A):
            raise HPError("key", "not a canonical, non-small-order Ed25519 public key")  # section 3
        out.append((bytes(pk), issuer))
    return out


def _now_secs(now) -> int:
    if isinstance(now, _dt.datetime):
        return rfc3339_to_secs(now.isoformat())
    if isinstance(now, str):
        return rfc3339_to_secs(now)
    return int(now)


def parse_cose(cose: bytes):
    """Step 4: the tagged COSE_Sign1 under the CBOR rules.  Returns
    (protected_bytes, protected_map, payload_bytes, signature)."""
    msg = cbor_decode(cose)  # cbor / trailing_bytes / duplicate_key / too_large
    if not isinstance(msg, Tag) or msg.tag != 18:
        raise HPError("cbor", "not a COSE_Sign1 (tag 18)")
    arr = msg.value
    if not isinstance(arr, list) or len(arr) != 4:
        raise HPError("cbor", "COSE_Sign1 must be an array of 4")
    protected, unprotected, payload, sig = arr
    if not isinstance(protected, bytes):
        raise HPError("cbor", "protected header must be a byte string")
    if not isinstance(unprotected, CMap):
        raise HPError("cbor", "unprotected header must be a map")
    if not isinstance(payload, bytes):
        raise HPError("cbor", "payload must be a byte string (detached payloads are refused)")
    if not isinstance(sig, bytes):
        raise HPError("cbor", "signature must be a byte string")  # length: bad_signature, step 7
    if protected == b"":
        pmap = CMap()  # RFC 9052: zero-length protected header is the empty map
    else:
        pmap = cbor_decode(protected)
        if not isinstance(pmap, CMap):
            raise HPError("cbor", "protected header must encode a map")
    for k in pmap.keys():
        if k == 2:
            raise HPError("cbor", "crit in the protected header")
        # other labels are allowed and ignored (section 3)
    _check_header_types(pmap)
    _check_header_types(unprotected)
    return protected, pmap, payload, sig


def _is_label(v) -> bool:
    return _is_int(v) or isinstance(v, str)


# FORMAT.md section 3 (revised): the labels 1-6 of RFC 9052 s3.1 and the type of each value,
# checked in both headers; any other type is `cbor`.
_HEADER_TYPES = {
    1: ("alg", _is_label),
    2: ("crit", lambda v: isinstance(v, list) and len(v) > 0 and all(_is_label(x) for x in v)),
    3: ("content type", lambda v: _is_uint(v) or isinstance(v, str)),
    4: ("kid", lambda v: isinstance(v, bytes)),
    5: ("IV", lambda v: isinstance(v, bytes)),
    6: ("Partial IV", lambda v: isinstance(v, bytes)),
}


def _check_header_types(m: CMap):
    for k, v in m.items:
        if _is_int(k) and k in _HEADER_TYPES:
            name, ok = _HEADER_TYPES[k]
            if not ok(v):
                raise HPError("cbor", f"{name} of the wrong type")


def verify(text: str, trusted_keys, now, skew: int = 300) -> dict:
    # 1. length, prefix
    # FORMAT.md section 1 (revised): the limit applies to ASCII text; a text with any other
    # character is refused by the prefix or base45 rule whatever its length
    if len(text) > MAX_TEXT and text.isascii():
        raise HPError("too_large", "text longer than 7,089 characters")
    if not text.startswith(PREFIX):
        raise HPError("prefix")
    # 2. base45
    body = b45decode(text[len(PREFIX):])
    # 3. body form, bounded inflate
    cose = body_to_cose(body)
    # 4. COSE_Sign1
    protected, pmap, payload, sig = parse_cose(cose)
    # 5. alg (protected header only)
    alg = pmap.get(1)
    if alg is None:
        raise HPError("missing_alg")
    if not _is_int(alg) or alg != -8:
        raise HPError("unsupported_alg", f"alg {alg!r}")
    # 6. kid (protected header only)
    kid = pmap.get(4)
    if kid is not None and not isinstance(kid, bytes):
        raise HPError("cbor", "kid is not a byte string")
    if not kid:
        raise HPError("missing_kid")
    keys = [(pk, iss) for pk, iss in _norm_keys(trusted_keys) if kid_of(pk) == kid]
    if not keys:
        raise HPError("unknown_kid", kid.hex())
    # 7. cofactored signature (section 3) under each candidate key
    tbs = sig_structure(protected, payload)
    verified = [(pk, iss) for pk, iss in keys if ed25519_verify_cofactored(pk, tbs, sig)]
    if not verified:
        raise HPError("bad_signature")
    # 8. payload
    cwt = cbor_decode(payload, max_text=MAX_TEXT_BYTES)
    claims = cwt_to_claims(cwt)
    # 9. issuer binding: accept if any verifying key is unbound or bound to iss
    if all(iss is not None and iss != claims["issuer"] for _, iss in verified):
        raise HPError("issuer_mismatch", claims["issuer"])
    # 10. times
    t = _now_secs(now)
    iat = rfc3339_to_secs(claims["issued_at"])
    nbf = rfc3339_to_secs(claims["not_before"])
    exp = rfc3339_to_secs(claims["expires_at"])
    if iat > t + skew:
        raise HPError("issued_in_future")
    if nbf > t + skew:
        raise HPError("not_yet_valid")
    if t - skew > exp:
        raise HPError("expired")
    return claims
