//! The closed-form gradient against three independent derivatives of the same loss: the
//! `chain-rule` tape (reverse mode), dual numbers (forward mode) and central differences
//! (the `gradient` crate's checker), over random shapes, weights, inputs and targets.

use approx::relative_eq;
use chain_rule::elementary::sigmoid_derivative;
use chain_rule::{Dual, Tape};
use gradient::GradientChecker;
use perceptron::{Loss, Neuron, mean_loss};
use proptest::prelude::*;

/// Tolerance between the closed form and the tape or duals, which evaluate the same exact
/// derivative in a different order of operations.
///
/// With weights in [-1, 1], inputs in [-2, 2] and at most 6 inputs, |z| <= 13, so
/// 1 - y_hat >= sigma(-13) ≈ 2.3e-6. The closed form's y_hat (1 - y_hat) then carries a
/// relative rounding error up to eps / 2.3e-6 ≈ 1e-10 (1 - y_hat is a difference of nearly
/// equal numbers), which the tape avoids. Each gradient entry is a mean of at most 5 terms of
/// size at most |delta x| <= 2 (cross-entropy: |delta| <= 1, |x| <= 2), so the absolute error
/// stays below 5 · 2 · 1e-10 = 1e-9, and the relative error of entries well above that size is
/// a few ulps. A wrong factor (a sign, a missing y_hat (1 - y_hat), a missing 2) moves the
/// entries by their own size, which these bounds catch unless the entry itself is below 1e-9.
const ABS_TOL: f64 = 1e-9;
const REL_TOL: f64 = 1e-9;

/// Threshold of the central-difference checker: the `gradient` crate's documented choice for
/// f64 (differences accurate to ~1e-10, real bugs give >= 1e-2); its floor handles entries near
/// zero from the measured uncertainty of each difference.
const CHECK_THRESHOLD: f64 = 1e-6;

/// A batch for a neuron with `n` inputs: `(params, inputs row-major, targets)`.
fn batch() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    (1usize..=6, 1usize..=5).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(-1.0..1.0f64, n + 1),
            prop::collection::vec(-2.0..2.0f64, n * m),
            // Targets: labels 0 and 1 mostly, and soft targets in between.
            prop::collection::vec(prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64], m),
        )
    })
}

fn loss_kind() -> impl Strategy<Value = Loss> {
    prop::sample::select(Loss::ALL.to_vec())
}

fn close(a: f64, b: f64) -> bool {
    relative_eq!(a, b, epsilon = ABS_TOL, max_relative = REL_TOL)
}

proptest! {
    #[test]
    fn gradient_matches_the_tape((params, inputs, targets) in batch(), loss in loss_kind()) {
        let neuron = Neuron::from_params(params.clone()).expect("finite params");
        let claimed = neuron.gradient(&inputs, &targets, loss).expect("valid batch");
        let tape = Tape::new();
        let vars = tape.vars(&params);
        let value = mean_loss(&vars, &inputs, &targets, loss).expect("valid batch");
        let by_tape = value.backward().wrt_all(&vars);
        prop_assert!(close(claimed.loss(), value.value()));
        for (i, (&a, &t)) in claimed.as_slice().iter().zip(&by_tape).enumerate() {
            prop_assert!(close(a, t), "entry {i}: closed form {a}, tape {t}");
        }
    }

    #[test]
    fn gradient_matches_dual_numbers((params, inputs, targets) in batch(), loss in loss_kind()) {
        let neuron = Neuron::from_params(params.clone()).expect("finite params");
        let claimed = neuron.gradient(&inputs, &targets, loss).expect("valid batch");
        for i in 0..params.len() {
            // Seed coordinate i with derivative 1: the dual part of the loss is dL/dp_i.
            let duals: Vec<Dual<f64>> = params
                .iter()
                .enumerate()
                .map(|(j, &p)| if i == j { Dual::variable(p) } else { Dual::constant(p) })
                .collect();
            let by_duals = mean_loss(&duals, &inputs, &targets, loss).expect("valid batch");
            prop_assert!(
                close(claimed.as_slice()[i], by_duals.derivative),
                "entry {i}: closed form {}, duals {}", claimed.as_slice()[i], by_duals.derivative
            );
        }
    }

    #[test]
    fn gradient_passes_the_central_difference_checker(
        (params, inputs, targets) in batch(),
        loss in loss_kind(),
    ) {
        let neuron = Neuron::from_params(params.clone()).expect("finite params");
        let claimed = neuron.gradient(&inputs, &targets, loss).expect("valid batch");
        let checker = GradientChecker::new(CHECK_THRESHOLD).expect("valid threshold");
        let report = checker
            .check(
                |p| mean_loss(p, &inputs, &targets, loss).expect("valid batch"),
                &params,
                claimed.as_slice(),
            )
            .expect("finite loss");
        prop_assert!(report.passed(), "{report}");
    }

    /// One sample's backward pass: its factors multiply to its gradient, and the gradient is
    /// the batch gradient of a batch of one, bit for bit.
    #[test]
    fn backward_factors_multiply_to_the_gradient(
        (params, inputs, targets) in batch(),
        loss in loss_kind(),
    ) {
        let neuron = Neuron::from_params(params).expect("finite params");
        let n = neuron.n_inputs();
        let (x, y) = (&inputs[..n], targets[0]);
        let step = neuron.backward(x, y, loss).expect("valid sample");
        let batch = neuron.gradient(x, &[y], loss).expect("valid sample");
        prop_assert_eq!(&step.grad_w[..], batch.grad_w());
        prop_assert_eq!(step.grad_b.to_bits(), batch.grad_b().to_bits());
        prop_assert_eq!(&step.dz_dw[..], x);
        // dy_hat/dz = y_hat (1 - y_hat) is the sigmoid's derivative at z (the chain-rule
        // crate computes it as e/(1 + e)^2; both are within the bound of ABS_TOL above).
        prop_assert!(close(step.dy_hat_dz, sigmoid_derivative(step.z)));
        if loss != Loss::CrossEntropy {
            prop_assert!(close(step.dloss_dz, step.dloss_dy_hat * step.dy_hat_dz));
        }
        for (i, (&g, &x_i)) in step.grad_w.iter().zip(x).enumerate() {
            prop_assert!(close(g, step.dloss_dz * x_i), "weight {i}");
        }
    }

    /// Each loss's dl/dy_hat against a central difference of l(y_hat) (away from the ends,
    /// where cross-entropy's derivative blows up). Step 1e-5: truncation h² l''' / 6 with
    /// |l'''| <= 2/0.05³ = 16000 on [0.05, 0.95] gives <= 3e-7 absolute; round-off
    /// eps · |l| / h <= 2e-16 · 3 / 1e-5 ≈ 1e-10. Against |dl/dy_hat| that can be near 0
    /// (y_hat ≈ y), compare absolutely at 1e-6.
    #[test]
    fn dloss_dy_hat_matches_central_difference(
        y_hat in 0.05..0.95f64,
        y in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
        loss in loss_kind(),
    ) {
        const H: f64 = 1e-5;
        let numeric = (loss.of_prediction(y_hat + H, y) - loss.of_prediction(y_hat - H, y)) / (2.0 * H);
        prop_assert!((loss.dloss_dy_hat(y_hat, y) - numeric).abs() < 1e-6);
    }

    /// Cross-entropy of a logit in `f32` is accurate relative to the loss itself, however
    /// confident the prediction. The reference is the same function in `f64` at the same
    /// (`f32`) z and y, so both approximate the same exact ℓ; its own error, a few 2^-53, is
    /// negligible here. Bound, with ε = `f32::EPSILON` and every libm call allowed 2 ulps:
    /// (1 − y) z rounds twice (ε; 1 − y is exact for y ≥ 1/2), e^{−|z|} is within 2 ε,
    /// ln_1p passes its argument's relative error on at most unchanged (t / ((1 + t) ln(1 + t))
    /// ≤ 1) and adds 2 ε, and the sum of the two non-negative terms rounds once (ε / 2): at
    /// most 4.5 ε. |z| ≤ 80 keeps e^{−|z|} ≥ 1.8e-35 a normal `f32` (they start at 1.2e-38),
    /// where relative precision holds. Evaluating softplus(z) − y z as written fails this
    /// wherever y = 1 and z > 17 (ℓ falls below half an ulp of z).
    #[test]
    fn cross_entropy_of_logit_is_accurate_relative_to_the_loss(
        z in -80.0..80.0f32,
        y in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f32],
    ) {
        let single = perceptron::loss::cross_entropy_of_logit(z, y);
        let double = perceptron::loss::cross_entropy_of_logit(f64::from(z), f64::from(y));
        let error = (f64::from(single) - double).abs() / double;
        prop_assert!(error <= 4.5 * f64::from(f32::EPSILON), "relative error {error:e} at z = {z}, y = {y}");
    }

    /// The stable loss of the logit and the textbook loss of the prediction agree.
    #[test]
    fn loss_of_logit_equals_loss_of_prediction(
        z in -20.0..20.0f64,
        y in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
        loss in loss_kind(),
    ) {
        // |z| <= 20 keeps 1 - sigma(z) >= 2e-9, so ln(1 - y_hat) in the textbook form loses
        // at most eps / 2e-9 ≈ 1e-7 relative; the losses are at most ~20 in size.
        let y_hat = chain_rule::elementary::sigmoid(z);
        prop_assert!(relative_eq!(
            loss.of_logit(z, y),
            loss.of_prediction(y_hat, y),
            epsilon = 1e-8,
            max_relative = 1e-7
        ));
    }
}
