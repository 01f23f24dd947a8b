//! Figures of chapter 5, "Training a network in practice" (`docs/src/training.md`).
//!
//! - `training-digits-loss`, `training-digits-accuracy`: training and held-out loss and
//!   accuracy per epoch of the digits recipe (seed 0).
//! - `training-digits-confusion`: its confusion matrix on the held-out 30 %.
//! - `training-digits-weights`: the incoming weights of its first 32 hidden units, each as an
//!   8×8 image.
//! - `training-vanishing-sigmoid`, `training-vanishing-relu`: the gradient norm of each layer
//!   per epoch for a 5-hidden-layer network on the digits, sigmoid against ReLU.
//! - `training-landscape-line`: the loss along the straight line from the initial to the
//!   trained parameters (Goodfellow et al. 2015).
//! - `training-landscape-slice`: the loss over a plane through the trained parameters spanned
//!   by two filter-normalised random directions (Li et al. 2018).
//!
//! Everything is seeded, so the figures are the same every run.

// Names such as ReLU and CS231n, and formulas, read as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

use std::sync::OnceLock;

use ::optim::{Sgd, SgdConfig};
use mlp::train::recipes::{self, Outcome};
use mlp::train::{History, TrainConfig, Trainer};
use mlp::{Activation, Init, Mlp};
use perceptron::data::Dataset;
use plotters::prelude::*;

use super::canvas::Area;
use super::charts::{ContourPlot, LineChart, Series};
use super::frame::Legend;
use super::style::{self, Axis, Scale};
use super::text::{Align, Baseline, Text};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// Loss per epoch on the digits.
pub const DIGITS_LOSS: Figure = Figure {
    name: "training-digits-loss",
    chapter: "training",
    description: "digits recipe: training and held-out loss per epoch (log scale)",
    draw: digits_loss,
};

/// Accuracy per epoch on the digits.
pub const DIGITS_ACCURACY: Figure = Figure {
    name: "training-digits-accuracy",
    chapter: "training",
    description: "digits recipe: training and held-out accuracy per epoch",
    draw: digits_accuracy,
};

/// The confusion matrix.
pub const DIGITS_CONFUSION: Figure = Figure {
    name: "training-digits-confusion",
    chapter: "training",
    description: "digits recipe: confusion matrix on the held-out 30 %",
    draw: digits_confusion,
};

/// The first layer's weights as images.
pub const DIGITS_WEIGHTS: Figure = Figure {
    name: "training-digits-weights",
    chapter: "training",
    description: "digits recipe: incoming weights of the first 32 hidden units as 8×8 images",
    draw: digits_weights,
};

/// Vanishing gradients in a deep sigmoid network.
pub const VANISHING_SIGMOID: Figure = Figure {
    name: "training-vanishing-sigmoid",
    chapter: "training",
    description: "gradient norm per layer and epoch, 64-32-32-32-32-32-10 sigmoid network on digits",
    draw: vanishing_sigmoid,
};

/// The same with ReLU.
pub const VANISHING_RELU: Figure = Figure {
    name: "training-vanishing-relu",
    chapter: "training",
    description: "gradient norm per layer and epoch, 64-32-32-32-32-32-10 ReLU network on digits",
    draw: vanishing_relu,
};

/// The loss along the line from the initial to the trained parameters.
pub const LANDSCAPE_LINE: Figure = Figure {
    name: "training-landscape-line",
    chapter: "training",
    description: "digits recipe: loss along (1 - t) theta_0 + t theta_trained",
    draw: landscape_line,
};

/// The loss over a random plane through the trained parameters.
pub const LANDSCAPE_SLICE: Figure = Figure {
    name: "training-landscape-slice",
    chapter: "training",
    description: "digits recipe: loss over a plane of two filter-normalised random directions",
    draw: landscape_slice,
};

/// The seed of the digits run every figure shows.
const SEED: u64 = 0;

/// The digits recipe with [`SEED`], trained once however many figures show it.
fn digits_run() -> Result<&'static Outcome> {
    static RUN: OnceLock<Outcome> = OnceLock::new();
    if let Some(outcome) = RUN.get() {
        return Ok(outcome);
    }
    let outcome = recipes::digits(SEED)?;
    Ok(RUN.get_or_init(|| outcome))
}

/// Draws training and held-out loss against the epoch.
///
/// # Errors
/// A training or drawing error.
pub fn digits_loss(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let history = &outcome.history;
    LineChart::new(
        "Digits, 64-128-10 ReLU, Adam: mean cross-entropy per epoch",
        Axis::linear("epoch"),
        Axis::log("loss"),
    )
    .series(Series::line("training", curve(history, |e| e.train.loss)).ending("epoch", 4, ""))
    .series(
        Series::line(
            "held out (30 %)",
            curve(history, |e| e.validation.map_or(f64::NAN, |v| v.loss)),
        )
        .ending("epoch", 4, ""),
    )
    .legend(Legend::UpperRight)
    .draw(canvas)
}

/// Draws training and held-out accuracy against the epoch.
///
/// # Errors
/// A training or drawing error.
pub fn digits_accuracy(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let history = &outcome.history;
    LineChart::new(
        "Digits, 64-128-10 ReLU, Adam: accuracy per epoch",
        Axis::linear("epoch"),
        // Zoomed on the last per cent; the first epoch's accuracies lie below the axis.
        Axis::linear("accuracy (%)").range(90.0, 100.5),
    )
    .series(
        Series::line("training", curve(history, |e| 100.0 * e.train.accuracy))
            .ending("epoch", 2, " %"),
    )
    .series(
        Series::line(
            "held out (30 %)",
            curve(history, |e| {
                e.validation.map_or(f64::NAN, |v| 100.0 * v.accuracy)
            }),
        )
        .ending("epoch", 2, " %"),
    )
    .legend(Legend::LowerRight)
    .draw(canvas)
}

fn curve(history: &History, value: impl Fn(&mlp::train::EpochRecord) -> f64) -> Vec<(f64, f64)> {
    history
        .epochs
        .iter()
        .map(|e| (e.epoch as f64, value(e)))
        .collect()
}

/// Draws the held-out confusion matrix: row = true digit, column = predicted digit.
///
/// # Errors
/// A training or drawing error.
pub fn digits_confusion(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let test = outcome
        .test_data
        .as_ref()
        .ok_or("the digits recipe holds out a test split")?;
    let mut ws = outcome.net.workspace(256)?;
    let predicted = outcome.net.predict_labels(&mut ws, test.features())?;
    let mut counts = [[0_usize; 10]; 10];
    for (&truth, &guess) in test.labels().iter().zip(&predicted) {
        counts[truth][guess] += 1;
    }
    let errors = test.n_samples() - (0..10).map(|d| counts[d][d]).sum::<usize>();
    let title = format!("Held-out digits: {errors} of {} wrong", test.n_samples());
    let cell = 78_i32;
    let (left, top) = (150_i32, 150_i32);
    let size = 10 * cell;
    canvas.draw(1000, 1060, |root| {
        text(
            root,
            &Text::title(title).anchor(Align::Centre, Baseline::Top),
            (left + size / 2, 28),
        )?;
        let max = counts.iter().flatten().copied().max().unwrap_or(1) as f64;
        for (row, line) in counts.iter().enumerate() {
            for (column, &count) in line.iter().enumerate() {
                let (x, y) = (left + px(column) * cell, top + px(row) * cell);
                let fill = if count == 0 {
                    style::BACKGROUND
                } else if row == column {
                    style::tint(style::BLUE, 1.0 - 0.85 * (count as f64 / max).sqrt())
                } else {
                    style::tint(style::VERMILLION, 0.45)
                };
                root.draw(&Rectangle::new(
                    [(x, y), (x + cell, y + cell)],
                    fill.filled(),
                ))?;
                root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], style::GRID))?;
                if count > 0 {
                    let ink = if row == column && count as f64 > 0.5 * max {
                        style::BACKGROUND
                    } else {
                        style::INK
                    };
                    text(
                        root,
                        &Text::small(count.to_string())
                            .colour(ink)
                            .anchor(Align::Centre, Baseline::Middle),
                        (x + cell / 2, y + cell / 2),
                    )?;
                }
            }
            let label = Text::label(row.to_string()).anchor(Align::End, Baseline::Middle);
            text(root, &label, (left - 16, top + px(row) * cell + cell / 2))?;
            let label = Text::label(row.to_string()).anchor(Align::Centre, Baseline::Bottom);
            text(root, &label, (left + px(row) * cell + cell / 2, top - 10))?;
        }
        let axis = Text::label("predicted digit").anchor(Align::Centre, Baseline::Top);
        text(root, &axis, (left + size / 2, top + size + 16))?;
        let axis = Text::label("true digit")
            .anchor(Align::Centre, Baseline::Bottom)
            .upright();
        text(root, &axis, (left - 70, top + size / 2))?;
        Ok(())
    })
}

/// Draws the incoming weights of the first 32 hidden units, each as an 8×8 image in a
/// blue (negative) to white (0) to orange (positive) scale, scaled by its own largest |w|.
///
/// # Errors
/// A training or drawing error.
pub fn digits_weights(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let weights = outcome.net.weights(0);
    let side = mlp::data::DIGIT_SIDE;
    let pixel = 19_i32;
    let tile = pixel * px(side);
    let gap = 22_i32;
    let (columns, rows) = (8_usize, 4_usize);
    let left = (1400 - (px(columns) * (tile + gap) - gap)) / 2;
    let top = 120_i32;
    canvas.draw(1400, 880, |root| {
        let heading = "Digits network, first layer: 32 units' weights as 8×8 images";
        text(root, &Text::title(heading).anchor(Align::Centre, Baseline::Top), (700, 28))?;
        for unit in 0..columns * rows {
            let row = weights.row(unit);
            let scale = row.iter().fold(0.0_f64, |m, w| m.max(w.abs())).max(f64::MIN_POSITIVE);
            let (x0, y0) = (
                left + px(unit % columns) * (tile + gap),
                top + px(unit / columns) * (tile + gap),
            );
            for (i, &w) in row.iter().enumerate() {
                let (r, c) = (px(i / side), px(i % side));
                let t = w / scale;
                let fill = if t < 0.0 {
                    style::tint(style::BLUE, 1.0 + t)
                } else {
                    style::tint(style::ORANGE, 1.0 - t)
                };
                let (x, y) = (x0 + c * pixel, y0 + r * pixel);
                root.draw(&Rectangle::new([(x, y), (x + pixel, y + pixel)], fill.filled()))?;
            }
            root.draw(&Rectangle::new([(x0, y0), (x0 + tile, y0 + tile)], style::GREY))?;
        }
        let note = "blue: negative weight, white: 0, orange: positive (each image scaled by its largest |w|)";
        let y = top + px(rows) * (tile + gap) + 8;
        text(root, &Text::small(note).anchor(Align::Centre, Baseline::Top), (700, y))?;
        Ok(())
    })
}

/// A small count (a cell or pixel index) as a pixel coordinate.
fn px(n: usize) -> i32 {
    i32::try_from(n).expect("invariant: figure coordinates are far below 2^31")
}

/// Draws `t` at `at` in pixels.
fn text(root: &Area<'_>, t: &Text, at: (i32, i32)) -> Result<()> {
    t.draw(root, at)
}

/// Epochs of the vanishing-gradient runs.
const DEEP_EPOCHS: usize = 40;

/// A 64-32-32-32-32-32-10 network with `activation` in every hidden layer (initialised as
/// recommended for it: Glorot for sigmoid, He for ReLU), trained on the standardised digits
/// with plain SGD (learning rate 0.1, batches of 32) for [`DEEP_EPOCHS`] epochs.
fn deep_history(activation: Activation) -> Result<History> {
    let (train, _) = recipes::digits_split(SEED)?;
    let mut builder = Mlp::<f64>::builder(64);
    for _ in 0..5 {
        builder = builder.hidden(32, activation);
    }
    let mut net: Mlp<f64> = builder.output(10, Activation::Softmax).seed(SEED).build()?;
    let sgd = Sgd::new(SgdConfig {
        learning_rate: 0.1,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: DEEP_EPOCHS,
        batch_size: 32,
        seed: SEED,
        ..TrainConfig::default()
    };
    Ok(Trainer::new(config, sgd)?.fit(&mut net, &train)?)
}

fn vanishing(canvas: &Canvas, activation: Activation, name: &str) -> Result<()> {
    let history = deep_history(activation)?;
    let accuracy = 100.0 * history.last().train.accuracy;
    let mut chart = LineChart::new(
        format!(
            "{name} network, SGD 0.1: gradient norm per layer ({accuracy:.0} % after {DEEP_EPOCHS} epochs)"
        ),
        Axis::linear("epoch"),
        // Three decades of headroom above the curves (which stay below 1.3) hold the legend.
        Axis::log("mean |dL/dθ_l| over the epoch").range(1e-4, 1e3),
    );
    let n_layers = history.epochs[0].grad_norms.len();
    for layer in 0..n_layers {
        let label = if layer + 1 == n_layers {
            "output layer".to_string()
        } else {
            format!("hidden layer {}", layer + 1)
        };
        chart = chart.series(
            Series::line(label, curve(&history, |e| e.grad_norms[layer]))
                .colour(style::colour(layer))
                .ending("epoch", 4, ""),
        );
    }
    chart.legend(Legend::UpperRight).draw(canvas)
}

/// Draws the per-layer gradient norms of the deep sigmoid network.
///
/// # Errors
/// A training or drawing error.
pub fn vanishing_sigmoid(canvas: &Canvas) -> Result<()> {
    vanishing(canvas, Activation::Sigmoid, "Sigmoid")
}

/// Draws the per-layer gradient norms of the deep ReLU network.
///
/// # Errors
/// A training or drawing error.
pub fn vanishing_relu(canvas: &Canvas) -> Result<()> {
    vanishing(canvas, Activation::Relu, "ReLU")
}

/// The mean loss (without the penalty) of `net` with parameters `params` over `data`.
fn loss_at(net: &mut Mlp<f64>, params: &[f64], data: &Dataset) -> f64 {
    net.params_mut().copy_from_slice(params);
    mlp::train::evaluate(net, data).map_or(f64::NAN, |e| e.loss)
}

/// Draws the loss along $\theta(t) = (1 - t)\theta_0 + t\theta^*$ from the initial to the
/// trained parameters, on the training and held-out data.
///
/// # Errors
/// A training or drawing error.
pub fn landscape_line(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let start = recipes::digits_network(SEED)?;
    let test = outcome.test_data.as_ref().ok_or("a held-out split")?;
    let mut probe = outcome.net.clone();
    let (mut train_curve, mut test_curve) = (Vec::new(), Vec::new());
    let mut params = vec![0.0; probe.n_params()];
    for i in 0..=60 {
        let t = -0.25 + 1.5 * f64::from(i) / 60.0;
        for ((p, &a), &b) in params
            .iter_mut()
            .zip(start.params())
            .zip(outcome.net.params())
        {
            *p = (1.0 - t) * a + t * b;
        }
        train_curve.push((t, loss_at(&mut probe, &params, &outcome.train_data)));
        test_curve.push((t, loss_at(&mut probe, &params, test)));
    }
    LineChart::new(
        "Digits: loss on the straight line from initial (t = 0) to trained (t = 1) weights",
        Axis::linear("t"),
        Axis::log("loss"),
    )
    .series(Series::line("training", train_curve))
    .series(Series::line("held out", test_curve))
    .legend(Legend::UpperRight)
    .draw(canvas)
}

/// A random direction in parameter space, filter-normalised (Li et al. 2018): Gaussian
/// entries (drawn as a freshly He-normal-initialised network of the same shape, seed
/// `seed`), each weight row rescaled to the norm of the same row of the trained weights
/// (a row is one unit's incoming weights), and zero for the biases.
fn filter_normalised_direction(trained: &Mlp<f64>, seed: u64) -> Result<Vec<f64>> {
    let mut builder = Mlp::<f64>::builder(trained.n_inputs());
    let layers = trained.layers();
    for layer in &layers[..layers.len() - 1] {
        builder = builder.hidden(layer.n_outputs(), layer.activation());
    }
    let last = layers[layers.len() - 1];
    let random: Mlp<f64> = builder
        .output(last.n_outputs(), last.activation())
        .init(Init::HeNormal)
        .seed(seed)
        .build()?;
    let mut direction = random.params().to_vec();
    for layer in layers {
        let n_in = layer.n_inputs();
        let weights = layer.weights_range();
        for unit in 0..layer.n_outputs() {
            let row = weights.start + unit * n_in..weights.start + (unit + 1) * n_in;
            let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
            let target = norm(&trained.params()[row.clone()]);
            let own = norm(&direction[row.clone()]).max(f64::MIN_POSITIVE);
            for d in &mut direction[row] {
                *d *= target / own;
            }
        }
        direction[layer.biases_range()].fill(0.0);
    }
    Ok(direction)
}

/// Draws the training loss over $\theta^* + \alpha d_1 + \beta d_2$ for two
/// filter-normalised random directions $d_1$, $d_2$.
///
/// # Errors
/// A training or drawing error.
pub fn landscape_slice(canvas: &Canvas) -> Result<()> {
    let outcome = digits_run()?;
    let d1 = filter_normalised_direction(&outcome.net, 101)?;
    let d2 = filter_normalised_direction(&outcome.net, 102)?;
    let trained = outcome.net.params().to_vec();
    let probe = std::cell::RefCell::new((outcome.net.clone(), vec![0.0; trained.len()]));
    let loss = |alpha: f64, beta: f64| -> f64 {
        let mut guard = probe.borrow_mut();
        let (net, params) = &mut *guard;
        for (((p, &t), &a), &b) in params.iter_mut().zip(&trained).zip(&d1).zip(&d2) {
            *p = t + alpha * a + beta * b;
        }
        let params = params.clone();
        loss_at(net, &params, &outcome.train_data)
    };
    // How far the basin rises: the loss at the centre and its largest value on the circle of
    // radius 1/2 (every unit's weights moved by half their own norm), at 64 angles.
    let centre = loss(0.0, 0.0);
    let ring = (0..64)
        .map(|k| {
            let angle = std::f64::consts::TAU * f64::from(k) / 64.0;
            loss(0.5 * angle.cos(), 0.5 * angle.sin())
        })
        .fold(f64::NEG_INFINITY, f64::max);
    ContourPlot::new(
        format!(
            "Digits, training loss on a random plane: {centre:.4} at the centre, at most {ring:.3} at radius 0.5"
        ),
        Axis::linear("α (direction 1)").range(-1.0, 1.0),
        Axis::linear("β (direction 2)").range(-1.0, 1.0),
        loss,
    )
    .resolution(31)
    .value_scale(Scale::Log)
    .label_levels(true)
    .draw(canvas)
}
