//! Provenance of default figures. Every number in the embedded data files carries a [`Source`]
//! (publication and year), or is flagged as an assumption that an analyst may override.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Publication, table or data set the figure is taken from.
    pub source: String,
    /// Year the figure refers to (or was published, for model estimates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// True when no source gives the figure and it is the project's own estimate.
    #[serde(default)]
    pub assumption: bool,
    /// How the figure was derived from the source (aggregation, interpolation, reading off a chart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Sources keyed by the dotted path of the field they cover; a key covers all fields below it.
pub type Sources = BTreeMap<String, Source>;

/// The source covering `path`: the entry of the path itself or of its nearest ancestor.
pub fn source_for<'a>(sources: &'a Sources, path: &str) -> Option<&'a Source> {
    let mut key = path;
    loop {
        if let Some(found) = sources.get(key) {
            return Some(found);
        }
        key = &key[..key.rfind('.')?];
    }
}

/// Dotted paths of every number in a JSON value (array indices dropped), for completeness checks.
pub fn numeric_paths(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Number(_) if out.last().map(String::as_str) != Some(path) => {
                out.push(path.to_string());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, path, out)),
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    let sub = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(v, &sub, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestor_covers_descendants() {
        let mut sources = Sources::new();
        let s = Source {
            source: "x".into(),
            year: Some(2020),
            assumption: false,
            note: None,
        };
        sources.insert("severity".into(), s.clone());
        assert_eq!(source_for(&sources, "severity.p_icu"), Some(&s));
        assert_eq!(source_for(&sources, "population"), None);
    }

    #[test]
    fn numeric_paths_drop_indices() {
        let v = serde_json::json!({"a": [1, 2], "b": {"c": [[1.0]], "d": "text"}});
        assert_eq!(numeric_paths(&v), vec!["a".to_string(), "b.c".to_string()]);
    }
}
