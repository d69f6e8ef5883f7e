//! The crash test (botsproef) of the measure ladders: checks a set of sector plans for incoherence
//! and shows what applies where at each level of each policy, as the cabinet did with
//! municipalities in 2022.

use serde::{Deserialize, Serialize};

use crate::measures::plans::SectorPlans;

/// One incoherence found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// `not_monotone`, `unknown_measure` or `out_of_step`.
    pub kind: String,
    /// Where: sector and rung, or policy and level.
    pub location: String,
    pub message: String,
}

/// What applies in one sector at one policy level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applies {
    pub policy: String,
    pub level: String,
    pub sector: String,
    pub rung: usize,
    pub rung_name: String,
    pub measures: Vec<String>,
    pub contacts_kept: f64,
    pub activity_kept: f64,
}

/// Findings and the table of what applies where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrashTest {
    pub findings: Vec<Finding>,
    pub table: Vec<Applies>,
}

/// Sectors at one level whose rungs differ by at least this many steps are out of step.
const OUT_OF_STEP_RUNGS: usize = 2;

/// Runs the crash test over all ladders, general measures and named policies.
pub fn crash_test(plans: &SectorPlans) -> CrashTest {
    let mut findings = Vec::new();
    let known = |name: &str| plans.measures.iter().any(|m| m.name == name);
    for sector in &plans.sectors {
        for (r, pair) in sector.rungs.windows(2).enumerate() {
            let (lower, higher) = (&pair[0], &pair[1]);
            for (what, low, high) in [
                ("contacts_kept", lower.contacts_kept, higher.contacts_kept),
                ("activity_kept", lower.activity_kept, higher.activity_kept),
            ] {
                if high > low {
                    findings.push(Finding {
                        kind: "not_monotone".into(),
                        location: format!("{} rung {} ({})", sector.name, r + 1, higher.name),
                        message: format!(
                            "{what} {high} is less strict than {low} on the rung below ({})",
                            lower.name
                        ),
                    });
                }
            }
            if let (Some(low), Some(high)) = (lower.capacity_limit, higher.capacity_limit) {
                if high > low {
                    findings.push(Finding {
                        kind: "not_monotone".into(),
                        location: format!("{} rung {} ({})", sector.name, r + 1, higher.name),
                        message: format!(
                            "capacity_limit {high} allows more visitors than {low} on the rung below"
                        ),
                    });
                }
            }
        }
        for (r, rung) in sector.rungs.iter().enumerate() {
            for m in rung.measures.iter().filter(|m| !known(m)) {
                findings.push(Finding {
                    kind: "unknown_measure".into(),
                    location: format!("{} rung {r} ({})", sector.name, rung.name),
                    message: format!("measure {m:?} is not in the catalogue"),
                });
            }
        }
    }
    for general in &plans.general {
        for m in general.measures.iter().filter(|m| !known(m)) {
            findings.push(Finding {
                kind: "unknown_measure".into(),
                location: format!("general measure {}", general.name),
                message: format!("measure {m:?} is not in the catalogue"),
            });
        }
    }
    let mut table = Vec::new();
    for policy in &plans.policies {
        for level in &policy.levels {
            let rungs = plans.rungs_of(&level.package);
            let (lo, hi) = (
                rungs.iter().min().copied().unwrap_or(0),
                rungs.iter().max().copied().unwrap_or(0),
            );
            if hi - lo >= OUT_OF_STEP_RUNGS {
                let named = |r: usize| {
                    plans
                        .sectors
                        .iter()
                        .zip(&rungs)
                        .filter(|(_, &x)| x == r)
                        .map(|(s, _)| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                findings.push(Finding {
                    kind: "out_of_step".into(),
                    location: format!("policy {} level {}", policy.name, level.name),
                    message: format!(
                        "sectors {hi} rungs apart: {} on rung {hi}, {} on rung {lo}",
                        named(hi),
                        named(lo)
                    ),
                });
            }
            for (sector, &r) in plans.sectors.iter().zip(&rungs) {
                let rung = &sector.rungs[r];
                table.push(Applies {
                    policy: policy.name.clone(),
                    level: level.name.clone(),
                    sector: sector.name.clone(),
                    rung: r,
                    rung_name: rung.name.clone(),
                    measures: rung.measures.clone(),
                    contacts_kept: rung.contacts_kept,
                    activity_kept: rung.activity_kept,
                });
            }
        }
    }
    CrashTest { findings, table }
}
