//! Dual numbers: golden values for each rule, nesting for second derivatives.

use approx::assert_relative_eq;
use chain_rule::dual::{derivative, second_derivative};
use chain_rule::{Dual, Real};

// Rounding only: each golden value below is a handful of correctly rounded operations away
// from the exact number, so a few ulps of 1 (about 1e-16 each) cover it with room to spare.
const EXACT_TOL: f64 = 1e-14;

#[test]
fn product_rule_on_hand_values() {
    // (2 + 3ε)(5 + 7ε) = 10 + (2·7 + 3·5)ε = 10 + 29ε.
    let product = Dual::new(2.0, 3.0) * Dual::new(5.0, 7.0);
    assert_relative_eq!(product.value, 10.0, max_relative = EXACT_TOL);
    assert_relative_eq!(product.derivative, 29.0, max_relative = EXACT_TOL);
}

#[test]
fn quotient_rule_on_hand_values() {
    // (2 + 3ε)/(4 + 5ε) = 1/2 + (3·4 - 2·5)/16 ε = 0.5 + 0.125ε.
    let quotient = Dual::new(2.0, 3.0) / Dual::new(4.0, 5.0);
    assert_relative_eq!(quotient.value, 0.5, max_relative = EXACT_TOL);
    assert_relative_eq!(quotient.derivative, 0.125, max_relative = EXACT_TOL);
}

#[test]
fn two_level_chain_by_duals() {
    // y = u², u = 3x + 1: dy/dx = 2u · 3 = 6(3x + 1) = 42 at x = 2.
    let d = derivative(|x| (Dual::from_f64(3.0) * x + Dual::one()).powi(2), 2.0);
    assert_relative_eq!(d, 42.0, max_relative = EXACT_TOL);
}

#[test]
fn nested_duals_give_second_derivatives() {
    // f(x) = sin(x²): f'' = 2cos(x²) - 4x² sin(x²). At x = 1: 2cos 1 - 4 sin 1.
    let d2 = second_derivative(|x| x.powi(2).sin(), 1.0);
    let expected = 2.0 * 1.0_f64.cos() - 4.0 * 1.0_f64.sin();
    assert_relative_eq!(d2, expected, max_relative = EXACT_TOL);
}

#[test]
fn comparisons_look_at_values_only() {
    assert!(Dual::new(1.0, 100.0) < Dual::new(2.0, -100.0));
    assert!(Dual::new(1.0, 5.0) == Dual::new(1.0, 6.0));
}
