//! The article's worked example with real numbers: one Iris flower, a neuron with 4 inputs,
//! steps 1 to 4 (forward pass, loss, every chain-rule factor, the update), then a few epochs
//! of training on setosa against the rest.
//!
//! Run with `cargo run -p perceptron --example walkthrough`.

use optim::{Sgd, SgdConfig};
use perceptron::{Batching, Dataset, Loss, Neuron, Standardizer, TrainConfig, data, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iris = data::iris();
    four_steps(&iris)?;
    a_few_epochs(&iris)
}

/// Steps 1 to 4 of the article on the first Iris flower.
fn four_steps(iris: &Dataset) -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: sample
    // The first Iris flower (a setosa), and the question "is it a setosa?": target y = 1.
    let x = iris.row(0);
    let y = 1.0;
    let mut neuron = Neuron::new(vec![0.2, -0.1, 0.4, -0.3], 0.1)?;
    let learning_rate = 0.1;
    // ANCHOR_END: sample
    println!("inputs x = {x:?} ({})", iris.feature_names().join(", "));
    println!(
        "weights w = {:?}, bias b = {}",
        neuron.weights(),
        neuron.bias()
    );
    println!("target y = {y}, learning rate alpha = {learning_rate}");

    // ANCHOR: steps
    let step = neuron.backward(x, y, Loss::SquaredError)?;
    // ANCHOR_END: steps

    println!("\nStep 1: forward pass");
    let terms: Vec<String> = neuron
        .weights()
        .iter()
        .zip(x)
        .map(|(w, x)| format!("{w}*{x}"))
        .collect();
    println!(
        "  z = {} + {} = {:.6}",
        terms.join(" + "),
        neuron.bias(),
        step.z
    );
    println!("  y_hat = sigmoid(z) = 1 / (1 + e^-z) = {:.6}", step.y_hat);

    println!("\nStep 2: loss");
    println!(
        "  L = (y_hat - y)^2 = ({:.6} - {y})^2 = {:.6}",
        step.y_hat, step.loss
    );

    println!("\nStep 3: backward pass, one chain-rule factor at a time");
    println!(
        "  dL/dy_hat = 2 (y_hat - y)       = {:.6}",
        step.dloss_dy_hat
    );
    println!("  dy_hat/dz = y_hat (1 - y_hat)   = {:.6}", step.dy_hat_dz);
    println!("  dL/dz     = dL/dy_hat * dy_hat/dz = {:.6}", step.dloss_dz);
    for (i, (dz_dw, grad)) in step.dz_dw.iter().zip(&step.grad_w).enumerate() {
        println!(
            "  dL/dw_{i}   = dL/dz * x_{i} = {:.6} * {dz_dw} = {grad:.6}",
            step.dloss_dz
        );
    }
    println!("  dL/db     = dL/dz * 1       = {:.6}", step.grad_b);

    // ANCHOR: update
    let gradient = neuron.gradient(x, &[y], Loss::SquaredError)?;
    neuron.descend(&gradient, learning_rate)?;
    // ANCHOR_END: update
    println!("\nStep 4: update, w_i <- w_i - alpha * dL/dw_i");
    for (i, (w, g)) in neuron.weights().iter().zip(&step.grad_w).enumerate() {
        println!("  w_{i} = {:.6}  (moved by {:+.6})", w, -learning_rate * g);
    }
    println!(
        "  b   = {:.6}  (moved by {:+.6})",
        neuron.bias(),
        -learning_rate * step.grad_b
    );
    let after = neuron.backward(x, y, Loss::SquaredError)?;
    println!(
        "  the loss on this flower went from {:.6} to {:.6}",
        step.loss, after.loss
    );
    Ok(())
}

/// Online training on setosa against the rest, printed per epoch.
fn a_few_epochs(iris: &Dataset) -> Result<(), Box<dyn std::error::Error>> {
    let learning_rate = 0.1;

    // ANCHOR: training
    // Setosa against the rest, 30 % held out, features standardised on the training side.
    let task = iris.one_vs_rest(0)?;
    let (train_set, validation) = task.stratified_split(0.3, 42)?;
    let scaler = Standardizer::fit(&train_set);
    let (train_set, validation) = (
        scaler.transform(&train_set)?,
        scaler.transform(&validation)?,
    );
    let mut neuron = Neuron::zeros(4)?;
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 5,
        batching: Batching::Online,
        loss: Loss::SquaredError,
        shuffle: true,
        seed: 7,
    };
    let history = train(
        &mut neuron,
        &mut sgd,
        &train_set,
        Some(&validation),
        &config,
    )?;
    // ANCHOR_END: training
    println!(
        "\nTraining on setosa vs rest ({} training, {} validation flowers)",
        train_set.n_samples(),
        validation.n_samples()
    );
    println!("  epoch  train loss  train acc  valid loss  valid acc");
    for r in &history.records {
        println!(
            "  {:>5}  {:>10.6}  {:>8.1}%  {:>10.6}  {:>8.1}%",
            r.epoch,
            r.train_loss,
            100.0 * r.train_accuracy,
            r.validation_loss.unwrap_or(f64::NAN),
            100.0 * r.validation_accuracy.unwrap_or(f64::NAN),
        );
    }
    Ok(())
}
