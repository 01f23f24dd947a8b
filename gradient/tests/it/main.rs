//! The integration tests of the `gradient` crate, one module per concept.
//!
//! Tolerances are named here, each with the reason for its size.

// Math in the comments (`|g_i|`, `x_{i+1}`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]
// Index loops mirror the subscripts of the formulas they check (H_ij, g_i).
#![allow(clippy::needless_range_loop)]

mod article;
mod checker;
mod compositions;
mod errors;
mod expr;
mod hessian;
mod jacobian;
mod quadratic;
mod test_functions;

/// Forward mode, reverse mode, nested duals and the chain rule written by hand evaluate the
/// same sums of products in different orders, so they agree to rounding, measured against
/// the rounding scales of `expr::Hand` (the same sums with every term made absolute).
/// Each term is a product along one path of the tree: at most 8 rounded operations at depth
/// 4 (one operation per level and one multiplication by a local partial), each off by half an
/// ulp, so at most 4 ulps per term; both sides of a comparison round, 8 ulps. 32 ulps leaves
/// a factor 4 (the worst measured over 100 000 random trees was 2.6 ulps, for a Hessian
/// entry).
pub(crate) const ROUNDING: f64 = 32.0 * f64::EPSILON;

/// The threshold the gradient checker is run with in these tests: the value the checker's
/// docs recommend for `f64`. Central differences are accurate to about 1e-10 relative on
/// these smooth functions, and the checker's floor absorbs coordinates too small for that, so
/// right gradients pass with 4 orders of magnitude to spare, while a wrong sign gives a
/// relative error of 2 and a factor 1.01 one of about 1e-2.
pub(crate) const CHECK_THRESHOLD: f64 = 1e-6;

/// Asserts `|a - b| <= tolerance`, naming `what` on failure.
pub(crate) fn assert_within(a: f64, b: f64, tolerance: f64, what: &str) {
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: {a:e} and {b:e} differ by {:e}, more than {tolerance:e}",
        (a - b).abs()
    );
}
