//! The acute-phase checklist: questions grouped by the four dimensions, each answered from model
//! output where it can be (an evidence figure with its unit, compared with a threshold), with room
//! for the analyst's own answers (kept next to the model's, see the Python `ChecklistAnswers`).
//!
//! The questions are data (`data/netherlands/checklist.json`): an id, the dimension, the question,
//! a [`Metric`] that says how the evidence is read from a run, and optionally a threshold with
//! the comparison that makes the answer "yes" and the source of the threshold. Questions about
//! the situation "without escalation" read the scenario's run without measures (the baseline);
//! the others read the run of the alternative.

use serde::{Deserialize, Serialize};

use crate::decision::valuation::Monetisation;
use crate::error::{Error, Result};
use crate::impacts::Dimension;
use crate::impacts::Outcome;
use crate::inputs::calibration::Calibration;
use crate::inputs::source::Source;
use crate::inputs::validate::Checker;

/// Which run a question reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// The alternative's own run.
    #[default]
    Alternative,
    /// The scenario's run without measures ("without escalation").
    Baseline,
}

/// An occupancy series and the capacity it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Care {
    Icu,
    Hospital,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Normal,
    Scaled,
}

/// A daily flow of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    Admissions,
    IcuAdmissions,
}

/// A behavioural series (population-weighted mean over age bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    Compliance,
    Support,
    Fatigue,
}

/// A daily impact series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Daily {
    /// Excess share of the population with poor mental health.
    MentalHealth,
    /// Excess share of the population emotionally lonely.
    Loneliness,
}

/// What an indicator is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Annual gross value added of the economy (EUR).
    AnnualValueAdded,
    /// Normal ICU capacity (beds).
    IcuNormal,
    /// Scaled-up ICU capacity (beds).
    IcuScaled,
}

/// How the evidence of a question is read from a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Metric {
    /// The first day (0 = the first day of the run) on which occupancy exceeds capacity;
    /// no evidence when it never does.
    FirstDayAbove {
        care: Care,
        capacity: Capacity,
        #[serde(default)]
        run: RunKind,
    },
    /// Growth of a flow: its total over days `[day-7, day)` over its total over `[day-14, day-7)`.
    Growth {
        flow: Flow,
        day: usize,
        #[serde(default)]
        run: RunKind,
    },
    /// The total of an impact indicator, optionally divided by a reference.
    Indicator {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        per: Option<Per>,
    },
    /// School days lost per pupil: school years lost x 365 / pupils.
    SchoolDaysPerPupil,
    /// The highest value of a daily impact series.
    DailyPeak { series: Daily },
    /// Mean of a behavioural series over the last `window_days` minus its mean over the first.
    Trend {
        series: Behaviour,
        window_days: usize,
    },
    /// The lowest daily value of a behavioural series.
    Minimum { series: Behaviour },
    /// The group of `grouping` with the highest monetised cost per person; the evidence is its
    /// cost per person over that of the least affected group.
    CostBurden { grouping: String },
}

/// When the evidence makes the answer "yes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Above,
    Below,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub dimension: Dimension,
    pub question: String,
    pub metric: Metric,
    /// Unit of the evidence.
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_when: Option<Comparison>,
    /// Where the threshold comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// The questions of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub questions: Vec<Question>,
}

/// The model's answer to one question for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub id: String,
    /// `"yes"`, `"no"`, a group label, a figure, or `"not available"` with the reason in `detail`.
    pub answer: String,
    /// The figure behind the answer (none when there is none, e.g. capacity never exceeded).
    pub evidence: Option<f64>,
    /// `Some(true)` when the threshold is crossed (the answer is "yes").
    pub flag: Option<bool>,
    pub detail: String,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/checklist.json");

/// Population-weighted mean per day of a days x groups series.
fn weighted(rows: &[Vec<f64>], population: &[f64]) -> Vec<f64> {
    rows.iter()
        .map(|r| crate::measures::behaviour::weighted_mean(r, population))
        .collect()
}

impl Checklist {
    /// The embedded Dutch acute-phase checklist (`data/netherlands/checklist.json`).
    pub fn netherlands() -> Checklist {
        Self::from_json_str(NETHERLANDS).expect("embedded checklist is valid")
    }

    pub fn from_json_str(text: &str) -> Result<Checklist> {
        let c: Checklist = crate::error::from_json("checklist", text)?;
        c.validate()?;
        Ok(c)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("checklist serialises")
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        for (i, q) in self.questions.iter().enumerate() {
            let f = format_args!("checklist.questions[{i}]");
            if q.id.is_empty() {
                c.fail(format_args!("{f}.id"), "must not be empty", "\"\"".into());
            }
            if self.questions[..i].iter().any(|p| p.id == q.id) {
                c.fail(
                    format_args!("{f}.id"),
                    "is used twice",
                    format!("{:?}", q.id),
                );
            }
            if let Some(t) = q.threshold {
                c.finite(format_args!("{f}.threshold"), t);
            }
            if q.threshold.is_some() != q.yes_when.is_some() {
                c.fail(
                    format_args!("{f}.yes_when"),
                    "must be given together with threshold (above or below)",
                    format!("{:?}", q.yes_when),
                );
            }
            match &q.metric {
                Metric::Growth { day, .. } if *day < 14 => {
                    c.fail(
                        format_args!("{f}.metric.day"),
                        "must be >= 14",
                        day.to_string(),
                    );
                }
                Metric::Trend { window_days: 0, .. } => {
                    c.fail(
                        format_args!("{f}.metric.window_days"),
                        "must be >= 1",
                        "0".into(),
                    );
                }
                _ => {}
            }
        }
        c.finish()
    }

    /// The position of a question.
    pub fn index(&self, id: &str) -> Result<usize> {
        self.questions
            .iter()
            .position(|q| q.id == id)
            .ok_or_else(|| Error::UnknownName {
                field: "id".into(),
                kind: "question",
                name: id.into(),
                valid: self.questions.iter().map(|q| q.id.clone()).collect(),
            })
    }

    /// Answers every question for one run. `baseline` is the scenario's run without measures,
    /// `costs` the run's monetisation, `cal` its calibration.
    pub fn evaluate(
        &self,
        run: &Outcome,
        baseline: &Outcome,
        cal: &Calibration,
        costs: &Monetisation,
    ) -> Vec<Answer> {
        self.questions
            .iter()
            .map(|q| answer(q, run, baseline, cal, costs))
            .collect()
    }
}

fn unavailable(q: &Question, why: &str) -> Answer {
    Answer {
        id: q.id.clone(),
        answer: "not available".into(),
        evidence: None,
        flag: None,
        detail: why.into(),
    }
}

/// Formats a figure for an answer text.
fn show(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{:.2} bn", x / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} mln", x / 1e6)
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}

fn answer(
    q: &Question,
    run: &Outcome,
    baseline: &Outcome,
    cal: &Calibration,
    costs: &Monetisation,
) -> Answer {
    let pick = |k: RunKind| match k {
        RunKind::Alternative => run,
        RunKind::Baseline => baseline,
    };
    let mut detail = String::new();
    let evidence: Option<f64> = match &q.metric {
        Metric::FirstDayAbove {
            care,
            capacity,
            run: kind,
        } => {
            let t = pick(*kind);
            let (occupancy, caps) = match care {
                Care::Icu => (t.icu_occupancy(), t.icu_capacity),
                Care::Hospital => (t.hospital_occupancy(), t.hospital_capacity),
            };
            // Capacities are stored as [scaled, normal].
            let cap = match capacity {
                Capacity::Scaled => caps[0],
                Capacity::Normal => caps[1],
            };
            let first = occupancy
                .rows()
                .into_iter()
                .position(|r| r.sum() > cap)
                .map(|d| d as f64);
            detail = match first {
                Some(d) => format!("{} beds exceeded on day {d}", show(cap)),
                None => format!("{} beds never exceeded in {} days", show(cap), t.days()),
            };
            if first.is_none() {
                return Answer {
                    id: q.id.clone(),
                    answer: "no".into(),
                    evidence: None,
                    flag: q.threshold.map(|_| false),
                    detail,
                };
            }
            first
        }
        Metric::Growth {
            flow,
            day,
            run: kind,
        } => {
            let t = pick(*kind);
            if t.days() < *day {
                return unavailable(
                    q,
                    &format!("the run has {} days, fewer than {day}", t.days()),
                );
            }
            let series = match flow {
                Flow::Admissions => t.admissions(),
                Flow::IcuAdmissions => t.icu_admissions(),
            };
            let total =
                |from: usize, to: usize| -> f64 { (from..to).map(|d| series.row(d).sum()).sum() };
            let (before, after) = (total(day - 14, day - 7), total(day - 7, *day));
            detail = format!(
                "{} in days {}-{} against {} in days {}-{}",
                show(after),
                day - 7,
                day - 1,
                show(before),
                day - 14,
                day - 8
            );
            if before > 0.0 {
                Some(after / before)
            } else {
                return unavailable(q, "no admissions in the first week");
            }
        }
        Metric::Indicator { name, per } => {
            let Some(ind) = run.impacts.as_ref().and_then(|i| i.get(name)) else {
                return unavailable(q, &format!("the run has no indicator {name:?}"));
            };
            let divisor = match per {
                None => 1.0,
                Some(Per::IcuNormal) => run.icu_capacity[1],
                Some(Per::IcuScaled) => run.icu_capacity[0],
                Some(Per::AnnualValueAdded) => match &cal.impacts {
                    // Sections hold EUR million per year.
                    Some(d) => {
                        d.economy
                            .sections
                            .iter()
                            .map(|s| s.value_added)
                            .sum::<f64>()
                            * 1e6
                    }
                    None => return unavailable(q, "the calibration has no economy"),
                },
            };
            if per.is_some() {
                detail = format!("{} {} against {}", show(ind.total), ind.unit, show(divisor));
            }
            Some(ind.total / divisor)
        }
        Metric::SchoolDaysPerPupil => {
            let found = run.impacts.as_ref().and_then(|i| i.get("learning_loss"));
            let sd = cal
                .impacts
                .as_ref()
                .map(|d| d.society.learning.sd_per_school_year);
            match (found, sd) {
                // learning_loss = sd x years lost / pupils, so days per pupil = loss / sd x 365.
                (Some(l), Some(sd)) if sd > 0.0 => Some(l.total / sd * 365.0),
                _ => return unavailable(q, "the run has no learning-loss indicator"),
            }
        }
        Metric::DailyPeak { series } => {
            let Some(i) = run.impacts.as_ref() else {
                return unavailable(q, "the run has no impacts");
            };
            let s = match series {
                Daily::MentalHealth => &i.daily.mental_health,
                Daily::Loneliness => &i.daily.loneliness,
            };
            let (day, peak) =
                s.iter().enumerate().fold(
                    (0, 0.0),
                    |best, (d, &v)| if v > best.1 { (d, v) } else { best },
                );
            detail = format!("highest on day {day}");
            Some(peak)
        }
        Metric::Trend {
            series,
            window_days,
        } => {
            let Some(b) = &run.behaviour else {
                return unavailable(q, "no behavioural model in the scenario");
            };
            let population = run.people().row(0).to_vec();
            let s = weighted(behaviour_rows(b, *series), &population);
            let w = (*window_days).min(s.len());
            if w == 0 {
                return unavailable(q, "the run has no days");
            }
            let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
            let (first, last) = (mean(&s[..w]), mean(&s[s.len() - w..]));
            detail = format!("{first:.3} in the first {w} days, {last:.3} in the last {w}");
            Some(last - first)
        }
        Metric::Minimum { series } => {
            let Some(b) = &run.behaviour else {
                return unavailable(q, "no behavioural model in the scenario");
            };
            let population = run.people().row(0).to_vec();
            let s = weighted(behaviour_rows(b, *series), &population);
            let (day, low) = s
                .iter()
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (d, &v)| if v < best.1 { (d, v) } else { best },
                );
            detail = format!("lowest on day {day}");
            Some(low)
        }
        Metric::CostBurden { grouping } => {
            let Some(g) = costs.by_group.get(grouping) else {
                return unavailable(q, &format!("no monetised cost by {grouping}"));
            };
            let labels = run
                .impacts
                .as_ref()
                .and_then(|i| i.groupings.iter().find(|x| &x.name == grouping))
                .map(|x| x.labels.clone())
                .unwrap_or_default();
            let per_person: Vec<f64> = g
                .eur
                .iter()
                .zip(&g.population)
                .map(|(e, p)| if *p > 0.0 { e / p } else { 0.0 })
                .collect();
            let Some((hi, &max)) = per_person
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
            else {
                return unavailable(q, "the grouping has no groups");
            };
            let min = per_person.iter().copied().fold(f64::INFINITY, f64::min);
            let label = labels.get(hi).cloned().unwrap_or_else(|| hi.to_string());
            let ratio = if min > 0.0 { max / min } else { f64::INFINITY };
            let text = format!(
                "{label}: EUR {} per person ({:.0}% of the monetised cost split by {grouping})",
                show(max),
                g.covered * 100.0
            );
            let flag = q
                .yes_when
                .zip(q.threshold)
                .map(|(w, t)| crosses(w, ratio, t));
            return Answer {
                id: q.id.clone(),
                answer: label,
                evidence: ratio.is_finite().then_some(ratio),
                flag,
                detail: text,
            };
        }
    };
    let Some(evidence) = evidence.filter(|x| x.is_finite()) else {
        return unavailable(q, "the figure is not finite (a zero reference)");
    };
    let (answer, flag) = match q.yes_when.zip(q.threshold) {
        Some((w, t)) => {
            let yes = crosses(w, evidence, t);
            (if yes { "yes" } else { "no" }.to_string(), Some(yes))
        }
        None => (show(evidence), None),
    };
    Answer {
        id: q.id.clone(),
        answer,
        evidence: Some(evidence),
        flag,
        detail,
    }
}

fn crosses(w: Comparison, x: f64, t: f64) -> bool {
    match w {
        Comparison::Above => x > t,
        Comparison::Below => x < t,
    }
}

fn behaviour_rows(b: &crate::measures::behaviour::BehaviourRecord, s: Behaviour) -> &[Vec<f64>] {
    match s {
        Behaviour::Compliance => &b.compliance,
        Behaviour::Support => &b.support,
        Behaviour::Fatigue => &b.fatigue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_checklist_covers_the_four_dimensions() {
        let c = Checklist::netherlands();
        for d in crate::decision::valuation::DIMENSIONS {
            assert!(c.questions.iter().any(|q| q.dimension == d), "{d:?}");
        }
        for q in &c.questions {
            if q.threshold.is_some() {
                assert!(q.source.is_some(), "{}: threshold without source", q.id);
            }
        }
    }

    #[test]
    fn duplicate_ids_and_unpaired_thresholds_are_named() {
        let mut c = Checklist::netherlands();
        c.questions[1].id = c.questions[0].id.clone();
        c.questions[2].yes_when = None;
        c.questions[2].threshold = Some(1.0);
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("checklist.questions[1].id: is used twice"),
            "{e}"
        );
        assert!(e.contains("checklist.questions[2].yes_when"), "{e}");
    }
}
