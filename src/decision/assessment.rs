//! The assessment of the reference framework: alternatives (packages or trigger policies) run in
//! scenarios with probabilities give a scorecard in natural units, the monetised costs per
//! dimension ([`crate::decision::valuation`]), the opportunity cost against the best alternative in each
//! scenario and the decision tree over the scenarios ([`crate::decision::tree`], reused as is), and the
//! acute-phase checklist ([`crate::decision::checklist`]) per alternative and scenario.
//!
//! The whole package counts: an alternative's cost is that of its run, never a sum over measures.

use ndarray::{Array2, Array3};
use serde::{Deserialize, Serialize};

use crate::decision::checklist::{Answer, Checklist};
use crate::decision::tree::{
    self as decision, DecisionTree, OpportunityCost, Orientation, PROBABILITY_TOLERANCE,
};
use crate::decision::valuation::{Monetisation, Valuation};
use crate::error::{Error, Result};
use crate::impacts::Dimension;
use crate::impacts::Outcome;
use crate::inputs::calibration::Calibration;
use crate::inputs::validate::Checker;

/// An indicator as a column of the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub dimension: Dimension,
    pub name: String,
    pub unit: String,
    pub description: String,
}

/// The assessment of alternatives x scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub alternatives: Vec<String>,
    pub scenarios: Vec<String>,
    pub probabilities: Vec<f64>,
    pub days: usize,
    /// The indicators of the scorecard (union over runs, first-seen order).
    pub indicators: Vec<Column>,
    /// Alternatives x scenarios x indicators, natural units; `None` where a run lacks the
    /// indicator (e.g. behaviour in a scenario without a behavioural model).
    pub scorecard: Array3<Option<f64>>,
    /// Alternatives x scenarios: the monetisation of each run.
    pub costs: Vec<Vec<Monetisation>>,
    /// Alternatives x scenarios x dimensions (order of [`crate::decision::valuation::DIMENSIONS`]), EUR.
    pub cost_by_dimension: Array3<f64>,
    /// Alternatives x scenarios, EUR.
    pub total_cost: Array2<f64>,
    pub opportunity_cost: OpportunityCost,
    /// On the total cost with the scenario probabilities.
    pub decision_tree: DecisionTree,
    /// Alternatives x scenarios x questions.
    pub checklist: Vec<Vec<Vec<Answer>>>,
    pub valuation: Valuation,
    pub questions: Checklist,
}

/// The runs behind an assessment.
pub struct Runs<'a> {
    /// Alternatives x scenarios.
    pub cells: Vec<Vec<&'a Outcome>>,
    /// Per scenario: the run without measures (for "without escalation" questions).
    pub baselines: Vec<&'a Outcome>,
    /// Per scenario: the calibration the runs used.
    pub calibrations: Vec<&'a Calibration>,
}

/// Checks names (non-empty, unique) and probabilities, naming each scenario:
/// `scenarios.centraal: must be between 0 and 1, got 1.2`,
/// `scenarios: probabilities must add up to 1 (within 1e-9), got sum 0.9`.
pub fn check_inputs(
    alternatives: &[String],
    scenarios: &[String],
    probabilities: &[f64],
) -> Result<()> {
    let mut c = Checker::new();
    for (field, names, what) in [
        ("alternatives", alternatives, "alternative"),
        ("scenarios", scenarios, "scenario"),
    ] {
        if names.is_empty() {
            c.fail(field, format!("must name at least one {what}"), "{}".into());
        }
        for (i, n) in names.iter().enumerate() {
            if n.is_empty() {
                c.fail(
                    format_args!("{field}[{i}]"),
                    "must not be empty",
                    "\"\"".into(),
                );
            } else if names[..i].contains(n) {
                c.fail(
                    format_args!("{field}.{n}"),
                    "is named twice",
                    format!("{n:?}"),
                );
            }
        }
    }
    if c.length(
        "probabilities",
        probabilities.len(),
        scenarios.len(),
        "scenario",
    ) {
        let mut finite = true;
        for (name, &p) in scenarios.iter().zip(probabilities) {
            let f = format_args!("scenarios.{name}");
            finite &= p.is_finite();
            c.within(f, p, 0.0, 1.0);
        }
        if finite {
            let sum: f64 = probabilities.iter().sum();
            if (sum - 1.0).abs() > PROBABILITY_TOLERANCE {
                c.fail(
                    "scenarios",
                    format!("probabilities must add up to 1 (within {PROBABILITY_TOLERANCE:e})"),
                    format!("sum {sum}"),
                );
            }
        }
    }
    c.finish()
}

/// Assesses the runs: scorecard, monetisation, opportunity cost, decision tree and checklist.
pub fn assess(
    alternatives: &[String],
    scenarios: &[String],
    probabilities: &[f64],
    runs: &Runs<'_>,
    valuation: &Valuation,
    checklist: &Checklist,
) -> Result<Assessment> {
    check_inputs(alternatives, scenarios, probabilities)?;
    let (n_alt, n_sc) = (alternatives.len(), scenarios.len());
    let mut c = Checker::new();
    c.length("runs", runs.cells.len(), n_alt, "alternative");
    for (a, row) in runs.cells.iter().enumerate() {
        c.length(format_args!("runs[{a}]"), row.len(), n_sc, "scenario");
    }
    c.length("baselines", runs.baselines.len(), n_sc, "scenario");
    c.length("calibrations", runs.calibrations.len(), n_sc, "scenario");
    c.finish()?;
    let impacts = |a: usize, s: usize| {
        runs.cells[a][s].impacts.as_ref().ok_or_else(|| {
            Error::field(
                format!("runs.{}.{}", alternatives[a], scenarios[s]),
                "has no impacts: the calibration needs impact data".into(),
                String::new(),
            )
        })
    };
    let mut indicators: Vec<Column> = Vec::new();
    for a in 0..n_alt {
        for s in 0..n_sc {
            for i in &impacts(a, s)?.indicators {
                if !indicators.iter().any(|c| c.name == i.name) {
                    indicators.push(Column {
                        dimension: i.dimension,
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        description: i.description.clone(),
                    });
                }
            }
        }
    }
    // Order by dimension of the framework, keeping the engine's order within a dimension.
    indicators.sort_by_key(|c| crate::decision::valuation::dimension_index(c.dimension));
    let mut scorecard = Array3::from_elem((n_alt, n_sc, indicators.len()), None);
    let mut costs = Vec::with_capacity(n_alt);
    let mut cost_by_dimension = Array3::zeros((n_alt, n_sc, 4));
    let mut total_cost = Array2::zeros((n_alt, n_sc));
    let mut answers = Vec::with_capacity(n_alt);
    for a in 0..n_alt {
        let mut row = Vec::with_capacity(n_sc);
        let mut answer_row = Vec::with_capacity(n_sc);
        for s in 0..n_sc {
            let imp = impacts(a, s)?;
            for (k, col) in indicators.iter().enumerate() {
                if let Some(i) = imp.get(&col.name) {
                    scorecard[(a, s, k)] = Some(i.total);
                }
            }
            let m = valuation.monetise(imp, runs.calibrations[s])?;
            for d in 0..4 {
                cost_by_dimension[(a, s, d)] = m.by_dimension[d];
            }
            total_cost[(a, s)] = m.total;
            answer_row.push(checklist.evaluate(
                runs.cells[a][s],
                runs.baselines[s],
                runs.calibrations[s],
                &m,
            ));
            row.push(m);
        }
        costs.push(row);
        answers.push(answer_row);
    }
    let opportunity_cost = decision::opportunity_cost(cost_by_dimension.view(), Orientation::Cost)?;
    let decision_tree =
        decision::decision_tree(total_cost.view(), probabilities, Orientation::Cost)?;
    Ok(Assessment {
        alternatives: alternatives.to_vec(),
        scenarios: scenarios.to_vec(),
        probabilities: probabilities.to_vec(),
        days: runs.cells[0][0].days(),
        indicators,
        scorecard,
        costs,
        cost_by_dimension,
        total_cost,
        opportunity_cost,
        decision_tree,
        checklist: answers,
        valuation: valuation.clone(),
        questions: checklist.clone(),
    })
}
