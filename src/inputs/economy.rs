//! The socio-economic parameters of a country: its NACE sections (value added, jobs, firms, wage
//! and fixed-cost shares, employment elasticities, buffers, fear sensitivity), the lag of
//! unemployment, the spread of firms' buffers, household debt, and the flanking subsidies. The
//! model that uses them, with its equations, is [`crate::impacts::socio_economic`].
//!
//! Sources: CBS national accounts (value added, jobs, enterprises); CPB (2020) scenarios for the
//! response of unemployment; the Dutch NOW and TVL schemes (Rijksoverheid) for the subsidies; see
//! `data/netherlands/impacts.json` for every figure.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::inputs::validate::Checker;

/// A NACE section (or a group of sections) of the economy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// NACE code, e.g. `"I"`; a group of sections as `"K-L"`.
    pub code: String,
    pub label: String,
    /// Gross value added in a normal year (EUR million per year).
    pub value_added: f64,
    /// Persons employed (jobs) in a normal year.
    pub employment: f64,
    /// Enterprises (count).
    pub firms: f64,
    /// Compensation of employees as a share of value added (the wage bill share).
    pub labour_share: f64,
    /// Fixed costs other than wages (rent, interest, leases) as a share of value added.
    pub fixed_cost_share: f64,
    /// Long-run share of jobs lost per share of output lost (dimensionless).
    pub employment_elasticity: f64,
    /// Median cash buffer of the section's firms (days of normal value added).
    pub buffer_days: f64,
    /// Share of demand lost per unit of voluntary contact reduction (0 = no fear effect).
    pub fear_sensitivity: f64,
    /// Who works in the section: shares of its workers by group, per grouping (`"age_band"` and
    /// the groupings of [`crate::inputs::distribution::Groups`]); each list adds up to 1.
    pub workers: BTreeMap<String, Vec<f64>>,
}

/// A flanking subsidy (Dutch NOW for wages, TVL for fixed costs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    /// Share of the eligible cost (wage bill or fixed costs) times revenue loss that is paid.
    pub compensation: f64,
    /// Share of eligible firms (weighted by size) that apply.
    pub take_up: f64,
    /// A section qualifies on days its revenue loss is at least this share.
    pub min_revenue_loss: f64,
}

/// The socio-economic parameters of a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    pub sections: Vec<Section>,
    /// Labour force (persons), for unemployment as a share.
    pub labour_force: f64,
    /// Time constant of the adjustment of employment to lost output (days).
    pub unemployment_lag_days: f64,
    /// Shape `k` of the log-logistic distribution of firms' buffers (dimensionless, > 0).
    pub buffer_shape: f64,
    /// Households entering problematic debt (debt restructuring) per person-year of unemployment.
    pub debt_per_unemployed_year: f64,
    /// Wage subsidy (NOW): pays `compensation` of the wage bill times the revenue loss.
    pub wage_subsidy: Subsidy,
    /// Fixed-cost subsidy (TVL): pays `compensation` of fixed costs times the revenue loss.
    pub fixed_cost_subsidy: Subsidy,
    /// The schemes by date, firms and labour market of dated runs (none: no dated economy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated: Option<DatedEconomy>,
}

impl Economy {
    /// Index of a section by code.
    pub fn section(&self, code: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.code == code)
    }

    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        let codes = self.sections.iter().map(|s| s.code.as_str());
        c.unique(format_args!("{field}.sections"), ".code", codes);
        for (i, s) in self.sections.iter().enumerate() {
            let f = format_args!("{field}.sections[{i}]");
            c.non_negative(format_args!("{f}.value_added"), s.value_added);
            c.non_negative(format_args!("{f}.employment"), s.employment);
            c.non_negative(format_args!("{f}.firms"), s.firms);
            c.share(format_args!("{f}.labour_share"), s.labour_share);
            c.share(format_args!("{f}.fixed_cost_share"), s.fixed_cost_share);
            if s.labour_share + s.fixed_cost_share > 1.0 + 1e-12 {
                c.fail(
                    format_args!("{f}.fixed_cost_share"),
                    format!(
                        "labour_share + fixed_cost_share must be at most 1 (labour_share {})",
                        s.labour_share
                    ),
                    format!("{}", s.fixed_cost_share),
                );
            }
            c.share(
                format_args!("{f}.employment_elasticity"),
                s.employment_elasticity,
            );
            c.positive(format_args!("{f}.buffer_days"), s.buffer_days);
            c.share(format_args!("{f}.fear_sensitivity"), s.fear_sensitivity);
        }
        c.positive(format_args!("{field}.labour_force"), self.labour_force);
        c.positive(
            format_args!("{field}.unemployment_lag_days"),
            self.unemployment_lag_days,
        );
        c.positive(format_args!("{field}.buffer_shape"), self.buffer_shape);
        c.non_negative(
            format_args!("{field}.debt_per_unemployed_year"),
            self.debt_per_unemployed_year,
        );
        for (name, s) in [
            ("wage_subsidy", &self.wage_subsidy),
            ("fixed_cost_subsidy", &self.fixed_cost_subsidy),
        ] {
            c.share(format_args!("{field}.{name}.compensation"), s.compensation);
            c.share(format_args!("{field}.{name}.take_up"), s.take_up);
            c.share(
                format_args!("{field}.{name}.min_revenue_loss"),
                s.min_revenue_loss,
            );
        }
        if let Some(d) = &self.dated {
            d.check(format_args!("{field}.dated"), c);
            for (k, shock) in d.demand_shocks.iter().enumerate() {
                for code in shock.exposure.keys() {
                    if self.section(code).is_none() {
                        c.fail(
                            format_args!("{field}.dated.demand_shocks[{k}].exposure.{code}"),
                            "is not a section of the economy",
                            format!("{code:?}"),
                        );
                    }
                }
            }
            if let Some(io) = &d.input_output {
                io.check(format_args!("{field}.dated.input_output"), c);
                let mut seen = std::collections::BTreeSet::new();
                for (i, code) in io.sections.iter().enumerate() {
                    if self.section(code).is_none() || !seen.insert(code.as_str()) {
                        c.fail(
                            format_args!("{field}.dated.input_output.sections[{i}]"),
                            "must be a section of the economy, listed once",
                            format!("{code:?}"),
                        );
                    }
                }
            }
            for code in d.adaptation.iter().flat_map(|a| a.sections.keys()) {
                if self.section(code).is_none() {
                    c.fail(
                        format_args!("{field}.dated.adaptation.sections.{code}"),
                        "is not a section of the economy",
                        format!("{code:?}"),
                    );
                }
            }
            for (i, code) in d.catch_up_sections.iter().enumerate() {
                if self.section(code).is_none() {
                    c.fail(
                        format_args!("{field}.dated.catch_up_sections[{i}]"),
                        "is not a section of the economy",
                        format!("{code:?}"),
                    );
                }
            }
        }
    }
}

/// What a support scheme pays on ([`Scheme::base`]); see [`crate::impacts::dated_economy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// `rate` = share of the wage bill times the revenue loss (NOW).
    WageBill,
    /// `rate` = share of fixed costs times the revenue loss (TVL).
    FixedCosts,
    /// `rate` = EUR per eligible firm for the whole period, paid evenly over it (TOGS).
    PerFirm,
    /// `rate` = EUR per month per eligible self-employed person (Tozo).
    PerSelfEmployed,
    /// `rate` = share of value added deferred as tax by eligible firms (a loan, not an outlay).
    TaxDeferral,
}

/// One period of a scheme's rules, in force from `from` until the next period's `from`
/// (rate 0 closes the scheme).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: chrono::NaiveDate,
    /// Unit by the scheme's [`Base`].
    pub rate: f64,
    /// A firm qualifies with a revenue loss of at least this share.
    pub min_revenue_loss: f64,
}

/// A Dutch support scheme with its rules by period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    pub base: Base,
    /// Where the rules of each period come from (publication and date).
    pub source: String,
    /// Share of eligible firms (or persons) that apply and are paid.
    pub take_up: f64,
    /// Firms apply on the loss they expect, this many times the loss they come to have (1: the
    /// loss as it comes; NOW paid advances on the expected loss, settled a year or more later).
    #[serde(default = "one")]
    pub expected_loss_factor: f64,
    /// Share of the subsidy on the expected loss paid out as an advance (1: all of it).
    #[serde(default = "one")]
    pub advance: f64,
    pub periods: Vec<Period>,
}

fn one() -> f64 {
    1.0
}

/// Parameters of dated runs of the economy ([`crate::impacts::dated_economy`]): the schemes by
/// period, firms as CBS counts their bankruptcies, and the labour market's starting point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedEconomy {
    pub schemes: Vec<Scheme>,
    /// Firms with employees by size class, with their buffers and what makes them fail
    /// ([`crate::impacts::firms`]).
    pub firms: FirmClasses,
    /// Share of each section's enterprises that are one-person firms (self-employed).
    pub one_person_share: f64,
    /// Bankruptcies of firms with employees in a normal year (per year).
    pub bankruptcies_per_year: f64,
    /// Share of normal bankruptcies not pronounced while tax deferral runs (the tax office, a
    /// main petitioner, stopped filing).
    pub deferral_petition_share: f64,
    /// Days of normal value added by which drained buffers refill per day of normal trade.
    pub refill_per_day: f64,
    /// Unemployment rate (share of the labour force) before the epidemic.
    pub unemployment_rate: f64,
    /// Taxes and social contributions per euro of value added (lost with value added).
    pub tax_ratio: f64,
    /// Volume growth of value added per year without the epidemic (the counterfactual).
    pub trend_growth: f64,
    /// Voluntary contact reduction (population mean, 0-1) at full fear, for runs without a
    /// behaviour model: `v_d = fear_max (1 - exp(-x_d / fear_deaths_scale))`.
    pub fear_max: f64,
    /// `x` at which fear reaches `1 - 1/e` of its maximum: COVID-19 deaths per million
    /// inhabitants per day in the run (mean of the last 7 days).
    pub fear_deaths_scale: f64,
    /// People get used to the epidemic: fear weighs less with the fear behind it (the days of
    /// full fear lived through, [`LearningCurve`]); none: the last wave's deaths frighten as
    /// much as the first's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fear_habituation: Option<LearningCurve>,
    /// NACE codes of the sections whose lost sales are partly postponed (goods, construction).
    pub catch_up_sections: Vec<String>,
    /// Share of their lost value added that is made up later.
    pub catch_up_share: f64,
    /// Mean delay of the made-up value added at normal trade (days).
    pub catch_up_days: f64,
    /// Demand that moves by date whatever the run does (foreign demand, scaled-down care).
    #[serde(default)]
    pub demand_shocks: Vec<DemandShock>,
    /// The input-output table whose spill-overs carry sections' lost sales to their domestic
    /// suppliers ([`crate::impacts::input_output`]); none: no spill-overs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_output: Option<InputOutput>,
    /// Standard deviation of firms' revenue change against a scheme's reference (a share of the
    /// reference revenue) around their section's mean loss, epidemic or not: losses normal with
    /// this spread. 0: losses exponential around the mean, none at normal trade
    /// ([`crate::impacts::dated_economy`]).
    #[serde(default)]
    pub loss_spread: f64,
    /// Share of the jobs a section would shed at its long-run `employment_elasticity` that stay,
    /// beyond NOW, while the loss lasts (0-1): firms hoard labour through a shock they expect to
    /// pass, and people who lose flexible work partly leave the labour force rather than count as
    /// unemployed. Calibrated on the 2020 unemployment rate ([`crate::impacts::dated_economy`]).
    #[serde(default)]
    pub labour_hoarding: f64,
    /// Unemployment as stocks and flows of persons ([`crate::impacts::labour_market`]); none:
    /// the extra unemployed are the jobs lost, added to the normal rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labour_market: Option<LabourMarket>,
    /// Adaptation to closures ([`crate::impacts::adaptation`]); none: a section loses to the
    /// measures what their packages say, in the tenth week of closure as in the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptation: Option<Adaptation>,
}

/// Adaptation to closures ([`crate::impacts::adaptation`]): firms and their customers learn to
/// trade under the measures (takeaway, click-and-collect, work and sales moved online), so the
/// loss the measures cause a section shrinks with the closure it has behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adaptation {
    /// Where the mechanism and the values come from.
    pub source: String,
    /// `alpha`: share of the measures' loss learned away after a long closure (0-1).
    pub share: f64,
    /// `T`: days of full closure behind a section (its losses summed) in which `1 - 1/e` of
    /// `alpha` is learned.
    pub closure_days: f64,
    /// `alpha` of the sections (NACE code) whose closed trade could move elsewhere more or less
    /// than the rest's (a restaurant's takeaway against a shop's web orders); the others learn
    /// `share`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, f64>,
}

impl Adaptation {
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        c.share(format_args!("{field}.share"), self.share);
        for (code, &alpha) in &self.sections {
            c.share(format_args!("{field}.sections.{code}"), alpha);
        }
        c.within(
            format_args!("{field}.closure_days"),
            self.closure_days,
            1.0,
            3650.0,
        );
    }
}

/// The labour market of a dated run as stocks and flows ([`crate::impacts::labour_market`]):
/// people who lose their job partly leave the labour force and come back to look for work later;
/// the unemployed find work at a rate that rises with vacancies per unemployed (a matching
/// function); the normal flows balance at the normal unemployment rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabourMarket {
    /// Where the rates and the vacancies come from (publication and date).
    pub source: String,
    /// `f0`: rate at which the unemployed find work at normal vacancies and unemployment (per day).
    pub job_finding_per_day: f64,
    /// `alpha`: elasticity of matches to the unemployed in the matching function `m = U^a V^(1-a)`.
    pub matching_elasticity: f64,
    /// `phi`: share of those who lose their job who leave the labour force (0-1).
    pub leave_share: f64,
    /// `r`: rate at which those who left come back to look for work (per day).
    pub return_per_day: f64,
    /// Vacancies against their normal level by date (`level` = V / V0 - 1); before the first
    /// period, normal.
    pub vacancies: Vec<ShockLevel>,
}

impl LabourMarket {
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        c.within(
            format_args!("{field}.job_finding_per_day"),
            self.job_finding_per_day,
            1e-6,
            1.0,
        );
        c.within(
            format_args!("{field}.matching_elasticity"),
            self.matching_elasticity,
            0.0,
            1.0,
        );
        c.share(format_args!("{field}.leave_share"), self.leave_share);
        c.within(
            format_args!("{field}.return_per_day"),
            self.return_per_day,
            0.0,
            1.0,
        );
        crate::inputs::dated::check_ascending(
            c,
            format_args!("{field}.vacancies"),
            self.vacancies.iter().map(|p| p.from),
        );
        for (j, p) in self.vacancies.iter().enumerate() {
            c.within(
                format_args!("{field}.vacancies[{j}].level"),
                p.level,
                -1.0,
                10.0,
            );
        }
    }
}

/// Firms with employees (the firms whose bankruptcies CBS counts; one-person firms are left out)
/// by size class ([`crate::impacts::firms`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirmClasses {
    /// Where the classes' counts, value added and buffers come from.
    pub source: String,
    /// `c0`: a firm whose buffer left is below this many days of its normal value added fails at
    /// the hazard that makes the normal year's bankruptcies (calibrated on 2020).
    pub critical_buffer_days: f64,
    pub classes: Vec<SizeClass>,
}

/// One size class of firms with employees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeClass {
    /// Name (its employees, e.g. `"employees_2_9"`).
    pub name: String,
    /// Firms in the class, all sections (split over sections as the enterprise counts).
    pub firms: f64,
    /// Share of each section's value added the class makes (and of its wage bill and fixed
    /// costs); the classes add up to at most 1, one-person firms make the rest.
    pub value_added_share: f64,
    /// The class's median buffer as a multiple of its section's `buffer_days`.
    pub buffer_factor: f64,
}

impl FirmClasses {
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        c.non_negative(
            format_args!("{field}.critical_buffer_days"),
            self.critical_buffer_days,
        );
        c.unique(
            format_args!("{field}.classes"),
            ".name",
            self.classes.iter().map(|k| k.name.as_str()),
        );
        for (i, class) in self.classes.iter().enumerate() {
            let f = format_args!("{field}.classes[{i}]");
            c.non_negative(format_args!("{f}.firms"), class.firms);
            c.share(
                format_args!("{f}.value_added_share"),
                class.value_added_share,
            );
            c.positive(format_args!("{f}.buffer_factor"), class.buffer_factor);
        }
        let total: f64 = self.classes.iter().map(|k| k.value_added_share).sum();
        if total > 1.0 + 1e-9 {
            c.fail(
                format_args!("{field}.classes"),
                "value_added_share must add up to at most 1",
                format!("{total}"),
            );
        }
    }
}

/// A symmetric input-output table of domestic intermediate use between sections, from which
/// [`crate::impacts::input_output`] takes the technical coefficients `A_ij = flows_ij / output_j`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputOutput {
    /// Where the table comes from (publication, year, aggregation to sections).
    pub source: String,
    /// NACE codes of the rows and columns, each a section of the economy; a section of the
    /// economy left out of the table has no links.
    pub sections: Vec<String>,
    /// `flows[i][j]`: products of section `i` made in the country and used by section `j` in
    /// production (money per year, in the unit of `output`).
    pub flows: Vec<Vec<f64>>,
    /// Gross output of each section (money per year; the table's unit and year).
    pub output: Vec<f64>,
}

impl InputOutput {
    /// Checks the table's shape and that it is productive: each section uses less than its output
    /// in domestic inputs (`sum_i A_ij < 1`), so that `(I - A)^-1` exists and is non-negative.
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        let n = self.sections.len();
        if self.output.len() != n {
            c.fail(
                format_args!("{field}.output"),
                format!("must have one entry per section ({n})"),
                format!("{} entries", self.output.len()),
            );
            return;
        }
        if self.flows.len() != n || self.flows.iter().any(|row| row.len() != n) {
            c.fail(
                format_args!("{field}.flows"),
                format!("must be a {n} x {n} matrix (one row and column per section)"),
                format!("{} rows", self.flows.len()),
            );
            return;
        }
        for (i, row) in self.flows.iter().enumerate() {
            for (j, &z) in row.iter().enumerate() {
                c.non_negative(format_args!("{field}.flows[{i}][{j}]"), z);
            }
        }
        for (j, &x) in self.output.iter().enumerate() {
            c.positive(format_args!("{field}.output[{j}]"), x);
            let used: f64 = self.flows.iter().map(|row| row[j]).sum();
            if x > 0.0 && used / x >= 1.0 {
                c.fail(
                    format_args!("{field}.flows"),
                    format!(
                        "column {j} ({}) uses {:.3} of its output in domestic inputs; a productive \
                         table uses less than 1",
                        self.sections[j],
                        used / x
                    ),
                    format!("{used} of output {x}"),
                );
            }
        }
    }
}

/// An exogenous, dated change of the demand for part of some sections' value added: from each
/// period's `from`, the exposed share `e_s` of section `s` sells `1 + level` times its normal
/// volume (`a_s *= 1 + e_s level`, [`crate::impacts::dated_economy`]). Foreign demand acts on
/// the value added earned with exports, scaled-down care on the care that was postponed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandShock {
    pub name: String,
    /// Where the levels and the exposures come from (publication and date).
    pub source: String,
    /// Per NACE code: the share of the section's value added exposed to the shock (0-1).
    pub exposure: BTreeMap<String, f64>,
    /// Levels by date; before the first period the level is 0 (normal demand).
    pub periods: Vec<ShockLevel>,
    /// Whether the lost sales reach the sections' domestic suppliers through the input-output
    /// table (`economy.dated.input_output`); false for a shock whose exposure already counts the
    /// suppliers' share (foreign demand: value added earned with exports directly or as a
    /// supplier of exporters).
    #[serde(default)]
    pub spills_over: bool,
    /// The level follows the run instead of `periods` (scaled-down care follows the run's own
    /// hospital pressure and measures); `periods` are then the record it is held against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_run: Option<FromRun>,
}

/// How a [`DemandShock`]'s level follows the run: care not given on day `d`, as a share of the
/// exposed (curative) care, from the planned operations the run's COVID-19 patients displace
/// (`o_d`, the series the societal module counts, [`crate::impacts::societal`]) and the
/// stringency `S_d` (0-100) of the measures in force beyond `S0`, the basic rules' (`stringency_from`):
///
/// ```text
/// level_d = -min(1, per_operation_share min(1, o_d / (planned_operations_per_year / 365))
///                   + at_full_stringency max(0, S_d - S0) / (100 - S0))
/// ```
///
/// A run without COVID-19 patients and without measures beyond the basic rules loses no care.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromRun {
    /// Planned operations in a normal year (operations/year): the operations displaced are a
    /// share of them, at most all.
    pub planned_operations_per_year: f64,
    /// Share of the exposed care not given per share of the planned operations displaced.
    pub per_operation_share: f64,
    /// Share of the exposed care not given at stringency 100, beyond the beds: non-urgent care
    /// scaled down by decision and patients who stay away while measures are in force.
    pub at_full_stringency: f64,
    /// Stringency (0-100) of the basic rules alone (hygiene advice and the public campaign), below
    /// which no care is scaled down.
    pub stringency_from: f64,
    /// Hospitals learn to keep regular care going through later waves
    /// ([`crate::impacts::adaptation`], with the days of full scale-down behind them as the
    /// experience); none: every wave loses care as the first did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning: Option<LearningCurve>,
}

/// How much less a loss weighs with the loss behind it ([`crate::impacts::adaptation`]):
/// `loss'_d = loss_d (1 - share (1 - exp(-E_d / days)))`, `E_d = sum_{t < d} loss_t` (days of
/// full loss behind it). The hospitals' care not given in later waves, people's fear of the
/// deaths they have lived through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningCurve {
    /// Where the mechanism and the values come from.
    pub source: String,
    /// Share of the loss learned away after a long one (0-1).
    pub share: f64,
    /// Days of full loss behind it in which `1 - 1/e` of `share` is learned.
    pub days: f64,
}

impl LearningCurve {
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        c.share(format_args!("{field}.share"), self.share);
        c.within(format_args!("{field}.days"), self.days, 1.0, 3650.0);
    }
}

impl FromRun {
    /// The shock's level (change of the exposed demand, -1 to 0) on a day with `operations`
    /// planned operations displaced (operations/day) and stringency `stringency` (0-100).
    pub fn level(&self, operations: f64, stringency: f64) -> f64 {
        let normal = self.planned_operations_per_year / 365.0;
        let displaced = (operations / normal).clamp(0.0, 1.0);
        let beyond = (stringency - self.stringency_from) / (100.0 - self.stringency_from);
        let stopped = self.at_full_stringency * beyond.clamp(0.0, 1.0);
        -(self.per_operation_share * displaced + stopped).min(1.0)
    }
}

/// One period of a [`DemandShock`], in force from `from` until the next period's `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockLevel {
    pub from: chrono::NaiveDate,
    /// Change of the exposed demand against normal (-1: none left; 0: normal).
    pub level: f64,
}

impl DatedEconomy {
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        let names = self.schemes.iter().map(|s| s.name.as_str());
        c.unique(format_args!("{field}.schemes"), ".name", names);
        for (i, s) in self.schemes.iter().enumerate() {
            let f = format_args!("{field}.schemes[{i}]");
            // A lump sum is spread over its period, so the last period must close the scheme.
            if s.base == Base::PerFirm && s.periods.last().is_some_and(|p| p.rate != 0.0) {
                c.fail(
                    format_args!("{f}.periods"),
                    "of a per_firm scheme must end with a period of rate 0 (its lump sums are paid over the period)",
                    format!("{}", s.periods.last().map_or(0.0, |p| p.rate)),
                );
            }
            c.share(format_args!("{f}.take_up"), s.take_up);
            c.within(
                format_args!("{f}.expected_loss_factor"),
                s.expected_loss_factor,
                0.1,
                10.0,
            );
            c.share(format_args!("{f}.advance"), s.advance);
            if s.periods.is_empty() {
                c.fail(
                    format_args!("{f}.periods"),
                    "must not be empty",
                    "[]".into(),
                );
            }
            crate::inputs::dated::check_ascending(
                c,
                format_args!("{f}.periods"),
                s.periods.iter().map(|p| p.from),
            );
            for (j, p) in s.periods.iter().enumerate() {
                let pf = format_args!("{f}.periods[{j}]");
                match s.base {
                    Base::WageBill | Base::FixedCosts | Base::TaxDeferral => {
                        c.share(format_args!("{pf}.rate"), p.rate)
                    }
                    Base::PerFirm | Base::PerSelfEmployed => {
                        c.non_negative(format_args!("{pf}.rate"), p.rate)
                    }
                }
                c.share(format_args!("{pf}.min_revenue_loss"), p.min_revenue_loss);
            }
        }
        self.firms.check(format_args!("{field}.firms"), c);
        c.share(
            format_args!("{field}.one_person_share"),
            self.one_person_share,
        );
        c.non_negative(
            format_args!("{field}.bankruptcies_per_year"),
            self.bankruptcies_per_year,
        );
        c.share(
            format_args!("{field}.deferral_petition_share"),
            self.deferral_petition_share,
        );
        c.non_negative(format_args!("{field}.refill_per_day"), self.refill_per_day);
        c.share(
            format_args!("{field}.unemployment_rate"),
            self.unemployment_rate,
        );
        c.share(format_args!("{field}.tax_ratio"), self.tax_ratio);
        c.within(
            format_args!("{field}.trend_growth"),
            self.trend_growth,
            -0.5,
            0.5,
        );
        c.share(format_args!("{field}.fear_max"), self.fear_max);
        c.positive(
            format_args!("{field}.fear_deaths_scale"),
            self.fear_deaths_scale,
        );
        let shocks = self.demand_shocks.iter().map(|s| s.name.as_str());
        c.unique(format_args!("{field}.demand_shocks"), ".name", shocks);
        for (k, shock) in self.demand_shocks.iter().enumerate() {
            let f = format_args!("{field}.demand_shocks[{k}]");
            for (code, &e) in &shock.exposure {
                c.share(format_args!("{f}.exposure.{code}"), e);
            }
            crate::inputs::dated::check_ascending(
                c,
                format_args!("{f}.periods"),
                shock.periods.iter().map(|p| p.from),
            );
            for (j, p) in shock.periods.iter().enumerate() {
                c.within(format_args!("{f}.periods[{j}].level"), p.level, -1.0, 1.0);
            }
            if let Some(r) = &shock.from_run {
                c.positive(
                    format_args!("{f}.from_run.planned_operations_per_year"),
                    r.planned_operations_per_year,
                );
                c.share(
                    format_args!("{f}.from_run.per_operation_share"),
                    r.per_operation_share,
                );
                c.share(
                    format_args!("{f}.from_run.at_full_stringency"),
                    r.at_full_stringency,
                );
                c.within(
                    format_args!("{f}.from_run.stringency_from"),
                    r.stringency_from,
                    0.0,
                    99.0,
                );
                if let Some(l) = &r.learning {
                    l.check(format_args!("{f}.from_run.learning"), c);
                }
            }
        }
        c.within(
            format_args!("{field}.loss_spread"),
            self.loss_spread,
            0.0,
            1.0,
        );
        c.share(format_args!("{field}.catch_up_share"), self.catch_up_share);
        c.share(
            format_args!("{field}.labour_hoarding"),
            self.labour_hoarding,
        );
        if let Some(m) = &self.labour_market {
            m.check(format_args!("{field}.labour_market"), c);
        }
        if let Some(a) = &self.adaptation {
            a.check(format_args!("{field}.adaptation"), c);
        }
        if let Some(h) = &self.fear_habituation {
            h.check(format_args!("{field}.fear_habituation"), c);
        }
        c.within(
            format_args!("{field}.catch_up_days"),
            self.catch_up_days,
            1.0,
            3650.0,
        );
    }
}
