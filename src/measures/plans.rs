//! Measures, sector plans and measure ladders (maatregelenladders).
//!
//! Sectors wrote plans that government turned into one ladder per sector, from light prevention
//! rungs to the emergency brake (basis -> preventie -> interventie -> noodrem). A [`Package`] puts
//! every sector on one rung and adds general measures (masks, working from home, curfew...).
//! Measures are named in a catalogue, each mapped to the OxCGRT indicators, so the stringency index
//! of any package can be computed and rungs can only name measures that exist.
//!
//! How a package acts on contacts, per setting `s` (home, school, work, community):
//!
//! ```text
//! m_s   = prod_general kept_s  *  (1 - sum_{sectors in s, all ages} share (1 - kept_rung))
//! f_s,g = sqrt(kept_rung) for the age bands of an age-targeted sector in s (schools), else 1
//! op_gh = sum_s m_s f_s,g f_s,h T^s_gh
//! ```
//!
//! `share` is the part of the setting's contacts that happens in the sector (calibrated in the plans
//! file); `kept` is the share of those contacts (weighted by transmission risk) that a rung leaves.
//! For an age-targeted sector, `kept` applies in full to contacts among its own age bands and its
//! square root to their contacts with others (teachers).

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::epidemic::model::DayEffects;
use crate::error::{from_json, Error, Result};
pub use crate::inputs::calibration::SettingFactors;
use crate::inputs::calibration::{Calibration, Setting};
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;
use crate::measures::stringency::{self, Indicator, Level};

/// A measure in the catalogue, with the OxCGRT indicator levels it implies when in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Key, e.g. `"ventilatie"`, `"sluiting_horeca"`.
    pub name: String,
    pub label: String,
    #[serde(default)]
    pub oxcgrt: BTreeMap<Indicator, Level>,
}

/// One rung of a sector's ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rung {
    /// E.g. `"basis"`, `"preventie"`, `"interventie"`, `"noodrem"`.
    pub name: String,
    /// Names of the measures of this rung (from the catalogue).
    pub measures: Vec<String>,
    /// Share of the sector's contacts (weighted by transmission risk) that remain, 0-1.
    pub contacts_kept: f64,
    /// Share of the sector's normal activity (output) that remains, 0-1.
    pub activity_kept: f64,
    /// Largest number of visitors allowed per venue, if the rung sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_limit: Option<f64>,
}

/// A sector with its ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// Key, e.g. `"horeca"`.
    pub name: String,
    pub label: String,
    /// The contact setting in which the sector's contacts happen.
    pub setting: Setting,
    /// Share of the setting's contacts that happen in this sector (ignored for age-targeted sectors).
    pub contact_share: f64,
    /// Age bands whose contacts in the setting belong to this sector (schools); empty = all.
    #[serde(default)]
    pub ages: Vec<String>,
    /// Rungs from lightest (0) to heaviest.
    pub rungs: Vec<Rung>,
    /// The part of the economy the sector is: share of each NACE section's value added and jobs
    /// (section code -> share, 0-1) whose output follows the rung's `activity_kept`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub economy: BTreeMap<String, f64>,
    /// Pupils or students taught in the sector (persons); when given, the rung's `activity_kept`
    /// is the share of normal learning kept and learning loss is counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pupils: Option<f64>,
}

/// A measure that cuts across sectors (masks, working from home, curfew, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralMeasure {
    pub name: String,
    pub label: String,
    pub measures: Vec<String>,
    /// Share of contacts per setting that remain while the measure is in force.
    #[serde(default)]
    pub contacts_kept: SettingFactors,
    /// Effect on compliance, support and vaccine uptake (behavioural levers; no direct effect on
    /// contacts).
    #[serde(default)]
    pub behaviour: crate::measures::behaviour::LeverEffect,
    /// Cost while in force (EUR/day).
    #[serde(default)]
    pub cost_per_day: f64,
    /// Flanking policy switched on while the measure is in force (its terms are country data, in
    /// the calibration's economy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<Support>,
}

/// A flanking subsidy that a general measure switches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Wage subsidy (NOW): keeps workers on the payroll.
    WageSubsidy,
    /// Fixed-cost subsidy (TVL): pays part of rent and other fixed costs.
    FixedCostSubsidy,
}

/// One rung per sector (unnamed sectors on rung 0) plus general measures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    #[serde(default)]
    pub rungs: BTreeMap<String, usize>,
    #[serde(default)]
    pub general: Vec<String>,
}

/// The sector plans of a country: catalogue, ladders, general measures and named policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorPlans {
    pub measures: Vec<Measure>,
    pub sectors: Vec<Sector>,
    pub general: Vec<GeneralMeasure>,
    /// Named trigger policies (see [`crate::measures::policy`]).
    #[serde(default)]
    pub policies: Vec<crate::measures::policy::TriggerPolicy>,
    /// Preparedness levers ([`crate::measures::preparedness`]), named in a package's `general` list like
    /// general measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preparedness: Option<crate::measures::preparedness::Preparedness>,
    #[serde(default)]
    pub sources: Sources,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/sector_plans.json");

impl SectorPlans {
    /// The trigger policy named `name` (an error naming the valid names when there is none).
    pub fn policy(&self, name: &str) -> Result<crate::measures::policy::TriggerPolicy> {
        self.policies
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| Error::UnknownName {
                field: "policy".into(),
                kind: "policy",
                name: name.into(),
                valid: self.policies.iter().map(|p| p.name.clone()).collect(),
            })
    }

    /// The embedded Dutch sector plans and policies, with the preparedness levers of
    /// `data/netherlands/preparedness.json`.
    pub fn netherlands() -> SectorPlans {
        let mut plans =
            SectorPlans::from_json_str(NETHERLANDS).expect("embedded sector plans are valid");
        plans.preparedness = Some(crate::measures::preparedness::Preparedness::netherlands());
        plans.validate().expect("embedded levers fit the plans");
        plans
    }

    /// A preparedness lever by name.
    pub fn lever(&self, name: &str) -> Option<&crate::measures::preparedness::Lever> {
        self.preparedness.as_ref().and_then(|p| p.lever(name))
    }

    /// Names of the preparedness levers a package names, in its order.
    pub fn levers_of(&self, package: &Package) -> Vec<String> {
        package
            .general
            .iter()
            .filter(|n| self.lever(n).is_some())
            .cloned()
            .collect()
    }

    pub fn from_json_str(text: &str) -> Result<SectorPlans> {
        let plans: SectorPlans = from_json("plans", text)?;
        plans.validate()?;
        Ok(plans)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("plans serialise")
    }

    pub fn sector(&self, name: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.name == name)
    }

    fn general_measure(&self, name: &str) -> Option<&GeneralMeasure> {
        self.general.iter().find(|g| g.name == name)
    }

    fn measure(&self, name: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.name == name)
    }

    /// Checks ranges and names. Incoherent ladders (a higher rung less strict) are not errors
    /// here: the crash test reports them, because real plans contain them.
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in self.measures.iter().enumerate() {
            if !seen.insert(m.name.as_str()) {
                c.fail(
                    format_args!("plans.measures[{i}].name"),
                    "is a duplicate",
                    format!("{:?}", m.name),
                );
            }
            for (indicator, level) in &m.oxcgrt {
                stringency::check_level(
                    &mut c,
                    format_args!("plans.measures[{i}].oxcgrt.{indicator}"),
                    *indicator,
                    level,
                );
            }
        }
        let mut sectors = std::collections::BTreeSet::new();
        for (i, s) in self.sectors.iter().enumerate() {
            let f = format_args!("plans.sectors[{i}]");
            if !sectors.insert(s.name.as_str()) {
                c.fail(
                    format_args!("{f}.name"),
                    "is a duplicate",
                    format!("{:?}", s.name),
                );
            }
            c.share(format_args!("{f}.contact_share"), s.contact_share);
            if s.rungs.is_empty() {
                c.fail(
                    format_args!("{f}.rungs"),
                    "must have at least one rung",
                    "[]".into(),
                );
            }
            for (code, share) in &s.economy {
                c.share(format_args!("{f}.economy.{code}"), *share);
            }
            if let Some(pupils) = s.pupils {
                c.non_negative(format_args!("{f}.pupils"), pupils);
            }
            for (r, rung) in s.rungs.iter().enumerate() {
                c.share(
                    format_args!("{f}.rungs[{r}].contacts_kept"),
                    rung.contacts_kept,
                );
                c.share(
                    format_args!("{f}.rungs[{r}].activity_kept"),
                    rung.activity_kept,
                );
                if let Some(limit) = rung.capacity_limit {
                    c.non_negative(format_args!("{f}.rungs[{r}].capacity_limit"), limit);
                }
            }
        }
        for setting in Setting::ALL {
            let total: f64 = self
                .sectors
                .iter()
                .filter(|s| s.setting == setting && s.ages.is_empty())
                .map(|s| s.contact_share)
                .sum();
            if total > 1.0 + 1e-9 {
                c.fail(
                    format_args!("plans.sectors (setting {})", setting.name()),
                    "contact shares of the sectors in one setting must add up to at most 1",
                    format!("{total}"),
                );
            }
        }
        let mut covered: BTreeMap<&str, f64> = BTreeMap::new();
        for s in &self.sectors {
            for (code, share) in &s.economy {
                *covered.entry(code.as_str()).or_default() += share;
            }
        }
        for (code, total) in covered {
            if total > 1.0 + 1e-9 {
                c.fail(
                    format_args!("plans.sectors (economy section {code})"),
                    "the sectors' shares of one NACE section must add up to at most 1",
                    format!("{total}"),
                );
            }
        }
        for (i, g) in self.general.iter().enumerate() {
            let f = format_args!("plans.general[{i}]");
            g.contacts_kept
                .check_shares(format_args!("{f}.contacts_kept"), &mut c);
            c.finite(
                format_args!("{f}.behaviour.compliance"),
                g.behaviour.compliance,
            );
            c.finite(format_args!("{f}.behaviour.support"), g.behaviour.support);
            c.share(
                format_args!("{f}.behaviour.vaccine_uptake"),
                g.behaviour.vaccine_uptake,
            );
            c.non_negative(format_args!("{f}.cost_per_day"), g.cost_per_day);
        }
        if let Some(prep) = &self.preparedness {
            prep.check("plans.preparedness", &mut c);
            for (i, l) in prep.levers.iter().enumerate() {
                if self.general_measure(&l.name).is_some() {
                    c.fail(
                        format_args!("plans.preparedness.levers[{i}].name"),
                        "is also the name of a general measure",
                        format!("{:?}", l.name),
                    );
                }
            }
        }
        c.unique(
            "plans.policies",
            ".name",
            self.policies.iter().map(|p| p.name.as_str()),
        );
        for (i, p) in self.policies.iter().enumerate() {
            p.check(self, format_args!("plans.policies[{i}]"), &mut c);
        }
        c.finish()
    }

    /// Checks a package against the plans: known sectors, rungs in range, known general measures.
    pub fn check_package(&self, package: &Package, field: impl Display + Copy, c: &mut Checker) {
        for (sector, &rung) in &package.rungs {
            match self.sector(sector) {
                None => c.fail(
                    format_args!("{field}.rungs.{sector}"),
                    format!(
                        "unknown sector; valid: {}",
                        self.sectors
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("{sector:?}"),
                ),
                Some(s) if rung >= s.rungs.len() => c.fail(
                    format_args!("{field}.rungs.{sector}"),
                    match s.rungs.len() {
                        0 => format!("sector {sector} has no rungs"),
                        n => format!("must be between 0 and {} (rungs of {sector})", n - 1),
                    },
                    format!("{rung}"),
                ),
                Some(_) => {}
            }
        }
        // A measure listed twice would be applied twice (its contact effect multiplied in again).
        c.unique(
            format_args!("{field}.general"),
            "",
            package.general.iter().map(String::as_str),
        );
        for (i, name) in package.general.iter().enumerate() {
            if self.general_measure(name).is_none() && self.lever(name).is_none() {
                let levers = self.preparedness.iter().flat_map(|p| &p.levers);
                let what = if self.preparedness.is_some() {
                    "general measure or preparedness lever"
                } else {
                    "general measure"
                };
                c.fail(
                    format_args!("{field}.general[{i}]"),
                    format!(
                        "unknown {what}; valid: {}",
                        self.general
                            .iter()
                            .map(|g| g.name.as_str())
                            .chain(levers.map(|l| l.name.as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("{name:?}"),
                );
            }
        }
    }

    /// A validated package.
    pub fn package(&self, package: Package) -> Result<Package> {
        let mut c = Checker::new();
        self.check_package(&package, "package", &mut c);
        c.finish()?;
        Ok(package)
    }

    /// The rung of every sector under a package, in sector order.
    pub fn rungs_of(&self, package: &Package) -> Vec<usize> {
        self.sectors
            .iter()
            .map(|s| package.rungs.get(&s.name).copied().unwrap_or(0))
            .collect()
    }

    /// The contact effect of a (checked) package for a calibration's age bands.
    pub fn contact_effect(&self, package: &Package, cal: &Calibration) -> Result<DayEffects> {
        let mut effect = DayEffects::none(cal.n_ages());
        let mut reduction = [0.0; 4];
        for (sector, rung) in self.sectors.iter().zip(self.rungs_of(package)) {
            let kept = sector.rungs[rung].contacts_kept;
            let s = sector.setting as usize;
            if sector.ages.is_empty() {
                reduction[s] += sector.contact_share * (1.0 - kept);
            } else {
                for band in &sector.ages {
                    let g = cal
                        .age_bands
                        .iter()
                        .position(|b| b == band)
                        .ok_or_else(|| {
                            Error::Validation(vec![crate::error::FieldError {
                                field: format!("plans.sectors.{}.ages", sector.name),
                                message: format!(
                                    "unknown age band; valid: {}",
                                    cal.age_bands.join(", ")
                                ),
                                value: format!("{band:?}"),
                            }])
                        })?;
                    effect.age[s][g] *= kept.sqrt();
                }
            }
        }
        for (m, r) in effect.setting.iter_mut().zip(reduction) {
            *m = (1.0 - r).max(0.0);
        }
        for name in &package.general {
            if let Some(g) = self.general_measure(name) {
                for (m, k) in effect.setting.iter_mut().zip(g.contacts_kept.to_array()) {
                    *m *= k;
                }
            }
        }
        Ok(effect)
    }

    /// Names of all measures in force under a package (rungs and general measures).
    pub fn measures_in_force<'a>(&'a self, package: &'a Package) -> Vec<&'a str> {
        let mut names: Vec<&str> = self
            .sectors
            .iter()
            .zip(self.rungs_of(package))
            .flat_map(|(s, r)| s.rungs[r].measures.iter().map(String::as_str))
            .collect();
        for g in &package.general {
            if let Some(gm) = self.general_measure(g) {
                names.extend(gm.measures.iter().map(String::as_str));
            }
        }
        names
    }

    /// OxCGRT indicator levels of a package: per indicator the strictest level among the measures
    /// in force (a general flag wins over a targeted one at the same level).
    pub fn oxcgrt_levels(&self, package: &Package) -> BTreeMap<Indicator, Level> {
        let mut levels: BTreeMap<Indicator, Level> = BTreeMap::new();
        for name in self.measures_in_force(package) {
            let Some(measure) = self.measure(name) else {
                continue;
            };
            for (&indicator, &level) in &measure.oxcgrt {
                let entry = levels.entry(indicator).or_insert(level);
                if (level.value, level.flag) > (entry.value, entry.flag) {
                    *entry = level;
                }
            }
        }
        levels
    }

    /// The OxCGRT stringency index (0-100) of a package.
    pub fn stringency(&self, package: &Package) -> f64 {
        stringency::stringency_index(&self.oxcgrt_levels(package))
            .expect("catalogue levels are validated")
    }

    /// The behavioural levers of a package's general measures combined, and their cost (EUR/day).
    pub fn levers(&self, package: &Package) -> (crate::measures::behaviour::LeverEffect, f64) {
        package
            .general
            .iter()
            .filter_map(|name| self.general_measure(name))
            .fold((Default::default(), 0.0), |(effect, cost), g| {
                (effect.combine(g.behaviour), cost + g.cost_per_day)
            })
    }

    /// The flanking subsidies switched on by a list of general measures.
    pub fn support(&self, general: &[String]) -> Vec<Support> {
        let mut on: Vec<Support> = general
            .iter()
            .filter_map(|name| self.general_measure(name))
            .flat_map(|g| g.support.iter().copied())
            .collect();
        on.sort();
        on.dedup();
        on
    }

    /// Share of normal activity each sector keeps under a package, in sector order.
    pub fn activity(&self, package: &Package) -> Vec<f64> {
        self.sectors
            .iter()
            .zip(self.rungs_of(package))
            .map(|(s, r)| s.rungs[r].activity_kept)
            .collect()
    }
}
