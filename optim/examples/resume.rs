//! Saving an optimizer mid-training and resuming it gives exactly the same numbers as never
//! stopping.
//!
//!     cargo run -p optim --example resume

use optim::{Adam, AdamConfig, CosineAnnealingLr, Optimizer, Scheduled};

/// The gradient of f(x, y) = (x − 3)² + 10 (y + 1)².
fn gradient(theta: &[f64; 2]) -> [f64; 2] {
    [2.0 * (theta[0] - 3.0), 20.0 * (theta[1] + 1.0)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let adam = Adam::new(AdamConfig {
        learning_rate: 0.1,
        ..AdamConfig::default()
    })?;
    let mut optimizer = Scheduled::new(adam, CosineAnnealingLr::new(100, 0.0)?)?;
    let mut theta = [0.0_f64, 0.0];
    for _ in 0..40 {
        let grad = gradient(&theta);
        optimizer.step(&mut theta, &grad)?;
    }

    // The optimizer (moments, step count, schedule position) and the parameters are all the
    // state there is: save both.
    let saved_optimizer = serde_json::to_string(&optimizer)?;
    let saved_theta = theta;
    println!(
        "saved after 40 steps: {} bytes of optimizer state",
        saved_optimizer.len()
    );

    for _ in 0..60 {
        let grad = gradient(&theta);
        optimizer.step(&mut theta, &grad)?;
    }

    let mut resumed: Scheduled<Adam<f64>, CosineAnnealingLr> =
        serde_json::from_str(&saved_optimizer)?;
    let mut resumed_theta = saved_theta;
    for _ in 0..60 {
        let grad = gradient(&resumed_theta);
        resumed.step(&mut resumed_theta, &grad)?;
    }
    println!("uninterrupted: {theta:?}");
    println!("resumed:       {resumed_theta:?}");
    let identical = theta.map(f64::to_bits) == resumed_theta.map(f64::to_bits);
    println!("bit-identical: {identical}");
    Ok(())
}
