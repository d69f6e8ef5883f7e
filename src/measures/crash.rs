//! The crash test (botsproef) of the measure ladders: checks a set of sector plans for incoherence
//! and shows what applies where at each level of each policy, as the cabinet did with
//! municipalities in 2022.
//!
//! Kinds of finding:
//! - `not_monotone`: a ladder whose higher rung is less strict than the rung below (contacts or
//!   activity kept, capacity limit).
//! - `unknown_measure`: a rung or general measure names a measure missing from the catalogue.
//! - `out_of_step`: at one policy level, sectors two or more rungs apart.
//! - `level_regression`: a trigger policy whose higher level is milder than a lower one: a sector
//!   on a lower rung, or a general measure, behavioural lever, flanking support or preparedness
//!   lever (anything named in the package's `general`) in force at the lower level and dropped
//!   at the higher one. Consecutive levels are compared: a regression between any lower and
//!   higher level shows up between some consecutive pair (a rung that falls from level `i` to
//!   `j` falls somewhere between `i` and `j`; a lever in force at `i` and not at `j` is dropped
//!   somewhere between), so no regression is missed and none is reported twice.

use serde::{Deserialize, Serialize};

use crate::measures::plans::SectorPlans;
use crate::measures::policy::TriggerPolicy;

/// One incoherence found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// `not_monotone`, `unknown_measure`, `out_of_step` or `level_regression` (see the module
    /// documentation).
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
                        "sectors {} rungs apart: {} on rung {hi}, {} on rung {lo}",
                        hi - lo,
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
    for policy in &plans.policies {
        level_regressions(plans, policy, &mut findings);
    }
    CrashTest { findings, table }
}

/// What a name in a package's `general` list is, for messages.
fn general_kind(plans: &SectorPlans, name: &str) -> &'static str {
    if plans.lever(name).is_some() {
        return "preparedness lever";
    }
    match plans.general.iter().find(|g| g.name == name) {
        Some(g) if g.behaviour != Default::default() => "behavioural lever",
        Some(g) if !g.support.is_empty() && g.contacts_kept == Default::default() => {
            "flanking support"
        }
        _ => "general measure",
    }
}

/// `level_regression` findings of one trigger policy: for each pair of consecutive levels, every
/// sector on a lower rung at the higher level, and every general measure or lever in force at the
/// lower level but not at the higher one.
fn level_regressions(plans: &SectorPlans, policy: &TriggerPolicy, findings: &mut Vec<Finding>) {
    for pair in policy.levels.windows(2) {
        let (lower, higher) = (&pair[0], &pair[1]);
        let location = format!("policy {} level {}", policy.name, higher.name);
        let below = plans.rungs_of(&lower.package);
        let above = plans.rungs_of(&higher.package);
        for ((sector, &lo), &hi) in plans.sectors.iter().zip(&below).zip(&above) {
            if hi < lo {
                findings.push(Finding {
                    kind: "level_regression".into(),
                    location: location.clone(),
                    message: format!(
                        "policy {}: sector {} is on rung {hi} ({}) at level {}, milder than \
                         rung {lo} ({}) at the lower level {}",
                        policy.name,
                        sector.name,
                        sector.rungs[hi].name,
                        higher.name,
                        sector.rungs[lo].name,
                        lower.name
                    ),
                });
            }
        }
        for name in &lower.package.general {
            if !higher.package.general.contains(name) {
                findings.push(Finding {
                    kind: "level_regression".into(),
                    location: location.clone(),
                    message: format!(
                        "policy {}: {} {name} is in force at level {} but dropped at the higher \
                         level {}",
                        policy.name,
                        general_kind(plans, name),
                        lower.name,
                        higher.name
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::plans::Package;

    fn package(rungs: &[(&str, usize)], general: &[&str]) -> Package {
        Package {
            rungs: rungs.iter().map(|(s, r)| (s.to_string(), *r)).collect(),
            general: general.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn regressions(plans: &SectorPlans) -> Vec<Finding> {
        crash_test(plans)
            .findings
            .into_iter()
            .filter(|f| f.kind == "level_regression")
            .collect()
    }

    /// A policy built to regress on the Dutch ladders: from `laag` to `midden` horeca falls from
    /// interventie (2) to preventie (1) and the communication campaign, working from home and the
    /// ICU scale-up are dropped; from `midden` to `hoog` everything rises again, so the only
    /// findings are at `midden`, and a regression between `laag` and `hoog` that is not there
    /// between consecutive levels cannot occur.
    #[test]
    fn a_regressing_policy_is_found() {
        let mut plans = SectorPlans::netherlands();
        let mut policy = plans.policies[0].clone();
        policy.name = "regressie".into();
        policy.levels.truncate(3);
        let names = ["laag", "midden", "hoog"];
        let packages = [
            package(
                &[("horeca", 2), ("sport", 1)],
                &[
                    "thuiswerken",
                    "communicatiecampagne",
                    "icu_opschaling_1700",
                    "loonkostensubsidie_now",
                ],
            ),
            package(&[("horeca", 1), ("sport", 1)], &["loonkostensubsidie_now"]),
            package(
                &[("horeca", 3), ("sport", 2)],
                &[
                    "thuiswerken",
                    "communicatiecampagne",
                    "icu_opschaling_1700",
                    "loonkostensubsidie_now",
                ],
            ),
        ];
        for ((level, name), p) in policy.levels.iter_mut().zip(names).zip(packages) {
            level.name = name.into();
            level.package = p;
        }
        plans.policies = vec![policy];
        plans.validate().unwrap();
        let found = regressions(&plans);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "policy regressie: sector horeca is on rung 1 (preventie) at level midden, \
                 milder than rung 2 (interventie) at the lower level laag",
                "policy regressie: general measure thuiswerken is in force at level laag but \
                 dropped at the higher level midden",
                "policy regressie: behavioural lever communicatiecampagne is in force at level \
                 laag but dropped at the higher level midden",
                "policy regressie: preparedness lever icu_opschaling_1700 is in force at level \
                 laag but dropped at the higher level midden",
            ],
            "{found:#?}"
        );
        assert!(found
            .iter()
            .all(|f| f.location == "policy regressie level midden"));
    }

    #[test]
    fn flanking_support_dropped_is_named_as_such() {
        let mut plans = SectorPlans::netherlands();
        let mut policy = plans.policies[1].clone();
        policy.levels[1]
            .package
            .general
            .retain(|g| g != "vaste_lasten_tvl");
        plans.policies = vec![policy];
        let found = regressions(&plans);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0]
            .message
            .contains("flanking support vaste_lasten_tvl is in force at level licht"));
    }

    /// The embedded Dutch policies escalate monotonically: no level is milder than the one below.
    #[test]
    fn the_dutch_policies_do_not_regress() {
        let plans = SectorPlans::netherlands();
        assert!(!plans.policies.is_empty());
        let found = regressions(&plans);
        assert!(found.is_empty(), "{found:#?}");
    }
}
