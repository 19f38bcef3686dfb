//! Every text a person reads, from Fluent files a translator edits:
//! `locales/{en,zh-Hans,zh-Hant,pt}/healthpass.ftl` (docs/I18N.md).
//!
//! The files are compiled in (`include_str!`), parsed once per language, and looked up by
//! message id with named arguments. A message missing in a language falls back to English; an
//! id missing everywhere comes back as the id itself, so a typo shows instead of vanishing.
//! [`audit`] checks that every language has every message with the same placeholders; a test
//! runs it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::Lang;

/// The source of each language's messages, in [`Lang::ALL`] order.
const SOURCES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("../locales/en/healthpass.ftl")),
    (Lang::ZhHans, include_str!("../locales/zh-Hans/healthpass.ftl")),
    (Lang::ZhHant, include_str!("../locales/zh-Hant/healthpass.ftl")),
    (Lang::Pt, include_str!("../locales/pt/healthpass.ftl")),
];

/// A value for a message's placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, put in as it is.
    Text(String),
    /// A number (Fluent may choose a plural form by it).
    Number(f64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_string())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Self {
        Arg::Number(f64::from(value))
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(u32::try_from(value).map_or(f64::from(u32::MAX), f64::from))
    }
}

fn source(lang: Lang) -> &'static str {
    SOURCES.iter().find(|(l, _)| *l == lang).map_or("", |(_, s)| s)
}

fn bundle(lang: Lang) -> Option<&'static FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<Vec<(Lang, FluentBundle<FluentResource>)>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        Lang::ALL
            .iter()
            .filter_map(|&lang| {
                // A file with a syntax error keeps the entries that parsed; the audit reports it.
                let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(res, _)| res);
                let id = lang.tag().parse().ok()?;
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                let _ = bundle.add_resource(resource);
                Some((lang, bundle))
            })
            .collect()
    });
    all.iter().find(|(l, _)| *l == lang).map(|(_, b)| b)
}

fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let bundle = bundle(lang)?;
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    // A placeholder left without a value shows as `{$name}` (Fluent's own rendering): visible,
    // never silently dropped.
    let mut errors = Vec::new();
    Some(bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned())
}

/// The message `id` in `lang` with its placeholders filled from `args`; English when `lang`
/// lacks it; the id itself when English lacks it too.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    format(lang, id, args).or_else(|| format(Lang::En, id, args)).unwrap_or_else(|| id.to_string())
}

/// Whether `lang`'s own file has the message `id` (no fallback).
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).is_some_and(|b| b.has_message(id))
}

/// One thing wrong with the message files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The language whose file is wrong.
    pub lang: Lang,
    /// What is wrong, naming the message.
    pub detail: String,
}

/// The ids of a Fluent source and the placeholders (`$name`) each message uses.
///
/// # Errors
/// The parser's messages when the source is not valid Fluent.
pub fn catalogue(source: &str) -> Result<BTreeMap<String, BTreeSet<String>>, Vec<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .map_err(|(_, errors)| errors.iter().map(|e| format!("{:?} at {:?}", e.kind, e.pos)).collect::<Vec<_>>())?;
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut vars = BTreeSet::new();
            if let Some(pattern) = &message.value {
                pattern_vars(pattern, &mut vars);
            }
            for attribute in &message.attributes {
                pattern_vars(&attribute.value, &mut vars);
            }
            out.insert(message.id.name.to_string(), vars);
        }
    }
    Ok(out)
}

fn pattern_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_vars(inline, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for named in &arguments.named {
                inline_vars(&named.value, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

/// Compares catalogues against the reference (English): every message present in every
/// language, none extra, the same placeholders, and every file valid Fluent.
pub fn audit_sources(sources: &[(Lang, &str)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut catalogues = Vec::new();
    for (lang, source) in sources {
        match catalogue(source) {
            Ok(c) => catalogues.push((*lang, c)),
            Err(errors) => {
                problems.push(Problem { lang: *lang, detail: format!("not valid Fluent: {}", errors.join("; ")) })
            }
        }
    }
    let Some((_, reference)) = catalogues.iter().find(|(l, _)| *l == Lang::En) else {
        problems.push(Problem { lang: Lang::En, detail: "the English file is missing or invalid".into() });
        return problems;
    };
    for (lang, catalogue) in catalogues.iter().filter(|(l, _)| *l != Lang::En) {
        for (id, vars) in reference {
            match catalogue.get(id) {
                None => problems.push(Problem { lang: *lang, detail: format!("message {id} is missing") }),
                Some(theirs) if theirs != vars => problems.push(Problem {
                    lang: *lang,
                    detail: format!("message {id} has placeholders {theirs:?}, English has {vars:?}"),
                }),
                Some(_) => {}
            }
        }
        for id in catalogue.keys().filter(|id| !reference.contains_key(*id)) {
            problems.push(Problem { lang: *lang, detail: format!("message {id} is not in the English file") });
        }
    }
    problems
}

/// [`audit_sources`] over the compiled-in files of the four languages.
pub fn audit() -> Vec<Problem> {
    audit_sources(&SOURCES)
}

/// The ids of every message in the English file.
pub fn ids() -> Vec<String> {
    catalogue(source(Lang::En)).map(|c| c.into_keys().collect()).unwrap_or_default()
}
