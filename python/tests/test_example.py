"""The issuer-backend example issues a batch from a CSV, with a progress bar, and its codes verify."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import healthpass
from conftest import NOW

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "issuer_backend.py"

CSV = """name,document,number,colour,reasons,tested_at
Chan Tai Man,national_id,A123456(7),green,negative_test,2026-11-22T08:00:00Z
Wong Siu Ming,passport,K1234567,yellow,close_contact,
Lee Ka Yan,national_id,B7654321,purple,negative_test,
陳大文,national_id,C1112223,green,negative_test;vaccinated,2026-11-22T20:00:00+08:00
"""


def run(tmp_path, *extra):
    people = tmp_path / "people.csv"
    people.write_text(CSV, encoding="utf-8")
    out = tmp_path / "codes.jsonl"
    args = [sys.executable, str(EXAMPLE), str(people), "--out", str(out), "--now", "2026-11-23T09:00:00Z", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=120), out


def test_the_example_issues_a_batch_with_a_progress_bar(tmp_path):
    png_dir = tmp_path / "qr"
    done, out = run(tmp_path, "--demo-key", "--png-dir", str(png_dir))
    assert done.returncode == 1, done.stderr  # the purple row fails, the others are issued
    assert "3 issued, 1 failed" in done.stderr
    assert "row 4: not issued [claims]" in done.stderr
    assert "4/4" in done.stderr or "100%" in done.stderr  # the plain bar or tqdm's
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["name"] for r in records] == ["Chan Tai Man", "Wong Siu Ming", "陳大文"]
    key = healthpass.SigningKey.demo().public_key()
    for record in records:
        claims = healthpass.verify(record["text"], [key], NOW + timedelta(minutes=5))
        assert claims["credential_id"] == record["credential_id"]
        png = png_dir / f"{record['credential_id']}.png"
        assert healthpass.scan(png.read_bytes()) == [record["text"]]
    first = healthpass.verify(records[0]["text"], [key], NOW)
    assert first["subject"]["id"] == healthpass.derive_subject_id(b"demo pseudonym key", "national_id", "A123456(7)")


def test_the_example_signs_with_a_pem_key(tmp_path):
    key = healthpass.SigningKey.generate()
    pem = tmp_path / "issuer.pem"
    pem.write_text(key.to_pem())
    done, out = run(tmp_path, "--key", str(pem), "--issuer", "HK-DH")
    assert "3 issued, 1 failed" in done.stderr
    for line in out.read_text(encoding="utf-8").splitlines():
        assert healthpass.verify(json.loads(line)["text"], [key.public_key()], NOW)["issuer"] == "HK-DH"


def test_the_plain_progress_bar(capsys):
    sys.path.insert(0, str(EXAMPLE.parent))
    try:
        import issuer_backend
    finally:
        sys.path.pop(0)
    assert list(issuer_backend._plain_bar([1, 2, 3], "issuing", sys.stderr, width=3)) == [1, 2, 3]
    assert "issuing [###] 3/3" in capsys.readouterr().err
