//! The Jacobian of a vector-valued function $f: \mathbb{R}^n \to \mathbb{R}^m$.
//!
//! The Jacobian is the $m \times n$ matrix of every partial derivative,
//!
//! $$ J_{ij} = \frac{\partial f_i}{\partial x_j} $$
//!
//! Plain text: `J[i][j] = d f_i / d x_j`. Row $i$ is the gradient of output $f_i$.
//! Forward mode fills it a column at a time ($n$ passes); reverse mode a row at a time
//! (one recorded pass, $m$ backward sweeps).
//! So forward mode suits few inputs and reverse mode few outputs, which is why networks,
//! with millions of inputs (parameters) and one output (the loss), are trained in reverse.

use chain_rule::{Dual, Tape};
use nalgebra::DMatrix;

use crate::error::Error;
use crate::function::{VectorFunction, check_output_len, check_point};
use crate::modes::check_value;

/// The Jacobian by forward mode: pass $j$ seeds $x_j$ with derivative 1 and reads column $j$.
///
/// # Errors
///
/// As for [`VectorFunction::values`], and [`Error::NonFiniteValue`] if an output is not
/// finite at `x`.
///
/// # Panics
///
/// If `f.eval` returns a number of values other than `f.output_dimension()`.
///
/// # Example
///
/// ```
/// use chain_rule::Real;
/// use gradient::VectorFunction;
///
/// /// (x, y) ↦ (x y, x + y).
/// struct ProductAndSum;
/// impl VectorFunction for ProductAndSum {
///     fn input_dimension(&self) -> usize { 2 }
///     fn output_dimension(&self) -> usize { 2 }
///     fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
///         vec![x[0] * x[1], x[0] + x[1]]
///     }
/// }
///
/// // J = [[y, x], [1, 1]] at (2, 3).
/// let j = gradient::jacobian(&ProductAndSum, &[2.0, 3.0])?;
/// assert!((j[(0, 0)] - 3.0).abs() < 1e-15 && (j[(0, 1)] - 2.0).abs() < 1e-15);
/// assert!((j[(1, 0)] - 1.0).abs() < 1e-15 && (j[(1, 1)] - 1.0).abs() < 1e-15);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn jacobian<F: VectorFunction + ?Sized>(f: &F, x: &[f64]) -> Result<DMatrix<f64>, Error> {
    check_point(f.input_dimension(), x)?;
    let (m, n) = (f.output_dimension(), x.len());
    let mut jacobian = DMatrix::zeros(m, n);
    let mut duals: Vec<Dual<f64>> = x.iter().map(|&x_j| Dual::constant(x_j)).collect();
    for j in 0..n {
        duals[j].derivative = 1.0;
        let y = f.eval(&duals);
        duals[j].derivative = 0.0;
        check_output_len(y.len(), m);
        for (i, y_i) in y.iter().enumerate() {
            check_value(y_i.value)?;
            jacobian[(i, j)] = y_i.derivative;
        }
    }
    Ok(jacobian)
}

/// The Jacobian by reverse mode: one recorded pass, then one backward sweep per output
/// (row $i$ is the gradient of $f_i$).
///
/// # Errors
///
/// As for [`jacobian`].
///
/// # Panics
///
/// As for [`jacobian`].
pub fn jacobian_reverse<F: VectorFunction + ?Sized>(
    f: &F,
    x: &[f64],
) -> Result<DMatrix<f64>, Error> {
    check_point(f.input_dimension(), x)?;
    let (m, n) = (f.output_dimension(), x.len());
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f.eval(&vars);
    check_output_len(y.len(), m);
    let mut jacobian = DMatrix::zeros(m, n);
    for (i, y_i) in y.iter().enumerate() {
        check_value(y_i.value())?;
        let row = y_i.backward().wrt_all(&vars);
        for (j, d) in row.into_iter().enumerate() {
            jacobian[(i, j)] = d;
        }
    }
    Ok(jacobian)
}
