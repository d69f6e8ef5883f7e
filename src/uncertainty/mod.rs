//! Parameter uncertainty for probabilistic sensitivity analysis: named distributions on any numeric
//! field of the calibration or the scenario, addressed by path, drawn from a seeded counter-based
//! stream so that a draw depends only on `(seed, parameter path, draw index)`.
//!
//! A parameter either **sets** a field to the drawn value (`scenario.variant.r0`,
//! `calibration.severity.p_hospital_given_infection[3]`) or **scales** it: the drawn value is a
//! factor that multiplies the number, or every number of a vector or matrix at the path
//! (`calibration.severity.p_hospital_given_infection` scaled as a whole keeps the age profile's
//! shape; its bands move together, perfectly correlated). Scaling is also how one uncertainty set
//! serves several scenarios: a factor on `scenario.variant.r0` keeps each scenario's own R0 as the
//! centre.
//!
//! **Determinism and common random numbers.** The value of parameter `p` in draw `d` is sampled
//! from ChaCha12 keyed by the seed and the FNV-1a hash of `p`'s path, on stream `d` (Bernstein's
//! ChaCha as in `rand_chacha`; 2^64 independent streams per key). Nothing else enters, so a draw is
//! the same whatever the number of threads or workers, whatever order runs finish in, in every
//! policy and every scenario of a sweep (common random numbers: differences between policies are
//! not blurred by different draws), and adding or removing another parameter leaves it unchanged.
//! Samplers are those of `rand_distr` with its portable `libm` maths, so draws are identical across
//! platforms too.
//!
//! **Validity.** Parameters of the distributions are checked (a negative sd, a beta with a
//! non-positive shape, `low > high`), paths must exist and hold numbers, a beta may only *set* a
//! share (its draws lie in [0, 1]), and the values a distribution can reach must pass the model's own
//! validation: the bounds of its support (5 standard deviations out for long tails: a normal
//! draw passes them with probability 6e-7), or of its truncation, are applied one parameter at a
//! time and checked by [`Model::new`]. A combination of several parameters that breaks a rule
//! across fields is reported with its draw index when it occurs.

use std::collections::BTreeSet;
use std::fmt::Display;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha12Rng;
use rand_distr::Distribution as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::epidemic::model::Model;
use crate::error::{from_json, Error, FieldError, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::scenario::Scenario;
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

/// A distribution of one uncertain value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Log-normal: `exp(N(mu, sigma))`; the median is `exp(mu)` (`mu = 0` for a factor around 1).
    Lognormal { mu: f64, sigma: f64 },
    /// Beta on [0, 1] with shapes `alpha` and `beta` (mean `alpha / (alpha + beta)`).
    Beta { alpha: f64, beta: f64 },
    /// Gamma with `shape` k and `scale` theta (mean k theta, variance k theta^2).
    Gamma { shape: f64, scale: f64 },
    /// Uniform on [low, high].
    Uniform { low: f64, high: f64 },
    /// Triangular on [low, high] with its peak at `mode`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// Always `value` (to pin a parameter without removing it).
    Fixed { value: f64 },
}

/// Standard deviations at which an unbounded tail is probed for validity.
const TAIL_SDS: f64 = 5.0;

impl Distribution {
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Normal { .. } => "normal",
            Distribution::Lognormal { .. } => "lognormal",
            Distribution::Beta { .. } => "beta",
            Distribution::Gamma { .. } => "gamma",
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Fixed { .. } => "fixed",
        }
    }

    /// E.g. `normal(mean 0.3, sd 0.1)`, for messages.
    pub fn describe(&self) -> String {
        let args = match *self {
            Distribution::Normal { mean, sd } => format!("mean {mean}, sd {sd}"),
            Distribution::Lognormal { mu, sigma } => format!("mu {mu}, sigma {sigma}"),
            Distribution::Beta { alpha, beta } => format!("alpha {alpha}, beta {beta}"),
            Distribution::Gamma { shape, scale } => format!("shape {shape}, scale {scale}"),
            Distribution::Uniform { low, high } => format!("low {low}, high {high}"),
            Distribution::Triangular { low, mode, high } => {
                format!("low {low}, mode {mode}, high {high}")
            }
            Distribution::Fixed { value } => format!("value {value}"),
        };
        format!("{}({args})", self.name())
    }

    /// Checks the distribution's own parameters; `field` is the distribution's path.
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        match *self {
            Distribution::Normal { mean, sd } => {
                c.finite(format_args!("{field}.mean"), mean);
                c.non_negative(format_args!("{field}.sd"), sd);
            }
            Distribution::Lognormal { mu, sigma } => {
                c.finite(format_args!("{field}.mu"), mu);
                c.non_negative(format_args!("{field}.sigma"), sigma);
            }
            Distribution::Beta { alpha, beta } => {
                c.positive(format_args!("{field}.alpha"), alpha);
                c.positive(format_args!("{field}.beta"), beta);
            }
            Distribution::Gamma { shape, scale } => {
                c.positive(format_args!("{field}.shape"), shape);
                c.positive(format_args!("{field}.scale"), scale);
            }
            Distribution::Uniform { low, high } => {
                if c.finite(format_args!("{field}.low"), low)
                    && c.finite(format_args!("{field}.high"), high)
                    && low > high
                {
                    c.fail(
                        format_args!("{field}.high"),
                        format!("must be >= low ({low})"),
                        format!("{high}"),
                    );
                }
            }
            Distribution::Triangular { low, mode, high } => {
                let ok = c.finite(format_args!("{field}.low"), low)
                    & c.finite(format_args!("{field}.mode"), mode)
                    & c.finite(format_args!("{field}.high"), high);
                if ok && !(low <= mode && mode <= high) {
                    c.fail(
                        format_args!("{field}.mode"),
                        format!("must lie between low ({low}) and high ({high})"),
                        format!("{mode}"),
                    );
                }
            }
            Distribution::Fixed { value } => {
                c.finite(format_args!("{field}.value"), value);
            }
        }
    }

    /// One draw (the distribution must have passed [`Distribution::check`]).
    fn draw(&self, rng: &mut ChaCha12Rng) -> f64 {
        // Parameters were checked, so the constructors cannot fail; a degenerate spread
        // (sd 0, low == high) gives its single value.
        match *self {
            Distribution::Normal { mean, sd } => {
                rand_distr::Normal::new(mean, sd).map_or(mean, |d| d.sample(rng))
            }
            Distribution::Lognormal { mu, sigma } => {
                rand_distr::LogNormal::new(mu, sigma).map_or(mu.exp(), |d| d.sample(rng))
            }
            Distribution::Beta { alpha, beta } => {
                rand_distr::Beta::new(alpha, beta).map_or(alpha / (alpha + beta), |d| d.sample(rng))
            }
            Distribution::Gamma { shape, scale } => {
                rand_distr::Gamma::new(shape, scale).map_or(shape * scale, |d| d.sample(rng))
            }
            Distribution::Uniform { low, high } => {
                rand_distr::Uniform::new_inclusive(low, high).map_or(low, |d| d.sample(rng))
            }
            Distribution::Triangular { low, mode, high } => {
                rand_distr::Triangular::new(low, high, mode).map_or(mode, |d| d.sample(rng))
            }
            Distribution::Fixed { value } => value,
        }
    }

    /// Mean and variance, for tests and summaries.
    pub fn moments(&self) -> (f64, f64) {
        match *self {
            Distribution::Normal { mean, sd } => (mean, sd * sd),
            Distribution::Lognormal { mu, sigma } => {
                let s2 = sigma * sigma;
                (
                    (mu + s2 / 2.0).exp(),
                    (s2.exp() - 1.0) * (2.0 * mu + s2).exp(),
                )
            }
            Distribution::Beta { alpha, beta } => {
                let n = alpha + beta;
                (alpha / n, alpha * beta / (n * n * (n + 1.0)))
            }
            Distribution::Gamma { shape, scale } => (shape * scale, shape * scale * scale),
            Distribution::Uniform { low, high } => {
                ((low + high) / 2.0, (high - low).powi(2) / 12.0)
            }
            Distribution::Triangular { low, mode, high } => (
                (low + mode + high) / 3.0,
                (low * low + mode * mode + high * high - low * mode - low * high - mode * high)
                    / 18.0,
            ),
            Distribution::Fixed { value } => (value, 0.0),
        }
    }

    /// The cumulative distribution function `P(X <= x)`.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match *self {
            Distribution::Normal { mean, sd } => {
                step_or(sd, x, mean, || normal_cdf((x - mean) / sd))
            }
            Distribution::Lognormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    step_or(sigma, x.ln(), mu, || normal_cdf((x.ln() - mu) / sigma))
                }
            }
            Distribution::Beta { alpha, beta } => {
                if x <= 0.0 {
                    0.0
                } else if x >= 1.0 {
                    1.0
                } else {
                    incomplete_beta(alpha, beta, x)
                }
            }
            Distribution::Gamma { shape, scale } => {
                if x <= 0.0 {
                    0.0
                } else {
                    lower_gamma(shape, x / scale)
                }
            }
            Distribution::Uniform { low, high } => step_or(high - low, x, low, || {
                ((x - low) / (high - low)).clamp(0.0, 1.0)
            }),
            Distribution::Triangular { low, mode, high } => step_or(high - low, x, low, || {
                if x <= low {
                    0.0
                } else if x >= high {
                    1.0
                } else if x <= mode {
                    (x - low).powi(2) / ((high - low) * (mode - low))
                } else {
                    1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
                }
            }),
            Distribution::Fixed { value } => {
                if x < value {
                    0.0
                } else {
                    1.0
                }
            }
        }
    }

    /// The quantile function (inverse of [`Distribution::cdf`]): the smallest `x` with
    /// `P(X <= x) >= p`, for `p` in [0, 1] (NaN outside). Closed forms for the normal and
    /// log-normal (through the standard normal quantile), uniform, triangular and fixed; bisection
    /// on the CDF (regularised incomplete beta and gamma functions) for the beta and the gamma.
    /// Unbounded tails give infinities at `p = 0` or `p = 1`.
    pub fn quantile(&self, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        match *self {
            Distribution::Normal { mean, sd } => mean + sd * normal_quantile(p),
            Distribution::Lognormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
            Distribution::Beta { alpha, beta } => {
                bisect(0.0, 1.0, p, |x| incomplete_beta(alpha, beta, x))
            }
            Distribution::Gamma { shape, scale } => {
                if p == 1.0 {
                    return f64::INFINITY;
                }
                let mut high = shape.max(1.0);
                while lower_gamma(shape, high) < p {
                    high *= 2.0;
                }
                scale * bisect(0.0, high, p, |y| lower_gamma(shape, y))
            }
            Distribution::Uniform { low, high } => low + p * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let width = high - low;
                if width == 0.0 {
                    return low;
                }
                if p * width < mode - low {
                    low + (p * width * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - p) * width * (high - mode)).sqrt()
                }
            }
            Distribution::Fixed { value } => value,
        }
    }

    /// The smallest and largest values a draw can take, each with how it was found: the support's
    /// bounds, or `TAIL_SDS` standard deviations out for a long tail (on the log scale for the
    /// log-normal; by the Wilson-Hilferty cube-root approximation for the gamma; within [0, 1]
    /// for the beta).
    fn reach(&self) -> [(f64, String); 2] {
        let z = TAIL_SDS;
        match *self {
            Distribution::Normal { mean, sd } => [
                (mean - z * sd, format!("mean - {z} sd")),
                (mean + z * sd, format!("mean + {z} sd")),
            ],
            Distribution::Lognormal { mu, sigma } => [
                ((mu - z * sigma).exp(), format!("exp(mu - {z} sigma)")),
                ((mu + z * sigma).exp(), format!("exp(mu + {z} sigma)")),
            ],
            Distribution::Beta { .. } => {
                let (mean, var) = self.moments();
                [
                    (
                        (mean - z * var.sqrt()).max(0.0),
                        format!("mean - {z} sd (at least 0)"),
                    ),
                    (
                        (mean + z * var.sqrt()).min(1.0),
                        format!("mean + {z} sd (at most 1)"),
                    ),
                ]
            }
            Distribution::Gamma { shape, scale } => {
                let c = 1.0 / (9.0 * shape);
                let q = |z: f64| shape * scale * (1.0 - c + z * c.sqrt()).max(0.0).powi(3);
                [
                    (
                        q(-z).max(f64::MIN_POSITIVE),
                        format!("{z} sd below the mean"),
                    ),
                    (q(z), format!("{z} sd above the mean")),
                ]
            }
            Distribution::Uniform { low, high } | Distribution::Triangular { low, high, .. } => {
                [(low, "low".into()), (high, "high".into())]
            }
            Distribution::Fixed { value } => [(value, "value".into()), (value, "value".into())],
        }
    }
}

/// The CDF of a distribution that may be degenerate: a step at `at` when `spread` is 0.
fn step_or(spread: f64, x: f64, at: f64, f: impl FnOnce() -> f64) -> f64 {
    if spread > 0.0 {
        f()
    } else if x < at {
        0.0
    } else {
        1.0
    }
}

// The special functions below are written out because the crate that would provide them does
// not meet the accuracy the quantiles need: statrs 0.18's gamma `inverse_cdf` returns NaN for
// shape 0.4 at p <= 0.05, and its normal CDF is off by about 1e-12 at 1.96 (checked 2026-11).

/// Standard normal CDF, `erfc(-z / sqrt 2) / 2`, through the incomplete gamma function
/// (`erfc(t) = Q(1/2, t^2)` for `t >= 0`), accurate to about 1e-15.
fn normal_cdf(z: f64) -> f64 {
    let t = z * std::f64::consts::FRAC_1_SQRT_2;
    let tail = 0.5 * upper_gamma(0.5, t * t);
    if z < 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Standard normal quantile: bisection on [`normal_cdf`] (exact to the last bits; the tails use
/// the symmetric upper tail so that small `p` keep their precision).
fn normal_quantile(p: f64) -> f64 {
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p > 0.5 {
        return -normal_quantile(1.0 - p);
    }
    // Lower half: P(Z <= -t) = Q(1/2, t^2/2) / 2 falls with t; find where it reaches p, keeping
    // the precision of small p (no `1 - p`).
    -bisect(0.0, 40.0, -p, |t| -0.5 * upper_gamma(0.5, t * t / 2.0))
}

/// The smallest `x` in `[low, high]` with `f(x) >= p` for a non-decreasing `f`, by bisection to
/// the resolution of floating point.
fn bisect(mut low: f64, mut high: f64, p: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if f(mid) >= p {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

/// `ln Gamma(x)` for `x > 0` (Lanczos, g = 7, nine coefficients; relative error about 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = G[1..]
        .iter()
        .enumerate()
        .fold(G[0], |acc, (i, g)| acc + g / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

const EPS: f64 = 1e-16;
const TINY: f64 = 1e-300;

/// Regularised lower incomplete gamma `P(a, x)` (series below `a + 1`, continued fraction above;
/// Press et al., Numerical Recipes, 3rd ed., 6.2).
fn lower_gamma(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x < a + 1.0 {
        gamma_series(a, x)
    } else {
        1.0 - gamma_fraction(a, x)
    }
}

/// Regularised upper incomplete gamma `Q(a, x) = 1 - P(a, x)`, without cancellation in the tail.
fn upper_gamma(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else if x < a + 1.0 {
        1.0 - gamma_series(a, x)
    } else {
        gamma_fraction(a, x)
    }
}

fn gamma_series(a: f64, x: f64) -> f64 {
    let (mut ap, mut term) = (a, 1.0 / a);
    let mut sum = term;
    for _ in 0..10_000 {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * EPS {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

fn gamma_fraction(a: f64, x: f64) -> f64 {
    // Modified Lentz.
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..10_000 {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPS {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// Regularised incomplete beta `I_x(a, b)` (continued fraction, on the side where it converges
/// fast; Numerical Recipes 6.4).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        for aa in [
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ] {
            d = 1.0 + aa * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// What a drawn value does to the field at the path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Apply {
    /// The field becomes the drawn value (the path must name one number).
    #[default]
    Set,
    /// The drawn value multiplies the number, or every number of the vector or matrix, at the path.
    Scale,
}

impl Apply {
    pub fn name(self) -> &'static str {
        match self {
            Apply::Set => "set",
            Apply::Scale => "scale",
        }
    }
}

/// Bounds within which draws are kept (draws outside are redrawn from the same stream, which
/// gives the distribution truncated to the bounds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truncate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
}

/// Draws tried before a truncated distribution gives up (the bounds then keep almost nothing).
const MAX_TRIES: usize = 10_000;

/// One uncertain parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// `calibration.` or `scenario.` followed by the field path, with `[i]` for elements:
    /// `scenario.variant.r0`, `calibration.severity.p_hospital_given_infection[8]`.
    pub path: String,
    #[serde(default)]
    pub apply: Apply,
    pub distribution: Distribution,
    /// Optional truncation of the drawn value (of the factor, for `scale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncate: Option<Truncate>,
}

impl Parameter {
    /// The drawn value (the factor for `scale`) in draw `draw` of `seed`; `None` when a
    /// truncation kept none of [`MAX_TRIES`] draws.
    pub fn value(&self, seed: u64, draw: u64) -> Option<f64> {
        let mut rng = stream(seed, &self.path, draw);
        let Some(t) = self.truncate else {
            return Some(self.distribution.draw(&mut rng));
        };
        let (low, high) = (
            t.low.unwrap_or(f64::NEG_INFINITY),
            t.high.unwrap_or(f64::INFINITY),
        );
        (0..MAX_TRIES)
            .map(|_| self.distribution.draw(&mut rng))
            .find(|x| (low..=high).contains(x))
    }

    /// The `p`-quantile of the drawn value (the factor for `scale`), truncation included: the
    /// distribution's quantile at `F(low) + p (F(high) - F(low))`, kept within the bounds.
    pub fn quantile(&self, p: f64) -> f64 {
        let d = &self.distribution;
        let Some(t) = self.truncate else {
            return d.quantile(p);
        };
        if !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        let f_low = t.low.map_or(0.0, |x| d.cdf(x));
        let f_high = t.high.map_or(1.0, |x| d.cdf(x));
        let x = d.quantile(f_low + p * (f_high - f_low));
        x.clamp(
            t.low.unwrap_or(f64::NEG_INFINITY),
            t.high.unwrap_or(f64::INFINITY),
        )
    }

    /// The values a draw can reach (see [`Distribution::reach`]), within the truncation.
    fn reach(&self) -> Vec<(f64, String)> {
        let mut out = self.distribution.reach().to_vec();
        if let Some(t) = self.truncate {
            if let Some(low) = t.low {
                if low > out[0].0 {
                    out[0] = (low, "truncate.low".into());
                }
            }
            if let Some(high) = t.high {
                if high < out[1].0 {
                    out[1] = (high, "truncate.high".into());
                }
            }
        }
        if out[0].0 == out[1].0 {
            out.pop();
        }
        out
    }
}

/// The ChaCha12 stream of one parameter in one draw: key = (seed, FNV-1a of the path), stream =
/// draw index. Every draw of every parameter has its own independent stream.
fn stream(seed: u64, path: &str, draw: u64) -> ChaCha12Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(path).to_le_bytes());
    key[16..24].copy_from_slice(b"afweging");
    let mut rng = ChaCha12Rng::from_seed(key);
    rng.set_stream(draw);
    rng
}

/// 64-bit FNV-1a (Fowler, Noll, Vo): a fixed, platform-independent hash of a path.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A set of uncertain parameters, with the sources of their distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub parameters: Vec<Parameter>,
    /// Provenance of each distribution, keyed by the parameter's path.
    #[serde(default)]
    pub sources: Sources,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/uncertainty.json");

/// Which input a path starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Calibration,
    Scenario,
}

/// A path parsed into its root and a JSON pointer below it.
fn parse_path(path: &str) -> std::result::Result<(Root, String), String> {
    let (root, rest) = path
        .split_once('.')
        .ok_or("must start with `calibration.` or `scenario.` and name a field")?;
    let root = match root {
        "calibration" => Root::Calibration,
        "scenario" => Root::Scenario,
        _ => return Err("must start with `calibration.` or `scenario.`".into()),
    };
    let mut pointer = String::new();
    for part in rest.split('.') {
        let (name, mut indices) = part.split_once('[').map_or((part, ""), |(n, i)| (n, i));
        let valid_name =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(format!("has an invalid part {part:?}"));
        }
        pointer.push('/');
        pointer.push_str(name);
        while !indices.is_empty() {
            let (index, after) = indices
                .split_once(']')
                .ok_or_else(|| format!("has an unclosed `[` in {part:?}"))?;
            let index: usize = index
                .parse()
                .map_err(|_| format!("has an invalid index {index:?} in {part:?}"))?;
            pointer.push('/');
            pointer.push_str(&index.to_string());
            indices = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return Err(format!("has text after `]` in {part:?}"));
            }
        }
    }
    Ok((root, pointer))
}

/// Applies `x` at `pointer` in `doc`, by `apply`.
fn apply_at(
    doc: &mut Value,
    pointer: &str,
    apply: Apply,
    x: f64,
) -> std::result::Result<(), String> {
    let node = doc.pointer_mut(pointer).ok_or("no such field")?;
    match apply {
        Apply::Set => {
            if !node.is_number() {
                return Err(if node.is_array() {
                    "is a vector: name one element (`[i]`) to set it, or scale the whole vector with \"apply\": \"scale\"".into()
                } else {
                    format!("is not a number (it is {})", kind(node))
                });
            }
            *node = number(x);
        }
        Apply::Scale => scale(node, x)?,
    }
    Ok(())
}

fn scale(node: &mut Value, x: f64) -> std::result::Result<(), String> {
    match node {
        Value::Number(n) => {
            *node = number(n.as_f64().unwrap_or(f64::NAN) * x);
            Ok(())
        }
        Value::Array(items) if !items.is_empty() => items.iter_mut().try_for_each(|v| scale(v, x)),
        other => Err(format!(
            "is not a number or a vector of numbers (it is {})",
            kind(other)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an empty or mixed list",
        Value::Object(_) => "an object",
    }
}

/// A JSON number; non-finite values (which validation then rejects) become null.
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Deserialises a typed input from an edited JSON value, naming the field of a type error.
fn typed<T: serde::de::DeserializeOwned>(root: &str, value: Value) -> Result<T> {
    // The plain deserializer on the hot path (once per draw); the path-tracking one, about twice
    // as slow, only to name the field when it fails.
    if let Ok(input) = T::deserialize(&value) {
        return Ok(input);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        Error::Validation(vec![FieldError {
            field: format!("{root}.{}", e.path()),
            message: format!("does not accept the drawn value: {}", e.inner()),
            value: String::new(),
        }])
    })
}

/// JSON of an input without its `sources` maps, at the top and in its parts (the impact data's
/// alone are two thirds of the calibration's text): no run reads them, and each draw copies and
/// deserialises what is left.
fn bare<T: Serialize>(input: &T) -> Value {
    let mut v = serde_json::to_value(input).expect("inputs serialise");
    strip_sources(&mut v);
    v
}

/// Removes every `sources` map below `value`: in the input types the name is kept for provenance.
fn strip_sources(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("sources");
        map.values_mut().for_each(strip_sources);
    }
}

impl Uncertainty {
    /// The embedded default for the Netherlands (`data/netherlands/uncertainty.json`).
    pub fn netherlands() -> Uncertainty {
        Uncertainty::from_json_str(NETHERLANDS).expect("embedded uncertainty is valid")
    }

    /// No uncertain parameter: every draw is the base inputs.
    pub fn none() -> Uncertainty {
        Uncertainty {
            name: "none".into(),
            description: String::new(),
            parameters: Vec::new(),
            sources: Sources::new(),
        }
    }

    /// Parses and checks (see [`Uncertainty::validate`]).
    pub fn from_json_str(text: &str) -> Result<Uncertainty> {
        let u: Uncertainty = from_json("uncertainty", text)?;
        u.validate()?;
        Ok(u)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("uncertainty serialises")
    }

    /// The parameter paths, in order.
    pub fn paths(&self) -> Vec<String> {
        self.parameters.iter().map(|p| p.path.clone()).collect()
    }

    /// Checks what can be checked without inputs: distribution parameters, truncation bounds and
    /// the syntax of the paths (unique, under `calibration.` or `scenario.`).
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        let mut seen = BTreeSet::new();
        for (i, p) in self.parameters.iter().enumerate() {
            let f = format_args!("uncertainty.parameters[{i}]");
            if let Err(message) = parse_path(&p.path) {
                c.fail(format_args!("{f}.path"), message, format!("{:?}", p.path));
            }
            if !seen.insert(p.path.as_str()) {
                c.fail(
                    format_args!("{f}.path"),
                    "appears twice (give each field one distribution)",
                    format!("{:?}", p.path),
                );
            }
            p.distribution
                .check(format_args!("{f}.distribution"), &mut c);
            if let Some(t) = p.truncate {
                let (lo, hi) = (
                    t.low.unwrap_or(f64::NEG_INFINITY),
                    t.high.unwrap_or(f64::INFINITY),
                );
                if t.low.is_some_and(f64::is_nan) || t.high.is_some_and(f64::is_nan) || lo >= hi {
                    c.fail(
                        format_args!("{f}.truncate"),
                        "must have low < high",
                        format!("[{lo}, {hi}]"),
                    );
                }
                let reach = p.distribution.reach();
                if hi < reach[0].0 || lo > reach[1].0 {
                    c.fail(
                        format_args!("{f}.truncate"),
                        format!("leaves nothing of {}", p.distribution.describe()),
                        format!("[{lo}, {hi}]"),
                    );
                }
            }
        }
        c.finish()
    }

    /// The drawn values (factors for `scale`), one per parameter, of draw `draw`.
    pub fn draw(&self, seed: u64, draw: u64) -> Result<Vec<f64>> {
        let values = self.parameters.iter().enumerate().map(|(i, p)| {
            p.value(seed, draw).ok_or_else(|| {
                Error::Validation(vec![FieldError {
                    field: format!("uncertainty.parameters[{i}].truncate"),
                    message: format!(
                        "keeps almost none of {}: {MAX_TRIES} tries in draw {draw} fell outside",
                        p.distribution.describe()
                    ),
                    value: format!("{:?}", p.truncate),
                }])
            })
        });
        values.collect()
    }

    /// The quantiles `probabilities` of every parameter (the factor for `scale`; truncation
    /// included), one row per parameter. Each probability must lie strictly between 0 and 1 (the
    /// tails of unbounded distributions reach infinity at 0 and 1).
    pub fn quantiles(&self, probabilities: &[f64]) -> Result<Vec<Vec<f64>>> {
        let mut c = Checker::new();
        for (i, &p) in probabilities.iter().enumerate() {
            if !(p > 0.0 && p < 1.0) {
                c.fail(
                    format_args!("quantiles[{i}]"),
                    "must lie strictly between 0 and 1",
                    format!("{p}"),
                );
            }
        }
        c.finish()?;
        Ok(self
            .parameters
            .iter()
            .map(|par| probabilities.iter().map(|&p| par.quantile(p)).collect())
            .collect())
    }

    /// Prepares the parameters for a calibration and scenario, checking that every path exists
    /// and that every value a distribution can reach gives valid inputs.
    pub fn prepare(&self, calibration: &Calibration, scenario: &Scenario) -> Result<Prepared> {
        self.validate()?;
        let (calibration_json, scenario_json) = (bare(calibration), bare(scenario));
        let prepared = Prepared {
            parameters: self
                .parameters
                .iter()
                .map(|p| {
                    let (root, pointer) = parse_path(&p.path).expect("validated");
                    (root, pointer, p.apply)
                })
                .collect(),
            parts: self
                .parameters
                .iter()
                .map(|p| {
                    let (root, pointer) = parse_path(&p.path).expect("validated");
                    match root {
                        Root::Calibration => part_of(CALIBRATION_PARTS, &pointer),
                        Root::Scenario => part_of(SCENARIO_PARTS, &pointer),
                    }
                })
                .collect(),
            // Without their sources (which no run reads), so each draw's copy is cheap: the
            // inputs of a draw that changes neither are the bare JSON read back.
            calibration: typed("calibration", calibration_json.clone())?,
            scenario: typed("scenario", scenario_json.clone())?,
            calibration_json,
            scenario_json,
        };
        let mut c = Checker::new();
        let mut failed = Vec::new();
        for (i, (p, (root, pointer, apply))) in
            self.parameters.iter().zip(&prepared.parameters).enumerate()
        {
            let f = format_args!("uncertainty.parameters[{i}]");
            let doc = match root {
                Root::Calibration => &prepared.calibration_json,
                Root::Scenario => &prepared.scenario_json,
            };
            let Some(node) = doc.pointer(pointer) else {
                c.fail(
                    format_args!("{f}.path"),
                    "no such field",
                    format!("{:?}", p.path),
                );
                continue;
            };
            let mut probe = node.clone();
            if let Err(message) = apply_at(&mut probe, "", *apply, 1.0) {
                c.fail(
                    format_args!("{f}.path"),
                    format!("{}: {message}", p.path),
                    kind(node).into(),
                );
                continue;
            }
            if let (Distribution::Beta { .. }, Apply::Set) = (&p.distribution, apply) {
                let v = node.as_f64().unwrap_or(f64::NAN);
                if !(0.0..=1.0).contains(&v) {
                    c.fail(
                        format_args!("{f}.distribution"),
                        format!("a beta draws shares in [0, 1], but {} is not a share; scale it (\"apply\": \"scale\") or use another distribution", p.path),
                        format!("{v}"),
                    );
                    continue;
                }
            }
            for (x, how) in p.reach() {
                let mut one = vec![f64::NAN; self.parameters.len()];
                one[i] = x;
                if let Err(e) = prepared
                    .inputs_with(&one, Some(i))
                    .and_then(|(cal, sc)| Model::new(cal, sc))
                {
                    for fe in e.field_errors() {
                        failed.push(FieldError {
                            field: fe.field,
                            message: format!(
                                "{f} ({} {}; truncate or narrow it) reaches {x} at {how}, where it {}",
                                apply.name(),
                                p.distribution.describe(),
                                fe.message,
                            ),
                            value: if fe.value.is_empty() { format!("{x}") } else { fe.value },
                        });
                    }
                    break;
                }
            }
        }
        let mut result = c.finish();
        if !failed.is_empty() {
            let mut all = match result {
                Err(Error::Validation(v)) => v,
                _ => Vec::new(),
            };
            all.extend(failed);
            result = Err(Error::Validation(all));
        }
        result.map(|_| prepared)
    }
}

/// Uncertain parameters bound to one calibration and scenario, ready to give each draw's inputs.
#[derive(Debug, Clone)]
pub struct Prepared {
    parameters: Vec<(Root, String, Apply)>,
    /// Per parameter, the part of its input it lies in ([`CALIBRATION_PARTS`] or
    /// [`SCENARIO_PARTS`]: index and length of the part's pointer), if any.
    parts: Vec<Option<(usize, usize)>>,
    calibration: Calibration,
    scenario: Scenario,
    calibration_json: Value,
    scenario_json: Value,
}

impl Prepared {
    /// The calibration and scenario with the drawn `values` applied (one per parameter). They carry
    /// no `sources`: a drawn figure is not the published one, and no run reads provenance.
    pub fn inputs(&self, values: &[f64]) -> Result<(Calibration, Scenario)> {
        self.inputs_with(values, None)
    }

    /// As [`Prepared::inputs`]; with `only`, applies that parameter alone.
    fn inputs_with(&self, values: &[f64], only: Option<usize>) -> Result<(Calibration, Scenario)> {
        match self.inputs_by_part(values, only) {
            Some(inputs) => Ok(inputs),
            None => self.inputs_whole(values, only),
        }
    }

    /// The inputs of a draw rebuilt part by part: the prepared calibration and scenario cloned,
    /// and only the parts that hold a drawn parameter deserialised again from their JSON with the
    /// values applied. The same inputs as [`Prepared::inputs_whole`] (a part deserialises alone as
    /// it does within its input; the other parts are those of the same JSON, read back), at a
    /// fraction of the cost: a draw of the default Dutch uncertainty no longer reads the
    /// economy's sectors or the contact matrices back. `None` when a parameter lies outside the
    /// listed parts or anything fails (then the whole inputs are rebuilt, which names the error).
    fn inputs_by_part(
        &self,
        values: &[f64],
        only: Option<usize>,
    ) -> Option<(Calibration, Scenario)> {
        let applied = |i: usize| only.is_none_or(|k| k == i);
        if (0..self.parameters.len()).any(|i| applied(i) && self.parts[i].is_none()) {
            return None;
        }
        fn rebuild<T: Clone>(
            prepared: &Prepared,
            typed: &T,
            json: &Value,
            root: Root,
            table: &[Part<T>],
            values: &[f64],
            applied: &dyn Fn(usize) -> bool,
        ) -> Option<T> {
            let mut out: Option<T> = None;
            for (k, part) in table.iter().enumerate() {
                let mut doc: Option<Value> = None;
                for (i, ((r, pointer, apply), &x)) in
                    prepared.parameters.iter().zip(values).enumerate()
                {
                    match prepared.parts[i] {
                        Some((index, len)) if *r == root && index == k && applied(i) => {
                            let node = doc.get_or_insert_with(|| {
                                json.pointer(part.pointer).cloned().unwrap_or(Value::Null)
                            });
                            apply_at(node, &pointer[len..], *apply, x).ok()?;
                        }
                        _ => {}
                    }
                }
                if let Some(doc) = doc {
                    (part.set)(out.get_or_insert_with(|| typed.clone()), &doc).ok()?;
                }
            }
            Some(out.unwrap_or_else(|| typed.clone()))
        }
        let cal = rebuild(
            self,
            &self.calibration,
            &self.calibration_json,
            Root::Calibration,
            CALIBRATION_PARTS,
            values,
            &applied,
        )?;
        let sc = rebuild(
            self,
            &self.scenario,
            &self.scenario_json,
            Root::Scenario,
            SCENARIO_PARTS,
            values,
            &applied,
        )?;
        Some((cal, sc))
    }

    /// The inputs of a draw rebuilt whole: the JSON of each input that holds a drawn parameter,
    /// with the values applied, deserialised again (naming the field of any error).
    fn inputs_whole(&self, values: &[f64], only: Option<usize>) -> Result<(Calibration, Scenario)> {
        let mut cal: Option<Value> = None;
        let mut sc: Option<Value> = None;
        for (i, ((root, pointer, apply), &x)) in self.parameters.iter().zip(values).enumerate() {
            if only.is_some_and(|k| k != i) {
                continue;
            }
            let doc = match root {
                Root::Calibration => cal.get_or_insert_with(|| self.calibration_json.clone()),
                Root::Scenario => sc.get_or_insert_with(|| self.scenario_json.clone()),
            };
            apply_at(doc, pointer, *apply, x).map_err(|message| {
                Error::Validation(vec![FieldError {
                    field: format!("uncertainty.parameters[{i}].path"),
                    message,
                    value: pointer.clone(),
                }])
            })?;
        }
        let cal = match cal {
            Some(v) => typed("calibration", v)?,
            None => self.calibration.clone(),
        };
        let sc = match sc {
            Some(v) => typed("scenario", v)?,
            None => self.scenario.clone(),
        };
        Ok((cal, sc))
    }
}

/// A part of an input that a draw can rebuild on its own: the JSON pointer of a field, and how to
/// put that field, deserialised, in place.
struct Part<T> {
    pointer: &'static str,
    set: fn(&mut T, &Value) -> serde_json::Result<()>,
}

/// Deserialises `value` into `slot`.
fn put<T: serde::de::DeserializeOwned>(slot: &mut T, value: &Value) -> serde_json::Result<()> {
    *slot = T::deserialize(value)?;
    Ok(())
}

/// The parts of a calibration a draw rebuilds alone: its fields, and the impact data's three
/// parts (the economy alone is larger than the rest of the calibration). A field missing here is
/// still drawn correctly, by rebuilding the whole calibration.
const CALIBRATION_PARTS: &[Part<Calibration>] = &[
    Part {
        pointer: "/population",
        set: |c, v| put(&mut c.population, v),
    },
    Part {
        pointer: "/contacts",
        set: |c, v| put(&mut c.contacts, v),
    },
    Part {
        pointer: "/relative_susceptibility",
        set: |c, v| put(&mut c.relative_susceptibility, v),
    },
    Part {
        pointer: "/asymptomatic_share",
        set: |c, v| put(&mut c.asymptomatic_share, v),
    },
    Part {
        pointer: "/asymptomatic_infectiousness",
        set: |c, v| put(&mut c.asymptomatic_infectiousness, v),
    },
    Part {
        pointer: "/severity",
        set: |c, v| put(&mut c.severity, v),
    },
    Part {
        pointer: "/stays",
        set: |c, v| put(&mut c.stays, v),
    },
    Part {
        pointer: "/capacity",
        set: |c, v| put(&mut c.capacity, v),
    },
    Part {
        pointer: "/life_expectancy",
        set: |c, v| put(&mut c.life_expectancy, v),
    },
    Part {
        pointer: "/impacts/economy",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.economy, v)),
    },
    Part {
        pointer: "/impacts/society",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.society, v)),
    },
    Part {
        pointer: "/impacts/groups",
        set: |c, v| impact_data(c).and_then(|i| put(&mut i.groups, v)),
    },
];

fn impact_data(
    c: &mut Calibration,
) -> serde_json::Result<&mut crate::inputs::impact_data::ImpactData> {
    c.impacts
        .as_mut()
        .ok_or_else(|| serde::de::Error::custom("no impact data"))
}

/// The parts of a scenario a draw rebuilds alone (see [`CALIBRATION_PARTS`]).
const SCENARIO_PARTS: &[Part<Scenario>] = &[
    Part {
        pointer: "/variant",
        set: |s, v| put(&mut s.variant, v),
    },
    Part {
        pointer: "/seasonality",
        set: |s, v| put(&mut s.seasonality, v),
    },
    Part {
        pointer: "/start_day_of_year",
        set: |s, v| put(&mut s.start_day_of_year, v),
    },
    Part {
        pointer: "/initial",
        set: |s, v| put(&mut s.initial, v),
    },
    Part {
        pointer: "/immunity",
        set: |s, v| put(&mut s.immunity, v),
    },
    Part {
        pointer: "/vaccine",
        set: |s, v| put(&mut s.vaccine, v),
    },
    Part {
        pointer: "/campaigns",
        set: |s, v| put(&mut s.campaigns, v),
    },
    Part {
        pointer: "/behaviour",
        set: |s, v| put(&mut s.behaviour, v),
    },
];

/// The part a pointer lies in (the part's index and the length of its pointer), if any.
fn part_of<T>(table: &[Part<T>], pointer: &str) -> Option<(usize, usize)> {
    table.iter().enumerate().find_map(|(k, part)| {
        let rest = pointer.strip_prefix(part.pointer)?;
        (rest.is_empty() || rest.starts_with('/')).then_some((k, part.pointer.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_to_pointers() {
        assert_eq!(
            parse_path("calibration.severity.p_icu_given_admission[3]"),
            Ok((
                Root::Calibration,
                "/severity/p_icu_given_admission/3".into()
            ))
        );
        assert_eq!(
            parse_path("calibration.contacts.home[1][2]"),
            Ok((Root::Calibration, "/contacts/home/1/2".into()))
        );
        assert_eq!(
            parse_path("scenario.campaigns[0].doses_per_day"),
            Ok((Root::Scenario, "/campaigns/0/doses_per_day".into()))
        );
        for bad in [
            "model.r0",
            "scenario",
            "scenario.variant..r0",
            "scenario.x[a]",
            "scenario.x[1",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fnv1a_matches_reference_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a("foobar"), 0x85944171f73967e8);
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn special_functions_match_reference_values() {
        // ln Gamma(1/2) = ln sqrt(pi), ln Gamma(10) = ln 9!.
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14));
        assert!(close(ln_gamma(10.0), 362_880f64.ln(), 1e-14));
        // Phi(1.96) and the standard normal quantiles (Abramowitz & Stegun, 26.2).
        assert!(close(normal_cdf(1.96), 0.975_002_104_851_779_5, 1e-14));
        assert!(close(normal_cdf(-1.96), 0.024_997_895_148_220_435, 1e-13));
        assert!(close(normal_quantile(0.975), 1.959_963_984_540_054, 1e-12));
        assert!(close(
            normal_quantile(0.05),
            -1.644_853_626_951_472_2,
            1e-12
        ));
        assert!(close(
            normal_quantile(0.25),
            -0.674_489_750_196_081_7,
            1e-12
        ));
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(close(normal_quantile(1e-10), -6.361_340_902_404_056, 1e-10));
        // I_0.5(2, 3) = 11/16 (binomial sum).
        assert!(close(incomplete_beta(2.0, 3.0, 0.5), 0.6875, 1e-14));
        // P(2, x) = 1 - exp(-x) (1 + x).
        for x in [0.1, 1.0, 3.0, 10.0] {
            assert!(close(
                lower_gamma(2.0, x),
                1.0 - (-x).exp() * (1.0 + x),
                1e-13
            ));
        }
    }

    #[test]
    fn quantiles_have_closed_forms_where_known() {
        let q = |d: Distribution, p: f64| d.quantile(p);
        // Exponential (gamma with shape 1): -scale ln(1 - p).
        for p in [0.05, 0.5, 0.95] {
            let g = Distribution::Gamma {
                shape: 1.0,
                scale: 2.0,
            };
            assert!(close(q(g, p), -2.0 * (1.0 - p).ln(), 1e-12), "{p}");
            // Beta(a, 1): p^(1/a); Beta(1, b): 1 - (1 - p)^(1/b).
            let b = Distribution::Beta {
                alpha: 3.0,
                beta: 1.0,
            };
            assert!(close(q(b, p), p.powf(1.0 / 3.0), 1e-12));
            let b = Distribution::Beta {
                alpha: 1.0,
                beta: 4.0,
            };
            assert!(close(q(b, p), 1.0 - (1.0 - p).powf(0.25), 1e-12));
        }
        let ln = Distribution::Lognormal {
            mu: 0.0,
            sigma: 0.25,
        };
        assert!(close(
            q(ln.clone(), 0.95),
            (0.25 * 1.644_853_626_951_472_2f64).exp(),
            1e-12
        ));
        assert_eq!(q(ln, 0.5), 1.0);
        let u = Distribution::Uniform {
            low: 0.6,
            high: 0.9,
        };
        assert!(close(q(u, 0.05), 0.615, 1e-14));
        let t = Distribution::Triangular {
            low: 0.85,
            mode: 1.0,
            high: 1.15,
        };
        assert!(close(q(t.clone(), 0.5), 1.0, 1e-14));
        assert!(close(q(t, 0.125), 0.925, 1e-14)); // (x - low)^2 / (0.3 x 0.15) = 1/8
        assert_eq!(q(Distribution::Fixed { value: 3.0 }, 0.3), 3.0);
        assert!(q(Distribution::Fixed { value: 3.0 }, 1.5).is_nan());
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        let all = [
            Distribution::Normal {
                mean: 0.8,
                sd: 0.05,
            },
            Distribution::Lognormal {
                mu: 0.1,
                sigma: 0.3,
            },
            Distribution::Beta {
                alpha: 32.0,
                beta: 8.0,
            },
            Distribution::Beta {
                alpha: 0.5,
                beta: 0.7,
            },
            Distribution::Gamma {
                shape: 9.0,
                scale: 1.0 / 9.0,
            },
            Distribution::Gamma {
                shape: 0.4,
                scale: 3.0,
            },
            Distribution::Uniform {
                low: 0.1,
                high: 0.4,
            },
            Distribution::Triangular {
                low: 0.1,
                mode: 0.3,
                high: 0.5,
            },
        ];
        for d in &all {
            let mut last = f64::NEG_INFINITY;
            for k in 1..100 {
                let p = f64::from(k) / 100.0;
                let x = d.quantile(p);
                assert!(x >= last, "{} not increasing at {p}", d.describe());
                assert!(
                    close(d.cdf(x), p, 1e-9),
                    "{} at {p}: cdf {}",
                    d.describe(),
                    d.cdf(x)
                );
                last = x;
            }
        }
    }

    #[test]
    fn truncated_quantiles_stay_within_the_bounds() {
        let p = Parameter {
            path: "scenario.vaccine.infection_efficacy".into(),
            apply: Apply::Set,
            distribution: Distribution::Normal {
                mean: 0.8,
                sd: 0.05,
            },
            truncate: Some(Truncate {
                low: None,
                high: Some(0.8),
            }),
        };
        // Cut at the mean: the median of what is left is the normal's quartile.
        assert!(close(
            p.quantile(0.5),
            0.8 - 0.05 * 0.674_489_750_196_081_7,
            1e-12
        ));
        assert!(p.quantile(0.999_999) <= 0.8);
        let u = Uncertainty::netherlands();
        let q = u.quantiles(&[0.05, 0.5, 0.95]).unwrap();
        assert_eq!(q.len(), u.parameters.len());
        for (row, par) in q.iter().zip(&u.parameters) {
            assert!(row[0] < row[1] && row[1] < row[2], "{}: {row:?}", par.path);
        }
        let err = u.quantiles(&[0.5, 1.0]).unwrap_err().to_string();
        assert!(
            err.contains("quantiles[1]: must lie strictly between 0 and 1"),
            "{err}"
        );
    }

    #[test]
    fn drawn_inputs_are_the_base_inputs_without_any_sources() {
        let cal = Calibration::netherlands();
        let sc = Scenario::preset("centraal").unwrap();
        // With no parameter the base is read back from the bare JSON; with the default ones every
        // calibration and scenario field not drawn keeps its value.
        for unc in [Uncertainty::none(), Uncertainty::netherlands()] {
            let prepared = unc.prepare(&cal, &sc).unwrap();
            let values = unc.draw(7, 0).unwrap();
            let (dcal, dsc) = prepared.inputs(&values).unwrap();
            assert!(dcal.sources.is_empty() && dsc.sources.is_empty());
            assert!(dcal.impacts.as_ref().unwrap().sources.is_empty());
            assert_eq!(dcal.population, cal.population);
            assert_eq!(dcal.contacts, cal.contacts);
            assert_eq!(
                dcal.impacts.as_ref().unwrap().economy,
                cal.impacts.as_ref().unwrap().economy
            );
            assert_eq!(dsc.campaigns, sc.campaigns);
        }
    }

    #[test]
    fn a_draw_rebuilt_part_by_part_is_the_draw_rebuilt_whole() {
        // Every part of both inputs drawn (set, scale, elements, vectors, a matrix), and paths
        // outside the parts (the regions), which fall back to the whole inputs.
        let sc = Scenario::preset("ongunstig").unwrap();
        let mut paths: Vec<(&str, &str)> = vec![
            ("calibration.population", "scale"),
            ("calibration.contacts.home", "scale"),
            ("calibration.relative_susceptibility[2]", "scale"),
            ("calibration.asymptomatic_share", "scale"),
            ("calibration.asymptomatic_infectiousness", "scale"),
            ("calibration.severity.p_death_icu_overflow", "set"),
            ("calibration.stays.ward_days", "scale"),
            ("calibration.capacity.icu_normal", "scale"),
            ("calibration.life_expectancy", "scale"),
            (
                "calibration.impacts.economy.sections[0].value_added",
                "scale",
            ),
            (
                "calibration.impacts.society.learning.sd_per_school_year",
                "scale",
            ),
            (
                "calibration.impacts.groups.profiles.infection.income_quintile",
                "scale",
            ),
            ("scenario.variant.r0", "scale"),
            ("scenario.seasonality.amplitude", "set"),
            ("scenario.start_day_of_year", "scale"),
            ("scenario.initial.prevalence", "scale"),
            ("scenario.immunity.waning_days", "scale"),
            ("scenario.vaccine.infection_efficacy", "scale"),
            ("scenario.behaviour.fatigue_rate", "scale"),
        ];
        let json = |paths: &[(&str, &str)]| {
            let parameters: Vec<_> = paths
                .iter()
                .map(|(path, apply)| {
                    serde_json::json!({"path": path, "apply": apply,
                        "distribution": {"type": "uniform", "low": 0.9, "high": 0.95}})
                })
                .collect();
            serde_json::json!({ "parameters": parameters }).to_string()
        };
        let mut checked = 0;
        for with_regions in [false, true] {
            let cal = if with_regions {
                // (Regional populations must add up to the national one: not scaled here.)
                paths.retain(|(p, _)| *p != "calibration.population");
                paths.push(("calibration.regions.mixing.distance_km", "scale"));
                Calibration::netherlands_regions()
            } else {
                Calibration::netherlands()
            };
            let unc = Uncertainty::from_json_str(&json(&paths)).unwrap();
            let prepared = unc.prepare(&cal, &sc).unwrap();
            for draw in 0..5 {
                let values = unc.draw(3, draw).unwrap();
                let whole = prepared.inputs_whole(&values, None).unwrap();
                let by_part = prepared.inputs_by_part(&values, None);
                assert_eq!(by_part.is_none(), with_regions);
                assert_eq!(prepared.inputs(&values).unwrap(), whole);
                if let Some(by_part) = by_part {
                    assert_eq!(by_part, whole);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5, "every part was drawn");
    }

    #[test]
    fn gamma_reach_brackets_the_mean() {
        let d = Distribution::Gamma {
            shape: 16.0,
            scale: 1.0 / 16.0,
        };
        let [(lo, _), (hi, _)] = d.reach();
        assert!(lo > 0.0 && lo < 0.5 && hi > 1.5 && hi < 3.0, "{lo} {hi}");
    }
}
