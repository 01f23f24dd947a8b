//! Figures of chapter 4, "Backpropagation in matrix form" (`docs/src/backprop-matrix.md`).
//!
//! - `backprop-matrix-xor-linear`, `backprop-matrix-xor-mlp`: the regions of a logistic
//!   regression (no hidden layer) and of a 2-8-1 sigmoid network on XOR.
//! - `backprop-matrix-moons-linear`, `backprop-matrix-moons-mlp`: the same for two moons, the
//!   network being the 2-16-16-1 ReLU recipe.
//! - `backprop-matrix-spirals-linear`, `backprop-matrix-spirals-mlp`: CS231n's spirals, a
//!   linear softmax against one hidden layer of 100 ReLU units.
//! - `backprop-matrix-gradcheck`: the relative error of the backward pass against central
//!   differences, for every parameter of a random 4-8-8-3 network.
//!
//! The networks come from `mlp::train::recipes` (seeded), so the figures are the same every
//! run and show the very networks whose accuracies `cargo xtask results` prints.

// Names such as ReLU and CS231n, and formulas, read as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

use std::cell::RefCell;

use ::optim::{Adam, AdamConfig};
use gradient::GradientChecker;
use mlp::train::recipes::{self, Outcome};
use mlp::train::{TrainConfig, Trainer};
use mlp::{Activation, Mlp, Targets, Workspace};
use perceptron::data::Dataset;

use super::charts::{DecisionRegions, LineChart, Marker, Series};
use super::frame::Legend;
use super::style::{self, Axis};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// XOR: logistic regression.
pub const XOR_LINEAR: Figure = Figure {
    name: "backprop-matrix-xor-linear",
    chapter: "backprop-matrix",
    description: "XOR: the regions of a logistic regression (no hidden layer)",
    draw: xor_linear,
};

/// XOR: one hidden layer.
pub const XOR_MLP: Figure = Figure {
    name: "backprop-matrix-xor-mlp",
    chapter: "backprop-matrix",
    description: "XOR: the regions of a 2-8-1 sigmoid network",
    draw: xor_mlp,
};

/// Moons: logistic regression.
pub const MOONS_LINEAR: Figure = Figure {
    name: "backprop-matrix-moons-linear",
    chapter: "backprop-matrix",
    description: "two moons: the regions of a logistic regression",
    draw: moons_linear,
};

/// Moons: two hidden layers.
pub const MOONS_MLP: Figure = Figure {
    name: "backprop-matrix-moons-mlp",
    chapter: "backprop-matrix",
    description: "two moons: the regions of a 2-16-16-1 ReLU network",
    draw: moons_mlp,
};

/// Spirals: linear softmax.
pub const SPIRALS_LINEAR: Figure = Figure {
    name: "backprop-matrix-spirals-linear",
    chapter: "backprop-matrix",
    description: "spirals: the regions of a linear softmax classifier",
    draw: spirals_linear,
};

/// Spirals: one hidden layer of 100 ReLU.
pub const SPIRALS_MLP: Figure = Figure {
    name: "backprop-matrix-spirals-mlp",
    chapter: "backprop-matrix",
    description: "spirals: the regions of a 2-100-3 ReLU network",
    draw: spirals_mlp,
};

/// The gradient check of every parameter.
pub const GRADCHECK: Figure = Figure {
    name: "backprop-matrix-gradcheck",
    chapter: "backprop-matrix",
    description: "histogram of |backward - central difference| / max over the 139 parameters of a 4-8-8-3 network",
    draw: gradcheck,
};

/// A logistic regression (2 inputs, one sigmoid output) trained on `data` with Adam 0.05,
/// full batch, 500 epochs: the best a line can do.
fn logistic_regression(data: &Dataset) -> Result<Mlp<f64>> {
    let mut net: Mlp<f64> = Mlp::<f64>::builder(2)
        .output(1, Activation::Sigmoid)
        .build()?;
    let adam = Adam::new(AdamConfig {
        learning_rate: 0.05,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 500,
        batch_size: data.n_samples(),
        ..TrainConfig::default()
    };
    Trainer::new(config, adam)?.fit(&mut net, data)?;
    Ok(net)
}

/// Draws the regions of `net` over the rectangle, with `data` on top and its training
/// accuracy in the title.
fn regions(
    canvas: &Canvas,
    title: &str,
    net: &Mlp<f64>,
    data: &Dataset,
    (x_range, y_range): ((f64, f64), (f64, f64)),
) -> Result<()> {
    let accuracy = mlp::train::evaluate(net, data)?.accuracy;
    let workspace: RefCell<Workspace<f64>> = RefCell::new(net.workspace(1)?);
    let classify = |x: f64, y: f64| -> usize {
        let mut ws = workspace.borrow_mut();
        net.predict_labels(&mut ws, &[x, y])
            .ok()
            .and_then(|labels| labels.first().copied())
            .unwrap_or(0)
    };
    let points: Vec<(f64, f64, usize)> = (0..data.n_samples())
        .map(|i| (data.row(i)[0], data.row(i)[1], data.labels()[i]))
        .collect();
    let names: Vec<&str> = data.class_names().iter().map(String::as_str).collect();
    DecisionRegions::new(
        format!(
            "{title}: {:.0} % of training points right",
            100.0 * accuracy
        ),
        Axis::linear("x1").range(x_range.0, x_range.1),
        Axis::linear("x2").range(y_range.0, y_range.1),
        classify,
    )
    .class_names(&names)
    .data(points)
    .resolution(200)
    .legend(Legend::Hidden)
    .draw(canvas)
}

const XOR_BOX: ((f64, f64), (f64, f64)) = ((-0.5, 1.5), (-0.5, 1.5));
const MOONS_BOX: ((f64, f64), (f64, f64)) = ((-1.5, 2.5), (-1.0, 1.5));
const SPIRALS_BOX: ((f64, f64), (f64, f64)) = ((-1.1, 1.1), (-1.1, 1.1));

/// Draws the XOR regions of a logistic regression.
///
/// # Errors
/// A training or drawing error.
pub fn xor_linear(canvas: &Canvas) -> Result<()> {
    let data = mlp::data::xor();
    let net = logistic_regression(&data)?;
    regions(canvas, "XOR, no hidden layer", &net, &data, XOR_BOX)
}

/// Draws the XOR regions of the 2-8-1 recipe (seed 0).
///
/// # Errors
/// A training or drawing error.
pub fn xor_mlp(canvas: &Canvas) -> Result<()> {
    let outcome = recipes::xor(8, 0)?;
    regions(
        canvas,
        "XOR, 2-8-1 sigmoid",
        &outcome.net,
        &outcome.train_data,
        XOR_BOX,
    )
}

/// Draws the moons regions of a logistic regression.
///
/// # Errors
/// A training or drawing error.
pub fn moons_linear(canvas: &Canvas) -> Result<()> {
    let (n, noise, seed) = recipes::MOONS;
    let data = mlp::data::moons(n, noise, seed)?;
    let net = logistic_regression(&data)?;
    regions(canvas, "Two moons, no hidden layer", &net, &data, MOONS_BOX)
}

/// Draws the moons regions of the 2-16-16-1 recipe (seed 0).
///
/// # Errors
/// A training or drawing error.
pub fn moons_mlp(canvas: &Canvas) -> Result<()> {
    let outcome = recipes::moons(0)?;
    regions(
        canvas,
        "Two moons, 2-16-16-1 ReLU",
        &outcome.net,
        &outcome.train_data,
        MOONS_BOX,
    )
}

/// Draws the spirals regions of the linear softmax recipe (seed 0).
///
/// # Errors
/// A training or drawing error.
pub fn spirals_linear(canvas: &Canvas) -> Result<()> {
    let outcome: Outcome = recipes::spirals_linear(0)?;
    regions(
        canvas,
        "Spirals, linear softmax",
        &outcome.net,
        &outcome.train_data,
        SPIRALS_BOX,
    )
}

/// Draws the spirals regions of the 2-100-3 recipe (seed 0).
///
/// # Errors
/// A training or drawing error.
pub fn spirals_mlp(canvas: &Canvas) -> Result<()> {
    let outcome = recipes::spirals_mlp(0)?;
    regions(
        canvas,
        "Spirals, 2-100-3 ReLU",
        &outcome.net,
        &outcome.train_data,
        SPIRALS_BOX,
    )
}

/// The relative error of every parameter's backward-pass derivative against the gradient
/// checker's central difference, for a random 4-8-8-3 tanh network with softmax
/// cross-entropy on a batch of 5 random samples, as a histogram over powers of ten.
///
/// # Errors
/// A network, checker or drawing error.
pub fn gradcheck(canvas: &Canvas) -> Result<()> {
    let net: Mlp<f64> = Mlp::<f64>::builder(4)
        .hidden(8, Activation::Tanh)
        .hidden(8, Activation::Tanh)
        .output(3, Activation::Softmax)
        .seed(11)
        .build()?;
    // Five standardised Iris flowers, two setosa, two versicolor, one virginica.
    let iris = perceptron::data::iris();
    let iris = perceptron::data::Standardizer::fit(&iris).transform(&iris)?;
    let rows = [0, 25, 50, 75, 120];
    let inputs: Vec<f64> = rows.iter().flat_map(|&i| iris.row(i).to_vec()).collect();
    let labels: Vec<usize> = rows.iter().map(|&i| iris.labels()[i]).collect();
    let mut ws = net.workspace(5)?;
    let mut grad = vec![0.0; net.n_params()];
    net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)?;
    let mut probe = net.clone();
    let checker = GradientChecker::new(1e-6)?;
    let report = checker.check(
        |params| {
            probe.params_mut().copy_from_slice(params);
            probe
                .loss(&mut ws, &inputs, Targets::Labels(&labels))
                .unwrap_or(f64::NAN)
        },
        net.params(),
        &grad,
    )?;
    // Bins of one power of ten from 1e-16 to 1; an error of exactly 0 goes in the first.
    let mut counts = [0_usize; 16];
    for comparison in report.comparisons() {
        let exponent = comparison.relative_error.max(1e-16).log10().floor();
        // The exponent lies in -16..=0, so the index is in 0..=16; 1 itself joins the last bin.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bin = ((exponent + 16.0) as usize).min(15);
        counts[bin] += 1;
    }
    let mut outline = Vec::new();
    for (bin, &count) in counts.iter().enumerate() {
        let low = bin as f64 - 16.0;
        outline.push((low, count as f64));
        outline.push((low + 1.0, count as f64));
    }
    LineChart::new(
        format!(
            "Backward pass vs central differences, all {} parameters (worst {:.1e})",
            net.n_params(),
            report.max_relative_error()
        ),
        Axis::linear("log10 of the relative error").range(-16.0, 0.0),
        Axis::linear("parameters").range(0.0, (*counts.iter().max().unwrap_or(&1) as f64) * 1.15),
    )
    .series(Series::line("parameters per power of ten", outline).colour(style::BLUE))
    .marker(Marker::vertical(-6.0, "checker threshold 1e-6"))
    .legend(Legend::UpperLeft)
    .draw(canvas)
}
