//! Monetisation of the impacts: named, sourced values (EUR per QALY by severity tier, per life
//! year, per bed-day; weights for euros that count; the discount rate) and rules that map an impact
//! indicator to the values that price it. Every monetised figure is a [`Line`]: indicator,
//! quantity, unit, the value names, the price per unit and the euros, so each euro is traceable.
//!
//! ```text
//! EUR(indicator) = quantity x prod_k values[k] x rediscount
//! rediscount     = PV(discount_rate) / PV(r_data)   (present values already in the impacts)
//! PV(r)          = sum_{t=0}^{W-1} (1 + r)^-(Y + t)   (Y years until work, W working years)
//! ```
//!
//! The Dutch defaults are in `data/netherlands/valuation.json`, each value with its source and
//! year or marked as an assumption. Choices that avoid double counting (deaths through life years
//! only; unemployment inside value added; subsidies as transfers with weight 0) are data too: the
//! rules and the `not_monetised` list with the reason for each indicator left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::impacts::{Aggregate, Dimension, Impacts};
use crate::inputs::calibration::Calibration;
use crate::inputs::source::Source;
use crate::inputs::validate::Checker;

/// The four dimensions in the order of the reference framework (the order of cost tables).
pub const DIMENSIONS: [Dimension; 4] = [
    Dimension::VirusSpread,
    Dimension::Societal,
    Dimension::SocioEconomic,
    Dimension::Behavioural,
];

/// Index of a dimension in [`DIMENSIONS`].
pub fn dimension_index(d: Dimension) -> usize {
    DIMENSIONS.iter().position(|x| *x == d).expect("all four")
}

/// The value every re-discounted rule uses.
pub const DISCOUNT_RATE: &str = "discount_rate";

/// One named value with its unit and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    pub value: f64,
    /// E.g. `EUR/QALY`, `EUR/patient-day`, `EUR/EUR` for weights on euros, `1/year`.
    pub unit: String,
    pub description: String,
    pub source: Source,
}

/// How one indicator becomes euros.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub indicator: String,
    /// Names of the values whose product is the price per unit of the indicator.
    pub values: Vec<String>,
    /// The indicator is a present value at the calibration's learning discount rate; it is
    /// re-discounted to the valuation's `discount_rate`.
    #[serde(default)]
    pub rediscount: bool,
    /// The indicator may be absent from a run (lever cost without a behavioural model).
    #[serde(default)]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The valuation: named values, the rules that use them, and why other indicators stay in
/// natural units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Valuation {
    pub currency: String,
    pub values: BTreeMap<String, Value>,
    pub rules: Vec<Rule>,
    /// Indicator -> why it is not monetised.
    #[serde(default)]
    pub not_monetised: BTreeMap<String, String>,
}

/// One monetised figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub dimension: Dimension,
    pub indicator: String,
    pub quantity: f64,
    pub unit: String,
    /// The value names multiplied into the price.
    pub values: Vec<String>,
    /// EUR per unit of the indicator (the product of the values, times `rediscount`).
    pub price: f64,
    /// Re-discounting factor applied (1 when the rule does not re-discount).
    pub rediscount: f64,
    pub eur: f64,
    /// Per grouping, the euros borne by each group (summed indicators only).
    pub by_group: BTreeMap<String, Vec<f64>>,
}

/// Euros per group of one grouping, and how much of the total they cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCost {
    pub labels: Vec<String>,
    pub eur: Vec<f64>,
    /// Persons per group.
    pub population: Vec<f64>,
    /// Share of the monetised total that is split over this grouping (indicators without the
    /// grouping, or without any split, are missing from `eur`).
    pub covered: f64,
}

/// The monetised impacts of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monetisation {
    pub lines: Vec<Line>,
    /// EUR per dimension in the order of [`DIMENSIONS`] (behavioural: only what rules price).
    pub by_dimension: [f64; 4],
    pub total: f64,
    pub by_group: BTreeMap<String, GroupCost>,
    /// Indicators of the run left in natural units, with the reason.
    pub not_monetised: Vec<(String, String)>,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/valuation.json");

impl Valuation {
    /// The embedded Dutch valuation (`data/netherlands/valuation.json`).
    pub fn netherlands() -> Valuation {
        Self::from_json_str(NETHERLANDS).expect("embedded valuation is valid")
    }

    pub fn from_json_str(text: &str) -> Result<Valuation> {
        let v: Valuation = crate::error::from_json("valuation", text)?;
        v.validate()?;
        Ok(v)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("valuation serialises")
    }

    /// The number behind a value name.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.values.get(name).map(|v| v.value)
    }

    /// Checks every value and rule; all problems at once, each naming its field.
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        for (name, v) in &self.values {
            let f = format_args!("valuation.values.{name}.value");
            if name == DISCOUNT_RATE {
                c.within(f, v.value, 0.0, 0.2);
            } else {
                c.non_negative(f, v.value);
            }
        }
        if !self.values.contains_key(DISCOUNT_RATE) && self.rules.iter().any(|r| r.rediscount) {
            c.fail(
                format_args!("valuation.values.{DISCOUNT_RATE}"),
                "is missing: a rule re-discounts, so the valuation needs a discount rate",
                String::new(),
            );
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            let f = format_args!("valuation.rules[{i}]");
            if let Some(j) = seen.insert(&r.indicator, i) {
                c.fail(
                    format_args!("{f}.indicator"),
                    format!("is priced twice (also rules[{j}]), which would count it twice"),
                    format!("{:?}", r.indicator),
                );
            }
            if self.not_monetised.contains_key(&r.indicator) {
                c.fail(
                    format_args!("{f}.indicator"),
                    "is also listed in not_monetised",
                    format!("{:?}", r.indicator),
                );
            }
            if r.values.is_empty() {
                c.fail(
                    format_args!("{f}.values"),
                    "must name at least one value",
                    "[]".into(),
                );
            }
            for (k, name) in r.values.iter().enumerate() {
                if !self.values.contains_key(name) {
                    let valid = self.values.keys().cloned().collect::<Vec<_>>().join(", ");
                    c.fail(
                        format_args!("{f}.values[{k}]"),
                        format!("unknown value; valid: {valid}"),
                        format!("{name:?}"),
                    );
                }
            }
        }
        c.finish()
    }

    /// A copy with the given values replaced, validated (`valuation.values.x.value: must be >= 0`).
    pub fn with_values(&self, changes: &BTreeMap<String, f64>) -> Result<Valuation> {
        let mut out = self.clone();
        for (name, &value) in changes {
            match out.values.get_mut(name) {
                Some(v) => v.value = value,
                None => {
                    return Err(Error::UnknownName {
                        field: "valuation.values".into(),
                        kind: "value",
                        name: name.clone(),
                        valid: self.values.keys().cloned().collect(),
                    })
                }
            }
        }
        out.validate()?;
        Ok(out)
    }

    /// Factor that moves a present value of lifetime earnings from the calibration's learning
    /// discount rate to this valuation's `discount_rate` (1 when they agree).
    pub fn rediscount_factor(&self, cal: &Calibration) -> f64 {
        let Some(rate) = self.value(DISCOUNT_RATE) else {
            return 1.0;
        };
        let Some(data) = cal.impacts.as_ref() else {
            return 1.0;
        };
        let mut learning = data.society.learning.clone();
        if learning.discount_rate == rate {
            return 1.0;
        }
        // PV is proportional to annual earnings, so the ratio does not depend on them.
        learning.annual_earnings = 1.0;
        let from = learning.present_value_of_earnings();
        learning.discount_rate = rate;
        let to = learning.present_value_of_earnings();
        if from > 0.0 {
            to / from
        } else {
            1.0
        }
    }

    /// Monetises the impacts of one run. `cal` is the run's calibration (for re-discounting).
    pub fn monetise(&self, impacts: &Impacts, cal: &Calibration) -> Result<Monetisation> {
        let rediscount = self.rediscount_factor(cal);
        let mut lines = Vec::with_capacity(self.rules.len());
        let mut c = Checker::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let Some(ind) = impacts.get(&rule.indicator) else {
                if !rule.optional {
                    let valid: Vec<&str> =
                        impacts.indicators.iter().map(|i| i.name.as_str()).collect();
                    c.fail(
                        format_args!("valuation.rules[{i}].indicator"),
                        format!(
                            "is not an indicator of the run; valid: {}",
                            valid.join(", ")
                        ),
                        format!("{:?}", rule.indicator),
                    );
                }
                continue;
            };
            let factor = if rule.rediscount { rediscount } else { 1.0 };
            let price = rule
                .values
                .iter()
                .map(|n| self.value(n).expect("validated"))
                .product::<f64>()
                * factor;
            let by_group = match ind.aggregate {
                Aggregate::Sum => ind
                    .by_group
                    .iter()
                    .map(|(g, v)| (g.clone(), v.iter().map(|x| x * price).collect()))
                    .collect(),
                _ => BTreeMap::new(),
            };
            lines.push(Line {
                dimension: ind.dimension,
                indicator: ind.name.clone(),
                quantity: ind.total,
                unit: ind.unit.clone(),
                values: rule.values.clone(),
                price,
                rediscount: factor,
                eur: ind.total * price,
                by_group,
            });
        }
        c.finish()?;
        let mut by_dimension = [0.0; 4];
        for l in &lines {
            by_dimension[dimension_index(l.dimension)] += l.eur;
        }
        // The sum of the dimensions (not of the lines), so that the total is bit-equal to the
        // sum the opportunity cost takes over the dimensions.
        let total: f64 = by_dimension.iter().sum();
        let mut by_group: BTreeMap<String, GroupCost> = BTreeMap::new();
        for g in &impacts.groupings {
            let mut eur = vec![0.0; g.labels.len()];
            let mut covered = 0.0;
            for l in &lines {
                if let Some(v) = l.by_group.get(&g.name) {
                    eur.iter_mut().zip(v).for_each(|(a, x)| *a += x);
                    covered += l.eur;
                }
            }
            by_group.insert(
                g.name.clone(),
                GroupCost {
                    labels: g.labels.clone(),
                    eur,
                    population: g.population.clone(),
                    covered: if total != 0.0 { covered / total } else { 1.0 },
                },
            );
        }
        let priced: Vec<&str> = lines.iter().map(|l| l.indicator.as_str()).collect();
        let not_monetised = impacts
            .indicators
            .iter()
            .filter(|i| !priced.contains(&i.name.as_str()))
            .map(|i| {
                let reason = self
                    .not_monetised
                    .get(&i.name)
                    .cloned()
                    .unwrap_or_else(|| "no rule in the valuation".into());
                (i.name.clone(), reason)
            })
            .collect();
        Ok(Monetisation {
            lines,
            by_dimension,
            total,
            by_group,
            not_monetised,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_valuation_is_valid_and_sourced() {
        let v = Valuation::netherlands();
        for (name, value) in &v.values {
            assert!(!value.source.source.is_empty(), "{name} has no source");
            assert!(
                value.source.year.is_some() || value.source.assumption,
                "{name}: a year or the assumption flag"
            );
        }
        assert_eq!(v.value(DISCOUNT_RATE), Some(0.0225));
    }

    #[test]
    fn unknown_and_negative_values_name_the_field() {
        let v = Valuation::netherlands();
        let err = v
            .with_values(&BTreeMap::from([("qaly_value_high".into(), -1.0)]))
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("valuation.values.qaly_value_high.value: must be >= 0, got -1"));
        let err = v
            .with_values(&BTreeMap::from([("qaly".into(), 1.0)]))
            .unwrap_err();
        assert!(err
            .to_string()
            .starts_with("valuation.values: unknown value"));
    }
}
