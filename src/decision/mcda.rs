//! Multi-criteria decision analysis on a performance matrix (alternatives x criteria): weighted
//! sum, TOPSIS and PROMETHEE II, Pareto dominance (in [`crate::decision::tree`]) and a stochastic
//! weight-sensitivity analysis (SMAA-2 rank acceptability, Lahdelma & Salminen 2001).
//!
//! # Methods and the normalisation each uses
//! - **Weighted sum** (simple additive weighting): `S(a) = sum_j w_j r_aj` on a normalised matrix
//!   that turns every criterion into "higher is better" on [0, 1]. Default min-max
//!   (`(x - min) / (max - min)`, cost: `(max - x) / (max - min)`); also `vector`
//!   (`x / ||x||`), `sum` (`x / sum x`) — for these two a cost criterion enters as `1 - r` — and
//!   `max`, Hwang & Yoon's linear scale (`x / max`, cost: `min / x`; needs positive values).
//! - **TOPSIS** (Hwang & Yoon 1981): vector normalisation `r = x / ||x||`, `v = w r`, ideal
//!   `v+` (best per criterion) and anti-ideal `v-`, Euclidean distances `d+`, `d-`,
//!   closeness `C = d- / (d+ + d-)`. When `d+ + d- = 0` (all alternatives equal on every weighted
//!   criterion) `C = 0.5` for all.
//! - **PROMETHEE II** (Brans & Vincke 1985): no normalisation; a preference function per
//!   criterion turns differences (in the criterion's own units) into preference degrees, and the
//!   net flow `phi(a) = phi+(a) - phi-(a)` ranks. Because `phi` is linear in the weights
//!   (`phi(a) = sum_j w_j phi_j(a)` with `phi_j` the unicriterion net flows), the unicriterion
//!   flows are computed once and a weight vector costs one dot product per alternative — which
//!   is what makes 10,000 weight samples cheap.
//!
//! Scores are "higher is better" for all three; ranks are competition ranks ("1224": 1 = best;
//! tied scores share the better rank, the next rank is skipped, like `pandas.rank(method="min",
//! ascending=False)`).
//!
//! # Ties
//! Scores are tied by the crate's one rule ([`crate::decision::ties`]): `|a - b| <= 1e-12 *
//! max(|a|, |b|, 1)`. All three scores are on a unit scale (weights add up to one; normalised
//! criteria, closeness and net flows lie within [-1, 1]), so the absolute floor of 1e-12 is the
//! tolerance for scores near zero, where cancelling terms of order one leave their rounding noise
//! (a PROMETHEE net flow of 0). Tie groups are anchored at their best score (see the rule's
//! documentation), so ranks form a partition whatever the input order.
//!
//! In the rank acceptability the same ranks are counted: an alternative tied for rank `r` counts
//! as rank `r` in that sample, for each tied alternative (a tie for first is a first for every
//! tied alternative, as its MCDA rank is 1). Each row still adds up to one (every alternative gets
//! one rank per sample); a column can add up to more than one (a shared rank) and the column of a
//! skipped rank to less. Identical alternatives therefore get identical acceptabilities, and an
//! alternative that ties the best in every sample has first-rank acceptability 1.
//!
//! # Weights
//! Non-negative, finite, not all zero, one per criterion; they are divided by their sum (so
//! `[3, 1]` means 75% / 25%), and the normalised weights are reported with the result.

use std::fmt::Display;

use ndarray::{Array2, ArrayView2};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::decision::ties::competition_ranks;
use crate::decision::tree::{check_matrix, Direction};
use crate::error::Result;
use crate::grid::{cancelled, Progress};
use crate::inputs::validate::Checker;

/// How a criterion's values are put on a common "higher is better" scale for the weighted sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// `(x - min) / (max - min)`; cost `(max - x) / (max - min)`; a constant criterion gives 1.
    #[default]
    MinMax,
    /// `x / sqrt(sum x^2)`; cost `1 - r`; an all-zero criterion gives 0.
    Vector,
    /// `x / sum x` (values >= 0, sum > 0); cost `1 - r`.
    Sum,
    /// `x / max` (values > 0); cost `min / x` (Hwang & Yoon's linear scale transformation).
    Max,
}

/// A PROMETHEE preference function (Brans & Vincke 1985) of the difference `d` between two
/// alternatives on one criterion, in the criterion's units, oriented so that `d > 0` favours the
/// first alternative. `q` is the indifference threshold, `p` the preference threshold, `s` the
/// Gaussian's inflection point.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Preference {
    /// Type I: any positive difference is a full preference.
    #[default]
    Usual,
    /// Type II (quasi-criterion): full preference once `d > q`.
    UShape { q: f64 },
    /// Type III: preference grows linearly to 1 at `d = p`.
    VShape { p: f64 },
    /// Type IV: 0 up to `q`, 1/2 up to `p`, then 1.
    Level { q: f64, p: f64 },
    /// Type V (V-shape with indifference): 0 up to `q`, linear to 1 at `p`.
    Linear { q: f64, p: f64 },
    /// Type VI: `1 - exp(-d^2 / (2 s^2))` for `d > 0`.
    Gaussian { s: f64 },
}

impl Preference {
    /// The preference degree in [0, 1] of a difference `d`.
    pub fn degree(self, d: f64) -> f64 {
        if d <= 0.0 {
            return 0.0;
        }
        match self {
            Self::Usual => 1.0,
            Self::UShape { q } => f64::from(d > q),
            Self::VShape { p } => (d / p).min(1.0),
            Self::Level { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    0.5
                } else {
                    1.0
                }
            }
            Self::Linear { q, p } => {
                if d <= q {
                    0.0
                } else {
                    ((d - q) / (p - q)).min(1.0)
                }
            }
            Self::Gaussian { s } => 1.0 - (-d * d / (2.0 * s * s)).exp(),
        }
    }

    fn check(self, c: &mut Checker, field: impl Display + Copy) {
        let q_below_p = |c: &mut Checker, q: f64, p: f64| {
            c.non_negative(format_args!("{field}.q"), q);
            if p.is_finite() && q.is_finite() && p <= q {
                c.fail(
                    format_args!("{field}.p"),
                    format!("must be > q ({q})"),
                    format!("{p}"),
                );
            }
            c.finite(format_args!("{field}.p"), p);
        };
        match self {
            Self::Usual => {}
            Self::UShape { q } => c.non_negative(format_args!("{field}.q"), q),
            Self::VShape { p } => c.positive(format_args!("{field}.p"), p),
            Self::Level { q, p } | Self::Linear { q, p } => q_below_p(c, q, p),
            Self::Gaussian { s } => c.positive(format_args!("{field}.s"), s),
        }
    }
}

/// An MCDA method with its settings (JSON: `{"method": "topsis"}`,
/// `{"method": "weighted_sum", "normalisation": "vector"}`,
/// `{"method": "promethee", "preference": [{"type": "linear", "q": 1, "p": 5}, ...]}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Simple additive weighting on a normalised matrix.
    WeightedSum {
        #[serde(default)]
        normalisation: Normalisation,
    },
    /// TOPSIS with vector normalisation and Euclidean distances.
    #[default]
    Topsis,
    /// PROMETHEE II net flows; `preference` is empty (usual for every criterion), one function
    /// for all criteria, or one per criterion.
    Promethee {
        #[serde(default)]
        preference: Vec<Preference>,
    },
}

/// Scores and ranks of an MCDA, with the intermediate figures analysts ask for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mcda {
    /// Higher is better: weighted sum, TOPSIS closeness in [0, 1], or PROMETHEE net flow in
    /// [-1, 1].
    pub scores: Vec<f64>,
    /// Competition ranks, 1 = best.
    pub ranks: Vec<usize>,
    /// The weights used (divided by their sum).
    pub weights: Vec<f64>,
    /// Alternatives x criteria: the normalised matrix (weighted sum, TOPSIS: `r` before
    /// weighting) or the unicriterion net flows (PROMETHEE).
    pub normalised: Array2<f64>,
    /// TOPSIS: distance to the ideal and to the anti-ideal solution.
    pub ideal_distance: Option<Vec<f64>>,
    pub anti_ideal_distance: Option<Vec<f64>>,
    /// PROMETHEE: positive (leaving) and negative (entering) flows.
    pub positive_flow: Option<Vec<f64>>,
    pub negative_flow: Option<Vec<f64>>,
}

/// A method prepared on one matrix: everything that does not depend on the weights is computed
/// once, so scoring a weight vector is cheap (the weight-sensitivity analysis scores thousands).
#[derive(Debug, Clone)]
enum Prepared {
    /// Score = `r . w` (weighted sum, and PROMETHEE II on unicriterion net flows).
    Additive { r: Array2<f64> },
    /// TOPSIS on the vector-normalised matrix with the best and worst `r` per criterion.
    Topsis {
        r: Array2<f64>,
        best: Vec<f64>,
        worst: Vec<f64>,
    },
}

/// Scores of one weight vector, with TOPSIS distances when asked.
fn topsis_scores(
    r: &Array2<f64>,
    best: &[f64],
    worst: &[f64],
    w: &[f64],
    scores: &mut [f64],
    mut distances: Option<(&mut Vec<f64>, &mut Vec<f64>)>,
) {
    for (i, row) in r.rows().into_iter().enumerate() {
        let (mut plus, mut minus) = (0.0, 0.0);
        for (j, &x) in row.iter().enumerate() {
            let a = w[j] * (x - best[j]);
            let b = w[j] * (x - worst[j]);
            plus += a * a;
            minus += b * b;
        }
        let (plus, minus) = (plus.sqrt(), minus.sqrt());
        scores[i] = if plus + minus > 0.0 {
            minus / (plus + minus)
        } else {
            0.5
        };
        if let Some((p, m)) = distances.as_mut() {
            p.push(plus);
            m.push(minus);
        }
    }
}

impl Prepared {
    fn scores(&self, w: &[f64], scores: &mut [f64]) {
        match self {
            Self::Additive { r } => {
                for (s, row) in scores.iter_mut().zip(r.rows()) {
                    *s = row.iter().zip(w).map(|(x, w)| x * w).sum();
                }
            }
            Self::Topsis { r, best, worst } => topsis_scores(r, best, worst, w, scores, None),
        }
    }
}

/// Column `j` of `m` as a vector.
fn column(m: ArrayView2<'_, f64>, j: usize) -> Vec<f64> {
    m.column(j).to_vec()
}

/// The normalised, benefit-oriented matrix of the weighted sum.
fn normalise(
    m: ArrayView2<'_, f64>,
    directions: &[Direction],
    how: Normalisation,
) -> Result<Array2<f64>> {
    let (n, k) = m.dim();
    let mut r = Array2::zeros((n, k));
    let mut c = Checker::new();
    for (j, &dir) in directions.iter().enumerate() {
        let x = column(m, j);
        let min = x.iter().copied().fold(f64::INFINITY, f64::min);
        let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let field = format_args!("matrix[:, {j}]");
        let cost = dir == Direction::Cost;
        let values: Vec<f64> = match how {
            Normalisation::MinMax => x
                .iter()
                .map(|&v| {
                    if max == min {
                        1.0
                    } else if cost {
                        (max - v) / (max - min)
                    } else {
                        (v - min) / (max - min)
                    }
                })
                .collect(),
            Normalisation::Vector => {
                let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
                x.iter()
                    .map(|&v| {
                        let r = if norm > 0.0 { v / norm } else { 0.0 };
                        if cost {
                            1.0 - r
                        } else {
                            r
                        }
                    })
                    .collect()
            }
            Normalisation::Sum => {
                let sum: f64 = x.iter().sum();
                if min < 0.0 || sum <= 0.0 {
                    c.fail(
                        field,
                        "sum normalisation needs values >= 0 with a positive sum",
                        format!("min {min}, sum {sum}"),
                    );
                    continue;
                }
                x.iter()
                    .map(|&v| if cost { 1.0 - v / sum } else { v / sum })
                    .collect()
            }
            Normalisation::Max => {
                if min <= 0.0 {
                    c.fail(
                        field,
                        "max normalisation needs values > 0",
                        format!("min {min}"),
                    );
                    continue;
                }
                x.iter()
                    .map(|&v| if cost { min / v } else { v / max })
                    .collect()
            }
        };
        for (i, v) in values.into_iter().enumerate() {
            r[(i, j)] = v;
        }
    }
    c.finish().map(|_| r)
}

/// Vector normalisation for TOPSIS (direction handled by the ideal, not by flipping).
fn vector_normalise(m: ArrayView2<'_, f64>) -> Array2<f64> {
    let mut r = m.to_owned();
    for mut col in r.columns_mut() {
        let norm = col.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            col.mapv_inplace(|v| v / norm);
        }
    }
    r
}

/// Expands the preference list to one per criterion and validates it.
fn preferences(list: &[Preference], k: usize) -> Result<Vec<Preference>> {
    let mut c = Checker::new();
    let out = match list.len() {
        0 => vec![Preference::Usual; k],
        1 => vec![list[0]; k],
        n if n == k => list.to_vec(),
        n => {
            c.fail(
                "method.preference",
                format!("must be empty (usual), one function, or one per criterion ({k})"),
                format!("{n} functions"),
            );
            Vec::new()
        }
    };
    for (j, p) in out.iter().enumerate() {
        p.check(&mut c, format_args!("method.preference[{j}]"));
    }
    c.finish().map(|_| out)
}

/// PROMETHEE unicriterion flows: (positive, negative) alternatives x criteria, each divided by
/// `n - 1` so that the weighted sums are the usual flows in [0, 1].
fn unicriterion_flows(
    m: ArrayView2<'_, f64>,
    directions: &[Direction],
    prefs: &[Preference],
) -> (Array2<f64>, Array2<f64>) {
    let (n, k) = m.dim();
    let mut plus = Array2::zeros((n, k));
    let mut minus = Array2::zeros((n, k));
    if n < 2 {
        return (plus, minus);
    }
    let scale = 1.0 / (n - 1) as f64;
    for j in 0..k {
        let sign = match directions[j] {
            Direction::Benefit => 1.0,
            Direction::Cost => -1.0,
        };
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let p = prefs[j].degree(sign * (m[(a, j)] - m[(b, j)]));
                    plus[(a, j)] += p * scale;
                    minus[(b, j)] += p * scale;
                }
            }
        }
    }
    (plus, minus)
}

/// Prepares `method` on a validated matrix.
fn prepare(m: ArrayView2<'_, f64>, directions: &[Direction], method: &Method) -> Result<Prepared> {
    Ok(match method {
        Method::WeightedSum { normalisation } => Prepared::Additive {
            r: normalise(m, directions, *normalisation)?,
        },
        Method::Topsis => {
            let r = vector_normalise(m);
            let (mut best, mut worst) = (Vec::new(), Vec::new());
            for (j, d) in directions.iter().enumerate() {
                let col = r.column(j);
                let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let (b, w) = match d {
                    Direction::Benefit => (hi, lo),
                    Direction::Cost => (lo, hi),
                };
                best.push(b);
                worst.push(w);
            }
            Prepared::Topsis { r, best, worst }
        }
        Method::Promethee { preference } => {
            let prefs = preferences(preference, m.ncols())?;
            let (plus, minus) = unicriterion_flows(m, directions, &prefs);
            Prepared::Additive { r: plus - minus }
        }
    })
}

/// Validates weights (one per criterion, finite, >= 0, not all zero) and divides by their sum.
pub fn normalise_weights(weights: &[f64], criteria: usize) -> Result<Vec<f64>> {
    let mut c = Checker::new();
    if c.length("weights", weights.len(), criteria, "criterion") {
        c.each("weights", weights, |c, f, v| c.non_negative(f, v));
        let sum: f64 = weights.iter().sum();
        if weights.iter().all(|w| w.is_finite() && *w >= 0.0) && sum <= 0.0 {
            c.fail("weights", "must not all be zero", format!("sum {sum}"));
        }
    }
    c.finish()?;
    let sum: f64 = weights.iter().sum();
    Ok(weights.iter().map(|w| w / sum).collect())
}

/// Competition ranks ("1224") of scores, higher is better, with scores tied by
/// [`crate::decision::ties::tied`] sharing the better rank: `[0.2, 0.1 + 0.2, 0.3, 0.1]` ranks
/// `[3, 1, 1, 4]`.
pub fn ranks(scores: &[f64]) -> Vec<usize> {
    let mut out = vec![0; scores.len()];
    competition_ranks(scores, &mut Vec::new(), &mut out);
    out
}

/// Scores and ranks `matrix` (alternatives x criteria) with `method`; tied scores (see
/// [`crate::decision::ties`]) share the better competition rank.
pub fn mcda(
    matrix: ArrayView2<'_, f64>,
    weights: &[f64],
    directions: &[Direction],
    method: &Method,
) -> Result<Mcda> {
    check_matrix(matrix, directions)?;
    let w = normalise_weights(weights, matrix.ncols())?;
    let prepared = prepare(matrix, directions, method)?;
    let n = matrix.nrows();
    let mut scores = vec![0.0; n];
    let mut result = Mcda {
        scores: Vec::new(),
        ranks: Vec::new(),
        weights: w.clone(),
        normalised: Array2::zeros((0, 0)),
        ideal_distance: None,
        anti_ideal_distance: None,
        positive_flow: None,
        negative_flow: None,
    };
    match &prepared {
        Prepared::Topsis { r, best, worst } => {
            let (mut plus, mut minus) = (Vec::new(), Vec::new());
            topsis_scores(
                r,
                best,
                worst,
                &w,
                &mut scores,
                Some((&mut plus, &mut minus)),
            );
            result.ideal_distance = Some(plus);
            result.anti_ideal_distance = Some(minus);
            result.normalised = r.clone();
        }
        Prepared::Additive { r } => {
            prepared.scores(&w, &mut scores);
            result.normalised = r.clone();
        }
    }
    if let Method::Promethee { preference } = method {
        let prefs = preferences(preference, matrix.ncols())?;
        let (plus, minus) = unicriterion_flows(matrix, directions, &prefs);
        let weighted = |m: &Array2<f64>| -> Vec<f64> {
            m.rows()
                .into_iter()
                .map(|row| row.iter().zip(&w).map(|(x, w)| x * w).sum())
                .collect()
        };
        result.positive_flow = Some(weighted(&plus));
        result.negative_flow = Some(weighted(&minus));
    }
    result.ranks = ranks(&scores);
    result.scores = scores;
    Ok(result)
}

/// SMAA-2 rank acceptability (Lahdelma, Hokkanen & Salminen 1998; Lahdelma & Salminen 2001).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankAcceptability {
    /// Alternatives x ranks: the share of weight samples in which the alternative gets that rank
    /// (rank 1 in column 0), ranks being the competition ranks of [`ranks`]: an alternative tied
    /// for a rank counts as that rank, for each tied alternative. Each row adds up to one.
    pub acceptability: Array2<f64>,
    /// Alternatives x criteria: the mean weight vector of the samples that rank the alternative
    /// first, ties for first included (NaN when it never ranks first) — the "typical"
    /// preferences that favour it.
    pub central_weights: Array2<f64>,
    /// Number of weight samples.
    pub samples: usize,
    /// The seed of the generator (ChaCha8).
    pub seed: u64,
}

/// Samples `n` weight vectors uniformly on the simplex (Dirichlet(1, ..., 1): normalised
/// standard exponentials `-ln U`) from a ChaCha8 generator seeded with `seed`, ranks the
/// alternatives with `method` under each (ties as in [`ranks`]), and counts the ranks. The same
/// seed gives bit-identical results on every platform (ChaCha8 is portable and the loop is
/// sequential).
pub fn rank_acceptability(
    matrix: ArrayView2<'_, f64>,
    directions: &[Direction],
    method: &Method,
    n: usize,
    seed: u64,
) -> Result<RankAcceptability> {
    rank_acceptability_watched(matrix, directions, method, n, seed, &Progress::new())
}

/// Most weight samples [`rank_acceptability`] draws: 10^8, some minutes of work for a small
/// matrix; acceptabilities are then exact to about 10^-4 (binomial standard error), far below
/// any difference that matters.
pub const MAX_WEIGHT_SAMPLES: usize = 100_000_000;

/// [`rank_acceptability`], counting samples in `progress` (in thousands) and stopping with an
/// error when it is cancelled.
pub fn rank_acceptability_watched(
    matrix: ArrayView2<'_, f64>,
    directions: &[Direction],
    method: &Method,
    n: usize,
    seed: u64,
    progress: &Progress,
) -> Result<RankAcceptability> {
    check_matrix(matrix, directions)?;
    let mut c = Checker::new();
    if n == 0 || n > MAX_WEIGHT_SAMPLES {
        c.fail(
            "n",
            format!("must be between 1 and {MAX_WEIGHT_SAMPLES}"),
            n.to_string(),
        );
    }
    c.finish()?;
    crate::limits::check(
        "matrix",
        format!("{} x {}", matrix.nrows(), matrix.ncols()),
        crate::limits::weight_sensitivity(matrix.nrows(), matrix.ncols()),
    )?;
    let prepared = prepare(matrix, directions, method)?;
    let (alts, k) = matrix.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = Array2::<u64>::zeros((alts, alts));
    let mut first_weights = Array2::<f64>::zeros((alts, k));
    let mut w = vec![0.0; k];
    let mut scores = vec![0.0; alts];
    let mut rank = vec![0; alts];
    let mut order = Vec::with_capacity(alts);
    for sample in 0..n {
        if sample % 1024 == 0 && progress.cancelled() {
            return Err(cancelled());
        }
        let mut sum = 0.0;
        for x in w.iter_mut() {
            // 1 - U lies in (0, 1], so the logarithm is finite.
            *x = -(1.0 - rng.random::<f64>()).ln();
            sum += *x;
        }
        if sum > 0.0 {
            w.iter_mut().for_each(|x| *x /= sum);
        } else {
            // All draws exactly 1 - U = 1 (probability 2^-53k): fall back to equal weights.
            w.iter_mut().for_each(|x| *x = 1.0 / k as f64);
        }
        prepared.scores(&w, &mut scores);
        competition_ranks(&scores, &mut order, &mut rank);
        for (a, &r) in rank.iter().enumerate() {
            counts[(a, r - 1)] += 1;
            if r == 1 {
                for (j, &x) in w.iter().enumerate() {
                    first_weights[(a, j)] += x;
                }
            }
        }
    }
    let acceptability = counts.mapv(|x| x as f64 / n as f64);
    let mut central_weights = first_weights;
    for (a, mut row) in central_weights.rows_mut().into_iter().enumerate() {
        let times = counts[(a, 0)];
        if times == 0 {
            row.fill(f64::NAN);
        } else {
            row.mapv_inplace(|x| x / times as f64);
        }
    }
    Ok(RankAcceptability {
        acceptability,
        central_weights,
        samples: n,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_functions_at_their_thresholds() {
        let lin = Preference::Linear { q: 1.0, p: 3.0 };
        assert_eq!(lin.degree(1.0), 0.0);
        assert_eq!(lin.degree(2.0), 0.5);
        assert_eq!(lin.degree(5.0), 1.0);
        assert_eq!(Preference::Usual.degree(0.0), 0.0);
        assert_eq!(Preference::Usual.degree(1e-12), 1.0);
        assert_eq!(Preference::Level { q: 1.0, p: 2.0 }.degree(1.5), 0.5);
        assert_eq!(Preference::VShape { p: 4.0 }.degree(1.0), 0.25);
        assert_eq!(Preference::UShape { q: 2.0 }.degree(2.0), 0.0);
        let g = Preference::Gaussian { s: 1.0 }.degree(1.0);
        assert!((g - (1.0 - (-0.5f64).exp())).abs() < 1e-15);
    }

    #[test]
    fn competition_ranks() {
        assert_eq!(ranks(&[0.2, 0.9, 0.2, 0.1]), vec![2, 1, 2, 4]);
    }
}
