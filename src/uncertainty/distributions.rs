//! Named distributions of one uncertain value: sampling (rand_distr's portable samplers),
//! moments, quantiles and the bounds of their support.

use std::fmt::Display;

use rand_chacha::ChaCha12Rng;
use rand_distr::Distribution as _;
use serde::{Deserialize, Serialize};

use crate::inputs::validate::Checker;
use crate::special::{ln_gamma, lower_gamma, normal_cdf, upper_gamma, EPS, TINY};

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
pub(super) const TAIL_SDS: f64 = 5.0;

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
    pub(super) fn draw(&self, rng: &mut ChaCha12Rng) -> f64 {
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
    pub(super) fn reach(&self) -> [(f64, String); 2] {
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
pub(super) fn step_or(spread: f64, x: f64, at: f64, f: impl FnOnce() -> f64) -> f64 {
    if spread > 0.0 {
        f()
    } else if x < at {
        0.0
    } else {
        1.0
    }
}

/// Standard normal quantile: bisection on [`normal_cdf`] (exact to the last bits; the tails use
/// the symmetric upper tail so that small `p` keep their precision).
pub(super) fn normal_quantile(p: f64) -> f64 {
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
pub(super) fn bisect(mut low: f64, mut high: f64, p: f64, f: impl Fn(f64) -> f64) -> f64 {
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

/// Regularised incomplete beta `I_x(a, b)` (continued fraction, on the side where it converges
/// fast; Numerical Recipes 6.4).
pub(super) fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
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

pub(super) fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
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
