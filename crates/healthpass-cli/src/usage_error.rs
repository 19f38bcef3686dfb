//! Usage errors in the reader's language: clap's own (an unknown argument, a bad value, a
//! missing argument) and the `error:` line healthpass prints for its own usage and I/O
//! failures.
//!
//! clap words its errors in English only; it offers no catalogue to translate them, but it
//! does give each error a kind and its context (the argument, the value, the usage line). So
//! for a reader of another language the sentence is built here from the message files
//! (`usage-*` in `crates/healthpass-i18n/locales/`), with the argument and value as clap
//! found them; English readers get clap's own message unchanged. `--help` and `--version`
//! stay English (docs/I18N.md).

use clap::Parser;
use clap::error::{ContextKind, ErrorKind};
use healthpass_i18n::{Arg, Lang, text};

/// The command line parsed, or the process ended with a usage error (exit 2) in the reader's
/// language: `--lang` among the arguments, else the locale.
pub(crate) fn parse<C: Parser>() -> C {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match C::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) => {
            let words: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
            let lang = crate::locale::lang_of_args(&words);
            let shown_as_is = matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if lang == Lang::En || shown_as_is {
                err.exit()
            }
            eprintln!("{}", localised(&err, lang));
            std::process::exit(2)
        }
    }
}

/// A context value of the error as plain text, quoted: `'--bogus'`.
fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    err.get(kind).map(|value| format!("'{value}'"))
}

/// clap's error in `lang`: the sentence, the usage line, and where help is.
pub(crate) fn localised(err: &clap::Error, lang: Lang) -> String {
    let arg = || Arg::from(context(err, ContextKind::InvalidArg).unwrap_or_default());
    let sentence = match err.kind() {
        ErrorKind::UnknownArgument => text(lang, "usage-unknown-argument", &[("arg", arg())]),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::NoEquals => {
            let value = Arg::from(context(err, ContextKind::InvalidValue).unwrap_or_default());
            text(lang, "usage-invalid-value", &[("value", value), ("arg", arg())])
        }
        ErrorKind::MissingRequiredArgument => text(lang, "usage-missing-argument", &[("arg", arg())]),
        ErrorKind::InvalidSubcommand => {
            let command = Arg::from(context(err, ContextKind::InvalidSubcommand).unwrap_or_default());
            text(lang, "usage-unknown-command", &[("command", command)])
        }
        ErrorKind::ArgumentConflict => {
            let other = Arg::from(context(err, ContextKind::PriorArg).unwrap_or_default());
            text(lang, "usage-conflict", &[("arg", arg()), ("other", other)])
        }
        ErrorKind::MissingSubcommand => text(lang, "usage-missing-command", &[]),
        _ => {
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            let detail = first.strip_prefix("error: ").unwrap_or(first).to_string();
            text(lang, "usage-invalid", &[("detail", Arg::from(detail))])
        }
    };
    let mut out = error_line(lang, &sentence);
    if let Some(usage) = err.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim().to_string();
        out.push('\n');
        out.push_str(&text(lang, "usage-usage", &[("usage", Arg::from(usage))]));
    }
    out.push('\n');
    out.push_str(&text(lang, "usage-try-help", &[]));
    out
}

/// The line that reports a usage or I/O failure: `error: …`, `错误：…`.
pub(crate) fn error_line(lang: Lang, detail: &str) -> String {
    text(lang, "error-line", &[("detail", Arg::from(detail))])
}
