//! The force of infection: the day's contact operator of the national model, and the regional
//! metapopulation's force (see [`crate::inputs::regions`]), with the scratch buffers of a run.

use crate::epidemic::flows;
use crate::epidemic::geography::Geography;
use crate::epidemic::layout::Layout;
use crate::epidemic::model::{DayEffects, Model};

/// Runs `$body` for consecutive blocks of `0..$n` (regions), widest first (8, 4, 2, 1), with `$a0`
/// the block's first index and `$w` its width as a constant, so that a `[f64; $w]` of sums can live
/// in registers.
macro_rules! by_blocks {
    ($n:expr, $a0:ident, $w:ident, $body:block) => {{
        let n: usize = $n;
        let mut $a0 = 0;
        while $a0 + 8 <= n {
            const $w: usize = 8;
            $body
            $a0 += $w;
        }
        if $a0 + 4 <= n {
            const $w: usize = 4;
            $body
            $a0 += $w;
        }
        if $a0 + 2 <= n {
            const $w: usize = 2;
            $body
            $a0 += $w;
        }
        if $a0 < n {
            const $w: usize = 1;
            $body
        }
    }};
}

/// Runs `$body` for consecutive pairs of `0..$n` (age bands) and a last single one, with `$a` the
/// first of them and `$k` their number as a constant.
macro_rules! by_pairs {
    ($n:expr, $a:ident, $k:ident, $body:block) => {{
        let n: usize = $n;
        let mut $a = 0;
        while $a + 2 <= n {
            const $k: usize = 2;
            $body
            $a += $k;
        }
        if $a < n {
            const $k: usize = 1;
            $body
        }
    }};
}

impl Model {
    /// Sets the day's operator (national), or per region the day's factors and local operator
    /// (regional, see [`Model::regional_force`]).
    pub(super) fn prepare_day(&self, m: &[DayEffects], sc: &mut Scratch) {
        let Some(geo) = &self.geography else {
            self.contact_operator(&m[0], &mut sc.op);
            return;
        };
        let (n, regions) = (self.ages, geo.len());
        // Age-major (`[a * regions + r]`, see `Scratch`): the force is computed for many regions
        // at once.
        for (s, factor) in sc.factor.iter_mut().enumerate() {
            for (r, effects) in m.iter().enumerate() {
                let root = effects.setting[s].sqrt();
                for (a, age) in effects.age[s].iter().enumerate() {
                    factor[a * regions + r] = root * age;
                }
            }
        }
        sc.uniform = m.iter().all(|e| e == &m[0]);
        let Scratch {
            factor,
            local,
            full,
            cross,
            uniform,
            ..
        } = sc;
        if *uniform {
            // Every region has region 0's operators F and C but for the connectivity in
            // L_r = F - rho_r C.
            full.fill(0.0);
            cross.fill(0.0);
            for (s, rates) in self.rates_per_contact.iter().enumerate() {
                let f = |a: usize| factor[s][a * regions];
                let o = geo.outside[s];
                for (h, column) in rates.chunks_exact(n).enumerate() {
                    for (a, &b) in column.iter().enumerate() {
                        let v = f(a) * f(h) * b;
                        full[h * n + a] += v;
                        cross[h * n + a] += o * v;
                    }
                }
            }
            for ((l, &op), &c) in local.chunks_exact_mut(regions).zip(&*full).zip(&*cross) {
                for (l, &rho) in l.iter_mut().zip(&geo.connectivity) {
                    *l = op - rho * c;
                }
            }
            return;
        }
        // Regional factors: the cross terms are applied setting by setting (no `C`).
        local.fill(0.0);
        for r in 0..regions {
            for (s, rates) in self.rates_per_contact.iter().enumerate() {
                let f = |a: usize| factor[s][a * regions + r];
                let keep = 1.0 - geo.outside[s] * geo.connectivity[r];
                for (h, column) in rates.chunks_exact(n).enumerate() {
                    for (a, &b) in column.iter().enumerate() {
                        local[(h * n + a) * regions + r] += f(a) * f(h) * b * keep;
                    }
                }
            }
        }
    }

    /// `op_gh = sum_s m_s f_s,g f_s,h T^s_gh`, the operator from infectious counts in group h to
    /// the force of infection on group g, transposed like `transmission`.
    pub(super) fn contact_operator(&self, m: &DayEffects, op: &mut [f64]) {
        let n = self.ages;
        op.fill(0.0);
        for ((setting, &scale), f) in self.transmission.iter().zip(&m.setting).zip(&m.age) {
            for (h, column) in setting.chunks_exact(n).enumerate() {
                let weight = scale * f[h];
                for ((o, t), f_g) in op[h * n..(h + 1) * n].iter_mut().zip(column).zip(f) {
                    *o += weight * f_g * t;
                }
            }
        }
    }

    /// The force of infection of a regional model (see [`crate::inputs::regions`]) into `sc.lambda`.
    /// With `x_qb = P_qb / N_qb`, `F^s = a^s a^s B^s` and `W^s = I - o_s diag(rho) + o_s K`:
    ///
    /// ```text
    /// lambda_r = L_r x_r + sum_s o_s a^s_r . B^s (K (a^s . x))_r,   L_r = sum_s (1 - o_s rho_r) F^s_r
    /// ```
    ///
    /// and, on days when every region has the same factors, the second term is `C (K x)_r` with
    /// `C = sum_s o_s F^s`: one kernel product for all settings.
    ///
    /// The vectors are held age-major (`[a * regions + r]`), so that every step is a product over
    /// many regions at once (the kernel `K v` as a `regions x regions` matrix applied to one age
    /// band after another, `L_r x_r` and `C m_r` region by region in parallel), done in blocks of up
    /// to eight regions whose sums stay in registers ([`kernel_block`], [`Force::block`]). Every sum
    /// is taken in the same order as the plain loops over regions and ages would (the kernel is
    /// dense, but its zeros add exact zeros), so the blocking does not change the result.
    #[inline(always)]
    pub(super) fn regional_force(&self, geo: &Geography, season: f64, sc: &mut Scratch) {
        let (n, regions) = (self.ages, geo.len());
        let Scratch {
            factor,
            pressure,
            lambda,
            x,
            y,
            mixed,
            inv_population,
            local,
            cross,
            kernel,
            uniform,
            ..
        } = sc;
        let uniform = *uniform;
        for ((x, p), inv) in x.iter_mut().zip(&*pressure).zip(&*inv_population) {
            *x = p * inv;
        }
        // (K v)_r for every age band: mixed[a * regions + r] = sum_q K_rq v[a * regions + q].
        if uniform {
            apply_kernel(kernel, x, &mut mixed[0], n, regions);
        } else {
            for (((y, f), &o), m) in y
                .iter_mut()
                .zip(&*factor)
                .zip(&geo.outside)
                .zip(&mut *mixed)
            {
                if o != 0.0 {
                    for ((y, x), f) in y.iter_mut().zip(&*x).zip(f) {
                        *y = f * x;
                    }
                    apply_kernel(kernel, y, m, n, regions);
                }
            }
        }
        let force = Force {
            ages: n,
            regions,
            local,
            x,
            cross,
            mixed,
            rates: &self.rates_per_contact,
            outside: geo.outside,
            factor,
            uniform,
        };
        for a in 0..n {
            const A: usize = 1;
            by_blocks!(regions, r0, W, {
                let acc = force.block::<A, W>(a, r0);
                for (i, acc) in acc.iter().enumerate() {
                    for (l, acc) in lambda[(a + i) * regions + r0..][..W].iter_mut().zip(acc) {
                        *l = acc * season;
                    }
                }
            });
        }
    }
}

/// Scratch buffers of a run, allocated once. Vectors with one entry per group are by position in
/// the solver's layout ([`crate::epidemic::layout`]: age-major, padded for `pressure`, `lambda` and
/// `overflow`).
pub(super) struct Scratch {
    pub(super) layout: Layout,
    /// The probabilities of every group, for the flows.
    pub(super) groups: flows::Groups,
    /// National: the day's operator (`ages x ages`, transposed).
    pub(super) op: Vec<f64>,
    /// Regional vectors and operators are age-major, `[a * regions + r]`, so the force of
    /// infection is computed for many regions at once ([`Model::regional_force`]).
    /// Regional: per setting the day's factor `a^s_ra` of every group.
    pub(super) factor: [Vec<f64>; 4],
    /// Regional: the day's local operators `L_r` (`[(b * ages + a) * regions + r]`, that is, per
    /// entry of the transposed `ages x ages` operator one value per region), and on uniform days
    /// `F = sum_s F^s` and the cross operator `C` (`ages x ages`, transposed); whether every region
    /// has the same factors.
    pub(super) local: Vec<f64>,
    pub(super) full: Vec<f64>,
    pub(super) cross: Vec<f64>,
    pub(super) uniform: bool,
    /// Regional: the kernel `K` transposed and dense (`[q * regions + r] = K_rq`).
    pub(super) kernel: Vec<f64>,
    /// Regional: kernel products `K v`, per setting (on uniform days only the first).
    pub(super) mixed: [Vec<f64>; 4],
    pub(super) pressure: Vec<f64>,
    pub(super) lambda: Vec<f64>,
    /// Regional: infectious shares `x`, and per setting `a^s . x` (days with regional factors).
    pub(super) x: Vec<f64>,
    pub(super) y: [Vec<f64>; 4],
    pub(super) inv_population: Vec<f64>,
    /// Whether to run the derivative compiled for AVX2 (on processors with it).
    pub(super) avx2: bool,
    /// Per region: ICU patients and where they lie after spreading; per group: the ICU overflow
    /// share of its region.
    pub(super) icu: Vec<f64>,
    pub(super) located: Vec<f64>,
    pub(super) overflow: Vec<f64>,
    /// The day's ICU beds (national and per region), as the calibration gives them or as
    /// preparedness levers change them.
    pub(super) icu_capacity: f64,
    pub(super) region_icu_capacity: Vec<f64>,
    /// The rates of the flows within groups, with the day's ward discharge rate (preparedness
    /// levers change it).
    pub(super) rates: flows::Rates,
    /// The seasonal factor at time `season_at`: RK4 asks for each time twice (the two midpoint
    /// stages, and a step's end that is the next step's start).
    pub(super) season: f64,
    pub(super) season_at: f64,
    /// The scenario's transmission factor of the day ([`crate::inputs::scenario::Scenario::transmission`]),
    /// folded into `season`.
    pub(super) transmission: f64,
}

impl Scratch {
    pub(super) fn new(model: &Model) -> Self {
        let (g, n, r) = (model.groups, model.ages, model.regions());
        let layout = Layout::new(n, r);
        let regional = model.geography.is_some();
        let group_buffer = || if regional { vec![0.0; g] } else { Vec::new() };
        let mut inv_population = group_buffer();
        if regional {
            for (group, p) in model.group_population().iter().enumerate() {
                inv_population[layout.position(group)] = 1.0 / p;
            }
        }
        Scratch {
            layout,
            groups: flows::Groups::new(&model.per_group, &layout),
            op: vec![0.0; n * n],
            factor: std::array::from_fn(|_| group_buffer()),
            local: if regional {
                vec![0.0; r * n * n]
            } else {
                Vec::new()
            },
            full: if regional {
                vec![0.0; n * n]
            } else {
                Vec::new()
            },
            cross: if regional {
                vec![0.0; n * n]
            } else {
                Vec::new()
            },
            uniform: true,
            kernel: model.geography.as_ref().map_or_else(Vec::new, |geo| {
                let mut k = vec![0.0; r * r];
                for (row, kernel) in geo.kernel.iter().enumerate() {
                    for &(q, w) in kernel {
                        k[q * r + row] = w;
                    }
                }
                k
            }),
            mixed: std::array::from_fn(|_| group_buffer()),
            pressure: vec![0.0; layout.padded],
            lambda: vec![0.0; layout.padded],
            x: group_buffer(),
            y: std::array::from_fn(|_| group_buffer()),
            inv_population,
            avx2: avx2(),
            icu: vec![0.0; r],
            located: vec![0.0; r],
            overflow: vec![0.0; layout.padded],
            icu_capacity: model.icu_capacity,
            region_icu_capacity: model.region_icu_capacity.clone(),
            rates: model.flows,
            season: f64::NAN,
            season_at: f64::NAN,
            transmission: 1.0,
        }
    }
}

/// `sum_q kernel[q * regions + r0 + j] * v[i * regions + q]` for `A` vectors `v_i` (consecutive
/// in `v`) and `W` regions from `r0`, summed over `q` in order with the sums in registers.
#[inline(always)]
fn kernel_block<const A: usize, const W: usize>(
    kernel: &[f64],
    v: &[f64],
    regions: usize,
    r0: usize,
) -> [[f64; W]; A] {
    let mut acc = [[0.0; W]; A];
    let v: [&[f64]; A] = std::array::from_fn(|i| &v[i * regions..(i + 1) * regions]);
    for (q, k) in kernel.chunks_exact(regions).enumerate() {
        let k: &[f64; W] = k[r0..r0 + W].try_into().expect("a block of the row");
        for (acc, v) in acc.iter_mut().zip(&v) {
            let w = v[q];
            for (acc, k) in acc.iter_mut().zip(k) {
                *acc += k * w;
            }
        }
    }
    acc
}

/// The inputs of the regional force of infection after the kernel products (see
/// [`Model::regional_force`]; vectors age-major).
struct Force<'a> {
    ages: usize,
    regions: usize,
    local: &'a [f64],
    x: &'a [f64],
    cross: &'a [f64],
    mixed: &'a [Vec<f64>; 4],
    rates: &'a [Vec<f64>; 4],
    outside: [f64; 4],
    factor: &'a [Vec<f64>; 4],
    uniform: bool,
}

impl Force<'_> {
    /// `lambda / season` of age bands `a..a + A` in regions `r0..r0 + W`:
    /// `L_r x_r + C m_r` (uniform days) or `L_r x_r + sum_s o_s a^s_r . B^s m^s_r`, each sum in the
    /// order of the plain loops.
    #[inline(always)]
    fn block<const A: usize, const W: usize>(&self, a: usize, r0: usize) -> [[f64; W]; A] {
        let (n, regions) = (self.ages, self.regions);
        let mut acc = [[0.0; W]; A];
        // L_r x_r: the local operator differs between regions, so element by element.
        for (b, x) in self.x.chunks_exact(regions).enumerate() {
            let x: &[f64; W] = x[r0..r0 + W].try_into().expect("a block");
            for (i, acc) in acc.iter_mut().enumerate() {
                let l = &self.local[(b * n + a + i) * regions + r0..][..W];
                for ((acc, l), x) in acc.iter_mut().zip(l).zip(x) {
                    *acc += l * x;
                }
            }
        }
        if self.uniform {
            for (b, m) in self.mixed[0].chunks_exact(regions).enumerate() {
                let m: &[f64; W] = m[r0..r0 + W].try_into().expect("a block");
                for (i, acc) in acc.iter_mut().enumerate() {
                    let c = self.cross[b * n + a + i];
                    for (acc, m) in acc.iter_mut().zip(m) {
                        *acc += c * m;
                    }
                }
            }
            return acc;
        }
        let settings = self
            .rates
            .iter()
            .zip(&self.outside)
            .zip(self.factor)
            .zip(self.mixed);
        for (((rates, &o), f), mixed) in settings {
            if o == 0.0 {
                continue;
            }
            let mut z = [[0.0; W]; A];
            for (b, m) in mixed.chunks_exact(regions).enumerate() {
                let m: &[f64; W] = m[r0..r0 + W].try_into().expect("a block");
                for (i, z) in z.iter_mut().enumerate() {
                    let rate = rates[b * n + a + i];
                    for (z, m) in z.iter_mut().zip(m) {
                        *z += rate * m;
                    }
                }
            }
            for (i, (acc, z)) in acc.iter_mut().zip(&z).enumerate() {
                let f = &f[(a + i) * regions + r0..][..W];
                for ((acc, f), z) in acc.iter_mut().zip(f).zip(z) {
                    *acc += o * f * z;
                }
            }
        }
        acc
    }
}

/// `out[a * regions + r] = sum_q K_rq v[a * regions + q]` (`kernel[q * regions + r] = K_rq`), in
/// blocks of two age bands and up to eight regions.
#[inline(always)]
fn apply_kernel(kernel: &[f64], v: &[f64], out: &mut [f64], ages: usize, regions: usize) {
    by_pairs!(ages, a, A, {
        let v = &v[a * regions..(a + A) * regions];
        by_blocks!(regions, r0, W, {
            let acc = kernel_block::<A, W>(kernel, v, regions, r0);
            for (i, acc) in acc.iter().enumerate() {
                out[(a + i) * regions + r0..][..W].copy_from_slice(acc);
            }
        });
    });
}

/// Whether the processor has AVX2.
fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
