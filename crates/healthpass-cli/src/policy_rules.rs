//! `verify --policy FILE` where the policy names CertLogic business rules (`rules`): loads them
//! (relative to the policy file) and applies them to every code, native or DCC. The mapping and
//! the verdicts are `healthpass_interop::policy_rules`; this module reads arguments and files.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use healthpass::Limits;
use healthpass::decide::{Finding, Policy};
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::policy_rules::PolicyRuleCheck;

use crate::common::Failure;

/// The rules of `policy` (read from `policy_file`'s folder), if it names any.
pub(crate) fn load(
    policy: Option<&Policy>,
    policy_file: Option<&Path>,
) -> Result<Option<Arc<PolicyRuleCheck>>, Failure> {
    let Some(rules) = policy.and_then(|p| p.rules.as_ref()) else {
        return Ok(None);
    };
    let base = policy_file.and_then(Path::parent).unwrap_or_else(|| Path::new("."));
    let check = PolicyRuleCheck::load(rules, base)
        .map_err(|e| Failure::Usage(format!("policy: {e}")))?
        .with_lang(&crate::locale::requested_lang());
    if check.problems() > 0 {
        eprintln!(
            "warning: {} rule(s) of the policy did not load; they are open wherever they apply",
            check.problems()
        );
    }
    Ok(Some(Arc::new(check)))
}

/// The policy rules' refusal of a DCC whose signature verified, judged on its own payload;
/// `issuer` is the issuing country the verifier checked.
pub(crate) fn dcc(
    text: &str,
    issuer: &str,
    check: &PolicyRuleCheck,
    now: DateTime<Utc>,
) -> Result<Option<Finding>, Failure> {
    let limits = Limits::DEFAULT;
    let code = UnverifiedDcc::parse(text, &limits)?;
    let cwt = code.cwt_unverified(&limits)?;
    let payload = cwt.hcert_json()?;
    let kid = code.kid().ok().map(|k| data_encoding::BASE64.encode(k.as_bytes()));
    let verdicts = check.judge_dcc(&payload, issuer, (cwt.issued_at, cwt.expires_at), kid, now);
    Ok(check.refusal(&verdicts))
}
