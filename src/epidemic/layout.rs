//! The solver's layout of a state, and the conversion from and to the layout of
//! [`crate::epidemic::compartments`].
//!
//! A state is handed around group-major (`[group * SLOTS + slot]`, groups region-major), one
//! group's compartments together. The solver instead holds the groups **age-major** (`position =
//! age * regions + region`, so that the regional force of infection, which works on one age band
//! of all regions at a time, reads and writes its vectors in place) and **in blocks of [`LANES`]
//! groups**: a block holds each compartment of its groups side by side (`[slot * LANES + lane]`),
//! so the flows within groups run on [`LANES`] groups at a time ([`crate::epidemic::flows`]) reading one
//! contiguous block. The last block is padded with empty groups. Converting is a permutation: no
//! number changes.

use crate::epidemic::compartments::SLOTS;

/// Groups computed at a time by the flows (four doubles: one AVX2 register).
pub(crate) const LANES: usize = 4;

/// Numbers in a block of [`LANES`] groups.
pub(crate) const BLOCK: usize = SLOTS * LANES;

/// Where every group of a model lies in the solver's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub ages: usize,
    pub regions: usize,
    /// The groups, padded to whole blocks (the length of a vector with one entry per position).
    pub padded: usize,
}

impl Layout {
    pub fn new(ages: usize, regions: usize) -> Self {
        Layout {
            ages,
            regions,
            padded: (ages * regions).div_ceil(LANES) * LANES,
        }
    }

    /// Length of a state in this layout.
    pub fn len(&self) -> usize {
        SLOTS * self.padded
    }

    /// Position of group `g = region * ages + age` among the groups (age-major).
    #[inline]
    pub fn position(&self, group: usize) -> usize {
        (group % self.ages) * self.regions + group / self.ages
    }

    /// Where compartment `slot` of the group at `position` lies in a state.
    #[inline]
    pub fn index(slot: usize, position: usize) -> usize {
        position / LANES * BLOCK + slot * LANES + position % LANES
    }

    /// The positions of the groups in group order (`g = region * ages + age`).
    fn positions(&self) -> impl Iterator<Item = usize> {
        let (ages, regions) = (self.ages, self.regions);
        (0..regions).flat_map(move |r| (0..ages).map(move |a| a * regions + r))
    }

    /// A group-major state `y` in this layout (`z`'s padding stays as it is: zero).
    pub fn load(&self, y: &[f64], z: &mut [f64]) {
        let blocks = z.as_chunks_mut::<BLOCK>().0;
        for (state, p) in y.chunks_exact(SLOTS).zip(self.positions()) {
            let (block, lane) = (&mut blocks[p / LANES], p % LANES);
            for (slot, &v) in state.iter().enumerate() {
                block[slot * LANES + lane] = v;
            }
        }
    }

    /// A state in this layout back in group-major order.
    pub fn store(&self, z: &[f64], y: &mut [f64]) {
        let blocks = z.as_chunks::<BLOCK>().0;
        for (state, p) in y.chunks_exact_mut(SLOTS).zip(self.positions()) {
            let (block, lane) = (&blocks[p / LANES], p % LANES);
            for (slot, v) in state.iter_mut().enumerate() {
                *v = block[slot * LANES + lane];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loading_and_storing_is_a_permutation_that_pads_with_zeros() {
        let layout = Layout::new(9, 25);
        assert_eq!(layout.padded, 228);
        let y: Vec<f64> = (0..225 * SLOTS).map(|i| i as f64 + 1.0).collect();
        let mut z = vec![0.0; layout.len()];
        layout.load(&y, &mut z);
        // Every number once, and the padding (the last block's last three groups) empty.
        let mut sorted: Vec<f64> = z.iter().copied().filter(|&v| v != 0.0).collect();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(sorted, y);
        for p in 225..228 {
            assert!((0..SLOTS).all(|k| z[Layout::index(k, p)] == 0.0));
        }
        // Group 19 is region 2, age band 1: position 1 * 25 + 2 = 27, the fourth lane of block 6.
        assert_eq!(layout.position(19), 27);
        assert_eq!(Layout::index(3, 27), 6 * BLOCK + 3 * LANES + 3);
        assert_eq!(z[Layout::index(3, 27)], y[19 * SLOTS + 3]);
        let mut back = vec![0.0; y.len()];
        layout.store(&z, &mut back);
        assert_eq!(back, y);
    }
}
