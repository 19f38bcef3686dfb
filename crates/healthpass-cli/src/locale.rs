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
    /// LC_ALL, LC_MESSAGES or LANG; English otherwise). Stable codes never change.
    #[arg(long, global = true)]
    lang: Option<Lang>,
    /// The time zone times are shown in (IANA name such as Asia/Hong_Kong; default: TZ, else UTC).
    #[arg(long, global = true)]
    tz: Option<String>,
}

static READER: OnceLock<(Lang, Option<Zone>)> = OnceLock::new();

/// Sets the reader's language and zone from the arguments, then the environment.
pub(crate) fn set(args: &ReaderArgs) -> Result<(), Failure> {
    let env = |name: &str| std::env::var(name).ok();
    let lang = args.lang.unwrap_or_else(|| {
        let (all, messages, lang) = (env("LC_ALL"), env("LC_MESSAGES"), env("LANG"));
        Lang::from_locale([all.as_deref(), messages.as_deref(), lang.as_deref()])
    });
    let zone = match (&args.tz, env("TZ")) {
        (None, None) => None,
        (tz, env) => Some(Zone::of_reader(tz.as_deref(), env.as_deref()).map_err(|e| Failure::Usage(format!("--tz: {e}")))?),
    };
    let _ = READER.set((lang, zone));
    Ok(())
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
