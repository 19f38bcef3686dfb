//! A CertLogic expression compiled once (checked by the validator, then turned into a tree of
//! operations) so that evaluating it many times does no parsing.
//!
//! The specification says the evaluator checks the validity of the expression before evaluating
//! any operand: compiling is that check, and it covers every branch, taken or not.

use serde_json::Value;

use crate::datetime::TimeUnit;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::validate::validate_with;
use crate::value::{Fragment, json_int};

/// A comparison of integers (`<`, `>`, `<=`, `>=`) or of date-times (`before`, `after`,
/// `not-after`, `not-before`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

impl Comparison {
    pub(crate) fn holds(self, left: i64, right: i64) -> bool {
        match self {
            Comparison::Less => left < right,
            Comparison::Greater => left > right,
            Comparison::LessOrEqual => left <= right,
            Comparison::GreaterOrEqual => left >= right,
        }
    }
}

/// One node of a compiled expression.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A string, integer or boolean literal (integers normalised, so `2.0` is `2`).
    Literal(Value),
    Array(Vec<Node>),
    /// Data access; an empty path is the whole data context.
    Var(Vec<Fragment>),
    If(Box<[Node; 3]>),
    StrictEqual(Box<[Node; 2]>),
    In(Box<[Node; 2]>),
    Plus(Box<[Node; 2]>),
    And(Vec<Node>),
    Compare(Comparison, Vec<Node>),
    CompareDates(Comparison, Vec<Node>),
    Not(Box<Node>),
    PlusTime(Box<Node>, i64, TimeUnit),
    Reduce(Box<[Node; 3]>),
    ExtractFromUvci(Box<Node>, i64),
    DccDateOfBirth(Box<Node>),
    /// A sub-expression that is not valid CertLogic (lenient compilation only): evaluating it
    /// is this error.
    Invalid(String),
}

/// A valid CertLogic expression, ready to evaluate.
///
/// ```
/// use healthpass_certlogic::Expression;
/// use serde_json::json;
/// let expr = Expression::compile(&json!({ ">=": [{ "var": "dn" }, { "var": "sd" }] }))?;
/// assert_eq!(expr.evaluate(&json!({ "dn": 2, "sd": 2 }))?, json!(true));
/// assert!(Expression::compile(&json!({ "all": [] })).is_err());
/// # Ok::<(), healthpass_certlogic::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Expression {
    pub(crate) root: Node,
    pub(crate) limits: Limits,
}

impl Expression {
    /// Compiles an expression under the default [`Limits`].
    ///
    /// # Errors
    /// [`Error::Invalid`] with the validator's first issue if the expression is not valid
    /// CertLogic (see [`validate`](crate::validate)); [`Error::TooLarge`] if it is deeper or
    /// larger than the limits allow.
    pub fn compile(json: &Value) -> Result<Self> {
        Self::compile_with(json, &Limits::default())
    }

    /// Compiles an expression under explicit limits, which also bound its evaluations.
    ///
    /// # Errors
    /// As [`Expression::compile`].
    pub fn compile_with(json: &Value, limits: &Limits) -> Result<Self> {
        if let Some(issue) = validate_with(json, limits).into_iter().next() {
            return Err(if issue.message.starts_with("expression has more than") {
                Error::TooLarge { what: "expression node count", limit: limits.max_nodes }
            } else if issue.message.starts_with("expression is nested deeper") {
                Error::TooLarge { what: "expression depth", limit: limits.max_depth }
            } else {
                Error::invalid(issue.message)
            });
        }
        Ok(Expression { root: build(json, Mode::Strict)?, limits: *limits })
    }
}

fn operands<const N: usize>(values: &[Value], mode: Mode) -> Result<Box<[Node; N]>> {
    let nodes: Vec<Node> = values.iter().map(|v| mode.build(v)).collect::<Result<_>>()?;
    let nodes: [Node; N] = nodes.try_into().map_err(|_| Error::invalid("wrong number of operands"))?;
    Ok(Box::new(nodes))
}

fn single(values: &[Value], mode: Mode) -> Result<Box<Node>> {
    let [node] = *operands::<1>(values.get(..1).unwrap_or(&[]), mode)?;
    Ok(Box::new(node))
}

fn literal_int(value: Option<&Value>, what: &str) -> Result<i64> {
    value.and_then(json_int).ok_or_else(|| Error::invalid(format!("{what} must be an integer")))
}

/// How sub-expressions that are not valid CertLogic are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Refuse them (after validation, this never happens).
    Strict,
    /// Turn each into a node that fails when evaluated, as the reference evaluator fails only
    /// when it reaches them.
    Lenient,
}

impl Mode {
    /// The operands an operation reads: leniently, extra operands are ignored, as the reference
    /// evaluator ignores them for `if` and `reduce`.
    fn first(self, values: &[Value], n: usize) -> &[Value] {
        match self {
            Mode::Strict => values,
            Mode::Lenient => values.get(..n).unwrap_or(values),
        }
    }

    fn build(self, json: &Value) -> Result<Node> {
        match self {
            Mode::Strict => build(json, self),
            Mode::Lenient => Ok(build(json, self).unwrap_or_else(|e| Node::Invalid(e.to_string()))),
        }
    }
}

impl Expression {
    /// Compiles an expression the validator refuses the way the reference evaluator runs it:
    /// each invalid sub-expression becomes an error raised only if evaluation reaches it. For
    /// running published rule tests (the upstream runner evaluates with certlogic-js, which
    /// checks as it goes, and reports validation separately); a verifier uses
    /// [`Expression::compile`]. Returns the validator's issues beside the expression.
    ///
    /// # Errors
    /// [`Error::TooLarge`] if the expression exceeds the depth or node limits (it is then not
    /// built at all).
    pub fn compile_lenient(json: &Value, limits: &Limits) -> Result<(Self, Vec<crate::Issue>)> {
        let issues = validate_with(json, limits);
        if let Some(issue) = issues.iter().find(|i| i.message.starts_with("expression ")) {
            let (what, limit) = if issue.message.contains("nodes") {
                ("expression node count", limits.max_nodes)
            } else {
                ("expression depth", limits.max_depth)
            };
            return Err(Error::TooLarge { what, limit });
        }
        let root = Mode::Lenient.build(json)?;
        Ok((Expression { root, limits: *limits }, issues))
    }
}

/// Builds the tree of an expression the validator has accepted. The checks here repeat the
/// validator's only as far as needed to never index out of bounds.
fn build(json: &Value, mode: Mode) -> Result<Node> {
    Ok(match json {
        Value::String(_) | Value::Bool(_) => Node::Literal(json.clone()),
        Value::Number(_) => Node::Literal(Value::from(literal_int(Some(json), "a number literal")?)),
        Value::Array(items) => Node::Array(items.iter().map(|v| mode.build(v)).collect::<Result<_>>()?),
        Value::Null => return Err(Error::invalid("invalid CertLogic expression")),
        Value::Object(map) => {
            let Some((operator, values)) = map.iter().next() else {
                return Err(Error::invalid("expression object must have exactly one key, but it has 0"));
            };
            if operator == "var" {
                let path = values.as_str().ok_or_else(|| Error::invalid("not of the form { \"var\": \"<path>\" }"))?;
                let fragments =
                    if path.is_empty() { Vec::new() } else { path.split('.').map(Fragment::parse).collect() };
                return Ok(Node::Var(fragments));
            }
            let values = values
                .as_array()
                .filter(|values| !values.is_empty())
                .ok_or_else(|| Error::invalid("operation not of the form { \"<operator>\": [ <values...> ] }"))?;
            let all = || values.iter().map(|v| mode.build(v)).collect::<Result<Vec<_>>>();
            match operator.as_str() {
                "if" => Node::If(operands(mode.first(values, 3), mode)?),
                "===" => Node::StrictEqual(operands(values, mode)?),
                "in" => Node::In(operands(values, mode)?),
                "+" => Node::Plus(operands(values, mode)?),
                "and" => Node::And(all()?),
                "<" => Node::Compare(Comparison::Less, all()?),
                ">" => Node::Compare(Comparison::Greater, all()?),
                "<=" => Node::Compare(Comparison::LessOrEqual, all()?),
                ">=" => Node::Compare(Comparison::GreaterOrEqual, all()?),
                "before" => Node::CompareDates(Comparison::Less, all()?),
                "after" => Node::CompareDates(Comparison::Greater, all()?),
                "not-after" => Node::CompareDates(Comparison::LessOrEqual, all()?),
                "not-before" => Node::CompareDates(Comparison::GreaterOrEqual, all()?),
                "!" => Node::Not(single(values, mode)?),
                "plusTime" => {
                    let amount = literal_int(values.get(1), "plusTime amount")?;
                    let unit = values
                        .get(2)
                        .and_then(Value::as_str)
                        .and_then(TimeUnit::from_name)
                        .ok_or_else(|| Error::invalid("plusTime unit must be a time unit"))?;
                    Node::PlusTime(single(values, mode)?, amount, unit)
                }
                "reduce" => Node::Reduce(operands(mode.first(values, 3), mode)?),
                "extractFromUVCI" => {
                    Node::ExtractFromUvci(single(values, mode)?, literal_int(values.get(1), "extractFromUVCI index")?)
                }
                "dccDateOfBirth" => Node::DccDateOfBirth(single(values, mode)?),
                other => return Err(Error::invalid(format!("unrecognised operator: \"{other}\""))),
            }
        }
    })
}
