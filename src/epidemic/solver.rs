//! Fixed-step classical Runge-Kutta (RK4) with step rejection on negativity.
//!
//! RK4 conserves every linear invariant of the system exactly (up to rounding), so the number of
//! people stays constant: all flows leave one compartment and enter another. Its stability
//! polynomial `1 + z + z^2/2 + z^3/6 + z^4/24` is positive for every real `z`, so pure decay never
//! overshoots below zero; if a nonlinear step still would, the step is redone in two halves,
//! recursively, instead of clamping (which would break conservation).

use crate::error::{Error, Result};

/// How often a step may be halved before the solver gives up.
const MAX_HALVINGS: u32 = 12;

/// Scratch buffers, allocated once per run.
pub struct Rk4 {
    k1: Vec<f64>,
    k2: Vec<f64>,
    k3: Vec<f64>,
    k4: Vec<f64>,
    stage: Vec<f64>,
    next: Vec<f64>,
    /// Whether the processor has AVX2.
    avx2: bool,
}

impl Rk4 {
    pub fn new(len: usize) -> Self {
        let buf = || vec![0.0; len];
        Self {
            k1: buf(),
            k2: buf(),
            k3: buf(),
            k4: buf(),
            stage: buf(),
            next: buf(),
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            avx2: false,
        }
    }

    /// One RK4 step of size `h` from `(t, y)` into `self.next`; true when no entry is negative
    /// (NaN counts as negative). The vector arithmetic runs compiled for AVX2 where the processor
    /// has it: the same operations in the same order, four numbers at a time, so the same results.
    fn step<F: FnMut(f64, &[f64], &mut [f64])>(
        &mut self,
        f: &mut F,
        t: f64,
        h: f64,
        y: &[f64],
    ) -> bool {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `self.avx2` is true only when the processor reports AVX2 (`Rk4::new`).
            return unsafe { self.step_avx2(f, t, h, y) };
        }
        self.step_body(f, t, h, y)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn step_avx2<F: FnMut(f64, &[f64], &mut [f64])>(
        &mut self,
        f: &mut F,
        t: f64,
        h: f64,
        y: &[f64],
    ) -> bool {
        self.step_body(f, t, h, y)
    }

    #[inline(always)]
    fn step_body<F: FnMut(f64, &[f64], &mut [f64])>(
        &mut self,
        f: &mut F,
        t: f64,
        h: f64,
        y: &[f64],
    ) -> bool {
        f(t, y, &mut self.k1);
        offset(&mut self.stage, y, 0.5 * h, &self.k1);
        f(t + 0.5 * h, &self.stage, &mut self.k2);
        offset(&mut self.stage, y, 0.5 * h, &self.k2);
        f(t + 0.5 * h, &self.stage, &mut self.k3);
        offset(&mut self.stage, y, h, &self.k3);
        f(t + h, &self.stage, &mut self.k4);
        let ks = self.k1.iter().zip(&self.k2).zip(&self.k3).zip(&self.k4);
        let mut all_non_negative = true;
        for ((next, y), (((k1, k2), k3), k4)) in self.next.iter_mut().zip(y).zip(ks) {
            *next = y + h / 6.0 * (k1 + 2.0 * (k2 + k3) + k4);
            all_non_negative &= *next >= 0.0;
        }
        all_non_negative
    }

    /// Advances `y` from `t` by `h`, halving the step where it would make a state negative.
    /// (`y` is a `Vec` so that an accepted step swaps buffers instead of copying the state.)
    pub fn advance<F: FnMut(f64, &[f64], &mut [f64])>(
        &mut self,
        f: &mut F,
        t: f64,
        h: f64,
        y: &mut Vec<f64>,
    ) -> Result<()> {
        self.advance_at_depth(f, t, h, y, 0)
    }

    fn advance_at_depth<F: FnMut(f64, &[f64], &mut [f64])>(
        &mut self,
        f: &mut F,
        t: f64,
        h: f64,
        y: &mut Vec<f64>,
        depth: u32,
    ) -> Result<()> {
        if self.step(f, t, h, y) {
            std::mem::swap(y, &mut self.next);
            return Ok(());
        }
        if self.next.iter().any(|v| !v.is_finite()) {
            return Err(Error::Solver(format!("non-finite state at t = {t}")));
        }
        if depth == MAX_HALVINGS {
            return Err(Error::Solver(format!(
                "state turned negative at t = {t} even with step {h}"
            )));
        }
        self.advance_at_depth(f, t, 0.5 * h, y, depth + 1)?;
        self.advance_at_depth(f, t + 0.5 * h, 0.5 * h, y, depth + 1)
    }
}

/// `out = y + h * k`, element-wise.
#[inline(always)]
fn offset(out: &mut [f64], y: &[f64], h: f64, k: &[f64]) {
    for ((o, y), k) in out.iter_mut().zip(y).zip(k) {
        *o = y + h * k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Error at t = 1 of y' = -y, y(0) = 1, integrated with steps of size h.
    fn decay_error(h: f64) -> f64 {
        let mut rk = Rk4::new(1);
        let mut f = |_t: f64, y: &[f64], dy: &mut [f64]| dy[0] = -y[0];
        let mut y = vec![1.0];
        let steps = (1.0 / h).round() as usize;
        for i in 0..steps {
            rk.advance(&mut f, i as f64 * h, h, &mut y).unwrap();
        }
        (y[0] - (-1.0f64).exp()).abs()
    }

    #[test]
    fn exponential_decay_is_fourth_order() {
        let order = (decay_error(0.1) / decay_error(0.05)).log2();
        assert!((order - 4.0).abs() < 0.2, "observed order {order}");
    }

    #[test]
    fn refuses_rather_than_returning_a_negative_state() {
        // A constant drain empties the compartment within the step: no step size can save it,
        // so the solver must report an error instead of handing back a negative value.
        let mut rk = Rk4::new(1);
        let mut f = |_t: f64, _y: &[f64], dy: &mut [f64]| dy[0] = -1.0;
        let mut y = vec![0.1];
        rk.advance(&mut f, 0.0, 0.05, &mut y).unwrap();
        assert!((y[0] - 0.05).abs() < 1e-12);
        assert!(matches!(
            rk.advance(&mut f, 0.0, 1.0, &mut y),
            Err(Error::Solver(_))
        ));
        assert!(
            y[0] >= 0.0,
            "a refused step left a negative state: {}",
            y[0]
        );
    }
}
