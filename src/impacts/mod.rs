//! The four dimensions of the reference framework, computed from a run alone: each a set of
//! indicators in natural units, each split over the groups that bear it. One file per dimension:
//!
//! - [`virus_spread`]: infections, hospital and ICU admissions, deaths, life years lost, bed-days;
//! - [`socio_economic`]: value added lost, unemployment, bankruptcies, households in problematic
//!   debt, fiscal cost of flanking policy, the cost of the levers;
//! - [`societal`]: learning loss and lifetime earnings, mental health, loneliness, postponed
//!   regular care (operations not performed and the health lost);
//!   ([`dated_economy`] records the economy of a dated run by day, with the support schemes, and
//!   [`debt_restructuring`] the admissions to statutory debt restructuring that lag its
//!   unemployment);
//! - [`behavioural`]: compliance, support, fatigue, voluntary distancing (means over the run).
//!
//! Every indicator is listed once, with its unit and description, in the [`catalogue`]; the split
//! over groups and the inequality between them are in [`distribution`]; [`regional`] prices the
//! measures where and when they applied (per region of a regional run) and splits the indicators
//! by region.

mod adaptation;
pub mod behavioural;
pub mod catalogue;
pub mod dated_economy;
pub mod debt_restructuring;
pub mod distribution;
mod firms;
pub mod input_output;
pub mod labour_market;
pub mod regional;
pub mod societal;
pub mod socio_economic;
pub mod virus_spread;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::validate::Checker;
use crate::measures::preparedness::outcome as preparedness_outcome;
use crate::run::Run;
use distribution::Builder;
use regional::{Area, Levels, Priced};
use virus_spread::BedDays;

pub use crate::inputs::impact_data::ImpactData;
pub use catalogue::{Entry, CATALOGUE};
pub use distribution::Inequality;

/// The dimension of the reference framework an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    VirusSpread,
    SocioEconomic,
    Societal,
    Behavioural,
}

/// How an indicator's groups relate to its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The groups add up to the total (persons, EUR, QALYs).
    Sum,
    /// Each group holds its mean per person; the population-weighted mean of the groups is the
    /// total.
    Mean,
    /// A figure for the whole population only (a peak, a count of days).
    Whole,
}

/// One indicator of one dimension, in natural units, with its split over groups; its name, unit,
/// description and aggregate are those of its [`catalogue`] entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub dimension: Dimension,
    pub name: String,
    pub unit: String,
    pub description: String,
    pub aggregate: Aggregate,
    pub total: f64,
    /// Per grouping (`age_band`, `income_quintile`, `education`, `section`): value per group.
    pub by_group: BTreeMap<String, Vec<f64>>,
    /// Per grouping, for [`Aggregate::Sum`] indicators: inequality of the burden per person.
    pub inequality: BTreeMap<String, Inequality>,
}

/// A grouping as the results use it: labels and the persons in each group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupingInfo {
    pub name: String,
    pub labels: Vec<String>,
    /// Persons per group (workers for sections).
    pub population: Vec<f64>,
    pub ordered: bool,
}

/// Daily series behind the indicators, for plots.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DailyImpacts {
    /// Value added lost (EUR/day).
    pub value_added_lost: Vec<f64>,
    /// Extra unemployed (persons).
    pub unemployed: Vec<f64>,
    /// Population share with excess poor mental health, and with excess loneliness.
    pub mental_health: Vec<f64>,
    pub loneliness: Vec<f64>,
    /// Operations not performed while COVID-19 patients occupied beds (operations/day).
    #[serde(default)]
    pub operations_postponed: Vec<f64>,
}

/// The four dimensions of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impacts {
    pub groupings: Vec<GroupingInfo>,
    pub indicators: Vec<Indicator>,
    pub daily: DailyImpacts,
    /// Cost per lever and displaced care of the preparedness levers, when the policy names any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preparedness: Option<crate::measures::preparedness::PreparednessOutcome>,
    /// The economy by day of a national dated run when the economy has `dated` parameters:
    /// not computed with the impacts but when asked for ([`economy_by_day`]); a run's JSON
    /// carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economy: Option<dated_economy::EconomyByDay>,
}

impl Impacts {
    pub fn get(&self, name: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.name == name)
    }

    /// Checks impacts read back from JSON (a pickled run) of a run of `days` days, as
    /// [`Run::check`] does the trajectory: groupings with one population per label; indicators of
    /// the [`catalogue`], each once and as the catalogue has it, split over the groupings with
    /// one value per group; one value per day in each daily series; every number finite. A
    /// tampered record is refused here instead of giving wrong tables or failing later.
    pub fn check(&self, days: usize, c: &mut Checker) {
        let names = self.groupings.iter().map(|g| g.name.as_str());
        c.unique("run.impacts.groupings", ".name", names);
        let mut groups = BTreeMap::new();
        for (i, g) in self.groupings.iter().enumerate() {
            let field = format!("run.impacts.groupings[{i}].population");
            if c.length(&field, g.population.len(), g.labels.len(), "label") {
                c.each(field.as_str(), &g.population, Checker::non_negative);
            }
            groups.insert(g.name.as_str(), g.labels.len());
        }
        let names = self.indicators.iter().map(|x| x.name.as_str());
        c.unique("run.impacts.indicators", ".name", names);
        for (i, x) in self.indicators.iter().enumerate() {
            let field = format!("run.impacts.indicators[{i}]");
            match catalogue::entry(&x.name) {
                None => c.fail(
                    format_args!("{field}.name"),
                    "is not an indicator of the catalogue",
                    format!("{:?}", x.name),
                ),
                Some(e) if (e.dimension, e.aggregate, e.unit) != (x.dimension, x.aggregate, &x.unit) => {
                    c.fail(
                        &field,
                        format!(
                            "must have the catalogue's dimension, aggregate and unit ({:?}, {:?}, {})",
                            e.dimension, e.aggregate, e.unit
                        ),
                        format!("{:?}, {:?}, {}", x.dimension, x.aggregate, x.unit),
                    )
                }
                Some(_) => {}
            }
            c.finite(format_args!("{field}.total"), x.total);
            for (grouping, values) in &x.by_group {
                let at = format!("{field}.by_group.{grouping}");
                match groups.get(grouping.as_str()) {
                    None => c.fail(&at, "is not a grouping of the impacts", String::new()),
                    Some(&n) => {
                        if c.length(&at, values.len(), n, "group") {
                            c.each(at.as_str(), values, |c, f, v| {
                                c.finite(f, v);
                            });
                        }
                    }
                }
            }
            for (grouping, inequality) in &x.inequality {
                let at = format!("{field}.inequality.{grouping}");
                if !groups.contains_key(grouping.as_str()) {
                    c.fail(&at, "is not a grouping of the impacts", String::new());
                }
                for v in [inequality.ratio, inequality.concentration_index] {
                    c.finite(&at, v.unwrap_or(0.0));
                }
            }
        }
        let d = &self.daily;
        for (name, series) in [
            ("value_added_lost", &d.value_added_lost),
            ("unemployed", &d.unemployed),
            ("mental_health", &d.mental_health),
            ("loneliness", &d.loneliness),
            ("operations_postponed", &d.operations_postponed),
        ] {
            if name == "operations_postponed" && series.is_empty() {
                continue; // impacts pickled before the series existed
            }
            let field = format!("run.impacts.daily.{name}");
            if c.length(&field, series.len(), days, "day") {
                c.each(field.as_str(), series, |c, f, v| {
                    c.finite(f, v);
                });
            }
        }
        if let Some(p) = &self.preparedness {
            let levers = p.levers.len();
            let field = "run.impacts.preparedness";
            c.length(format_args!("{field}.cost"), p.cost.len(), levers, "lever");
            let ordered = p.days_ordered.len();
            c.length(
                format_args!("{field}.days_ordered"),
                ordered,
                levers,
                "lever",
            );
            let active = p.days_active.len();
            c.length(format_args!("{field}.days_active"), active, levers, "lever");
            let numbers = p
                .cost
                .iter()
                .chain([&p.displaced_icu_bed_days, &p.displaced_ward_bed_days]);
            if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
                c.fail(field, "every number must be finite", bad.to_string());
            }
        }
        if let Some(e) = &self.economy {
            let field = "run.impacts.economy";
            if let Some(w) = &e.wsnp {
                let field = "run.impacts.economy.wsnp.admissions";
                if c.length(field, w.admissions.len(), days, "day") {
                    c.each(field, &w.admissions, Checker::non_negative);
                }
            }
            let sections = e.sections.len();
            let normal = e.normal_value_added.len();
            c.length(
                format_args!("{field}.normal_value_added"),
                normal,
                sections,
                "section",
            );
            let value_added = format_args!("{field}.value_added");
            c.rows(value_added, &e.value_added, days, sections, "sections");
            let per_day = [
                ("unemployment_rate", &e.unemployment_rate),
                ("unemployed", &e.unemployed),
                ("bankruptcies", &e.bankruptcies),
                ("lost_tax", &e.lost_tax),
            ];
            let schemes = e.schemes.iter().map(|(k, v)| (k.as_str(), v));
            let classes = e.bankruptcies_by_class.iter().map(|(k, v)| (k.as_str(), v));
            for (name, series) in per_day.into_iter().chain(schemes).chain(classes) {
                c.length(format_args!("{field}.{name}"), series.len(), days, "day");
            }
            let numbers = e
                .normal_value_added
                .iter()
                .chain(e.value_added.iter().flatten());
            let numbers = numbers
                .chain(per_day.iter().flat_map(|(_, s)| s.iter()))
                .chain(e.schemes.values().flatten())
                .chain(e.bankruptcies_by_class.values().flatten())
                .chain(e.normal_bankruptcies_by_class.values())
                .chain([&e.normal_bankruptcies, &e.trend_growth]);
            if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
                c.fail(field, "every number must be finite", bad.to_string());
            }
        }
    }
}

/// The name of the grouping by safety region (regional runs only).
pub const REGION: &str = "region";

/// The economy by day of a dated national run ([`dated_economy`]) with the admissions to debt
/// restructuring that follow its unemployment ([`debt_restructuring`], when the society data
/// has them), or `None` when the run is
/// undated or regional or the calibration has no `impacts.economy.dated`. Not part of
/// [`compute`]: it costs about as much as the other impacts together, and only the backtest of
/// the record reads it, so it is computed when asked for (`run.impacts.economy` in Python).
pub fn economy_by_day(cal: &Calibration, run: &Run) -> Result<Option<dated_economy::EconomyByDay>> {
    let Some(data) = &cal.impacts else {
        return Ok(None);
    };
    let (Some(dated), Some(start), true) =
        (&data.economy.dated, run.start_date, run.regions.is_empty())
    else {
        return Ok(None);
    };
    let levels = Levels::of(run)?;
    let applied = socio_economic::Applied::of(&data.economy, &levels, run, &cal.population)?;
    let areas = Area::of(run, &cal.population);
    let [country] = areas.as_slice() else {
        return Ok(None);
    };
    // The planned operations displaced per day: the same series as the societal module's.
    let operations = societal::operations_by_day(&data.society.postponed_care, &BedDays::of(run));
    let mut economy = dated_economy::by_day(
        &data.economy,
        dated,
        &applied,
        country,
        run,
        cal.population.iter().sum(),
        start,
        &operations,
    );
    economy.wsnp = (data.society.debt_restructuring.as_ref()).map(|p| {
        debt_restructuring::by_day(
            p,
            dated.unemployment_rate,
            economy.start_date,
            &economy.unemployment_rate,
        )
    });
    Ok(Some(economy))
}

/// A run with its four dimensions: what valuation, the checklist and the assessment read. It
/// dereferences to its [`Run`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub run: Run,
    /// The four dimensions, when the calibration has impact data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impacts: Option<Impacts>,
}

impl Outcome {
    /// Checks an outcome read back from JSON: its run ([`Run::check`]), then its impacts
    /// ([`Impacts::check`]).
    pub fn check(&self) -> Result<()> {
        self.run.check()?;
        let mut c = Checker::new();
        if let Some(impacts) = &self.impacts {
            impacts.check(self.days(), &mut c);
        }
        c.finish()
    }
}

impl std::ops::Deref for Outcome {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

/// A run with its impacts, computed when the calibration has impact data.
pub fn outcome(cal: &Calibration, run: Run) -> Result<Outcome> {
    let impacts = match cal.impacts {
        Some(_) => Some(compute(cal, &run)?),
        None => None,
    };
    Ok(Outcome { run, impacts })
}

/// Computes the four dimensions of a run, from the run alone: for a regional run the measures
/// are priced region by region, where and when they applied, and summed.
pub fn compute(cal: &Calibration, run: &Run) -> Result<Impacts> {
    let data = cal.impacts.as_ref().ok_or_else(|| {
        Error::field(
            "calibration.impacts".into(),
            "is missing: impacts need the economy, society and groups data (Calibration.netherlands() has them)".into(),
            "null".into(),
        )
    })?;
    let (economy, society, population) = (&data.economy, &data.society, &cal.population);

    // What the policy applied at each level, and the level in force where: the whole country for
    // the national model, every region for a regional one. Each area is priced on its own.
    let levels = Levels::of(run)?;
    let applied = socio_economic::Applied::of(economy, &levels, run, population)?;
    let schools = societal::Schools::of(&levels, run, population);
    let areas = Area::of(run, population);
    let per_area: Vec<Priced> = areas
        .iter()
        .map(|area| Priced {
            econ: applied.outcome(economy, area),
            soc: schools.outcome(society, area),
        })
        .collect();
    let Priced { econ, mut soc } = regional::combine(&per_area, &areas);
    let pupils = schools.pupils(cal, society, &areas, &per_area);
    let beds = BedDays::of(run);
    // The preparedness levers' cost, and the regular care displaced by the beds they opened.
    let prep = run
        .preparedness
        .as_ref()
        .map(|record| preparedness_outcome(record, run));
    soc.operations_postponed =
        societal::operations_postponed(&society.postponed_care, &beds, prep.as_ref());
    soc.postponed_care_qalys = soc.operations_postponed * society.postponed_care.qaly_per_operation;

    let mut b = Builder::new(cal, data);
    virus_spread::push(&mut b, run, &cal.life_expectancy, &beds);
    socio_economic::push(&mut b, economy, &econ, prep.as_ref(), run);
    societal::push(&mut b, society, &soc, &pupils, prep.as_ref());
    behavioural::push(&mut b, run, population);
    if !run.regions.is_empty() {
        let (societal_exact, means) =
            societal::by_region(society, run, &areas, &per_area, &pupils, prep.as_ref());
        let exact = virus_spread::by_region(run, &cal.life_expectancy)
            .into_iter()
            .chain(socio_economic::by_region(economy, &per_area))
            .chain(societal_exact)
            .collect();
        regional::by_region(run, exact, means.into_iter().collect(), &mut b);
    }

    Ok(Impacts {
        preparedness: prep,
        economy: None,
        groupings: b.groupings,
        indicators: b.indicators,
        daily: DailyImpacts {
            value_added_lost: econ.daily_value_added_lost,
            unemployed: econ.daily_unemployed,
            mental_health: soc.daily_mental_health,
            loneliness: soc.daily_loneliness,
            operations_postponed: societal::operations_by_day(&society.postponed_care, &beds),
        },
    })
}
