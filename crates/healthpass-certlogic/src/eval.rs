//! Evaluating a compiled expression: the semantics of each operation as the specification
//! defines it, under a step budget.

use serde_json::{Map, Value};

use crate::datetime::{parse_date_of_birth_operand, parse_operand, plus_time};
use crate::error::{Error, Result};
use crate::expr::{Comparison, Expression, Node};
use crate::limits::Limits;
use crate::value::{Fragment, NULL, Val, strict_eq};

/// The data context an expression reads with `var`.
enum Ctx<'c, 'a> {
    /// Any JSON value.
    Data(&'a Value),
    /// A business rule's `{ "payload": ..., "external": ... }`, without building that object.
    Rule { payload: &'a Value, external: &'a Value },
    /// Inside a `reduce` lambda: `{ "accumulator": ..., "current": ... }`.
    Lambda { accumulator: &'c Val<'a>, current: &'c Val<'a> },
}

impl<'a> Ctx<'_, 'a> {
    fn access(&self, path: &[Fragment]) -> Val<'a> {
        let (root, rest) = match (self, path.split_first()) {
            (Ctx::Data(data), _) => (Val::Json(data), path),
            (Ctx::Rule { payload, external }, Some((first, rest))) => match first.key.as_str() {
                "payload" => (Val::Json(payload), rest),
                "external" => (Val::Json(external), rest),
                _ => return NULL,
            },
            (Ctx::Lambda { accumulator, current }, Some((first, rest))) => match first.key.as_str() {
                "accumulator" => ((*accumulator).clone(), rest),
                "current" => ((*current).clone(), rest),
                _ => return NULL,
            },
            (_, None) => (Val::Owned(self.whole()), path),
        };
        rest.iter().fold(root, |value, fragment| if value.is_null() { NULL } else { value.drill(fragment) })
    }

    /// The whole context as one JSON object (only for `{ "var": "" }` inside a rule or lambda).
    fn whole(&self) -> Value {
        let mut map = Map::new();
        match self {
            Ctx::Data(data) => return (*data).clone(),
            Ctx::Rule { payload, external } => {
                map.insert("payload".into(), (*payload).clone());
                map.insert("external".into(), (*external).clone());
            }
            Ctx::Lambda { accumulator, current } => {
                map.insert("accumulator".into(), (*accumulator).clone().into_json());
                map.insert("current".into(), (*current).clone().into_json());
            }
        }
        Value::Object(map)
    }
}

struct Evaluator<'l> {
    limits: &'l Limits,
    steps: usize,
}

fn int_operands(values: &[Val<'_>]) -> Option<Vec<i64>> {
    values.iter().map(Val::as_int).collect()
}

fn compare(comparison: Comparison, values: &[i64]) -> Result<bool> {
    match values {
        [a, b] => Ok(comparison.holds(*a, *b)),
        [a, b, c] => Ok(comparison.holds(*a, *b) && comparison.holds(*b, *c)),
        _ => Err(Error::eval("comparison", "must have 2 or 3 operands")),
    }
}

impl<'l> Evaluator<'l> {
    fn eval<'a>(&mut self, node: &'a Node, ctx: &Ctx<'_, 'a>) -> Result<Val<'a>> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Error::TooLarge { what: "evaluation steps", limit: self.limits.max_steps });
        }
        Ok(match node {
            Node::Literal(value) => Val::Json(value),
            Node::Array(items) => {
                let items = items.iter().map(|item| self.eval(item, ctx)).collect::<Result<Vec<_>>>()?;
                let depth = 1 + items.iter().map(Val::depth).max().unwrap_or(0);
                if depth > self.limits.max_value_depth {
                    return Err(Error::TooLarge { what: "array nesting", limit: self.limits.max_value_depth });
                }
                Val::List(items, depth)
            }
            Node::Var(path) => ctx.access(path),
            Node::If(operands) => {
                let [guard, then, otherwise] = &**operands;
                match self.eval(guard, ctx)?.truthiness() {
                    Some(true) => self.eval(then, ctx)?,
                    Some(false) => self.eval(otherwise, ctx)?,
                    None => return Err(Error::eval("if", "guard evaluates to something neither truthy, nor falsy")),
                }
            }
            Node::StrictEqual(operands) => {
                let [a, b] = &**operands;
                let (a, b) = (self.eval(a, ctx)?, self.eval(b, ctx)?);
                Val::Owned(Value::Bool(strict_eq(&a, &b)))
            }
            Node::In(operands) => {
                let [needle, haystack] = &**operands;
                let (needle, haystack) = (self.eval(needle, ctx)?, self.eval(haystack, ctx)?);
                let found =
                    haystack.contains(&needle).ok_or_else(|| Error::eval("in", "right-hand side must be an array"))?;
                Val::Owned(Value::Bool(found))
            }
            Node::Plus(operands) => {
                let [a, b] = &**operands;
                let (a, b) = (self.eval(a, ctx)?, self.eval(b, ctx)?);
                let sum =
                    a.as_int().zip(b.as_int()).ok_or_else(|| Error::eval("+", "operands must both be integers"))?;
                Val::Owned(Value::from(sum.0.checked_add(sum.1).ok_or_else(|| Error::eval("+", "integer overflow"))?))
            }
            Node::And(operands) => {
                // Lazily, in order: the first falsy operand, else the last; every operand
                // evaluated must be truthy or falsy (the reference implementation checks each,
                // the last one included, as soon as it is evaluated).
                let mut result = Val::Owned(Value::Bool(true));
                for operand in operands {
                    result = self.eval(operand, ctx)?;
                    match result.truthiness() {
                        Some(false) => return Ok(result),
                        Some(true) => {}
                        None => return Err(Error::eval("and", "an operand is neither truthy nor falsy")),
                    }
                }
                result
            }
            Node::Compare(comparison, operands) => {
                let values = operands.iter().map(|op| self.eval(op, ctx)).collect::<Result<Vec<_>>>()?;
                let ints = int_operands(&values)
                    .ok_or_else(|| Error::eval("comparison", "all operands must be of integer type"))?;
                Val::Owned(Value::Bool(compare(*comparison, &ints)?))
            }
            Node::CompareDates(comparison, operands) => {
                let values = operands.iter().map(|op| self.eval(op, ctx)).collect::<Result<Vec<_>>>()?;
                let dates = values
                    .iter()
                    .map(|value| match value {
                        Val::Date(ms) => Some(*ms),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Error::eval("date-time comparison", "all operands must be date-times"))?;
                // As in JavaScript, any comparison with an invalid date is false.
                let holds = match dates.into_iter().collect::<Option<Vec<_>>>() {
                    Some(ms) => compare(*comparison, &ms)?,
                    None => false,
                };
                Val::Owned(Value::Bool(holds))
            }
            Node::Not(operand) => match self.eval(operand, ctx)?.truthiness() {
                Some(truthy) => Val::Owned(Value::Bool(!truthy)),
                None => return Err(Error::eval("!", "operand is neither truthy nor falsy")),
            },
            Node::PlusTime(operand, amount, unit) => {
                let value = self.eval(operand, ctx)?;
                let text = value.as_str().ok_or_else(|| Error::eval("plusTime", "date argument must be a string"))?;
                let ms = parse_operand(text, "plusTime date argument")?;
                // Out of JavaScript's range, a date becomes invalid, as in JavaScript.
                Val::Date(if *amount == 0 { ms } else { ms.and_then(|ms| plus_time(ms, *amount, *unit).ok()) })
            }
            Node::Reduce(operands) => {
                let [operand, lambda, initial] = &**operands;
                let array = self.eval(operand, ctx)?;
                let mut accumulator = self.eval(initial, ctx)?;
                if array.is_null() {
                    return Ok(accumulator);
                }
                let items =
                    array.items().ok_or_else(|| Error::eval("reduce", "operand evaluated to a non-null non-array"))?;
                for current in &items {
                    accumulator = self.eval(lambda, &Ctx::Lambda { accumulator: &accumulator, current })?;
                }
                accumulator
            }
            Node::ExtractFromUvci(operand, index) => {
                let value = self.eval(operand, ctx)?;
                if value.is_null() {
                    return Ok(NULL);
                }
                let text = value
                    .as_borrowed_str()
                    .ok_or_else(|| Error::eval("extractFromUVCI", "UVCI argument must be either a string or null"))?;
                extract_from_uvci(text, *index)
            }
            Node::Invalid(message) => return Err(Error::eval("(invalid expression)", message.clone())),
            Node::DccDateOfBirth(operand) => {
                let value = self.eval(operand, ctx)?;
                let text = value.as_str().ok_or_else(|| Error::eval("dccDateOfBirth", "operand must be a string"))?;
                Val::Date(parse_date_of_birth_operand(text)?)
            }
        })
    }
}

/// The fragment `index` of a UCI split on `/`, `#` and `:`, after an optional `URN:UVCI:` prefix.
fn extract_from_uvci<'a>(text: std::borrow::Cow<'a, str>, index: i64) -> Val<'a> {
    let Ok(index) = usize::try_from(index) else {
        return NULL;
    };
    let fragment = |s: &str| -> Option<(usize, usize)> {
        let start = if s.starts_with("URN:UVCI:") { "URN:UVCI:".len() } else { 0 };
        let rest = s.get(start..)?;
        let mut offset = start;
        for (i, part) in rest.split(['/', '#', ':']).enumerate() {
            if i == index {
                return Some((offset, offset + part.len()));
            }
            offset += part.len() + 1;
        }
        None
    };
    match text {
        std::borrow::Cow::Borrowed(s) => fragment(s).and_then(|(from, to)| s.get(from..to)).map_or(NULL, Val::Str),
        std::borrow::Cow::Owned(s) => fragment(&s)
            .and_then(|(from, to)| s.get(from..to))
            .map_or(NULL, |part| Val::Owned(Value::String(part.to_owned()))),
    }
}

impl Expression {
    /// Evaluates the expression against a data context.
    ///
    /// # Errors
    /// [`Error::Eval`] when an operand has a type the operation does not accept (the errors the
    /// specification says evaluation throws: a guard neither truthy nor falsy, `in` on a
    /// non-array, comparing non-integers, ...); [`Error::Date`] for a date string outside the
    /// allowed formats; [`Error::TooLarge`] when the step budget or array nesting is exceeded.
    pub fn evaluate(&self, data: &Value) -> Result<Value> {
        let mut evaluator = Evaluator { limits: &self.limits, steps: 0 };
        Ok(evaluator.eval(&self.root, &Ctx::Data(data))?.into_json())
    }

    /// Evaluates a rule's logic against `{ "payload": payload, "external": external }` without
    /// building that object; `Some(b)` for a boolean result, `None` for any other value.
    pub(crate) fn evaluate_rule(&self, payload: &Value, external: &Value) -> Result<Option<bool>> {
        let mut evaluator = Evaluator { limits: &self.limits, steps: 0 };
        let result = evaluator.eval(&self.root, &Ctx::Rule { payload, external })?;
        Ok(match result {
            Val::Json(Value::Bool(b)) => Some(*b),
            Val::Owned(Value::Bool(b)) => Some(b),
            _ => None,
        })
    }
}

/// Compiles and evaluates an expression in one call, under the default [`Limits`].
///
/// ```
/// use healthpass_certlogic::evaluate;
/// use serde_json::json;
/// let minor = json!({ "after": [
///     { "dccDateOfBirth": [{ "var": "payload.dob" }] },
///     { "plusTime": [{ "var": "external.validationClock" }, -18, "year"] }
/// ]});
/// let data = json!({ "payload": { "dob": "2010-05" },
///                    "external": { "validationClock": "2026-12-03T12:00:00Z" } });
/// assert_eq!(evaluate(&minor, &data)?, json!(true));
/// # Ok::<(), healthpass_certlogic::Error>(())
/// ```
///
/// # Errors
/// As [`Expression::compile`] and [`Expression::evaluate`].
pub fn evaluate(expr: &Value, data: &Value) -> Result<Value> {
    Expression::compile(expr)?.evaluate(data)
}

impl Expression {
    /// Evaluates the expression as a business rule's logic: against
    /// `{ "payload": payload, "external": external }`, without building that object.
    ///
    /// # Errors
    /// As [`Expression::evaluate`].
    pub fn evaluate_rule_data(&self, payload: &Value, external: &Value) -> Result<Value> {
        let mut evaluator = Evaluator { limits: &self.limits, steps: 0 };
        Ok(evaluator.eval(&self.root, &Ctx::Rule { payload, external })?.into_json())
    }
}
