//! The four languages, and how a language tag or a POSIX locale picks one.

/// A language healthpass speaks. Anything else falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    /// English (`en`), the fallback.
    #[default]
    En,
    /// Simplified Chinese (`zh-Hans`: mainland China, Singapore).
    ZhHans,
    /// Traditional Chinese (`zh-Hant`: Hong Kong, Macau, Taiwan).
    ZhHant,
    /// Portuguese (`pt`: Macau, Portugal, Brazil).
    Pt,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::ZhHans, Lang::ZhHant, Lang::Pt];

    /// The BCP 47 tag, which is also the name of the language's folder under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::Pt => "pt",
        }
    }

    /// The language of a BCP 47 tag (`zh-Hant`, `zh-HK`, `pt-BR`) or a POSIX locale
    /// (`zh_CN.UTF-8`, `pt_PT@euro`); `None` for anything else (`C`, `POSIX`, `fr_FR`).
    ///
    /// Chinese without a script is Traditional for Hong Kong, Macau and Taiwan and Simplified
    /// otherwise.
    pub fn parse(tag: &str) -> Option<Lang> {
        let base = tag.split(['.', '@']).next().unwrap_or_default().replace('_', "-").to_ascii_lowercase();
        let mut parts = base.split('-');
        let language = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        match language {
            "en" => Some(Lang::En),
            "pt" => Some(Lang::Pt),
            "zh" => {
                if rest.contains(&"hant") {
                    Some(Lang::ZhHant)
                } else if rest.contains(&"hans") {
                    Some(Lang::ZhHans)
                } else if rest.iter().any(|r| matches!(*r, "hk" | "mo" | "tw")) {
                    Some(Lang::ZhHant)
                } else {
                    Some(Lang::ZhHans)
                }
            }
            _ => None,
        }
    }

    /// The language of the environment as POSIX reads it: the first set of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` decides (pass their values in that order); English when it
    /// names none of the four.
    pub fn from_locale<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> Lang {
        values.into_iter().flatten().find(|v| !v.is_empty()).and_then(Lang::parse).unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| format!("{s:?}: the languages are en, zh-Hans, zh-Hant and pt"))
    }
}
