//! Parameters and their draws: what a drawn value does to a field, truncation, and the seeded
//! counter-based stream of each parameter in each draw.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha12Rng;
use serde::{Deserialize, Serialize};

use super::distributions::Distribution;

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
pub(super) const MAX_TRIES: usize = 10_000;

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
    pub(super) fn reach(&self) -> Vec<(f64, String)> {
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
pub(super) fn stream(seed: u64, path: &str, draw: u64) -> ChaCha12Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(path).to_le_bytes());
    key[16..24].copy_from_slice(b"afweging");
    let mut rng = ChaCha12Rng::from_seed(key);
    rng.set_stream(draw);
    rng
}

/// 64-bit FNV-1a (Fowler, Noll, Vo): a fixed, platform-independent hash of a path.
pub(super) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
