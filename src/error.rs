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

/// Parses JSON into `T`, naming the field of every type error (`root.variant.r0: invalid type
/// ...`), all of them at once ([`all_type_errors`]). A key given twice in one object is an error
/// (serde_json would keep the last silently), every duplicate named at once: this is the one JSON
/// loader of the engine and of the bindings.
pub fn from_json<T: serde::de::DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    duplicate_keys(root, text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => value,
        Err(e) => {
            let first = json_error(root, &e.path().to_string(), e.inner());
            let errors = match serde_json::from_str::<serde_json::Value>(text) {
                Ok(tree) if e.inner().is_data() => all_type_errors::<T>(root, tree),
                _ => Vec::new(),
            };
            return Err(Error::Validation(if errors.is_empty() {
                vec![first]
            } else {
                errors
            }));
        }
    };
    de.end().map_err(|e| {
        Error::Validation(vec![FieldError {
            field: root.to_string(),
            message: format!("invalid JSON: {e}"),
            value: String::new(),
        }])
    })?;
    Ok(value)
}

/// The error of a failed parse at `path` (serde_path_to_error's notation, `.` for the root).
fn json_error(root: &str, path: &str, e: &serde_json::Error) -> FieldError {
    FieldError {
        field: if path == "." || path.is_empty() {
            root.to_string()
        } else {
            format!("{root}.{path}")
        },
        message: format!("invalid JSON: {e}"),
        value: String::new(),
    }
}

/// Most errors [`all_type_errors`] lists: each costs a parse of the whole input.
pub const MAX_TYPE_ERRORS: usize = 50;

/// One step into a JSON tree: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every type error of the JSON `tree` against `T` (up to [`MAX_TYPE_ERRORS`]), like pydantic
/// lists them: serde stops at the first, so `T` is read from the tree again and again, each time
/// without the part that failed, until it reads. A failure that only follows from a removal (the
/// field it removed is now missing, an array is now short) is not reported, and removes the part
/// that holds it in turn, so that its siblings are still read. Removed array elements shift the
/// later ones; errors name them by their index in the input. The errors come in the order of
/// their paths (the keys of an object in alphabetical order, as `serde_json::Value` holds them).
fn all_type_errors<T: serde::de::DeserializeOwned>(
    root: &str,
    mut tree: serde_json::Value,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut removed: Vec<Vec<Step>> = Vec::new();
    // Per array (by its path in the input), the indices in the input of its removed elements.
    let mut gone: std::collections::BTreeMap<Vec<Step>, Vec<usize>> = Default::default();
    // Each recorded error takes one read, and one more per part removed in consequence.
    for _ in 0..8 * MAX_TYPE_ERRORS {
        let Err(e) = serde_path_to_error::deserialize::<_, T>(&tree) else {
            break;
        };
        let (name, current, original) = locate(e.path(), &tree, &gone);
        let message = e.inner().to_string();
        let follows = match missing_field(&message) {
            Some(field) => removed.iter().any(|r| {
                r.len() == original.len() + 1
                    && r.starts_with(&original)
                    && r[original.len()] == Step::Key(field.into())
            }),
            None => removed
                .iter()
                .any(|r| r.len() > original.len() && r.starts_with(&original)),
        };
        if !follows {
            if errors.len() == MAX_TYPE_ERRORS {
                break;
            }
            errors.push(json_error(root, &name, e.inner()));
        }
        if current.is_empty() || !remove(&mut tree, &current) {
            break;
        }
        if let Some((Step::Index(i), array)) = original.split_last() {
            let list = gone.entry(array.to_vec()).or_default();
            list.push(*i);
            list.sort_unstable();
        }
        removed.push(original);
    }
    errors
}

/// The field of serde's "missing field `name`".
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

/// For the failure at `path` in the (partly removed) `tree`: its name as the input has it, the
/// steps to the failing part in `tree`, and the same steps in the input (array indices shifted
/// back over the removed elements, `gone`). The steps stop where the path can no longer be
/// followed in the tree (a segment serde cannot name, `?`).
fn locate(
    path: &serde_path_to_error::Path,
    tree: &serde_json::Value,
    gone: &std::collections::BTreeMap<Vec<Step>, Vec<usize>>,
) -> (String, Vec<Step>, Vec<Step>) {
    use serde_path_to_error::Segment;
    let (mut name, mut current, mut original) = (String::new(), Vec::new(), Vec::new());
    let mut node = Some(tree);
    for segment in path {
        let step = match (segment, node) {
            (Segment::Seq { index }, Some(serde_json::Value::Array(items))) => {
                let mut i = *index;
                for &r in gone.get(&original).map_or(&[][..], Vec::as_slice) {
                    if r <= i {
                        i += 1;
                    }
                }
                name.push_str(&format!("[{i}]"));
                node = items.get(*index);
                Some((Step::Index(*index), Step::Index(i)))
            }
            (
                Segment::Map { key } | Segment::Enum { variant: key },
                Some(serde_json::Value::Object(map)),
            ) if map.contains_key(key) => {
                node = map.get(key);
                Some((Step::Key(key.clone()), Step::Key(key.clone())))
            }
            // A unit variant or an internally tagged enum: no step in the tree.
            (Segment::Enum { .. }, _) => None,
            // Past what the tree holds: later segments name, but do not locate.
            (Segment::Seq { index }, _) => {
                name.push_str(&format!("[{index}]"));
                node = None;
                None
            }
            _ => {
                node = None;
                None
            }
        };
        if !matches!(segment, Segment::Seq { .. }) {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&segment.to_string());
        }
        if let Some((c, o)) = step {
            current.push(c);
            original.push(o);
        }
    }
    (name, current, original)
}

/// Removes the part of `tree` at `steps` (not the root); false when there is none.
fn remove(tree: &mut serde_json::Value, steps: &[Step]) -> bool {
    let Some((last, parent)) = steps.split_last() else {
        return false;
    };
    let mut node = tree;
    for step in parent {
        node = match (step, node) {
            (Step::Key(k), serde_json::Value::Object(map)) => match map.get_mut(k) {
                Some(next) => next,
                None => return false,
            },
            (Step::Index(i), serde_json::Value::Array(items)) => match items.get_mut(*i) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Step::Key(k), serde_json::Value::Object(map)) => map.remove(k).is_some(),
        (Step::Index(i), serde_json::Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
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
