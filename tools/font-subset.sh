#!/usr/bin/env bash
# Regenerates the card's embedded font, crates/healthpass-scenarios/fonts/NotoSansCJKsc-card.otf:
# Noto Sans CJK SC Regular (SIL OFL 1.1, Debian's fonts-noto-cjk) cut down to the characters a
# card can print: all of GB 2312, Big5's common characters (level 1) and symbols, Latin-1 and
# Latin Extended-A and -B and Additional (Portuguese and other Latin names), Greek and Cyrillic
# (as far as the font has them), general punctuation and the full-width
# forms. Every character of the four languages is in that one file, in the Simplified (SC)
# shapes; Traditional Chinese text is drawn with a second, small file, NotoSansCJKtc-card.otf:
# the Traditional (TC) face of the same font cut to the characters of the zh-Hant messages
# (crates/healthpass-i18n/locales/zh-Hant/healthpass.ftl; rerun this script after editing it),
# so labels, colour words and reasons print in the shapes Hong Kong, Macau and Taiwan readers
# learnt; a name's characters beyond those fall back to the SC file. Source Han's Latin stops short of some European letters (Ł, Ş,
# accented Greek), so a second file, DejaVuSans-card.ttf (DejaVu Sans, Bitstream Vera licence,
# Debian's fonts-dejavu-core), holds Latin, Greek and Cyrillic for the characters the first
# lacks. Needs fonts-noto-cjk, fonts-dejavu-core and python3-fonttools (apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${NOTO_CJK:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
out=crates/healthpass-scenarios/fonts/NotoSansCJKsc-card.otf
python=/usr/bin/python3
[ -x "$python" ] || python=python3
latin=${DEJAVU:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}
if ! [ -f "$src" ] || ! [ -f "$latin" ] || ! "$python" -c 'import fontTools' 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk fonts-dejavu-core \
        python3-fonttools >/dev/null
fi
chars=$(mktemp)
"$python" - >"$chars" <<'PY'
def decoded(codec, rows, cols):
    out = set()
    for hi in rows:
        for lo in cols:
            try:
                out.add(bytes([hi, lo]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out
chars = set()
chars |= decoded("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))          # all of GB 2312
chars |= decoded("big5", range(0xA1, 0xA4), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))  # symbols
chars |= decoded("big5", range(0xA4, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))  # level 1
chars |= {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x250)}  # Latin-1, Extended-A and -B
chars |= {chr(c) for c in range(0x370, 0x500)} | {chr(c) for c in range(0x1E00, 0x1F00)}  # Greek, Cyrillic, Latin Additional
chars |= {chr(c) for c in range(0x2010, 0x2040)} | {chr(c) for c in range(0x3000, 0x3040)}
chars |= {chr(c) for c in range(0xFF01, 0xFF5F)} | {"°", "·", "…", "№"}
print("".join(sorted(c for c in chars if len(c) == 1 and c.isprintable())))
PY
"$python" -m fontTools.subset "$src" --font-number=2 --text-file="$chars" --output-file="$out" \
    --layout-features='' --no-hinting --desubroutinize --name-IDs='*' --notdef-outline
rm -f "$chars"
# The Traditional face (font number 3 of the collection), cut to the zh-Hant messages' CJK characters.
hant=$(mktemp)
"$python" - crates/healthpass-i18n/locales/zh-Hant/healthpass.ftl >"$hant" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
print("".join(sorted({c for c in text if ord(c) >= 0x2E80})))
PY
"$python" -m fontTools.subset "$src" --font-number=3 --text-file="$hant" \
    --output-file=crates/healthpass-scenarios/fonts/NotoSansCJKtc-card.otf \
    --layout-features='' --no-hinting --desubroutinize --name-IDs='*' --notdef-outline
rm -f "$hant"
"$python" -m fontTools.subset "$latin" --unicodes='U+20-7E,U+A0-24F,U+370-3FF,U+400-4FF,U+1E00-1EFF,U+2010-205F' \
    --output-file=crates/healthpass-scenarios/fonts/DejaVuSans-card.ttf --layout-features='' --no-hinting \
    --name-IDs='*' --notdef-outline
cp /usr/share/doc/fonts-noto-cjk/copyright crates/healthpass-scenarios/fonts/NOTO-COPYRIGHT
cp /usr/share/doc/fonts-dejavu-core/copyright crates/healthpass-scenarios/fonts/DEJAVU-COPYRIGHT
ls -l "$out" crates/healthpass-scenarios/fonts/NotoSansCJKtc-card.otf crates/healthpass-scenarios/fonts/DejaVuSans-card.ttf
