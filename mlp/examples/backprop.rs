//! One forward and one backward pass through a small network, checked against central
//! differences of the loss for every parameter.
//!
//! `cargo run -p mlp --example backprop`

use gradient::GradientChecker;
use mlp::{Activation, Mlp, Targets};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: backprop
    // A 3-4-2 network: tanh hidden layer, softmax output, cross-entropy on class labels.
    let net: Mlp<f64> = Mlp::<f64>::builder(3)
        .hidden(4, Activation::Tanh)
        .output(2, Activation::Softmax)
        .seed(1)
        .build()?;
    // A batch of two samples, one column each (sample after sample).
    let inputs = [0.5, -1.0, 2.0, /* sample 2: */ 1.5, 0.0, -0.5];
    let labels = [1, 0];
    let mut ws = net.workspace(2)?;
    let mut grad = vec![0.0; net.n_params()];
    let loss = net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)?;
    println!("loss {loss:.6}, {} parameters", net.n_params());
    // delta of the output layer: softmax minus one-hot, divided by the batch size.
    println!("delta^2 =\n{:.4}", ws.deltas(1));
    // ANCHOR_END: backprop

    // ANCHOR: check
    // Perturb one parameter at a time and difference the loss: the checker compares.
    let mut probe = net.clone();
    let report = GradientChecker::new(1e-6)?.check(
        |params| {
            probe.params_mut().copy_from_slice(params);
            probe
                .loss(&mut ws, &inputs, Targets::Labels(&labels))
                .unwrap_or(f64::NAN)
        },
        net.params(),
        &grad,
    )?;
    println!(
        "worst relative error over all {} parameters: {:.1e}",
        report.comparisons().len(),
        report.max_relative_error()
    );
    assert!(report.passed(), "{report}");
    // ANCHOR_END: check
    Ok(())
}
