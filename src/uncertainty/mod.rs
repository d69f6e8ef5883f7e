//! Parameter uncertainty for probabilistic sensitivity analysis: named distributions on any numeric
//! field of the calibration or the scenario, addressed by path, drawn from a seeded counter-based
//! stream so that a draw depends only on `(seed, parameter path, draw index)`.
//!
//! A parameter either **sets** a field to the drawn value (`scenario.variant.r0`,
//! `calibration.severity.p_hospital_given_infection[3]`) or **scales** it: the drawn value is a
//! factor that multiplies the number, or every number of a vector or matrix at the path
//! (`calibration.severity.p_hospital_given_infection` scaled as a whole keeps the age profile's
//! shape; its bands move together, perfectly correlated). Scaling is also how one uncertainty set
//! serves several scenarios: a factor on `scenario.variant.r0` keeps each scenario's own R0 as the
//! centre.
//!
//! **Determinism and common random numbers.** The value of parameter `p` in draw `d` is sampled
//! from ChaCha12 keyed by the seed and the FNV-1a hash of `p`'s path, on stream `d` (Bernstein's
//! ChaCha as in `rand_chacha`; 2^64 independent streams per key). Nothing else enters, so a draw is
//! the same whatever the number of threads or workers, whatever order runs finish in, in every
//! policy and every scenario of a sweep (common random numbers: differences between policies are
//! not blurred by different draws), and adding or removing another parameter leaves it unchanged.
//! Samplers are those of `rand_distr` with its portable `libm` maths, so draws are identical across
//! platforms too.
//!
//! **Validity.** Parameters of the distributions are checked (a negative sd, a beta with a
//! non-positive shape, `low > high`), paths must exist and hold numbers, a beta may only *set* a
//! share (its draws lie in [0, 1]), and the values a distribution can reach must pass the model's own
//! validation: the bounds of its support (5 standard deviations out for long tails: a normal
//! draw passes them with probability 6e-7), or of its truncation, are applied one parameter at a
//! time and checked by [`Model::new`]. A combination of several parameters that breaks a rule
//! across fields is reported with its draw index when it occurs.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::epidemic::model::Model;
use crate::error::{from_json, Error, FieldError, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::scenario::Scenario;
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

mod distributions;
mod paths;
mod sampling;

pub use distributions::Distribution;
use paths::*;
use sampling::*;
pub use sampling::{Apply, Parameter, Truncate};

/// A set of uncertain parameters, with the sources of their distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub parameters: Vec<Parameter>,
    /// Provenance of each distribution, keyed by the parameter's path.
    #[serde(default)]
    pub sources: Sources,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/uncertainty.json");

impl Uncertainty {
    /// The embedded default for the Netherlands (`data/netherlands/uncertainty.json`).
    pub fn netherlands() -> Uncertainty {
        Uncertainty::from_json_str(NETHERLANDS).expect("embedded uncertainty is valid")
    }

    /// No uncertain parameter: every draw is the base inputs.
    pub fn none() -> Uncertainty {
        Uncertainty {
            name: "none".into(),
            description: String::new(),
            parameters: Vec::new(),
            sources: Sources::new(),
        }
    }

    /// Parses and checks (see [`Uncertainty::validate`]).
    pub fn from_json_str(text: &str) -> Result<Uncertainty> {
        let u: Uncertainty = from_json("uncertainty", text)?;
        u.validate()?;
        Ok(u)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("uncertainty serialises")
    }

    /// The parameter paths, in order.
    pub fn paths(&self) -> Vec<String> {
        self.parameters.iter().map(|p| p.path.clone()).collect()
    }

    /// Checks what can be checked without inputs: distribution parameters, truncation bounds and
    /// the syntax of the paths (unique, under `calibration.` or `scenario.`).
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        let mut seen = BTreeSet::new();
        for (i, p) in self.parameters.iter().enumerate() {
            let f = format_args!("uncertainty.parameters[{i}]");
            if let Err(message) = parse_path(&p.path) {
                c.fail(format_args!("{f}.path"), message, format!("{:?}", p.path));
            }
            if !seen.insert(p.path.as_str()) {
                c.fail(
                    format_args!("{f}.path"),
                    "appears twice (give each field one distribution)",
                    format!("{:?}", p.path),
                );
            }
            p.distribution
                .check(format_args!("{f}.distribution"), &mut c);
            if let Some(t) = p.truncate {
                let (lo, hi) = (
                    t.low.unwrap_or(f64::NEG_INFINITY),
                    t.high.unwrap_or(f64::INFINITY),
                );
                if t.low.is_some_and(f64::is_nan) || t.high.is_some_and(f64::is_nan) || lo >= hi {
                    c.fail(
                        format_args!("{f}.truncate"),
                        "must have low < high",
                        format!("[{lo}, {hi}]"),
                    );
                }
                let reach = p.distribution.reach();
                if hi < reach[0].0 || lo > reach[1].0 {
                    c.fail(
                        format_args!("{f}.truncate"),
                        format!("leaves nothing of {}", p.distribution.describe()),
                        format!("[{lo}, {hi}]"),
                    );
                }
            }
        }
        c.finish()
    }

    /// The drawn values (factors for `scale`), one per parameter, of draw `draw`.
    pub fn draw(&self, seed: u64, draw: u64) -> Result<Vec<f64>> {
        let values = self.parameters.iter().enumerate().map(|(i, p)| {
            p.value(seed, draw).ok_or_else(|| {
                Error::Validation(vec![FieldError {
                    field: format!("uncertainty.parameters[{i}].truncate"),
                    message: format!(
                        "keeps almost none of {}: {MAX_TRIES} tries in draw {draw} fell outside",
                        p.distribution.describe()
                    ),
                    value: format!("{:?}", p.truncate),
                }])
            })
        });
        values.collect()
    }

    /// The quantiles `probabilities` of every parameter (the factor for `scale`; truncation
    /// included), one row per parameter. Each probability must lie strictly between 0 and 1 (the
    /// tails of unbounded distributions reach infinity at 0 and 1).
    pub fn quantiles(&self, probabilities: &[f64]) -> Result<Vec<Vec<f64>>> {
        let mut c = Checker::new();
        for (i, &p) in probabilities.iter().enumerate() {
            if !(p > 0.0 && p < 1.0) {
                c.fail(
                    format_args!("quantiles[{i}]"),
                    "must lie strictly between 0 and 1",
                    format!("{p}"),
                );
            }
        }
        c.finish()?;
        Ok(self
            .parameters
            .iter()
            .map(|par| probabilities.iter().map(|&p| par.quantile(p)).collect())
            .collect())
    }

    /// Prepares the parameters for a calibration and scenario, checking that every path exists
    /// and that every value a distribution can reach gives valid inputs.
    pub fn prepare(&self, calibration: &Calibration, scenario: &Scenario) -> Result<Prepared> {
        self.validate()?;
        let (calibration_json, scenario_json) = (bare(calibration), bare(scenario));
        let prepared = Prepared {
            parameters: self
                .parameters
                .iter()
                .map(|p| {
                    let (root, pointer) = parse_path(&p.path).expect("validated");
                    (root, pointer, p.apply)
                })
                .collect(),
            parts: self
                .parameters
                .iter()
                .map(|p| {
                    let (root, pointer) = parse_path(&p.path).expect("validated");
                    match root {
                        Root::Calibration => part_of(CALIBRATION_PARTS, &pointer),
                        Root::Scenario => part_of(SCENARIO_PARTS, &pointer),
                    }
                })
                .collect(),
            // Without their sources (which no run reads), so each draw's copy is cheap: the
            // inputs of a draw that changes neither are the bare JSON read back.
            calibration: typed("calibration", calibration_json.clone())?,
            scenario: typed("scenario", scenario_json.clone())?,
            calibration_json,
            scenario_json,
        };
        let mut c = Checker::new();
        let mut failed = Vec::new();
        for (i, (p, (root, pointer, apply))) in
            self.parameters.iter().zip(&prepared.parameters).enumerate()
        {
            let f = format_args!("uncertainty.parameters[{i}]");
            let doc = match root {
                Root::Calibration => &prepared.calibration_json,
                Root::Scenario => &prepared.scenario_json,
            };
            let Some(node) = at(doc, pointer) else {
                c.fail(
                    format_args!("{f}.path"),
                    "no such field",
                    format!("{:?}", p.path),
                );
                continue;
            };
            let mut probe = node.clone();
            if let Err(message) = apply_at(&mut probe, "", *apply, 1.0) {
                c.fail(
                    format_args!("{f}.path"),
                    format!("{}: {message}", p.path),
                    kind(node).into(),
                );
                continue;
            }
            if let (Distribution::Beta { .. }, Apply::Set) = (&p.distribution, apply) {
                let v = node.as_f64().unwrap_or(f64::NAN);
                if !(0.0..=1.0).contains(&v) {
                    c.fail(
                        format_args!("{f}.distribution"),
                        format!("a beta draws shares in [0, 1], but {} is not a share; scale it (\"apply\": \"scale\") or use another distribution", p.path),
                        format!("{v}"),
                    );
                    continue;
                }
            }
            for (x, how) in p.reach() {
                let mut one = vec![f64::NAN; self.parameters.len()];
                one[i] = x;
                if let Err(e) = prepared
                    .inputs_with(&one, Some(i))
                    .and_then(|(cal, sc)| Model::new(cal, sc))
                {
                    for fe in e.field_errors() {
                        failed.push(FieldError {
                            field: fe.field,
                            message: format!(
                                "{f} ({} {}; truncate or narrow it) reaches {x} at {how}, where it {}",
                                apply.name(),
                                p.distribution.describe(),
                                fe.message,
                            ),
                            value: if fe.value.is_empty() { format!("{x}") } else { fe.value },
                        });
                    }
                    break;
                }
            }
        }
        let mut result = c.finish();
        if !failed.is_empty() {
            let mut all = match result {
                Err(Error::Validation(v)) => v,
                _ => Vec::new(),
            };
            all.extend(failed);
            result = Err(Error::Validation(all));
        }
        result.map(|_| prepared)
    }
}

/// Uncertain parameters bound to one calibration and scenario, ready to give each draw's inputs.
#[derive(Debug, Clone)]
pub struct Prepared {
    parameters: Vec<(Root, String, Apply)>,
    /// Per parameter, the part of its input it lies in ([`CALIBRATION_PARTS`] or
    /// [`SCENARIO_PARTS`]: index and length of the part's pointer), if any.
    parts: Vec<Option<(usize, usize)>>,
    calibration: Calibration,
    scenario: Scenario,
    calibration_json: Value,
    scenario_json: Value,
}

impl Prepared {
    /// The calibration and scenario with the drawn `values` applied (one per parameter). They carry
    /// no `sources`: a drawn figure is not the published one, and no run reads provenance.
    pub fn inputs(&self, values: &[f64]) -> Result<(Calibration, Scenario)> {
        self.inputs_with(values, None)
    }

    /// As [`Prepared::inputs`], written over `previous`, the inputs of another draw that this
    /// `Prepared` gave: every part a draw changes is rebuilt whole and the others are the base's
    /// in both, so the result is the same, without cloning the calibration (its economy) again.
    /// A sweep's worker hands back the inputs of its last model.
    pub fn inputs_reusing(
        &self,
        values: &[f64],
        previous: (Calibration, Scenario),
    ) -> Result<(Calibration, Scenario)> {
        match self.inputs_by_part(values, None, Some(previous)) {
            Some(inputs) => Ok(inputs),
            None => self.inputs_whole(values, None),
        }
    }

    /// As [`Prepared::inputs`]; with `only`, applies that parameter alone.
    fn inputs_with(&self, values: &[f64], only: Option<usize>) -> Result<(Calibration, Scenario)> {
        match self.inputs_by_part(values, only, None) {
            Some(inputs) => Ok(inputs),
            None => self.inputs_whole(values, only),
        }
    }

    /// The inputs of a draw rebuilt part by part: the prepared calibration and scenario cloned,
    /// and only the parts that hold a drawn parameter deserialised again from their JSON with the
    /// values applied. The same inputs as [`Prepared::inputs_whole`] (a part deserialises alone as
    /// it does within its input; the other parts are those of the same JSON, read back), at a
    /// fraction of the cost: a draw of the default Dutch uncertainty no longer reads the
    /// economy's sectors or the contact matrices back. `None` when a parameter lies outside the
    /// listed parts or anything fails (then the whole inputs are rebuilt, which names the error).
    /// With `previous` (see [`Prepared::inputs_reusing`]) the parts are written over it instead of
    /// over a clone of the base.
    fn inputs_by_part(
        &self,
        values: &[f64],
        only: Option<usize>,
        previous: Option<(Calibration, Scenario)>,
    ) -> Option<(Calibration, Scenario)> {
        let applied = |i: usize| only.is_none_or(|k| k == i);
        if (0..self.parameters.len()).any(|i| applied(i) && self.parts[i].is_none()) {
            return None;
        }
        #[allow(clippy::too_many_arguments)]
        fn rebuild<T: Clone>(
            prepared: &Prepared,
            typed: &T,
            json: &Value,
            root: Root,
            table: &[Part<T>],
            values: &[f64],
            applied: &dyn Fn(usize) -> bool,
            mut out: Option<T>,
        ) -> Option<T> {
            for (k, part) in table.iter().enumerate() {
                let mut doc: Option<Value> = None;
                for (i, ((r, pointer, apply), &x)) in
                    prepared.parameters.iter().zip(values).enumerate()
                {
                    match prepared.parts[i] {
                        Some((index, len)) if *r == root && index == k && applied(i) => {
                            let node = doc.get_or_insert_with(|| {
                                at(json, part.pointer).cloned().unwrap_or(Value::Null)
                            });
                            apply_at(node, &pointer[len..], *apply, x).ok()?;
                        }
                        _ => {}
                    }
                }
                if let Some(doc) = doc {
                    (part.set)(out.get_or_insert_with(|| typed.clone()), &doc).ok()?;
                }
            }
            Some(out.unwrap_or_else(|| typed.clone()))
        }
        let (previous_cal, previous_sc) = previous.unzip();
        let cal = rebuild(
            self,
            &self.calibration,
            &self.calibration_json,
            Root::Calibration,
            CALIBRATION_PARTS,
            values,
            &applied,
            previous_cal,
        )?;
        let sc = rebuild(
            self,
            &self.scenario,
            &self.scenario_json,
            Root::Scenario,
            SCENARIO_PARTS,
            values,
            &applied,
            previous_sc,
        )?;
        Some((cal, sc))
    }

    /// The inputs of a draw rebuilt whole: the JSON of each input that holds a drawn parameter,
    /// with the values applied, deserialised again (naming the field of any error).
    fn inputs_whole(&self, values: &[f64], only: Option<usize>) -> Result<(Calibration, Scenario)> {
        let mut cal: Option<Value> = None;
        let mut sc: Option<Value> = None;
        for (i, ((root, pointer, apply), &x)) in self.parameters.iter().zip(values).enumerate() {
            if only.is_some_and(|k| k != i) {
                continue;
            }
            let doc = match root {
                Root::Calibration => cal.get_or_insert_with(|| self.calibration_json.clone()),
                Root::Scenario => sc.get_or_insert_with(|| self.scenario_json.clone()),
            };
            apply_at(doc, pointer, *apply, x).map_err(|message| {
                Error::Validation(vec![FieldError {
                    field: format!("uncertainty.parameters[{i}].path"),
                    message,
                    value: pointer.clone(),
                }])
            })?;
        }
        let cal = match cal {
            Some(v) => typed("calibration", v)?,
            None => self.calibration.clone(),
        };
        let sc = match sc {
            Some(v) => typed("scenario", v)?,
            None => self.scenario.clone(),
        };
        Ok((cal, sc))
    }
}

/// A part of an input that a draw can rebuild on its own: the JSON pointer of a field, and how to
/// put that field, deserialised, in place.
struct Part<T> {
    pointer: &'static str,
    set: fn(&mut T, &Value) -> serde_json::Result<()>,
}

/// Deserialises `value` into `slot`.
fn put<T: serde::de::DeserializeOwned>(slot: &mut T, value: &Value) -> serde_json::Result<()> {
    *slot = T::deserialize(value)?;
    Ok(())
}

/// The parts of a calibration a draw rebuilds alone: its fields, and the impact data's three
/// parts (the economy alone is larger than the rest of the calibration). A field missing here is
/// still drawn correctly, by rebuilding the whole calibration.
const CALIBRATION_PARTS: &[Part<Calibration>] = &[
    Part {
        pointer: "/population",
        set: |c, v| put(&mut c.population, v),
    },
    Part {
        pointer: "/contacts",
        set: |c, v| put(&mut c.contacts, v),
    },
    Part {
        pointer: "/relative_susceptibility",
        set: |c, v| put(&mut c.relative_susceptibility, v),
    },
    Part {
        pointer: "/asymptomatic_share",
        set: |c, v| put(&mut c.asymptomatic_share, v),
    },
    Part {
        pointer: "/asymptomatic_infectiousness",
        set: |c, v| put(&mut c.asymptomatic_infectiousness, v),
    },
    Part {
        pointer: "/severity",
        set: |c, v| put(&mut c.severity, v),
    },
    Part {
        pointer: "/stays",
        set: |c, v| put(&mut c.stays, v),
    },
    Part {
        pointer: "/capacity",
        set: |c, v| put(&mut c.capacity, v),
    },
    Part {
        pointer: "/life_expectancy",
        set: |c, v| put(&mut c.life_expectancy, v),
    },
    Part {
        pointer: "/impacts/economy",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.economy, v)),
    },
    // The society's four parts apart: a draw of one QALY figure need not read the strains'
    // drivers back. (Parts must not overlap: a whole `/impacts/society` rebuilds the calibration.)
    Part {
        pointer: "/impacts/society/learning",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.society.learning, v)),
    },
    Part {
        pointer: "/impacts/society/mental_health",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.society.mental_health, v)),
    },
    Part {
        pointer: "/impacts/society/loneliness",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.society.loneliness, v)),
    },
    Part {
        pointer: "/impacts/society/postponed_care",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.society.postponed_care, v)),
    },
    Part {
        pointer: "/impacts/groups",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.groups, v)),
    },
];

fn impact_data(
    c: &mut Calibration,
) -> serde_json::Result<&mut crate::inputs::impact_data::ImpactData> {
    c.impacts
        .as_mut()
        .ok_or_else(|| serde::de::Error::custom("no impact data"))
}

/// The parts of a scenario a draw rebuilds alone (see [`CALIBRATION_PARTS`]).
const SCENARIO_PARTS: &[Part<Scenario>] = &[
    Part {
        pointer: "/variant",
        set: |s, v| put(&mut s.variant, v),
    },
    Part {
        pointer: "/seasonality",
        set: |s, v| put(&mut s.seasonality, v),
    },
    Part {
        pointer: "/start_day_of_year",
        set: |s, v| put(&mut s.start_day_of_year, v),
    },
    Part {
        pointer: "/initial",
        set: |s, v| put(&mut s.initial, v),
    },
    Part {
        pointer: "/immunity",
        set: |s, v| put(&mut s.immunity, v),
    },
    Part {
        pointer: "/vaccine",
        set: |s, v| put(&mut s.vaccine, v),
    },
    Part {
        pointer: "/campaigns",
        set: |s, v| put(&mut s.campaigns, v),
    },
    Part {
        pointer: "/behaviour",
        set: |s, v| put(&mut s.behaviour, v),
    },
];

/// The part a pointer lies in (the part's index and the length of its pointer), if any.
fn part_of<T>(table: &[Part<T>], pointer: &str) -> Option<(usize, usize)> {
    table.iter().enumerate().find_map(|(k, part)| {
        let rest = pointer.strip_prefix(part.pointer)?;
        (rest.is_empty() || rest.starts_with('/')).then_some((k, part.pointer.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::distributions::*;
    use super::*;
    use crate::special::{ln_gamma, lower_gamma, normal_cdf};

    #[test]
    fn paths_parse_to_pointers() {
        assert_eq!(
            parse_path("calibration.severity.p_icu_given_admission[3]"),
            Ok((
                Root::Calibration,
                "/severity/p_icu_given_admission/3".into()
            ))
        );
        assert_eq!(
            parse_path("calibration.contacts.home[1][2]"),
            Ok((Root::Calibration, "/contacts/home/1/2".into()))
        );
        assert_eq!(
            parse_path("scenario.campaigns[0].doses_per_day"),
            Ok((Root::Scenario, "/campaigns/0/doses_per_day".into()))
        );
        for bad in [
            "model.r0",
            "scenario",
            "scenario.variant..r0",
            "scenario.x[a]",
            "scenario.x[1",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pointers_find_what_serde_json_finds() {
        let doc = serde_json::to_value(Calibration::netherlands()).unwrap();
        for path in [
            "calibration.severity.p_icu_given_admission[3]",
            "calibration.contacts.home[1][2]",
            "calibration.impacts.society.loneliness.drivers[0].weight",
            "calibration.stays",
            "calibration.severity.p_icu_given_admission[99]",
            "calibration.nothing.here",
            "calibration.stays.ward_days[0]",
        ] {
            let (_, pointer) = parse_path(path).unwrap();
            assert_eq!(at(&doc, &pointer), doc.pointer(&pointer), "{path}");
            let (mut ours, mut theirs) = (doc.clone(), doc.clone());
            assert_eq!(
                apply_at(&mut ours, &pointer, Apply::Scale, 1.5).is_ok(),
                theirs
                    .pointer_mut(&pointer)
                    .is_some_and(|v| scale(v, 1.5).is_ok()),
                "{path}"
            );
            assert_eq!(ours, theirs, "{path}");
        }
        assert_eq!(at(&doc, ""), Some(&doc));
    }

    #[test]
    fn fnv1a_matches_reference_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a("foobar"), 0x85944171f73967e8);
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn special_functions_match_reference_values() {
        // ln Gamma(1/2) = ln sqrt(pi), ln Gamma(10) = ln 9!.
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14));
        assert!(close(ln_gamma(10.0), 362_880f64.ln(), 1e-14));
        // Phi(1.96) and the standard normal quantiles (Abramowitz & Stegun, 26.2).
        assert!(close(normal_cdf(1.96), 0.975_002_104_851_779_5, 1e-14));
        assert!(close(normal_cdf(-1.96), 0.024_997_895_148_220_435, 1e-13));
        assert!(close(normal_quantile(0.975), 1.959_963_984_540_054, 1e-12));
        assert!(close(
            normal_quantile(0.05),
            -1.644_853_626_951_472_2,
            1e-12
        ));
        assert!(close(
            normal_quantile(0.25),
            -0.674_489_750_196_081_7,
            1e-12
        ));
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(close(normal_quantile(1e-10), -6.361_340_902_404_056, 1e-10));
        // I_0.5(2, 3) = 11/16 (binomial sum).
        assert!(close(incomplete_beta(2.0, 3.0, 0.5), 0.6875, 1e-14));
        // P(2, x) = 1 - exp(-x) (1 + x).
        for x in [0.1, 1.0, 3.0, 10.0] {
            assert!(close(
                lower_gamma(2.0, x),
                1.0 - (-x).exp() * (1.0 + x),
                1e-13
            ));
        }
    }

    #[test]
    fn quantiles_have_closed_forms_where_known() {
        let q = |d: Distribution, p: f64| d.quantile(p);
        // Exponential (gamma with shape 1): -scale ln(1 - p).
        for p in [0.05, 0.5, 0.95] {
            let g = Distribution::Gamma {
                shape: 1.0,
                scale: 2.0,
            };
            assert!(close(q(g, p), -2.0 * (1.0 - p).ln(), 1e-12), "{p}");
            // Beta(a, 1): p^(1/a); Beta(1, b): 1 - (1 - p)^(1/b).
            let b = Distribution::Beta {
                alpha: 3.0,
                beta: 1.0,
            };
            assert!(close(q(b, p), p.powf(1.0 / 3.0), 1e-12));
            let b = Distribution::Beta {
                alpha: 1.0,
                beta: 4.0,
            };
            assert!(close(q(b, p), 1.0 - (1.0 - p).powf(0.25), 1e-12));
        }
        let ln = Distribution::Lognormal {
            mu: 0.0,
            sigma: 0.25,
        };
        assert!(close(
            q(ln.clone(), 0.95),
            (0.25 * 1.644_853_626_951_472_2f64).exp(),
            1e-12
        ));
        assert_eq!(q(ln, 0.5), 1.0);
        let u = Distribution::Uniform {
            low: 0.6,
            high: 0.9,
        };
        assert!(close(q(u, 0.05), 0.615, 1e-14));
        let t = Distribution::Triangular {
            low: 0.85,
            mode: 1.0,
            high: 1.15,
        };
        assert!(close(q(t.clone(), 0.5), 1.0, 1e-14));
        assert!(close(q(t, 0.125), 0.925, 1e-14)); // (x - low)^2 / (0.3 x 0.15) = 1/8
        assert_eq!(q(Distribution::Fixed { value: 3.0 }, 0.3), 3.0);
        assert!(q(Distribution::Fixed { value: 3.0 }, 1.5).is_nan());
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        let all = [
            Distribution::Normal {
                mean: 0.8,
                sd: 0.05,
            },
            Distribution::Lognormal {
                mu: 0.1,
                sigma: 0.3,
            },
            Distribution::Beta {
                alpha: 32.0,
                beta: 8.0,
            },
            Distribution::Beta {
                alpha: 0.5,
                beta: 0.7,
            },
            Distribution::Gamma {
                shape: 9.0,
                scale: 1.0 / 9.0,
            },
            Distribution::Gamma {
                shape: 0.4,
                scale: 3.0,
            },
            Distribution::Uniform {
                low: 0.1,
                high: 0.4,
            },
            Distribution::Triangular {
                low: 0.1,
                mode: 0.3,
                high: 0.5,
            },
        ];
        for d in &all {
            let mut last = f64::NEG_INFINITY;
            for k in 1..100 {
                let p = f64::from(k) / 100.0;
                let x = d.quantile(p);
                assert!(x >= last, "{} not increasing at {p}", d.describe());
                assert!(
                    close(d.cdf(x), p, 1e-9),
                    "{} at {p}: cdf {}",
                    d.describe(),
                    d.cdf(x)
                );
                last = x;
            }
        }
    }

    #[test]
    fn truncated_quantiles_stay_within_the_bounds() {
        let p = Parameter {
            path: "scenario.vaccine.infection_efficacy".into(),
            apply: Apply::Set,
            distribution: Distribution::Normal {
                mean: 0.8,
                sd: 0.05,
            },
            truncate: Some(Truncate {
                low: None,
                high: Some(0.8),
            }),
        };
        // Cut at the mean: the median of what is left is the normal's quartile.
        assert!(close(
            p.quantile(0.5),
            0.8 - 0.05 * 0.674_489_750_196_081_7,
            1e-12
        ));
        assert!(p.quantile(0.999_999) <= 0.8);
        let u = Uncertainty::netherlands();
        let q = u.quantiles(&[0.05, 0.5, 0.95]).unwrap();
        assert_eq!(q.len(), u.parameters.len());
        for (row, par) in q.iter().zip(&u.parameters) {
            assert!(row[0] < row[1] && row[1] < row[2], "{}: {row:?}", par.path);
        }
        let err = u.quantiles(&[0.5, 1.0]).unwrap_err().to_string();
        assert!(
            err.contains("quantiles[1]: must lie strictly between 0 and 1"),
            "{err}"
        );
    }

    #[test]
    fn drawn_inputs_are_the_base_inputs_without_any_sources() {
        let cal = Calibration::netherlands();
        let sc = Scenario::preset("centraal").unwrap();
        // With no parameter the base is read back from the bare JSON; with the default ones every
        // calibration and scenario field not drawn keeps its value.
        for unc in [Uncertainty::none(), Uncertainty::netherlands()] {
            let prepared = unc.prepare(&cal, &sc).unwrap();
            let values = unc.draw(7, 0).unwrap();
            let (dcal, dsc) = prepared.inputs(&values).unwrap();
            assert!(dcal.sources.is_empty() && dsc.sources.is_empty());
            assert!(dcal.impacts.as_ref().unwrap().sources.is_empty());
            assert_eq!(dcal.population, cal.population);
            assert_eq!(dcal.contacts, cal.contacts);
            assert_eq!(
                dcal.impacts.as_ref().unwrap().economy,
                cal.impacts.as_ref().unwrap().economy
            );
            assert_eq!(dsc.campaigns, sc.campaigns);
        }
    }

    #[test]
    fn a_draw_rebuilt_part_by_part_is_the_draw_rebuilt_whole() {
        // Every part of both inputs drawn (set, scale, elements, vectors, a matrix), and paths
        // outside the parts (the regions), which fall back to the whole inputs.
        let sc = Scenario::preset("ongunstig").unwrap();
        let mut paths: Vec<(&str, &str)> = vec![
            ("calibration.population", "scale"),
            ("calibration.contacts.home", "scale"),
            ("calibration.relative_susceptibility[2]", "scale"),
            ("calibration.asymptomatic_share", "scale"),
            ("calibration.asymptomatic_infectiousness", "scale"),
            ("calibration.severity.p_death_icu_overflow", "set"),
            ("calibration.stays.ward_days", "scale"),
            ("calibration.capacity.icu_normal", "scale"),
            ("calibration.life_expectancy", "scale"),
            (
                "calibration.impacts.economy.sections[0].value_added",
                "scale",
            ),
            (
                "calibration.impacts.society.learning.sd_per_school_year",
                "scale",
            ),
            (
                "calibration.impacts.society.mental_health.utility_loss",
                "scale",
            ),
            (
                "calibration.impacts.society.loneliness.drivers[0].weight",
                "scale",
            ),
            (
                "calibration.impacts.society.postponed_care.qaly_per_operation",
                "scale",
            ),
            (
                "calibration.impacts.groups.profiles.infection.income_quintile",
                "scale",
            ),
            ("scenario.variant.r0", "scale"),
            ("scenario.seasonality.amplitude", "set"),
            ("scenario.start_day_of_year", "scale"),
            ("scenario.initial.prevalence", "scale"),
            ("scenario.immunity.waning_days", "scale"),
            ("scenario.vaccine.infection_efficacy", "scale"),
            ("scenario.behaviour.fatigue_rate", "scale"),
        ];
        let json = |paths: &[(&str, &str)]| {
            let parameters: Vec<_> = paths
                .iter()
                .map(|(path, apply)| {
                    serde_json::json!({"path": path, "apply": apply,
                        "distribution": {"type": "uniform", "low": 0.9, "high": 0.95}})
                })
                .collect();
            serde_json::json!({ "parameters": parameters }).to_string()
        };
        let mut checked = 0;
        for with_regions in [false, true] {
            let mut previous = None;
            let cal = if with_regions {
                // (Regional populations must add up to the national one: not scaled here.)
                paths.retain(|(p, _)| *p != "calibration.population");
                paths.push(("calibration.regions.mixing.distance_km", "scale"));
                Calibration::netherlands_regions()
            } else {
                Calibration::netherlands()
            };
            let unc = Uncertainty::from_json_str(&json(&paths)).unwrap();
            let prepared = unc.prepare(&cal, &sc).unwrap();
            for draw in 0..5 {
                let values = unc.draw(3, draw).unwrap();
                let whole = prepared.inputs_whole(&values, None).unwrap();
                let by_part = prepared.inputs_by_part(&values, None, None);
                assert_eq!(by_part.is_none(), with_regions);
                assert_eq!(prepared.inputs(&values).unwrap(), whole);
                if let Some(by_part) = by_part {
                    assert_eq!(by_part, whole);
                    checked += 1;
                }
                // Written over the inputs of the draw before, as a sweep's worker does.
                if let Some(last) = previous.take() {
                    assert_eq!(prepared.inputs_reusing(&values, last).unwrap(), whole);
                }
                previous = Some(whole);
            }
        }
        assert_eq!(checked, 5, "every part was drawn");
    }

    #[test]
    fn gamma_reach_brackets_the_mean() {
        let d = Distribution::Gamma {
            shape: 16.0,
            scale: 1.0 / 16.0,
        };
        let [(lo, _), (hi, _)] = d.reach();
        assert!(lo > 0.0 && lo < 0.5 && hi > 1.5 && hi < 3.0, "{lo} {hi}");
    }
}
