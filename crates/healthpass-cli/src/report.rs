//! The one verdict document every deciding command prints: `verify` (keys, trust list, native
//! and foreign codes), `venue check`, `school summary`, `convert` and `wallet list`. Its JSON
//! Schema is `docs/verdict.schema.json` (version [`VERSION`]); docs/CLI.md describes it.
//!
//! It is built from the core's [`Verdict`] (or a verified code and the policy's findings), so a
//! refusal keeps the core's stable codes. With `--json` each document is one line of standard
//! output (JSON Lines); the human line is [`Report`]'s `Display`.

use std::fmt;

use chrono::{DateTime, Utc};
use healthpass::decide::{Finding, Summary, Verdict};
use healthpass::trust::KindName;
use healthpass::{Claims, Colour, Error, Verified};
use healthpass_i18n::{Arg, Lang};
use serde::Serialize;

/// The version of the verdict document; it changes only when a field changes meaning or goes.
pub(crate) const VERSION: u32 = 1;

/// Where a code came from: a file (or `argument`, `-` for standard input) and, when the input
/// held several codes, the code's position in it (from 1).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Source {
    /// The file, `-` (standard input) or `argument` (the command line).
    pub(crate) input: String,
    /// The code's position in the input (image or lines), from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) index: Option<usize>,
    /// The wallet label or roster name the code was held under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) label: Option<String>,
}

impl Source {
    /// A code given on the command line.
    pub(crate) fn argument() -> Self {
        Source { input: "argument".into(), index: None, label: None }
    }

    /// A code read from `input` at `index` (from 1).
    pub(crate) fn at(input: impl Into<String>, index: Option<usize>) -> Self {
        Source { input: input.into(), index, label: None }
    }

    /// The same source, under a label.
    pub(crate) fn labelled(mut self, label: &str) -> Self {
        self.label = Some(label.to_owned());
        self
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label {
            Some(label) => f.write_str(label)?,
            None => f.write_str(&self.input)?,
        }
        if let Some(index) = self.index {
            write!(f, " #{index}")?;
        }
        Ok(())
    }
}

/// Whether the code was accepted, refused, not found, or read without a signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    /// Authentic, valid and meeting the policy (if any).
    Accepted,
    /// Refused: `refusals` says why.
    Refused,
    /// The input held no code (an image with no QR code in it).
    NoCode,
    /// Read WITHOUT a signature check (`wallet list` with no keys): nothing was decided.
    Unverified,
}

/// One decision about one code, as docs/verdict.schema.json defines it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    /// [`VERSION`].
    pub(crate) version: u32,
    /// Where the code came from.
    pub(crate) source: Source,
    /// The decision.
    pub(crate) status: Status,
    /// The code's format by prefix (`HP1`, `HC1`, `NZCP`, `SHC`), when there was a code.
    pub(crate) format: Option<&'static str>,
    /// The colour; only for an authentic code, or an unverified one (`status` says which).
    pub(crate) colour: Option<Colour>,
    /// The credential kind.
    pub(crate) kind: Option<KindName>,
    /// The issuing authority.
    pub(crate) issuer: Option<String>,
    /// Valid from.
    pub(crate) valid_from: Option<DateTime<Utc>>,
    /// Valid until.
    pub(crate) valid_until: Option<DateTime<Utc>>,
    /// The subject's name, masked (`C** T** M**`), when the code carries one.
    pub(crate) name: Option<String>,
    /// Every reason to refuse, each with a stable code.
    pub(crate) refusals: Vec<Finding>,
    /// What the operator should know that did not refuse the code.
    pub(crate) warnings: Vec<Finding>,
    /// The code issued from this one (`convert`): its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) issued: Option<String>,
}

/// The format of a code text by its prefix.
pub(crate) fn format_of(text: &str) -> Option<&'static str> {
    [("HP1:", "HP1"), ("HC1:", "HC1"), ("NZCP:/", "NZCP"), ("shc:/", "SHC")]
        .into_iter()
        .find_map(|(prefix, name)| text.starts_with(prefix).then_some(name))
}

impl Report {
    fn empty(source: Source, status: Status, format: Option<&'static str>) -> Self {
        Report {
            version: VERSION,
            source,
            status,
            format,
            colour: None,
            kind: None,
            issuer: None,
            valid_from: None,
            valid_until: None,
            name: None,
            refusals: Vec::new(),
            warnings: Vec::new(),
            issued: None,
        }
    }

    fn with_summary(mut self, summary: &Summary) -> Self {
        self.colour = Some(summary.colour);
        self.kind = Some(summary.kind);
        self.issuer = Some(summary.issuer.clone());
        self.valid_from = Some(summary.valid_from);
        self.valid_until = Some(summary.valid_until);
        self.name.clone_from(&summary.name);
        self
    }

    /// A checkpoint's verdict.
    pub(crate) fn from_verdict(source: Source, text: &str, verdict: &Verdict) -> Self {
        let status = if verdict.accepted() { Status::Accepted } else { Status::Refused };
        let mut report = Report::empty(source, status, format_of(text));
        if let Some(summary) = &verdict.summary {
            report = report.with_summary(summary);
        }
        report.colour = verdict.colour.or(report.colour);
        report.refusals.clone_from(&verdict.refusals);
        report.warnings.clone_from(&verdict.warnings);
        report
    }

    /// A code verified with keys (no trust list), and the policy's findings about it.
    pub(crate) fn from_verified(source: Source, text: &str, claims: &Verified<Claims>, refusals: Vec<Finding>) -> Self {
        let status = if refusals.is_empty() { Status::Accepted } else { Status::Refused };
        let mut report = Report::empty(source, status, format_of(text)).with_summary(&Summary::of(claims));
        // Masked by the name's script (陈小明 → 陈*明), as the holder's card masks it.
        report.name = claims.subject.name.as_deref().map(healthpass_i18n::mask::mask_name).filter(|n| !n.is_empty());
        report.refusals = refusals;
        report
    }

    /// A code refused before anything of it could be trusted.
    pub(crate) fn refused(source: Source, text: &str, refusals: Vec<Finding>) -> Self {
        let mut report = Report::empty(source, Status::Refused, format_of(text));
        report.refusals = refusals;
        report
    }

    /// A code refused for one error.
    pub(crate) fn error(source: Source, text: &str, err: &Error) -> Self {
        Report::refused(source, text, vec![Finding::from(err)])
    }

    /// An input that held no code.
    pub(crate) fn no_code(source: Source, message: impl Into<String>) -> Self {
        let mut report = Report::empty(source, Status::NoCode, None);
        report.refusals = vec![Finding::new("no_code", message)];
        report
    }

    /// A code read without checking its signature: what it claims, marked unverified.
    pub(crate) fn unverified(source: Source, text: &str, claims: &Claims) -> Self {
        let mut report = Report::empty(source, Status::Unverified, format_of(text));
        report.colour = Some(claims.colour);
        report.kind = Some(KindName::of(&claims.kind));
        report.issuer = Some(claims.issuer.clone());
        report.valid_from = Some(claims.not_before);
        report.valid_until = Some(claims.expires_at);
        report.name = claims.subject.name.as_deref().map(healthpass_i18n::mask::mask_name);
        report.warnings.push(Finding::new("unverified", "no keys given: the signature was NOT checked"));
        report
    }

    /// Whether the code was accepted.
    pub(crate) fn accepted(&self) -> bool {
        self.status == Status::Accepted
    }

    /// [`Report::refuse`] with the finding, if there is one.
    pub(crate) fn refuse_if(&mut self, finding: Option<Finding>) {
        if let Some(finding) = finding {
            self.refuse(finding);
        }
    }

    /// Adds a refusal (and so refuses the code).
    pub(crate) fn refuse(&mut self, finding: Finding) {
        self.refusals.push(finding);
        self.status = Status::Refused;
    }

    /// The document as one line of JSON.
    pub(crate) fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Report {
    /// The status in the reader's language (`ACCEPTED`, `已接受`…).
    fn status_word(&self, lang: Lang) -> String {
        let id = match self.status {
            Status::Accepted => "verdict-accepted",
            Status::Refused => "verdict-refused",
            Status::NoCode => "verdict-no-code",
            Status::Unverified => "verdict-unverified",
        };
        healthpass_i18n::text(lang, id, &[])
    }

    /// The line in `lang` with times in `zone`: `STATUS COLOUR kind code from ISSUER, valid
    /// until T, NAME; [code] reason; warning [code] ...`.
    pub(crate) fn line(&self, lang: Lang, zone: &healthpass_i18n::Zone) -> String {
        use healthpass_i18n::{text, verdict, words};
        let mut out = String::new();
        if self.source.input != "argument" || self.source.label.is_some() {
            out.push_str(&format!("{}: ", self.source));
        }
        out.push_str(&self.status_word(lang));
        if let Some(colour) = self.colour {
            out.push(' ');
            out.push_str(&words::colour_loud(lang, colour));
        }
        if let (Some(kind), Some(issuer)) = (self.kind, &self.issuer) {
            let mut args = vec![("kind", Arg::from(verdict::kind(lang, kind))), ("issuer", Arg::from(issuer.as_str()))];
            let id = match self.format.filter(|f| *f != "HP1") {
                Some(format) => {
                    args.push(("format", Arg::from(format)));
                    "report-code-format"
                }
                None => "report-code",
            };
            out.push(' ');
            out.push_str(&text(lang, id, &args));
        }
        if let Some(until) = self.valid_until {
            out.push_str(&text(lang, "report-valid-until", &[("until", Arg::from(zone.format(until)))]));
        }
        if let Some(name) = &self.name {
            out.push_str(&text(lang, "report-name", &[("name", Arg::from(name.as_str()))]));
        }
        // After the bare status word the first reason follows with a space, otherwise with "; ".
        let mut separator = if self.colour.is_none() && self.issuer.is_none() { " " } else { "; " };
        for finding in &self.refusals {
            out.push_str(separator);
            out.push_str(&verdict::refusal(lang, finding));
            separator = "; ";
        }
        for finding in &self.warnings {
            out.push_str(separator);
            out.push_str(&verdict::warning(lang, finding));
            separator = "; ";
        }
        out
    }
}

impl fmt::Display for Report {
    /// [`Report::line`] in the reader's language (`--lang`) with times in the reader's zone (`--tz`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(crate::locale::lang(), &crate::locale::zone()))
    }
}

/// Prints the reports (JSON Lines, or one human line each) and turns them into the exit
/// status: success when every code was accepted (or, for `wallet list` without keys, read),
/// otherwise a refusal (exit 1) counting them.
pub(crate) fn print(reports: &[Report], json: bool) -> Result<(), crate::common::Failure> {
    for report in reports {
        if json {
            println!("{}", report.to_json_line());
        } else {
            println!("{report}");
        }
    }
    let refused = reports.iter().filter(|r| matches!(r.status, Status::Refused | Status::NoCode)).count();
    if refused > 0 {
        let args = [("refused", Arg::from(refused)), ("total", Arg::from(reports.len()))];
        let lang = crate::locale::lang();
        return Err(crate::common::Failure::Refused(healthpass_i18n::text(lang, "report-refused-count", &args)));
    }
    Ok(())
}

/// `1 code`, `2 codes`: a count and its noun, plural when it is not one.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
