//! Every elementary function: its hand-written derivative against central differences, against
//! duals and against the tape, over random inputs; golden values; stability at ±1000; f32.
//! The output forms of tanh' and sigmoid' against the x forms and central differences.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use chain_rule::elementary::{self, Elementary};
use chain_rule::{Dual, Real, Tape};
use proptest::prelude::*;

use crate::support::{
    EPS, central, central_tolerance, dual_derivative, second_derivative, tape_derivative,
    third_derivative, value_error,
};

/// Duals and the tape compute each derivative by a formula that is the same number as the hand
/// one but rounds differently (the quotient rule through sigmoid's branches, `p x^(p-1)`
/// through `powf`), in at most about 8 operations without cancellation: 16 ulps of the
/// derivative cover it.
const AUTODIFF_ULPS: f64 = 16.0;

/// Every elementary function with an input range inside its domain and away from kinks.
/// Ranges are wide enough to reach the tails (sigmoid and tanh to ±30, where the naive
/// formulas lose accuracy) but keep `exp` finite.
fn function_and_input() -> impl Strategy<Value = (Elementary, f64)> {
    let away_from_kink = prop_oneof![-5.0..-0.05_f64, 0.05..5.0_f64];
    prop_oneof![
        (-10.0..10.0_f64).prop_map(|x| (Elementary::Identity, x)),
        (-3.0..3.0_f64, -3.0..3.0_f64, -10.0..10.0_f64)
            .prop_map(|(a, b, x)| (Elementary::Affine { a, b }, x)),
        (-3_i32..=4, away_from_kink.clone()).prop_map(|(n, x)| (Elementary::Powi(n), x)),
        (-2.5..2.5_f64, 0.1..10.0_f64).prop_map(|(p, x)| (Elementary::Powf(p), x)),
        (-20.0..20.0_f64).prop_map(|x| (Elementary::Exp, x)),
        (0.05..100.0_f64).prop_map(|x| (Elementary::Ln, x)),
        (-10.0..10.0_f64).prop_map(|x| (Elementary::Sin, x)),
        (-10.0..10.0_f64).prop_map(|x| (Elementary::Cos, x)),
        (-30.0..30.0_f64).prop_map(|x| (Elementary::Tanh, x)),
        (-30.0..30.0_f64).prop_map(|x| (Elementary::Sigmoid, x)),
        away_from_kink.clone().prop_map(|x| (Elementary::Relu, x)),
        (0.0..0.5_f64, away_from_kink).prop_map(|(slope, x)| (Elementary::LeakyRelu { slope }, x)),
        (-30.0..30.0_f64).prop_map(|x| (Elementary::Softplus, x)),
    ]
}

/// Relative error of the x-form `tanh_derivative` and `sigmoid_derivative`: one exponential of
/// an exact argument (1 ulp) and three correctly rounded operations on positive numbers, as
/// `support::value_error` counts them.
const X_FORM_ULPS: f64 = 4.0;

/// The derivative of tanh or the sigmoid computed from the function's computed value `a`
/// (`tanh_derivative_from_output` or `sigmoid_derivative_from_output`), and a bound on how far
/// that can be from the true derivative.
///
/// `a` is off by at most `value_error` (4 eps |a|). The output form g(a) turns that into
/// |g'(a)| times as much: 2|a| for 1 - a^2 and |1 - 2a| for a (1 - a). Next to 1 this is a few
/// eps, but next to the result it is the cancellation of the tails: relative to sech^2 x the
/// error grows like sinh^2 x, relative to sigma (1 - sigma) like e^x, until the output form
/// keeps no correct digit (at |x| = 20, tanh x rounds to 1 and 1 - a^2 is 0). Then the output
/// form's own two roundings: for 1 - a^2, half an ulp of a^2 and half an ulp of the result;
/// for a (1 - a), half an ulp of 1 - a (times a) and half an ulp of the result.
fn from_output(f: Elementary, x: f64) -> (f64, f64) {
    let true_derivative = f.derivative(x).unwrap();
    let a = f.eval(x).unwrap();
    let moved = value_error(f, x);
    match f {
        Elementary::Tanh => (
            elementary::tanh_derivative_from_output(a),
            2.0 * a.abs() * moved + EPS * (a * a + true_derivative) / 2.0,
        ),
        Elementary::Sigmoid => (
            elementary::sigmoid_derivative_from_output(a),
            (1.0 - 2.0 * a).abs() * moved + EPS * true_derivative,
        ),
        _ => unreachable!("only tanh and the sigmoid have an output form"),
    }
}

fn tanh_or_sigmoid() -> impl Strategy<Value = Elementary> {
    prop_oneof![Just(Elementary::Tanh), Just(Elementary::Sigmoid)]
}

proptest! {
    #[test]
    fn derivative_matches_central_difference((f, x) in function_and_input()) {
        let hand = f.derivative(x).unwrap();
        let (numeric, h) = central(&f, x).unwrap();
        let third = third_derivative(&f, x).unwrap();
        let value_error = value_error(f, x - h).max(value_error(f, x + h));
        let tolerance = central_tolerance(third, value_error, h, x, hand);
        prop_assert!(
            (hand - numeric).abs() <= tolerance,
            "{f:?} at x = {x}: hand {hand}, central {numeric}, tolerance {tolerance}"
        );
    }

    #[test]
    fn derivative_matches_duals_and_tape((f, x) in function_and_input()) {
        let hand = f.derivative(x).unwrap();
        let tolerance = AUTODIFF_ULPS * EPS * hand.abs();
        let by_duals = dual_derivative(&f, x).unwrap();
        let by_tape = tape_derivative(&f, x).unwrap();
        prop_assert!((hand - by_duals).abs() <= tolerance, "{f:?} at {x}: hand {hand}, duals {by_duals}");
        prop_assert!((hand - by_tape).abs() <= tolerance, "{f:?} at {x}: hand {hand}, tape {by_tape}");
    }

    #[test]
    fn second_derivative_by_nested_duals_matches_difference_of_first(
        (f, x) in function_and_input()
    ) {
        // Differentiate f' (by duals) once more with a central difference: same tolerance
        // derivation with f' in place of f, its rounding error bounded by AUTODIFF_ULPS.
        let first = |t: f64| dual_derivative(&f, t).unwrap_or(f64::NAN);
        let h = chain_rule::finite_difference::Scheme::Central.step(x);
        let numeric = chain_rule::finite_difference::central(first, x, h).unwrap();
        let second = crate::support::second_derivative(&f, x).unwrap();
        let fourth = crate::support::fourth_derivative(&f, x).unwrap();
        let scale = first(x - h).abs().max(first(x + h).abs());
        let tolerance = central_tolerance(fourth, AUTODIFF_ULPS * EPS * scale, h, x, second);
        prop_assert!(
            (second - numeric).abs() <= tolerance,
            "{f:?} at {x}: nested duals {second}, difference {numeric}, tolerance {tolerance}"
        );
    }

    #[test]
    fn derivative_from_output_agrees_with_the_x_form(f in tanh_or_sigmoid(), x in -30.0..30.0_f64) {
        let (by_output, error) = from_output(f, x);
        let by_x = f.derivative(x).unwrap();
        let tolerance = error + X_FORM_ULPS * EPS * by_x;
        prop_assert!(
            (by_output - by_x).abs() <= tolerance,
            "{f:?} at x = {x}: from output {by_output}, from x {by_x}, tolerance {tolerance}"
        );
    }

    #[test]
    fn derivative_from_output_matches_central_difference(f in tanh_or_sigmoid(), x in -8.0..8.0_f64) {
        // The central difference's own error bound (support.rs), plus the output form's.
        let (by_output, error) = from_output(f, x);
        let (numeric, h) = central(&f, x).unwrap();
        let third = third_derivative(&f, x).unwrap();
        let value_error = value_error(f, x - h).max(value_error(f, x + h));
        let tolerance = central_tolerance(third, value_error, h, x, by_output) + error;
        prop_assert!(
            (by_output - numeric).abs() <= tolerance,
            "{f:?} at x = {x}: from output {by_output}, central {numeric}, tolerance {tolerance}"
        );
    }

    #[test]
    fn f32_agrees_with_f64(x32 in -50.0..50.0_f32) {
        // The f32 path runs the same formulas in f32 on the same (exactly representable)
        // input, so only the arithmetic differs: at most 4 f32 operations, none cancelling
        // (the formulas were chosen for that), each within 1 ulp, against an f64 reference
        // that is 2^29 times more precise. 8 ulps of f32 relative (8 · 1.2e-7 ≈ 1e-6) covers it.
        // Below f32::MIN_POSITIVE (1.2e-38) f32 is subnormal, with a fixed absolute spacing of
        // 2^-149 instead: tanh'(-50) = 4e^-100 ≈ 1.5e-43 is computed from e^-100 ≈ 3.7e-44,
        // which is only a few dozen spacings. 32 spacings absolute (8 ulps, times the factor
        // 4 in 4e/(1 + e)²) cover that regime.
        let xr = f64::from(x32);
        let subnormal_spacing = 2.0_f64.powi(-149);
        let tolerance = |reference: f64| {
            8.0 * f64::from(f32::EPSILON) * reference.abs() + 32.0 * subnormal_spacing
        };
        let pairs = [
            ("sigmoid", f64::from(elementary::sigmoid(x32)), elementary::sigmoid(xr)),
            ("sigmoid'", f64::from(elementary::sigmoid_derivative(x32)), elementary::sigmoid_derivative(xr)),
            ("tanh", f64::from(elementary::tanh(x32)), elementary::tanh(xr)),
            ("tanh'", f64::from(elementary::tanh_derivative(x32)), elementary::tanh_derivative(xr)),
            ("softplus", f64::from(elementary::softplus(x32)), elementary::softplus(xr)),
            ("relu", f64::from(elementary::relu(x32)), elementary::relu(xr)),
            ("leaky_relu", f64::from(elementary::leaky_relu(x32, 0.01)), elementary::leaky_relu(xr, f64::from(0.01_f32))),
        ];
        for (name, single, double) in pairs {
            prop_assert!(
                (single - double).abs() <= tolerance(double),
                "{name} at {xr}: f32 {single}, f64 {double}"
            );
        }
    }
}

#[test]
fn golden_values() {
    // Rounding only: each expected number is a few correctly rounded operations from exact.
    const TOL: f64 = 1e-15;
    // σ(0) = 1/(1 + 1) = 1/2, σ'(0) = σ(1 - σ) = 1/4.
    assert_relative_eq!(elementary::sigmoid(0.0), 0.5, max_relative = TOL);
    assert_relative_eq!(
        elementary::sigmoid_derivative(0.0),
        0.25,
        max_relative = TOL
    );
    // σ(ln 3) = 1/(1 + 1/3) = 3/4, σ' = 3/4 · 1/4 = 3/16.
    let ln3 = 3.0_f64.ln();
    assert_relative_eq!(elementary::sigmoid(ln3), 0.75, max_relative = TOL);
    assert_relative_eq!(
        elementary::sigmoid_derivative(ln3),
        0.1875,
        max_relative = TOL
    );
    // tanh(ln 3) = (3 - 1/3)/(3 + 1/3) = 4/5, tanh' = 1 - 16/25 = 9/25.
    assert_relative_eq!(elementary::tanh(ln3), 0.8, max_relative = TOL);
    assert_relative_eq!(elementary::tanh_derivative(ln3), 0.36, max_relative = TOL);
    assert_relative_eq!(elementary::tanh_derivative(0.0), 1.0, max_relative = TOL);
    // softplus(0) = ln 2, softplus'(0) = σ(0) = 1/2; softplus(ln 3) = ln 4, softplus' = 3/4.
    assert_relative_eq!(elementary::softplus(0.0), 2.0_f64.ln(), max_relative = TOL);
    assert_relative_eq!(
        elementary::softplus_derivative(0.0),
        0.5,
        max_relative = TOL
    );
    assert_relative_eq!(elementary::softplus(ln3), 4.0_f64.ln(), max_relative = TOL);
    assert_relative_eq!(
        elementary::softplus_derivative(ln3),
        0.75,
        max_relative = TOL
    );
    // ln(e²) = 2, ln'(4) = 1/4; powf(4, 1/2) = 2, powf'(4, 1/2) = 1/2 · 4^(-1/2) = 1/4.
    assert_relative_eq!(
        elementary::ln(2.0_f64.exp()).unwrap(),
        2.0,
        max_relative = TOL
    );
    assert_relative_eq!(
        elementary::ln_derivative(4.0).unwrap(),
        0.25,
        max_relative = TOL
    );
    assert_relative_eq!(elementary::powf(4.0, 0.5).unwrap(), 2.0, max_relative = TOL);
    assert_relative_eq!(
        elementary::powf_derivative(4.0, 0.5).unwrap(),
        0.25,
        max_relative = TOL
    );
    // powi'(x, 3) = 3x² = 12 at x = 2; powi'(x, -1) = -x^-2 = -1/4 at x = 2; powi'(x, 0) = 0.
    assert_relative_eq!(
        elementary::powi_derivative(2.0, 3),
        12.0,
        max_relative = TOL
    );
    assert_relative_eq!(
        elementary::powi_derivative(2.0, -1),
        -0.25,
        max_relative = TOL
    );
    assert_abs_diff_eq!(elementary::powi_derivative(0.0, 0), 0.0);
    // affine(2; a = 3, b = 1) = 7 with slope 3; sin' = cos, cos' = -sin at x = 0: 1 and 0.
    assert_relative_eq!(elementary::affine(2.0, 3.0, 1.0), 7.0, max_relative = TOL);
    assert_relative_eq!(
        elementary::affine_derivative(2.0, 3.0),
        3.0,
        max_relative = TOL
    );
    assert_relative_eq!(elementary::sin_derivative(0.0), 1.0, max_relative = TOL);
    assert_abs_diff_eq!(elementary::cos_derivative(0.0), 0.0);
    assert_relative_eq!(
        elementary::exp_derivative(1.0),
        1.0_f64.exp(),
        max_relative = TOL
    );
    assert_relative_eq!(
        elementary::identity_derivative(5.0),
        1.0,
        max_relative = TOL
    );
}

#[test]
fn derivatives_from_output_golden_values() {
    // Rounding only: a handful of correctly rounded operations from exact.
    const TOL: f64 = 1e-15;
    use elementary::{sigmoid_derivative_from_output, tanh_derivative_from_output};
    // At x = 0: a = tanh 0 = 0 gives 1 - 0 = 1; a = sigma(0) = 1/2 gives 1/2 * 1/2 = 1/4.
    assert_relative_eq!(tanh_derivative_from_output(0.0), 1.0, max_relative = TOL);
    assert_relative_eq!(
        sigmoid_derivative_from_output(0.5),
        0.25,
        max_relative = TOL
    );
    // At x = ln 3 (see golden_values): tanh = 4/5 gives 1 - 16/25 = 9/25; sigma = 3/4 gives
    // 3/4 * 1/4 = 3/16.
    assert_relative_eq!(tanh_derivative_from_output(0.8), 0.36, max_relative = TOL);
    assert_relative_eq!(
        sigmoid_derivative_from_output(0.75),
        0.1875,
        max_relative = TOL
    );
    // The tails: tanh 20 = 1 - 2e^-40 and sigma(40) = 1 - e^-40 round to exactly 1 in f64 (the
    // float below 1 is 1 - 2^-53 = 1 - 1.1e-16), so the output forms return 0, where the x
    // forms keep full accuracy (tails_keep_relative_accuracy): why `elementary` computes its
    // derivatives from x.
    assert_abs_diff_eq!(tanh_derivative_from_output(elementary::tanh(20.0)), 0.0);
    assert_abs_diff_eq!(
        sigmoid_derivative_from_output(elementary::sigmoid(40.0)),
        0.0
    );
    // Generic over Real: through a dual number the output form's derivative is the second
    // derivative, d/dx (1 - tanh^2 x) = -2 tanh x sech^2 x and d/dx sigma (1 - sigma) =
    // sigma' (1 - 2 sigma): -2 * 4/5 * 9/25 = -0.576 and 3/16 * (1 - 3/2) = -0.09375 at ln 3.
    let ln3 = 3.0_f64.ln();
    let by_duals = [
        tanh_derivative_from_output(elementary::tanh(Dual::variable(ln3))).derivative,
        sigmoid_derivative_from_output(elementary::sigmoid(Dual::variable(ln3))).derivative,
    ];
    for (f, found, expected) in [
        (Elementary::Tanh, by_duals[0], -0.576),
        (Elementary::Sigmoid, by_duals[1], -0.093_75),
    ] {
        assert_relative_eq!(found, expected, max_relative = 8.0 * TOL);
        // And it matches nested duals of the function itself.
        let nested = second_derivative(&f, ln3).unwrap();
        assert_relative_eq!(found, nested, max_relative = AUTODIFF_ULPS * EPS);
    }
}

#[test]
fn relu_like_derivatives_at_the_kink_follow_pytorch() {
    // PyTorch: relu'(0) = 0 (threshold_backward uses x > 0) and leaky_relu'(0) = slope
    // (leaky_relu_backward uses x > 0 ? 1 : slope).
    assert_abs_diff_eq!(elementary::relu_derivative(0.0), 0.0);
    // PyTorch: relu(nan) = nan (clamp_min keeps NaN); its derivative there is 0 (nan > 0 is
    // false). relu(-0) is +0 or -0 alike for every later use, so only NaN is pinned.
    assert!(elementary::relu(f64::NAN).is_nan());
    assert!(elementary::relu(f32::NAN).is_nan());
    assert_abs_diff_eq!(elementary::relu_derivative(f64::NAN), 0.0);
    assert_relative_eq!(elementary::leaky_relu_derivative(0.0, 0.1), 0.1);
    assert_relative_eq!(
        elementary::leaky_relu(-2.0, 0.1),
        -0.2,
        max_relative = 1e-15
    );
    // Duals and the tape take the same branch at 0, so they agree with the hand derivative.
    assert_abs_diff_eq!(elementary::relu(Dual::variable(0.0)).derivative, 0.0);
    assert_relative_eq!(
        elementary::leaky_relu(Dual::variable(0.0), Dual::constant(0.1)).derivative,
        0.1
    );
}

#[test]
fn stable_at_plus_and_minus_1000() {
    // The true values: σ(1000) = 1 - e^-1000 and σ(-1000) = e^-1000, which round to 1 and 0
    // (e^-1000 is below the smallest subnormal); σ' = e^-1000 / (1 + e^-1000)^2 rounds to 0.
    // softplus(1000) = 1000 + ln(1 + e^-1000) rounds to 1000; softplus(-1000) rounds to 0.
    assert_relative_eq!(elementary::sigmoid(1000.0), 1.0);
    assert_abs_diff_eq!(elementary::sigmoid(-1000.0), 0.0);
    assert_abs_diff_eq!(elementary::sigmoid_derivative(1000.0), 0.0);
    assert_abs_diff_eq!(elementary::sigmoid_derivative(-1000.0), 0.0);
    assert_relative_eq!(elementary::tanh(1000.0), 1.0);
    assert_relative_eq!(elementary::tanh(-1000.0), -1.0);
    assert_abs_diff_eq!(elementary::tanh_derivative(1000.0), 0.0);
    assert_relative_eq!(elementary::softplus(1000.0), 1000.0);
    assert_abs_diff_eq!(elementary::softplus(-1000.0), 0.0);
    assert_relative_eq!(elementary::softplus_derivative(1000.0), 1.0);
    // The same in f32, whose exp overflows already at 89.
    assert_relative_eq!(elementary::sigmoid(1000.0_f32), 1.0);
    assert_abs_diff_eq!(elementary::sigmoid(-1000.0_f32), 0.0);
    assert_relative_eq!(elementary::softplus(1000.0_f32), 1000.0);
    assert_abs_diff_eq!(elementary::sigmoid_derivative(-1000.0_f32), 0.0);
    // Through duals and the tape, no NaN sneaks into the derivative either.
    for x in [-1000.0_f64, 1000.0] {
        let d = elementary::sigmoid(Dual::variable(x));
        let s = elementary::softplus(Dual::variable(x));
        let t = elementary::tanh(Dual::variable(x));
        for value in [
            d.value,
            d.derivative,
            s.value,
            s.derivative,
            t.value,
            t.derivative,
        ] {
            assert!(value.is_finite(), "non-finite through duals at x = {x}");
        }
        let tape = Tape::new();
        let v = tape.var(x);
        let y = elementary::sigmoid(v) + elementary::softplus(v) + elementary::tanh(v);
        assert!(
            y.backward().wrt(v).is_finite(),
            "non-finite through the tape at x = {x}"
        );
    }
}

#[test]
fn tails_keep_relative_accuracy() {
    // softplus(-40) = ln(1 + e^-40) = e^-40 - e^-80/2 + ..., i.e. e^-40 to 1 part in 1e17;
    // a naive ln(1 + e^-40) would round 1 + e^-40 to 1 and return 0.
    assert_relative_eq!(
        elementary::softplus(-40.0),
        (-40.0_f64).exp(),
        max_relative = 4.0 * EPS
    );
    // σ'(40) = e^-40 / (1 + e^-40)^2 = e^-40 to 1 part in 1e17; σ(1 - σ) would give 0 or a
    // value with no correct digits, since 1 - σ(40) cancels.
    assert_relative_eq!(
        elementary::sigmoid_derivative(40.0),
        (-40.0_f64).exp(),
        max_relative = 4.0 * EPS
    );
    // tanh'(20) = sech² 20 = 4 e^-40 / (1 + e^-40)^2 = 4 e^-40 to 1 part in 1e17.
    assert_relative_eq!(
        elementary::tanh_derivative(20.0),
        4.0 * (-40.0_f64).exp(),
        max_relative = 4.0 * EPS
    );
}

#[test]
fn elementary_enum_calls_the_functions() {
    // The enum is data for the same functions: check each variant against the free function.
    let x = 0.7;
    let cases = [
        (
            Elementary::Sigmoid,
            elementary::sigmoid(x),
            elementary::sigmoid_derivative(x),
        ),
        (
            Elementary::Tanh,
            elementary::tanh(x),
            elementary::tanh_derivative(x),
        ),
        (
            Elementary::Softplus,
            elementary::softplus(x),
            elementary::softplus_derivative(x),
        ),
        (Elementary::Sin, x.sin(), x.cos()),
        (Elementary::Cos, x.cos(), -x.sin()),
        (Elementary::Exp, x.exp(), x.exp()),
        (Elementary::Ln, x.ln(), 1.0 / x),
        (Elementary::Powf(1.5), x.powf(1.5), 1.5 * x.sqrt()),
        (Elementary::Powi(3), x.powi(3), 3.0 * x * x),
        (Elementary::Relu, x, 1.0),
        (Elementary::LeakyRelu { slope: 0.2 }, x, 1.0),
        (Elementary::Affine { a: 2.0, b: -1.0 }, 2.0 * x - 1.0, 2.0),
        (Elementary::Identity, x, 1.0),
    ];
    for (f, value, derivative) in cases {
        assert_relative_eq!(f.eval(x).unwrap(), value, max_relative = 4.0 * EPS);
        assert_relative_eq!(
            f.derivative(x).unwrap(),
            derivative,
            max_relative = 4.0 * EPS
        );
    }
    assert_eq!(Elementary::Relu.kink(), Some(0.0));
    assert_eq!(Elementary::Sigmoid.kink(), None);
    assert_eq!(Elementary::Ln.domain(), "x > 0");
    assert_eq!(Elementary::Exp.domain(), "all x");
}

#[test]
fn formulas_print_with_the_right_parentheses() {
    let inner = "3x + 1";
    assert_eq!(Elementary::Powi(2).formula(inner), "(3x + 1)^2");
    assert_eq!(Elementary::Powi(2).derivative_formula(inner), "2(3x + 1)");
    assert_eq!(Elementary::Powi(3).derivative_formula("u"), "3u^2");
    assert_eq!(Elementary::Sin.formula(inner), "sin(3x + 1)");
    assert_eq!(Elementary::Ln.derivative_formula(inner), "1/(3x + 1)");
    assert_eq!(Elementary::Affine { a: 3.0, b: 1.0 }.to_string(), "3x + 1");
    assert_eq!(Elementary::Affine { a: 1.0, b: -2.0 }.to_string(), "x - 2");
    assert_eq!(Elementary::Affine { a: -1.0, b: 0.0 }.to_string(), "-x");
    assert_eq!(Elementary::Tanh.derivative_formula("u"), "1 - tanh(u)^2");
}

#[test]
fn generic_functions_run_on_every_real() {
    // One generic call site, four number types, the same value to the precision of each.
    fn f<T: Real>(x: T) -> T {
        elementary::sigmoid(x) * elementary::tanh(x)
    }
    let x = 0.3;
    let expected = elementary::sigmoid(x) * x.tanh();
    assert_relative_eq!(f(x), expected, max_relative = 4.0 * EPS);
    assert_relative_eq!(
        f64::from(f(0.3_f32)),
        expected,
        max_relative = 4.0 * f64::from(f32::EPSILON)
    );
    assert_relative_eq!(
        f(Dual::variable(x)).value,
        expected,
        max_relative = 4.0 * EPS
    );
    let tape = Tape::new();
    assert_relative_eq!(f(tape.var(x)).value(), expected, max_relative = 4.0 * EPS);
}
