//! Adaptation to closures: the loss the measures cause a section shrinks with the closure it has
//! behind it, as firms and their customers learn to trade under the measures (takeaway,
//! click-and-collect, work and sales moved online).
//!
//! ```text
//! l_s,d     = 1 - kept_s,d                              the measures' loss (share of normal output)
//! E_s,d     = sum_{t < d} l_s,t                         days of full closure behind the section (days)
//! kept'_s,d = 1 - l_s,d (1 - alpha (1 - exp(-E_s,d / T)))
//! ```
//!
//! `alpha` (0-1) is the share of the loss learned away after a long closure and `T` the days of
//! full closure in which `1 - 1/e` of it is learned (`economy.dated.adaptation`). Euro-area
//! activity fell far less under the containment measures of late 2020 than under those of the
//! spring, as households and firms learned to respond to them (Battistini N, Stoevsky G, "The
//! impact of containment measures across sectors and countries during the COVID-19 pandemic",
//! ECB Economic Bulletin 2/2021, Box 4); in the Netherlands GDP fell 8.5% on the quarter in
//! 2020Q2 and 0.1% in 2020Q4 under a partial lockdown with horeca closed (CBS). Off by default
//! (`share` 0): one share for every section, fitted on 2020's quarters, lets horeca learn as much
//! as trade (`docs/economy_2020_2021.md`, "Adaptation to closures").

use crate::inputs::economy::Adaptation;

/// The closure each section has behind it, and what it has learned from it.
pub(super) struct Learning<'a> {
    adaptation: &'a Adaptation,
    experience: Vec<f64>,
}

impl<'a> Learning<'a> {
    pub(super) fn new(adaptation: &'a Adaptation, sections: usize) -> Self {
        Learning {
            adaptation,
            experience: vec![0.0; sections],
        }
    }

    /// Turns one day's kept shares (per section, 0-1) into the shares kept with what the
    /// sections have learned before the day, and adds the day's closure to their experience.
    pub(super) fn adapt(&mut self, kept: &mut [f64]) {
        let (alpha, t) = (self.adaptation.share, self.adaptation.closure_days);
        for (k, e) in kept.iter_mut().zip(&mut self.experience) {
            let loss = 1.0 - *k;
            let learned = alpha * (1.0 - (-*e / t).exp());
            if learned > 0.0 {
                // Untouched otherwise: nothing learned is the model without adaptation, bit for bit.
                *k = 1.0 - loss * (1.0 - learned);
            }
            *e += loss;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Learning;
    use crate::inputs::economy::Adaptation;

    fn adaptation(share: f64, closure_days: f64) -> Adaptation {
        Adaptation {
            source: "test".into(),
            share,
            closure_days,
        }
    }

    #[test]
    fn a_second_closure_loses_less_than_the_first_and_nothing_is_learned_without_closure() {
        let a = adaptation(0.5, 30.0);
        let mut learning = Learning::new(&a, 2);
        let mut first = [0.4, 1.0];
        learning.adapt(&mut first);
        assert_eq!(first, [0.4, 1.0]); // nothing behind it yet
        for _ in 0..59 {
            learning.adapt(&mut [0.4, 1.0]);
        }
        // 60 days at a loss of 0.6: 36 days of full closure behind the first section.
        let mut again = [0.4, 1.0];
        learning.adapt(&mut again);
        let learned = 0.5 * (1.0 - (-36.0f64 / 30.0).exp());
        assert!((again[0] - (1.0 - 0.6 * (1.0 - learned))).abs() < 1e-12);
        assert!(again[0] > 0.4 && again[0] < 1.0);
        assert_eq!(again[1], 1.0);
    }

    #[test]
    fn share_zero_changes_nothing_and_share_one_learns_the_whole_loss_in_the_end() {
        let none = adaptation(0.0, 30.0);
        let mut learning = Learning::new(&none, 1);
        for _ in 0..100 {
            let mut k = [0.3];
            learning.adapt(&mut k);
            assert_eq!(k, [0.3]);
        }
        let all = adaptation(1.0, 10.0);
        let mut learning = Learning::new(&all, 1);
        let mut k = [0.0];
        for _ in 0..400 {
            k = [0.0];
            learning.adapt(&mut k);
        }
        assert!(k[0] > 0.999 && k[0] <= 1.0);
    }
}
