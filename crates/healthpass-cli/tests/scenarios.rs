//! The scenarios through the public API, the CLI and the examples (docs/SCENARIOS.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::claims::{TemperatureCheck, TestKind, TestOutcome, TestResult, TravelRecord};
use healthpass::{Colour, CredentialId, Issuer, Reason, SigningKey, Subject, SubjectId};
use healthpass_scenarios::rules::{Facts, RuleSet};

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/colour_rules.rs"]
mod colour_rules;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

/// The step and detail of a scenario error; any other error fails the test with its code.
fn scenario_fault<T: std::fmt::Debug>(result: healthpass::Result<T>) -> (&'static str, String) {
    match result {
        Err(healthpass::Error::Scenario { step, detail }) => (step, detail),
        other => panic!("expected a scenario error, got {other:?}"),
    }
}

fn test(result: TestOutcome, sampled_at: DateTime<Utc>) -> TestResult {
    TestResult { kind: TestKind::Antigen, result, sampled_at, facility: None }
}

fn subject() -> Subject {
    Subject { id: SubjectId([1; 16]), name: Some("Chan Tai Man".into()), birth_date: None, document: None }
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).args(args).output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-scenarios-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---- 1. colour rules ----

#[test]
fn red_needs_the_quarantine_period_and_two_negatives_a_day_apart() {
    let rules = RuleSet::default();
    let mut facts = Facts::default();
    facts.evidence.tests.push(test(TestOutcome::Positive, t0()));
    let at = |d: i64, h: i64| t0() + TimeDelta::days(d) + TimeDelta::hours(h);
    let a = rules.evaluate(&facts, at(1, 0)).unwrap();
    assert_eq!((a.colour, a.reasons.clone()), (Colour::Red, vec![Reason::PositiveTest, Reason::InQuarantine]));
    assert_eq!(a.to_green.len(), 2, "{:?}", a.to_green);
    assert!(a.valid_until <= at(2, 0));
    // Two negatives 23 hours apart count as one.
    facts.evidence.tests.push(test(TestOutcome::Negative, at(14, 0)));
    facts.evidence.tests.push(test(TestOutcome::Negative, at(14, 23)));
    let a = rules.evaluate(&facts, at(15, 0)).unwrap();
    assert_eq!(a.colour, Colour::Red);
    assert_eq!(a.reasons, vec![Reason::PositiveTest]);
    assert!(a.to_green[0].contains("(1 so far)"), "{:?}", a.to_green);
    // An inconclusive test breaks the streak.
    facts.evidence.tests.push(test(TestOutcome::Inconclusive, at(15, 1)));
    facts.evidence.tests.push(test(TestOutcome::Negative, at(16, 0)));
    assert_eq!(rules.evaluate(&facts, at(16, 1)).unwrap().colour, Colour::Red);
    facts.evidence.tests.push(test(TestOutcome::Negative, at(17, 0)));
    let a = rules.evaluate(&facts, at(17, 1)).unwrap();
    assert_eq!((a.colour, a.reasons), (Colour::Green, vec![Reason::QuarantineCompleted, Reason::NegativeTest]));
    // Two good negatives before the quarantine period ends do not release early.
    let mut early = Facts::default();
    early.evidence.tests = vec![
        test(TestOutcome::Positive, t0()),
        test(TestOutcome::Negative, at(3, 0)),
        test(TestOutcome::Negative, at(4, 0)),
    ];
    let a = rules.evaluate(&early, at(5, 0)).unwrap();
    assert_eq!(a.colour, Colour::Red);
    assert_eq!(a.to_green.len(), 1, "only the wait is left: {:?}", a.to_green);
    assert_eq!(rules.evaluate(&early, at(14, 0)).unwrap().colour, Colour::Green);
}

#[test]
fn contact_and_risk_area_last_fourteen_days_in_the_configured_colour() {
    let mut facts = Facts::default();
    facts.evidence.tests.push(test(TestOutcome::Negative, t0()));
    facts.close_contact_at = Some(t0());
    let yellow = RuleSet::default();
    let orange = RuleSet::from_json(r#"{ "contact_colour": "orange" }"#).unwrap();
    let a = yellow.evaluate(&facts, t0() + TimeDelta::days(13)).unwrap();
    assert_eq!((a.colour, a.reasons.clone()), (Colour::Yellow, vec![Reason::CloseContact]));
    assert_eq!(a.valid_until, t0() + TimeDelta::days(14), "the code ends with the contact period");
    assert_eq!(orange.evaluate(&facts, t0() + TimeDelta::days(1)).unwrap().colour, Colour::Orange);
    // After 14 days the negative test (7 days' support) is too old: no colour without a fresh one.
    let (step, why) = scenario_fault(yellow.evaluate(&facts, t0() + TimeDelta::days(14)));
    assert_eq!(step, "rules");
    assert!(why.contains("no colour can be issued"), "{why}");
    facts.evidence.tests.push(test(TestOutcome::Negative, t0() + TimeDelta::days(13)));
    assert_eq!(yellow.evaluate(&facts, t0() + TimeDelta::days(14)).unwrap().colour, Colour::Green);

    let rules = RuleSet::from_json(r#"{ "risk_areas": ["CN-GD"], "risk_area_colour": "orange" }"#).unwrap();
    let mut facts = Facts::default();
    facts.evidence.vaccinations.push(healthpass::claims::Vaccination {
        product: "X".into(),
        dose: 2,
        doses: 2,
        date: t0().date_naive(),
    });
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    facts.evidence.travel.push(TravelRecord { region: "CN-GD-SZ".into(), from: day(2), until: Some(day(3)) });
    facts.evidence.travel.push(TravelRecord { region: "CN-GX".into(), from: day(4), until: Some(day(5)) });
    let a = rules.evaluate(&facts, t0() + TimeDelta::days(10)).unwrap();
    assert_eq!((a.colour, a.reasons), (Colour::Orange, vec![Reason::RiskAreaVisit]));
    let end = Utc.with_ymd_and_hms(2026, 11, 18, 0, 0, 0).unwrap();
    assert_eq!(rules.evaluate(&facts, end - TimeDelta::seconds(1)).unwrap().colour, Colour::Orange);
    let a = rules.evaluate(&facts, end).unwrap();
    assert_eq!((a.colour, a.reasons), (Colour::Green, vec![Reason::Vaccinated]));
}

#[test]
fn a_fever_is_yellow_until_a_later_negative_test() {
    let rules = RuleSet::default();
    let mut facts = Facts::default();
    facts.evidence.tests.push(test(TestOutcome::Negative, t0()));
    facts.evidence.temperatures.push(TemperatureCheck {
        decicelsius: 373,
        at: t0() + TimeDelta::hours(2),
        place: None,
    });
    let a = rules.evaluate(&facts, t0() + TimeDelta::hours(3)).unwrap();
    assert_eq!((a.colour, a.reasons), (Colour::Yellow, vec![Reason::FeverAtCheck]));
    facts.evidence.temperatures[0].decicelsius = 372;
    assert_eq!(rules.evaluate(&facts, t0() + TimeDelta::hours(3)).unwrap().colour, Colour::Green);
    facts.evidence.temperatures[0].decicelsius = 390;
    facts.evidence.tests.push(test(TestOutcome::Negative, t0() + TimeDelta::hours(4)));
    assert_eq!(rules.evaluate(&facts, t0() + TimeDelta::hours(3)).unwrap().colour, Colour::Yellow, "not yet sampled");
    assert_eq!(rules.evaluate(&facts, t0() + TimeDelta::hours(5)).unwrap().colour, Colour::Green);
}

#[test]
fn rule_sets_are_checked() {
    for bad in [
        r#"{ "contact_colour": "red" }"#,
        r#"{ "contact_days": 0 }"#,
        r#"{ "release_negative_tests": 0 }"#,
        r#"{ "fever_decicelsius": 20 }"#,
        r#"{ "code_valid_hours": 0 }"#,
        r#"{ "quarantine": 14 }"#,
        "[]",
    ] {
        let err = RuleSet::from_json(bad).unwrap_err();
        assert_eq!(err.code(), "scenario", "{bad}: {err}");
    }
    let rules = RuleSet::default();
    assert_eq!(RuleSet::from_json(&rules.to_json()).unwrap(), rules);
    assert_eq!(RuleSet::from_json("{}").unwrap(), rules);
}

#[test]
fn the_colour_rules_example_runs_its_story() {
    let mut out = String::new();
    let colours = colour_rules::run(&mut out).unwrap();
    use Colour::*;
    assert_eq!(colours, vec![Green, Orange, Red, Red, Green, Yellow, Green]);
    assert!(out.contains("What would turn it green:"), "{out}");
}

#[test]
fn explain_prints_why_and_what_would_turn_it_green() {
    let now = Utc::now();
    let mut facts = Facts::default();
    facts.evidence.tests.push(test(TestOutcome::Positive, now - TimeDelta::days(2)));
    let claims = RuleSet::default().claims("HK-DH", CredentialId([2; 16]), subject(), &facts, now).unwrap();
    let code = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();

    let out = cli(&["explain", &code]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("UNVERIFIED"), "{text}");
    assert!(text.contains("This code is RED."), "{text}");
    assert!(text.contains("a test was positive"), "{text}");
    assert!(text.contains("wait until the quarantine period ends on"), "{text}");
    assert!(text.contains("2 consecutive negative tests"), "{text}");

    let out = cli(&["explain", &code, "--demo-key"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("VERIFIED"));

    let dir = temp_dir("explain");
    let other = dir.join("other.pub");
    std::fs::write(&other, SigningKey::from_seed(&[9; 32]).public_key().to_pem().unwrap()).unwrap();
    let out = cli(&["explain", &code, "--keys", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("NOT VERIFIED"), "{text}");
    assert!(text.contains("This code is RED."), "the explanation is still printed: {text}");
}

// ---- 2. printable card ----

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/paper_card.rs"]
mod paper_card;

/// Rasterises the QR path of a card SVG (`M x y h n v n h -n z` squares) onto white.
fn rasterise_qr_path(svg: &str) -> image::GrayImage {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("viewBox"), Some("0 0 1240 1748"));
    assert!(doc.descendants().any(|n| n.attribute("id") == Some("band")));
    let path =
        doc.descendants().find(|n| n.attribute("id") == Some("qr")).expect("the QR path").attribute("d").unwrap();
    let mut image = image::GrayImage::from_pixel(1240, 1748, image::Luma([255]));
    for square in path.split('M').filter(|s| !s.is_empty()) {
        let nums: Vec<u32> =
            square.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
        let (x0, y0, side) = (nums[0], nums[1], nums[2]);
        for y in y0..y0 + side {
            for x in x0..x0 + side {
                image.put_pixel(x, y, image::Luma([0]));
            }
        }
    }
    image
}

#[test]
fn the_card_prints_scans_back_and_verifies() {
    let now = Utc::now();
    let dir = temp_dir("card");
    let (png, svg, verified) = paper_card::run(&dir, now).unwrap();
    assert_eq!(*verified, paper_card::claims(now));
    let bytes = std::fs::read(&png).unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!((image.width(), image.height()), (1240, 1748));
    // The band is the colour: a green band at the top.
    let band = image.get_pixel(10, 10).0;
    assert!(band[1] > band[0] && band[1] > band[2], "{band:?}");
    // The QR code is at least 0.8 mm (9.4 px at 300 dpi) a module, and at least 60 mm wide.
    let card = healthpass_scenarios::card::Card::new(
        &healthpass::Issuer::new(SigningKey::demo()).issue(&paper_card::claims(now)).unwrap(),
        &paper_card::claims(now),
    )
    .unwrap();
    assert_eq!(card.word(), "GREEN");
    assert!(card.lines.iter().any(|l| l == "Name: C** T** M**"), "{:?}", card.lines);
    assert!(card.lines.iter().any(|l| l.contains("Carried by: child C** M** L**")), "{:?}", card.lines);
    assert!(card.lines.iter().any(|l| l.starts_with("Valid until ")));
    assert!(card.reasons.iter().any(|l| l.contains("a recent test was negative")));

    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains(">GREEN</text>"), "the colour is a word, not only a band");
    assert!(svg.contains("C** T** M**") && !svg.contains("Chan"), "names are masked");
    let raster = rasterise_qr_path(&svg);
    let texts = healthpass_qr::scan_image(&raster, &healthpass::Limits::DEFAULT).unwrap();
    let verifier = healthpass::Verifier::new([SigningKey::demo().public_key()].into_iter().collect());
    let from_svg = verifier.verify(texts[0].as_ref().unwrap(), now).unwrap();
    assert_eq!(*from_svg, *verified);
}

#[test]
fn the_card_command_writes_png_and_svg() {
    let now = Utc::now();
    let code = Issuer::new(SigningKey::demo()).issue(&paper_card::claims(now)).unwrap();
    let dir = temp_dir("card-cli");
    let (png, svg) = (dir.join("c.png"), dir.join("c.svg"));
    let out = cli(&["card", &code, "--png", png.to_str().unwrap(), "--svg", svg.to_str().unwrap(), "--demo-key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let texts = healthpass_qr::scan(&std::fs::read(&png).unwrap(), &healthpass::Limits::DEFAULT).unwrap();
    assert_eq!(texts[0].as_deref().unwrap(), code);
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<path id=\"qr\""));
    // A code that does not verify under the given keys gets no card.
    let other = dir.join("other.pub");
    std::fs::write(&other, SigningKey::from_seed(&[9; 32]).public_key().to_pem().unwrap()).unwrap();
    let bad = dir.join("bad.png");
    let out = cli(&["card", &code, "--png", bad.to_str().unwrap(), "--keys", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!bad.exists());
}

// ---- 3. proxy holders ----

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/family_wallet.rs"]
mod family_wallet;

#[test]
fn the_family_wallet_shows_whose_code_each_is() {
    let dir = temp_dir("wallet-example");
    let path = dir.join("w.json");
    let lines = family_wallet::run(&path, Utc::now()).unwrap();
    assert_eq!(
        lines,
        vec![
            "Me: GREEN code of C** M** L**, carried by the person themself",
            "Dad: GREEN code of C** T** M**, carried by C** M** L** (the subject's child)",
            "Ming: GREEN code of C** S** M**, carried by C** M** L** (the subject's parent)",
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn wallet_files_are_checked_when_read() {
    use healthpass_scenarios::wallet::Wallet;
    let dir = temp_dir("wallet-bad");
    let path = dir.join("w.json");
    assert_eq!(Wallet::read(&path).unwrap(), Wallet::default(), "a missing file is an empty wallet");
    for (bad, code) in [
        ("not json", "scenario"),
        (r#"{ "version": 2, "entries": [] }"#, "scenario"),
        // "NOTACODE" ends in the pair "DE", above 255: the entry's code fails at base45.
        (
            r#"{ "version": 1, "entries": [{ "label": "x", "code": "HP1:NOTACODE", "added_at": "2026-11-23T09:00:00Z" }] }"#,
            "base45",
        ),
        (r#"{ "version": 1, "entries": [], "extra": 1 }"#, "scenario"),
    ] {
        std::fs::write(&path, bad).unwrap();
        let err = Wallet::read(&path).unwrap_err();
        assert_eq!(err.code(), code, "{bad}: {err}");
    }
    let mut wallet = Wallet::default();
    let code = Issuer::new(SigningKey::demo()).issue(&healthpass::Claims::example(Utc::now())).unwrap();
    assert!(scenario_fault(wallet.add("", &code, Utc::now())).1.contains("a label must be"));
    assert_eq!(wallet.add("x", "HC1:whatever", Utc::now()).unwrap_err().code(), "prefix");
    for i in 0..64 {
        wallet.add(&format!("p{i}"), &code, Utc::now()).unwrap();
    }
    let (step, why) = scenario_fault(wallet.add("one more", &code, Utc::now()));
    assert_eq!(step, "wallet");
    assert!(why.contains("at most 64"), "a wallet is bounded: {why}");
}

#[test]
fn the_wallet_commands_add_list_show_and_remove() {
    let dir = temp_dir("wallet-cli");
    let path = dir.join("family.json");
    let wallet = path.to_str().unwrap();
    let mut claims = healthpass::Claims::example(Utc::now());
    claims.subject.name = Some("Chan Tai Man".into());
    claims.holder = Some(healthpass::Holder {
        relation: healthpass::claims::Relation::Child,
        name: Some("Chan Mei Ling".into()),
        id: None,
    });
    let code = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
    assert!(cli(&["wallet", "add", "--wallet", wallet, "Dad", &code]).status.success());
    assert!(!cli(&["wallet", "add", "--wallet", wallet, "dad", &code]).status.success(), "labels are unique");
    let out = cli(&["wallet", "list", "--wallet", wallet, "--demo-key"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Dad: GREEN personal, code of C** T** M**, carried by C** M** L** (the subject's child)"),
        "{text}"
    );
    assert!(text.contains("[verified]"), "{text}");
    let out = cli(&["wallet", "show", "--wallet", wallet, "DAD"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), code);
    assert!(cli(&["wallet", "remove", "--wallet", wallet, "Dad"]).status.success());
    assert!(!cli(&["wallet", "show", "--wallet", wallet, "Dad"]).status.success());
}

// ---- 4. school codes ----

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/school_day.rs"]
mod school_day;

#[test]
fn a_complete_normal_streak_is_green_and_anything_else_is_not() {
    use chrono::NaiveDate;
    use healthpass_scenarios::school::{DailyReport, Term};
    let term = Term {
        issuer: "S".into(),
        school: "Pui Ching".into(),
        starts: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        time_zone: None,
    };
    let (first, last) = term.window();
    assert_eq!(
        (first, last),
        (NaiveDate::from_ymd_opt(2026, 8, 18).unwrap(), NaiveDate::from_ymd_opt(2026, 9, 15).unwrap())
    );
    let normal = |d: NaiveDate| DailyReport { date: d, decicelsius: 366, symptoms: false };
    let all: Vec<_> = first.iter_days().take_while(|d| *d <= last).map(normal).collect();
    let day = NaiveDate::from_ymd_opt(2026, 9, 2).unwrap();
    assert_eq!(term.assess(&all, day).unwrap(), (Colour::Green, vec![Reason::NormalReports]));
    // After the window, the window's reports still decide.
    assert_eq!(term.assess(&all, last + TimeDelta::days(30)).unwrap().0, Colour::Green);
    // Reports after the day do not fill a gap before it.
    let mut gap = all.clone();
    gap.retain(|r| r.date != day - TimeDelta::days(1));
    assert_eq!(term.assess(&gap, day).unwrap(), (Colour::Yellow, vec![Reason::IncompleteReports]));
    let mut ill = all.clone();
    ill[3].decicelsius = 373;
    ill[4].symptoms = true;
    assert_eq!(
        term.assess(&ill, day).unwrap(),
        (Colour::Yellow, vec![Reason::FeverAtCheck, Reason::SelfReportedSymptoms])
    );
    // A fever after the day asked about does not count for it.
    let mut later = all.clone();
    later.last_mut().unwrap().decicelsius = 390;
    assert_eq!(term.assess(&later, day).unwrap().0, Colour::Green);
    let (step, why) = scenario_fault(term.assess(&all, first - TimeDelta::days(1)));
    assert_eq!(step, "school");
    assert!(why.contains("window opens"), "no code before the window opens: {why}");

    let now = Utc.with_ymd_and_hms(2026, 9, 2, 6, 0, 0).unwrap();
    let claims = term.student_claims("3B", CredentialId([1; 16]), subject(), &all, now).unwrap();
    assert_eq!(claims.kind, healthpass::CredentialKind::Student { school: "Pui Ching".into(), class: "3B".into() });
    assert_eq!(claims.expires_at, Utc.with_ymd_and_hms(2026, 9, 2, 23, 59, 59).unwrap(), "the last second of the day");
    assert_eq!(claims.evidence.temperatures.len(), 1);
    Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
}

#[test]
fn the_teacher_sees_who_is_missing_or_not_green() {
    let day = school_day::run(Utc.with_ymd_and_hms(2026, 9, 3, 7, 30, 0).unwrap()).unwrap();
    let s = &day.summary;
    assert_eq!(s.green, vec!["Chan Siu Ming"]);
    assert_eq!(s.missing, vec!["Wong Tsz Wai"]);
    let not_green: Vec<_> = s.not_green.iter().map(|(n, c, r)| (n.as_str(), *c, r.clone())).collect();
    assert_eq!(
        not_green,
        vec![
            ("Lee Ka Ling", Colour::Yellow, vec![Reason::IncompleteReports]),
            ("Ho Wing Yan", Colour::Yellow, vec![Reason::FeverAtCheck]),
        ]
    );
    assert_eq!(day.misuse_refusals, vec!["out_of_scope"]);
    let text = s.to_string();
    assert!(text.contains("MISSING: Wong Tsz Wai"), "{text}");
}

// ---- 5. venue codes ----

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/venue_checkin.rs"]
mod venue_checkin;

#[test]
fn the_poster_is_verified_before_visitors_are_checked_against_its_policy() {
    let dir = temp_dir("venue");
    let path = dir.join("checkins.json");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let door = venue_checkin::run(&path, now).unwrap();
    assert!(door.fake_poster.contains("unknown_kid"), "{}", door.fake_poster);
    assert!(door.misused_key.contains("out_of_scope"), "{}", door.misused_key);
    assert_eq!(door.venue.venue_id, "GZ-TH-LIB-01");
    assert_eq!(door.venue.policy.negative_test_max_age_hours, Some(72));
    assert_eq!(
        door.visitors,
        vec![
            ("fresh test".to_string(), true, vec![]),
            ("5-day-old test".to_string(), false, vec!["test_too_old"]),
            ("yellow code".to_string(), false, vec!["colour_not_accepted"]),
        ]
    );
    assert_eq!(door.checkins.entries.len(), 1);
    // A second visit a month later forgets the first (28 days kept).
    let door = venue_checkin::run(&path, now + TimeDelta::days(30)).unwrap();
    assert_eq!(door.checkins.entries.len(), 1);
    assert_eq!(door.checkins.entries[0].at, now + TimeDelta::days(30));
}

#[test]
fn a_venue_code_must_carry_one_policy() {
    use healthpass_scenarios::venue::Venue;
    let mut claims = healthpass::Claims::example(t0());
    assert_eq!(scenario_fault(Venue::from_claims(&claims)), ("venue", "this is not a venue code".into()));
    claims.kind = healthpass::CredentialKind::Venue { venue_id: "V".into(), name: None, region: None };
    assert_eq!(
        scenario_fault(Venue::from_claims(&claims)),
        ("venue", "a venue code must carry exactly one policy".into()),
        "no policy"
    );
    claims.evidence.decisions.push(healthpass::claims::OfficerDecision {
        officer: "o".into(),
        at: t0(),
        basis: "policy:{\"accept_colours\":[]}".into(),
    });
    assert_eq!(Venue::from_claims(&claims).unwrap_err().code(), "policy", "an empty colour list is refused");
}

// ---- 6. cross-border conversion ----

#[test]
fn a_verified_code_of_another_region_converts_under_a_seven_day_policy() {
    use healthpass::claims::{DeclarationCategory, SourceHash};
    use healthpass_scenarios::border::Converter;
    let now = t0();
    let macau = SigningKey::from_seed(&[4; 32]);
    let mut source = healthpass::Claims::example(now - TimeDelta::hours(1));
    source.issuer = "MO".into();
    let text = Issuer::new(SigningKey::from_seed(&[4; 32])).issue(&source).unwrap();
    let verified = healthpass::Verifier::new([macau.public_key()].into_iter().collect()).verify(&text, now).unwrap();
    let converter = Converter {
        issuer: "CN-GD".into(),
        policy: healthpass::decide::Policy::from_json(
            r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#,
        )
        .unwrap(),
        category: DeclarationCategory::Individual,
        valid_hours: 24,
    };
    let converted = converter.convert(&text, "HP1", &verified, CredentialId([8; 16]), now).unwrap();
    assert_eq!(converted.reasons, vec![Reason::ConvertedCode, Reason::NegativeTest]);
    let from = converted.evidence.converted_from.clone().unwrap();
    assert_eq!((from.format.as_str(), from.region.as_str(), from.hash), ("HP1", "MO", SourceHash::of(&text)));
    let native = Issuer::new(SigningKey::demo()).issue(&converted).unwrap();
    let back = healthpass::Verifier::new([SigningKey::demo().public_key()].into_iter().collect())
        .verify(&native, now)
        .unwrap();
    assert_eq!(*back, converted, "key 7 survives the wire");
    // Eight days later the test is too old: refused, and the refusal says why.
    let (step, why) =
        scenario_fault(converter.convert(&text, "HP1", &verified, CredentialId([8; 16]), now + TimeDelta::days(7)));
    assert_eq!(step, "conversion");
    assert!(why.contains("test_too_old"), "{why}");
}

#[allow(dead_code)]
#[path = "../../healthpass-scenarios/examples/border_conversion.rs"]
mod border_conversion;

#[test]
fn the_border_conversion_example_converts_then_refuses() {
    let (claims, later) = border_conversion::run(t0()).unwrap();
    assert_eq!(claims.reasons[0], Reason::ConvertedCode);
    assert_eq!(claims.evidence.converted_from.unwrap().region, "MO");
    assert!(later.contains("test_too_old"), "{later}");
}

/// A DCC test file: its `HC1:` text, its signer certificate (DER), its validation clock and
/// its JSON (the DCC as the test file describes it).
fn dcc_vector(file: &str) -> (String, Vec<u8>, DateTime<Utc>, serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc").join(file);
    let vector: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let certificate =
        data_encoding::BASE64.decode(vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes()).unwrap();
    let clock = DateTime::parse_from_rfc3339(vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    (vector["PREFIX"].as_str().unwrap().to_string(), certificate, clock.to_utc(), vector["JSON"].clone())
}

fn dcc_verifier(certificate: &[u8]) -> healthpass_interop::dcc::DccVerifier {
    let mut keys = healthpass_interop::ForeignKeys::new();
    keys.insert_x509_der(certificate).unwrap();
    healthpass_interop::dcc::DccVerifier::new(keys)
}

fn converter(policy: &str) -> healthpass_scenarios::border::Converter {
    healthpass_scenarios::border::Converter {
        issuer: "CN-GD".into(),
        policy: healthpass::decide::Policy::from_json(policy).unwrap(),
        category: healthpass::claims::DeclarationCategory::Individual,
        valid_hours: 24,
    }
}

#[test]
fn a_dcc_negative_test_converts_into_a_native_code_that_names_its_source() {
    use healthpass::claims::{SourceHash, TestOutcome};
    use sha2::Digest;
    // SE 2: one NAAT, not detected, signed by the Swedish test signer.
    let (text, certificate, clock, json) = dcc_vector("SE/2DCode/raw/2.json");
    let test = &json["t"][0];
    assert_eq!(test["tr"], "260415000", "the vector is a negative test");
    let foreign = dcc_verifier(&certificate).verify(&text, clock).unwrap();
    assert_eq!(foreign.claims.evidence.tests[0].result, TestOutcome::Negative);

    let sampled = DateTime::parse_from_rfc3339(test["sc"].as_str().unwrap()).unwrap().to_utc();
    let age_hours = u32::try_from((clock - sampled).num_hours()).unwrap();
    assert!(age_hours < 168);
    let seven_days = r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#;
    let claims = converter(seven_days).convert(&text, "HC1", &foreign.claims, CredentialId([7; 16]), clock).unwrap();

    let native = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
    let back = healthpass::Verifier::new([SigningKey::demo().public_key()].into_iter().collect())
        .verify(&native, clock)
        .unwrap();
    assert_eq!(back.issuer, "CN-GD");
    assert_eq!(back.colour, Colour::Green);
    assert_eq!(back.reasons, vec![Reason::ConvertedCode, Reason::NegativeTest]);
    assert!(matches!(back.kind, healthpass::CredentialKind::CrossBorder { .. }));
    assert!(back.expires_at <= foreign.claims.expires_at && back.expires_at <= clock + TimeDelta::hours(24));
    assert_eq!(back.subject, foreign.claims.subject);
    assert_eq!(back.evidence.tests, foreign.claims.evidence.tests, "the source's evidence travels along");
    let from = back.evidence.converted_from.as_ref().expect("evidence key 7");
    assert_eq!(from.format, "HC1");
    assert_eq!(from.region, test["co"].as_str().unwrap(), "the DCC's issuing country");
    let digest: [u8; 32] = sha2::Sha256::digest(text.as_bytes()).into();
    assert_eq!(from.hash, SourceHash(digest));

    // Refusals say why: the same test under a policy shorter than its age...
    let too_short = format!(r#"{{ "accept_colours": ["green"], "negative_test_max_age_hours": {} }}"#, age_hours);
    let (step, why) =
        scenario_fault(converter(&too_short).convert(&text, "HC1", &foreign.claims, CredentialId([7; 16]), clock));
    assert_eq!(step, "conversion");
    assert!(why.contains("test_too_old"), "{why}");
    // ...and a positive test (FR 0016: a NAAT, detected).
    let (text, certificate, clock, json) = dcc_vector("FR/2DCode/raw/DCC_Test_0016.json");
    assert_eq!(json["t"][0]["tr"], "260373001", "the vector is a positive test");
    let foreign = dcc_verifier(&certificate).verify(&text, clock).unwrap();
    let (step, why) =
        scenario_fault(converter(seven_days).convert(&text, "HC1", &foreign.claims, CredentialId([7; 16]), clock));
    assert_eq!(step, "conversion");
    assert!(why.contains("colour_not_accepted") && why.contains("test_not_negative"), "{why}");
}

#[test]
fn the_converted_code_vector_names_a_source_among_the_vectors() {
    use healthpass::claims::SourceHash;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/healthpass");
    let vectors: Vec<serde_json::Value> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap())
        .collect();
    let claims =
        |v: &serde_json::Value| serde_json::from_value::<Option<healthpass::Claims>>(v["claims"].clone()).unwrap();
    let converted: Vec<_> = vectors.iter().filter_map(claims).filter(|c| c.evidence.converted_from.is_some()).collect();
    assert!(!converted.is_empty(), "a vector exercises evidence key 7");
    for code in converted {
        let from = code.evidence.converted_from.as_ref().unwrap();
        assert_eq!(code.reasons[0], Reason::ConvertedCode);
        let source = vectors
            .iter()
            .find(|v| v["expected"]["valid"] == true && SourceHash::of(v["text"].as_str().unwrap()) == from.hash)
            .expect("the source's text is a valid vector too");
        let source_claims = claims(source).unwrap();
        assert_eq!(from.region, source_claims.issuer);
        assert!(source["text"].as_str().unwrap().starts_with(&format!("{}:", from.format)));
        assert_eq!(code.subject, source_claims.subject);
        assert!(code.expires_at <= source_claims.expires_at);
    }
}

#[test]
fn the_png_card_draws_latin_cyrillic_greek_and_chinese_letters_and_question_marks_for_the_rest() {
    use healthpass_scenarios::card::{Card, printable};
    let all = "Émile Müller Łukasz Şule Жанна Ωμέγα 陳大文 陈小明";
    assert_eq!(printable(all), all, "the embedded fonts hold every one of these");
    assert_eq!(printable("a\u{7}b\u{e000}"), "a?b?", "control and private-use characters");
    let now = t0();
    let mut claims = healthpass::Claims::example(now);
    claims.subject.name = Some("Élodie Łaska 陳大文".into());
    let code = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
    let card = Card::new(&code, &claims).unwrap();
    assert_eq!(card.lines[0], "Name: É** Ł** 陳**");
    let with_name = |name: &str| {
        let mut card = card.clone();
        card.lines[0] = format!("Name: {name}");
        card.to_image()
    };
    let drawn = with_name("É** Ł** 陳**");
    // É, Ł and 陳 are drawn as themselves: not as E and L, nor as `?`.
    assert_ne!(drawn, with_name("E** L** 陳**"));
    assert_ne!(drawn, with_name("?** ?** 陳**"));
    assert_ne!(drawn, with_name("É** Ł** ?**"));
    assert_ne!(drawn, with_name("É** Ł** 陈**"), "Traditional and Simplified differ on paper");
    // A character no font holds prints exactly as `?`.
    assert_eq!(with_name("É** \u{e000}"), with_name("É** ?"));
    assert!(card.to_svg().contains("É** Ł** 陳**"));
}
