//! The economy of a dated run, day by day: value added per NACE section, the Dutch support
//! schemes with their rules by period, firms' liquidity and bankruptcies as CBS counts them,
//! unemployment, and lost tax. What [`super::socio_economic`] prices over a run, this records by
//! date, so that it can be held against what was observed (`docs/economy_2020_2021.md`).
//!
//! Per section `s` and day `d`, with `a_s,d` the share of normal output produced:
//!
//! ```text
//! a0_s,d     = kept_s,d (1 - fear_s v_d) max(0, 1 + sum_k e_k,s z_k,d)  measures, fear, shocks
//! v_d        = fear_max (1 - exp(-x_d / x0))                         fear of the epidemic
//! B_s,d+1    = B_s,d + c (1 - a0_s,d) - m_s,d ;  m_s,d = B_s,d a0_s,d / T   postponed sales
//! a_s,d      = a0_s,d + m_s,d                                        made-up sales included
//! VA_s,d     = VA_s / 365 * a_s,d                                    value added   [EUR/day]
//! ```
//!
//! `kept` is the share the measures in force leave ([`super::socio_economic`]), less the part of
//! their loss the section has learned to avoid after the closure behind it, with
//! `economy.dated.adaptation` ([`super::adaptation`]). **Fear**: in a
//! run without a behaviour model, people stay away as the epidemic's toll rises: `x_d` is the
//! run's COVID-19 deaths per million per day (mean of the last 7 days), `fear_s` the section's
//! `fear_sensitivity`; Goolsbee and Syverson (J Public Econ 2021;193:104311) found US consumer
//! visits fell 60 points in spring 2020 of which legal orders explained 7, the rest tracking
//! local COVID-19 deaths. With `fear_habituation` people get used to the epidemic: fear weighs
//! less with the fear behind it ([`super::adaptation`]; adherence to mobility restrictions fell
//! as the pandemic went on, Petherick et al., Nat Hum Behav 2021;5:1145). A run with a behaviour
//! model takes its voluntary distancing from that model instead (`v` as in
//! [`super::socio_economic`]). **Demand shocks** move whatever the run does: shock `k` (`demand_shocks`) changes the demand for the exposed share `e_k,s` of
//! section `s` by `z_k,d` (dated levels). Foreign demand: `z` the export volume against its path
//! without the epidemic, `e` the share of the section's value added earned with exports, directly
//! or as a supplier of exporters (CBS), so the suppliers' share of the export loss is counted.
//! Scaled-down care follows the run (`from_run`):
//! `z_d = -min(1, k_o min(1, o_d / O) + k_S max(0, S_d - S0) / (100 - S0))`,
//! `o_d` the planned operations the run's COVID-19 patients displace (the series the societal
//! module counts, [`super::societal::operations_by_day`]), `O` the planned operations of a
//! normal day, `S_d` the stringency in force, `S0` the basic rules'
//! ([`crate::inputs::economy::FromRun`]), less in later waves as hospitals learn to keep regular
//! care going (`learning`, [`super::adaptation`]); `e` the share
//! of section Q in curative care; NZa's care not given by date is the record it is held against.
//! **Catch-up**: in the
//! `catch_up_sections` (goods and construction) a share `c` of the lost sales is postponed
//! into a backlog `B` (days of normal value added) that is made up at rate `a0 / T` once trade
//! resumes. `fear_max`, `x0`, `c` and `T` are calibrated on 2020 (`scripts/calibrate_economy.py`).
//!
//! **Spill-overs to suppliers** (with `input_output`, [`super::input_output`]): the lost sales of
//! the measures, of fear and of the shocks that spill over (`spills_over`: scaled-down care,
//! international travel) are lost final demand, and reach the sections' domestic suppliers through
//! the Leontief inverse in shares, `a' = 1 - B (1 - a)`, before the other shocks multiply in
//! (foreign demand, whose exposure already counts the suppliers of exporters):
//! `a0 = [1 - B (1 - kept (1 - fear v) max(0, 1 + sum_spilling e z))] max(0, 1 + sum_other e z)`.
//!
//! **Firms differ.** Within a section firms' revenue losses `l` against a scheme's reference
//! have mean `L_s,d = 1 - a_s,d`, a loss above 1 counted as 1 (a firm loses at most its revenue).
//! A scheme with threshold `theta` reaches the share `P(l >= theta)` of firms and the lost revenue
//! `E[min(l, 1); l >= theta]` (per euro of normal revenue; revenue and value added are taken to
//! fall alike). With `loss_spread` `sigma` > 0, `l ~ N(L, sigma^2)`: firms' revenue moves against
//! the reference in normal times too (NOW 1 compared three months of 2020 with a quarter of the
//! 2019 revenue), so a threshold reaches firms whatever their section's mean:
//!
//! ```text
//! a = (theta - L) / sigma,  b = (1 - L) / sigma,  Phi, phi the standard normal cdf and density
//! P(l >= theta)            = 1 - Phi(a)
//! E[min(l, 1); l >= theta] = L (Phi(b) - Phi(a)) + sigma (phi(a) - phi(b)) + 1 - Phi(b)
//! ```
//!
//! `sigma` is calibrated on the 2020 NOW outlays by quarter (`scripts/calibrate_economy.py`).
//! With `sigma` = 0 losses are exponential with mean `L` (none at normal trade):
//! `P = exp(-theta/L)`, `E = (theta + L) exp(-theta/L) - L exp(-1/L)`; that spread, or gamma of
//! shape 0.05 to 3, left NOW 2020 at EUR 2.4-5.4 bn against 14.4 (`docs/economy_2020_2021.md`).
//!
//! **Schemes** (rules by period, `rate` and threshold of the period in force on the day). A
//! scheme paid as an advance on the loss firms expect (NOW) takes `l` with mean `r L` (`r` its
//! `expected_loss_factor`) and pays the share `advance` of it; the settlement a year or more later
//! is left out, as in the outlays the model is held against:
//!
//! ```text
//! wage bill (NOW)        take_up * advance * rate * labour_share_s * VA_s/365 * E[l; l >= theta]
//! fixed costs (TVL)      take_up * rate * fixed_share_s  * VA_s/365 * E[l; l >= theta]  [EUR/day]
//! per firm (TOGS)        take_up * rate / period_days * firms_s * P(l >= theta)          [EUR/day]
//! per self-employed      take_up * rate * 12/365 * firms_s * one_person * P(l >= theta)  [EUR/day]
//!   (Tozo)
//! tax deferral           take_up * rate * VA_s/365 * P(l >= theta)       deferred tax    [EUR/day]
//! ```
//!
//! Deferred tax is a loan to firms: it fills their buffers but is not an outlay. Lost tax is
//! `tax_ratio * (VA_s/365 - VA_s,d)`.
//!
//! **Firms with employees** (the firms CBS counts bankruptcies of; one-person firms are left
//! out), by size class, hold buffers that drain with their loss and refill with what the schemes
//! pay (NOW, TVL, TOGS) and the tax deferred; they fail as their buffers run low
//! ([`super::firms`]).
//! **Unemployment** follows [`super::socio_economic`] with NOW as in force on the day:
//! `U*_s,d = E_s eps_s L_s,d (1 - take_up rate E[l; l >= theta] / L_s,d) (1 - h)`, lagged by
//! `tau` (made-up sales above normal lower it), with `h` the labour hoarding beyond NOW
//! (`labour_hoarding`: jobs firms keep through a shock they expect to pass, and flexible workers
//! who leave the labour force; the long-run elasticity `eps` overstates the job loss of a temporary
//! one: Okun's short-run coefficient is small, e.g. Ball, Leigh and Loungani, J Money Credit Bank
//! 2017;49:1413). Without `labour_market` these jobs lost are the extra unemployed (`h` scales
//! them exactly); with it, the day's change of the jobs lost, summed over sections, moves people
//! between [`super::labour_market`]'s stocks (job losers when it rises, recalls when it falls),
//! whose unemployed are the rate.
//! `h` and the flows' rates are calibrated on the 2020 quarters.
//!
//! Parameters and sources: `economy.dated` of `data/netherlands/impacts.json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::adaptation::Learning;
use super::firms::Firms;
use super::input_output::Spillover;
use super::labour_market::Flows;
use super::regional::Area;
use super::socio_economic::Applied;
use crate::inputs::dated::in_force;
use crate::inputs::economy::{Base, DatedEconomy, Economy, Scheme};
use crate::run::Run;
use crate::special::{normal_cdf, normal_pdf};

/// The economy of a dated run by day (national).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyByDay {
    /// The date of day 0.
    pub start_date: NaiveDate,
    /// NACE codes of the columns of `value_added`.
    pub sections: Vec<String>,
    /// Per section: value added in a normal day (EUR/day, the calibration year's level).
    pub normal_value_added: Vec<f64>,
    /// `days x sections`: value added (EUR/day).
    pub value_added: Vec<Vec<f64>>,
    /// Per day: unemployment rate (share of the labour force) and extra unemployed (persons).
    pub unemployment_rate: Vec<f64>,
    pub unemployed: Vec<f64>,
    /// Per day, with the labour market's flows ([`super::labour_market`]; empty without): the
    /// employed, and those who lost their job and left the labour force (persons).
    #[serde(default)]
    pub employed: Vec<f64>,
    #[serde(default)]
    pub left_labour_force: Vec<f64>,
    /// Per day: bankruptcies of firms with employees (firms/day), as CBS counts them; and their
    /// number in a normal day (before the run, and the reference of the hazard).
    pub bankruptcies: Vec<f64>,
    pub normal_bankruptcies: f64,
    /// Per size class of firms with employees, per day: its bankruptcies (firms/day; they add up
    /// to `bankruptcies`), and in a normal day.
    #[serde(default)]
    pub bankruptcies_by_class: BTreeMap<String, Vec<f64>>,
    #[serde(default)]
    pub normal_bankruptcies_by_class: BTreeMap<String, f64>,
    /// Volume growth a year without the epidemic (`trend_growth`), for changes on a year before.
    pub trend_growth: f64,
    /// Per scheme, per day: paid (EUR/day; for tax deferral, the tax deferred).
    pub schemes: BTreeMap<String, Vec<f64>>,
    /// Per day: taxes lost with the value added lost (EUR/day).
    pub lost_tax: Vec<f64>,
    /// Per day: voluntary contact reduction from fear of the run's epidemic (`v_d`; 0 in runs
    /// with a behaviour model, whose own distancing is in the activity).
    #[serde(default)]
    pub fear: Vec<f64>,
    /// Per demand shock, per day: its level `z_d` (change of the exposed demand, 0 = normal).
    #[serde(default)]
    pub shocks: BTreeMap<String, Vec<f64>>,
    /// Admissions to statutory debt restructuring (Wsnp) by day, following the unemployment
    /// above ([`super::debt_restructuring`]), when the society data has its parameters (set by
    /// [`super::economy_by_day`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wsnp: Option<super::debt_restructuring::WsnpByDay>,
}

/// What the schemes' thresholds reach of a section's firms on a day, whose losses have mean
/// `r L` (`L` the section's loss, `r` a scheme's expected-loss factor): `P(l >= theta)` and
/// `E[min(l, 1); l >= theta]`, normal with standard deviation `spread` or exponential when
/// `spread` is 0 (see the module docs). The normal cdfs are most of the dated economy's cost, so
/// each is computed once per loss, threshold and mean, kept while the section's loss holds, and
/// only when a scheme needs it: a scheme per firm needs the share, one on the loss the lost
/// revenue too, and the schemes with one expected-loss factor share `Phi(b)`.
struct Reach {
    spread: f64,
    /// `L` the entries are for (NaN before the first day).
    loss: f64,
    /// Per threshold and factor met at this loss: `theta`, `r`, `P(l >= theta)`, `Phi(a)` (normal
    /// spread) and, once asked for, the lost revenue.
    thresholds: Vec<(f64, f64, f64, f64, Option<f64>)>,
    /// Per mean `r L` met at this loss (normal spread): `Phi(b)` and `phi(b)`.
    upper: Vec<(f64, f64, f64)>,
}

impl Reach {
    fn new(spread: f64) -> Self {
        Reach {
            spread,
            loss: f64::NAN,
            thresholds: Vec::new(),
            upper: Vec::new(),
        }
    }

    /// Moves to the section's loss of the day, forgetting what was reached at another.
    fn at(&mut self, loss: f64) {
        if self.loss != loss {
            self.loss = loss;
            self.thresholds.clear();
            self.upper.clear();
        }
    }

    /// The entry of `(theta, r)` at the current loss, its share computed when new.
    fn entry(&mut self, theta: f64, r: f64) -> usize {
        if let Some(i) = (self.thresholds.iter()).position(|e| e.0 == theta && e.1 == r) {
            return i;
        }
        let (mean, spread) = (r * self.loss, self.spread);
        let (share, cdf_a) = if theta >= 1.0 {
            (0.0, 1.0)
        } else if spread > 0.0 {
            let cdf_a = normal_cdf((theta - mean) / spread);
            (1.0 - cdf_a, cdf_a)
        } else if mean <= 0.0 {
            (0.0, 1.0)
        } else {
            ((-theta / mean).exp(), f64::NAN)
        };
        self.thresholds.push((theta, r, share, cdf_a, None));
        self.thresholds.len() - 1
    }

    /// `P(l >= theta)` for losses with mean `r L`.
    fn share(&mut self, theta: f64, r: f64) -> f64 {
        let i = self.entry(theta, r);
        self.thresholds[i].2
    }

    /// `E[min(l, 1); l >= theta]` for losses with mean `r L` (per euro of normal revenue).
    fn lost(&mut self, theta: f64, r: f64) -> f64 {
        let i = self.entry(theta, r);
        let (theta, r, share, cdf_a, known) = self.thresholds[i];
        if let Some(lost) = known {
            return lost;
        }
        let (mean, spread) = (r * self.loss, self.spread);
        let lost = if theta >= 1.0 {
            0.0
        } else if spread > 0.0 {
            let (a, b) = ((theta - mean) / spread, (1.0 - mean) / spread);
            let (cdf_b, density_b) = match self.upper.iter().find(|u| u.0 == mean) {
                Some(&(_, cdf, dens)) => (cdf, dens),
                None => {
                    let (cdf, dens) = (normal_cdf(b), normal_pdf(b));
                    self.upper.push((mean, cdf, dens));
                    (cdf, dens)
                }
            };
            mean * (cdf_b - cdf_a) + spread * (normal_pdf(a) - density_b) + 1.0 - cdf_b
        } else if mean <= 0.0 {
            0.0
        } else {
            (theta + mean) * share - mean * (-1.0 / mean).exp()
        };
        self.thresholds[i].4 = Some(lost);
        lost
    }
}

/// `v_d` of the module docs: fear of the run's epidemic from its deaths per million per day
/// (mean of the last 7 days). Zero for runs with a behaviour model.
fn fear_of_deaths(run: &Run, dated: &DatedEconomy, population: f64, days: usize) -> Vec<f64> {
    if run.behaviour.is_some() || population <= 0.0 || dated.fear_max == 0.0 {
        return vec![0.0; days];
    }
    let deaths: Vec<f64> = run.deaths().rows().into_iter().map(|r| r.sum()).collect();
    let mut window = 0.0;
    let mut habituation = dated.fear_habituation.as_ref().map(Learning::one);
    (0..days)
        .map(|d| {
            window += deaths.get(d).copied().unwrap_or(0.0);
            if d >= 7 {
                window -= deaths.get(d - 7).copied().unwrap_or(0.0);
            }
            let x = window / (d + 1).min(7) as f64 / (population / 1e6);
            let fear = dated.fear_max * (1.0 - (-x / dated.fear_deaths_scale).exp());
            let used_to = habituation.as_mut().and_then(|h| h.learn(0, fear));
            used_to.unwrap_or(fear)
        })
        .collect()
}

/// The period of a scheme in force on `date` with its length in days (`None`: not in force).
fn period_on(scheme: &Scheme, date: NaiveDate) -> Option<(f64, f64, f64)> {
    let i = in_force(&scheme.periods, date, |p| p.from)?;
    let p = &scheme.periods[i];
    let days = scheme
        .periods
        .get(i + 1)
        .map_or(1.0, |next| (next.from - p.from).num_days() as f64);
    (p.rate > 0.0).then_some((p.rate, p.min_revenue_loss, days))
}

/// Runs the dated economy of the country (`area`, `population` persons) over the run's days;
/// `operations` are the planned operations the run's COVID-19 patients displace per day (the
/// societal module's series, [`super::societal::operations_by_day`]), which a shock that follows
/// the run (scaled-down care) takes with the stringency in force.
#[allow(clippy::too_many_arguments)] // the parts of one run, named at the call
pub(super) fn by_day(
    economy: &Economy,
    dated: &DatedEconomy,
    applied: &Applied,
    area: &Area,
    run: &Run,
    population: f64,
    start_date: NaiveDate,
    operations: &[f64],
) -> EconomyByDay {
    let n = economy.sections.len();
    let normal: Vec<f64> = economy
        .sections
        .iter()
        .map(|s| s.value_added * 1e6 / 365.0)
        .collect();
    let decay = (-1.0 / economy.unemployment_lag_days).exp();
    let mut out = EconomyByDay {
        start_date,
        sections: economy.sections.iter().map(|s| s.code.clone()).collect(),
        normal_value_added: normal.clone(),
        value_added: Vec::with_capacity(applied.days),
        unemployment_rate: Vec::with_capacity(applied.days),
        unemployed: Vec::with_capacity(applied.days),
        employed: Vec::new(),
        left_labour_force: Vec::new(),
        bankruptcies: Vec::with_capacity(applied.days),
        normal_bankruptcies: dated.bankruptcies_per_year / 365.0,
        bankruptcies_by_class: BTreeMap::new(),
        normal_bankruptcies_by_class: BTreeMap::new(),
        trend_growth: dated.trend_growth,
        schemes: dated
            .schemes
            .iter()
            .map(|s| (s.name.clone(), Vec::with_capacity(applied.days)))
            .collect(),
        lost_tax: Vec::with_capacity(applied.days),
        fear: fear_of_deaths(run, dated, population, applied.days),
        shocks: BTreeMap::new(),
        wsnp: None,
    };
    // Per demand shock: its level per day (dated, or following the run's hospital pressure and
    // measures) and its exposure per section.
    let levels: Vec<Vec<f64>> = dated
        .demand_shocks
        .iter()
        .map(|shock| {
            let mut learning = (shock.from_run.as_ref())
                .and_then(|r| r.learning.as_ref())
                .map(Learning::one);
            (0..applied.days)
                .map(|d| match &shock.from_run {
                    Some(r) => {
                        let level = r.level(
                            operations.get(d).copied().unwrap_or(0.0),
                            area.stringency.get(d).copied().unwrap_or(0.0),
                        );
                        let learned = learning.as_mut().and_then(|l| l.learn(0, -level));
                        learned.map_or(level, |loss| -loss)
                    }
                    None => {
                        let date = start_date + chrono::Duration::days(d as i64);
                        in_force(&shock.periods, date, |p| p.from)
                            .map_or(0.0, |i| shock.periods[i].level)
                    }
                })
                .collect()
        })
        .collect();
    let exposure: Vec<Vec<f64>> = dated
        .demand_shocks
        .iter()
        .map(|shock| {
            economy
                .sections
                .iter()
                .map(|s| shock.exposure.get(&s.code).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    // Input-output spill-overs (none without a table): which shocks' lost sales reach suppliers.
    let spill = (dated.input_output.as_ref()).map(|t| Spillover::new(t, economy));
    let spills: Vec<bool> = (dated.demand_shocks.iter())
        .map(|k| k.spills_over && spill.is_some())
        .collect();
    let shock = |s: usize, d: usize, spilling: bool| -> f64 {
        (levels.iter().zip(&exposure).zip(&spills))
            .filter(|(_, &k)| k == spilling)
            .map(|((z, e), _)| e[s] * z[d])
            .sum()
    };
    let mut lost = Vec::with_capacity(n);
    let catch_up: Vec<bool> = economy
        .sections
        .iter()
        .map(|s| dated.catch_up_sections.contains(&s.code))
        .collect();
    let mut firms = Firms::new(economy, dated);
    let classes = dated.firms.classes.len();
    let mut by_class: Vec<Vec<f64>> = vec![Vec::with_capacity(applied.days); classes];
    let mut today = vec![0.0; classes];
    // Per scheme, per section: what the scheme pays per unit of its rate times the eligible
    // loss (wage bill, fixed costs, value added) or the share reached (firms, self-employed;
    // TOGS's lump sum is spread over its period below), and that sum per euro of normal value
    // added, the relief it gives the section's firms (Tozo supports persons, not the firms
    // CBS counts; deferred tax and lump sums per firm are counted apart).
    let base: Vec<Vec<f64>> = dated
        .schemes
        .iter()
        .map(|scheme| {
            economy
                .sections
                .iter()
                .zip(&normal)
                .map(|(sec, v)| match scheme.base {
                    Base::WageBill => sec.labour_share * v,
                    Base::FixedCosts => sec.fixed_cost_share * v,
                    Base::PerFirm => sec.firms,
                    Base::PerSelfEmployed => 12.0 / 365.0 * sec.firms * dated.one_person_share,
                    Base::TaxDeferral => *v,
                })
                .collect()
        })
        .collect();
    let per_normal = |k: usize, s: usize| {
        if normal[s] > 0.0 {
            base[k][s] / normal[s]
        } else {
            0.0
        }
    };
    let relief: Vec<Vec<f64>> = (0..dated.schemes.len())
        .map(|k| {
            (0..n)
                .map(|s| match dated.schemes[k].base {
                    Base::PerSelfEmployed => 0.0,
                    _ => per_normal(k, s),
                })
                .collect()
        })
        .collect();
    let spread = dated.loss_spread;
    let mut backlog = vec![0.0; n];
    let mut unemployed = vec![0.0; n];
    let mut flows = (dated.labour_market.as_ref()).map(|m| {
        Flows::new(
            m,
            economy.labour_force,
            dated.unemployment_rate,
            start_date,
            applied.days,
        )
    });
    let mut reach: Vec<Reach> = (0..n).map(|_| Reach::new(spread)).collect();
    let mut rules: Vec<Option<(f64, f64, f64)>> = Vec::with_capacity(dated.schemes.len());
    let mut paid = vec![0.0; dated.schemes.len()];
    let mut learning = (dated.adaptation.as_ref())
        .map(|a| Learning::new(a, economy.sections.iter().map(|s| s.code.as_str())));
    for (d, mut activity) in applied.activity(economy, area).enumerate() {
        if let Some(learning) = &mut learning {
            learning.adapt(&mut activity);
        }
        let v = out.fear[d];
        let date = start_date + chrono::Duration::days(d as i64);
        rules.clear();
        rules.extend(dated.schemes.iter().map(|s| period_on(s, date)));
        let deferral_open = dated
            .schemes
            .iter()
            .zip(&rules)
            .any(|(s, r)| s.base == Base::TaxDeferral && r.is_some());
        let petitioned = if deferral_open {
            1.0 - dated.deferral_petition_share
        } else {
            1.0
        };
        paid.iter_mut().for_each(|p| *p = 0.0);
        today.iter_mut().for_each(|b| *b = 0.0);
        let (mut lost_tax, mut jobs_lost) = (0.0, 0.0);
        // Lost sales that reach suppliers (measures, fear, shocks that spill over), then the rest.
        for (s, sec) in economy.sections.iter().enumerate() {
            activity[s] *= (1.0 - sec.fear_sensitivity * v) * (1.0 + shock(s, d, true)).max(0.0);
        }
        if let Some(spill) = &spill {
            spill.spill_over(&mut activity, &mut lost);
        }
        for (s, sec) in economy.sections.iter().enumerate() {
            let a0 = activity[s] * (1.0 + shock(s, d, false)).max(0.0);
            let mut made_up = 0.0;
            if catch_up[s] {
                backlog[s] += dated.catch_up_share * (1.0 - a0);
                made_up = backlog[s] * a0 / dated.catch_up_days;
                backlog[s] -= made_up;
            }
            let a = a0 + made_up;
            activity[s] = a;
            let loss = 1.0 - a;
            if loss == 0.0 && spread == 0.0 && firms.at_rest(s) && unemployed[s] == 0.0 {
                // A section at normal trade with nothing to recover: its normal hazard only.
                firms.normal_day(s, petitioned, &mut today);
                continue;
            }
            let known = &mut reach[s];
            known.at(loss);
            let (mut relieved, mut lump, mut deferred, mut on_payroll) = (0.0, 0.0, 0.0, 0.0);
            for (k, (scheme, rule)) in dated.schemes.iter().zip(&rules).enumerate() {
                if loss <= 0.0 && spread == 0.0 {
                    break; // nothing lost and no spread: no scheme pays
                }
                let Some((rate, theta, days)) = *rule else {
                    continue;
                };
                let r = scheme.expected_loss_factor;
                let share = known.share(theta, r);
                if share == 0.0 {
                    continue;
                }
                let t = scheme.take_up * scheme.advance * rate;
                let (t, amount) = match scheme.base {
                    Base::WageBill => {
                        let lost = known.lost(theta, r);
                        if loss > 0.0 {
                            on_payroll += scheme.take_up * rate * lost / (r * loss);
                        }
                        (t, lost)
                    }
                    Base::FixedCosts => (t, known.lost(theta, r)),
                    Base::PerFirm => (t / days, share),
                    Base::PerSelfEmployed | Base::TaxDeferral => (t, share),
                };
                paid[k] += t * base[k][s] * amount;
                let given = t * relief[k][s] * amount;
                match scheme.base {
                    Base::TaxDeferral => deferred += given,
                    Base::PerFirm => lump += given,
                    _ => relieved += given,
                }
            }
            firms.day(s, loss, a, relieved, lump, deferred, petitioned, &mut today);
            let target = sec.employment
                * sec.employment_elasticity
                * loss
                * (1.0 - on_payroll.min(1.0))
                * (1.0 - dated.labour_hoarding);
            let before = unemployed[s];
            unemployed[s] = target + (before - target) * decay;
            jobs_lost += unemployed[s] - before;
            lost_tax += dated.tax_ratio * normal[s] * loss;
        }
        activity.iter_mut().zip(&normal).for_each(|(a, v)| *a *= v);
        out.value_added.push(activity);
        if let Some(flows) = &mut flows {
            let stocks = flows.step(d, jobs_lost);
            let normal = dated.unemployment_rate * economy.labour_force;
            out.unemployed.push(stocks.unemployed - normal);
            out.unemployment_rate.push(stocks.rate());
            out.employed.push(stocks.employed);
            out.left_labour_force.push(stocks.left);
        } else {
            let extra: f64 = unemployed.iter().sum();
            out.unemployed.push(extra);
            out.unemployment_rate
                .push(dated.unemployment_rate + extra / economy.labour_force);
        }
        out.bankruptcies.push(today.iter().sum());
        for (series, &b) in by_class.iter_mut().zip(&today) {
            series.push(b);
        }
        out.lost_tax.push(lost_tax);
        for (scheme, &euros) in dated.schemes.iter().zip(&paid) {
            if let Some(v) = out.schemes.get_mut(&scheme.name) {
                v.push(euros);
            }
        }
    }
    out.normal_bankruptcies_by_class = (dated.firms.classes.iter())
        .zip(firms.normal_by_class())
        .map(|(class, b)| (class.name.clone(), b))
        .collect();
    out.bankruptcies_by_class = (dated.firms.classes.iter())
        .zip(by_class)
        .map(|(class, b)| (class.name.clone(), b))
        .collect();
    out.shocks = dated
        .demand_shocks
        .iter()
        .zip(levels)
        .map(|(shock, z)| (shock.name.clone(), z))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::Reach;
    use crate::inputs::economy::FromRun;

    /// `(P(l >= theta), E[min(l, 1); l >= theta])` for losses with mean `mean`.
    fn reached(theta: f64, mean: f64, spread: f64) -> (f64, f64) {
        let mut reach = Reach::new(spread);
        reach.at(mean);
        (reach.share(theta, 1.0), reach.lost(theta, 1.0))
    }

    #[test]
    fn care_not_given_grows_with_the_operations_displaced_and_the_measures() {
        let care = FromRun {
            planned_operations_per_year: 365_000.0, // 1,000 a day
            per_operation_share: 0.4,
            at_full_stringency: 0.1,
            stringency_from: 10.0,
            learning: None,
        };
        // No COVID-19 patients and no measures: no care lost.
        assert_eq!(care.level(0.0, 0.0), 0.0);
        // More operations displaced lose more care, up to all planned operations.
        let levels: Vec<f64> = [0.0, 100.0, 500.0, 1_000.0, 3_000.0]
            .iter()
            .map(|&o| care.level(o, 0.0))
            .collect();
        assert!(levels.windows(2).all(|w| w[1] <= w[0]));
        assert!((levels[2] + 0.2).abs() < 1e-12 && (levels[4] + 0.4).abs() < 1e-12);
        // The basic rules alone scale no care down; measures beyond them add their part, and the
        // level stays a share of the exposed care.
        assert_eq!(care.level(0.0, 10.0), 0.0);
        assert!((care.level(500.0, 55.0) + 0.25).abs() < 1e-12);
        let all = FromRun {
            per_operation_share: 1.0,
            at_full_stringency: 1.0,
            ..care
        };
        assert_eq!(all.level(2_000.0, 100.0), -1.0);
    }

    #[test]
    fn firms_reached_follow_the_exponential_spread_of_losses() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // No threshold: every firm qualifies, and the lost revenue is E[min(l, 1)] =
        // m (1 - exp(-1/m)).
        let (share, lost) = reached(0.0, 0.3, 0.0);
        assert!(close(share, 1.0) && close(lost, 0.3 * (1.0 - (-1.0f64 / 0.3).exp())));
        // No loss: nobody qualifies.
        assert_eq!(reached(0.2, 0.0, 0.0), (0.0, 0.0));
        // Mean loss 0.2, threshold 0.2: P = exp(-1); E[l; 0.2 <= l < 1] + P(l >= 1)
        // = 0.4 exp(-1) - 1.2 exp(-5) + exp(-5).
        let (share, lost) = reached(0.2, 0.2, 0.0);
        assert!(close(share, (-1.0f64).exp()));
        assert!(close(lost, 0.4 * (-1.0f64).exp() - 0.2 * (-5.0f64).exp()));
        // The eligible loss never exceeds the mean loss.
        for mean in [0.05, 0.2, 0.5, 0.9, 3.0] {
            assert!(reached(0.3, mean, 0.0).1 <= mean + 1e-12);
        }
    }

    #[test]
    fn firms_reached_with_a_normal_spread_of_losses() {
        // Against a numerical integral of min(l, 1) over the normal density above the threshold.
        let numeric = |theta: f64, mean: f64, sd: f64| {
            let (steps, hi) = (200_000, mean + 12.0 * sd);
            let h = (hi - theta) / steps as f64;
            let (mut share, mut lost) = (0.0, 0.0);
            for i in 0..steps {
                let l = theta + (i as f64 + 0.5) * h;
                let f = (-0.5 * ((l - mean) / sd).powi(2)).exp()
                    / (sd * (2.0 * std::f64::consts::PI).sqrt());
                share += f * h;
                lost += l.min(1.0) * f * h;
            }
            (share, lost)
        };
        for (theta, mean, sd) in [
            (0.2, 0.0, 0.2),
            (0.2, 0.1, 0.25),
            (0.3, 0.8, 0.3),
            (0.075, -0.05, 0.1),
        ] {
            let (share, lost) = reached(theta, mean, sd);
            let (s, l) = numeric(theta, mean, sd);
            assert!(
                (share - s).abs() < 1e-6 && (lost - l).abs() < 1e-6,
                "{theta} {mean} {sd}"
            );
        }
        // A normal trade day still has firms below the threshold's loss and above it.
        let (share, lost) = reached(0.2, 0.0, 0.2);
        assert!((share - (1.0 - 0.841_344_746_068_542_9)).abs() < 1e-12 && lost > 0.0);
    }
}
