//! Errors of the engine. Every bad input becomes a [`FieldError`] that names the field and the
//! bad value, so an analyst reads `scenario.variant.r0: must be > 0, got -1.5` instead of a panic.

use std::fmt;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `scenario.variant.r0` or `calibration.population[3]`.
    pub field: String,
    /// What is wrong, e.g. `must be > 0`.
    pub message: String,
    /// The offending value as text (empty when there is no single value, e.g. a missing field).
    pub value: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "{}: {}, got {}", self.field, self.message, self.value)
        }
    }
}

/// Everything the engine can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks one or more rules; each names its field.
    #[error("{}", join(.0))]
    Validation(Vec<FieldError>),
    /// A name (preset, setting, ...) that does not exist; lists the valid ones.
    #[error("{field}: unknown {kind} {name:?}; valid: {}", .valid.join(", "))]
    UnknownName {
        field: String,
        kind: &'static str,
        name: String,
        valid: Vec<String>,
    },
    /// The numerical solver could not keep the state valid (should not happen for valid input).
    #[error("solver: {0}")]
    Solver(String),
    /// A defect of the engine itself: a panic, caught where a batch or run joins its worker.
    #[error("internal error (please report it as a bug): {0}")]
    Internal(String),
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    /// A validation error on one field.
    pub fn field(field: String, message: String, value: String) -> Error {
        Error::Validation(vec![FieldError {
            field,
            message,
            value,
        }])
    }

    /// The field errors behind this error (one synthetic entry for non-validation errors).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::Validation(errors) => errors.clone(),
            Error::UnknownName {
                field, kind, name, ..
            } => vec![FieldError {
                field: field.clone(),
                message: format!("unknown {kind}"),
                value: format!("{name:?}"),
            }],
            Error::Solver(message) => vec![FieldError {
                field: "solver".into(),
                message: message.clone(),
                value: String::new(),
            }],
            Error::Internal(message) => vec![FieldError {
                field: "internal".into(),
                message: message.clone(),
                value: String::new(),
            }],
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Runs `work`, turning a panic into [`Error::Internal`] with the panic's message: a defect
/// must reach the caller as an error, never unwind across the Python boundary.
pub fn guarded<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(Error::Internal(panic_message(payload.as_ref()))))
}

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Parses JSON into `T`, naming the field of a type error (`root.variant.r0: invalid type ...`).
/// A key given twice in one object is an error (serde_json would keep the last silently), every
/// duplicate named at once: this is the one JSON loader of the engine and of the bindings.
pub fn from_json<T: serde::de::DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    duplicate_keys(root, text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            root.to_string()
        } else {
            format!("{root}.{path}")
        };
        Error::Validation(vec![FieldError {
            field,
            message: format!("invalid JSON: {}", e.inner()),
            value: String::new(),
        }])
    })?;
    de.end().map_err(|e| {
        Error::Validation(vec![FieldError {
            field: root.to_string(),
            message: format!("invalid JSON: {e}"),
            value: String::new(),
        }])
    })?;
    Ok(value)
}

/// Fails when an object of the JSON `text` has a key twice, naming each such key by its path.
/// Syntax errors are left to the typed parse, which names them better.
fn duplicate_keys(root: &str, text: &str) -> Result<()> {
    let found = std::cell::RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let walk = serde::de::DeserializeSeed::deserialize(
        Keys {
            path: root.to_string(),
            found: &found,
        },
        &mut de,
    );
    let found = found.into_inner();
    if walk.is_err() || found.is_empty() {
        return Ok(());
    }
    Err(Error::Validation(found))
}

/// A walk over one JSON value that records keys repeated within an object.
struct Keys<'a> {
    path: String,
    found: &'a std::cell::RefCell<Vec<FieldError>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Keys<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Keys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(Keys {
                path: format!("{}[{i}]", self.path),
                found: self.found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}.{key}", self.path);
            if !seen.insert(key) {
                self.found.borrow_mut().push(FieldError {
                    field: path.clone(),
                    message: "is given twice in one object (JSON keys must be unique)".into(),
                    value: String::new(),
                });
            }
            map.next_value_seed(Keys {
                path,
                found: self.found,
            })?;
        }
        Ok(())
    }
}
