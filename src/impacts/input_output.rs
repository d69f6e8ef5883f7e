//! Input-output spill-overs between sections: a section that sells less buys less from its
//! domestic suppliers, who then buy less from theirs (Leontief, Rev Econ Stat 1936;18:105-125;
//! Miller and Blair, *Input-Output Analysis*, 2nd ed. 2009, ch. 2). The dated economy
//! ([`super::dated_economy`]) passes each day's lost sales through it.
//!
//! From a symmetric table of domestic intermediate use `Z_ij` (products of section `i` used by
//! section `j`, money per year) and gross output `x_j` (same unit):
//!
//! ```text
//! A_ij  = Z_ij / x_j                       technical coefficients (per unit of j's output)
//! L     = (I - A)^-1                       the Leontief inverse
//! dx    = L df                             output change for a change of final demand df
//! B_ij  = L_ij x_j / x_i                   the same in shares of normal output
//! l_tot = B l                              l_j = df_j / x_j: direct loss, share of output
//! ```
//!
//! Value added follows output at the section's value-added share (fixed, as in the Leontief
//! model), so the share of normal output lost is also the share of normal value added lost; the
//! table's unit and year drop out. `L` exists and is non-negative when the table is productive,
//! every column of `A` summing to less than 1 (Miller and Blair 2009, sect. 2.3), which the
//! inputs check ([`crate::inputs::economy::InputOutput::check`]); the inverse is computed once
//! per economy, not per day.
//!
//! The model is demand-driven: lost sales travel backward to suppliers, not forward to the
//! customers of a closed section (a Ghosh supply-side model would, and is not used: its fixed
//! output shares are implausible, Oosterhaven, J Reg Sci 1988;28:203-217).

use ndarray::{Array1, Array2};

use crate::inputs::economy::{Economy, InputOutput};

/// The spill-over of direct losses to suppliers, `B = X^-1 L X` of the module docs, in the order
/// of the economy's sections (a section missing from the table has no links).
#[derive(Debug, Clone, PartialEq)]
pub struct Spillover {
    shares: Array2<f64>,
}

/// `A` of the module docs from the table, in the order of the economy's sections, and the
/// sections' gross output (1 for a section missing from the table).
pub fn technical_coefficients(
    table: &InputOutput,
    economy: &Economy,
) -> (Array2<f64>, Array1<f64>) {
    let n = economy.sections.len();
    let at: Vec<Option<usize>> = table.sections.iter().map(|c| economy.section(c)).collect();
    let mut a = Array2::zeros((n, n));
    let mut x = Array1::ones(n);
    for (j, &tj) in at.iter().enumerate() {
        let Some(tj) = tj else { continue };
        x[tj] = table.output[j];
        for (i, &ti) in at.iter().enumerate() {
            if let Some(ti) = ti {
                a[[ti, tj]] = table.flows[i][j] / table.output[j];
            }
        }
    }
    (a, x)
}

/// `(I - A)^-1` by Gauss-Jordan elimination. For a productive `A` (columns summing to less than
/// 1), `I - A` is strictly diagonally dominant by columns, which elimination keeps, so every
/// pivot is positive and no pivoting is needed (Golub and Van Loan, *Matrix Computations*, 4th
/// ed. 2013, sect. 3.4.3).
pub fn leontief_inverse(a: &Array2<f64>) -> Array2<f64> {
    let n = a.nrows();
    let mut m = Array2::<f64>::eye(n) - a;
    let mut inv = Array2::<f64>::eye(n);
    for k in 0..n {
        let pivot = m[[k, k]];
        m.row_mut(k).mapv_inplace(|v| v / pivot);
        inv.row_mut(k).mapv_inplace(|v| v / pivot);
        for i in (0..n).filter(|&i| i != k) {
            let f = m[[i, k]];
            if f != 0.0 {
                for j in 0..n {
                    m[[i, j]] -= f * m[[k, j]];
                    inv[[i, j]] -= f * inv[[k, j]];
                }
            }
        }
    }
    inv
}

impl Spillover {
    /// Prepares the spill-over of a (checked, productive) table for the economy's sections.
    pub fn new(table: &InputOutput, economy: &Economy) -> Self {
        let (a, x) = technical_coefficients(table, economy);
        let l = leontief_inverse(&a);
        let shares = Array2::from_shape_fn(l.dim(), |(i, j)| l[[i, j]] * x[j] / x[i]);
        Self { shares }
    }

    /// Replaces each section's share of normal output after its direct losses, `a = 1 - l`, by
    /// the share after the spill-overs, `1 - B l` (at least 0). `lost` is scratch space.
    pub fn spill_over(&self, activity: &mut [f64], lost: &mut Vec<f64>) {
        lost.clear();
        lost.extend(activity.iter().map(|a| 1.0 - a));
        if lost.iter().all(|&l| l == 0.0) {
            return;
        }
        for (a, row) in activity.iter_mut().zip(self.shares.rows()) {
            let total: f64 = row.iter().zip(lost.iter()).map(|(b, l)| b * l).sum();
            *a = (1.0 - total).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::economy::Section;
    use std::collections::BTreeMap;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn economy(codes: &[&str]) -> Economy {
        let section = |code: &str| Section {
            code: code.into(),
            label: code.into(),
            value_added: 1.0,
            employment: 1.0,
            firms: 1.0,
            labour_share: 0.5,
            fixed_cost_share: 0.1,
            employment_elasticity: 0.5,
            buffer_days: 30.0,
            fear_sensitivity: 0.0,
            workers: BTreeMap::new(),
        };
        let subsidy = crate::inputs::economy::Subsidy {
            compensation: 0.0,
            take_up: 0.0,
            min_revenue_loss: 0.0,
        };
        Economy {
            sections: codes.iter().map(|c| section(c)).collect(),
            labour_force: 1.0,
            unemployment_lag_days: 30.0,
            buffer_shape: 1.0,
            debt_per_unemployed_year: 0.0,
            wage_subsidy: subsidy.clone(),
            fixed_cost_subsidy: subsidy,
            dated: None,
        }
    }

    fn table(codes: &[&str], flows: Vec<Vec<f64>>, output: Vec<f64>) -> InputOutput {
        InputOutput {
            source: "test".into(),
            sections: codes.iter().map(|c| c.to_string()).collect(),
            flows,
            output,
        }
    }

    #[test]
    fn leontief_inverse_of_a_hand_computed_two_by_two() {
        // A = [[0.2, 0.3], [0.4, 0.1]]: I - A = [[0.8, -0.3], [-0.4, 0.9]], det 0.6, so
        // (I - A)^-1 = [[0.9, 0.3], [0.4, 0.8]] / 0.6 = [[1.5, 0.5], [2/3, 4/3]].
        let a = ndarray::arr2(&[[0.2, 0.3], [0.4, 0.1]]);
        let l = leontief_inverse(&a);
        let want = [[1.5, 0.5], [2.0 / 3.0, 4.0 / 3.0]];
        for i in 0..2 {
            for j in 0..2 {
                assert!(close(l[[i, j]], want[i][j]), "{i},{j}: {}", l[[i, j]]);
            }
        }
    }

    #[test]
    fn leontief_inverse_of_a_three_by_three_inverts() {
        let a = ndarray::arr2(&[[0.1, 0.2, 0.0], [0.3, 0.0, 0.25], [0.05, 0.4, 0.3]]);
        let l = leontief_inverse(&a);
        let product = (Array2::<f64>::eye(3) - &a).dot(&l);
        for ((i, j), v) in product.indexed_iter() {
            assert!(close(*v, if i == j { 1.0 } else { 0.0 }), "{i},{j}: {v}");
        }
        assert!(l.iter().all(|&v| v >= 0.0)); // a productive table: non-negative inverse
    }

    #[test]
    fn a_loss_reaches_the_suppliers_the_table_names_and_no_one_else() {
        // Horeca (I) buys food (C) and rent (L); nobody buys from horeca; Q is not in the table.
        let econ = economy(&["C", "I", "L", "O", "Q"]);
        let z = vec![
            vec![10.0, 20.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0, 0.0],
            vec![0.0, 15.0, 5.0, 0.0],
            vec![0.0, 0.0, 0.0, 0.0],
        ];
        let io = table(&["C", "I", "L", "O"], z, vec![200.0, 100.0, 150.0, 80.0]);
        let spill = Spillover::new(&io, &econ);
        // Horeca loses 60% of its sales; nothing else is hit directly.
        let mut a = vec![1.0, 0.4, 1.0, 1.0, 1.0];
        spill.spill_over(&mut a, &mut Vec::new());
        // Food: dx_C = L_CI df_I with df_I = 60, L_CI = A_CI / (1 - A_CC) = 0.2 / 0.95.
        assert!(close(1.0 - a[0], 0.2 / 0.95 * 60.0 / 200.0), "{}", a[0]);
        // Rent: L_LI = A_LI / (1 - A_LL) = 0.15 / (1 - 5 / 150).
        assert!(close(1.0 - a[2], 0.15 / (1.0 - 5.0 / 150.0) * 60.0 / 150.0));
        // Horeca itself buys nothing from itself; government and care are not its suppliers.
        assert!(close(a[1], 0.4));
        assert_eq!((a[3], a[4]), (1.0, 1.0));
        // Total output lost is at least the direct loss.
        let total: f64 = a.iter().zip(&io.output).map(|(a, x)| (1.0 - a) * x).sum();
        assert!(total >= 60.0);
    }

    #[test]
    fn no_loss_no_spill_over_and_an_empty_table_changes_nothing() {
        let econ = economy(&["C", "I"]);
        let io = table(
            &["C", "I"],
            vec![vec![1.0, 2.0], vec![3.0, 4.0]],
            vec![10.0, 10.0],
        );
        let mut a = vec![1.0, 1.0];
        Spillover::new(&io, &econ).spill_over(&mut a, &mut Vec::new());
        assert_eq!(a, vec![1.0, 1.0]);
        let none = table(&[], vec![], vec![]);
        let mut a = vec![0.7, 0.2];
        Spillover::new(&none, &econ).spill_over(&mut a, &mut Vec::new());
        assert!(close(a[0], 0.7) && close(a[1], 0.2));
    }

    #[test]
    fn an_unproductive_table_is_refused_naming_the_field() {
        let io = table(
            &["C", "I"],
            vec![vec![6.0, 1.0], vec![5.0, 1.0]],
            vec![10.0, 10.0],
        );
        let mut c = crate::inputs::validate::Checker::new();
        io.check("economy.dated.input_output", &mut c);
        let err = c.finish().unwrap_err().to_string();
        assert!(err.contains("economy.dated.input_output.flows"), "{err}");
        assert!(err.contains("column 0 (C) uses 1.100"), "{err}");
        let ragged = table(&["C", "I"], vec![vec![1.0, 1.0]], vec![10.0, 10.0]);
        let mut c = crate::inputs::validate::Checker::new();
        ragged.check("io", &mut c);
        assert!(c.finish().unwrap_err().to_string().contains("io.flows"));
    }
}
