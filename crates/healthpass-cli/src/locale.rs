//! The reader's language and time zone, set once from `--lang`/`--tz` or the environment
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`; `TZ`), and read by every command that prints for people.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use healthpass_i18n::{Lang, Zone};

use crate::common::Failure;

/// `--lang` and `--tz`, accepted by every command.
#[derive(clap::Args)]
pub(crate) struct ReaderArgs {
    /// The language of what is printed for people: en, zh-Hans, zh-Hant or pt (default: from
    /// LC_ALL, LC_MESSAGES or LANG; English for any other). Stable codes never change. EU DCC
    /// rule descriptions take this tag as it is (`de`, `fr`...), falling back to English.
    #[arg(long, global = true)]
    lang: Option<String>,
    /// The time zone times are shown in (IANA name such as Asia/Hong_Kong; default: TZ, else UTC).
    #[arg(long, global = true)]
    tz: Option<String>,
}

static READER: OnceLock<(Lang, Option<Zone>)> = OnceLock::new();
static REQUESTED: OnceLock<String> = OnceLock::new();

/// Sets the reader's language and zone from the arguments, then the environment.
pub(crate) fn set(args: &ReaderArgs) -> Result<(), Failure> {
    let env = |name: &str| std::env::var(name).ok();
    let lang = match &args.lang {
        Some(tag) => Lang::parse(tag).unwrap_or_default(),
        None => locale_lang(),
    };
    let _ = REQUESTED.set(args.lang.clone().unwrap_or_else(|| lang.tag().to_string()));
    let zone = match (&args.tz, env("TZ")) {
        (None, None) => None,
        (tz, env) => {
            Some(Zone::of_reader(tz.as_deref(), env.as_deref()).map_err(|e| Failure::Usage(format!("--tz: {e}")))?)
        }
    };
    let _ = READER.set((lang, zone));
    Ok(())
}

/// The language of the locale: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`.
fn locale_lang() -> Lang {
    let env = |name: &str| std::env::var(name).ok();
    let (all, messages, lang) = (env("LC_ALL"), env("LC_MESSAGES"), env("LANG"));
    Lang::from_locale([all.as_deref(), messages.as_deref(), lang.as_deref()])
}

/// The reader's language before the command line is parsed (to word a usage error): `--lang X`
/// or `--lang=X` among `args` (before a `--`), else the locale's.
pub(crate) fn lang_of_args(args: &[String]) -> Lang {
    let mut args = args.iter().take_while(|a| *a != "--");
    let mut given = None;
    while let Some(arg) = args.next() {
        if arg == "--lang" {
            given = args.next().cloned();
        } else if let Some(tag) = arg.strip_prefix("--lang=") {
            given = Some(tag.to_string());
        }
    }
    match given {
        Some(tag) => Lang::parse(&tag).unwrap_or_default(),
        None => locale_lang(),
    }
}

/// The language tag as asked for (`--lang` as given, else the locale's language), for
/// catalogues beyond healthpass's own four (EU DCC rule descriptions).
pub(crate) fn requested_lang() -> String {
    REQUESTED.get().cloned().unwrap_or_else(|| "en".into())
}

/// The reader's language.
pub(crate) fn lang() -> Lang {
    READER.get().map(|(lang, _)| *lang).unwrap_or_default()
}

/// The reader's zone: `--tz`, else `TZ`, else UTC.
pub(crate) fn zone() -> Zone {
    zone_or(&Zone::utc())
}

/// The reader's zone when `--tz` or `TZ` gives one, else `fallback` (such as the issuer's zone).
pub(crate) fn zone_or(fallback: &Zone) -> Zone {
    READER.get().and_then(|(_, zone)| zone.clone()).unwrap_or_else(|| fallback.clone())
}

/// A time as the reader reads it: `2026-09-01 07:30 +08:00`.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    zone().format(at)
}

/// A refusal as the reader reads it: the error's own message in English; in another language
/// the sentence for its stable code, with the code (which never changes) in brackets.
pub(crate) fn refusal(err: &healthpass::Error) -> String {
    match lang() {
        Lang::En => err.to_string(),
        lang => format!("{} [{}]", healthpass_i18n::words::refusal(lang, err.code()), err.code()),
    }
}
