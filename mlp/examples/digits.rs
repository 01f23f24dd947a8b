//! Handwritten digits: the sanity checks first, then training with a validation split, early
//! stopping and a look at the update-to-weight ratios.
//!
//! `cargo run -p mlp --example digits`

use mlp::train::{self, EarlyStopping, TrainConfig, Trainer};
use mlp::{Activation, Mlp};
use optim::{Adam, AdamConfig};
use perceptron::data::Standardizer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: data
    let digits = mlp::data::digits();
    // Hold out 30 % for the final test, stratified by digit; fit the scaling on the rest only.
    let (train_set, test_set) = digits.stratified_split(0.3, 0)?;
    let scaler = Standardizer::fit(&train_set);
    let (train_set, test_set) = (scaler.transform(&train_set)?, scaler.transform(&test_set)?);
    // ANCHOR_END: data

    // ANCHOR: sanity
    let mut net: Mlp<f64> = Mlp::<f64>::builder(64)
        .hidden(128, Activation::Relu)
        .output(10, Activation::Softmax)
        .l2(1e-3)
        .seed(0)
        .build()?;
    // Sanity check 1: an untrained classifier is unsure, so its loss is about ln 10.
    let start = train::evaluate(&net, &train_set)?;
    println!(
        "initial loss {:.3}, ln 10 = {:.3}, accuracy {:.1} %",
        start.loss,
        train::expected_initial_loss(10),
        100.0 * start.accuracy
    );
    // ANCHOR_END: sanity

    // ANCHOR: spread
    // Why not exactly ln 10: with ln p_k = z_k - lse(z), the loss -ln p_y of a sample is
    // (lse(z) - mean z) - (z_y - mean z), a spread term and the true class's lead.
    let probabilities = net.predict(train_set.features())?;
    let (mut spread, mut lead, mut variance) = (0.0, 0.0, 0.0);
    for (p, &label) in probabilities.column_iter().zip(train_set.labels()) {
        let log_p: Vec<f64> = p.iter().map(|p| p.ln()).collect();
        let mean = log_p.iter().sum::<f64>() / log_p.len() as f64;
        spread -= mean;
        lead += log_p[label] - mean;
        variance += log_p.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / log_p.len() as f64;
    }
    let n = train_set.n_samples() as f64;
    println!(
        "logit variance {:.2}, mean lse(z) - mean z {:.3}, mean z_y - mean z {:.3}",
        variance / n,
        spread / n,
        lead / n
    );
    // ANCHOR_END: spread

    // ANCHOR: train
    let adam = Adam::new(AdamConfig {
        learning_rate: 1e-3,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 200,
        batch_size: 32,
        seed: 0,
        // A fifth of the training side validates; training stops once its loss has not
        // improved for 10 epochs, and the best epoch's weights are kept.
        validation_fraction: Some(0.2),
        early_stopping: Some(EarlyStopping {
            patience: 10,
            min_delta: 0.0,
        }),
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, adam)?.fit(&mut net, &train_set)?;
    let best = history.best();
    let validation = best.validation.ok_or("validation data was held out")?;
    println!(
        "stopped after {} epochs, best epoch {}: validation loss {:.3}, accuracy {:.1} %",
        history.epochs.len(),
        history.best_epoch,
        validation.loss,
        100.0 * validation.accuracy
    );
    // Sanity check 3: each layer's update is a small fraction of its weights.
    let ratios: Vec<String> = best
        .update_ratios
        .iter()
        .map(|r| format!("{r:.1e}"))
        .collect();
    println!("update / weight per layer: {}", ratios.join(", "));
    let test = train::evaluate(&net, &test_set)?;
    println!("test accuracy {:.1} %", 100.0 * test.accuracy);
    // ANCHOR_END: train
    Ok(())
}
