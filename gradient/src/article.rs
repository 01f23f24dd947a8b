//! The article's worked example: a function of two variables whose gradient at $(1, 2)$ is
//! $(10, 6)$.
//!
//! The article's formula for $f$ was lost; only its numbers survived:
//! $\nabla f(1, 2) = (10, 6)$ and $|\nabla f(1, 2)| = \sqrt{136} \approx 11.66$.
//! The course uses the simplest function that reproduces them and still has a genuinely
//! two-dimensional landscape (a cross term, so the contours are tilted ellipses rather than
//! axis-aligned ones):
//!
//! $$ f(x, y) = 3x^2 + 2xy + y^2 $$
//!
//! Plain text: `f(x, y) = 3x^2 + 2xy + y^2`.
//! Its partial derivatives are
//!
//! $$ \frac{\partial f}{\partial x} = 6x + 2y, \qquad \frac{\partial f}{\partial y} = 2x + 2y $$
//!
//! Plain text: `df/dx = 6x + 2y`, `df/dy = 2x + 2y`; at $(1, 2)$ they are $6 + 4 = 10$ and
//! $2 + 4 = 6$, as in the article.
//! The Hessian is the constant $\begin{pmatrix} 6 & 2 \\ 2 & 2 \end{pmatrix}$, positive
//! definite (eigenvalues $4 \pm 2\sqrt 2$), so $f$ is a bowl with its minimum 0 at the origin.

use chain_rule::Real;
use nalgebra::DMatrix;

use crate::function::ScalarFunction;
use crate::test_functions::TestFunction;

/// The point of the article's example, $(1, 2)$.
pub const POINT: [f64; 2] = [1.0, 2.0];

/// The article's gradient at [`POINT`], $\nabla f(1, 2) = (10, 6)$.
pub const GRADIENT: [f64; 2] = [10.0, 6.0];

/// The article's $f(x, y) = 3x^2 + 2xy + y^2$ (see the [module docs](self) for the choice).
///
/// # Example
///
/// ```
/// use gradient::ScalarFunction;
/// use gradient::article::{ArticleFunction, POINT};
///
/// // f(1, 2) = 3 + 4 + 4 = 11.
/// assert!((ArticleFunction.value(&POINT)? - 11.0).abs() < 1e-15);
/// # Ok::<(), gradient::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArticleFunction;

// ANCHOR: function
impl ScalarFunction for ArticleFunction {
    fn dimension(&self) -> usize {
        2
    }

    fn eval<T: Real>(&self, v: &[T]) -> T {
        let (x, y) = (v[0], v[1]);
        T::from_f64(3.0) * x * x + T::from_f64(2.0) * x * y + y * y
    }
}
// ANCHOR_END: function

impl TestFunction for ArticleFunction {
    fn name(&self) -> &'static str {
        "article"
    }

    /// $(6x + 2y,\ 2x + 2y)$.
    fn gradient_formula(&self, v: &[f64], grad: &mut [f64]) {
        let (x, y) = (v[0], v[1]);
        grad[0] = 6.0 * x + 2.0 * y;
        grad[1] = 2.0 * x + 2.0 * y;
    }

    /// The constant $\begin{pmatrix} 6 & 2 \\ 2 & 2 \end{pmatrix}$.
    fn hessian_formula(&self, _v: &[f64]) -> DMatrix<f64> {
        DMatrix::from_row_slice(2, 2, &[6.0, 2.0, 2.0, 2.0])
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        vec![vec![0.0, 0.0]]
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }

    /// The article's point $(1, 2)$.
    fn starting_point(&self) -> Vec<f64> {
        POINT.to_vec()
    }
}
