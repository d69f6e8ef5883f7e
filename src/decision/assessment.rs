//! The assessment of the reference framework: alternatives (packages or trigger policies) run in
//! scenarios with probabilities give a scorecard in natural units, the monetised costs per
//! dimension ([`crate::decision::valuation`]), the opportunity cost against the best alternative in each
//! scenario and the decision tree over the scenarios ([`crate::decision::tree`], reused as is), and the
//! acute-phase checklist ([`crate::decision::checklist`]) per alternative and scenario.
//!
//! The whole package counts: an alternative's cost is that of its run, never a sum over measures.

use ndarray::{Array1, Array2, Array3};
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

/// Monetised cost per person by group of one grouping (see [`Assessment::cost_by_group`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CostByGroup {
    /// The groups.
    pub labels: Vec<String>,
    /// Alternatives x groups: EUR per person of the group.
    pub per_person: Array2<f64>,
    /// Per alternative: the share of the total cost that is split over the grouping.
    pub covered: Vec<f64>,
}

/// The names of the dimensions, in the order of [`crate::decision::valuation::DIMENSIONS`].
const DIMENSION_NAMES: [&str; 4] = ["virus_spread", "societal", "socio_economic", "behavioural"];

/// The criterion that is the total cost over the dimensions.
const TOTAL: &str = "total";

impl Assessment {
    /// `value(a, s)` expected over the scenarios with their probabilities, per alternative,
    /// summed in scenario order (as the decision tree's expected value).
    fn expected(&self, value: impl Fn(usize, usize) -> f64) -> Vec<f64> {
        (0..self.alternatives.len())
            .map(|a| {
                let terms = self.probabilities.iter().enumerate();
                terms.map(|(s, p)| p * value(a, s)).sum()
            })
            .collect()
    }

    /// `value(a, s)` per alternative: expected over the scenarios, or in `scenario`.
    fn over_scenarios(
        &self,
        scenario: Option<usize>,
        value: impl Fn(usize, usize) -> f64,
    ) -> Result<Vec<f64>> {
        match scenario {
            None => Ok(self.expected(value)),
            Some(s) => {
                self.check_scenario(s)?;
                Ok((0..self.alternatives.len()).map(|a| value(a, s)).collect())
            }
        }
    }

    fn check_scenario(&self, s: usize) -> Result<()> {
        if s < self.scenarios.len() {
            return Ok(());
        }
        Err(Error::field(
            "scenario".into(),
            format!(
                "must be below {} (the number of scenarios)",
                self.scenarios.len()
            ),
            s.to_string(),
        ))
    }

    /// Alternatives x dimensions: the cost of each dimension expected over the scenarios (EUR).
    pub fn expected_cost_by_dimension(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.alternatives.len(), DIMENSION_NAMES.len()));
        for (d, mut column) in out.columns_mut().into_iter().enumerate() {
            column.assign(&Array1::from(
                self.expected(|a, s| self.cost_by_dimension[(a, s, d)]),
            ));
        }
        out
    }

    /// Alternatives x indicators: each scorecard indicator expected over the scenarios, in
    /// natural units; NaN where a run lacks the indicator.
    pub fn expected_scorecard(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.alternatives.len(), self.indicators.len()));
        for (k, mut column) in out.columns_mut().into_iter().enumerate() {
            column.assign(&Array1::from(
                self.expected(|a, s| self.scorecard[(a, s, k)].unwrap_or(f64::NAN)),
            ));
        }
        out
    }

    /// Alternatives x criteria, the table of a multi-criteria analysis: a criterion is a
    /// dimension (its monetised cost, EUR), `total` (the total cost) or an indicator of the
    /// scorecard (natural units; NaN where a run lacks it). Values are expected over the
    /// scenarios, or those of `scenario`. An unknown criterion names `criteria.NAME`.
    pub fn criteria(&self, names: &[String], scenario: Option<usize>) -> Result<Array2<f64>> {
        let mut out = Array2::zeros((self.alternatives.len(), names.len()));
        for (j, name) in names.iter().enumerate() {
            let column = if let Some(d) = DIMENSION_NAMES.iter().position(|d| d == name) {
                self.over_scenarios(scenario, |a, s| self.cost_by_dimension[(a, s, d)])?
            } else if name == TOTAL {
                self.over_scenarios(scenario, |a, s| self.total_cost[(a, s)])?
            } else if let Some(k) = self.indicators.iter().position(|c| &c.name == name) {
                self.over_scenarios(scenario, |a, s| {
                    self.scorecard[(a, s, k)].unwrap_or(f64::NAN)
                })?
            } else {
                let valid = DIMENSION_NAMES
                    .iter()
                    .map(|d| d.to_string())
                    .chain([TOTAL.to_string()])
                    .chain(self.indicators.iter().map(|c| c.name.clone()))
                    .collect();
                return Err(Error::UnknownName {
                    field: format!("criteria.{name}"),
                    kind: "criterion",
                    name: name.clone(),
                    valid,
                });
            };
            out.column_mut(j).assign(&Array1::from(column));
        }
        Ok(out)
    }

    /// Monetised cost per person by group of `grouping` (EUR per person; 0 for an empty group),
    /// expected over the scenarios or in `scenario`, and the share of the total cost that the
    /// grouping covers.
    pub fn cost_by_group(&self, grouping: &str, scenario: Option<usize>) -> Result<CostByGroup> {
        // All weight on one scenario, or the probabilities: the same sum either way.
        let weights = match scenario {
            None => self.probabilities.clone(),
            Some(s) => {
                self.check_scenario(s)?;
                (0..self.scenarios.len())
                    .map(|k| if k == s { 1.0 } else { 0.0 })
                    .collect()
            }
        };
        let mut labels = None;
        let mut per_person = Vec::with_capacity(self.alternatives.len());
        let mut covered = Vec::with_capacity(self.alternatives.len());
        for row in &self.costs {
            let mut per: Option<Vec<f64>> = None;
            let mut cover = 0.0;
            for (cell, &w) in row.iter().zip(&weights) {
                let g = cell
                    .by_group
                    .get(grouping)
                    .ok_or_else(|| Error::UnknownName {
                        field: "grouping".into(),
                        kind: "grouping",
                        name: grouping.into(),
                        valid: cell.by_group.keys().cloned().collect(),
                    })?;
                let share = g
                    .eur
                    .iter()
                    .zip(&g.population)
                    .map(|(eur, pop)| w * if *pop > 0.0 { eur / pop } else { 0.0 });
                per = Some(match per {
                    None => share.collect(),
                    Some(sum) => sum.iter().zip(share).map(|(x, y)| x + y).collect(),
                });
                cover += w * g.covered;
                labels.get_or_insert_with(|| g.labels.clone());
            }
            per_person.extend(per.unwrap_or_default());
            covered.push(cover);
        }
        let labels = labels.unwrap_or_default();
        let per_person =
            Array2::from_shape_vec((self.alternatives.len(), labels.len()), per_person).map_err(
                |_| {
                    Error::field(
                        "grouping".into(),
                        "has other groups in some runs".into(),
                        format!("{grouping:?}"),
                    )
                },
            )?;
        Ok(CostByGroup {
            labels,
            per_person,
            covered,
        })
    }
}
