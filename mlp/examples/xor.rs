//! XOR, the function no single neuron can learn, learned by a network with one hidden layer.
//!
//! `cargo run -p mlp --example xor`

use mlp::train::{TrainConfig, Trainer};
use mlp::{Activation, Mlp};
use optim::{Sgd, SgdConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: train
    let xor = mlp::data::xor();
    // 2 inputs, 8 sigmoid hidden units, 1 sigmoid output (binary cross-entropy by default).
    let mut net: Mlp<f64> = Mlp::<f64>::builder(2)
        .hidden(8, Activation::Sigmoid)
        .output(1, Activation::Sigmoid)
        .seed(0)
        .build()?;
    // Plain gradient descent on all four points at once.
    let sgd = Sgd::new(SgdConfig {
        learning_rate: 2.0,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 5000,
        batch_size: 4,
        shuffle: false,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, sgd)?.fit(&mut net, &xor)?;
    let outputs = net.predict(xor.features())?;
    for (i, p) in outputs.iter().enumerate() {
        let x = xor.row(i);
        println!(
            "xor({}, {}) = {} -> network says {p:.3}",
            x[0],
            x[1],
            xor.labels()[i]
        );
    }
    println!(
        "loss {:.2e} after {} epochs",
        history.last().train.loss,
        history.epochs.len()
    );
    // ANCHOR_END: train
    assert!((history.last().train.accuracy - 1.0).abs() < f64::EPSILON);
    Ok(())
}
