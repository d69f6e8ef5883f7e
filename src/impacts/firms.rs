//! Firms with employees by size class in a dated run: their liquidity buffers, which drain with
//! their losses and refill with support, and their bankruptcies as CBS counts them (companies and
//! institutions, one-person firms left out). Called day by day by [`super::dated_economy`].
//!
//! Per section `s` and size class `c` (`economy.dated.firms.classes`: firms with 2-9, 10-49 and 50
//! or more employees, CBS), `F_c,s` firms (the class's count split over sections as the
//! enterprise counts) make the share `v_c` of the section's value added, wage bill and fixed costs.
//! A firm's buffer, in days of its normal value added, is log-logistic with median
//! `m_c,s = f_c m_s` (`m_s` the section's `buffer_days`, `f_c` the class's `buffer_factor`) and
//! shape `k` (`economy.buffer_shape`, as in [`super::socio_economic`]):
//! `G(x; m) = x^k / (x^k + m^k)`, the share of firms with a buffer below `x` (0 for `x <= 0`).
//! The firms of a class in a section share a drain `D_c,s` (days of normal value added):
//!
//! ```text
//! D_c,s,d+1 = D_c,s,d + L_s,d - R_s,d - T_s,d w_c,s - X_s,d ;  if D > 0: D -= min(D, rho a_s,d)
//! w_c,s     = (F_c,s / n_s) / v_c
//! ```
//!
//! `L` the section's loss (share of normal value added), `R` what the schemes paid on the wage bill
//! and fixed costs (NOW, TVL) and `X` the tax deferred, each per euro of normal value added and so
//! alike for every class; `T` the lump sums per firm (TOGS) per euro of the section's normal value
//! added, shared by all its `n_s` enterprises (one-person firms got TOGS too), so a class of small
//! firms gets more per euro of its value added (`w`). A drained buffer refills at `rho` days per
//! day of normal trade (`refill_per_day`, retained profit). Support beyond the loss makes `D`
//! negative: buffers above their normal level, as CPB and DNB found for many supported firms in
//! 2020-2021. A firm whose buffer left is below `c0` days (`critical_buffer_days`) fails at a rate
//! `kappa` per day, set so that the normal year has its bankruptcies `B` (2019), and fewer are
//! pronounced while tax deferral runs (the tax office, a main petitioner, stopped filing: `p`).
//! Firms that fail leave: `e_c,s`, the share of the class's firms gone beyond the normal flow (which
//! new firms replace), is taken from the pool below `c0`, and refills as the normal flow of firms
//! into distress goes on (`e` is never below 0, so bankruptcies held off do not pile up):
//!
//! ```text
//! q_c,s,d     = max(0, G(c0 + D_c,s,d; m_c,s) - e_c,s,d)      share of firms alive below c0
//! bankr_c,s,d = kappa F_c,s q_c,s,d (1 - p [deferral open])                      [firms/day]
//! e_c,s,d+1   = max(0, e_c,s,d + kappa (q_c,s,d (1 - p [deferral open]) - G(c0; m_c,s)))
//! kappa       = B / 365 / sum_c,s F_c,s G(c0; m_c,s)
//! ```
//!
//! So the hazard rises as buffers drain, with the failures bounded by the firms whose buffers ran
//! out (without support, the share `G(c0 + D)` of [`super::socio_economic`]), and falls below the
//! normal one when support fills buffers beyond their normal level; a class with thinner buffers
//! has more of its firms near `c0` and fails sooner, in normal times too (small firms make most
//! bankruptcies). `c0`, `rho` and `p` are calibrated on the 2020 months
//! (`scripts/calibrate_economy.py`).

use crate::inputs::economy::{DatedEconomy, Economy};

/// The firms with employees of a dated run, per section and size class, with their drains.
pub(super) struct Firms {
    /// Per section, per class: normal bankruptcies per day (`kappa F G(c0; m)`).
    normal: Vec<Vec<f64>>,
    /// Per section, per class: `kappa F` (firms/day at a share 1 below `c0`).
    rate: Vec<Vec<f64>>,
    /// Per section, per class: median buffer `m` to the power `k`.
    median_k: Vec<Vec<f64>>,
    /// Per section, per class: the weight `w` of lump sums per firm.
    lump_weight: Vec<Vec<f64>>,
    /// Per section, per class: the drain `D` (days of normal value added).
    drain: Vec<Vec<f64>>,
    /// Per section, per class: `G(c0; m)`, the share below `c0` at normal buffers.
    at_normal: Vec<Vec<f64>>,
    /// Per section, per class: the share `e` of firms gone beyond the normal flow.
    gone: Vec<Vec<f64>>,
    /// `kappa` (per day).
    kappa: f64,
    critical: f64,
    shape: f64,
    refill: f64,
}

/// `G(x; m)` of the module docs with `m^k` given.
fn below(x: f64, median_k: f64, shape: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let xk = x.powf(shape);
    xk / (xk + median_k)
}

impl Firms {
    pub(super) fn new(economy: &Economy, dated: &DatedEconomy) -> Self {
        let all: f64 = economy.sections.iter().map(|s| s.firms).sum();
        let classes = &dated.firms.classes;
        let (critical, shape) = (dated.firms.critical_buffer_days, economy.buffer_shape);
        let per_section = |f: &dyn Fn(&crate::inputs::economy::Section, usize) -> f64| {
            (economy.sections.iter())
                .map(|sec| (0..classes.len()).map(|c| f(sec, c)).collect())
                .collect::<Vec<Vec<f64>>>()
        };
        let firms = per_section(&|sec, c| {
            if all > 0.0 {
                classes[c].firms * sec.firms / all
            } else {
                0.0
            }
        });
        let median_k =
            per_section(&|sec, c| (classes[c].buffer_factor * sec.buffer_days).powf(shape));
        let lump_weight = per_section(&|sec, c| {
            let share = classes[c].value_added_share;
            if sec.firms > 0.0 && share > 0.0 {
                classes[c].firms / all / share
            } else {
                0.0
            }
        });
        let at_normal: Vec<Vec<f64>> = (median_k.iter())
            .map(|row| row.iter().map(|mk| below(critical, *mk, shape)).collect())
            .collect();
        let normal_share: f64 = (firms.iter().flatten())
            .zip(at_normal.iter().flatten())
            .map(|(f, g)| f * g)
            .sum();
        let kappa = if normal_share > 0.0 {
            dated.bankruptcies_per_year / 365.0 / normal_share
        } else {
            0.0
        };
        let rate: Vec<Vec<f64>> = (firms.iter())
            .map(|row| row.iter().map(|f| kappa * f).collect())
            .collect();
        let normal = (rate.iter().zip(&at_normal))
            .map(|(r, g)| r.iter().zip(g).map(|(r, g)| r * g).collect())
            .collect();
        Self {
            normal,
            rate,
            median_k,
            lump_weight,
            drain: vec![vec![0.0; classes.len()]; economy.sections.len()],
            gone: vec![vec![0.0; classes.len()]; economy.sections.len()],
            at_normal,
            kappa,
            critical,
            shape,
            refill: dated.refill_per_day,
        }
    }

    /// Normal bankruptcies per day of each class, all sections (firms/day).
    pub(super) fn normal_by_class(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.normal.first().map_or(0, Vec::len)];
        for s in 0..self.normal.len() {
            self.normal_day(s, 1.0, &mut out);
        }
        out
    }

    /// Whether the firms of section `s` hold their normal buffers (nothing drained or added) and
    /// none are missing.
    pub(super) fn at_rest(&self, s: usize) -> bool {
        (self.drain[s].iter().chain(&self.gone[s])).all(|&d| d == 0.0)
    }

    /// Adds the normal bankruptcies of section `s` per class, times `factor` (petitions), to
    /// `by_class` (firms/day).
    pub(super) fn normal_day(&self, s: usize, factor: f64, by_class: &mut [f64]) {
        for (out, n) in by_class.iter_mut().zip(&self.normal[s]) {
            *out += factor * n;
        }
    }

    /// One day of section `s`: its loss `loss`, activity `a`, relief per euro of normal value
    /// added paid on the wage bill and fixed costs (`relief`) and as lump sums per firm (`lump`),
    /// tax deferred (`deferred`); adds its bankruptcies per class, times `factor`, to `by_class`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn day(
        &mut self,
        s: usize,
        loss: f64,
        a: f64,
        relief: f64,
        lump: f64,
        deferred: f64,
        factor: f64,
        by_class: &mut [f64],
    ) {
        for (c, out) in by_class.iter_mut().enumerate() {
            let d = &mut self.drain[s][c];
            *d += loss - relief - lump * self.lump_weight[s][c] - deferred;
            if *d > 0.0 {
                *d -= d.min(self.refill * a);
            }
            // At a drain of 0 the share is that of normal buffers (no power to compute).
            let below_c0 = if *d == 0.0 {
                self.at_normal[s][c]
            } else {
                below(self.critical + *d, self.median_k[s][c], self.shape)
            };
            let gone = &mut self.gone[s][c];
            let alive = (below_c0 - *gone).max(0.0);
            *gone = (*gone + self.kappa * (factor * alive - self.at_normal[s][c])).max(0.0);
            *out += factor * self.rate[s][c] * alive;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{below, Firms};
    use crate::inputs::calibration::Calibration;

    #[test]
    fn lump_sums_per_firm_are_shared_once_and_normal_buffers_give_the_normal_year() {
        let cal = Calibration::netherlands();
        let data = cal.impacts.as_ref().expect("Dutch impact data");
        let dated = data.economy.dated.as_ref().expect("dated economy");
        let firms = Firms::new(&data.economy, dated);
        // What the classes get of a section's lump sums (per euro of the section's value added:
        // each class's weight times its share) is at most what was paid: one-person firms get
        // the rest, nothing is counted twice (a section without firms gets nothing).
        for (weights, sec) in firms.lump_weight.iter().zip(&data.economy.sections) {
            let given: f64 = (dated.firms.classes.iter())
                .zip(weights)
                .map(|(class, w)| class.value_added_share * w)
                .sum();
            assert!(given <= 1.0 + 1e-12, "{given}");
            assert_eq!(given > 0.0, sec.firms > 0.0, "{}", sec.code);
        }
        // At normal buffers the classes together have the normal year's bankruptcies, and the
        // smallest firms (thinnest buffers) most of them.
        let normal = firms.normal_by_class();
        let year: f64 = 365.0 * normal.iter().sum::<f64>();
        assert!((year - dated.bankruptcies_per_year).abs() < 1e-6, "{year}");
        assert!(normal[0] > normal[1] && normal[1] > normal[2]);
    }

    #[test]
    fn failures_are_bounded_by_the_firms_whose_buffers_ran_out() {
        let cal = Calibration::netherlands();
        let data = cal.impacts.as_ref().expect("Dutch impact data");
        let dated = data.economy.dated.as_ref().expect("dated economy");
        let mut firms = Firms::new(&data.economy, dated);
        let s = (data.economy.sections.iter())
            .position(|sec| sec.code == "I")
            .expect("horeca");
        let classes = dated.firms.classes.len();
        let (mut total, mut by_class) = (vec![0.0; classes], vec![0.0; classes]);
        // Horeca closed without support for at least ten years, and long enough for a firm below
        // c0 to have failed many times over (five times 1 / kappa, its failure rate): every buffer
        // runs out, yet no class loses more firms than it has beyond the normal flow over those days.
        let days = (5.0 / firms.kappa).ceil().max(3650.0) as usize;
        for _ in 0..days {
            by_class.iter_mut().for_each(|b| *b = 0.0);
            firms.day(s, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, &mut by_class);
            total.iter_mut().zip(&by_class).for_each(|(t, b)| *t += b);
        }
        for (c, total) in total.iter().enumerate() {
            let count = firms.rate[s][c] / firms.kappa;
            let normal = days as f64 * firms.normal[s][c];
            assert!(*total <= count + normal, "{c}: {total} of {count}");
            assert!(*total > 0.9 * count, "{c}: {total} of {count}");
        }
        // Back at normal trade with normal buffers, the firms that failed are missing from the pool
        // below c0: fewer bankruptcies than normal until it refills at the normal flow into distress
        // (new firms beyond the normal entry are not modelled).
        let refilled = (days as f64 / dated.refill_per_day).ceil() as usize;
        for _ in 0..refilled {
            by_class.iter_mut().for_each(|b| *b = 0.0);
            firms.day(s, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, &mut by_class);
        }
        for (c, b) in by_class.iter().enumerate() {
            assert!(firms.drain[s][c] == 0.0 && *b < firms.normal[s][c], "{c}");
        }
    }

    #[test]
    fn a_thinner_buffer_has_more_firms_below_any_level_and_fails_sooner() {
        let k = 3.0;
        let (thin, thick) = (60f64.powf(k), 150f64.powf(k));
        // The same drain puts more of the thin-buffered firms below the critical level, at every
        // drain, so they reach a given share of failing firms after fewer days of loss.
        for x in [1.0, 10.0, 30.0, 60.0, 120.0] {
            assert!(below(x, thin, k) > below(x, thick, k));
        }
        let days_to =
            |mk: f64, share: f64| (1..1000).find(|&d| below(10.0 + d as f64, mk, k) >= share);
        assert!(days_to(thin, 0.1) < days_to(thick, 0.1));
        // Buffers filled beyond the critical level: none below it.
        assert_eq!(below(0.0, thin, k), 0.0);
        assert_eq!(below(-5.0, thin, k), 0.0);
        // The median is the median.
        assert!((below(60.0, thin, k) - 0.5).abs() < 1e-12);
    }
}
