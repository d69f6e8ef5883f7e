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
//! 2020Q2 and 0.1% in 2020Q4 under a partial lockdown with horeca closed (CBS). `alpha` may differ
//! by section (`sections`): a restaurant's takeaway replaced less of its trade than a shop's web
//! orders did (`docs/economy_2020_2021.md`, "Adaptation to closures").
//!
//! The same curve ([`crate::inputs::economy::LearningCurve`]) lets hospitals keep more regular
//! care going in later waves (the loss is the care not given, `E` the days of full scale-down
//! behind them) and people get used to the epidemic (the loss is their fear of its deaths, `E` the
//! days of full fear behind them).

use crate::inputs::economy::{Adaptation, LearningCurve};

/// The loss each learner (a section, the hospitals, the people who fear the epidemic) has behind
/// it, and what it has learned.
pub(super) struct Learning {
    /// `alpha` of each learner.
    shares: Vec<f64>,
    /// `T`: days of full loss in which `1 - 1/e` of `alpha` is learned.
    days: f64,
    /// `E` of each learner: its losses summed (days of full loss).
    experience: Vec<f64>,
}

impl Learning {
    /// `codes`: the NACE codes of the economy's sections, in its order.
    pub(super) fn new<'c>(adaptation: &Adaptation, codes: impl Iterator<Item = &'c str>) -> Self {
        let shares: Vec<f64> = codes
            .map(|code| *adaptation.sections.get(code).unwrap_or(&adaptation.share))
            .collect();
        Learning {
            experience: vec![0.0; shares.len()],
            shares,
            days: adaptation.closure_days,
        }
    }

    /// One learner on `curve` (the hospitals, the people who fear the epidemic).
    pub(super) fn one(curve: &LearningCurve) -> Self {
        Learning {
            shares: vec![curve.share],
            days: curve.days,
            experience: vec![0.0],
        }
    }

    /// Learner `i`'s loss today (share of normal, 0-1) with what it has learned before today,
    /// or none if it has learned nothing (the loss stays as it is, bit for bit); adds the loss to
    /// its experience.
    pub(super) fn learn(&mut self, i: usize, loss: f64) -> Option<f64> {
        let e = &mut self.experience[i];
        let learned = self.shares[i] * (1.0 - (-*e / self.days).exp());
        *e += loss;
        (learned > 0.0).then_some(loss * (1.0 - learned))
    }

    /// Turns one day's kept shares (per section, 0-1) into the shares kept with what the
    /// sections have learned before the day, and adds the day's closure to their experience.
    pub(super) fn adapt(&mut self, kept: &mut [f64]) {
        for (i, k) in kept.iter_mut().enumerate() {
            if let Some(left) = self.learn(i, 1.0 - *k) {
                *k = 1.0 - left;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Learning;
    use crate::inputs::economy::{Adaptation, LearningCurve};

    fn adaptation(share: f64, closure_days: f64) -> Adaptation {
        Adaptation {
            source: "test".into(),
            share,
            closure_days,
            sections: Default::default(),
        }
    }

    #[test]
    fn a_second_closure_loses_less_than_the_first_and_nothing_is_learned_without_closure() {
        let a = adaptation(0.5, 30.0);
        let mut learning = Learning::new(&a, ["G", "I"].into_iter());
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
        let mut learning = Learning::new(&none, ["I"].into_iter());
        for _ in 0..100 {
            let mut k = [0.3];
            learning.adapt(&mut k);
            assert_eq!(k, [0.3]);
        }
        let all = adaptation(1.0, 10.0);
        let mut learning = Learning::new(&all, ["I"].into_iter());
        let mut k = [0.0];
        for _ in 0..400 {
            k = [0.0];
            learning.adapt(&mut k);
        }
        assert!(k[0] > 0.999 && k[0] <= 1.0);
    }

    #[test]
    fn a_section_of_its_own_learns_its_own_share() {
        let mut a = adaptation(0.5, 30.0);
        a.sections.insert("I".into(), 0.0);
        let mut learning = Learning::new(&a, ["G", "I"].into_iter());
        for _ in 0..60 {
            learning.adapt(&mut [0.4, 0.4]);
        }
        let mut again = [0.4, 0.4];
        learning.adapt(&mut again);
        assert!(again[0] > 0.4);
        assert_eq!(again[1], 0.4); // horeca learns nothing: its loss stays
    }

    #[test]
    fn hospitals_lose_less_care_in_a_later_wave_and_nothing_learned_leaves_the_loss() {
        let care = |share| LearningCurve {
            source: "test".into(),
            share,
            days: 20.0,
        };
        let mut none = Learning::one(&care(0.0));
        for _ in 0..50 {
            assert_eq!(none.learn(0, 0.3), None);
        }
        let mut some = Learning::one(&care(0.6));
        assert_eq!(some.learn(0, 0.3), None); // the first day: nothing behind it
        for _ in 0..49 {
            some.learn(0, 0.3);
        }
        // 50 days at 0.3: 15 days of full scale-down behind the hospitals.
        let later = some.learn(0, 0.3).unwrap();
        let expected = 0.3 * (1.0 - 0.6 * (1.0 - (-15.0f64 / 20.0).exp()));
        assert!((later - expected).abs() < 1e-12 && later < 0.3);
    }
}
