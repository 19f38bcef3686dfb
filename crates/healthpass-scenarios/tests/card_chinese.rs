//! Chinese on paper (issue #16): a card for 陈小明 in Simplified Chinese, and one in Traditional
//! Chinese (drawn in the Traditional face), draw their Chinese text with the embedded fonts,
//! scan back and verify, carry 300 dpi, and read back through OCR (`tesseract` with `chi_sim`
//! and `chi_tra`; this test FAILS when tesseract or its Chinese data is missing: `.ci/run`
//! installs them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::process::Command;

use chrono::{TimeZone, Utc};
use healthpass::{Claims, Issuer, Limits, SigningKey, Verifier};
use healthpass_i18n::{Lang, Zone};
use healthpass_scenarios::card::{CARD_HEIGHT, CARD_WIDTH, Card, PIXELS_PER_METRE, printable};

fn claims() -> Claims {
    let mut claims = Claims::example(Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap());
    claims.subject.name = Some("陈小明".into());
    claims.holder = None;
    claims
}

fn card(lang: Lang) -> (String, Card) {
    let code = Issuer::new(SigningKey::demo()).issue(&claims()).unwrap();
    let card = Card::new_in(&code, &claims(), lang, &Zone::parse("Asia/Shanghai").unwrap()).unwrap();
    (code, card)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-card-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The colour band alone, as dark text on a light ground (the word may be white on green),
/// scaled down by `divisor`: a PNG for [`ocr`].
fn band(png: &[u8], divisor: u32) -> Vec<u8> {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let mut band = image::imageops::crop_imm(&image, 0, 0, CARD_WIDTH, 230).to_image();
    let mean = band.pixels().map(|p| u64::from(p.0[0])).sum::<u64>() / u64::from(band.width() * band.height());
    if mean < 128 {
        image::imageops::invert(&mut band);
    }
    // Black on white, at the size of body text (tesseract reads 30-60 px glyphs best).
    for p in band.pixels_mut() {
        p.0[0] = if p.0[0] < 100 { 0 } else { 255 };
    }
    let band =
        image::imageops::resize(&band, CARD_WIDTH / divisor, 230 / divisor, image::imageops::FilterType::Triangle);
    let mut out = std::io::Cursor::new(Vec::new());
    band.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The text tesseract reads in `png` with `langs`, without the spaces it puts between Chinese
/// characters.
fn ocr(png: &[u8], langs: &str) -> String {
    ocr_as(png, langs, "4")
}

/// What tesseract reads on the band with its 150 px word cut to 50 px and to 37 px: its
/// Chinese models read some glyphs at one size and nothing at the other (the SC `绿` at 50
/// px, the TC `綠` at 37 px), so the word counts as read when either reading is exactly it.
fn band_readings(png: &[u8], langs: &str) -> Vec<String> {
    [3, 4].into_iter().map(|divisor| ocr_as(&band(png, divisor), langs, "7")).collect()
}

fn ocr_as(png: &[u8], langs: &str, psm: &str) -> String {
    let dir = temp_dir(&format!("{}-{psm}", langs.replace('+', "-")));
    let path = dir.join("card.png");
    std::fs::write(&path, png).unwrap();
    let output = Command::new("tesseract").arg(&path).arg("stdout").args(["-l", langs, "--psm", "4"]).output().expect(
        "tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra",
    );
    assert!(output.status.success(), "tesseract failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_simplified_chinese_card_reads_back_through_ocr() {
    let (_, card) = card(Lang::ZhHans);
    assert_eq!(card.word(), "绿码");
    assert_eq!(card.lines[0], "姓名：陈*明");
    let png = card.to_png().unwrap();
    let text = ocr(&png, "chi_sim");
    for drawn in ["姓名", "签发机构", "有效至", "近期检测结果为阴性", "陈*明"] {
        assert!(text.contains(drawn), "OCR did not read {drawn:?} in {text:?}");
    }
    let words = band_readings(&png, "chi_sim");
    assert!(words.iter().any(|w| w == "绿码"), "the colour word on the band: {words:?}");
}

#[test]
fn the_traditional_chinese_card_reads_back_through_ocr() {
    let (_, card) = card(Lang::ZhHant);
    assert_eq!(card.word(), "綠碼");
    let png = card.to_png().unwrap();
    let text = ocr(&png, "chi_tra");
    for drawn in ["姓名", "簽發機構", "有效至", "近期檢測結果為陰性"] {
        assert!(text.contains(drawn), "OCR did not read {drawn:?} in {text:?}");
    }
    let words = band_readings(&png, "chi_tra");
    assert!(words.iter().any(|w| w == "綠碼"), "the colour word on the band: {words:?}");
    // Drawn in the Traditional face, which the SVG names first.
    assert!(card.to_svg().contains("font-family=\"'Noto Sans CJK TC'"), "the SVG names the TC face first");
}

#[test]
fn the_chinese_card_scans_back_verifies_and_prints_at_300_dpi() {
    let (code, card) = card(Lang::ZhHans);
    let png = card.to_png().unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().unwrap();
    let dims = reader.info().pixel_dims.expect("a pHYs chunk");
    assert_eq!((dims.xppu, dims.yppu, dims.unit), (PIXELS_PER_METRE, PIXELS_PER_METRE, png::Unit::Meter));
    assert_eq!((reader.info().width, reader.info().height), (CARD_WIDTH, CARD_HEIGHT));
    let texts = healthpass_qr::scan(&png, &Limits::DEFAULT).unwrap();
    assert_eq!(texts[0].as_deref().unwrap(), code);
    let verifier = Verifier::new([SigningKey::demo().public_key()].into_iter().collect());
    let now = Utc.with_ymd_and_hms(2026, 9, 1, 1, 0, 0).unwrap();
    assert_eq!(*verifier.verify(&code, now).unwrap(), claims());
    // The SVG keeps the text and names the fonts.
    let svg = card.to_svg();
    assert!(svg.contains("姓名：陈*明") && svg.contains("Noto Sans CJK SC") && svg.contains("xml:lang=\"zh-Hans\""));
    // Times are in the holder's zone with the offset.
    assert!(card.lines.iter().any(|l| l.starts_with("有效至：") && l.ends_with("+08:00")), "{:?}", card.lines);
}

#[test]
fn every_character_of_the_four_languages_is_drawn_not_replaced() {
    for lang in Lang::ALL {
        for id in healthpass_i18n::messages::ids() {
            let text = healthpass_i18n::text(lang, &id, &[]);
            assert_eq!(printable(&text), text, "{lang} {id}");
        }
    }
    assert_eq!(
        printable("Émile Łukasz Şule Жанна Ωμέγα 陳大文 陈小明 João"),
        "Émile Łukasz Şule Жанна Ωμέγα 陳大文 陈小明 João"
    );
    assert_eq!(printable("a\u{7}b\u{e000}"), "a?b?", "control and private-use characters");
    // A Chinese name changes the pixels: it is drawn, not dropped or replaced by `?`.
    let (_, card) = card(Lang::ZhHans);
    let with_name = |name: &str| {
        let mut card = card.clone();
        card.lines[0] = format!("姓名：{name}");
        card.to_image()
    };
    assert_ne!(with_name("陈*明"), with_name("陈*朋"));
    assert_ne!(with_name("陈*明"), with_name("?*?"));
}
