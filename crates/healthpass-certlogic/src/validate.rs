//! The CertLogic format validator: every issue in an expression, worded as the reference
//! validator (certlogic-js `validateFormat`) words it, so that the specification's
//! validation-testSuite can compare messages exactly.
//!
//! The reference validator predates `dccDateOfBirth`; this one knows it (one operand), as the
//! specification (1.3.0 and later) defines it.

use serde_json::Value;

use crate::datetime::TimeUnit;
use crate::limits::Limits;
use crate::value::json_int;

/// Most issues one validation reports; the rest are summarised in one final issue.
const MAX_ISSUES: usize = 100;

/// One problem found in an expression: the offending (sub-)expression and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The (sub-)expression the issue is about.
    pub expr: Value,
    /// What is wrong, in the reference validator's words.
    pub message: String,
}

/// Validates `expr` as a CertLogic expression under the default [`Limits`]. An empty list means
/// the expression is valid.
///
/// ```
/// use healthpass_certlogic::validate;
/// use serde_json::json;
/// assert!(validate(&json!({ "var": "payload.v.0.dn" })).is_empty());
/// let issues = validate(&json!({ "var": "x." }));
/// assert_eq!(issues[0].message, "data access path doesn't have a valid format: x.");
/// ```
pub fn validate(expr: &Value) -> Vec<Issue> {
    validate_with(expr, &Limits::default())
}

/// [`validate`] under explicit limits: an expression deeper than `max_depth` or with more than
/// `max_nodes` nodes gets an issue saying so, and is not walked further.
pub fn validate_with(expr: &Value, limits: &Limits) -> Vec<Issue> {
    let mut validator = Validator { limits, nodes: 0, issues: Vec::new(), truncated: false };
    validator.check(expr, 1);
    if validator.truncated {
        validator.issues.push(Issue {
            expr: Value::Null,
            message: format!("more than {MAX_ISSUES} issues; the rest are not listed"),
        });
    }
    validator.issues
}

struct Validator<'l> {
    limits: &'l Limits,
    nodes: usize,
    issues: Vec<Issue>,
    truncated: bool,
}

/// How JavaScript's template literals print a value in a message.
fn js_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(js_text).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
        other => other.to_string(),
    }
}

impl Validator<'_> {
    fn push(&mut self, expr: &Value, message: String) {
        if self.issues.len() >= MAX_ISSUES {
            self.truncated = true;
        } else {
            self.issues.push(Issue { expr: expr.clone(), message });
        }
    }

    fn check(&mut self, expr: &Value, depth: usize) {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            if self.nodes == self.limits.max_nodes + 1 {
                self.push(&Value::Null, format!("expression has more than {} nodes", self.limits.max_nodes));
            }
            return;
        }
        if depth > self.limits.max_depth {
            self.push(&Value::Null, format!("expression is nested deeper than {}", self.limits.max_depth));
            return;
        }
        match expr {
            Value::String(_) | Value::Bool(_) => {}
            Value::Number(n) => {
                if json_int(expr).is_none() {
                    self.push(expr, format!("{n} is a non-integer number"));
                }
            }
            Value::Null => self.push(expr, "invalid CertLogic expression".to_owned()),
            Value::Array(items) => items.iter().for_each(|item| self.check(item, depth + 1)),
            Value::Object(map) => {
                let mut entries = map.iter();
                let (operator, values) = match (entries.next(), entries.next()) {
                    (Some(entry), None) => entry,
                    _ => {
                        let n = map.len();
                        return self.push(expr, format!("expression object must have exactly one key, but it has {n}"));
                    }
                };
                if operator == "var" {
                    return self.check_var(expr, values);
                }
                let Value::Array(values) = values else {
                    return self.push(expr, "operation not of the form { \"<operator>\": [ <values...> ] }".to_owned());
                };
                self.check_operation(expr, operator, values, depth);
            }
        }
    }

    fn check_var(&mut self, expr: &Value, values: &Value) {
        let Value::String(path) = values else {
            return self.push(expr, "not of the form { \"var\": \"<path>\" }".to_owned());
        };
        if !path.is_empty() && path.split('.').any(str::is_empty) {
            self.push(expr, format!("data access path doesn't have a valid format: {path}"));
        }
    }

    fn check_all(&mut self, values: &[Value], depth: usize) {
        values.iter().for_each(|value| self.check(value, depth + 1));
    }

    fn check_operation(&mut self, expr: &Value, operator: &str, values: &[Value], depth: usize) {
        let n = values.len();
        let first = |count: usize| values.get(..count.min(n)).unwrap_or(&[]);
        match operator {
            "if" | "reduce" => {
                if n != 3 {
                    let what = if operator == "if" { "an \"if\"" } else { "a \"reduce\"" };
                    self.push(expr, format!("{what}-operation must have exactly 3 values/operands, but it has {n}"));
                }
                self.check_all(first(3), depth);
            }
            "and" => {
                if n < 2 {
                    self.push(expr, format!("an \"and\" operation must have at least 2 operands, but it has {n}"));
                }
                self.check_all(values, depth);
            }
            "<" | ">" | "<=" | ">=" | "after" | "before" | "not-after" | "not-before" => {
                if !(2..=3).contains(&n) {
                    self.push(
                        expr,
                        format!("an operation with operator \"{operator}\" must have 2 or 3 operands, but it has {n}"),
                    );
                }
                self.check_all(first(3), depth);
            }
            "===" | "in" | "+" => {
                if n != 2 {
                    self.push(
                        expr,
                        format!("an operation with operator \"{operator}\" must have 2 operands, but it has {n}"),
                    );
                }
                self.check_all(first(2), depth);
            }
            "!" => match values {
                [operand] => self.check(operand, depth + 1),
                _ => self.push(
                    expr,
                    format!("a !-operation (logical not/negation) must have exactly 1 operand, but it has {n}"),
                ),
            },
            "plusTime" => {
                if n != 3 {
                    self.push(
                        expr,
                        format!("a \"plusTime\"-operation must have exactly 3 values/operands, but it has {n}"),
                    );
                }
                self.check_all(first(1), depth);
                if let Some(amount) = values.get(1).filter(|amount| json_int(amount).is_none()) {
                    let text = js_text(amount);
                    self.push(
                        expr,
                        format!("\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: {text}"),
                    );
                }
                if let Some(unit) = values.get(2).filter(|unit| unit.as_str().and_then(TimeUnit::from_name).is_none()) {
                    let units = TimeUnit::ALL.map(TimeUnit::name).join(", ");
                    let text = js_text(unit);
                    self.push(
                        expr,
                        format!(
                            "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of {units}, but it is: {text}"
                        ),
                    );
                }
            }
            "extractFromUVCI" => {
                if n != 2 {
                    self.push(
                        expr,
                        format!("an \"extractFromUVCI\"-operation must have exactly 2 values/operands, but it has {n}"),
                    );
                }
                self.check_all(first(1), depth);
                if let Some(index) = values.get(1).filter(|index| json_int(index).is_none()) {
                    let text = js_text(index);
                    self.push(
                        expr,
                        format!("\"index\" argument (#2) of \"extractFromUVCI\" must be an integer, but it is: {text}"),
                    );
                }
            }
            "dccDateOfBirth" => {
                if n != 1 {
                    self.push(
                        expr,
                        format!("a \"dccDateOfBirth\"-operation must have exactly 1 value/operand, but it has {n}"),
                    );
                }
                self.check_all(first(1), depth);
            }
            _ => self.push(expr, format!("unrecognised operator: \"{operator}\"")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(expr: Value) -> Vec<String> {
        validate(&expr).into_iter().map(|issue| issue.message).collect()
    }

    #[test]
    fn operations_with_wrong_arity_or_arguments() {
        assert_eq!(
            messages(json!({"if": [true, 1]})),
            ["an \"if\"-operation must have exactly 3 values/operands, but it has 2"]
        );
        assert_eq!(
            messages(json!({"and": [true]})),
            ["an \"and\" operation must have at least 2 operands, but it has 1"]
        );
        assert_eq!(
            messages(json!({"in": [1, [], 3]})),
            ["an operation with operator \"in\" must have 2 operands, but it has 3"]
        );
        assert_eq!(
            messages(json!({"plusTime": ["2021", "x", "week"]})),
            [
                "\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: x",
                "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of year, month, day, hour, but it is: week"
            ]
        );
        assert_eq!(
            messages(json!({"!": []})),
            ["a !-operation (logical not/negation) must have exactly 1 operand, but it has 0"]
        );
        assert!(messages(json!({"dccDateOfBirth": [{"var": "payload.dob"}]})).is_empty());
        assert_eq!(messages(json!({"var": "a..b"})), ["data access path doesn't have a valid format: a..b"]);
        assert_eq!(messages(json!([1, null, 2.5])), ["invalid CertLogic expression", "2.5 is a non-integer number"]);
    }

    #[test]
    fn bounded() {
        let mut deep = json!(true);
        for _ in 0..100 {
            deep = json!({"!": [deep]});
        }
        assert_eq!(messages(deep), ["expression is nested deeper than 64"]);
        let wide = Value::Array(vec![Value::Null; 500]);
        let issues = validate(&wide);
        assert_eq!(issues.len(), MAX_ISSUES + 1);
        let limits = Limits { max_nodes: 10, ..Limits::default() };
        let many = Value::Array(vec![json!(1); 50]);
        assert_eq!(validate_with(&many, &limits).len(), 1);
    }
}
