//! The batched activation kernels against `chain_rule::elementary`, element by element.
//!
//! For `f64` the kernels call `chain_rule` directly, so they must agree exactly. For `f32`,
//! tanh and the sigmoid use a vectorisable rational approximation; these tests pin how far
//! it may stray from the true function (computed by `chain_rule` in `f64` and rounded).

use chain_rule::elementary;
use mlp::Activation;

/// Inputs: a dense grid over [-20, 20] (steps of 1/1024, exact in f32), tiny values around 0
/// where tanh x = x matters, and the far tails.
fn grid() -> Vec<f32> {
    let mut xs: Vec<f32> = (-20 * 1024..=20 * 1024)
        .map(|i| i as f32 / 1024.0)
        .collect();
    for e in 1..=40 {
        let tiny = 2.0_f32.powi(-e);
        xs.extend([tiny, -tiny, 3.0 * tiny, -3.0 * tiny]);
    }
    xs.extend([50.0, -50.0, 1e4, -1e4, f32::MAX, f32::MIN]);
    xs
}

/// Distance in units of `f32::EPSILON * max(|expected|, floor)`: relative error for values
/// of normal size, absolute error (in ulps of `floor`) near 0.
fn error_in_ulps(found: f32, expected: f64, floor: f64) -> f64 {
    (f64::from(found) - expected).abs() / (f64::from(f32::EPSILON) * expected.abs().max(floor))
}

fn forward_f32(activation: Activation, xs: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0; xs.len()];
    activation.forward(1, xs, &mut out);
    out
}

/// tanh: the rational approximation is a minimax fit whose relative error is a few units of
/// `f32::EPSILON` (Eigen documents its `float` version to a couple of ulps); 4 ulps relative
/// (with a floor of 1e-30, i.e. relative everywhere that matters) bounds the measured
/// maximum (printed on failure) with room for the rounding of the final division.
#[test]
fn f32_tanh_agrees_with_chain_rule_to_a_few_ulps() {
    const TANH_ULPS: f64 = 4.0;
    let xs = grid();
    let found = forward_f32(Activation::Tanh, &xs);
    let worst = xs
        .iter()
        .zip(&found)
        .map(|(&x, &t)| (error_in_ulps(t, elementary::tanh(f64::from(x)), 1e-30), x))
        .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
    assert!(
        worst.0 <= TANH_ULPS,
        "worst error {} ulps at x = {}",
        worst.0,
        worst.1
    );
}

/// sigmoid = 1/2 + tanh(x/2)/2: the tanh error carries over, plus one rounding of the sum.
/// Relative accuracy is lost where sigma(x) is tiny (x < -10), so the error is measured
/// absolutely there: floor 1/2, the size of the terms summed.
#[test]
fn f32_sigmoid_agrees_with_chain_rule_to_a_few_ulps_of_one_half() {
    const SIGMOID_ULPS: f64 = 4.0;
    let xs = grid();
    let found = forward_f32(Activation::Sigmoid, &xs);
    for (&x, &s) in xs.iter().zip(&found) {
        let e = error_in_ulps(s, elementary::sigmoid(f64::from(x)), 0.5);
        assert!(e <= SIGMOID_ULPS, "sigmoid({x}) = {s}: {e} ulps");
    }
}

/// The backward kernels multiply delta by sigma'(z) computed from the stored output
/// (1 - a^2 for tanh, a (1 - a) for the sigmoid): exact algebra, with the output's error of a
/// few ulps of 1 turning into an absolute error of a few ulps (the derivatives are at most
/// 1); 8 ulps of 1 leaves room for the product's rounding.
#[test]
fn f32_backward_kernels_agree_with_chain_rule_derivatives() {
    const DERIVATIVE_ULPS: f64 = 8.0;
    let xs = grid();
    for activation in [Activation::Tanh, Activation::Sigmoid] {
        let a = forward_f32(activation, &xs);
        let mut delta = vec![1.0_f32; xs.len()];
        activation.backward(&xs, &a, &mut delta);
        for (&x, &d) in xs.iter().zip(&delta) {
            let expected = activation.derivative(f64::from(x));
            let e = error_in_ulps(d, expected, 1.0);
            assert!(
                e <= DERIVATIVE_ULPS,
                "{}'({x}) = {d}, expected {expected}",
                activation.name()
            );
        }
    }
}

/// For f64 and for every other activation the kernels are `chain_rule`'s functions: equal to
/// the last bit.
#[test]
fn f64_kernels_are_chain_rule_functions_exactly() {
    let xs: Vec<f64> = grid().into_iter().map(f64::from).collect();
    for activation in [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.01 },
        Activation::Softplus,
    ] {
        let mut a = vec![0.0; xs.len()];
        activation.forward(1, &xs, &mut a);
        let mut delta = vec![1.0; xs.len()];
        activation.backward(&xs, &a, &mut delta);
        for ((&x, &a), &d) in xs.iter().zip(&a).zip(&delta) {
            assert_eq!(
                a.to_bits(),
                activation.apply(x).to_bits(),
                "{}({x})",
                activation.name()
            );
            assert_eq!(
                d.to_bits(),
                activation.derivative(x).to_bits(),
                "{}'({x})",
                activation.name()
            );
        }
    }
}

/// A diverged value must stay visible: NaN in, NaN out, for every activation and both types
/// (as in `PyTorch`, where `relu(nan)` is NaN too).
#[test]
fn nan_propagates_through_every_kernel() {
    for activation in [
        Activation::Identity,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::LeakyRelu { slope: 0.01 },
        Activation::Softplus,
        Activation::Softmax,
    ] {
        let z32 = [f32::NAN, 0.5];
        let mut a32 = [0.0_f32; 2];
        activation.forward(2, &z32, &mut a32);
        assert!(a32[0].is_nan(), "{} f32", activation.name());
        let z64 = [f64::NAN, 0.5];
        let mut a64 = [0.0_f64; 2];
        activation.forward(2, &z64, &mut a64);
        assert!(a64[0].is_nan(), "{} f64", activation.name());
    }
}

/// Softmax columns: positive, summing to 1, invariant to a shift, finite for huge logits.
#[test]
fn softmax_columns_are_stable_probabilities() {
    // Two samples of three logits: (1, 2, 3) and the same shifted by 1000.
    let z = [1.0, 2.0, 3.0, 1001.0, 1002.0, 1003.0_f64];
    let mut a = [0.0; 6];
    Activation::Softmax.forward(3, &z, &mut a);
    // softmax(1, 2, 3) = e^(k-3) / (e^-2 + e^-1 + 1).
    let s = (-2.0_f64).exp() + (-1.0_f64).exp() + 1.0;
    let expected = [(-2.0_f64).exp() / s, (-1.0_f64).exp() / s, 1.0 / s];
    for k in 0..3 {
        approx::assert_relative_eq!(a[k], expected[k], max_relative = 1e-15);
        approx::assert_relative_eq!(a[3 + k], expected[k], max_relative = 1e-15);
    }
}
