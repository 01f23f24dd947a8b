//! Second derivatives: the Hessian matrix and Hessian-vector products, by nested duals.
//!
//! The Hessian of $f: \mathbb{R}^n \to \mathbb{R}$ is the matrix of second partials,
//!
//! $$ H_{ij} = \frac{\partial^2 f}{\partial x_i\,\partial x_j} $$
//!
//! Plain text: `H[i][j] = d^2 f / (dx_i dx_j)`. It is symmetric for every twice continuously
//! differentiable $f$ (Schwarz's theorem), and it describes the curvature the gradient alone
//! cannot see: $f(x + t u) = f(x) + t\,\nabla f \cdot u + \tfrac12 t^2\, u^\top H u + O(t^3)$.
//!
//! Nesting dual numbers gives second derivatives: evaluating $f$ on `Dual<Dual<f64>>` at
//! $x + \varepsilon_1 e_i + \varepsilon_2 e_j$ (with $\varepsilon_1^2 = \varepsilon_2^2 = 0$)
//! gives
//!
//! $$ f(x) + \partial_i f\,\varepsilon_1 + \partial_j f\,\varepsilon_2 + \partial_i \partial_j f\,\varepsilon_1 \varepsilon_2 $$
//!
//! Plain text: `f + f_i e1 + f_j e2 + f_ij e1 e2`; the $\varepsilon_1\varepsilon_2$ coefficient
//! is $H_{ij}$.

use chain_rule::Dual;
use nalgebra::DMatrix;

use crate::error::{Argument, Error, check_finite_slice};
use crate::function::{ScalarFunction, check_point};
use crate::modes::check_value;

/// The Hessian by nested forward mode: one `Dual<Dual<f64>>` pass per entry on and above the
/// diagonal, $n(n+1)/2$ passes, mirrored below so the result is exactly symmetric.
///
/// # Errors
///
/// As for [`ScalarFunction::value`], and [`Error::NonFiniteValue`] if $f(x)$ is not finite.
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// // f = 3x² + 2xy + y² has the constant Hessian [[6, 2], [2, 2]].
/// let h = gradient::hessian(&ArticleFunction, &POINT)?;
/// assert!((h[(0, 0)] - 6.0).abs() < 1e-12 && (h[(0, 1)] - 2.0).abs() < 1e-12);
/// assert!((h[(1, 0)] - 2.0).abs() < 1e-12 && (h[(1, 1)] - 2.0).abs() < 1e-12);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn hessian<F: ScalarFunction + ?Sized>(f: &F, x: &[f64]) -> Result<DMatrix<f64>, Error> {
    check_point(f.dimension(), x)?;
    let n = x.len();
    let mut h = DMatrix::zeros(n, n);
    let mut duals: Vec<Dual<Dual<f64>>> = x
        .iter()
        .map(|&x_k| Dual::constant(Dual::constant(x_k)))
        .collect();
    for i in 0..n {
        duals[i].value.derivative = 1.0;
        for j in i..n {
            duals[j].derivative.value = 1.0;
            let y = f.eval(&duals);
            duals[j].derivative.value = 0.0;
            check_value(y.value.value)?;
            h[(i, j)] = y.derivative.derivative;
            h[(j, i)] = y.derivative.derivative;
        }
        duals[i].value.derivative = 0.0;
    }
    Ok(h)
}

/// The Hessian-vector product $H v$ without forming $H$: $n$ nested-dual passes instead of
/// $n(n+1)/2$.
///
/// Pass $i$ evaluates $f$ at $x + \varepsilon_1 e_i + \varepsilon_2 v$; the
/// $\varepsilon_1 \varepsilon_2$ coefficient is
///
/// $$ \sum_j \frac{\partial^2 f}{\partial x_i \partial x_j} v_j = (H v)_i $$
///
/// Plain text: `(H v)_i = sum_j H[i][j] v_j`.
/// This is the derivative of the gradient along $v$, the quantity Newton-type and
/// curvature-aware optimizers need.
///
/// # Errors
///
/// As for [`hessian`], and [`Error::LengthMismatch`] or [`Error::NonFinite`] naming
/// [`Argument::Direction`] for a bad `v`. A zero `v` is allowed (the product is 0).
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// // [[6, 2], [2, 2]] (1, -1) = (4, 0).
/// let hv = gradient::hessian_vector_product(&ArticleFunction, &POINT, &[1.0, -1.0])?;
/// assert!((hv[0] - 4.0).abs() < 1e-12 && hv[1].abs() < 1e-12);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn hessian_vector_product<F: ScalarFunction + ?Sized>(
    f: &F,
    x: &[f64],
    v: &[f64],
) -> Result<Vec<f64>, Error> {
    check_point(f.dimension(), x)?;
    check_finite_slice(Argument::Direction, v, x.len())?;
    let mut duals: Vec<Dual<Dual<f64>>> = x
        .iter()
        .zip(v)
        .map(|(&x_k, &v_k)| Dual::new(Dual::constant(x_k), Dual::constant(v_k)))
        .collect();
    let mut product = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        duals[i].value.derivative = 1.0;
        let y = f.eval(&duals);
        duals[i].value.derivative = 0.0;
        check_value(y.value.value)?;
        product.push(y.derivative.derivative);
    }
    Ok(product)
}
