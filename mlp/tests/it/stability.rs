//! The two cross-entropies at logits far beyond where `exp` overflows (`e^x` is infinite
//! above x = 88.7 in `f32` and 709.8 in `f64`): losses and gradients stay finite and equal
//! their closed forms, computed here in `f64` by formulas that never take `exp` of a positive
//! number.
//!
//! The textbook forms fail on every batch below: `-ln sigma(z)` is `-ln 0 = inf` at
//! `z = -1e4`, and `e^z_k / sum_j e^z_j` is `inf / inf` at `z = 1e4` and `0 / 0` when every
//! logit is `-1e4`.
//!
//! The network is one layer whose weights are the identity and whose biases are 0, so its
//! logits are its inputs exactly (each logit is `1 * x_k` plus products `0 * x_j = 0`, which
//! add exactly), and the loss's gradient is read from the layer's: the bias gradient is
//! `sum_b delta_b` and the weight gradient `sum_b delta_bk x_bj`, with `delta = dL/dz`.
//!
//! Tolerances are absolute and derived from the operations the network performs, with `eps`
//! the element type's machine epsilon and a batch of `B` samples of `K` logits, `n = B K`:
//! - Loss, relative to the loss itself: both cross-entropies are computed as sums of terms
//!   that are never negative (see `mlp::loss`), so nothing cancels. A binary term
//!   `(1 - y) max(z, 0) + y max(-z, 0) + ln_1p(e^-|z|)` is within `2.5 eps` of its value
//!   (`exp` and `ln_1p` within an ulp, `eps` each, and `ln_1p` passes its argument's
//!   relative error on at most unchanged; the product and the sum half an ulp each). A
//!   softmax term `sum_k y_k (m - z_k) + (sum_k y_k) ln(1 + sum_{k != top} e^(z_k - m))` is
//!   within `(K + 5) eps`: every `z_k - m` is exact for the logits below (integers, or
//!   differences of numbers within a factor 2), each `exp` is within an ulp, `ln(1 + x)`
//!   (Kahan's method in `mlp::loss`, within `3 eps` with libm's `ln` within an ulp, its unit
//!   test's bound) passes its argument's relative error on at most unchanged, and the sums
//!   of `K` non-negative terms and the products add half an ulp per operation. Adding the
//!   batch's terms adds `eps / 2` per term and the mean's scaling one `eps`. Bound:
//!   `(n + K + 6) eps` times the loss, doubled for the oracle, which rounds as often in
//!   `f64`. An `exp` whose result is subnormal (`e^-100` in `f32`) loses relative precision;
//!   each is still within one subnormal spacing (`eps` times the smallest normal number) of
//!   its value, which adds an absolute `2 n K` spacings.
//!   The form `softplus(z) - y z` fails this: at `z = 30` with label 1 it cancels to
//!   9.4e-14, accurate only to an ulp of 30 (3.6e-15 in `f64`, 4 % of the loss).
//! - Gradient. `delta = (a - y) / B` with `a` within `4.5 eps` of the true probability
//!   (softmax: an `exp`, a reciprocal and a product, 3 eps; the `f64` sigmoid: an `exp`
//!   and a division; the `f32` sigmoid, a rational approximation through tanh, has an
//!   absolute error below 4.5 eps), plus the subtraction and the scaling: within
//!   `6 eps / B`, and `|delta| <= 1 / B`. Summing `B` of them (times `x_bj` for a weight)
//!   adds at most `B eps` times the sum of magnitudes. Bound: `(B + 8) eps w` with `w = 1`
//!   for a bias and `w = sum_b |x_bj| / B` for a weight, 2 eps of it for the oracle.

use mlp::{Activation, Mlp, Scalar, Targets};

/// Logits beyond both `exp` overflows (1e4), beyond `f32`'s (100), just inside it (80, whose
/// tail probability e^-80 = 1.8e-35 is still a normal `f32`), where `softplus(z) - z`
/// cancels (30), and ordinary ones.
const BINARY_LOGITS: [f64; 10] = [1e4, -1e4, 100.0, -100.0, 80.0, -80.0, 30.0, -30.0, 0.5, 0.0];

/// Rows of three softmax logits: one huge winner, a tie of two huge winners, differences of
/// 200 (e^200 overflows `f32`), all equal and hugely negative (`e^z` underflows to 0 for
/// every class), ordinary.
const SOFTMAX_LOGITS: [[f64; 3]; 5] = [
    [1e4, -1e4, 0.0],
    [-1e4, 1e4, 1e4],
    [100.0, -100.0, 80.0],
    [-1e4, -1e4, -1e4],
    [0.5, -0.25, 2.0],
];

/// One sample's loss and `dL/dz` (before the mean's `1/B`) from its logits and dense
/// targets.
type Oracle = fn(&[f64], &[f64]) -> (f64, Vec<f64>);

/// `ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|)`.
fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// `1 / (1 + e^-x)` for `x >= 0`, `e^x / (1 + e^x)` below.
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// One sample's binary cross-entropy and `dL/dz` (before the mean's `1/B`), each term
/// without cancellation: `softplus(z) - y z = (1 - y) softplus(z) + y softplus(-z)` and
/// `sigma(z) - y = (1 - y) sigma(z) - y sigma(-z)`.
fn binary_oracle(z: &[f64], y: &[f64]) -> (f64, Vec<f64>) {
    let loss = z
        .iter()
        .zip(y)
        .map(|(&z, &y)| (1.0 - y) * softplus(z) + y * softplus(-z))
        .sum();
    let delta = z
        .iter()
        .zip(y)
        .map(|(&z, &y)| (1.0 - y) * sigmoid(z) - y * sigmoid(-z))
        .collect();
    (loss, delta)
}

/// One sample's softmax cross-entropy and `dL/dz`: with `m` the largest logit (first one on
/// ties) and `r` the sum of `e^(z_j - m)` over the other logits (each at most 1),
/// `-ln p_k = (m - z_k) + ln(1 + r)`, the loss is `sum_k y_k (-ln p_k)` and
/// `dL/dz_k = p_k sum(y) - y_k` with `p_k = e^(z_k - m) / (1 + r)`.
fn softmax_oracle(z: &[f64], y: &[f64]) -> (f64, Vec<f64>) {
    let top = (1..z.len()).fold(0, |best, k| if z[k] > z[best] { k } else { best });
    let m = z[top];
    let rest: f64 = (0..z.len())
        .filter(|&k| k != top)
        .map(|k| (z[k] - m).exp())
        .sum();
    let log_norm = rest.ln_1p();
    let loss = z
        .iter()
        .zip(y)
        .map(|(&z, &y)| y * ((m - z) + log_norm))
        .sum();
    let y_sum: f64 = y.iter().sum();
    let delta = z
        .iter()
        .zip(y)
        .map(|(&z, &y)| (z - m).exp() / (1.0 + rest) * y_sum - y)
        .collect();
    (loss, delta)
}

/// A network with `k` inputs and one `output` layer of `k` units whose logits are its inputs.
fn logits_are_inputs<T: Scalar>(k: usize, output: Activation) -> Mlp<T> {
    let mut net = Mlp::<T>::builder(k).output(k, output).build().unwrap();
    let weights = net.layers()[0].weights_range();
    let params = net.params_mut();
    params.fill(T::cast(0.0));
    for i in 0..k {
        params[weights.start + i * k + i] = T::cast(1.0);
    }
    net
}

/// Runs one batch of `logits` (sample after sample) with `targets` through `net` and
/// compares the loss and every gradient entry with `oracle` applied to each sample and its
/// dense targets `y`, within the bounds of the module docs.
fn check<T: Scalar>(
    net: &Mlp<T>,
    logits: &[f64],
    targets: Targets<'_, T>,
    y: &[f64],
    oracle: Oracle,
) {
    let k = net.n_outputs();
    let batch = logits.len() / k;
    let x: Vec<T> = logits.iter().map(|&z| T::cast(z)).collect();
    assert!(
        x.iter()
            .zip(logits)
            .all(|(t, z)| t.widen().to_bits() == z.to_bits()),
        "the logits are exact in {}",
        T::NAME
    );
    let mut ws = net.workspace(batch).unwrap();
    let mut grad = vec![T::cast(0.0); net.n_params()];
    let loss = net
        .loss_and_gradient(&mut ws, &x, targets, &mut grad)
        .unwrap()
        .widen();

    let (mut expected_loss, mut delta) = (0.0, Vec::with_capacity(logits.len()));
    for (z, y) in logits.chunks(k).zip(y.chunks(k)) {
        let (l, d) = oracle(z, y);
        expected_loss += l;
        delta.extend(d);
    }
    let inv_batch = 1.0 / batch as f64;
    expected_loss *= inv_batch;
    for d in &mut delta {
        *d *= inv_batch;
    }

    let case = format!("{} logits {logits:?}, targets {y:?}", T::NAME);
    let eps = T::EPSILON;
    let n = logits.len();
    let spacing = eps
        * if T::NAME == "f32" {
            f64::from(f32::MIN_POSITIVE)
        } else {
            f64::MIN_POSITIVE
        };
    let loss_tol = 2.0 * (n + k + 6) as f64 * eps * expected_loss + 2.0 * (n * k) as f64 * spacing;
    assert!(loss.is_finite(), "{case}: loss {loss}");
    assert!(
        (loss - expected_loss).abs() <= loss_tol,
        "{case}: loss {loss}, expected {expected_loss} within {loss_tol:e}"
    );
    assert!(
        grad.iter().all(|g| g.widen().is_finite()),
        "{case}: gradient {grad:?}"
    );
    let layer = net.layers()[0];
    let (grad_w, grad_b) = (&grad[layer.weights_range()], &grad[layer.biases_range()]);
    let grad_tol = (batch + 8) as f64 * eps;
    for out in 0..k {
        let expected: f64 = (0..batch).map(|b| delta[b * k + out]).sum();
        let found = grad_b[out].widen();
        assert!(
            (found - expected).abs() <= grad_tol,
            "{case}: bias gradient {out} is {found}, expected {expected} within {grad_tol:e}"
        );
        for input in 0..k {
            let expected: f64 = (0..batch)
                .map(|b| delta[b * k + out] * logits[b * k + input])
                .sum();
            let weight: f64 =
                (0..batch).map(|b| logits[b * k + input].abs()).sum::<f64>() * inv_batch;
            let tol = grad_tol * weight;
            let found = grad_w[out * k + input].widen();
            assert!(
                (found - expected).abs() <= tol,
                "{case}: weight gradient ({out}, {input}) is {found}, expected {expected} within {tol:e}"
            );
        }
    }
}

fn binary_cross_entropy<T: Scalar>() {
    let net = logits_are_inputs::<T>(1, Activation::Sigmoid);
    // Each logit alone, with either label: the loss is softplus(-z) for label 1 (about -z
    // for z very negative, e^-z for z large) and softplus(z) for label 0.
    for z in BINARY_LOGITS {
        for label in [0, 1] {
            let y = [label as f64];
            check(&net, &[z], Targets::Labels(&[label]), &y, binary_oracle);
        }
    }
    // All of them in one batch, labels alternating.
    let labels: Vec<usize> = (0..BINARY_LOGITS.len()).map(|i| i % 2).collect();
    let y: Vec<f64> = labels.iter().map(|&l| l as f64).collect();
    check(
        &net,
        &BINARY_LOGITS,
        Targets::Labels(&labels),
        &y,
        binary_oracle,
    );
    // Three independent outputs with dense targets, fractional ones included.
    let net = logits_are_inputs::<T>(3, Activation::Sigmoid);
    let logits = [1e4, -1e4, 100.0, -100.0, 80.0, -1e4];
    let y = [0.25, 1.0, 0.0, 1.0, 0.5, 0.0];
    let dense: Vec<T> = y.iter().map(|&v| T::cast(v)).collect();
    check(&net, &logits, Targets::Dense(&dense), &y, binary_oracle);
}

fn softmax_cross_entropy<T: Scalar>() {
    let net = logits_are_inputs::<T>(3, Activation::Softmax);
    let one_hot =
        |label: usize| -> Vec<f64> { (0..3).map(|k| f64::from(u8::from(k == label))).collect() };
    // Each row alone with each label, as a label and as a one-hot vector: for the first row
    // the loss is about e^-1e4 (0) for label 0, 2e4 for label 1 and 1e4 for label 2.
    for row in SOFTMAX_LOGITS {
        for label in 0..3 {
            let y = one_hot(label);
            check(&net, &row, Targets::Labels(&[label]), &y, softmax_oracle);
            let dense: Vec<T> = y.iter().map(|&v| T::cast(v)).collect();
            check(&net, &row, Targets::Dense(&dense), &y, softmax_oracle);
        }
    }
    // All rows in one batch.
    let logits: Vec<f64> = SOFTMAX_LOGITS.concat();
    let labels = [0, 2, 1, 0, 2];
    let y: Vec<f64> = labels.iter().flat_map(|&l| one_hot(l)).collect();
    check(&net, &logits, Targets::Labels(&labels), &y, softmax_oracle);
    let dense: Vec<T> = y.iter().map(|&v| T::cast(v)).collect();
    check(&net, &logits, Targets::Dense(&dense), &y, softmax_oracle);
}

#[test]
fn binary_cross_entropy_is_finite_and_exact_at_huge_logits() {
    binary_cross_entropy::<f32>();
    binary_cross_entropy::<f64>();
}

#[test]
fn softmax_cross_entropy_is_finite_and_exact_at_huge_logits() {
    softmax_cross_entropy::<f32>();
    softmax_cross_entropy::<f64>();
}
