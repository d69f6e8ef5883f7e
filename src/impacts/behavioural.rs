//! The behavioural dimension: compliance with measures, support for them and fatigue (means over
//! the run, by age band), the days support was below one half, the share of the measures' effect
//! lost through non-compliance and the highest voluntary contact reduction, all from the run's
//! behaviour record (see [`crate::measures::behaviour`]); none without a behavioural model.

use std::collections::BTreeMap;

use super::distribution::Builder;
use crate::inputs::distribution::AGE_BAND;
use crate::measures::behaviour::weighted_mean;
use crate::run::Run;

/// Adds the behavioural indicators of a run with a behavioural model; `population` is the
/// persons per age band.
pub(super) fn push(b: &mut Builder<'_>, run: &Run, population: &[f64]) {
    let Some(beh) = &run.behaviour else {
        return;
    };
    let summary = beh.summary(population);
    let over_days = |rows: &[Vec<f64>]| -> Vec<f64> {
        let n = rows.len().max(1) as f64;
        (0..population.len())
            .map(|g| rows.iter().map(|r| r[g]).sum::<f64>() / n)
            .collect()
    };
    for (name, rows, total) in [
        ("compliance", &beh.compliance, summary.mean_compliance),
        ("support", &beh.support, summary.mean_support),
        (
            "fatigue",
            &beh.fatigue,
            weighted_mean(&over_days(&beh.fatigue), population),
        ),
    ] {
        let groups = BTreeMap::from([(AGE_BAND.to_string(), over_days(rows))]);
        b.push(name, total, groups);
    }
    b.push_whole(
        "days_support_below_half",
        summary.days_support_below_half as f64,
    );
    b.push_whole("effectiveness_lost", summary.effectiveness_lost);
    b.push_whole("peak_voluntary_reduction", summary.peak_voluntary_reduction);
}
