//! A teacher's class summary in the teacher's language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use healthpass::{Colour, Reason};
use healthpass_i18n::Lang;
use healthpass_scenarios::school::ClassSummary;

#[test]
fn the_summary_speaks_the_teachers_language() {
    let summary = ClassSummary {
        green: vec!["陳大文".into()],
        not_green: vec![("李嘉玲".into(), Colour::Yellow, vec![Reason::IncompleteReports])],
        missing: vec!["黃子慧".into()],
        not_in_class: 1,
    };
    let hant = summary.render(Lang::ZhHant);
    assert!(hant.contains("綠碼：1 人"), "{hant}");
    assert!(hant.contains("非綠碼：李嘉玲（黃碼：每日健康申報缺失或不完整）"), "{hant}");
    assert!(hant.contains("欠碼：黃子慧"), "{hant}");
    assert!(hant.contains("不在本班名單上的碼：1 個"), "{hant}");
    let en = summary.to_string();
    assert!(en.contains("NOT GREEN: 李嘉玲 (yellow: daily health reports are missing or incomplete)"), "{en}");
    assert!(summary.render(Lang::Pt).contains("EM FALTA: 黃子慧"));
}
