//! The indicator catalogue: every indicator the impacts produce, once, with its dimension, unit,
//! description and how its groups relate to its total. [`compute`](super::compute) takes each
//! indicator's metadata from here (an indicator names only itself and its values), in the order
//! of this table; whatever else lists indicators (sweeps, the Python layer, the docs) can read the
//! same entries.
//!
//! Some indicators are there only when the run has what they measure: `lever_cost` and the
//! behavioural ones need a behavioural model (the scenario's), and
//! `postponed_care_qalys_lost_to_scale_up` needs preparedness levers in the policy, and
//! `catch_up_cost` a policy that funds the catch-up programme for pupils, and
//! `wellbeing_support_cost` one that funds a flanking programme for wellbeing.

use serde::Serialize;

use super::Aggregate::{self, Mean, Sum, Whole};
use super::Dimension::{self, Behavioural, Societal, SocioEconomic, VirusSpread};

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Key, e.g. `"value_added_lost"`.
    pub name: &'static str,
    pub dimension: Dimension,
    /// How the indicator's groups relate to its total.
    pub aggregate: Aggregate,
    /// Natural unit, e.g. `"EUR"`, `"persons"`, `"QALY"`.
    pub unit: &'static str,
    pub description: &'static str,
}

const fn indicator(
    name: &'static str,
    dimension: Dimension,
    aggregate: Aggregate,
    unit: &'static str,
    description: &'static str,
) -> Entry {
    Entry {
        name,
        dimension,
        aggregate,
        unit,
        description,
    }
}

/// Every indicator of the four dimensions, in the order a run's impacts list them.
pub const CATALOGUE: &[Entry] = &[
    // Virus spread.
    indicator(
        "infections",
        VirusSpread,
        Sum,
        "persons",
        "infections, reinfections included",
    ),
    indicator(
        "hospital_admissions",
        VirusSpread,
        Sum,
        "persons",
        "hospital admissions (ward and ICU)",
    ),
    indicator(
        "icu_admissions",
        VirusSpread,
        Sum,
        "persons",
        "ICU admissions",
    ),
    indicator("deaths", VirusSpread, Sum, "persons", "deaths in hospital"),
    indicator(
        "life_years_lost",
        VirusSpread,
        Sum,
        "years",
        "life years lost to deaths (undiscounted)",
    ),
    indicator(
        "hospital_bed_days",
        VirusSpread,
        Sum,
        "patient-days",
        "COVID-19 patient-days in clinical beds",
    ),
    indicator(
        "icu_bed_days",
        VirusSpread,
        Sum,
        "patient-days",
        "COVID-19 patient-days in ICU",
    ),
    indicator(
        "peak_icu_occupancy",
        VirusSpread,
        Whole,
        "persons",
        "highest number of COVID-19 patients in ICU",
    ),
    indicator(
        "days_icu_above_scaled",
        VirusSpread,
        Whole,
        "days",
        "days with more ICU patients than scaled-up ICU beds",
    ),
    // Socio-economic.
    indicator(
        "value_added_lost",
        SocioEconomic,
        Sum,
        "EUR",
        "gross value added lost (measures and fear-driven demand loss)",
    ),
    indicator(
        "value_added_lost_to_measures",
        SocioEconomic,
        Sum,
        "EUR",
        "value added lost to closures and capacity limits",
    ),
    indicator(
        "value_added_lost_to_fear",
        SocioEconomic,
        Sum,
        "EUR",
        "value added lost to fear-driven demand loss",
    ),
    indicator(
        "unemployment",
        SocioEconomic,
        Sum,
        "person-years",
        "extra unemployment",
    ),
    indicator(
        "bankruptcies",
        SocioEconomic,
        Sum,
        "firms",
        "extra bankruptcies (groups: by the workers of the sections)",
    ),
    indicator(
        "households_in_debt",
        SocioEconomic,
        Sum,
        "households",
        "households entering problematic debt (debt restructuring)",
    ),
    indicator(
        "wage_subsidy_cost",
        SocioEconomic,
        Sum,
        "EUR",
        "wage subsidy paid (NOW)",
    ),
    indicator(
        "fixed_cost_subsidy_cost",
        SocioEconomic,
        Sum,
        "EUR",
        "fixed-cost subsidy paid (TVL)",
    ),
    indicator(
        "fiscal_cost",
        SocioEconomic,
        Sum,
        "EUR",
        "fiscal cost of flanking policy (both subsidies)",
    ),
    indicator(
        "preparedness_cost",
        SocioEconomic,
        Whole,
        "EUR",
        "cost of preparedness levers (scale-up, care at home, testing, vaccination capacity)",
    ),
    indicator(
        "peak_unemployment_rate",
        SocioEconomic,
        Whole,
        "share of labour force",
        "highest extra unemployment as a share of the labour force",
    ),
    indicator(
        "lever_cost",
        SocioEconomic,
        Whole,
        "EUR",
        "cost of behavioural levers",
    ),
    // Societal.
    indicator(
        "school_years_lost",
        Societal,
        Sum,
        "pupil-years",
        "school years of learning lost",
    ),
    indicator(
        "learning_loss",
        Societal,
        Mean,
        "SD",
        "mean learning loss per pupil (standard deviations of test scores)",
    ),
    indicator(
        "lifetime_earnings_lost",
        Societal,
        Sum,
        "EUR",
        "present value of the lifetime earnings lost to learning loss",
    ),
    indicator(
        "catch_up_cost",
        Societal,
        Whole,
        "EUR",
        "cost of the catch-up programme for pupils (flanking policy), when the policy funds it",
    ),
    indicator(
        "wellbeing_support_cost",
        Societal,
        Whole,
        "EUR",
        "cost of the flanking programmes for wellbeing (young people, the vulnerable), when the policy funds them",
    ),
    indicator(
        "mental_health_person_years",
        Societal,
        Sum,
        "person-years",
        "excess person-years of poor mental health",
    ),
    indicator(
        "mental_health_qalys_lost",
        Societal,
        Sum,
        "QALY",
        "QALYs lost to poor mental health",
    ),
    indicator(
        "loneliness_person_years",
        Societal,
        Sum,
        "person-years",
        "excess person-years of emotional loneliness",
    ),
    indicator(
        "loneliness_qalys_lost",
        Societal,
        Sum,
        "QALY",
        "QALYs lost to loneliness",
    ),
    indicator(
        "operations_postponed",
        Societal,
        Sum,
        "operations",
        "planned operations not performed while COVID-19 patients occupied hospital and ICU beds, or scaled-up beds stood empty",
    ),
    indicator(
        "postponed_care_qalys_lost",
        Societal,
        Sum,
        "QALY",
        "QALYs lost to regular care displaced by COVID-19 patients",
    ),
    indicator(
        "postponed_care_qalys_lost_to_scale_up",
        Societal,
        Sum,
        "QALY",
        "of the QALYs lost to postponed care: regular care displaced by scaled-up beds left empty",
    ),
    // Behavioural.
    indicator(
        "compliance",
        Behavioural,
        Mean,
        "share",
        "mean compliance with measures (0-1)",
    ),
    indicator(
        "support",
        Behavioural,
        Mean,
        "share",
        "mean support for measures (0-1)",
    ),
    indicator("fatigue", Behavioural, Mean, "share", "mean fatigue (0-1)"),
    indicator(
        "days_support_below_half",
        Behavioural,
        Whole,
        "days",
        "days on which support for measures was below one half",
    ),
    indicator(
        "effectiveness_lost",
        Behavioural,
        Whole,
        "share",
        "mean share of the measures' effect lost through non-compliance",
    ),
    indicator(
        "peak_voluntary_reduction",
        Behavioural,
        Whole,
        "share",
        "highest voluntary contact reduction (population mean)",
    ),
];

/// The catalogue entry of the indicator `name`.
pub fn entry(name: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.name == name)
}

/// The catalogue entry of `name`, found at compile time where it is used in a constant (a name
/// missing from the catalogue then fails the build).
pub const fn known(name: &str) -> &'static Entry {
    let mut i = 0;
    while i < CATALOGUE.len() {
        let (a, b) = (CATALOGUE[i].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return &CATALOGUE[i];
            }
        }
        i += 1;
    }
    panic!("not an indicator of the impacts catalogue")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::inputs::calibration::Calibration;
    use crate::inputs::scenario::Scenario;
    use crate::measures::plans::SectorPlans;
    use crate::measures::policy::Policy;

    #[test]
    fn names_are_unique() {
        let names: BTreeSet<&str> = CATALOGUE.iter().map(|e| e.name).collect();
        assert_eq!(names.len(), CATALOGUE.len());
    }

    /// A regional run under a regional trigger policy whose every level names the preparedness
    /// levers, a behavioural lever, both subsidies, the catch-up programme and a flanking programme
    /// for wellbeing, with the scenario's behaviour, makes every indicator of the catalogue, in its
    /// order and with its metadata, and no other.
    #[test]
    fn a_run_with_every_lever_makes_exactly_the_catalogue() {
        let cal = Calibration::netherlands_regions();
        let plans = SectorPlans::netherlands();
        let mut policy = plans.policy("signal-values").unwrap();
        policy.regional = true;
        for level in &mut policy.levels {
            for name in [
                "icu_opschaling_1700",
                "zorg_thuis",
                "communicatiecampagne",
                "loonkostensubsidie_now",
                "vaste_lasten_tvl",
                "nationaal_programma_onderwijs",
                "steunpakket_jeugd",
            ] {
                // Once each: a name listed twice is refused (issue 21, defect 9).
                if !level.package.general.iter().any(|g| g == name) {
                    level.package.general.push(name.into());
                }
            }
        }
        let scenario = Scenario::preset("ongunstig").unwrap();
        assert!(scenario.behaviour.is_some());
        let model = crate::epidemic::model::Model::new(cal.clone(), scenario).unwrap();
        let run = crate::run::with_policy(&model, &plans, &Policy::Trigger(policy), 60).unwrap();
        assert!(run.behaviour.is_some() && run.preparedness.is_some() && !run.regions.is_empty());
        let impacts = super::super::compute(&cal, &run).unwrap();
        let made: Vec<&str> = impacts.indicators.iter().map(|i| i.name.as_str()).collect();
        let listed: Vec<&str> = CATALOGUE.iter().map(|e| e.name).collect();
        assert_eq!(made, listed);
        for i in &impacts.indicators {
            let e = entry(&i.name).unwrap();
            assert_eq!(
                (
                    i.dimension,
                    i.aggregate,
                    i.unit.as_str(),
                    i.description.as_str()
                ),
                (e.dimension, e.aggregate, e.unit, e.description),
                "{}",
                i.name
            );
        }
    }
}
