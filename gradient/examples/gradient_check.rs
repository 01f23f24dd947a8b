//! The gradient checker at work: a right gradient passes, a gradient with one wrong sign and
//! one with a coordinate 1% off fail, and a model with 5000 parameters is checked along random
//! directions in 32 evaluations.
//!
//! Run with `cargo run -p gradient --example gradient_check`.

use chain_rule::{Real, Tape};
use gradient::test_functions::{Rosenbrock, TestFunction};
use gradient::{GradientChecker, ScalarFunction};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: coordinates
    let rosenbrock = Rosenbrock::new(4)?;
    let x = [-1.2, 1.0, 0.5, 0.8];
    let right = rosenbrock.gradient(&x)?; // the formula written by hand
    let f = |v: &[f64]| rosenbrock.eval(v); // the function as a closure on a flat slice

    let checker = GradientChecker::new(1e-6)?;
    let report = checker.check(f, &x, &right)?;
    assert!(report.passed(), "{report}");

    let mut wrong_sign = right.clone();
    wrong_sign[2] = -wrong_sign[2];
    let report = checker.check(f, &x, &wrong_sign)?;
    // ANCHOR_END: coordinates
    println!("the right gradient passes; one wrong sign gives this report:\n{report}");

    let mut one_percent = right.clone();
    one_percent[1] *= 1.01;
    println!(
        "one coordinate 1 % off:\n{}",
        checker.check(f, &x, &one_percent)?
    );

    // ANCHOR: directions
    // A model with 5000 parameters: L(w) = Σ_k (tanh(w · a_k) - y_k)² over 8 samples,
    // with fixed pseudo-random data (any numbers would do).
    let samples: Vec<Vec<f64>> = (0..8)
        .map(|k| {
            (0..5000)
                .map(|j| (1.7 * f64::from(k * 5000 + j)).sin())
                .collect()
        })
        .collect();
    let targets: Vec<f64> = (0..8).map(|k| 0.5 * (0.9 * f64::from(k)).cos()).collect();
    let loss = |w: &[f64]| network_loss(w, &samples, &targets);
    let w: Vec<f64> = (0..5000)
        .map(|j| 0.01 * (2.3 * f64::from(j)).sin())
        .collect();

    // Its gradient by reverse mode, then 8 random directions: 32 evaluations, not 20 000.
    let tape = Tape::new();
    let vars = tape.vars(&w);
    let grad = network_loss(&vars, &samples, &targets)
        .backward()
        .wrt_all(&vars);
    let report = checker.check_directions(loss, &w, &grad, 8, 42)?;
    // ANCHOR_END: directions
    println!("5000 parameters, 8 random directions:\n{report}");
    Ok(())
}

/// `Σ_k (tanh(w · a_k) - y_k)²`, written once for `f64` and for the tape.
fn network_loss<T: Real>(w: &[T], samples: &[Vec<f64>], targets: &[f64]) -> T {
    let mut total = T::zero();
    for (a, &y) in samples.iter().zip(targets) {
        let mut z = T::zero();
        for (&w_j, &a_j) in w.iter().zip(a) {
            z += w_j * T::from_f64(a_j);
        }
        let residual = z.tanh() - T::from_f64(y);
        total += residual * residual;
    }
    total
}
