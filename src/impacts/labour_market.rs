//! Unemployment of a dated run as stocks and flows of persons: the employed `E`, the unemployed
//! `U` and those who lost their job and left the labour force `N` (students and flexible workers
//! who stop looking while their sector is closed). Jobs lost move people out of work, a matching
//! function moves the unemployed back in, and the normal flows balance at the normal rate: the
//! rate rises after the closures as those who left come back to look for work, and falls when
//! vacancies are many per unemployed (2021).
//!
//! Per day `d`, with `J_d` the day's change of the jobs lost of [`super::dated_economy`] (with NOW
//! keeping workers on the payroll; persons): when it rises, `J_d` persons lose their job; when it
//! falls, the `-J_d` jobs that come back recall those laid off (temporary layoffs and flexible
//! workers hired back when their section reopens), from those who left in the share `phi` and from
//! the unemployed for the rest (each at most its stock):
//!
//! ```text
//! f_d     = f0 (v_d U0 / U_d)^(1 - alpha)         job finding, v_d = V_d / V0     [1/day]
//! found_d = U_d (1 - exp(-f_d))                   the unemployed who find work    [persons]
//! b       = U0 (1 - exp(-f0))                     normal inflow into unemployment [persons]
//! back_d  = N_d (1 - exp(-r))                     those who left come back        [persons]
//! J_d >= 0:  U_d+1 = U_d + (1 - phi) J_d + back_d + b - found_d
//!            N_d+1 = N_d + phi J_d - back_d
//! J_d < 0:   N_d+1 = N_d - back_d - recalled from N,  U_d+1 = ... - recalled from U
//! E_d+1   = labour force - U_d+1 - N_d+1
//! rate_d  = U_d+1 / (E_d+1 + U_d+1)
//! ```
//!
//! Matches `m = f_d U_d = f0 U0^(1-alpha) U_d^alpha v_d^(1-alpha)` are the matching function of
//! Pissarides (Equilibrium Unemployment Theory, 2000), whose elasticity to unemployment `alpha`
//! is 0.5-0.7 in the estimates surveyed by Petrongolo and Pissarides (J Econ Lit 2001;39:390).
//! The normal inflow `b` stands for all flows into unemployment of a normal year (lost jobs,
//! entrants), balanced by the job finding at `U0`; the flows between work and out of the labour
//! force of a normal year are left out (they balance too). People are conserved: `E + U + N` is
//! the labour force before the epidemic on every day. With vacancies at normal and no job loss,
//! `N` returns to 0 at rate `r` and `U` to `U0` at rate `alpha f0` (linearised). Parameters:
//! `economy.dated.labour_market` of `data/netherlands/impacts.json`.

use chrono::NaiveDate;

use crate::inputs::dated::in_force;
use crate::inputs::economy::LabourMarket;

/// The stocks of persons of [`Flows`] on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stocks {
    pub employed: f64,
    pub unemployed: f64,
    /// Those who lost their job and left the labour force.
    pub left: f64,
}

impl Stocks {
    /// Unemployed as a share of the labour force (`E + U`).
    pub fn rate(&self) -> f64 {
        self.unemployed / (self.employed + self.unemployed)
    }
}

/// The labour market's flows over the days of a run (see the module docs).
pub struct Flows<'a> {
    market: &'a LabourMarket,
    /// `v_d` by day of the run.
    vacancies: Vec<f64>,
    normal_unemployed: f64,
    normal_inflow: f64,
    stocks: Stocks,
}

impl<'a> Flows<'a> {
    /// The labour market at its normal state (`labour_force` persons, `normal_rate` unemployed)
    /// for the `days` from `start_date`.
    pub fn new(
        market: &'a LabourMarket,
        labour_force: f64,
        normal_rate: f64,
        start_date: NaiveDate,
        days: usize,
    ) -> Self {
        let vacancies = (0..days)
            .map(|d| {
                let date = start_date + chrono::Duration::days(d as i64);
                1.0 + in_force(&market.vacancies, date, |p| p.from)
                    .map_or(0.0, |i| market.vacancies[i].level)
            })
            .collect();
        let normal_unemployed = normal_rate * labour_force;
        Flows {
            market,
            vacancies,
            normal_unemployed,
            normal_inflow: normal_unemployed * (1.0 - (-market.job_finding_per_day).exp()),
            stocks: Stocks {
                employed: labour_force - normal_unemployed,
                unemployed: normal_unemployed,
                left: 0.0,
            },
        }
    }

    /// Day `d`: `lost` persons lose their job (at most all the employed), or `-lost` jobs come
    /// back and recall those laid off; the stocks after the day's flows.
    pub fn step(&mut self, d: usize, lost: f64) -> Stocks {
        let m = self.market;
        let s = &mut self.stocks;
        let v = self.vacancies.get(d).copied().unwrap_or(1.0);
        let found = if s.unemployed > 0.0 {
            let tightness = v * self.normal_unemployed / s.unemployed;
            let f = m.job_finding_per_day * tightness.powf(1.0 - m.matching_elasticity);
            s.unemployed * (1.0 - (-f).exp())
        } else {
            0.0
        };
        let back = s.left * (1.0 - (-m.return_per_day).exp());
        let lost = lost.min(s.employed);
        let inflow = self.normal_inflow.min(s.employed - lost.max(0.0));
        let (mut unemployed, mut left) = (s.unemployed + back + inflow - found, s.left - back);
        if lost >= 0.0 {
            unemployed += (1.0 - m.leave_share) * lost;
            left += m.leave_share * lost;
        } else {
            let from_left = (-lost * m.leave_share).min(left);
            left -= from_left;
            unemployed -= (-lost - from_left).min(unemployed);
        }
        let total = s.employed + s.unemployed + s.left;
        *s = Stocks {
            employed: total - unemployed - left,
            unemployed,
            left,
        };
        *s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::economy::ShockLevel;

    fn market(vacancies: Vec<ShockLevel>) -> LabourMarket {
        LabourMarket {
            source: String::new(),
            job_finding_per_day: 0.0035,
            matching_elasticity: 0.5,
            leave_share: 0.5,
            return_per_day: 1.0 / 60.0,
            vacancies,
        }
    }

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 3, 1).unwrap()
    }

    /// The stocks over `days` with `lost(d)` persons losing their job on day `d`.
    fn path(m: &LabourMarket, days: usize, lost: impl Fn(usize) -> f64) -> Vec<Stocks> {
        let mut flows = Flows::new(m, 9.24e6, 0.044, start(), days);
        (0..days).map(|d| flows.step(d, lost(d))).collect()
    }

    /// 300,000 jobs lost over the first 30 days, none after.
    fn shock(d: usize) -> f64 {
        if d < 30 {
            10_000.0
        } else {
            0.0
        }
    }

    #[test]
    fn people_are_conserved_and_no_stock_is_negative() {
        let m = market(vec![ShockLevel {
            from: start(),
            level: -0.3,
        }]);
        for s in path(&m, 1000, |d| if d < 200 { 40_000.0 } else { 0.0 }) {
            let total = s.employed + s.unemployed + s.left;
            assert!((total - 9.24e6).abs() < 1e-3, "{total}");
            assert!(
                s.employed >= 0.0 && s.unemployed >= 0.0 && s.left >= 0.0,
                "{s:?}"
            );
        }
    }

    #[test]
    fn the_normal_state_holds_without_job_loss() {
        for s in path(&market(vec![]), 400, |_| 0.0) {
            assert!((s.rate() - 0.044).abs() < 1e-12 && s.left == 0.0);
        }
    }

    #[test]
    fn unemployment_returns_to_the_normal_rate_at_the_documented_rate() {
        let m = market(vec![]);
        let days = 5000;
        let p = path(&m, days, shock);
        assert!(p[60].rate() > 0.05);
        assert!((p[days - 1].rate() - 0.044).abs() < 1e-4);
        assert!(p[days - 1].left < 1.0);
        // Those who left come back at r: N halves in ln 2 / r days once the loss ends.
        let ratio = p[30 + 60].left / p[30].left;
        assert!(
            (ratio - (-60.0 * m.return_per_day).exp()).abs() < 0.01,
            "{ratio}"
        );
        // The extra unemployed decay at about alpha f0 once those who left are back.
        let extra = |d: usize| p[d].unemployed - 0.044 * 9.24e6;
        let rate = (extra(1500) / extra(2000)).ln() / 500.0;
        let expected = m.matching_elasticity * m.job_finding_per_day;
        assert!(
            (rate / expected - 1.0).abs() < 0.1,
            "{rate} against {expected}"
        );
    }

    #[test]
    fn more_job_loss_raises_unemployment_and_more_vacancies_lower_it() {
        let m = market(vec![]);
        let small = path(&m, 500, shock);
        let large = path(&m, 500, |d| 2.0 * shock(d));
        assert!((0..500).all(|d| large[d].rate() >= small[d].rate()));
        assert!(large[100].rate() > small[100].rate());
        let tight = market(vec![ShockLevel {
            from: start(),
            level: 0.35,
        }]);
        let with_vacancies = path(&tight, 2000, shock);
        assert!((1..500).all(|d| with_vacancies[d].rate() < small[d].rate()));
        // Many vacancies per unemployed take the rate below the normal one, to
        // U0 (V0 / V)^((1 - alpha) / alpha) in the long run.
        assert!(with_vacancies[1999].rate() < 0.044 / 1.35 + 1e-3);
    }

    #[test]
    fn those_who_leave_the_labour_force_delay_the_peak() {
        let stay = LabourMarket {
            leave_share: 0.0,
            ..market(vec![])
        };
        let leave = market(vec![]);
        let peak = |p: &[Stocks]| {
            (0..p.len())
                .max_by(|&a, &b| p[a].rate().total_cmp(&p[b].rate()))
                .unwrap()
        };
        let (a, b) = (path(&stay, 500, shock), path(&leave, 500, shock));
        assert!(peak(&b) > peak(&a) + 20, "{} {}", peak(&a), peak(&b));
        assert!(b[29].rate() < a[29].rate());
    }

    #[test]
    fn jobs_that_come_back_recall_those_laid_off() {
        // 300,000 jobs lost over 30 days and back over the next 30: the recalls empty both
        // stocks of those laid off; more jobs back than were lost never take a stock below 0.
        let m = market(vec![]);
        let back = path(&m, 200, |d| {
            if d < 30 {
                10_000.0
            } else if d < 60 {
                -10_000.0
            } else {
                0.0
            }
        });
        let kept = path(&m, 200, shock);
        assert!(back[59].rate() < kept[59].rate() - 0.01);
        assert!(back[59].left < 0.1 * kept[59].left);
        for s in path(&m, 200, |d| {
            if d == 10 {
                1e6
            } else if d == 11 {
                -3e6
            } else {
                0.0
            }
        }) {
            assert!((s.employed + s.unemployed + s.left - 9.24e6).abs() < 1e-3);
            assert!(s.unemployed >= 0.0 && s.left >= 0.0, "{s:?}");
        }
    }
}
