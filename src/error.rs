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
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Parses JSON into `T`, naming the field of a type error (`root.variant.r0: invalid type ...`).
pub fn from_json<T: serde::de::DeserializeOwned>(root: &str, text: &str) -> Result<T> {
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
