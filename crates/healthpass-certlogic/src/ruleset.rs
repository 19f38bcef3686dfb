//! Loading every rule of a folder (the gateway's rules as a mirror or the test data lays them
//! out: any folder holding a `rule.json`).

use std::path::Path;

use crate::error::Result;
use crate::limits::Limits;
use crate::rule::Rule;
use crate::ruletests::{find_rule_folders, read_bounded, relative};

/// The rules of a folder, and the rule files that could not be loaded.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Every rule that loaded, in path order.
    pub rules: Vec<Rule>,
    /// Each rule file that did not load, with why (path relative to the folder).
    pub problems: Vec<String>,
}

impl RuleSet {
    /// Loads every `rule.json` below `dir` under the default [`Limits`].
    ///
    /// ```
    /// # let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-rules/DE");
    /// let set = healthpass_certlogic::RuleSet::load(&dir)?;
    /// assert!(set.problems.is_empty());
    /// assert!(set.rules.iter().all(|rule| rule.country == "DE"));
    /// # Ok::<(), healthpass_certlogic::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) if the folder cannot be listed;
    /// [`Error::TooLarge`](crate::Error::TooLarge) past `max_rules`. A rule that does not load is
    /// listed in `problems`, not an error.
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with(dir, &Limits::default())
    }

    /// [`RuleSet::load`] under explicit limits.
    ///
    /// # Errors
    /// As [`RuleSet::load`].
    pub fn load_with(dir: &Path, limits: &Limits) -> Result<Self> {
        let mut folders = Vec::new();
        let mut notes = Vec::new();
        find_rule_folders(dir, 0, dir, limits, &mut folders, &mut notes)?;
        let mut set = RuleSet::default();
        for folder in folders {
            let path = folder.join("rule.json");
            match read_bounded(&path, limits).and_then(|text| Rule::parse_with(&text, limits)) {
                Ok(rule) => set.rules.push(rule),
                Err(e) => set.problems.push(format!("{}: {e}", relative(&path, dir))),
            }
        }
        Ok(set)
    }
}
