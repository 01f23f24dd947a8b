//! The neuron on three real tasks: held-out accuracy with squared error and cross-entropy.
//!
//! Run with `cargo run -p perceptron --example tasks`.

use optim::{Sgd, SgdConfig};
use perceptron::{Batching, Dataset, Loss, Neuron, Standardizer, TrainConfig, data, train};

// ANCHOR: run
/// Splits (30 % held out, stratified, seed 42), standardises on the training side, trains a
/// zero-initialised neuron online with SGD (learning rate 0.1) for 100 shuffled epochs and
/// returns (training accuracy, validation accuracy).
fn held_out_accuracy(task: &Dataset, loss: Loss) -> Result<(f64, f64), perceptron::Error> {
    let (train_set, validation) = task.stratified_split(0.3, 42)?;
    let scaler = Standardizer::fit(&train_set);
    let (train_set, validation) = (
        scaler.transform(&train_set)?,
        scaler.transform(&validation)?,
    );
    let mut neuron = Neuron::zeros(task.n_features())?;
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate: 0.1,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 100,
        batching: Batching::Online,
        loss,
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
    let last = history.last();
    Ok((
        last.train_accuracy,
        last.validation_accuracy.unwrap_or(f64::NAN),
    ))
}
// ANCHOR_END: run

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iris = data::iris();
    let tasks = [
        ("iris setosa vs rest", iris.one_vs_rest(0)?),
        ("iris versicolor vs virginica", iris.only_classes(&[1, 2])?),
        ("breast cancer benign vs malignant", data::breast_cancer()),
    ];
    println!(
        "{:<34} {:<19} {:>9} {:>10}",
        "task", "loss", "train", "held out"
    );
    for (name, task) in &tasks {
        for loss in [Loss::SquaredError, Loss::CrossEntropy] {
            let (train_accuracy, validation_accuracy) = held_out_accuracy(task, loss)?;
            println!(
                "{name:<34} {:<19} {:>8.1}% {:>9.1}%",
                loss.name(),
                100.0 * train_accuracy,
                100.0 * validation_accuracy
            );
        }
    }
    Ok(())
}
