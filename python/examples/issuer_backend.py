#!/usr/bin/env python3
"""An issuer backend's batch job: issue one signed health code per row of a CSV file.

Each row is one person; the columns are

    name,document,number,colour,reasons,tested_at

where `document` is a document kind of the claim model (`national_id`, `passport`, ...),
`number` the document's number (never put in the code: it becomes a keyed pseudonym),
`reasons` the reason codes separated by `;` (such as `negative_test`), and `tested_at` the
RFC 3339 time a negative nucleic-acid test was sampled (may be empty).

For every row the job writes one JSON line to the output (`credential_id`, `name`, `text`:
the HP1 code) and, with --png-dir, a QR code image named after the credential id. A row
that cannot be issued is reported with its error code and the job goes on; the exit status
is 1 if any row failed. A progress bar shows on standard error (tqdm when it is installed,
a plain one otherwise).

    python issuer_backend.py people.csv --key issuer.pem --pseudonym-key-file secret.bin \\
        --issuer CN-GD --valid-hours 24 --out codes.jsonl --png-dir qr/

--demo-key uses the built-in demo key (for trying the script, never for real codes).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, TextIO

import healthpass

Row = Dict[str, str]
"""One CSV row, by column name."""


def progress(rows: List[Row], label: str) -> Iterable[Row]:
    """The rows, with a progress bar on standard error: tqdm's, or a plain one without tqdm."""
    try:
        from tqdm import tqdm  # type: ignore[import-untyped,import-not-found,unused-ignore]

        bar: Iterable[Row] = tqdm(rows, desc=label, unit="code", file=sys.stderr)
        return bar
    except ImportError:
        return _plain_bar(rows, label, sys.stderr)


def _plain_bar(rows: List[Row], label: str, out: TextIO, width: int = 30) -> Iterator[Row]:
    total = max(len(rows), 1)
    for done, row in enumerate(rows, start=1):
        yield row
        filled = width * done // total
        out.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{len(rows)}")
        out.flush()
    out.write("\n")


def parse_time(text: str) -> datetime:
    """An RFC 3339 time (`Z` or an offset) as an aware datetime."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {text!r}")
    return parsed


def claims_for(row: Row, *, issuer: str, pseudonym_key: bytes, now: datetime, valid: timedelta) -> Dict[str, Any]:
    """The claims of one CSV row, issued at `now` and valid for `valid`."""
    evidence: Dict[str, Any] = {}
    if row.get("tested_at", "").strip():
        evidence["tests"] = [
            {"kind": "nucleic_acid", "result": "negative", "sampled_at": parse_time(row["tested_at"])}
        ]
    subject: Dict[str, Any] = {
        "id": healthpass.derive_subject_id(pseudonym_key, row["document"], row["number"]),
        "document": row["document"],
    }
    if row.get("name", "").strip():
        subject["name"] = row["name"].strip()
    return {
        "issuer": issuer,
        "credential_id": healthpass.new_credential_id(),
        "issued_at": now,
        "not_before": now,
        "expires_at": now + valid,
        "colour": row["colour"].strip(),
        "reasons": [r.strip() for r in row["reasons"].split(";") if r.strip()],
        "kind": {"type": "personal"},
        "subject": subject,
        "evidence": evidence,
    }


def issue_batch(
    rows: List[Row],
    key: healthpass.SigningKey,
    *,
    issuer: str,
    pseudonym_key: bytes,
    now: datetime,
    valid: timedelta,
    out: TextIO,
    png_dir: Path | None = None,
) -> tuple[int, int]:
    """Issues a code per row, writing JSON lines to `out`; returns (issued, failed)."""
    issued = failed = 0
    for number, row in enumerate(progress(rows, "issuing"), start=2):
        try:
            claims = claims_for(row, issuer=issuer, pseudonym_key=pseudonym_key, now=now, valid=valid)
            text = healthpass.issue(claims, key)
        except healthpass.HealthpassError as err:
            print(f"\nrow {number}: not issued [{err.code}] {err}", file=sys.stderr)
            failed += 1
            continue
        except (KeyError, ValueError) as err:
            print(f"\nrow {number}: not issued [csv] {err}", file=sys.stderr)
            failed += 1
            continue
        record = {"credential_id": claims["credential_id"], "name": row.get("name", ""), "text": text}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if png_dir is not None:
            (png_dir / f"{claims['credential_id']}.png").write_bytes(healthpass.render_png(text, 4))
        issued += 1
    return issued, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path, help="the people to issue codes for (see the columns above)")
    keys = parser.add_mutually_exclusive_group(required=True)
    keys.add_argument("--key", type=Path, help="the issuer's signing key (PKCS#8 PEM)")
    keys.add_argument("--demo-key", action="store_true", help="the built-in demo key: never for real codes")
    parser.add_argument("--pseudonym-key-file", type=Path, help="the secret key of subject pseudonyms (bytes)")
    parser.add_argument("--issuer", default="CN-GD", help="the issuing authority (CWT iss)")
    parser.add_argument("--valid-hours", type=float, default=24.0, help="how long each code is valid")
    parser.add_argument("--now", type=parse_time, help="the issue time (RFC 3339); the clock's by default")
    parser.add_argument("--out", type=Path, help="JSON lines of issued codes (standard output by default)")
    parser.add_argument("--png-dir", type=Path, help="also write each code as a PNG QR code here")
    args = parser.parse_args(argv)

    key = healthpass.SigningKey.demo() if args.demo_key else healthpass.SigningKey.from_pem(args.key.read_text())
    pseudonym_key = args.pseudonym_key_file.read_bytes() if args.pseudonym_key_file else b"demo pseudonym key"
    if args.png_dir is not None:
        args.png_dir.mkdir(parents=True, exist_ok=True)
    with args.csv.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    now = args.now or datetime.now(timezone.utc)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        issued, failed = issue_batch(
            rows,
            key,
            issuer=args.issuer,
            pseudonym_key=pseudonym_key,
            now=now,
            valid=timedelta(hours=args.valid_hours),
            out=out,
            png_dir=args.png_dir,
        )
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{issued} issued, {failed} failed (kid {key.kid})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
