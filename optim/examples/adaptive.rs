//! Adaptive step sizes: AdaGrad, RMSprop and Adam give every coordinate its own step.
//!
//!     cargo run -p optim --example adaptive
//!
//! The problem is f(x, y) = (x² + 10⁴ y²) / 2 from (1, 1): its two coordinates have gradients
//! of very different sizes, (x, 10⁴ y).

use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, Optimizer, Rmsprop, RmspropConfig, Sgd, SgdConfig,
};

fn loss(theta: &[f64]) -> f64 {
    0.5 * (theta[0] * theta[0] + 1e4 * theta[1] * theta[1])
}

fn gradient(theta: &[f64], grad: &mut [f64]) {
    grad[0] = theta[0];
    grad[1] = 1e4 * theta[1];
}

/// Steps `optimizer` from (1, 1) until the loss is below `1e-6`; `None` if 5000 steps are not
/// enough.
fn steps_to_converge(optimizer: &mut dyn Optimizer<f64>) -> Result<Option<usize>, optim::Error> {
    let mut theta = [1.0, 1.0];
    let mut grad = [0.0; 2];
    for step in 0..5000 {
        if loss(&theta) < 1e-6 {
            return Ok(Some(step));
        }
        gradient(&theta, &mut grad);
        optimizer.step(&mut theta, &grad)?;
    }
    Ok(None)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: first_step
    // Gradients six orders of magnitude apart; Adam's first step is the learning rate in both.
    let mut adam = Adam::new(AdamConfig {
        learning_rate: 0.01,
        ..AdamConfig::default()
    })?;
    let mut theta = [0.0, 0.0];
    adam.step(&mut theta, &[1e-3, 1e3])?;
    println!("adam's first step on gradient (1e-3, 1e3): {theta:.6?}");
    // ANCHOR_END: first_step

    // ANCHOR: bias_correction
    // A constant gradient g = 2 through Adam's first moment, β₁ = 0.9: the running average
    // starts at 0 and creeps up; dividing by 1 − β₁ᵗ removes that bias exactly.
    let (beta1, g) = (0.9_f64, 2.0);
    let mut m = 0.0;
    for t in 1..=5 {
        m = beta1 * m + (1.0 - beta1) * g;
        let corrected = m / (1.0 - beta1.powi(t));
        println!("t = {t}: m = {m:.4}, m / (1 - beta1^t) = {corrected:.4}");
    }
    // ANCHOR_END: bias_correction

    // ANCHOR: compare
    // Plain gradient descent must keep its step below 2 / 10⁴ for the steep coordinate, and
    // then crawls along the flat one; the adaptive rules rescale each coordinate.
    let mut runs: Vec<(&str, Box<dyn Optimizer<f64>>)> = vec![
        (
            "gradient descent, lr 1.9e-4",
            Box::new(Sgd::new(SgdConfig {
                learning_rate: 1.9e-4,
                ..SgdConfig::default()
            })?),
        ),
        (
            "adagrad, lr 0.5",
            Box::new(Adagrad::new(AdagradConfig {
                learning_rate: 0.5,
                ..AdagradConfig::default()
            })?),
        ),
        (
            "rmsprop, lr 0.01",
            Box::new(Rmsprop::new(RmspropConfig {
                learning_rate: 0.01,
                ..RmspropConfig::default()
            })?),
        ),
        (
            "adam, lr 0.05",
            Box::new(Adam::new(AdamConfig {
                learning_rate: 0.05,
                ..AdamConfig::default()
            })?),
        ),
    ];
    for (name, optimizer) in &mut runs {
        match steps_to_converge(optimizer.as_mut())? {
            Some(steps) => println!("{name}: loss below 1e-6 after {steps} steps"),
            None => println!("{name}: not below 1e-6 after 5000 steps"),
        }
    }
    // ANCHOR_END: compare
    Ok(())
}
