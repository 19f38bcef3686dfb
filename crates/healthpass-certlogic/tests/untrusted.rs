//! Untrusted expressions and data: any JSON gives a value or an error, never a panic, and every
//! limit holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use healthpass_certlogic::{Error, Expression, Limits, Rule, evaluate, validate};
use proptest::prelude::*;
use serde_json::{Value, json};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z0-9.:/#-]{0,12}".prop_map(Value::String),
        prop_oneof![Just("2021-06-01"), Just("2021"), Just("2021-06-01T12:00:00+1:30"), Just("URN:UVCI:01:AT:1#B")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner.clone(), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const OPERATORS: [&str; 20] = [
    "var",
    "if",
    "===",
    "and",
    "<",
    ">",
    "<=",
    ">=",
    "in",
    "+",
    "!",
    "plusTime",
    "reduce",
    "extractFromUVCI",
    "dccDateOfBirth",
    "after",
    "before",
    "not-after",
    "not-before",
    "all",
];

/// Expressions shaped like CertLogic: known operators with operands of any kind.
fn any_expression() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any_json(),
        "[a-z0-9.]{0,8}".prop_map(|p| json!({"var": p})),
        Just(json!({"var": "current"})),
        Just(json!({"var": "accumulator"})),
        Just(json!("day")),
        Just(json!(-18)),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        (0..OPERATORS.len(), prop::collection::vec(inner, 0..4)).prop_map(|(op, operands)| {
            let mut map = serde_json::Map::new();
            map.insert(OPERATORS[op].to_owned(), Value::Array(operands));
            Value::Object(map)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_json_expression_gives_a_value_or_an_error(expr in any_json(), data in any_json()) {
        let _ = validate(&expr);
        let _ = evaluate(&expr, &data);
    }

    #[test]
    fn any_shaped_expression_gives_a_value_or_an_error(expr in any_expression(), data in any_json()) {
        let issues = validate(&expr);
        let compiled = Expression::compile(&expr);
        prop_assert_eq!(issues.is_empty(), compiled.is_ok(), "validator and compiler agree");
        if let Ok((lenient, lenient_issues)) = Expression::compile_lenient(&expr, &Limits::default()) {
            prop_assert_eq!(lenient_issues, issues);
            let _ = lenient.evaluate(&data);
        }
        if let Ok(compiled) = compiled {
            let _ = compiled.evaluate(&data);
            let _ = compiled.evaluate_rule_data(&data, &data);
        }
    }

    #[test]
    fn any_rule_json_parses_or_errs(rule in any_json()) {
        let _ = Rule::from_json(&rule);
        let _ = Rule::parse(rule.to_string().as_bytes());
    }
}

#[test]
fn deep_and_large_expressions_are_refused_by_their_limit() {
    let mut deep = json!(true);
    // serde_json parses at most 128 levels from text; a value built in memory can be deeper.
    for _ in 0..300 {
        deep = json!({"!": [deep]});
    }
    assert_eq!(Expression::compile(&deep).unwrap_err(), Error::TooLarge { what: "expression depth", limit: 64 });
    let wide = Value::Array(vec![json!(1); 20_000]);
    assert_eq!(
        Expression::compile(&wide).unwrap_err(),
        Error::TooLarge { what: "expression node count", limit: 10_000 }
    );
}

#[test]
fn evaluation_is_bounded_in_steps_and_nesting() {
    let count =
        Expression::compile(&json!({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]})).unwrap();
    let data = json!({"xs": vec![0; 2000]});
    assert_eq!(count.evaluate(&data).unwrap(), json!(2000));
    let limits = Limits { max_steps: 1000, ..Limits::default() };
    let bounded =
        Expression::compile_with(&json!({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]}), &limits)
            .unwrap();
    assert!(matches!(bounded.evaluate(&data), Err(Error::TooLarge { what: "evaluation steps", .. })));
    let nest = Expression::compile(&json!({"reduce": [{"var": "xs"}, [{"var": "accumulator"}], 0]})).unwrap();
    assert!(matches!(nest.evaluate(&data), Err(Error::TooLarge { what: "array nesting", .. })));
    let plus = Expression::compile(&json!({"+": [{"var": "a"}, {"var": "a"}]})).unwrap();
    assert!(plus.evaluate(&json!({"a": 9_007_199_254_740_992_i64})).is_ok());
    assert!(plus.evaluate(&json!({"a": 9_007_199_254_740_993_i64})).is_err(), "beyond 2^53 is not a safe integer");
}

#[test]
fn errors_do_not_echo_payload_data() {
    let expr = Expression::compile(&json!({"plusTime": [{"var": "payload.dob"}, 0, "day"]})).unwrap();
    let err = expr.evaluate_rule_data(&json!({"dob": "1964-13-45 Jane Secret"}), &json!({})).unwrap_err();
    assert!(!err.to_string().contains("Secret"), "{err}");
}

#[test]
fn invalid_dates_compare_false_as_in_the_reference_implementation() {
    let after = Expression::compile(
        &json!({"after": [{"plusTime": [{"var": "d"}, 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]}),
    )
    .unwrap();
    assert_eq!(after.evaluate(&json!({"d": "2021-02-30"})).unwrap(), json!(true));
    assert_eq!(after.evaluate(&json!({"d": "2021-02-32"})).unwrap(), json!(false));
    let before = Expression::compile(
        &json!({"before": [{"plusTime": [{"var": "d"}, 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]}),
    )
    .unwrap();
    assert_eq!(before.evaluate(&json!({"d": "2021-02-32"})).unwrap(), json!(false));
    assert!(before.evaluate(&json!({"d": "1st of May"})).is_err(), "a string outside the allowed formats is an error");
    let far = Expression::compile(&json!({"plusTime": ["2021-01-01", 300000, "year"]})).unwrap();
    assert_eq!(far.evaluate(&json!({})).unwrap(), json!(null), "out of range: an invalid date, written as null");
}

#[test]
fn lenient_compilation_fails_only_where_evaluation_reaches() {
    let limits = Limits::default();
    let (expr, issues) =
        Expression::compile_lenient(&json!({"if": [{"var": "x"}, {"all": []}, "fine", "extra"]}), &limits).unwrap();
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert_eq!(expr.evaluate(&json!({"x": false})).unwrap(), json!("fine"));
    assert!(expr.evaluate(&json!({"x": true})).is_err());
    assert!(Expression::compile(&json!({"if": [{"var": "x"}, 1, 2, 3]})).is_err(), "strict compilation refuses");
}

#[test]
fn and_refuses_an_operand_neither_truthy_nor_falsy_even_the_last() {
    let expr = Expression::compile(&json!({"and": [true, {"plusTime": ["2021-01-01", 0, "day"]}]})).unwrap();
    assert!(expr.evaluate(&json!({})).is_err(), "a date-time is neither truthy nor falsy");
    let lazy = Expression::compile(&json!({"and": [false, {"plusTime": ["2021-01-01", 0, "day"]}]})).unwrap();
    assert_eq!(lazy.evaluate(&json!({})).unwrap(), json!(false));
}
