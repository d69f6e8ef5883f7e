//! Bindings of the decision analysis ([`crate::decision::tree`], [`multi`] = `crate::decision::mcda`): numpy in, dicts of
//! numpy arrays out. Labels, pandas/xarray and plots live in `afweging/decision.py`; no logic here.

use afweging_macros::guard_panics;
use ndarray::Array1;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::decision::mcda::{self as multi, Method};
use crate::decision::tree::{self as decision, Direction, Orientation};
use crate::error::{Error, Result};

fn method(json: &str) -> Result<Method> {
    crate::error::from_json::<Method>("method", json)
}

/// The dict of a decision tree (also the one stored in an assessment).
pub(crate) fn tree_dict<'py>(
    py: Python<'py>,
    t: decision::DecisionTree,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("expected", t.expected.into_pyarray(py))?;
    d.set_item("best", t.best)?;
    d.set_item("best_tied", t.best_tied)?;
    d.set_item("regret", t.regret.into_pyarray(py))?;
    d.set_item("best_per_scenario", t.best_per_scenario)?;
    d.set_item("max_regret", t.max_regret.into_pyarray(py))?;
    d.set_item("minimax_regret", t.minimax_regret)?;
    d.set_item("minimax_regret_tied", t.minimax_regret_tied)?;
    d.set_item("expected_regret", t.expected_regret.into_pyarray(py))?;
    d.set_item(
        "expected_with_perfect_information",
        t.expected_with_perfect_information,
    )?;
    d.set_item("evpi", t.evpi)?;
    Ok(d)
}

/// The decision tree over scenarios of `costs` (alternatives x scenarios).
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (costs, probabilities, orientation="cost"))]
fn decision_tree<'py>(
    py: Python<'py>,
    costs: PyReadonlyArray2<'py, f64>,
    probabilities: PyReadonlyArray1<'py, f64>,
    orientation: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let o = Orientation::parse("orientation", orientation)?;
    let p = probabilities.as_array().to_vec();
    tree_dict(py, decision::decision_tree(costs.as_array(), &p, o)?)
}

/// Opportunity cost of `costs` (alternatives x scenarios x dimensions).
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (costs, orientation="cost"))]
fn opportunity_cost<'py>(
    py: Python<'py>,
    costs: PyReadonlyArray3<'py, f64>,
    orientation: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let o = Orientation::parse("orientation", orientation)?;
    opportunity_cost_dict(py, decision::opportunity_cost(costs.as_array(), o)?)
}

/// The dict of an opportunity cost (also the one stored in an assessment).
pub(crate) fn opportunity_cost_dict(
    py: Python<'_>,
    r: decision::OpportunityCost,
) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("by_dimension", r.by_dimension.into_pyarray(py))?;
    d.set_item("total", r.total.into_pyarray(py))?;
    d.set_item("decomposition", r.decomposition.into_pyarray(py))?;
    d.set_item("best_total", r.best_total)?;
    d.set_item(
        "best_by_dimension",
        r.best_by_dimension.mapv(|x| x as i64).into_pyarray(py),
    )?;
    Ok(d)
}

/// `alternatives x scenarios`: the total over the dimensions of `values` (alternatives x
/// scenarios x dimensions), the table a decision tree with dimensions weighs.
#[guard_panics]
#[pyfunction]
fn dimension_totals<'py>(
    py: Python<'py>,
    values: PyReadonlyArray3<'py, f64>,
) -> Bound<'py, PyArray2<f64>> {
    decision::dimension_totals(values.as_array()).into_pyarray(py)
}

/// Draw-based summaries of `values` (batch x alternatives x draws): probability best, mean,
/// best by mean and EVPI per batch entry. The GIL is released while it computes.
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (values, orientation="cost"))]
fn draws_summary<'py>(
    py: Python<'py>,
    values: PyReadonlyArray3<'py, f64>,
    orientation: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let o = Orientation::parse("orientation", orientation)?;
    let view = values.as_array();
    let (p, trees) = py.detach(|| {
        let p = decision::prob_best(view, o)?;
        let t = decision::trees_from_draws(view, o)?;
        Ok::<_, Error>((p, t))
    })?;
    let (batch, alts) = p.dim();
    let mut mean = ndarray::Array2::zeros((batch, alts));
    for (mut row, t) in mean.rows_mut().into_iter().zip(&trees) {
        row.assign(&Array1::from(t.expected.clone()));
    }
    let d = PyDict::new(py);
    d.set_item("prob_best", p.into_pyarray(py))?;
    d.set_item("expected", mean.into_pyarray(py))?;
    d.set_item(
        "best",
        trees.iter().map(|t| t.best as i64).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "evpi",
        trees
            .iter()
            .map(|t| t.evpi)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    Ok(d)
}

/// Net-monetary-benefit acceptability over willingness-to-pay values.
#[guard_panics]
#[pyfunction]
fn acceptability<'py>(
    py: Python<'py>,
    costs: PyReadonlyArray2<'py, f64>,
    effects: PyReadonlyArray2<'py, f64>,
    wtp: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let w = wtp.as_array().to_vec();
    let (c, e) = (costs.as_array(), effects.as_array());
    let a = py.detach(|| decision::acceptability(c, e, &w))?;
    let d = PyDict::new(py);
    d.set_item("probability_best", a.probability_best.into_pyarray(py))?;
    d.set_item("expected_nmb", a.expected_nmb.into_pyarray(py))?;
    d.set_item("frontier", a.frontier)?;
    d.set_item("evpi", a.evpi.into_pyarray(py))?;
    Ok(d)
}

/// The cost-effectiveness frontier with ICERs (dampack's `calculate_icers`).
#[guard_panics]
#[pyfunction]
fn icers<'py>(
    py: Python<'py>,
    costs: PyReadonlyArray1<'py, f64>,
    effects: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let (c, e) = (costs.as_array().to_vec(), effects.as_array().to_vec());
    let r = decision::icers(&c, &e)?;
    let d = PyDict::new(py);
    let status: Vec<&str> = r
        .status
        .iter()
        .map(|s| match s {
            decision::CeStatus::Frontier => "frontier",
            decision::CeStatus::Dominated => "dominated",
            decision::CeStatus::ExtendedlyDominated => "extendedly dominated",
        })
        .collect();
    d.set_item("status", status)?;
    d.set_item("frontier", r.frontier)?;
    d.set_item("incremental_cost", r.incremental_cost.into_pyarray(py))?;
    d.set_item("incremental_effect", r.incremental_effect.into_pyarray(py))?;
    d.set_item("icer", r.icer.into_pyarray(py))?;
    d.set_item("dominated_by", r.dominated_by)?;
    d.set_item("same_as", r.same_as)?;
    Ok(d)
}

/// Pareto dominance of `matrix` (alternatives x criteria).
#[guard_panics]
#[pyfunction]
fn pareto<'py>(
    py: Python<'py>,
    matrix: PyReadonlyArray2<'py, f64>,
    directions: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let m = matrix.as_array();
    let dirs = Direction::parse_all(&directions, m.ncols())?;
    let p = decision::pareto(m, &dirs)?;
    let d = PyDict::new(py);
    d.set_item("efficient", p.efficient)?;
    d.set_item("dominated_by", p.dominated_by)?;
    Ok(d)
}

/// Scores and ranks of `matrix` with the method given as JSON (see `mcda::Method`).
#[guard_panics]
#[pyfunction]
fn mcda<'py>(
    py: Python<'py>,
    matrix: PyReadonlyArray2<'py, f64>,
    weights: PyReadonlyArray1<'py, f64>,
    directions: Vec<String>,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let m = matrix.as_array();
    let dirs = Direction::parse_all(&directions, m.ncols())?;
    let method = self::method(method)?;
    let w = weights.as_array().to_vec();
    let r = multi::mcda(m, &w, &dirs, &method)?;
    let d = PyDict::new(py);
    d.set_item("scores", r.scores.into_pyarray(py))?;
    d.set_item(
        "ranks",
        r.ranks
            .iter()
            .map(|&x| x as i64)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item("weights", r.weights.into_pyarray(py))?;
    d.set_item("normalised", r.normalised.into_pyarray(py))?;
    for (key, value) in [
        ("ideal_distance", r.ideal_distance),
        ("anti_ideal_distance", r.anti_ideal_distance),
        ("positive_flow", r.positive_flow),
        ("negative_flow", r.negative_flow),
    ] {
        if let Some(v) = value {
            d.set_item(key, v.into_pyarray(py))?;
        }
    }
    Ok(d)
}

/// SMAA-2 rank acceptability over `n` seeded weight samples. The GIL is released meanwhile.
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (matrix, directions, method, n=None, seed=None))]
fn rank_acceptability<'py>(
    py: Python<'py>,
    matrix: PyReadonlyArray2<'py, f64>,
    directions: Vec<String>,
    method: &str,
    n: Option<&Bound<'py, PyAny>>,
    seed: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let m = matrix.as_array();
    let dirs = Direction::parse_all(&directions, m.ncols())?;
    let method = self::method(method)?;
    let range = format!("between 1 and {}", multi::MAX_WEIGHT_SAMPLES);
    let n: usize = n.map_or(Ok(10_000), |n| super::whole(n, "n", &range))?;
    let seed: u64 = seed.map_or(Ok(1), |s| {
        super::whole(s, "seed", "between 0 and 2**64 - 1")
    })?;
    let r = super::grid::detached(py, None, |watch| {
        multi::rank_acceptability_watched(m, &dirs, &method, n, seed, watch)
    })?;
    let d = PyDict::new(py);
    d.set_item("acceptability", r.acceptability.into_pyarray(py))?;
    d.set_item("central_weights", r.central_weights.into_pyarray(py))?;
    d.set_item("samples", r.samples)?;
    d.set_item("seed", r.seed)?;
    Ok(d)
}

/// Adds the decision-analysis functions to `afweging._core`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decision_tree, m)?)?;
    m.add_function(wrap_pyfunction!(opportunity_cost, m)?)?;
    m.add_function(wrap_pyfunction!(dimension_totals, m)?)?;
    m.add_function(wrap_pyfunction!(draws_summary, m)?)?;
    m.add_function(wrap_pyfunction!(acceptability, m)?)?;
    m.add_function(wrap_pyfunction!(icers, m)?)?;
    m.add_function(wrap_pyfunction!(pareto, m)?)?;
    m.add_function(wrap_pyfunction!(mcda, m)?)?;
    m.add_function(wrap_pyfunction!(rank_acceptability, m)?)?;
    Ok(())
}
