//! The batched activation kernels against `chain_rule`'s scalar functions, element by element.
//!
//! The kernels write no formula of their own: each must equal, to the bit, the `chain_rule`
//! function it calls. For `f64` those are `chain_rule::elementary`'s functions and derivatives
//! of z; for `f32` tanh and the sigmoid they are `chain_rule::fast`'s vectorisable forms and
//! the derivatives from the stored output. How far the `f32` forms may stray from the true
//! functions is `chain-rule`'s to test (its `tests/it/fast.rs`).

use chain_rule::elementary;
use chain_rule::fast;
use mlp::Activation;

/// The softmax of three logits against a hand-computed one: each side takes an exponential
/// (within an ulp), a sum of three (two roundings) and a division (one), so each is within
/// about 4 eps of the exact value and the two differ by at most 8 eps (the shift by the
/// largest logit is exact here).
const SOFTMAX_TOL: f64 = 8.0 * f64::EPSILON;

/// Every activation, softmax last.
const EVERY_ACTIVATION: [Activation; 7] = [
    Activation::Identity,
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu { slope: 0.01 },
    Activation::Softplus,
    Activation::Softmax,
];

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

/// For f32 tanh and the sigmoid the batched kernels are `chain_rule::fast`'s functions, and
/// the backward kernels multiply delta by `chain_rule`'s derivative of the stored output: equal
/// to the last bit. Delta is not 1 here, so that the multiplication is checked too.
#[test]
fn f32_tanh_and_sigmoid_kernels_are_chain_rule_functions_exactly() {
    type Forms = (fn(f32) -> f32, fn(f32) -> f32);
    let cases: [(Activation, Forms); 2] = [
        (
            Activation::Tanh,
            (fast::tanh_f32, elementary::tanh_derivative_from_output),
        ),
        (
            Activation::Sigmoid,
            (
                fast::sigmoid_f32,
                elementary::sigmoid_derivative_from_output,
            ),
        ),
    ];
    let xs = grid();
    let delta_in: Vec<f32> = (0..xs.len()).map(|i| 0.5 + (i % 7) as f32 / 8.0).collect();
    for (activation, (function, derivative_from_output)) in cases {
        let mut a = vec![0.0; xs.len()];
        activation.forward(1, &xs, &mut a);
        let mut delta = delta_in.clone();
        activation.backward(&xs, &a, &mut delta);
        for (((&x, &a), &d), &d_in) in xs.iter().zip(&a).zip(&delta).zip(&delta_in) {
            let name = activation.name();
            assert_eq!(a.to_bits(), function(x).to_bits(), "{name}({x})");
            let expected = d_in * derivative_from_output(function(x));
            assert_eq!(d.to_bits(), expected.to_bits(), "{name}'({x})");
        }
    }
}

/// For f64, and in f32 for every activation but tanh and the sigmoid, the kernels are
/// `chain_rule`'s functions of z: equal to the last bit. Delta is 0.75 (exact in both types)
/// rather than 1, so that the backward kernel's multiplication is checked too.
fn kernels_are_chain_rule_functions_of_z<T: mlp::Scalar>(activations: &[Activation]) {
    let xs: Vec<T> = grid().into_iter().map(|x| T::cast(f64::from(x))).collect();
    let d_in = T::cast(0.75);
    // Widening to f64 is exact, so equal bits there are equal bits in T.
    let bits = |v: T| v.widen().to_bits();
    for &activation in activations {
        let name = activation.name();
        let mut a = vec![T::cast(0.0); xs.len()];
        activation.forward(1, &xs, &mut a);
        let mut delta = vec![d_in; xs.len()];
        activation.backward(&xs, &a, &mut delta);
        for ((&x, &a), &d) in xs.iter().zip(&a).zip(&delta) {
            assert_eq!(bits(a), bits(activation.apply(x)), "{name}({x})");
            let expected = d_in * activation.derivative(x);
            assert_eq!(bits(d), bits(expected), "{name}'({x})");
        }
    }
}

#[test]
fn f64_kernels_are_chain_rule_functions_exactly() {
    kernels_are_chain_rule_functions_of_z::<f64>(&[
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.01 },
        Activation::Softplus,
    ]);
}

#[test]
fn f32_kernels_of_the_other_activations_are_chain_rule_functions_exactly() {
    kernels_are_chain_rule_functions_of_z::<f32>(&[
        Activation::Identity,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.01 },
        Activation::Softplus,
    ]);
}

/// A diverged value must stay visible: NaN in, NaN out, for every activation and both types
/// (as in `PyTorch`, where `relu(nan)` is NaN too).
#[test]
fn nan_propagates_through_every_kernel() {
    for activation in EVERY_ACTIVATION {
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
        approx::assert_relative_eq!(a[k], expected[k], max_relative = SOFTMAX_TOL);
        approx::assert_relative_eq!(a[3 + k], expected[k], max_relative = SOFTMAX_TOL);
    }
}

/// On a tie the predicted class is the first of the largest outputs (as `argmax` in `NumPy`
/// and `PyTorch`), and one output of exactly 1/2 is class 0 (the rule is `output > 1/2`).
///
/// With every weight 0 the outputs are those of the biases alone, whatever the inputs. A
/// softmax of biases (0, 1, 1) gives `1 / s, e / s, e / s`: the last two are the same
/// operations on the same numbers, equal to the bit, so the first largest is class 1; biases
/// (0, 0, 0) give three equal outputs, class 0. A sigmoid output with bias 0 is
/// `sigmoid(0)`, exactly 1/2 in both types (`1 / (1 + e^0)` in `f64`; in `f32`
/// `1/2 + tanh_f32(0) / 2`, where `tanh_f32` returns a tiny argument itself, 0).
#[test]
fn ties_predict_the_first_class() {
    ties_predict_the_first_class_in::<f32>();
    ties_predict_the_first_class_in::<f64>();
}

fn ties_predict_the_first_class_in<T: mlp::Scalar>() {
    let inputs: Vec<T> = [0.3, -1.0, 2.0, 0.5].map(T::cast).to_vec();
    for (biases, class) in [([0.0, 1.0, 1.0], 1), ([0.0; 3], 0)] {
        let mut net: mlp::Mlp<T> = mlp::Mlp::<f64>::builder(2)
            .output(3, Activation::Softmax)
            .loss(mlp::Loss::SoftmaxCrossEntropy)
            .build()
            .unwrap();
        let params: Vec<T> = [0.0; 6].into_iter().chain(biases).map(T::cast).collect();
        net.set_params(&params).unwrap();
        let mut ws = net.workspace(2).unwrap();
        assert_eq!(
            net.predict_labels(&mut ws, &inputs).unwrap(),
            [class, class],
            "biases {biases:?} in {}",
            T::NAME
        );
    }
    let mut net: mlp::Mlp<T> = mlp::Mlp::<f64>::builder(2)
        .output(1, Activation::Sigmoid)
        .loss(mlp::Loss::BinaryCrossEntropy)
        .build()
        .unwrap();
    net.set_params(&[T::cast(0.0); 3]).unwrap();
    let mut ws = net.workspace(2).unwrap();
    assert_eq!(
        net.predict_labels(&mut ws, &inputs).unwrap(),
        [0, 0],
        "sigmoid(0) in {}",
        T::NAME
    );
}

/// `is_elementwise` says whether a kernel reads only its own element: an elementwise
/// activation gives the same bits on a column of three as on each element alone, and softmax,
/// which normalises over the column, does not.
#[test]
fn only_softmax_reads_its_whole_column() {
    let z = [0.5_f64, -1.25, 2.0];
    for activation in EVERY_ACTIVATION {
        let mut column = [0.0; 3];
        activation.forward(3, &z, &mut column);
        let mut alone = [0.0; 3];
        activation.forward(1, &z, &mut alone);
        let same = column.map(f64::to_bits) == alone.map(f64::to_bits);
        assert_eq!(activation.is_elementwise(), same, "{}", activation.name());
    }
}
