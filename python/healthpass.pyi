"""Type stubs for healthpass, the Python bindings of the healthpass Rust core.

The names with a leading underscore (``_Verdict``, ``_Finding``, ``_Summary``, ``_JsonValue``,
...) exist for type checkers only: at run time the results are plain dicts and lists.

Offline-verifiable signed health codes: issue codes from an issuer backend, render them as QR
codes, verify them, scan images, and decide at a checkpoint with a trust list, revocation lists
and an acceptance policy. Times are timezone-aware ``datetime`` objects (a naive one raises
``InputError``); claims, policies, verdicts and states are plain dicts in the core's JSON form.
"""

from datetime import date, datetime, timedelta
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, final

from typing_extensions import Self

__all__ = [
    "__version__",
    "PREFIX",
    "HealthpassError",
    "DecodeError",
    "ClaimsError",
    "SignatureError",
    "ValidityError",
    "KeyFormatError",
    "ImageError",
    "TrustError",
    "PolicyError",
    "InputError",
    "SigningKey",
    "PublicKey",
    "Verifier",
    "Checkpoint",
    "TrustList",
    "RevocationList",
    "issue",
    "issue_batch",
    "new_credential_id",
    "derive_subject_id",
    "render_png",
    "render_svg",
    "scan",
    "verify",
    "verify_batch",
    "_bench_verify_rust",
]
__version__: str
PREFIX: str
"""The prefix of native code text, ``"HP1:"``."""

_JsonValue = Union[None, bool, int, float, str, datetime, date, bytes, Sequence[Any], Mapping[str, Any]]
"""What a dict argument may hold: JSON values, aware datetimes (RFC 3339), dates, bytes (hex)."""

_ClaimsInput = Union[Mapping[str, _JsonValue], str, bytes]
"""Claims as a dict in the core's claim form (docs/FORMAT.md), or its JSON text."""

_TrustedKeys = Iterable[Union["PublicKey", Tuple["PublicKey", Optional[str]]]]
"""Keys a verifier trusts: PublicKeys, or (PublicKey, issuer) pairs for keys bound to one issuer."""

_Duration = Union[timedelta, int, float]
"""A timedelta, or a number of seconds."""

_Colour = Literal["green", "yellow", "orange", "red"]

class _Finding(TypedDict):
    """One failed rule or warning: a stable code and a sentence for people."""

    code: str
    message: str

class _Summary(TypedDict, total=False):
    """What a checkpoint screen shows of an authentic code (``name`` masked, when present)."""

    colour: str
    issuer: str
    kind: str
    valid_from: str
    valid_until: str
    name: str

class _Verdict(TypedDict):
    """The core's ``Verdict`` serialised: accepted, colour and summary of an authentic code,
    every refusal and every warning, each with its stable code."""

    accepted: bool
    colour: Optional[str]
    summary: Optional[_Summary]
    refusals: List[_Finding]
    warnings: List[_Finding]

class HealthpassError(Exception):
    """Base of every healthpass error; ``code`` is the core's stable ``Error::code``."""

    code: str

class DecodeError(HealthpassError):
    """prefix, base45, too_large, decompress, body, cbor, trailing_bytes, duplicate_key, foreign."""

class ClaimsError(HealthpassError):
    """claims: a missing, unknown or invalid field."""

class SignatureError(HealthpassError):
    """missing_alg, unsupported_alg, missing_kid, unknown_kid, bad_signature, issuer_mismatch,
    untrusted_key, untrusted_issuer, key_usage, issuer_country_mismatch."""

class ValidityError(HealthpassError):
    """expired, not_yet_valid, issued_in_future, evidence_in_future, key_not_valid, time_out_of_range."""

class KeyFormatError(HealthpassError):
    """key, random, secret_key_exists."""

class ImageError(HealthpassError):
    """image, no_code, qr."""

class TrustError(HealthpassError):
    """list, list_rollback, unknown_anchor, stale_list, signed_in_future, clock_rollback,
    scanner_state, out_of_scope, revoked."""

class PolicyError(HealthpassError):
    """policy: a malformed or contradictory acceptance policy."""

class InputError(HealthpassError):
    """input: a Python argument the binding cannot take (naive datetime, bad hex, ...)."""

@final
class SigningKey:
    """An issuer's Ed25519 secret key, wiped from memory when dropped."""

    @classmethod
    def generate(cls) -> "SigningKey":
        """A new key from the operating system's random source."""
    @classmethod
    def demo(cls) -> "SigningKey":
        """The built-in demo key: for demos and tests, never for real codes."""
    @classmethod
    def from_seed(cls, seed: Union[bytes, str]) -> "SigningKey":
        """The key with this 32-byte seed (bytes or 64 hex digits)."""
    @classmethod
    def from_pem(cls, pem: str) -> "SigningKey":
        """Reads a PKCS#8 PEM private key."""
    def to_pem(self) -> str:
        """The key as PKCS#8 PEM. Keep it secret."""
    def public_key(self) -> "PublicKey":
        """The matching public key."""
    @property
    def kid(self) -> str:
        """The key id (16 hex digits) codes signed with this key carry."""

@final
class PublicKey:
    """An Ed25519 public key: what a verifier trusts."""

    def __new__(cls, raw: Union[bytes, str]) -> Self:
        """The key from its 32 raw bytes or 64 hex digits."""
    @classmethod
    def from_pem(cls, pem: str) -> "PublicKey":
        """Reads an SPKI PEM public key."""
    def to_pem(self) -> str:
        """The key as SPKI PEM."""
    def to_bytes(self) -> bytes:
        """The 32 raw bytes."""
    @property
    def kid(self) -> str:
        """The key id (16 hex digits)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Verifier:
    """Checks codes against trusted keys, read once."""

    def __new__(cls, keys: _TrustedKeys, skew: Optional[_Duration] = None) -> Self: ...
    def verify(self, text: str, now: Optional[datetime] = None) -> Dict[str, Any]:
        """Verifies code text at ``now`` (system clock when None); returns the claims dict."""

@final
class Checkpoint:
    """A checkpoint's whole decision, offline: trust list, revocation lists, policy, clock guard."""

    def __new__(
        cls,
        anchors: Sequence[PublicKey],
        trust_list: bytes,
        policy: Union[Mapping[str, _JsonValue], str, None] = None,
        now: Optional[datetime] = None,
        *,
        skew: Optional[_Duration] = None,
    ) -> Self: ...
    def add_revocation_list(self, revocation_list: bytes, now: Optional[datetime] = None) -> None:
        """Adds (or replaces, per signer and scope) a signed revocation list."""
    def update_trust_list(self, trust_list: bytes, now: Optional[datetime] = None) -> None:
        """Replaces the trust list with a newer signed one."""
    def check(self, text: str, now: Optional[datetime] = None) -> _Verdict:
        """The verdict about one code; never raises for a bad code."""
    def check_image(self, image: bytes, now: Optional[datetime] = None) -> List[_Verdict]:
        """One verdict per QR code in a PNG or JPEG image."""
    def state(self) -> Dict[str, Any]:
        """The scanner state to keep until the next run."""
    def restore_state(self, state: Union[Mapping[str, Any], str]) -> None:
        """Restores the state of an earlier run."""
    @property
    def policy(self) -> Dict[str, Any]:
        """The policy applied."""
    @property
    def trust_list(self) -> Dict[str, Any]:
        """The trust list held, as its draft dict."""
    @property
    def revocation_list_count(self) -> int:
        """How many revocation lists are held."""

@final
class TrustList:
    """A trust list to build and sign, or a signed one read and checked."""

    def __new__(cls, sequence: int, issued_at: datetime, next_update: datetime) -> Self: ...
    @classmethod
    def from_dict(cls, draft: Union[Mapping[str, _JsonValue], str]) -> "TrustList":
        """A list from its draft (docs/TRUST.md)."""
    @classmethod
    def decode(cls, signed: bytes, anchors: Sequence[PublicKey]) -> "TrustList":
        """Reads a signed list and checks it against the pinned anchors."""
    def add_key(
        self,
        key: PublicKey,
        issuer: str,
        region: str,
        valid_from: datetime,
        valid_until: datetime,
        scope: Optional[Mapping[str, _JsonValue]] = None,
    ) -> None:
        """Adds an Ed25519 key with its issuer, region, validity and scope."""
    def sign(self, anchor: SigningKey) -> bytes:
        """The list signed by a trust anchor."""
    def to_dict(self) -> Dict[str, Any]:
        """The list as its draft dict."""
    @property
    def sequence(self) -> int: ...
    def __len__(self) -> int: ...

@final
class RevocationList:
    """A revocation list to build and sign."""

    def __new__(
        cls, sequence: int, issued_at: datetime, next_update: datetime, issuer: Optional[str] = None
    ) -> Self: ...
    def revoke_credentials(self, ids: Iterable[Union[bytes, str]]) -> None:
        """Revokes credentials by id (16 bytes or 32 hex digits)."""
    def revoke_key(self, kid: Union[bytes, str], from_: datetime) -> None:
        """Revokes a key for codes issued at or after ``from_``."""
    def sign(self, key: SigningKey) -> bytes:
        """The list signed by a trust anchor or an issuer's revocation key."""
    @property
    def sequence(self) -> int: ...
    @property
    def credential_count(self) -> int: ...

def issue(claims: _ClaimsInput, key: SigningKey) -> str:
    """Issues a code: the ``HP1:`` text that goes into a QR code."""

def issue_batch(claims: Iterable[_ClaimsInput], key: SigningKey) -> List[str]:
    """Issues one code per claims dict, releasing the GIL while it signs."""

def new_credential_id() -> str:
    """A fresh random credential id (32 hex digits)."""

def derive_subject_id(key: bytes, document: str, number: str) -> str:
    """The pseudonymous subject id of an identity-document number under the issuer's key."""

def render_png(text: str, module_size: int = 4) -> bytes:
    """The code as a 1-bit PNG QR code, ``module_size`` pixels per module (1 to 64)."""

def render_svg(text: str) -> str:
    """The code as an SVG QR code."""

def scan(image: bytes) -> List[str]:
    """The text of every QR code in a PNG or JPEG image."""

def verify(
    text: str, keys: _TrustedKeys, now: Optional[datetime] = None, *, skew: Optional[_Duration] = None
) -> Dict[str, Any]:
    """Verifies code text against trusted keys; returns the claims dict or raises."""

def verify_batch(
    texts: Sequence[str], keys: _TrustedKeys, now: Optional[datetime] = None, *, skew: Optional[_Duration] = None
) -> List[Union[Dict[str, Any], HealthpassError]]:
    """Verifies every text; each result is the claims dict or the exception (returned)."""

def _bench_verify_rust(
    text: str, keys: _TrustedKeys, now: datetime, iterations: int = 1000, to_python: bool = False
) -> float:
    """Mean seconds of one Rust ``Verifier::verify`` call (with ``to_python``, plus making the
    claims dict), for the benchmark."""
