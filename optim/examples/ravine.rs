//! Gradient descent, momentum and Nesterov momentum in a ravine.
//!
//!     cargo run -p optim --example ravine
//!
//! The ravine is the quadratic f(x, y) = (x² + 50 y²) / 2: fifty times steeper across (y)
//! than along (x). Its gradient is (x, 50 y).

use optim::{Optimizer, Sgd, SgdConfig};

/// The ravine's loss.
fn loss(theta: &[f64]) -> f64 {
    0.5 * (theta[0] * theta[0] + 50.0 * theta[1] * theta[1])
}

/// The ravine's gradient, written into `grad`.
fn gradient(theta: &[f64], grad: &mut [f64]) {
    grad[0] = theta[0];
    grad[1] = 50.0 * theta[1];
}

// ANCHOR: update_rule
/// The article's update rule, written out: w ← w − α ∂L/∂w for every parameter.
fn gradient_descent_step(theta: &mut [f64], grad: &[f64], learning_rate: f64) {
    for (w, g) in theta.iter_mut().zip(grad) {
        *w -= learning_rate * g;
    }
}
// ANCHOR_END: update_rule

// ANCHOR: steps_to_converge
/// Steps `optimizer` from (−4, 1) until the loss is below `1e-8`; `None` if 2000 steps
/// are not enough.
fn steps_to_converge(optimizer: &mut dyn Optimizer<f64>) -> Result<Option<usize>, optim::Error> {
    let mut theta = [-4.0, 1.0];
    let mut grad = [0.0; 2];
    for step in 0..2000 {
        if loss(&theta) < 1e-8 {
            return Ok(Some(step));
        }
        gradient(&theta, &mut grad);
        optimizer.step(&mut theta, &grad)?;
    }
    Ok(None)
}
// ANCHOR_END: steps_to_converge

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: same_rule
    // Plain SGD (momentum 0) is exactly the hand-written rule.
    let learning_rate = 0.025;
    let mut by_hand = [-4.0, 1.0];
    let mut with_sgd = [-4.0, 1.0];
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate,
        ..SgdConfig::default()
    })?;
    let mut grad = [0.0; 2];
    for _ in 0..10 {
        gradient(&by_hand, &mut grad);
        gradient_descent_step(&mut by_hand, &grad, learning_rate);
        gradient(&with_sgd, &mut grad);
        sgd.step(&mut with_sgd, &grad)?;
    }
    assert_eq!(by_hand.map(f64::to_bits), with_sgd.map(f64::to_bits));
    println!("after 10 steps, by hand and with Sgd: {by_hand:.6?}");
    // ANCHOR_END: same_rule

    // ANCHOR: compare
    // The same learning rate for all three; only the momentum differs.
    let plain = SgdConfig {
        learning_rate,
        ..SgdConfig::default()
    };
    let momentum = SgdConfig {
        momentum: 0.8,
        ..plain
    };
    let nesterov = SgdConfig {
        nesterov: true,
        ..momentum
    };
    for (name, config) in [
        ("gradient descent", plain),
        ("momentum 0.8", momentum),
        ("nesterov 0.8", nesterov),
    ] {
        let steps = steps_to_converge(&mut Sgd::new(config)?)?;
        match steps {
            Some(steps) => println!("{name}: loss below 1e-8 after {steps} steps"),
            None => println!("{name}: not below 1e-8 after 2000 steps"),
        }
    }
    // ANCHOR_END: compare

    // ANCHOR: too_far
    // Nesterov's look-ahead step is longer across the ravine: at 0.04 it diverges, and once
    // the gradient overflows the optimizer refuses it instead of writing infinities into θ.
    let too_far = SgdConfig {
        learning_rate: 0.04,
        ..nesterov
    };
    match steps_to_converge(&mut Sgd::new(too_far)?) {
        Err(error) => println!("nesterov at 0.04: {error}"),
        Ok(Some(steps)) => println!("nesterov at 0.04: converged after {steps} steps"),
        Ok(None) => println!("nesterov at 0.04: not converged after 2000 steps"),
    }
    // ANCHOR_END: too_far
    Ok(())
}
