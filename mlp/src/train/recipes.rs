//! The recipes behind the course's results: for each data set, the network, optimizer and
//! schedule that reach the accuracy the chapter quotes, as plain functions of a seed.
//!
//! `cargo xtask results` prints their tables, the integration tests assert the fast ones, and
//! the figures draw the networks they train. Every recipe is deterministic: the seed fixes
//! the initial weights, the shuffling and (for the real data sets) the split.
//!
//! | recipe | network | training | result (see `cargo xtask results`) |
//! | --- | --- | --- | --- |
//! | [`xor`] | 2-`hidden`-1 sigmoid, binary cross-entropy | full batch, SGD 2.0, 5000 epochs | 2-2-1 fails for some seeds; 2-8-1 solves every seed |
//! | [`moons`] | 2-16-16-1 ReLU | Adam 0.01, batches of 10, 500 epochs | 100 % training accuracy |
//! | [`spirals_linear`] | 2-3 softmax (no hidden layer) | full batch, SGD 1.0, 200 epochs, L2 1e-3 | about half right |
//! | [`spirals_mlp`] | 2-100-3 ReLU | full batch, SGD 1.0, 10000 epochs, L2 1e-3 | ≥ 98 % training accuracy |
//! | [`digits`] | 64-128-10 ReLU, L2 1e-3 | Adam 1e-3, batches of 32, 100 epochs | ≥ 97.5 % test accuracy |
//! | [`iris`] | 4-16-3 tanh | Adam 0.01, batches of 16, 200 epochs | ≥ 95 % test accuracy |
//!
//! The real data sets are split 70/30, stratified by class and seeded, and standardised with
//! the statistics of the training side only.

use std::fmt;

use optim::{Adam, AdamConfig, Sgd, SgdConfig};
use perceptron::data::{Dataset, Standardizer};

use super::{History, TrainConfig, Trainer, evaluate};
use crate::backprop::Evaluation;
use crate::{Activation, Mlp};

/// The two moons every moons recipe trains on: 100 points, noise 0.1, data seed 0.
pub const MOONS: (usize, f64, u64) = (100, 0.1, 0);

/// The spirals every spirals recipe trains on: 3 arms of 100 points, angle noise 0.2, data
/// seed 0 (CS231n's setting).
pub const SPIRALS: (usize, usize, f64, u64) = (100, 3, 0.2, 0);

/// The fraction of a real data set held out for testing.
pub const TEST_FRACTION: f64 = 0.3;

/// What can go wrong in a recipe (none of it does for the shipped settings; the tests run
/// them).
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Building the network failed.
    Build(crate::Error),
    /// Generating the data failed.
    Data(crate::data::Error),
    /// Splitting or standardising the data failed.
    Split(perceptron::Error),
    /// Building the optimizer failed.
    Optimizer(optim::Error),
    /// Training failed.
    Train(super::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(e) => write!(f, "building the network: {e}"),
            Self::Data(e) => write!(f, "generating the data: {e}"),
            Self::Split(e) => write!(f, "splitting the data: {e}"),
            Self::Optimizer(e) => write!(f, "building the optimizer: {e}"),
            Self::Train(e) => write!(f, "training: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Build(e) => Some(e),
            Self::Data(e) => Some(e),
            Self::Split(e) => Some(e),
            Self::Optimizer(e) => Some(e),
            Self::Train(e) => Some(e),
        }
    }
}

impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        Self::Build(e)
    }
}
impl From<crate::data::Error> for Error {
    fn from(e: crate::data::Error) -> Self {
        Self::Data(e)
    }
}
impl From<perceptron::Error> for Error {
    fn from(e: perceptron::Error) -> Self {
        Self::Split(e)
    }
}
impl From<optim::Error> for Error {
    fn from(e: optim::Error) -> Self {
        Self::Optimizer(e)
    }
}
impl From<super::Error> for Error {
    fn from(e: super::Error) -> Self {
        Self::Train(e)
    }
}

/// A trained network and how it did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The seed of the initial weights, the shuffling and the split.
    pub seed: u64,
    /// The trained network.
    pub net: Mlp<f64>,
    /// The training history; its `validation` entries are the held-out (test) data, which
    /// never influences training.
    pub history: History,
    /// Loss and accuracy on the training data after training.
    pub train: Evaluation,
    /// Loss and accuracy on the held-out test data (real data sets only).
    pub test: Option<Evaluation>,
    /// The data trained on (standardised for the real data sets).
    pub train_data: Dataset,
    /// The held-out data (standardised with the training statistics), if any.
    pub test_data: Option<Dataset>,
}

/// XOR with one hidden layer of `hidden` sigmoid units and a sigmoid output, binary
/// cross-entropy, plain gradient descent with learning rate 2 on all four points at once,
/// 5000 epochs, weights drawn (Glorot uniform) from `seed`. Solved means all four points right.
///
/// # Errors
/// [`Error::Build`] for `hidden == 0`; the others never happen for these settings.
pub fn xor(hidden: usize, seed: u64) -> Result<Outcome, Error> {
    let data = crate::data::xor();
    let net = Mlp::<f64>::builder(2)
        .hidden(hidden, Activation::Sigmoid)
        .output(1, Activation::Sigmoid)
        .seed(seed)
        .build()?;
    let sgd = Sgd::new(SgdConfig {
        learning_rate: 2.0,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 5000,
        batch_size: 4,
        shuffle: false,
        seed,
        ..TrainConfig::default()
    };
    fit(net, sgd, config, data, None, seed)
}

/// Two moons ([`MOONS`]) with a 2-16-16-1 ReLU network (He initialisation), sigmoid output,
/// Adam with learning rate 0.01, batches of 10, 500 epochs.
///
/// # Errors
/// Never for these settings.
pub fn moons(seed: u64) -> Result<Outcome, Error> {
    let (n, noise, data_seed) = MOONS;
    let data = crate::data::moons(n, noise, data_seed)?;
    let net = Mlp::<f64>::builder(2)
        .hidden(16, Activation::Relu)
        .hidden(16, Activation::Relu)
        .output(1, Activation::Sigmoid)
        .seed(seed)
        .build()?;
    let adam = Adam::new(AdamConfig {
        learning_rate: 0.01,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 500,
        batch_size: 10,
        seed,
        ..TrainConfig::default()
    };
    fit(net, adam, config, data, None, seed)
}

/// The spirals ([`SPIRALS`]) with a linear softmax classifier (no hidden layer): full-batch
/// gradient descent with learning rate 1, L2 penalty $10^{-3}$, 200 epochs, as CS231n.
///
/// # Errors
/// Never for these settings.
pub fn spirals_linear(seed: u64) -> Result<Outcome, Error> {
    let data = spirals_data()?;
    let net = Mlp::<f64>::builder(2)
        .output(3, Activation::Softmax)
        .l2(1e-3)
        .seed(seed)
        .build()?;
    full_batch_sgd(net, data, 200, seed)
}

/// The spirals ([`SPIRALS`]) with one hidden layer of 100 ReLU units: full-batch gradient
/// descent with learning rate 1, L2 penalty $10^{-3}$, 10000 epochs, as CS231n.
///
/// # Errors
/// Never for these settings.
pub fn spirals_mlp(seed: u64) -> Result<Outcome, Error> {
    let data = spirals_data()?;
    let net = Mlp::<f64>::builder(2)
        .hidden(100, Activation::Relu)
        .output(3, Activation::Softmax)
        .l2(1e-3)
        .seed(seed)
        .build()?;
    full_batch_sgd(net, data, 10_000, seed)
}

/// The digits, split 70/30 (stratified, seeded) and standardised, with a 64-128-10 ReLU
/// network (L2 penalty $10^{-3}$), Adam with learning rate $10^{-3}$, batches of 32, 100
/// epochs.
///
/// # Errors
/// Never for these settings.
pub fn digits(seed: u64) -> Result<Outcome, Error> {
    let (train, test) = split(&crate::data::digits(), seed)?;
    let net = digits_network(seed)?;
    let adam = Adam::new(AdamConfig {
        learning_rate: 1e-3,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 100,
        batch_size: 32,
        seed,
        ..TrainConfig::default()
    };
    fit(net, adam, config, train, Some(test), seed)
}

/// The untrained network of [`digits`]: 64-128-10, ReLU hidden layer (He normal), softmax
/// output, L2 penalty $10^{-3}$, weights drawn from `seed`.
///
/// # Errors
/// Never.
pub fn digits_network(seed: u64) -> Result<Mlp<f64>, Error> {
    Ok(Mlp::<f64>::builder(64)
        .hidden(128, Activation::Relu)
        .output(10, Activation::Softmax)
        .l2(1e-3)
        .seed(seed)
        .build()?)
}

/// The digits split of [`digits`]: 70/30, stratified, seeded, standardised with the training
/// side's statistics.
///
/// # Errors
/// Never.
pub fn digits_split(seed: u64) -> Result<(Dataset, Dataset), Error> {
    split(&crate::data::digits(), seed)
}

/// Iris with its 3 classes, split 70/30 (stratified, seeded) and standardised, with a 4-16-3
/// tanh network, Adam with learning rate 0.01, batches of 16, 200 epochs.
///
/// # Errors
/// Never for these settings.
pub fn iris(seed: u64) -> Result<Outcome, Error> {
    let (train, test) = split(&perceptron::data::iris(), seed)?;
    let net = Mlp::<f64>::builder(4)
        .hidden(16, Activation::Tanh)
        .output(3, Activation::Softmax)
        .seed(seed)
        .build()?;
    let adam = Adam::new(AdamConfig {
        learning_rate: 0.01,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 200,
        batch_size: 16,
        seed,
        ..TrainConfig::default()
    };
    fit(net, adam, config, train, Some(test), seed)
}

/// The median of `values` (the mean of the middle two for an even count); NaN if empty.
///
/// ```
/// use mlp::train::recipes::median;
///
/// assert_eq!(median(&[0.97, 0.99, 0.98]), 0.98);
/// assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
/// assert!(median(&[]).is_nan());
/// ```
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]),
    }
}

fn spirals_data() -> Result<Dataset, Error> {
    let (n_per_class, n_classes, noise, data_seed) = SPIRALS;
    Ok(crate::data::spirals(
        n_per_class,
        n_classes,
        noise,
        data_seed,
    )?)
}

fn full_batch_sgd(
    net: Mlp<f64>,
    data: Dataset,
    epochs: usize,
    seed: u64,
) -> Result<Outcome, Error> {
    let sgd = Sgd::new(SgdConfig {
        learning_rate: 1.0,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs,
        batch_size: data.n_samples(),
        shuffle: false,
        seed,
        ..TrainConfig::default()
    };
    fit(net, sgd, config, data, None, seed)
}

/// Splits 70/30 (stratified, seeded) and standardises both sides with the training side's
/// statistics.
fn split(data: &Dataset, seed: u64) -> Result<(Dataset, Dataset), Error> {
    let (train, test) = data.stratified_split(TEST_FRACTION, seed)?;
    let scaler = Standardizer::fit(&train);
    Ok((scaler.transform(&train)?, scaler.transform(&test)?))
}

fn fit<O: optim::Optimizer<f64>>(
    mut net: Mlp<f64>,
    optimizer: O,
    config: TrainConfig,
    train_data: Dataset,
    test_data: Option<Dataset>,
    seed: u64,
) -> Result<Outcome, Error> {
    // The held-out data is evaluated after every epoch for the history's curves; without
    // early stopping it never influences training.
    let history = Trainer::new(config, optimizer)?.fit_with_validation(
        &mut net,
        &train_data,
        test_data.as_ref(),
    )?;
    let train = history.last().train;
    let test = test_data
        .as_ref()
        .map(|data| evaluate(&net, data))
        .transpose()?;
    Ok(Outcome {
        seed,
        net,
        history,
        train,
        test,
        train_data,
        test_data,
    })
}
