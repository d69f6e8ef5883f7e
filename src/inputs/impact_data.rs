//! The country data behind the socio-economic and societal dimensions and the split over groups.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::inputs::distribution::Groups;
use crate::inputs::economy::Economy;
use crate::inputs::society::Society;
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

/// The country data behind the socio-economic and societal dimensions and the group breakdown.
/// The Dutch defaults are in `data/netherlands/impacts.json`, every figure with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactData {
    pub economy: Economy,
    pub society: Society,
    pub groups: Groups,
    /// Provenance of every figure, keyed by field path below `impacts`.
    #[serde(default)]
    pub sources: Sources,
}

impl ImpactData {
    pub fn check(&self, field: impl Display + Copy, n_ages: usize, c: &mut Checker) {
        self.economy.check(format_args!("{field}.economy"), c);
        self.society
            .check(format_args!("{field}.society"), n_ages, c);
        self.groups.check(format_args!("{field}.groups"), n_ages, c);
        for (i, s) in self.economy.sections.iter().enumerate() {
            for (grouping, shares) in &s.workers {
                let f = format_args!("{field}.economy.sections[{i}].workers.{grouping}");
                if let Some(n) = self.groups.per_group(c, f, grouping, n_ages) {
                    if c.length(f, shares.len(), n, "group") {
                        crate::inputs::distribution::check_shares(c, f, shares);
                    }
                }
            }
        }
    }
}
