//! `mlp` against the other implementations of the workspace: the `perceptron` crate's
//! neuron, and itself in the other float type; plus a hand-computed network and the
//! initialisation's statistics.

use approx::assert_relative_eq;
use mlp::{Activation, Init, Loss, Mlp, Targets};
use perceptron::Neuron;

/// Tolerance of `a_one_unit_network_by_hand`, relative: 5 `f64::EPSILON` (1.1e-15).
///
/// Counted in `eps = f64::EPSILON`: a correctly rounded operation errs by at most `eps / 2`
/// relative, glibc's `tanh` by at most 2 ulps and its `exp` by 1 ulp, an ulp being at most
/// `eps` relative (0.54 `eps` at 0.46, whose ulp is 2^-54).
/// - `a1`: the network calls the same `f64::tanh` on `z1 = 0.5 * 1 + 0 = 0.5` (exact), so its
///   activation is the test's `a1` to the bit; the literal is `tanh(1/2)` correctly rounded
///   (checked to 50 digits), so `a1` is within 2.5 ulps of it, 1.4 `eps`.
/// - `a2 = 2 a1 + 1`, the loss `a2^2 / 2` and the entries `a2 a1` and `a2`: one rounding of
///   the same exact value on both sides (doubling, halving, `/1` and the zero penalty are
///   exact), so equal to the bit, or within `eps / 2` if a sum is split differently.
/// - `delta1` (the gradients of `w1` and `b1`, and `deltas(0)`), the worst: the network
///   multiplies `w2 delta2 = 2 a2` (exact) by `tanh'(z1) = 4e / (1 + e)^2` with `e = exp(-1)`
///   (as `chain_rule::elementary::tanh_derivative` computes it): `exp`'s ulp weighted by the
///   formula's sensitivity to `e`, `(1 - e) / (1 + e) = 0.46`, then `1 + e` (0.5) doubled by the
///   square (1), the square (0.5), the division (0.5) and the product (0.5): 2.96 `eps`. The
///   test's `2 a2 (1 - a1^2)`: `a1`'s 2 ulps (1.08) doubled in `a1^2` plus its rounding (2.66
///   on 0.21), scaled by `a1^2 / (1 - a1^2) = 0.27` in the subtraction (0.72) plus its rounding
///   (0.5) and the product's (0.5): 1.72 `eps`. Together 4.7 `eps`, so 5 (measured: 0.66, one
///   ulp). A wrong formula (a missing factor, `1 - a` for `1 - a^2`) is off by whole percent.
const BY_HAND_TOL: f64 = 5.0 * f64::EPSILON;

/// One sigmoid layer with 4 inputs and half squared error is the perceptron of chapter 3:
/// the same parameters (`[w_0..w_3, b]`, the same flat layout) must give the same loss and
/// gradient on Iris setosa versus versicolor (100 samples, raw centimetres), for both losses
/// the two crates share.
///
/// The two compute the same sums of 100 per-sample terms in different orders (the perceptron
/// sample by sample, then divides by m; `mlp` scales each delta by 1/B, then one matrix
/// product) and the sigmoid's derivative by two exact formulas (`y_hat (1 - y_hat)` and
/// `e / (1 + e)^2`), each rounded within a couple of ulps. A sum of m = 100 terms reordered
/// differs by at most about m ulps of the largest partial sum, so 1e-13 relative (about 450
/// ulps), with the same absolute floor for entries near 0, bounds the difference; a missing
/// factor or a transposition is off by orders of magnitude more.
#[test]
fn one_sigmoid_layer_gives_the_perceptrons_gradients() {
    const PERCEPTRON_TOL: f64 = 1e-13;
    let data = perceptron::data::iris().only_classes(&[0, 1]).unwrap();
    let targets: Vec<f64> = data.labels().iter().map(|&l| l as f64).collect();
    for (mlp_loss, perceptron_loss) in [
        (Loss::Mse, perceptron::Loss::HalfSquaredError),
        (Loss::BinaryCrossEntropy, perceptron::Loss::CrossEntropy),
    ] {
        for seed in 0..5 {
            let mut net: Mlp<f64> = Mlp::<f64>::builder(4)
                .output(1, Activation::Sigmoid)
                .loss(mlp_loss)
                .seed(seed)
                .build()
                .unwrap();
            // A non-zero bias so that its gradient is exercised at a generic point.
            let bias = net.layers()[0].biases_range().start;
            net.params_mut()[bias] = 0.3 - 0.1 * seed as f64;
            let neuron = Neuron::from_params(net.params().to_vec()).unwrap();
            let expected = neuron
                .gradient(data.features(), &targets, perceptron_loss)
                .unwrap();
            let mut ws = net.workspace(data.n_samples()).unwrap();
            let mut grad = vec![0.0; net.n_params()];
            let loss = net
                .loss_and_gradient(
                    &mut ws,
                    data.features(),
                    Targets::Dense(&targets),
                    &mut grad,
                )
                .unwrap();
            assert_relative_eq!(
                loss,
                expected.loss(),
                epsilon = PERCEPTRON_TOL,
                max_relative = PERCEPTRON_TOL
            );
            for (g, e) in grad.iter().zip(expected.as_slice()) {
                assert_relative_eq!(
                    *g,
                    *e,
                    epsilon = PERCEPTRON_TOL,
                    max_relative = PERCEPTRON_TOL
                );
            }
        }
    }
}

/// The same network in f32 and f64 (the f32 weights are the f64 ones rounded, same seed):
/// loss and gradient agree to f32 precision.
///
/// Each f32 value carries a relative rounding error of about `f32::EPSILON` = 1.2e-7 per
/// operation; a gradient entry is a sum over a batch of 32 of products through 2 layers of
/// fan-in 64 and 32 and tanh's 4-ulp approximation, so its error is bounded by a few hundred
/// ulps of the largest magnitude in the gradient (the terms cancel, so the scale is the
/// gradient's largest entry, not each entry's own). 1e-4 of the largest entry is about 800
/// f32 ulps, a bound that errors in a real backward pass (wrong by factors) cannot meet.
#[test]
fn f32_and_f64_networks_agree_to_f32_precision() {
    const F32_TOL: f64 = 1e-4;
    for (hidden, output, loss) in [
        (
            Activation::Tanh,
            Activation::Softmax,
            Loss::SoftmaxCrossEntropy,
        ),
        (
            Activation::Sigmoid,
            Activation::Sigmoid,
            Loss::BinaryCrossEntropy,
        ),
        (Activation::Relu, Activation::Identity, Loss::Mse),
    ] {
        let builder = Mlp::<f64>::builder(64)
            .hidden(32, hidden)
            .hidden(16, hidden)
            .output(10, output)
            .loss(loss)
            .seed(5);
        let net64: Mlp<f64> = builder.build().unwrap();
        let net32: Mlp<f32> = builder.build().unwrap();
        for (p32, p64) in net32.params().iter().zip(net64.params()) {
            assert_eq!(
                p32.to_bits(),
                <f32 as mlp::Scalar>::cast(*p64).to_bits(),
                "f32 init is the f64 one rounded"
            );
        }
        let x64: Vec<f64> = (0..64 * 32).map(|i| (f64::from(i) * 0.61).sin()).collect();
        let x32: Vec<f32> = x64.iter().map(|&x| <f32 as mlp::Scalar>::cast(x)).collect();
        let labels: Vec<usize> = (0..32).map(|i| (i * 7) % 10).collect();
        let y64: Vec<f64> = (0..10 * 32).map(|i| f64::from(i % 10 == 3)).collect();
        let y32: Vec<f32> = y64.iter().map(|&y| <f32 as mlp::Scalar>::cast(y)).collect();
        let (t64, t32) = if loss == Loss::SoftmaxCrossEntropy {
            (Targets::Labels(&labels), Targets::Labels(&labels))
        } else {
            (Targets::Dense(&y64[..]), Targets::Dense(&y32[..]))
        };
        let mut g64 = vec![0.0; net64.n_params()];
        let mut g32 = vec![0.0_f32; net32.n_params()];
        let l64 = net64
            .loss_and_gradient(&mut net64.workspace(32).unwrap(), &x64, t64, &mut g64)
            .unwrap();
        let l32 = net32
            .loss_and_gradient(&mut net32.workspace(32).unwrap(), &x32, t32, &mut g32)
            .unwrap();
        assert_relative_eq!(f64::from(l32), l64, max_relative = F32_TOL);
        let scale = g64.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
        for (i, (&a, &b)) in g32.iter().zip(&g64).enumerate() {
            assert!(
                (f64::from(a) - b).abs() <= F32_TOL * scale,
                "{loss:?}: parameter {i}: f32 {a}, f64 {b}, scale {scale}"
            );
        }
    }
}

/// An f32 network whose last hidden layer is wide enough (256) to be stored feature-major
/// (see `Workspace`) gives the f64 network's loss, gradient, activations and deltas, which
/// are all stored sample-major, to f32 precision, on a batch smaller than the workspace.
#[test]
fn a_feature_major_layer_gives_the_sample_major_results() {
    f32_layouts_give_the_f64_results(&[9, 256], 3);
}

/// An f32 network whose first layer is wide (256) and sample-major copies its $\delta$
/// feature-major for its weight gradient (see `Workspace`); the gradient is still the f64
/// network's, which copies nothing, to f32 precision, on a batch smaller than the workspace.
#[test]
fn a_transposed_first_delta_gives_the_same_weight_gradient() {
    f32_layouts_give_the_f64_results(&[256, 9], 3);
}

/// A feature-major first layer, which reads the sample-major inputs and has no $\delta$
/// below it (`[256]`); and a copied $\delta$ under a feature-major layer, both of widths
/// (300, 270) that are not multiples of the 16 rows of the tiled copy and of the bias
/// gradient's blocks, so partial blocks are summed and copied too.
#[test]
fn feature_major_and_copied_layers_of_any_width_give_the_sample_major_results() {
    f32_layouts_give_the_f64_results(&[256], 3);
    f32_layouts_give_the_f64_results(&[300, 270], 3);
}

/// A wide output layer (260) stays sample-major, because the loss reads it sample by sample,
/// and copies its $\delta$ for its weight gradient like any other wide sample-major layer.
#[test]
fn a_wide_output_layer_stays_sample_major() {
    f32_layouts_give_the_f64_results(&[9], 260);
}

/// Builds `n_inputs`-`hidden`-`n_outputs` tanh networks in f32 and f64 with the same
/// non-zero biases (the initial biases are 0, which would hide a bias added to the wrong
/// entries), checks that each layer is stored as `Workspace` documents (so the layout a test
/// names is the layout it runs), and compares one batch's loss, gradient, activations and
/// deltas, at a batch within one 16-sample tile of the copy and at one past it, each smaller
/// than its workspace.
///
/// The tolerance is the one of `f32_and_f64_networks_agree_to_f32_precision`, relative to
/// the largest entry: each entry is a sum of at most 300 terms (the widest fan-in, or the
/// batch), which f32 computes within `300 u` (`u = 2^-24`, so 1.8e-5) of the sum of the
/// terms' magnitudes, inside `F32_TOL` of the largest entry while those magnitudes add up to
/// less than 5 times it (the rounding errors have random signs, so their sum is typically
/// `sqrt(300)` times smaller still; measured: at most 1.2e-6 of it); a layout mix-up (a
/// transposed or shifted matrix, a bias on the wrong rows, a partial block left out) is
/// wrong by whole entries.
fn f32_layouts_give_the_f64_results(hidden: &[usize], n_outputs: usize) {
    const F32_TOL: f64 = 1e-4;
    let n_inputs = 12;
    let mut builder = Mlp::<f64>::builder(n_inputs);
    for &width in hidden {
        builder = builder.hidden(width, Activation::Tanh);
    }
    let builder = builder
        .output(n_outputs, Activation::Softmax)
        .loss(Loss::SoftmaxCrossEntropy)
        .seed(8);
    let mut net64: Mlp<f64> = builder.build().unwrap();
    let mut net32: Mlp<f32> = builder.build().unwrap();
    for layer in net64.layers().to_vec() {
        for i in layer.biases_range() {
            let bias = 0.2 * (i as f64).sin();
            net64.params_mut()[i] = bias;
            net32.params_mut()[i] = <f32 as mlp::Scalar>::cast(bias);
        }
    }
    for (batch, capacity) in [(7, 9), (20, 23)] {
        let what = format!("{hidden:?}-{n_outputs}, batch {batch}");
        let x64: Vec<f64> = (0..n_inputs * batch)
            .map(|i| (i as f64 * 0.37).cos())
            .collect();
        let x32: Vec<f32> = x64.iter().map(|&x| <f32 as mlp::Scalar>::cast(x)).collect();
        let labels: Vec<usize> = (0..batch).map(|i| (i * 7) % n_outputs).collect();
        let (mut ws64, mut ws32) = (
            net64.workspace(capacity).unwrap(),
            net32.workspace(capacity).unwrap(),
        );
        let mut g64 = vec![0.0; net64.n_params()];
        let mut g32 = vec![0.0_f32; net32.n_params()];
        let l64 = net64
            .loss_and_gradient(&mut ws64, &x64, Targets::Labels(&labels), &mut g64)
            .unwrap();
        let l32 = net32
            .loss_and_gradient(&mut ws32, &x32, Targets::Labels(&labels), &mut g32)
            .unwrap();
        // The documented layouts: in f32 the last hidden layer is feature-major (row
        // stride `batch`) when at least 256 wide; every other layer is sample-major (column
        // stride its width) and copies its delta when at least 256 wide.
        let n_layers = hidden.len() + 1;
        for layer in 0..n_layers {
            let width = ws64.deltas(layer).nrows();
            let feature_major = layer + 2 == n_layers && width >= 256;
            let (fm, sm) = ((batch, 1), (1, width));
            let expected32 = if feature_major { fm } else { sm };
            for (strides, expected) in [
                (ws32.pre_activations(layer).strides(), expected32),
                (ws32.deltas(layer).strides(), expected32),
                (ws64.pre_activations(layer).strides(), sm),
                (ws64.deltas(layer).strides(), sm),
            ] {
                assert_eq!(strides, expected, "{what}: layer {layer}'s layout");
            }
            assert_eq!(
                ws32.copies_delta(layer),
                !feature_major && width >= 256,
                "{what}: layer {layer} in f32"
            );
            assert_eq!(
                ws64.copies_delta(layer),
                width >= 256,
                "{what}: layer {layer}"
            );
        }
        assert_relative_eq!(f64::from(l32), l64, max_relative = F32_TOL);
        let close = |quantity: &str, a32: &[f32], a64: &[f64]| {
            assert_eq!(a32.len(), a64.len(), "{what}, {quantity}: lengths");
            let scale = a64.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            for (i, (&a, &b)) in a32.iter().zip(a64).enumerate() {
                assert!(
                    (f64::from(a) - b).abs() <= F32_TOL * scale,
                    "{what}, {quantity}: entry {i}: f32 {a}, f64 {b}, scale {scale}"
                );
            }
        };
        close("gradient", &g32, &g64);
        for layer in 0..n_layers {
            assert_eq!(
                ws32.activations(layer).shape(),
                ws64.activations(layer).shape()
            );
            for (quantity, v32, v64) in [
                (
                    "z",
                    ws32.pre_activations(layer),
                    ws64.pre_activations(layer),
                ),
                ("a", ws32.activations(layer), ws64.activations(layer)),
                ("delta", ws32.deltas(layer), ws64.deltas(layer)),
            ] {
                // Copied into column-major matrices, whatever the workspace's layout.
                let (v32, v64) = (v32.into_owned(), v64.into_owned());
                close(
                    &format!("layer {layer} {quantity}"),
                    v32.as_slice(),
                    v64.as_slice(),
                );
            }
        }
    }
}

/// A 1-1-1 network by hand: tanh hidden unit, identity output, half squared error, one
/// sample x = 1, target y = 0, with w1 = 0.5, b1 = 0, w2 = 2, b2 = 1.
///
/// Forward: z1 = 0.5, a1 = tanh(0.5) = 0.46211715726000974, z2 = a2 = 2 a1 + 1
/// = 1.9242343145200195, L = a2^2 / 2 = 1.8513389...
/// Backward: delta2 = a2 - y = a2; dL/dw2 = delta2 a1 = 0.8892..., dL/db2 = delta2;
/// delta1 = w2 delta2 (1 - a1^2) = 2 a2 (1 - a1^2); dL/dw1 = delta1 x, dL/db1 = delta1.
/// The numbers are evaluated from these formulas with `f64::tanh` (an oracle independent of
/// the network code); the tolerance is derived at `BY_HAND_TOL`.
#[test]
fn a_one_unit_network_by_hand() {
    let mut net: Mlp<f64> = Mlp::<f64>::builder(1)
        .hidden(1, Activation::Tanh)
        .output(1, Activation::Identity)
        .loss(Loss::Mse)
        .build()
        .unwrap();
    net.set_params(&[0.5, 0.0, 2.0, 1.0]).unwrap();
    let a1 = 0.5_f64.tanh();
    let a2 = 2.0 * a1 + 1.0;
    let delta1 = 2.0 * a2 * (1.0 - a1 * a1);
    let mut ws = net.workspace(1).unwrap();
    let mut grad = [0.0; 4];
    let loss = net
        .loss_and_gradient(&mut ws, &[1.0], Targets::Dense(&[0.0]), &mut grad)
        .unwrap();
    assert_relative_eq!(a1, 0.462_117_157_260_009_74, max_relative = BY_HAND_TOL);
    assert_relative_eq!(loss, 0.5 * a2 * a2, max_relative = BY_HAND_TOL);
    assert_relative_eq!(
        &grad[..],
        &[delta1, delta1, a2 * a1, a2][..],
        max_relative = BY_HAND_TOL
    );
    assert_relative_eq!(ws.activations(0)[(0, 0)], a1, max_relative = BY_HAND_TOL);
    assert_relative_eq!(ws.deltas(0)[(0, 0)], delta1, max_relative = BY_HAND_TOL);
}

/// Every initialisation draws weights with the variance its formula states and zero biases;
/// the same seed gives the same network, bit for bit.
///
/// With n = 256 * 300 = 76 800 draws, the sample variance of a distribution with finite
/// fourth moment has a relative standard error of about sqrt(2 / n) = 0.5 % (normal) or
/// less (uniform); 3 % is six standard errors.
#[test]
fn initialisations_have_their_stated_variance() {
    for init in [
        Init::GlorotUniform,
        Init::GlorotNormal,
        Init::HeUniform,
        Init::HeNormal,
        Init::LeCunUniform,
        Init::LeCunNormal,
    ] {
        let builder = Mlp::<f64>::builder(256)
            .output(300, Activation::Identity)
            .init(init)
            .seed(9);
        let net: Mlp<f64> = builder.build().unwrap();
        assert_eq!(
            net,
            builder.build::<f64>().unwrap(),
            "{init:?}: same seed, same network"
        );
        let w = &net.params()[net.layers()[0].weights_range()];
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let variance = w.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / w.len() as f64;
        let expected = init.std_dev(256, 300).powi(2);
        assert_relative_eq!(variance, expected, max_relative = 0.03);
        assert!(
            net.params()[net.layers()[0].biases_range()]
                .iter()
                .all(|&b| b == 0.0)
        );
    }
    // A different seed gives different weights.
    let a: Mlp<f64> = Mlp::<f64>::builder(3)
        .output(2, Activation::Identity)
        .seed(1)
        .build()
        .unwrap();
    let b: Mlp<f64> = Mlp::<f64>::builder(3)
        .output(2, Activation::Identity)
        .seed(2)
        .build()
        .unwrap();
    assert_ne!(a, b);
}

/// The textbook formulas, with $n_{\text{in}} = 256$ and $n_{\text{out}} = 300$ (so that a
/// fan-in and a fan sum differ): Glorot $\operatorname{Var}(w) = 2/556$, He $2/256$, `LeCun`
/// $1/256$ (Glorot 2010, He 2015, `LeCun` 1998). The uniform ones draw on $(-l, l)$ with
/// $l = \sqrt{3}\,s$, so every weight is below $l$ and, among 76 800 draws, the largest is
/// above $0.999\,l$ (each draw misses the two bands $0.999\,l < |w| < l$ with probability
/// 0.999, all of them with probability $0.999^{76\,800} \approx e^{-76.8}$). And the builder
/// picks He normal for a `ReLU` layer and Glorot uniform for a tanh layer when it is not told.
#[test]
fn initialisations_follow_the_textbook_formulas_and_the_builder_recommends_by_activation() {
    let (n_in, n_out) = (256, 300);
    let fan_sum = (n_in + n_out) as f64;
    let fan_in = n_in as f64;
    for (init, variance) in [
        (Init::GlorotUniform, 2.0 / fan_sum),
        (Init::GlorotNormal, 2.0 / fan_sum),
        (Init::HeUniform, 2.0 / fan_in),
        (Init::HeNormal, 2.0 / fan_in),
        (Init::LeCunUniform, 1.0 / fan_in),
        (Init::LeCunNormal, 1.0 / fan_in),
    ] {
        // Both sides are one square root of a correctly rounded quotient.
        assert_relative_eq!(
            init.std_dev(n_in, n_out),
            variance.sqrt(),
            max_relative = 1e-15
        );
    }
    // The fans are summed in f64: usize::MAX + usize::MAX overflowed (a panic in debug).
    assert_relative_eq!(
        Init::GlorotNormal.std_dev(usize::MAX, usize::MAX),
        2.0_f64.powi(-32),
        max_relative = 1e-15
    );
    let no_fan = Init::HeNormal.std_dev(0, 5);
    assert!(no_fan.is_infinite() && no_fan > 0.0, "{no_fan}");
    for init in [Init::GlorotUniform, Init::HeUniform, Init::LeCunUniform] {
        let net: Mlp<f64> = Mlp::<f64>::builder(n_in)
            .output(n_out, Activation::Identity)
            .init(init)
            .seed(3)
            .build()
            .unwrap();
        let limit = 3.0_f64.sqrt() * init.std_dev(n_in, n_out);
        let largest = net.params()[net.layers()[0].weights_range()]
            .iter()
            .fold(0.0_f64, |m, w| m.max(w.abs()));
        assert!(
            largest < limit && largest > 0.999 * limit,
            "{init:?}: largest |w| {largest}, limit {limit}"
        );
    }
    assert_eq!(Init::recommended(Activation::Relu), Init::HeNormal);
    assert_eq!(
        Init::recommended(Activation::LeakyRelu { slope: 0.01 }),
        Init::HeNormal
    );
    for activation in [Activation::Tanh, Activation::Sigmoid, Activation::Identity] {
        assert_eq!(
            Init::recommended(activation),
            Init::GlorotUniform,
            "{activation:?}"
        );
    }
    // Unless told otherwise, each layer gets its activation's recommendation.
    let layers = |relu_init: Option<Init>, tanh_init: Option<Init>| -> Vec<f64> {
        let build = |hidden: Activation, init: Option<Init>| -> Vec<f64> {
            let mut builder = Mlp::<f64>::builder(5)
                .hidden(7, hidden)
                .output(2, Activation::Identity)
                .seed(4);
            if let Some(init) = init {
                builder = builder.init(init);
            }
            let net: Mlp<f64> = builder.build().unwrap();
            net.params()[net.layers()[0].weights_range()].to_vec()
        };
        [
            build(Activation::Relu, relu_init),
            build(Activation::Tanh, tanh_init),
        ]
        .concat()
    };
    let by_default = layers(None, None);
    assert_eq!(
        by_default,
        layers(Some(Init::HeNormal), Some(Init::GlorotUniform))
    );
    assert_ne!(
        by_default,
        layers(Some(Init::GlorotUniform), Some(Init::HeNormal))
    );
}

/// The builder draws every layer from one `ChaCha8` generator seeded once, in layer order,
/// each layer with its own activation's recommended initialisation (`Tanh`: Glorot uniform;
/// `Relu`: He normal), as `MlpBuilder::seed` documents: replaying that stream with
/// `Init::fill` gives the network's weights to the bit. A generator reseeded for each layer
/// (so that layers repeat each other's draws), or every layer initialised for the first
/// layer's activation, gives other weights; the biases start at 0.
#[test]
fn the_builder_draws_each_layer_from_one_stream_with_its_own_initialisation() {
    use rand::SeedableRng;
    let net: Mlp<f64> = Mlp::<f64>::builder(5)
        .hidden(7, Activation::Tanh)
        .hidden(7, Activation::Relu)
        .output(3, Activation::Identity)
        .seed(11)
        .build()
        .unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    for (layer, init) in
        net.layers()
            .iter()
            .zip([Init::GlorotUniform, Init::HeNormal, Init::GlorotUniform])
    {
        let mut expected = vec![0.0; layer.n_outputs() * layer.n_inputs()];
        init.fill(layer.n_inputs(), layer.n_outputs(), &mut rng, &mut expected);
        let weights = &net.params()[layer.weights_range()];
        assert_eq!(weights, &expected[..], "{init:?} layer");
        assert!(net.params()[layer.biases_range()].iter().all(|&b| b == 0.0));
    }
}

/// A batch smaller than the previous one, through the same workspace, gives exactly what a
/// fresh workspace gives: the passes read only the first `batch` samples of each buffer,
/// never what the larger batch left behind it. A fresh workspace holds zeros there, so a
/// pass that summed the stale samples (a bias gradient over the whole buffer) would agree
/// with every test that builds a workspace per batch. In both types, for narrow sample-major
/// layers and for a copied $\delta$ under a feature-major layer (`f32`), with their biases
/// made non-zero.
///
/// To the bit: the two runs multiply the same parameters with the same inputs in matrices of
/// the same shapes and strides, so they run the same operations in the same order (as in
/// `gradcheck`'s comparison of `loss_and_gradient` with `loss`); a stale sample adds a whole
/// term.
#[test]
fn a_smaller_batch_reads_nothing_the_last_larger_one_left() {
    smaller_batch_after_a_larger_one::<f32>();
    smaller_batch_after_a_larger_one::<f64>();
}

fn smaller_batch_after_a_larger_one<T: mlp::Scalar>() {
    let (n_inputs, large, small) = (12, 23, 7);
    for hidden in [&[9, 5][..], &[300, 270][..]] {
        let mut builder = Mlp::<f64>::builder(n_inputs);
        for &width in hidden {
            builder = builder.hidden(width, Activation::Tanh);
        }
        let mut net: Mlp<T> = builder
            .output(3, Activation::Softmax)
            .loss(Loss::SoftmaxCrossEntropy)
            .seed(12)
            .build()
            .unwrap();
        for layer in net.layers().to_vec() {
            for i in layer.biases_range() {
                net.params_mut()[i] = T::cast(0.2 * (i as f64).cos());
            }
        }
        let x: Vec<T> = (0..n_inputs * large)
            .map(|i| T::cast((i as f64 * 0.29).sin()))
            .collect();
        let labels: Vec<usize> = (0..large).map(|i| (i * 5) % 3).collect();
        // The small batch: the large one's last samples, so its inputs differ from what the
        // large batch left in the first columns too.
        let (x_small, labels_small) = (&x[(large - small) * n_inputs..], &labels[large - small..]);
        let run = |ws: &mut mlp::Workspace<T>| {
            let mut grad = vec![T::cast(0.0); net.n_params()];
            let loss = net
                .loss_and_gradient(ws, x_small, Targets::Labels(labels_small), &mut grad)
                .unwrap();
            (loss, grad)
        };
        let mut reused = net.workspace(large).unwrap();
        let mut grad = vec![T::cast(0.0); net.n_params()];
        net.loss_and_gradient(&mut reused, &x, Targets::Labels(&labels), &mut grad)
            .unwrap();
        let mut fresh = net.workspace(large).unwrap();
        let ((loss_reused, grad_reused), (loss_fresh, grad_fresh)) =
            (run(&mut reused), run(&mut fresh));
        let what = format!("{hidden:?} in {}", T::NAME);
        let bits = |v: &[T]| v.iter().map(|x| x.widen().to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&[loss_reused]), bits(&[loss_fresh]), "{what}: loss");
        for layer in net.layers().iter().map(mlp::Layer::params_range) {
            assert_eq!(
                bits(&grad_reused[layer.clone()]),
                bits(&grad_fresh[layer.clone()]),
                "{what}: gradient entries {layer:?}"
            );
        }
        for layer in 0..=hidden.len() {
            for (quantity, r, f) in [
                (
                    "z",
                    reused.pre_activations(layer),
                    fresh.pre_activations(layer),
                ),
                ("a", reused.activations(layer), fresh.activations(layer)),
                ("delta", reused.deltas(layer), fresh.deltas(layer)),
            ] {
                let (r, f) = (r.into_owned(), f.into_owned());
                assert_eq!(
                    bits(r.as_slice()),
                    bits(f.as_slice()),
                    "{what}: layer {layer} {quantity}"
                );
            }
        }
    }
}
