//! Parameter paths: where a path points in the calibration or the scenario, and how a drawn value
//! is written there (set or scaled) and read back as a typed input.

use serde::Serialize;
use serde_json::Value;

use super::sampling::Apply;
use crate::error::{Error, FieldError, Result};

/// Which input a path starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Root {
    Calibration,
    Scenario,
}

/// A path parsed into its root and a JSON pointer below it.
pub(super) fn parse_path(path: &str) -> std::result::Result<(Root, String), String> {
    let (root, rest) = path
        .split_once('.')
        .ok_or("must start with `calibration.` or `scenario.` and name a field")?;
    let root = match root {
        "calibration" => Root::Calibration,
        "scenario" => Root::Scenario,
        _ => return Err("must start with `calibration.` or `scenario.`".into()),
    };
    let mut pointer = String::new();
    for part in rest.split('.') {
        let (name, mut indices) = part.split_once('[').map_or((part, ""), |(n, i)| (n, i));
        let valid_name =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(format!("has an invalid part {part:?}"));
        }
        pointer.push('/');
        pointer.push_str(name);
        while !indices.is_empty() {
            let (index, after) = indices
                .split_once(']')
                .ok_or_else(|| format!("has an unclosed `[` in {part:?}"))?;
            let index: usize = index
                .parse()
                .map_err(|_| format!("has an invalid index {index:?} in {part:?}"))?;
            pointer.push('/');
            pointer.push_str(&index.to_string());
            indices = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return Err(format!("has text after `]` in {part:?}"));
            }
        }
    }
    Ok((root, pointer))
}

/// The node at `pointer` (one of [`parse_path`]'s, or a part of one) in `doc`: what
/// `Value::pointer` gives, without unescaping `~` sequences, which these pointers never hold
/// (serde_json allocates a string per step for that, on every draw).
pub(super) fn at<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    pointer
        .split('/')
        .skip(1)
        .try_fold(doc, |node, step| match node {
            Value::Object(map) => map.get(step),
            Value::Array(items) => items.get(step.parse::<usize>().ok()?),
            _ => None,
        })
}

/// As [`at`], mutable.
fn at_mut<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    pointer
        .split('/')
        .skip(1)
        .try_fold(doc, |node, step| match node {
            Value::Object(map) => map.get_mut(step),
            Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?),
            _ => None,
        })
}

/// Applies `x` at `pointer` in `doc`, by `apply`.
pub(super) fn apply_at(
    doc: &mut Value,
    pointer: &str,
    apply: Apply,
    x: f64,
) -> std::result::Result<(), String> {
    let node = at_mut(doc, pointer).ok_or("no such field")?;
    match apply {
        Apply::Set => {
            if !node.is_number() {
                return Err(if node.is_array() {
                    "is a vector: name one element (`[i]`) to set it, or scale the whole vector with \"apply\": \"scale\"".into()
                } else {
                    format!("is not a number (it is {})", kind(node))
                });
            }
            *node = number(x);
        }
        Apply::Scale => scale(node, x)?,
    }
    Ok(())
}

pub(super) fn scale(node: &mut Value, x: f64) -> std::result::Result<(), String> {
    match node {
        Value::Number(n) => {
            *node = number(n.as_f64().unwrap_or(f64::NAN) * x);
            Ok(())
        }
        Value::Array(items) if !items.is_empty() => items.iter_mut().try_for_each(|v| scale(v, x)),
        other => Err(format!(
            "is not a number or a vector of numbers (it is {})",
            kind(other)
        )),
    }
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an empty or mixed list",
        Value::Object(_) => "an object",
    }
}

/// A JSON number; non-finite values (which validation then rejects) become null.
pub(super) fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Deserialises a typed input from an edited JSON value, naming the field of a type error.
pub(super) fn typed<T: serde::de::DeserializeOwned>(root: &str, value: Value) -> Result<T> {
    // The plain deserializer on the hot path (once per draw); the path-tracking one, about twice
    // as slow, only to name the field when it fails.
    if let Ok(input) = T::deserialize(&value) {
        return Ok(input);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        Error::Validation(vec![FieldError {
            field: format!("{root}.{}", e.path()),
            message: format!("does not accept the drawn value: {}", e.inner()),
            value: String::new(),
        }])
    })
}

/// JSON of an input without its `sources` maps, at the top and in its parts (the impact data's
/// alone are two thirds of the calibration's text): no run reads them, and each draw copies and
/// deserialises what is left.
pub(super) fn bare<T: Serialize>(input: &T) -> Value {
    let mut v = serde_json::to_value(input).expect("inputs serialise");
    strip_sources(&mut v);
    v
}

/// Removes every `sources` map below `value`: in the input types the name is kept for provenance.
pub(super) fn strip_sources(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("sources");
        map.values_mut().for_each(strip_sources);
    }
}
