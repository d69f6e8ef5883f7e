//! The engine's top-level modules are layers in the order of the flow of data: a module uses only
//! those before it in [`LAYERS`], so there is no import cycle between them and no arrow up the
//! layers. An edge is a `crate::NAME` path anywhere in a module's files (comments excluded).

use std::collections::BTreeSet;
use std::path::Path;

/// From the bottom up (the order of `src/lib.rs`).
const LAYERS: [&str; 13] = [
    "error",
    "limits",
    "special",
    "inputs",
    "epidemic",
    "measures",
    "run",
    "impacts",
    "uncertainty",
    "grid",
    "sweep",
    "decision",
    "python",
];

/// The `crate::NAME` paths of a Rust source, without its comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
        // `use crate::{a, b::c}` groups.
        if let Some(i) = code.find("crate::{") {
            let group = &code[i + "crate::{".len()..];
            for item in group.split([',', '}']) {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut up = Vec::new();
    let mut seen = BTreeSet::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str();
        let top = first.to_str().unwrap().trim_end_matches(".rs").to_string();
        if top == "lib" {
            continue;
        }
        let Some(level) = LAYERS.iter().position(|l| *l == top) else {
            panic!("src/{top}: a top-level module missing from LAYERS (add it where it belongs)");
        };
        seen.insert(top.clone());
        for used in uses(&std::fs::read_to_string(&path).unwrap()) {
            if let Some(other) = LAYERS.iter().position(|l| *l == used) {
                if other > level {
                    up.push(format!("{} uses crate::{used}", rel.display()));
                }
            }
        }
    }
    assert!(up.is_empty(), "arrows up the layers:\n{}", up.join("\n"));
    assert!(seen.len() >= 9, "too few modules found: {seen:?}");
}
