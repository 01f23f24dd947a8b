//! Figures of chapter 3, "The perceptron" (`docs/src/perceptron.md`).
//!
//! - `perceptron-loss` and `perceptron-accuracy`: training and validation loss and accuracy
//!   per epoch of a neuron learning Iris setosa against the rest.
//! - `perceptron-boundary`: the line $w \cdot x + b = 0$ in the plane of petal length and
//!   petal width at several epochs, as a neuron trained on those two features separates
//!   versicolor from virginica.
//! - `perceptron-sigmoid`: $\sigma(z)$ and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.
//! - `perceptron-saturation`: $|\partial \ell / \partial z|$ of squared error and
//!   cross-entropy for target 1 as $z$ moves to the wrong side: the squared error's gradient
//!   vanishes, cross-entropy's does not.
//!
//! Every run is seeded (the split and the shuffling), so the figures are the same every time.

// LaTeX in the docs (`$x_i$`, `$\mu_i$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

use ::optim::{Sgd, SgdConfig};
use ::perceptron::{
    Batching, Dataset, History, Loss, Neuron, Standardizer, TrainConfig, data, train,
};
use chain_rule::elementary::sigmoid;

use super::charts::{LineChart, Series};
use super::frame::Legend;
use super::style::{self, Axis};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// Loss per epoch on setosa against the rest.
pub const LOSS: Figure = Figure {
    name: "perceptron-loss",
    chapter: "perceptron",
    description: "iris setosa vs rest: training and validation loss per epoch (log scale)",
    draw: loss_curves,
};

/// Accuracy per epoch on setosa against the rest.
pub const ACCURACY: Figure = Figure {
    name: "perceptron-accuracy",
    chapter: "perceptron",
    description: "iris setosa vs rest: training and validation accuracy per epoch",
    draw: accuracy_curves,
};

/// The decision boundary moving with the epochs.
pub const BOUNDARY: Figure = Figure {
    name: "perceptron-boundary",
    chapter: "perceptron",
    description: "versicolor vs virginica by petal length and width: the boundary at epochs 0 to 100",
    draw: boundary,
};

/// The sigmoid and its derivative.
pub const SIGMOID: Figure = Figure {
    name: "perceptron-sigmoid",
    chapter: "perceptron",
    description: "the sigmoid and its derivative y_hat (1 - y_hat)",
    draw: sigmoid_curves,
};

/// The saturation lesson.
pub const SATURATION: Figure = Figure {
    name: "perceptron-saturation",
    chapter: "perceptron",
    description: "|dloss/dz| for target 1: squared error vanishes on the wrong side, cross-entropy does not",
    draw: saturation,
};

/// Epochs of the setosa runs.
const EPOCHS: usize = 40;

/// The chapter's setosa run: 30 % held out (seed 42), standardised on the training side,
/// online SGD with learning rate 0.01 (ten times smaller than the walkthrough's, so the
/// curves show the approach instead of a jump), squared error, shuffled with seed 7.
fn setosa_history() -> Result<History> {
    let task = data::iris().one_vs_rest(0)?;
    let (train_set, validation) = task.stratified_split(0.3, 42)?;
    let scaler = Standardizer::fit(&train_set);
    let (train_set, validation) = (
        scaler.transform(&train_set)?,
        scaler.transform(&validation)?,
    );
    let mut neuron = Neuron::zeros(4)?;
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate: 0.01,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: EPOCHS,
        batching: Batching::Online,
        loss: Loss::SquaredError,
        shuffle: true,
        seed: 7,
    };
    Ok(train(
        &mut neuron,
        &mut sgd,
        &train_set,
        Some(&validation),
        &config,
    )?)
}

/// Draws the training and validation loss against the epoch, on a log scale.
///
/// # Errors
///
/// A data or training error (none for this run) or a drawing error.
pub fn loss_curves(canvas: &Canvas) -> Result<()> {
    let history = setosa_history()?;
    let points = |pick: fn(&::perceptron::EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .records
            .iter()
            .filter_map(|r| pick(r).map(|v| (r.epoch as f64, v)))
            .collect()
    };
    LineChart::new(
        "Setosa vs rest: mean squared error per epoch (online SGD, lr 0.01)",
        Axis::linear("epoch"),
        Axis::log("loss L"),
    )
    .series(
        Series::line_and_points("training", points(|r| Some(r.train_loss)))
            .colour(style::BLUE)
            .ending("epoch", 4, ""),
    )
    .series(
        Series::line_and_points("validation", points(|r| r.validation_loss))
            .colour(style::VERMILLION)
            .ending("epoch", 4, ""),
    )
    .legend(Legend::UpperRight)
    .draw(canvas)
}

/// Draws the training and validation accuracy against the epoch.
///
/// # Errors
///
/// A data or training error (none for this run) or a drawing error.
pub fn accuracy_curves(canvas: &Canvas) -> Result<()> {
    let history = setosa_history()?;
    let points = |pick: fn(&::perceptron::EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .records
            .iter()
            .filter_map(|r| pick(r).map(|v| (r.epoch as f64, 100.0 * v)))
            .collect()
    };
    LineChart::new(
        "Setosa vs rest: accuracy per epoch (online SGD, lr 0.01)",
        Axis::linear("epoch"),
        Axis::linear("accuracy (%)").range(50.0, 102.0),
    )
    .series(
        Series::line_and_points("training", points(|r| Some(r.train_accuracy))).colour(style::BLUE),
    )
    .series(
        Series::dashed("validation", points(|r| r.validation_accuracy)).colour(style::VERMILLION),
    )
    .legend(Legend::LowerRight)
    .draw(canvas)
}

/// The epochs whose boundaries are drawn, earliest first.
const SNAPSHOTS: [usize; 5] = [0, 1, 3, 10, 100];

/// Draws the flowers of versicolor and virginica by petal length and width (cm), and the
/// boundary of a neuron trained on those two features after epochs 0, 1, 3, 10 and 100, from
/// light to dark.
///
/// The neuron sees standardised features $x'_i = (x_i - \mu_i)/s_i$ and starts from a badly
/// turned line, $w = (-1, 1)$, $b = 1$, so there is something to learn (from zero weights the
/// very first gradient already points the right way); online SGD with learning rate 0.01,
/// cross-entropy, shuffled with seed 7. Its boundary
/// $\sum_i w_i x'_i + b = 0$ is drawn in centimetres as
/// $\sum_i (w_i / s_i) x_i + (b - \sum_i w_i \mu_i / s_i) = 0$.
///
/// # Errors
///
/// A data or training error (none for this run) or a drawing error.
pub fn boundary(canvas: &Canvas) -> Result<()> {
    let task = data::iris()
        .only_classes(&[1, 2])?
        .select_features(&[2, 3])?;
    let scaler = Standardizer::fit(&task);
    let standardized = scaler.transform(&task)?;
    let mut neuron = Neuron::new(vec![-1.0, 1.0], 1.0)?;
    let mut sgd = Sgd::new(SgdConfig {
        learning_rate: 0.01,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: SNAPSHOTS[SNAPSHOTS.len() - 1],
        batching: Batching::Online,
        loss: Loss::CrossEntropy,
        shuffle: true,
        seed: 7,
    };
    let history = train(&mut neuron, &mut sgd, &standardized, None, &config)?;
    let (x_range, y_range) = ((1.0, 7.2), (0.8, 2.7));
    let mut chart = LineChart::new(
        "Versicolor vs virginica: the boundary w·x + b = 0 as training goes on",
        Axis::linear("petal length (cm)").range(x_range.0, x_range.1),
        Axis::linear("petal width (cm)").range(y_range.0, y_range.1),
    );
    for (class, name) in task.class_names().iter().enumerate() {
        chart = chart.series(
            Series::points(name.clone(), class_points(&task, class))
                .colour(style::colour(class + 4)),
        );
    }
    for (k, &epoch) in SNAPSHOTS.iter().enumerate() {
        let record = &history.records[epoch];
        let accuracy = 100.0 * record.train_accuracy;
        let shade = 0.7 * (1.0 - k as f64 / (SNAPSHOTS.len() - 1) as f64);
        let (w, b) = record.params.split_at(2);
        let mut in_cm = [0.0; 3];
        in_cm[2] = b[0];
        for i in 0..2 {
            in_cm[i] = w[i] / scaler.scales()[i];
            in_cm[2] -= w[i] * scaler.means()[i] / scaler.scales()[i];
        }
        let segment = clip_line(&in_cm, x_range, y_range);
        chart = chart.series(
            Series::line(format!("epoch {epoch}: {accuracy:.0} % right"), segment)
                .colour(style::tint(style::BLUE, shade)),
        );
    }
    chart.legend(Legend::LowerLeft).draw(canvas)
}

/// The samples of one class as `(feature 0, feature 1)` points.
fn class_points(task: &Dataset, class: usize) -> Vec<(f64, f64)> {
    task.rows()
        .zip(task.labels())
        .filter(|&(_, &label)| label == class)
        .map(|(row, _)| (row[0], row[1]))
        .collect()
}

/// The part of the line $w_0 x + w_1 y + b = 0$ (`params = [w_0, w_1, b]`) inside the box,
/// as its two end points (none if the line misses the box).
fn clip_line(params: &[f64], x_range: (f64, f64), y_range: (f64, f64)) -> Vec<(f64, f64)> {
    let (w0, w1, b) = (params[0], params[1], params[2]);
    let mut ends = Vec::new();
    // Crossings with the vertical sides x = const, then the horizontal sides y = const.
    if w1.abs() > f64::MIN_POSITIVE {
        for x in [x_range.0, x_range.1] {
            let y = -(w0 * x + b) / w1;
            if (y_range.0..=y_range.1).contains(&y) {
                ends.push((x, y));
            }
        }
    }
    if w0.abs() > f64::MIN_POSITIVE {
        for y in [y_range.0, y_range.1] {
            let x = -(w1 * y + b) / w0;
            if (x_range.0..=x_range.1).contains(&x) {
                ends.push((x, y));
            }
        }
    }
    ends.sort_by(|p, q| p.0.total_cmp(&q.0));
    ends.dedup();
    if ends.len() >= 2 {
        vec![ends[0], ends[ends.len() - 1]]
    } else {
        Vec::new()
    }
}

/// $z$ from `low` to `high` in 400 steps.
fn z_grid(low: f64, high: f64) -> Vec<f64> {
    (0..=400)
        .map(|i| low + (high - low) * f64::from(i) / 400.0)
        .collect()
}

/// Draws $\sigma(z)$ and $\sigma'(z) = \hat y (1 - \hat y)$ for $z \in [-8, 8]$.
///
/// # Errors
///
/// A drawing error.
pub fn sigmoid_curves(canvas: &Canvas) -> Result<()> {
    let zs = z_grid(-8.0, 8.0);
    let y_hat: Vec<(f64, f64)> = zs.iter().map(|&z| (z, sigmoid(z))).collect();
    let slope: Vec<(f64, f64)> = y_hat.iter().map(|&(z, s)| (z, s * (1.0 - s))).collect();
    LineChart::new(
        "The sigmoid y_hat = 1/(1 + e^-z) and its derivative y_hat (1 − y_hat)",
        Axis::linear("z = w·x + b"),
        Axis::linear("value").range(0.0, 1.0),
    )
    .series(Series::line("y_hat = σ(z)", y_hat).colour(style::BLUE))
    .series(
        Series::line("dy_hat/dz = y_hat (1 − y_hat), at most 1/4", slope).colour(style::VERMILLION),
    )
    .legend(Legend::UpperLeft)
    .draw(canvas)
}

/// Draws $|\partial \ell / \partial z|$ for target $y = 1$ over $z \in [-12, 6]$, log scale:
/// cross-entropy's $1 - \sigma(z)$ tends to 1 as the neuron becomes confidently wrong
/// ($z \to -\infty$), the squared error's $2(1 - \sigma)\sigma(1 - \sigma)$ to 0.
///
/// # Errors
///
/// A drawing error.
pub fn saturation(canvas: &Canvas) -> Result<()> {
    let zs = z_grid(-12.0, 6.0);
    let magnitude = |loss: Loss| -> Vec<(f64, f64)> {
        zs.iter()
            .map(|&z| {
                let s = sigmoid(z);
                (z, loss.dloss_dz(s, 1.0, s * (1.0 - s)).abs())
            })
            .collect()
    };
    LineChart::new(
        "Target y = 1: gradient size |dℓ/dz| as the neuron gets it wrong (z < 0)",
        Axis::linear("z = w·x + b"),
        // Two decades below the curves' lowest point (1.2e-5) hold the legend.
        Axis::log("|dℓ/dz|").range(1e-8, 3.0),
    )
    .series(
        Series::line("cross-entropy: |y_hat − y|", magnitude(Loss::CrossEntropy))
            .colour(style::BLUE),
    )
    .series(
        Series::line(
            "squared error: |2 (y_hat − y) y_hat (1 − y_hat)|",
            magnitude(Loss::SquaredError),
        )
        .colour(style::VERMILLION),
    )
    .legend(Legend::LowerRight)
    .draw(canvas)
}
