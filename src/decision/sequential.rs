//! Sequential decisions: decide now or wait for more information. A tree of `K >= 1` decision
//! stages, each with its options; a draw of the uncertain parameters is a chance node that the
//! decision-maker never sees directly, only through the signals observed at each stage (reports,
//! tests, serology, simulated from the draw's own run up to the stage date). Solved by backward
//! induction over simulated branches with least-squares estimates of the conditional expected
//! loss (Longstaff & Schwartz, Rev Financ Stud 2001; Carriere 1996), fitted on one half of the
//! draws and valued on the other.
//!
//! # The problem
//! A path `c = (c_0, ..., c_{K-1})` picks one option per stage; its index is mixed-radix with the
//! first stage most significant. `L(d, c)` is the loss of path `c` in draw `d` (the monetised
//! total of [`crate::decision::valuation`], EUR). Paths may be infeasible (a rule of the caller:
//! a lockdown that must last four weeks cannot be lifted after two); option `a` is open at stage
//! `k` after the prefix `p` when some feasible path extends `p + a`. At stage `k` the
//! decision-maker sees `x_k(d, p)`: the features of stages `0..=k` along the prefix (what was
//! seen so far), selected by information source.
//!
//! # Backward induction (regression)
//! ```text
//! V_K(d, c)            = L(d, c)
//! Q_k(a | p, x)        = b_{k,p,a} . (1, x)      least squares of V_{k+1}(d, p+a) on (1, x_k(d, p))
//! a*_k(p, x)           = argmin_{a open} Q_k(a | p, x)        (ties: the first, crate::decision::ties)
//! V_k(d, p)            = V_{k+1}(d, p + a*_k(p, x_k(d, p)))   (realised, not fitted: Longstaff-Schwartz)
//! ```
//! weighted by the draws' weights. With a binary signal the regression on `(1, s)` is the
//! conditional mean given `s` exactly, so a toy tree reproduces Bayes' rule.
//!
//! # Honest values (cross-fitting)
//! Rules fitted on draws are optimistic when valued on the same draws (they fit the noise). The
//! draws are split by parity: rules fitted on the even draws choose the paths of the odd ones and
//! the other way round; each draw's **held-out loss** is the loss of the path that rules fitted
//! without it choose. A strategy's value is the weighted mean of its held-out losses. Without any
//! feature nothing is learned but the best fixed path, and that path and its expected loss are
//! those of the one-stage [`crate::decision::tree`] over all draws (exactly: no split).
//!
//! - `sequential`: every stage sees every source;
//! - `commit_now`: the whole path chosen at the first stage on what is seen then;
//! - `value_of_waiting = commit_now - sequential` (EUR; positive when waiting pays);
//! - `evsi[s] = base - with_s`: the sequential strategy seeing the base source (0) alone, minus
//!   the one that also sees source `s` (the expected value of that sample information).
//!
//! Intervals are percentile bootstrap intervals (2.5%, 97.5%) over draws of the held-out losses
//! (paired, so a difference is resampled as one), with the rules held fixed.
//!
//! The policy reported ([`Solution::rules`]) is fitted on all draws: the rule to use.

use ndarray::{Array2, Array3, ArrayView2, Axis};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::decision::ties::first_tied_lowest;
use crate::decision::tree::{check_finite, check_probabilities, tree_of_losses, DecisionTree};
use crate::decision::valuation::Valuation;
use crate::epidemic::compartments::SLOTS;
use crate::error::Result;
use crate::grid::Progress;
use crate::impacts;
use crate::inputs::validate::Checker;
use crate::measures::plans::SectorPlans;
use crate::measures::timeline::Timeline;
use crate::run::with_timeline;
use crate::uncertainty::Uncertainty;
use crate::{Calibration, Model, Scenario};

/// Bootstrap resamples behind every interval.
pub const BOOTSTRAP: usize = 1000;

/// A sequential decision problem on simulated branches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Number of options at each stage (stage order).
    pub options: Vec<usize>,
    /// Per path (mixed radix, first stage most significant): whether it may be taken.
    pub feasible: Vec<bool>,
    /// `draws x paths`: the loss of each path in each draw (EUR); read only where feasible.
    pub loss: Array2<f64>,
    /// Per stage `k`: `draws x prefixes_k x features_k`, what is seen at stage `k` after each
    /// prefix (`prefixes_k` = the product of the options of the earlier stages).
    pub features: Vec<Array3<f64>>,
    /// Per stage, per feature: the information source it comes from (0: always seen).
    pub sources: Vec<Vec<usize>>,
    /// Per draw: its weight (non-negative, adding up to one): `1/draws` for draws, the scenario
    /// probabilities for scenarios.
    pub weights: Vec<f64>,
}

/// An estimate with its bootstrap interval (2.5%, 97.5%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The fitted rule of one option after one prefix: `Q = coef[0] + sum_j coef[1 + j] x_j` over
/// the features seen at the stage (stages `0..=k`, in order, all sources).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub stage: usize,
    pub prefix: usize,
    pub option: usize,
    /// Estimated conditional expected loss: intercept, then one coefficient per feature.
    pub coef: Vec<f64>,
    /// Share of the draws (weighted) whose held-out path takes this option here.
    pub share: f64,
}

/// The solution of a [`Problem`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// The feasible paths, in path order: the rows of `strategies`.
    pub paths: Vec<usize>,
    /// The one-stage decision tree over the fixed paths (feasible paths x draws, the weights as
    /// probabilities): expected loss per fixed strategy, best, regret, EVPI.
    pub strategies: DecisionTree,
    /// Expected (held-out) loss of the sequential strategy, every source seen.
    pub sequential: Estimate,
    /// Expected (held-out) loss of choosing the whole path at the first stage.
    pub commit_now: Estimate,
    /// `commit_now - sequential`.
    pub value_of_waiting: Estimate,
    /// Per source `s >= 1` (index `s - 1`): the EVSI of that source (see the module docs).
    pub evsi: Vec<Estimate>,
    /// The rules fitted on all draws, stage by stage, prefix by prefix, open options only.
    pub rules: Vec<Rule>,
    /// `draws x stages`: the option the sequential strategy takes in each draw (held out).
    pub chosen: Array2<usize>,
    /// Per draw: the held-out loss of the sequential strategy.
    pub held_out: Vec<f64>,
}

/// Paths before stage `k`: the number of prefixes there.
fn prefixes(options: &[usize], k: usize) -> usize {
    options[..k].iter().product()
}

/// Validates a problem, naming the field.
fn check(p: &Problem) -> Result<()> {
    let mut c = Checker::new();
    let stages = p.options.len();
    if stages == 0 {
        c.fail("stages", "must have at least one stage", "0".into());
        return c.finish();
    }
    for (k, &n) in p.options.iter().enumerate() {
        if n == 0 {
            c.fail(
                format_args!("options[{k}]"),
                "must have at least one option",
                "0".into(),
            );
        }
    }
    c.finish()?;
    let mut c = Checker::new();
    let paths: usize = p.options.iter().product();
    let draws = p.weights.len();
    c.length("feasible", p.feasible.len(), paths, "path");
    if !p.feasible.iter().any(|&f| f) {
        c.fail(
            "feasible",
            "no path is feasible: every sequence of options breaks a rule",
            String::new(),
        );
    }
    if draws == 0 {
        c.fail("draws", "must be at least 1", "0".into());
    }
    if p.loss.dim() != (draws, paths) {
        c.fail(
            "loss",
            format!("must have shape ({draws}, {paths}): draws x paths"),
            format!("shape {:?}", p.loss.dim()),
        );
    } else {
        let feasible: Vec<usize> = (0..paths).filter(|&j| p.feasible[j]).collect();
        let open = p.loss.select(Axis(1), &feasible);
        check_finite(&mut c, "loss", open.view().into_dyn());
    }
    check_probabilities(&mut c, "weights", &p.weights, draws);
    c.length("features", p.features.len(), stages, "stage");
    c.length("sources", p.sources.len(), stages, "stage");
    for (k, (x, s)) in p.features.iter().zip(&p.sources).enumerate() {
        let want = (draws, prefixes(&p.options, k), s.len());
        if x.dim() != want {
            c.fail(
                format_args!("features[{k}]"),
                format!(
                    "must have shape ({}, {}, {}): draws x prefixes x features",
                    want.0, want.1, want.2
                ),
                format!("shape {:?}", x.dim()),
            );
        } else {
            check_finite(&mut c, format_args!("features[{k}]"), x.view().into_dyn());
        }
    }
    let any_features = p.sources.iter().any(|s| !s.is_empty());
    if any_features && draws < 4 {
        c.fail(
            "draws",
            "must be at least 4 when signals are seen (half the draws fit the rules, the other half values them)",
            draws.to_string(),
        );
    }
    c.finish()
}

/// Which options are open after each prefix of each stage: `open[k][prefix * n_k + a]`.
fn open_options(options: &[usize], feasible: &[bool]) -> Vec<Vec<bool>> {
    let stages = options.len();
    let mut open: Vec<Vec<bool>> = (0..stages)
        .map(|k| vec![false; prefixes(options, k + 1)])
        .collect();
    for (path, _) in feasible.iter().enumerate().filter(|(_, &f)| f) {
        for (k, o) in open.iter_mut().enumerate() {
            // The prefix through stage k is the path's leading digits.
            let rest: usize = options[k + 1..].iter().product();
            o[path / rest] = true;
        }
    }
    open
}

/// A view of a problem with a selection of features: what one strategy sees.
struct Tree<'a> {
    p: &'a Problem,
    open: Vec<Vec<bool>>,
    /// Per stage: the feature columns seen there (stage, column), stages `0..=k`.
    seen: Vec<Vec<(usize, usize)>>,
}

impl<'a> Tree<'a> {
    fn new(p: &'a Problem, sources: &dyn Fn(usize) -> bool) -> Self {
        let mut seen = Vec::with_capacity(p.options.len());
        let mut so_far = Vec::new();
        for (k, s) in p.sources.iter().enumerate() {
            so_far.extend(
                s.iter()
                    .enumerate()
                    .filter(|(_, &src)| sources(src))
                    .map(|(j, _)| (k, j)),
            );
            seen.push(so_far.clone());
        }
        Tree {
            open: open_options(&p.options, &p.feasible),
            p,
            seen,
        }
    }

    fn stages(&self) -> usize {
        self.p.options.len()
    }

    fn learns(&self) -> bool {
        self.seen.iter().any(|s| !s.is_empty())
    }

    /// `(1, x_k(d, prefix))`: the regressors at stage `k` after the prefix of stage `k`.
    fn regressors(&self, k: usize, d: usize, prefix: usize, out: &mut Vec<f64>) {
        out.clear();
        out.push(1.0);
        for &(j, col) in &self.seen[k] {
            // The prefix at an earlier stage j is the leading digits of this one.
            let rest: usize = self.p.options[j..k].iter().product();
            out.push(self.p.features[j][(d, prefix / rest, col)]);
        }
    }

    /// Fits the rules on the draws `fold`: `rules[k][prefix * n_k + a]` (empty when closed).
    fn fit(&self, fold: &[usize]) -> Vec<Vec<Vec<f64>>> {
        let stages = self.stages();
        let opts = &self.p.options;
        let mut rules: Vec<Vec<Vec<f64>>> = (0..stages)
            .map(|k| vec![Vec::new(); prefixes(opts, k + 1)])
            .collect();
        let w: Vec<f64> = fold.iter().map(|&d| self.p.weights[d]).collect();
        // V[i][path-prefix]: realised value of fold draw i after a prefix of stage k + 1.
        let mut value: Vec<Vec<f64>> = fold.iter().map(|&d| self.p.loss.row(d).to_vec()).collect();
        let mut x = Vec::new();
        for k in (0..stages).rev() {
            let n = opts[k];
            let rows: Vec<Vec<Vec<f64>>> = (0..prefixes(opts, k))
                .map(|prefix| {
                    fold.iter()
                        .map(|&d| {
                            self.regressors(k, d, prefix, &mut x);
                            x.clone()
                        })
                        .collect()
                })
                .collect();
            for (prefix, rows) in rows.iter().enumerate() {
                for a in 0..n {
                    let node = prefix * n + a;
                    if self.open[k][node] {
                        let y: Vec<f64> = value.iter().map(|v| v[node]).collect();
                        rules[k][node] = least_squares(rows, &y, &w);
                    }
                }
            }
            let mut next: Vec<Vec<f64>> = vec![vec![f64::NAN; prefixes(opts, k)]; fold.len()];
            for (prefix, rows) in rows.iter().enumerate() {
                if !(0..n).any(|a| self.open[k][prefix * n + a]) {
                    continue;
                }
                for (i, row) in rows.iter().enumerate() {
                    let a = choose(&rules[k], &self.open[k], prefix, n, row);
                    next[i][prefix] = value[i][prefix * n + a];
                }
            }
            value = next;
        }
        rules
    }

    /// The path the rules take in draw `d`, and the option chosen at each stage.
    fn follow(&self, rules: &[Vec<Vec<f64>>], d: usize, chosen: &mut [usize]) -> usize {
        let mut prefix = 0;
        let mut x = Vec::new();
        for (k, &n) in self.p.options.iter().enumerate() {
            self.regressors(k, d, prefix, &mut x);
            let a = choose(&rules[k], &self.open[k], prefix, n, &x);
            chosen[k] = a;
            prefix = prefix * n + a;
        }
        prefix
    }

    /// Held-out losses per draw (and the choices): rules fitted on the even draws value the
    /// odd ones and the other way round; without features, rules fitted on all draws.
    fn held_out(&self) -> (Vec<f64>, Array2<usize>) {
        let draws = self.p.weights.len();
        let all: Vec<usize> = (0..draws).collect();
        let (even, odd): (Vec<usize>, Vec<usize>) = all.iter().partition(|&&d| d % 2 == 0);
        let fitted = if self.learns() {
            [self.fit(&odd), self.fit(&even)]
        } else {
            let r = self.fit(&all);
            [r.clone(), r]
        };
        let mut chosen = Array2::zeros((draws, self.stages()));
        let mut row = vec![0; self.stages()];
        let losses = (0..draws)
            .map(|d| {
                let path = self.follow(&fitted[d % 2], d, &mut row);
                chosen.row_mut(d).assign(&ndarray::aview1(&row));
                self.p.loss[(d, path)]
            })
            .collect();
        (losses, chosen)
    }
}

/// The open option with the lowest estimated loss after `prefix` (the first among ties).
fn choose(rules: &[Vec<f64>], open: &[bool], prefix: usize, n: usize, x: &[f64]) -> usize {
    let open_here: Vec<usize> = (0..n).filter(|&a| open[prefix * n + a]).collect();
    let q: Vec<f64> = open_here
        .iter()
        .map(|&a| {
            rules[prefix * n + a]
                .iter()
                .zip(x)
                .map(|(b, v)| b * v)
                .sum()
        })
        .collect();
    let magnitude = q.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    open_here[first_tied_lowest(q.len(), |i| q[i], |_| magnitude)]
}

/// Weighted least squares of `y` on the rows `x` (each starting with the intercept's 1). The
/// features are centred and scaled on the fold first; a feature that is constant on the fold or
/// collinear with earlier ones gets coefficient 0 (its information is in the others). Returns
/// coefficients on the raw features.
fn least_squares(x: &[Vec<f64>], y: &[f64], w: &[f64]) -> Vec<f64> {
    let m = x.first().map_or(1, Vec::len);
    let total: f64 = w.iter().sum();
    let w: Vec<f64> = if total > 0.0 {
        w.iter().map(|v| v / total).collect()
    } else {
        vec![1.0 / y.len() as f64; y.len()]
    };
    let mut mean = vec![0.0; m];
    let mut sd = vec![1.0; m];
    for j in 1..m {
        mean[j] = x.iter().zip(&w).map(|(r, wi)| wi * r[j]).sum();
        let var: f64 = x
            .iter()
            .zip(&w)
            .map(|(r, wi)| wi * (r[j] - mean[j]).powi(2))
            .sum();
        sd[j] = var.sqrt();
    }
    let constant: Vec<bool> = (0..m)
        .map(|j| j > 0 && sd[j] <= 1e-12 * mean[j].abs().max(1e-300))
        .collect();
    let z = |r: &[f64], j: usize| {
        if j == 0 {
            1.0
        } else {
            (r[j] - mean[j]) / sd[j]
        }
    };
    // Normal equations on the standardised features (intercept = weighted mean of y).
    let mut a = vec![vec![0.0; m]; m];
    let mut b = vec![0.0; m];
    for ((r, &yi), &wi) in x.iter().zip(y).zip(&w) {
        for i in 0..m {
            if constant[i] {
                continue;
            }
            let zi = z(r, i);
            b[i] += wi * zi * yi;
            for j in 0..m {
                if !constant[j] {
                    a[i][j] += wi * zi * z(r, j);
                }
            }
        }
    }
    let beta = solve_normal(a, b, &constant);
    // Back to raw features: Q = b0 + sum_j b_j (x_j - mean_j) / sd_j.
    let mut coef = vec![0.0; m];
    coef[0] = beta[0];
    for j in 1..m {
        if beta[j] != 0.0 {
            coef[j] = beta[j] / sd[j];
            coef[0] -= beta[j] * mean[j] / sd[j];
        }
    }
    coef
}

/// Solves the normal equations `a beta = b` (symmetric, positive semi-definite; standardised
/// features, so the diagonal is 1) by Gauss-Jordan elimination on the diagonal, as Cholesky does.
/// A feature whose remaining diagonal is below 1e-10 (explained by the earlier ones to one part
/// in 1e10) and the `drop`ped ones get coefficient 0.
fn solve_normal(mut a: Vec<Vec<f64>>, mut b: Vec<f64>, drop: &[bool]) -> Vec<f64> {
    let m = b.len();
    let mut keep: Vec<bool> = drop.iter().map(|d| !d).collect();
    for col in 0..m {
        if !keep[col] {
            continue;
        }
        let pivot = a[col][col];
        if pivot <= 1e-10 || pivot.is_nan() {
            keep[col] = false;
            continue;
        }
        let (row, at) = (a[col].clone(), b[col]);
        for i in 0..m {
            if i == col || !keep[i] || a[i][col] == 0.0 {
                continue;
            }
            let f = a[i][col] / pivot;
            for (x, y) in a[i].iter_mut().zip(&row) {
                *x -= f * y;
            }
            b[i] -= f * at;
        }
    }
    (0..m)
        .map(|j| if keep[j] { b[j] / a[j][j] } else { 0.0 })
        .collect()
}

/// Weighted mean of `v` over the draws.
fn mean(v: &[f64], w: &[f64]) -> f64 {
    v.iter().zip(w).map(|(a, b)| a * b).sum()
}

/// Percentile bootstrap intervals of weighted means of several per-draw series at once (paired).
fn bootstrap(series: &[&[f64]], w: &[f64], seed: u64) -> Vec<(f64, f64)> {
    let n = w.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut means: Vec<Vec<f64>> = vec![Vec::with_capacity(BOOTSTRAP); series.len()];
    let mut sums = vec![0.0; series.len()];
    for _ in 0..BOOTSTRAP {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let mut wsum = 0.0;
        for _ in 0..n {
            let i = rng.random_range(0..n);
            wsum += w[i];
            for (s, v) in sums.iter_mut().zip(series) {
                *s += w[i] * v[i];
            }
        }
        for (m, s) in means.iter_mut().zip(&sums) {
            m.push(if wsum > 0.0 { s / wsum } else { f64::NAN });
        }
    }
    means
        .into_iter()
        .map(|mut m| {
            m.sort_by(f64::total_cmp);
            let at = |q: f64| m[((q * (BOOTSTRAP - 1) as f64).round() as usize).min(BOOTSTRAP - 1)];
            (at(0.025), at(0.975))
        })
        .collect()
}

fn estimate(value: f64, interval: (f64, f64)) -> Estimate {
    Estimate {
        value,
        low: interval.0,
        high: interval.1,
    }
}

/// Solves a sequential decision problem (see the module docs); `seed` drives the bootstrap.
pub fn solve(p: &Problem, seed: u64) -> Result<Solution> {
    check(p)?;
    let draws = p.weights.len();
    let w = &p.weights;
    let paths: Vec<usize> = (0..p.feasible.len()).filter(|&j| p.feasible[j]).collect();
    let table: Array2<f64> = p.loss.select(Axis(1), &paths).reversed_axes();
    let strategies = tree_of_losses(table.view(), w, 1.0);

    let everything = Tree::new(p, &|_| true);
    let (sequential, chosen) = everything.held_out();
    // Commit now: one stage whose options are the paths, seeing what the first stage sees.
    let now = Problem {
        options: vec![p.feasible.len()],
        feasible: p.feasible.clone(),
        loss: p.loss.clone(),
        features: vec![p.features[0].clone()],
        sources: vec![p.sources[0].clone()],
        weights: w.clone(),
    };
    let (commit, _) = Tree::new(&now, &|_| true).held_out();
    let n_sources = p.sources.iter().flatten().copied().max().unwrap_or(0);
    let base = if n_sources > 0 {
        Tree::new(p, &|s| s == 0).held_out().0
    } else {
        sequential.clone()
    };
    let with: Vec<Vec<f64>> = (1..=n_sources)
        .map(|src| Tree::new(p, &|s| s == 0 || s == src).held_out().0)
        .collect();

    let waiting: Vec<f64> = commit.iter().zip(&sequential).map(|(a, b)| a - b).collect();
    let gains: Vec<Vec<f64>> = with
        .iter()
        .map(|v| base.iter().zip(v).map(|(a, b)| a - b).collect())
        .collect();
    let mut series: Vec<&[f64]> = vec![&sequential, &commit, &waiting];
    series.extend(gains.iter().map(Vec::as_slice));
    let intervals = bootstrap(&series, w, seed);

    // The rules to use: fitted on all draws.
    let rules_all = everything.fit(&(0..draws).collect::<Vec<_>>());
    let mut rules = Vec::new();
    for (k, stage) in rules_all.iter().enumerate() {
        let n = p.options[k];
        for (node, coef) in stage.iter().enumerate() {
            if coef.is_empty() {
                continue;
            }
            let (prefix, option) = (node / n, node % n);
            let share = (0..draws)
                .filter(|&d| {
                    let reached = (0..k).fold(0, |acc, j| acc * p.options[j] + chosen[(d, j)]);
                    reached == prefix && chosen[(d, k)] == option
                })
                .map(|d| w[d])
                .sum::<f64>()
                + 0.0; // an empty sum is -0.0
            rules.push(Rule {
                stage: k,
                prefix,
                option,
                coef: coef.clone(),
                share,
            });
        }
    }
    Ok(Solution {
        paths,
        strategies,
        sequential: estimate(mean(&sequential, w), intervals[0]),
        commit_now: estimate(mean(&commit, w), intervals[1]),
        value_of_waiting: estimate(mean(&waiting, w), intervals[2]),
        evsi: gains
            .iter()
            .zip(&intervals[3..])
            .map(|(g, &i)| estimate(mean(g, w), i))
            .collect(),
        rules,
        chosen,
        held_out: sequential,
    })
}

/// The loss table of the one-stage case read as a problem: alternatives x scenarios with the
/// scenario probabilities as weights and nothing seen (the decision tree's question).
pub fn one_stage(values: ArrayView2<'_, f64>, probabilities: &[f64]) -> Problem {
    let (alternatives, scenarios) = values.dim();
    Problem {
        options: vec![alternatives],
        feasible: vec![true; alternatives],
        loss: values.t().to_owned(),
        features: vec![Array3::zeros((scenarios, 1, 0))],
        sources: vec![Vec::new()],
        weights: probabilities.to_vec(),
    }
}

/// The simulated branches of a sequential tree: for every draw of the uncertain parameters and
/// every path, the loss and the national daily series the signals are read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Branches {
    /// `draws x paths`: the monetised total of each path's run (EUR).
    pub loss: Array2<f64>,
    /// `draws x paths x observed days`: hospital admissions per day (persons/day), national.
    pub admissions: Array3<f64>,
    /// `draws x paths x observed days`: new infections per day (persons/day), national.
    pub infections: Array3<f64>,
    /// Persons in the model (the first draw's; the population is not drawn).
    pub population: f64,
}

/// The inputs every branch shares.
pub struct BranchInputs<'a> {
    pub calibration: &'a Calibration,
    pub scenario: &'a Scenario,
    pub uncertainty: &'a Uncertainty,
    pub seed: u64,
    pub draws: usize,
    pub plans: &'a SectorPlans,
    pub valuation: &'a Valuation,
    /// Days of each run (from the scenario's start date).
    pub days: usize,
    /// Leading days of each run whose series are kept (what the last stage can have seen).
    pub observed_days: usize,
}

/// Simulates every path (one timeline each: the same past, then the path's choices from each
/// stage date on) in every draw, draws in parallel on `threads`. Runs are deterministic, so a
/// path's run up to a stage date is the run of every path with the same prefix: this is the one
/// place a snapshot continuation would replace the full run from the start.
pub fn branches(
    s: &BranchInputs<'_>,
    timelines: &[Timeline],
    threads: usize,
    progress: &Progress,
) -> Result<Branches> {
    let mut c = Checker::new();
    if s.draws == 0 {
        c.fail("draws", "must be at least 1", "0".into());
    }
    if timelines.is_empty() {
        c.fail("paths", "must have at least one path", "0".into());
    }
    if s.observed_days > s.days {
        c.fail(
            "observed_days",
            format!("must be at most the days of a run ({})", s.days),
            s.observed_days.to_string(),
        );
    }
    if s.calibration.impacts.is_none() {
        c.fail(
            "calibration",
            "has no impact data, so the branches have no loss to weigh",
            s.calibration.name.clone(),
        );
    }
    c.finish()?;
    let prepared = s.uncertainty.prepare(s.calibration, s.scenario)?;
    let model = Model::new(s.calibration.clone(), s.scenario.clone())?;
    let per_run = model.groups * (s.days + 1) * SLOTS;
    crate::limits::check(
        "draws",
        s.draws.to_string(),
        crate::limits::runs(s.draws * timelines.len(), per_run),
    )?;
    let population = model.run(1)?.people().row(0).sum();
    let rows = crate::grid::map_with(
        s.draws,
        threads,
        progress,
        || (),
        |_, d| {
            let values = s.uncertainty.draw(s.seed, d as u64)?;
            let (cal, sc) = prepared.inputs(&values)?;
            let model = Model::new(cal, sc)?;
            timelines
                .iter()
                .map(|tl| {
                    let run = with_timeline(&model, s.plans, tl, None, s.days)?;
                    let national = |a: Array2<f64>| -> Vec<f64> {
                        a.sum_axis(Axis(1))
                            .iter()
                            .take(s.observed_days)
                            .copied()
                            .collect()
                    };
                    let series = (national(run.admissions()), national(run.infections()));
                    let out = impacts::outcome(model.calibration(), run)?;
                    let impacts = out
                        .impacts
                        .as_ref()
                        .expect("checked: the calibration has impact data");
                    let total = s.valuation.monetise(impacts, model.calibration())?.total;
                    Ok((total, series))
                })
                .collect::<Result<Vec<_>>>()
        },
    )?;
    let paths = timelines.len();
    let mut out = Branches {
        loss: Array2::zeros((s.draws, paths)),
        admissions: Array3::zeros((s.draws, paths, s.observed_days)),
        infections: Array3::zeros((s.draws, paths, s.observed_days)),
        population,
    };
    for (d, row) in rows.into_iter().enumerate() {
        for (j, (total, (adm, inf))) in row.into_iter().enumerate() {
            out.loss[(d, j)] = total;
            for (t, (a, i)) in adm.into_iter().zip(inf).enumerate() {
                out.admissions[(d, j, t)] = a;
                out.infections[(d, j, t)] = i;
            }
        }
    }
    Ok(out)
}
