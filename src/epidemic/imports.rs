//! Infections imported from abroad: residents infected while travelling, entering the latent
//! stage at the start of a day ([`crate::inputs::scenario::Scenario::imports`]).

use crate::epidemic::compartments::{self as c, SLOTS};
use crate::epidemic::layout::Layout;
use crate::epidemic::model::Model;

impl Model {
    /// Moves the day's imported infections from the susceptible to the latent stages: to the age
    /// bands by the entry's shares (or the bands' people), within a band to the regions by their
    /// people, and at most the susceptible there are. They count as infections.
    pub(super) fn import(&self, day: usize, layout: &Layout, z: &mut [f64]) {
        let Some(entry) = self.scenario.imports_on(day) else {
            return;
        };
        let national: f64 = self.population.iter().sum();
        let people = self.group_population();
        for (g, &n) in people.iter().enumerate() {
            let band = g % self.ages;
            // The group's share of its band's imports, times the band's share of all imports.
            let share = match &entry.by_age {
                Some(by_age) => by_age[band] * n / self.population[band],
                None => n / national,
            };
            let at = |slot: usize| Layout::index(slot, layout.position(g));
            let imported = (entry.per_day * share).min(z[at(c::S)]);
            if imported <= 0.0 {
                continue;
            }
            let mut latent = [0.0; SLOTS];
            self.infect(band, imported, &mut latent, true);
            z[at(c::S)] -= imported;
            for (slot, v) in latent.iter().enumerate().filter(|(_, v)| **v != 0.0) {
                z[at(slot)] += v;
            }
            z[at(c::CUM_INFECTIONS)] += imported;
        }
    }
}
