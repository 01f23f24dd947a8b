//! Hand-checkable cases, with the arithmetic in comments.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use optim::{Optimizer, Sgd, SgdConfig};
use perceptron::loss::cross_entropy_of_logit;
use perceptron::{Error, Loss, Neuron};

/// The article's four steps on numbers chosen so that z = 0.
///
/// Step 1, forward: z = 0.5·1 − 0.5·2 + 0.25·3 − 0.0625·4 + 0 = 0.5 − 1 + 0.75 − 0.25 = 0,
/// y_hat = σ(0) = 1/2.
/// Step 2, loss with y = 1: ℓ = (1/2 − 1)² = 1/4.
/// Step 3, backward: dℓ/dy_hat = 2(1/2 − 1) = −1, dy_hat/dz = 1/2 · 1/2 = 1/4,
/// δ = −1/4, dℓ/dw_i = −x_i/4 = (−0.25, −0.5, −0.75, −1), dℓ/db = −1/4.
/// Step 4, update with α = 0.1: w_i ← w_i + 0.025 x_i = (0.525, −0.45, 0.325, 0.0375),
/// b ← 0.025.
/// Every intermediate value is a dyadic rational, so steps 1–3 are exact in f64.
#[test]
fn article_steps_on_a_sample_with_z_zero() -> Result<(), Error> {
    let mut neuron = Neuron::new(vec![0.5, -0.5, 0.25, -0.0625], 0.0)?;
    let x = [1.0, 2.0, 3.0, 4.0];
    let step = neuron.backward(&x, 1.0, Loss::SquaredError)?;
    assert_abs_diff_eq!(step.z, 0.0);
    assert_relative_eq!(step.y_hat, 0.5);
    assert_relative_eq!(step.loss, 0.25);
    assert_relative_eq!(step.dloss_dy_hat, -1.0);
    assert_relative_eq!(step.dy_hat_dz, 0.25);
    assert_relative_eq!(step.dloss_dz, -0.25);
    assert_eq!(step.dz_dw, x);
    assert_relative_eq!(step.dz_db, 1.0);
    assert_eq!(step.grad_w, [-0.25, -0.5, -0.75, -1.0]);
    assert_relative_eq!(step.grad_b, -0.25);

    let gradient = neuron.gradient(&x, &[1.0], Loss::SquaredError)?;
    neuron.descend(&gradient, 0.1)?;
    // 0.1 is not a dyadic rational: compare to a few ulps.
    for (w, expected) in neuron.weights().iter().zip([0.525, -0.45, 0.325, 0.0375]) {
        assert_relative_eq!(*w, expected, max_relative = 4.0 * f64::EPSILON);
    }
    assert_relative_eq!(neuron.bias(), 0.025, max_relative = 4.0 * f64::EPSILON);
    Ok(())
}

/// z = ln 3 gives y_hat = 1/(1 + 1/3) = 3/4 and y_hat (1 − y_hat) = 3/16. With y = 0:
/// - squared error: ℓ = 9/16, dℓ/dy_hat = 3/2, δ = 3/2 · 3/16 = 9/32;
/// - half squared error: ℓ = 9/32, dℓ/dy_hat = 3/4, δ = 9/64;
/// - cross-entropy: ℓ = −ln(1 − 3/4) = ln 4, dℓ/dy_hat = (3/4)/(3/16) = 4, δ = y_hat − y = 3/4.
///
/// ln 3 and σ are rounded, so compare to a relative 1e-15 (a few ulps of each step).
#[test]
fn the_three_losses_at_z_ln_3_with_target_0() -> Result<(), Error> {
    let neuron = Neuron::new(vec![3.0_f64.ln()], 0.0)?;
    let expected = [
        (Loss::SquaredError, 9.0 / 16.0, 1.5, 9.0 / 32.0),
        (Loss::HalfSquaredError, 9.0 / 32.0, 0.75, 9.0 / 64.0),
        (Loss::CrossEntropy, 4.0_f64.ln(), 4.0, 0.75),
    ];
    for (loss, value, dloss_dy_hat, delta) in expected {
        let step = neuron.backward(&[1.0], 0.0, loss)?;
        assert_relative_eq!(step.y_hat, 0.75, max_relative = 1e-15);
        assert_relative_eq!(step.dy_hat_dz, 3.0 / 16.0, max_relative = 1e-15);
        assert_relative_eq!(step.loss, value, max_relative = 1e-15);
        assert_relative_eq!(step.dloss_dy_hat, dloss_dy_hat, max_relative = 1e-15);
        assert_relative_eq!(step.dloss_dz, delta, max_relative = 1e-15);
        assert_relative_eq!(step.grad_w[0], delta, max_relative = 1e-15);
        assert_relative_eq!(step.grad_b, delta, max_relative = 1e-15);
    }
    Ok(())
}

/// The batch loss and gradient are means. With w = 0, b = 0 every y_hat is 1/2 and
/// y_hat (1 − y_hat) = 1/4. Samples (x = 2, y = 1) and (x = 4, y = 0), squared error:
/// δ_1 = 2(−1/2)(1/4) = −1/4, δ_2 = 2(1/2)(1/4) = 1/4;
/// dL/dw = (−1/4 · 2 + 1/4 · 4)/2 = 1/4, dL/db = (−1/4 + 1/4)/2 = 0,
/// L = (1/4 + 1/4)/2 = 1/4.
#[test]
fn batch_gradient_is_the_mean_of_the_samples() -> Result<(), Error> {
    let neuron = Neuron::zeros(1)?;
    let gradient = neuron.gradient(&[2.0, 4.0], &[1.0, 0.0], Loss::SquaredError)?;
    assert_relative_eq!(gradient.loss(), 0.25);
    assert_relative_eq!(gradient.grad_w()[0], 0.25);
    assert_abs_diff_eq!(gradient.grad_b(), 0.0);
    Ok(())
}

/// The saturation lesson at z = −10 with target 1 (confidently wrong):
/// σ(−10) = 1/(1 + e^10) ≈ 4.5398e-5.
/// - squared error: δ = 2(σ − 1)σ(1 − σ) ≈ −2 · 4.5396e-5 ≈ −9.0791e-5, almost no signal;
/// - cross-entropy: δ = σ − 1 ≈ −0.99995, a full-size step.
#[test]
fn cross_entropy_does_not_saturate_where_squared_error_does() -> Result<(), Error> {
    let neuron = Neuron::new(vec![1.0], 0.0)?;
    let s = 1.0 / (1.0 + 10.0_f64.exp());
    let mse = neuron.backward(&[-10.0], 1.0, Loss::SquaredError)?;
    let ce = neuron.backward(&[-10.0], 1.0, Loss::CrossEntropy)?;
    assert_relative_eq!(
        mse.dloss_dz,
        2.0 * (s - 1.0) * s * (1.0 - s),
        max_relative = 1e-12
    );
    assert!(mse.dloss_dz.abs() < 1e-4);
    assert_relative_eq!(ce.dloss_dz, s - 1.0, max_relative = 1e-12);
    assert!(ce.dloss_dz.abs() > 0.999);
    Ok(())
}

/// A right and confident prediction: y = 1 at z = 40, and its mirror y = 0 at z = −40.
/// ℓ = ln(1 + t) with t = e^{−40} ≈ 4.25e-18, and ln(1 + t) = t − t²/2 + …, so ℓ = t to a
/// relative 2e-18. `softplus(z) − y z` evaluated as written gives 40 − 40 = 0 at z = 40 (t is
/// below half an ulp of 40, 3.6e-15); `cross_entropy_of_logit` adds non-negative terms, here
/// 0 · 40 and ln_1p(e^{−40}). Tolerance 4 ε: `exp` and `ln_1p` are each within an ulp (at most
/// 2 ε relative) of their exact values, so the loss is within 4 ε of t, as is the reference
/// `exp(−40)` (within ε of t, which the margin absorbs).
#[test]
fn cross_entropy_of_a_confident_right_prediction_keeps_its_precision() {
    let t = (-40.0_f64).exp();
    for (z, y) in [(40.0, 1.0), (-40.0, 0.0)] {
        let loss = cross_entropy_of_logit(z, y);
        // epsilon = 0: approx's default absolute slack (ε) would accept 0 for 4.25e-18.
        assert_relative_eq!(loss, t, epsilon = 0.0, max_relative = 4.0 * f64::EPSILON);
        assert_relative_eq!(Loss::CrossEntropy.of_logit(z, y), loss, max_relative = 0.0);
    }
}

/// `descend` and `optim::Sgd` without momentum apply the same rule, bit for bit.
#[test]
fn descend_equals_an_sgd_step() -> Result<(), Box<dyn std::error::Error>> {
    let mut by_hand = Neuron::new(vec![0.3, -0.7, 0.1], 0.2)?;
    let mut by_sgd = by_hand.clone();
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate: 0.37,
        ..SgdConfig::default()
    })?;
    let inputs = [1.5, -0.5, 2.0, 0.25, 0.75, -1.0];
    for _ in 0..5 {
        let g = by_hand.gradient(&inputs, &[1.0, 0.0], Loss::SquaredError)?;
        by_hand.descend(&g, 0.37)?;
        let g = by_sgd.gradient(&inputs, &[1.0, 0.0], Loss::SquaredError)?;
        sgd.step(by_sgd.params_mut(), g.as_slice())?;
    }
    assert_eq!(by_hand, by_sgd);
    Ok(())
}

/// The predicted class is 1 exactly when z > 0: with w = (1, -1) and b = 0, z = x_0 - x_1,
/// so (2, 1) is class 1, (1, 2) class 0, and (1, 1), on the boundary z = 0 (ŷ = 1/2), class 0.
/// Trained on setosa-versus-rest, `classify` agrees with the accuracy `evaluate` reports.
#[test]
fn classify_is_one_exactly_when_z_is_positive() -> Result<(), Box<dyn std::error::Error>> {
    let neuron = Neuron::new(vec![1.0, -1.0], 0.0)?;
    assert_eq!(neuron.classify(&[2.0, 1.0])?, 1);
    assert_eq!(neuron.classify(&[1.0, 2.0])?, 0);
    assert_eq!(neuron.classify(&[1.0, 1.0])?, 0, "z = 0 is class 0");

    let task = perceptron::data::iris().one_vs_rest(0)?;
    let mut trained = Neuron::zeros(4)?;
    let config = perceptron::TrainConfig {
        epochs: 5,
        ..perceptron::TrainConfig::default()
    };
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate: 0.1,
        ..SgdConfig::default()
    })?;
    perceptron::train(&mut trained, &mut sgd, &task, None, &config)?;
    let mut correct = 0_u32;
    for (x, &label) in task.rows().zip(task.labels()) {
        correct += u32::from(trained.classify(x)? == label);
    }
    let accuracy = perceptron::evaluate(&trained, &task, config.loss)?.accuracy;
    assert_eq!(
        (f64::from(correct) / 150.0).to_bits(),
        accuracy.to_bits(),
        "{correct} of 150 by classify, {accuracy} by evaluate"
    );
    Ok(())
}

/// `Neuron::random` draws every parameter from (-k, k) with k = 1/√n, PyTorch's `nn.Linear`
/// default, and the same seed gives the same neuron. With n = 100, the 101 draws all land in
/// (-k/2, k/2), or all on one side of 0, each with probability 2^-101: the spread checks
/// below cannot fail by chance.
#[test]
fn random_neurons_are_uniform_within_one_over_root_n() -> Result<(), Error> {
    let n = 100;
    let k = 1.0 / 10.0;
    let neuron = Neuron::random(n, 7)?;
    assert_eq!(neuron.params().len(), n + 1);
    assert!(
        neuron.params().iter().all(|p| p.abs() < k),
        "{:?}",
        neuron.params()
    );
    assert!(neuron.params().iter().any(|p| p.abs() > k / 2.0));
    assert!(neuron.params().iter().any(|&p| p > 0.0));
    assert!(neuron.params().iter().any(|&p| p < 0.0));
    assert_eq!(neuron, Neuron::random(n, 7)?);
    assert_ne!(neuron, Neuron::random(n, 8)?);
    Ok(())
}

/// Each loss has its name, and prints as it.
#[test]
fn losses_are_named() {
    let names = Loss::ALL.map(|loss| (loss.name(), loss.to_string()));
    assert_eq!(
        names.clone().map(|(name, _)| name),
        ["squared error", "half squared error", "cross-entropy"]
    );
    for (name, shown) in names {
        assert_eq!(name, shown);
    }
}

/// Cross-entropy from the prediction takes 0 · ln 0 as its limit 0: a certain and right
/// prediction (ŷ = y = 0, or ŷ = y = 1) costs exactly 0, not NaN; a certain and wrong one
/// costs +∞; and a target of 1/2 at ŷ = 1/2 costs ln 2 (both terms, -½ ln ½ each).
#[test]
fn cross_entropy_of_certain_predictions() {
    let loss = |y_hat, y| Loss::CrossEntropy.of_prediction(y_hat, y);
    for y in [0.0, 1.0] {
        assert!(
            loss(y, y).abs() < f64::MIN_POSITIVE,
            "ŷ = y = {y}: {}",
            loss(y, y)
        );
        let wrong = loss(1.0 - y, y);
        assert!(
            wrong.is_infinite() && wrong > 0.0,
            "ŷ = {}, y = {y}: {wrong}",
            1.0 - y
        );
    }
    // Each term rounds ln ½ once and the product and sum are exact or one rounding: 2 ε.
    assert_relative_eq!(
        loss(0.5, 0.5),
        2.0_f64.ln(),
        max_relative = 2.0 * f64::EPSILON
    );
}
