//! The `Real` operations themselves, on duals and on the tape, against central differences:
//! including those no elementary function uses (`sqrt`, `abs`, `ln_1p`, a variable exponent in
//! `powf`, the assigning operators).

use approx::assert_relative_eq;
use chain_rule::{Dual, Error, Real, Tape};
use proptest::prelude::*;

use crate::support::{
    EPS, Function, central, central_tolerance, dual_derivative, tape_derivative, third_derivative,
};

/// See `AUTODIFF_ULPS` in `elementary.rs`.
const AUTODIFF_ULPS: f64 = 16.0;

/// One `Real` operation applied to `x`, written over any `Real`.
#[derive(Clone, Copy, Debug)]
enum Operation {
    Exp,
    Ln,
    Ln1p,
    Sqrt,
    Abs,
    Tanh,
    Powi(i32),
    /// `x^x`: the exponent carries a derivative too, `d x^x = x^x (ln x + 1) dx`.
    PowSelf,
    /// `(2 - x)^(x/3)`: base and exponent both vary, in opposite directions.
    PowMixed,
    /// `x -= 1; x *= x; x /= (x + 2); x += x`: every assigning operator.
    Assigning,
    /// `-x / (1 + x²)`: negation and the quotient rule.
    NegQuotient,
}

impl Function for Operation {
    fn eval<T: Real>(&self, x: T) -> Result<T, Error> {
        Ok(match self {
            Self::Exp => x.exp(),
            Self::Ln => x.ln(),
            Self::Ln1p => x.ln_1p(),
            Self::Sqrt => x.sqrt(),
            Self::Abs => x.abs(),
            Self::Tanh => x.tanh(),
            Self::Powi(n) => x.powi(*n),
            Self::PowSelf => x.powf(x),
            Self::PowMixed => (T::from_f64(2.0) - x).powf(x / T::from_f64(3.0)),
            Self::Assigning => {
                let mut y = x;
                y -= T::one();
                y *= y;
                y /= y + T::from_f64(2.0);
                y += y;
                y
            }
            Self::NegQuotient => -x / (T::one() + x * x),
        })
    }
}

fn operation_and_input() -> impl Strategy<Value = (Operation, f64)> {
    prop_oneof![
        (-5.0..5.0_f64).prop_map(|x| (Operation::Exp, x)),
        (0.05..50.0_f64).prop_map(|x| (Operation::Ln, x)),
        (-0.9..50.0_f64).prop_map(|x| (Operation::Ln1p, x)),
        (0.05..50.0_f64).prop_map(|x| (Operation::Sqrt, x)),
        prop_oneof![-5.0..-0.05_f64, 0.05..5.0_f64].prop_map(|x| (Operation::Abs, x)),
        (-5.0..5.0_f64).prop_map(|x| (Operation::Tanh, x)),
        (-4_i32..=5, 0.2..3.0_f64).prop_map(|(n, x)| (Operation::Powi(n), x)),
        (0.1..3.0_f64).prop_map(|x| (Operation::PowSelf, x)),
        (-1.0..1.9_f64).prop_map(|x| (Operation::PowMixed, x)),
        (-3.0..3.0_f64).prop_map(|x| (Operation::Assigning, x)),
        (-3.0..3.0_f64).prop_map(|x| (Operation::NegQuotient, x)),
    ]
}

proptest! {
    #[test]
    fn duals_and_tape_match_central_differences((op, x) in operation_and_input()) {
        let by_duals = dual_derivative(&op, x).unwrap();
        let by_tape = tape_derivative(&op, x).unwrap();
        // Duals and tape apply the same local rules in different orders: they agree to
        // rounding.
        prop_assert!((by_duals - by_tape).abs() <= AUTODIFF_ULPS * EPS * by_duals.abs().max(1.0),
            "{op:?} at {x}: duals {by_duals}, tape {by_tape}");
        let (numeric, h) = central(&op, x).unwrap();
        let third = third_derivative(&op, x).unwrap();
        // Each value is a handful of operations (at most 8, for `Assigning`) on numbers of
        // size up to |f| + 2: 8 eps (|f| + 2) bounds its rounding.
        let scale = op.eval(x - h).unwrap().abs().max(op.eval(x + h).unwrap().abs()) + 2.0;
        let tolerance = central_tolerance(third, 8.0 * EPS * scale, h, x, by_duals);
        prop_assert!((by_duals - numeric).abs() <= tolerance,
            "{op:?} at {x}: duals {by_duals}, central {numeric}, tolerance {tolerance}");
    }
}

#[test]
fn variable_exponent_golden() {
    // z = a^b at (a, b) = (2, 3): z = 8, dz/da = b a^(b-1) = 3 · 4 = 12,
    // dz/db = a^b ln a = 8 ln 2 ≈ 5.545.
    let tape = Tape::new();
    let a = tape.var(2.0);
    let b = tape.var(3.0);
    let grads = a.powf(b).backward();
    assert_relative_eq!(grads.wrt(a), 12.0, max_relative = 4.0 * EPS);
    assert_relative_eq!(grads.wrt(b), 8.0 * 2.0_f64.ln(), max_relative = 4.0 * EPS);
    // The same with duals, one seed at a time.
    let da = Dual::variable(2.0).powf(Dual::constant(3.0)).derivative;
    let db = Dual::constant(2.0).powf(Dual::variable(3.0)).derivative;
    assert_relative_eq!(da, 12.0, max_relative = 4.0 * EPS);
    assert_relative_eq!(db, 8.0 * 2.0_f64.ln(), max_relative = 4.0 * EPS);
    // x^x at x = 1: d/dx = x^x (ln x + 1) = 1.
    assert_relative_eq!(
        Dual::variable(1.0).powf(Dual::variable(1.0)).derivative,
        1.0,
        max_relative = 4.0 * EPS
    );
}

#[test]
fn abs_and_sqrt_at_their_edges() {
    // |x|' at 0 is taken as 0 (PyTorch's sign(0) = 0); sqrt'(0) is +inf, as it should be.
    approx::assert_abs_diff_eq!(Dual::variable(0.0).abs().derivative, 0.0);
    assert!(Dual::variable(0.0_f64).sqrt().derivative.is_infinite());
    // A negative base with a constant integer-valued exponent keeps a finite derivative:
    // d/dx x^2 = 2x = -6 at x = -3 (the exponent term a^b ln(a) db is skipped for a <= 0).
    assert_relative_eq!(
        Dual::variable(-3.0).powf(Dual::constant(2.0)).derivative,
        -6.0,
        max_relative = 4.0 * EPS
    );
}

#[test]
fn a_variable_exponent_at_a_zero_base_has_finite_derivatives() {
    // z = a^b at (a, b) = (0, 2): dz/da = b a^(b-1) = 0, and the term a^b ln(a) db is skipped
    // for a <= 0, as `Real::powf` documents (its limit a^b ln a -> 0 as a -> 0+ for b > 0), so
    // dz/db = 0 rather than 0 · ln 0 = 0 · (-inf) = NaN. Both are exact zeros.
    let tape = Tape::new();
    let a = tape.var(0.0);
    let b = tape.var(2.0);
    let grads = a.powf(b).backward();
    approx::assert_abs_diff_eq!(grads.wrt(a), 0.0);
    approx::assert_abs_diff_eq!(grads.wrt(b), 0.0);
    let da = Dual::variable(0.0).powf(Dual::constant(2.0)).derivative;
    let db = Dual::constant(0.0).powf(Dual::variable(2.0)).derivative;
    approx::assert_abs_diff_eq!(da, 0.0);
    approx::assert_abs_diff_eq!(db, 0.0);
}

#[test]
fn the_power_rule_holds_at_the_smallest_exponent() {
    // n = i32::MIN = -2^31, where n - 1 overflows i32: d/dx x^n = n x^(n-1), and at x = -1
    // x^(n-1) = (-1)^(-2^31 - 1) = -1 (an odd power), so the slope is -2^31 · -1 = 2^31, an
    // exact product. (Using x^n = +1 there would flip its sign.)
    let expected = 2.0_f64.powi(31);
    let tape = Tape::new();
    let x = tape.var(-1.0);
    let tape_slope = x.powi(i32::MIN).backward().wrt(x);
    let dual_slope = Dual::variable(-1.0).powi(i32::MIN).derivative;
    let hand_slope = chain_rule::elementary::powi_derivative(-1.0, i32::MIN);
    // Every step is exact (powers of -1, a power of two times -1), so no tolerance.
    for slope in [tape_slope, dual_slope, hand_slope] {
        assert_eq!(slope.to_bits(), expected.to_bits(), "{slope} vs {expected}");
    }
}
