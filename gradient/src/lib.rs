//! # The gradient
//!
//! How does $f(x_1, \dots, x_n)$ change when its inputs move?
//! One input at a time, each change is an ordinary derivative, the *partial derivative*
//! $\partial f / \partial x_i$; stacked together they form the gradient
//!
//! $$ \nabla f(x) = \Big(\frac{\partial f}{\partial x_1}, \dots, \frac{\partial f}{\partial x_n}\Big) $$
//!
//! Plain text: `grad f(x) = (df/dx_1, ..., df/dx_n)`.
//! The gradient points in the direction of steepest ascent, and its length $|\nabla f|$ is
//! the rate of increase along it: moving a small distance $t$ along any unit vector $u$
//! changes $f$ by about $t\,\nabla f \cdot u$, which is largest for $u = \nabla f/|\nabla f|$.
//!
//! The article's example is [`article::ArticleFunction`], $f(x, y) = 3x^2 + 2xy + y^2$, with
//! $\nabla f(1, 2) = (10, 6)$ and $|\nabla f(1, 2)| = \sqrt{136} \approx 11.66$:
//!
//! ```
//! use gradient::article::{ArticleFunction, POINT};
//!
//! let g = gradient::reverse_gradient(&ArticleFunction, &POINT)?;
//! assert!((g[0] - 10.0).abs() < 1e-12 && (g[1] - 6.0).abs() < 1e-12);
//! assert!((gradient::magnitude(&g) - 136.0_f64.sqrt()).abs() < 1e-12);
//! # Ok::<(), gradient::Error>(())
//! ```
//!
//! What this crate offers, in teaching order:
//!
//! - [`ScalarFunction`] and [`VectorFunction`]: functions written once, generically over
//!   [`chain_rule::Real`], so one definition runs on floats, duals and the tape.
//! - [`forward_gradient`], [`reverse_gradient`], [`central_gradient`]: the gradient three
//!   ways; [`magnitude`], [`unit_direction`], [`directional_derivative`] to read it.
//! - [`GradientChecker`]: the gradient checker every later chapter proves its backward passes
//!   with, coordinate by coordinate or along random directions.
//! - [`jacobian()`], [`hessian()`], [`hessian_vector_product`]: first derivatives of
//!   vector-valued functions and second derivatives of scalar ones.
//! - [`test_functions`]: Rosenbrock, Beale, Himmelblau, Booth, log-sum-exp and quadratic
//!   forms with hand-derived gradients and Hessians.
//!
//! Previous chapter: [`chain_rule`](../chain_rule/index.html), one variable.
//! Next chapter: the perceptron, whose gradient is checked with [`GradientChecker`].

// LaTeX in the docs (`$x_i$`, `$\partial$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

pub mod article;
pub mod check;
pub mod direction;
pub mod error;
pub mod function;
pub mod hessian;
pub mod jacobian;
pub mod modes;
mod numeric;
pub mod test_functions;

pub use check::{
    CheckMode, Comparison, GradientChecker, GradientReport, check_gradient, relative_error,
};
pub use direction::{directional_derivative, magnitude, magnitude_of, unit_direction};
pub use error::{Argument, Error, Probe};
pub use function::{ScalarFunction, VectorFunction};
pub use hessian::{hessian, hessian_vector_product};
pub use jacobian::{jacobian, jacobian_reverse};
pub use modes::{central_gradient, central_gradient_with_step, forward_gradient, reverse_gradient};
