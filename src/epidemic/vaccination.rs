//! Vaccination campaigns: each day's doses by priority, band and region.

use crate::epidemic::compartments as c;
use crate::epidemic::layout::{Layout, LANES};
use crate::epidemic::model::{DayEffects, Model};
use crate::inputs::scenario::Priority;

impl Model {
    /// Gives the day's doses of every active campaign, moving the vaccinated from S and W to V.
    /// Doses go to age bands by the campaign's priority and, within a band, to the regions in
    /// proportion to the people still to vaccinate there (each region's uptake raised by the
    /// levers in force there; faster vaccination acts nationally, from the first region's care).
    pub(super) fn vaccinate(
        &self,
        day: usize,
        m: &[DayEffects],
        layout: &Layout,
        z: &mut [f64],
        given: &mut [Vec<f64>],
        doses: &mut [f64],
    ) {
        // Compartment `k` of group `g` is at `at(g) + k * LANES` of the solver's state.
        let at = |g: usize| Layout::index(0, layout.position(g));
        doses.iter_mut().for_each(|d| *d = 0.0);
        // Faster vaccination (a preparedness lever): earlier starts and extra doses per day.
        let (earlier, extra) = (
            m[0].care.vaccination_days_earlier,
            m[0].care.extra_doses_per_day,
        );
        let n = self.ages;
        let regions = self.regions();
        let population = self.group_population();
        for (k, (campaign, given)) in self
            .scenario
            .campaigns
            .iter()
            .zip(given.iter_mut())
            .enumerate()
        {
            let active = ((day + 1) as f64 - (campaign.start_day - earlier)).clamp(0.0, 1.0);
            let per_day = self.scenario.doses_on(k, day) + extra;
            let mut left = per_day * active;
            if left <= 0.0 {
                continue;
            }
            let wanted: Vec<f64> = (0..self.groups)
                .map(|g| {
                    let base = at(g);
                    let s = |k: usize| z[base + k * LANES];
                    let eligible = s(c::S) + s(c::W) + s(c::R);
                    let boost = m[if regions == 1 { 0 } else { g / n }].uptake_boost;
                    let uptake = 1.0 - (1.0 - campaign.uptake[g % n]) * (1.0 - boost);
                    (uptake * population[g] - given[g]).max(0.0).min(eligible)
                })
                .collect();
            let total_wanted: f64 = wanted.iter().sum();
            if total_wanted <= 0.0 {
                continue;
            }
            for step in 0..n {
                let band = match campaign.priority {
                    Priority::OldestFirst => n - 1 - step,
                    Priority::Proportional => step,
                };
                // The band's groups, one per region (`g = r * ages + band`).
                let in_band = || (band..self.groups).step_by(n);
                let band_wanted: f64 = in_band().map(|g| wanted[g]).sum();
                let band_dose = match campaign.priority {
                    Priority::OldestFirst => band_wanted.min(left),
                    Priority::Proportional => {
                        band_wanted * (per_day * active / total_wanted).min(1.0)
                    }
                };
                for g in in_band() {
                    let dose = if regions == 1 {
                        band_dose
                    } else if band_wanted > 0.0 {
                        // At most what the group wants: the share can round a whole band's
                        // doses to a hair more than a group's eligible people.
                        (band_dose * wanted[g] / band_wanted).min(wanted[g])
                    } else {
                        0.0
                    };
                    if dose <= 0.0 {
                        continue;
                    }
                    let base = at(g);
                    let s = |k: usize| base + k * LANES;
                    let eligible = z[s(c::S)] + z[s(c::W)] + z[s(c::R)];
                    // Doses reach S, W and R alike (nobody knows who was infected); the recently
                    // recovered keep their (stronger, all-or-nothing) protection in R.
                    let fraction = dose / eligible;
                    for class in [c::S, c::W] {
                        let moved = z[s(class)] * fraction;
                        z[s(class)] -= moved;
                        z[s(c::V)] += moved;
                    }
                    given[g] += dose;
                    doses[g] += dose;
                    left -= dose;
                }
            }
        }
    }
}
