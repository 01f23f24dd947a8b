//! Training a network on a data set: mini-batches, any optimizer and schedule, clipping, a
//! validation split, early stopping, a history per epoch, a divergence guard and the sanity
//! checks every practitioner runs first.
//!
//! One **epoch** visits every training sample once. The samples are shuffled at the start of
//! each epoch by a `ChaCha8` generator seeded with [`TrainConfig::seed`], then cut into
//! batches of [`TrainConfig::batch_size`] (the last batch may be smaller, as PyTorch's
//! `DataLoader` with `drop_last = False`). Each batch is one **step**: forward pass, backward
//! pass, optional clipping, then the optimizer's update
//!
//! $$ \theta \leftarrow \theta - \gamma_t\, g_t, \qquad g_t = \nabla_\theta \Big( \frac1B \sum_{b \in \text{batch}} \ell(x_b, y_b) + \frac{\lambda}{2} \sum_l \lVert W^l \rVert_F^2 \Big) $$
//!
//! Plain text: `theta = theta - lr_t * grad of (the batch's mean loss + the L2 penalty)` (or
//! whatever rule the [`optim::Optimizer`] implements), with $\lambda$ the network's
//! [`Mlp::l2`](crate::Mlp::l2). A schedule wraps the optimizer ([`optim::Scheduled`])
//! and counts steps, not epochs: an epoch has [`steps_per_epoch`] of them.
//!
//! After each epoch the [`History`] records, with the parameters as they are at that moment,
//! the loss and accuracy over the whole training set and the validation set, the mean
//! gradient norm of each layer over the epoch's steps and each layer's update-to-weight ratio
//! $\lVert \Delta\theta_l \rVert / \lVert \theta_l \rVert$ at the epoch's last step (about
//! $10^{-3}$ is healthy; $10^{-1}$ means the learning rate is too high, below $10^{-5}$ the
//! layer is not learning).
//!
//! The same network, data, configuration and optimizer give bit-identical histories: all
//! randomness comes from the seeds, and the arithmetic runs in a fixed order.
//!
//! Three sanity checks come before any tuning: the untrained loss against
//! [`expected_initial_loss`], [`overfit_check`] (a network that can learn memorises 20
//! samples), and the update ratios of the history (or [`update_ratios`]).
//!
//! ```
//! use mlp::train::{TrainConfig, Trainer};
//! use mlp::{Activation, Mlp};
//! use optim::{Adam, AdamConfig};
//!
//! let moons = mlp::data::moons(100, 0.1, 0)?;
//! let mut net: Mlp<f64> = Mlp::<f64>::builder(2)
//!     .hidden(16, Activation::Tanh)
//!     .output(1, Activation::Sigmoid)
//!     .seed(1)
//!     .build()?;
//! let adam = Adam::new(AdamConfig { learning_rate: 0.02, ..AdamConfig::default() })?;
//! let config = TrainConfig { epochs: 200, batch_size: 20, ..TrainConfig::default() };
//! let history = Trainer::new(config, adam)?.fit(&mut net, &moons)?;
//! assert!(history.last().train.accuracy > 0.95);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod recipes;

use std::fmt;

use optim::clip::{Norm, clip_grad_norm, clip_grad_value};
use optim::{Adam, AdamConfig, Optimizer};
use perceptron::data::Dataset;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::backprop::Evaluation;
use crate::error::Quantity;
use crate::loss::Targets;
use crate::network::Mlp;
use crate::scalar::Scalar;
use crate::workspace::Workspace;

/// How to train: epochs, batch size, shuffling seed, validation, early stopping, clipping.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    /// The most epochs to run (at least 1); early stopping may end training sooner.
    pub epochs: usize,
    /// Samples per step, from 1 to the number of training samples.
    pub batch_size: usize,
    /// Seeds the `ChaCha8` generator that shuffles the samples each epoch, and the
    /// validation split.
    pub seed: u64,
    /// Shuffle every epoch (`true`, the default) or visit the samples in their order.
    pub shuffle: bool,
    /// Hold out this fraction of the data for validation with
    /// `Dataset::stratified_split` (seeded with [`seed`](Self::seed)), in `(0, 1)`; `None`
    /// trains on everything (or on the data given to [`Trainer::fit_with_validation`]).
    pub validation_fraction: Option<f64>,
    /// Stop when the validation loss has not improved for a while (needs validation data).
    pub early_stopping: Option<EarlyStopping>,
    /// Clip each step's gradient before the optimizer sees it.
    pub clip: Option<Clip>,
}

impl Default for TrainConfig {
    /// 100 epochs, batches of 32, seed 0, shuffled, no validation, no early stopping, no
    /// clipping.
    fn default() -> Self {
        Self {
            epochs: 100,
            batch_size: 32,
            seed: 0,
            shuffle: true,
            validation_fraction: None,
            early_stopping: None,
            clip: None,
        }
    }
}

/// Early stopping on the validation loss, as Keras' `EarlyStopping(restore_best_weights=True)`.
///
/// An epoch *improves* when its validation loss is below the best so far by more than
/// `min_delta`. Training stops after `patience` epochs in a row without improvement. Whether
/// it stopped early or ran all its epochs, the network ends with the parameters of the last
/// epoch that improved ([`History::best_epoch`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement to wait before stopping (at least 1).
    pub patience: usize,
    /// The smallest decrease of the validation loss that counts as an improvement (`>= 0`).
    pub min_delta: f64,
}

/// Gradient clipping, applied to all the network's gradients as one vector (`optim::clip`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clip {
    /// Rescale the gradient so its Euclidean norm is at most this (`clip_grad_norm`);
    /// finite and positive.
    Norm(f64),
    /// Clamp every gradient entry into `[-c, c]` (`clip_grad_value`); finite and positive.
    Value(f64),
}

/// One epoch of a [`History`].
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRecord {
    /// The epoch's number, from 1.
    pub epoch: usize,
    /// The learning rate of the epoch's last step.
    pub learning_rate: f64,
    /// Mean of the steps' objectives (loss plus L2 penalty) during the epoch, as the
    /// parameters moved.
    pub running_loss: f64,
    /// Loss (without penalty) and accuracy over the whole training set after the epoch.
    pub train: Evaluation,
    /// The same over the validation set, if there is one.
    pub validation: Option<Evaluation>,
    /// Per layer: the mean over the epoch's steps of the Euclidean norm of the layer's
    /// gradient (weights and biases), before clipping.
    pub grad_norms: Vec<f64>,
    /// Per layer: $\lVert \Delta\theta_l \rVert / \lVert \theta_l \rVert$ at the epoch's last
    /// step (0 for a layer whose parameters are all 0).
    pub update_ratios: Vec<f64>,
}

/// What [`Trainer::fit`] did, epoch by epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// One record per epoch run.
    pub epochs: Vec<EpochRecord>,
    /// The epoch (from 1) whose parameters the network ends with: the one with the lowest
    /// validation loss when early stopping is on, else the last.
    pub best_epoch: usize,
    /// Whether early stopping ended training before [`TrainConfig::epochs`].
    pub stopped_early: bool,
    /// Optimizer steps taken.
    pub steps: u64,
}

impl History {
    /// The record of the last epoch run.
    ///
    /// # Panics
    /// Never for a history returned by [`Trainer::fit`]: it runs at least one epoch.
    pub fn last(&self) -> &EpochRecord {
        self.epochs
            .last()
            .expect("a history returned by fit has at least one epoch")
    }

    /// The record of the epoch whose parameters the network ends with.
    ///
    /// # Panics
    /// Never for a history returned by [`Trainer::fit`].
    pub fn best(&self) -> &EpochRecord {
        &self.epochs[self.best_epoch - 1]
    }
}

/// What can go wrong while training.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A setting of [`TrainConfig`] is out of range.
    InvalidConfig {
        /// The field's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range.
        allowed: &'static str,
    },
    /// The batch is larger than the training set.
    BatchSizeTooLarge {
        /// The batch size asked for.
        batch_size: usize,
        /// Samples in the training set.
        n_samples: usize,
    },
    /// The data's width differs from the network's input width.
    InputWidth {
        /// The network's inputs.
        expected: usize,
        /// The data's features.
        found: usize,
    },
    /// The data has more classes than the network can tell apart (its output width, or 2 for
    /// a single output).
    TooManyClasses {
        /// Classes in the data.
        n_classes: usize,
        /// The network's outputs.
        n_outputs: usize,
    },
    /// Early stopping needs validation data.
    EarlyStoppingWithoutValidation,
    /// A feature is not finite in the network's float type (an `f64` beyond `f32`'s range).
    NonFiniteFeature {
        /// Which data set: `"training"` or `"validation"`.
        set: &'static str,
        /// The row.
        row: usize,
        /// The column.
        column: usize,
        /// The value.
        value: f64,
    },
    /// The data could not be split.
    Data(perceptron::Error),
    /// Training diverged: a loss, activation, gradient or parameter became NaN or infinite.
    /// The network keeps the last finite parameters (those before the step).
    Diverged {
        /// The epoch, from 1.
        epoch: usize,
        /// The step within the epoch, from 1.
        step: usize,
        /// What went non-finite.
        quantity: Quantity,
        /// The layer (from 0), if the quantity belongs to one.
        layer: Option<usize>,
    },
    /// The network or the optimizer refused a step.
    Step {
        /// The epoch, from 1.
        epoch: usize,
        /// The step within the epoch, from 1 (0 for an evaluation after the epoch).
        step: usize,
        /// What the network or optimizer said.
        source: crate::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidConfig {
                name,
                value,
                allowed,
            } => write!(f, "{name} must be {allowed}, found {value}"),
            Self::BatchSizeTooLarge {
                batch_size,
                n_samples,
            } => write!(
                f,
                "batch size {batch_size} exceeds the {n_samples} training samples"
            ),
            Self::InputWidth { expected, found } => write!(
                f,
                "the network has {expected} inputs but the data has {found} features"
            ),
            Self::TooManyClasses {
                n_classes,
                n_outputs,
            } => write!(
                f,
                "the data has {n_classes} classes but the network's {n_outputs} output(s) tell apart at most {}",
                n_outputs.max(&2)
            ),
            Self::EarlyStoppingWithoutValidation => {
                write!(f, "early stopping needs validation data")
            }
            Self::NonFiniteFeature {
                set,
                row,
                column,
                value,
            } => write!(
                f,
                "{set} feature at row {row}, column {column} is {value}, not finite in the network's float type"
            ),
            Self::Data(error) => write!(f, "data: {error}"),
            Self::Diverged {
                epoch,
                step,
                quantity,
                layer,
            } => {
                write!(f, "training diverged at epoch {epoch}, step {step}: ")?;
                match layer {
                    Some(layer) => write!(f, "non-finite {quantity} in layer {layer}"),
                    None => write!(f, "non-finite {quantity}"),
                }
            }
            Self::Step {
                epoch,
                step,
                source,
            } => write!(f, "epoch {epoch}, step {step}: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Data(error) => Some(error),
            Self::Step { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<perceptron::Error> for Error {
    fn from(error: perceptron::Error) -> Self {
        Self::Data(error)
    }
}

/// The number of steps in one epoch over `n_samples` with batches of `batch_size`:
/// $\lceil n / B \rceil$ (the last batch may be smaller). For schedules, which count steps.
///
/// ```
/// assert_eq!(mlp::train::steps_per_epoch(1258, 32), 40); // 39 batches of 32 and one of 10
/// ```
pub fn steps_per_epoch(n_samples: usize, batch_size: usize) -> usize {
    n_samples.div_ceil(batch_size.max(1))
}

/// Trains networks with one optimizer and one configuration.
#[derive(Clone, Debug)]
pub struct Trainer<O> {
    config: TrainConfig,
    optimizer: O,
}

impl<O> Trainer<O> {
    /// A trainer with `config` and `optimizer` (a schedule, if any, wraps the optimizer).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the setting, the value and its allowed range for 0
    /// epochs, a batch size of 0, a validation fraction outside `(0, 1)` or NaN, a patience
    /// of 0, a negative or non-finite `min_delta`, or a clipping bound that is not finite and
    /// positive (named `"Clip::Norm"` or `"Clip::Value"`).
    pub fn new(config: TrainConfig, optimizer: O) -> Result<Self, Error> {
        if config.epochs == 0 {
            return invalid("epochs", 0.0, "at least 1");
        }
        if config.batch_size == 0 {
            return invalid("batch_size", 0.0, "at least 1");
        }
        if let Some(fraction) = config.validation_fraction
            && !(fraction > 0.0 && fraction < 1.0)
        {
            return invalid("validation_fraction", fraction, "in (0, 1)");
        }
        if let Some(stopping) = config.early_stopping {
            if stopping.patience == 0 {
                return invalid("patience", 0.0, "at least 1");
            }
            if !(stopping.min_delta.is_finite() && stopping.min_delta >= 0.0) {
                return invalid("min_delta", stopping.min_delta, "finite and >= 0");
            }
        }
        // A bound of 0 is refused although `optim::clip` (like PyTorch) accepts it: it would
        // zero every gradient, so the network would silently never move.
        if let Some(clip) = config.clip {
            let (name, bound) = match clip {
                Clip::Norm(bound) => ("Clip::Norm", bound),
                Clip::Value(bound) => ("Clip::Value", bound),
            };
            if !(bound.is_finite() && bound > 0.0) {
                return invalid(name, bound, "finite and > 0");
            }
        }
        Ok(Self { config, optimizer })
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The optimizer (with its state after training).
    pub fn optimizer(&self) -> &O {
        &self.optimizer
    }

    /// Trains `net` on `data`, holding out [`TrainConfig::validation_fraction`] of it for
    /// validation if set (stratified, seeded with [`TrainConfig::seed`]).
    ///
    /// # Errors
    /// As [`Trainer::fit_with_validation`], and [`Error::Data`] if the split leaves a class
    /// without samples on one side.
    pub fn fit<T: Scalar>(&mut self, net: &mut Mlp<T>, data: &Dataset) -> Result<History, Error>
    where
        O: Optimizer<T>,
    {
        match self.config.validation_fraction {
            Some(fraction) => {
                let (train, validation) = data.stratified_split(fraction, self.config.seed)?;
                self.fit_with_validation(net, &train, Some(&validation))
            }
            None => self.fit_with_validation(net, data, None),
        }
    }

    /// Trains `net` on `train`, evaluating it on `validation` (if given) after every epoch.
    /// [`TrainConfig::validation_fraction`] is ignored.
    ///
    /// # Errors
    /// - [`Error::InputWidth`] if the data's width is not the network's input width,
    ///   [`Error::TooManyClasses`] if the network cannot output every class,
    ///   [`Error::BatchSizeTooLarge`] if the batch exceeds the training set,
    ///   [`Error::EarlyStoppingWithoutValidation`], [`Error::NonFiniteFeature`];
    /// - [`Error::Diverged`] naming the epoch, step, quantity and layer when a loss,
    ///   activation, gradient or updated parameter is NaN or infinite: the network keeps
    ///   the parameters from before that step;
    /// - [`Error::Step`] if the optimizer refuses a step.
    pub fn fit_with_validation<T: Scalar>(
        &mut self,
        net: &mut Mlp<T>,
        train: &Dataset,
        validation: Option<&Dataset>,
    ) -> Result<History, Error>
    where
        O: Optimizer<T>,
    {
        let config = self.config;
        check_data(net, train)?;
        if let Some(validation) = validation {
            check_data(net, validation)?;
        }
        if config.batch_size > train.n_samples() {
            return Err(Error::BatchSizeTooLarge {
                batch_size: config.batch_size,
                n_samples: train.n_samples(),
            });
        }
        if config.early_stopping.is_some() && validation.is_none() {
            return Err(Error::EarlyStoppingWithoutValidation);
        }
        let train_x = convert::<T>(train, "training")?;
        let validation_x = validation
            .map(|data| convert::<T>(data, "validation").map(|x| (x, data.labels())))
            .transpose()?;

        let mut run = Run::new(net, config.batch_size);
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let mut order: Vec<usize> = (0..train.n_samples()).collect();
        let mut history = History {
            // Not preallocated: `epochs` may be huge when early stopping ends the run.
            epochs: Vec::new(),
            best_epoch: 1,
            stopped_early: false,
            steps: 0,
        };
        let mut best: Option<(f64, Vec<T>)> = None;
        let mut epochs_without_improvement = 0;
        for epoch in 1..=config.epochs {
            if config.shuffle {
                order.shuffle(&mut rng);
            }
            let mut loss_sum = 0.0;
            run.grad_norm_sums.fill(0.0);
            let n_steps = steps_per_epoch(order.len(), config.batch_size);
            for (index, batch) in order.chunks(config.batch_size).enumerate() {
                let step = index + 1;
                run.gather(&train_x, train.labels(), batch, net.n_inputs());
                let loss = run
                    .step(net, &mut self.optimizer, config.clip, step == n_steps)
                    .map_err(|failure| failure.at(epoch, step))?;
                loss_sum += loss;
                history.steps += 1;
            }
            let evaluate = |net: &Mlp<T>, ws: &mut Workspace<T>, x: &[T], labels: &[usize]| {
                net.evaluate(ws, x, labels).map_err(|source| Error::Step {
                    epoch,
                    step: 0,
                    source,
                })
            };
            let train_eval = evaluate(net, &mut run.ws, &train_x, train.labels())?;
            let validation_eval = validation_x
                .as_ref()
                .map(|(x, labels)| evaluate(net, &mut run.ws, x, labels))
                .transpose()?;
            history.epochs.push(EpochRecord {
                epoch,
                learning_rate: run.last_learning_rate,
                running_loss: loss_sum / n_steps as f64,
                train: train_eval,
                validation: validation_eval,
                grad_norms: run
                    .grad_norm_sums
                    .iter()
                    .map(|sum| sum / n_steps as f64)
                    .collect(),
                update_ratios: run.update_ratios.clone(),
            });
            history.best_epoch = epoch;
            if let (Some(stopping), Some(evaluation)) = (config.early_stopping, validation_eval) {
                let improved = best
                    .as_ref()
                    .is_none_or(|(loss, _)| evaluation.loss < loss - stopping.min_delta);
                if improved {
                    best = Some((evaluation.loss, net.params().to_vec()));
                    epochs_without_improvement = 0;
                } else {
                    epochs_without_improvement += 1;
                }
                if epochs_without_improvement >= stopping.patience && epoch < config.epochs {
                    history.stopped_early = true;
                    break;
                }
            }
        }
        if let Some((_, params)) = best {
            // The best epoch is the last one whose validation loss improved.
            let last = history.epochs.len();
            history.best_epoch = last - epochs_without_improvement;
            net.params_mut().copy_from_slice(&params);
        }
        Ok(history)
    }
}

/// Loss (without penalty) and accuracy of `net` over a whole data set.
///
/// # Errors
/// [`Error::InputWidth`], [`Error::TooManyClasses`], [`Error::NonFiniteFeature`], and
/// [`Error::Step`] (epoch and step 0) if the network refuses the data.
pub fn evaluate<T: Scalar>(net: &Mlp<T>, data: &Dataset) -> Result<Evaluation, Error> {
    check_data(net, data)?;
    let x = convert::<T>(data, "evaluation")?;
    let capacity = data.n_samples().min(256);
    net.workspace(capacity)
        .and_then(|mut ws| net.evaluate(&mut ws, &x, data.labels()))
        .map_err(|source| Error::Step {
            epoch: 0,
            step: 0,
            source,
        })
}

/// The loss an untrained softmax classifier should start from: $\ln K$ for $K$ classes.
///
/// With small random weights every logit is near 0, so every class gets probability about
/// $1/K$ and the cross-entropy $-\ln p_y$ is about $\ln K$ (2.30 for 10 digits). A first loss
/// far above it means the initial weights are too large (confident wrong answers); far below
/// it, that the number is not an untrained network's loss (weights trained already, or a mean
/// over the classes as well as the samples, $\ln K / K$). Compare with [`evaluate`] before
/// training. (For 1 class it is 0, for 0 classes $-\infty$, the logarithm's value; no
/// softmax network has fewer than 2 outputs.)
///
/// ```
/// assert!((mlp::train::expected_initial_loss(10) - 10f64.ln()).abs() < 1e-15);
/// ```
pub fn expected_initial_loss(n_classes: usize) -> f64 {
    (n_classes as f64).ln()
}

/// Per layer, $\lVert \theta_l^{\text{after}} - \theta_l^{\text{before}} \rVert / \lVert
/// \theta_l^{\text{before}} \rVert$: the relative size of one update of each layer (0 for a
/// layer whose parameters were all 0).
///
/// # Errors
/// [`Error::Step`] with [`crate::Error::ParameterLength`] if a slice is not
/// [`Mlp::n_params`] long.
pub fn update_ratios<T: Scalar>(
    net: &Mlp<T>,
    before: &[T],
    after: &[T],
) -> Result<Vec<f64>, Error> {
    for len in [before.len(), after.len()] {
        if len != net.n_params() {
            return Err(Error::Step {
                epoch: 0,
                step: 0,
                source: crate::Error::ParameterLength {
                    expected: net.n_params(),
                    found: len,
                },
            });
        }
    }
    let mut ratios = vec![0.0; net.layers().len()];
    fill_update_ratios(net, before, after, &mut ratios);
    Ok(ratios)
}

/// What [`overfit_check`] measured on its small subset.
#[derive(Clone, Debug, PartialEq)]
pub struct OverfitReport {
    /// The samples trained on, as indices into the data set: the first sample of each class
    /// in turn, then the second of each, and so on.
    pub samples: Vec<usize>,
    /// Loss (without penalty) and accuracy over them before training.
    pub first: Evaluation,
    /// Loss (without penalty) and accuracy over them after the last step.
    pub last: Evaluation,
}

/// The second sanity check: can the network memorise a handful of samples?
///
/// Picks `n_samples` samples of `data`, class-balanced and always the same ones (the first
/// sample of each class in turn, then the second of each, and so on), and trains a copy of
/// `net` on them alone: `steps` full-batch steps of Adam (PyTorch's defaults but for
/// `learning_rate`), without the network's L2 penalty, which would hold the loss above 0.
/// `net` itself is not changed. Give it the data as it will be trained on (scaled).
///
/// A network able to learn the task memorises 20 samples: [`OverfitReport::last`] should
/// show a loss near 0 and an accuracy of 1 (the digits example's 64-128-10 network goes
/// from 2.9 to $1.8 \cdot 10^{-5}$ in 200 steps at rate 0.01). If the loss stays near
/// [`OverfitReport::first`], something between the data and the update is broken (labels
/// that do not belong to their inputs, dead or saturated units, a wrong gradient, a learning
/// rate far too small), and no tuning on the full data set will show what.
///
/// ```
/// let moons = mlp::data::moons(200, 0.1, 0)?;
/// let net: mlp::Mlp<f64> = mlp::Mlp::<f64>::builder(2)
///     .hidden(16, mlp::Activation::Tanh)
///     .output(1, mlp::Activation::Sigmoid)
///     .seed(1)
///     .build()?;
/// let report = mlp::train::overfit_check(&net, &moons, 20, 300, 0.05)?;
/// assert_eq!(report.samples.len(), 20);
/// // From 0.78 to 1e-4: all 20 memorised.
/// assert!(report.first.loss > 0.5 && report.last.loss < 1e-3);
/// assert!(report.last.accuracy > 0.99);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// - [`Error::InvalidConfig`] if `n_samples` is 0 or more than `data` holds, `steps` is 0,
///   or `learning_rate` is not finite and positive;
/// - as [`Trainer::fit_with_validation`]: [`Error::InputWidth`], [`Error::TooManyClasses`],
///   [`Error::NonFiniteFeature`], and [`Error::Diverged`] naming the step (as its epoch: each
///   step is one epoch of the one batch).
pub fn overfit_check<T: Scalar>(
    net: &Mlp<T>,
    data: &Dataset,
    n_samples: usize,
    steps: usize,
    learning_rate: f64,
) -> Result<OverfitReport, Error> {
    if n_samples == 0 || n_samples > data.n_samples() {
        return invalid(
            "n_samples",
            n_samples as f64,
            "at least 1 and at most the data set's number of samples",
        );
    }
    if steps == 0 {
        return invalid("steps", 0.0, "at least 1");
    }
    if !(learning_rate.is_finite() && learning_rate > 0.0) {
        return invalid("learning_rate", learning_rate, "finite and > 0");
    }
    check_data(net, data)?;
    let samples = balanced_samples(data, n_samples);
    let subset = data.subset(&samples)?;
    let mut copy = net.clone();
    copy.l2 = 0.0;
    let first = evaluate(&copy, &subset)?;
    let adam = Adam::new(AdamConfig {
        learning_rate,
        ..AdamConfig::default()
    })
    .map_err(|source| Error::Step {
        epoch: 0,
        step: 0,
        source: source.into(),
    })?;
    let config = TrainConfig {
        epochs: steps,
        batch_size: n_samples,
        shuffle: false,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, adam)?.fit_with_validation(&mut copy, &subset, None)?;
    Ok(OverfitReport {
        samples,
        first,
        last: history.last().train,
    })
}

/// [`Error::InvalidConfig`] for the setting `name`, its `value` and the `allowed` range.
fn invalid<T>(name: &'static str, value: f64, allowed: &'static str) -> Result<T, Error> {
    Err(Error::InvalidConfig {
        name,
        value,
        allowed,
    })
}

/// Why a step failed, before the epoch and step are known.
enum Failure {
    Diverged {
        quantity: Quantity,
        layer: Option<usize>,
    },
    Refused(crate::Error),
}

impl Failure {
    fn at(self, epoch: usize, step: usize) -> Error {
        match self {
            Self::Diverged { quantity, layer }
            | Self::Refused(crate::Error::NonFinite { quantity, layer }) => Error::Diverged {
                epoch,
                step,
                quantity,
                layer,
            },
            Self::Refused(source) => Error::Step {
                epoch,
                step,
                source,
            },
        }
    }
}

/// The buffers of one training run, allocated once.
struct Run<T> {
    ws: Workspace<T>,
    batch_x: Vec<T>,
    batch_labels: Vec<usize>,
    grad: Vec<T>,
    previous: Vec<T>,
    grad_norm_sums: Vec<f64>,
    update_ratios: Vec<f64>,
    /// The learning rate of the last step that recorded its update.
    last_learning_rate: f64,
}

impl<T: Scalar> Run<T> {
    fn new(net: &Mlp<T>, batch_size: usize) -> Self {
        let n_layers = net.layers().len();
        Self {
            ws: net
                .workspace(batch_size)
                .expect("the batch size was checked to be at least 1"),
            batch_x: Vec::with_capacity(batch_size * net.n_inputs()),
            batch_labels: Vec::with_capacity(batch_size),
            grad: vec![T::cast(0.0); net.n_params()],
            previous: vec![T::cast(0.0); net.n_params()],
            grad_norm_sums: vec![0.0; n_layers],
            update_ratios: vec![0.0; n_layers],
            last_learning_rate: 0.0,
        }
    }

    /// Copies the samples `batch` of `x` (row-major) into the batch buffers.
    fn gather(&mut self, x: &[T], labels: &[usize], batch: &[usize], width: usize) {
        self.batch_x.clear();
        self.batch_labels.clear();
        for &i in batch {
            self.batch_x
                .extend_from_slice(&x[i * width..(i + 1) * width]);
            self.batch_labels.push(labels[i]);
        }
    }

    /// Forward, backward, checks, clipping, update; returns the batch's objective.
    fn step<O: Optimizer<T>>(
        &mut self,
        net: &mut Mlp<T>,
        optimizer: &mut O,
        clip: Option<Clip>,
        record_update: bool,
    ) -> Result<f64, Failure> {
        let loss = net
            .loss_and_gradient(
                &mut self.ws,
                &self.batch_x,
                Targets::Labels(&self.batch_labels),
                &mut self.grad,
            )
            .map_err(Failure::Refused)?
            .widen();
        if !loss.is_finite() {
            return Err(match self.ws.non_finite_layer() {
                Some(layer) => Failure::Diverged {
                    quantity: Quantity::Activation,
                    layer: Some(layer),
                },
                None => Failure::Diverged {
                    quantity: Quantity::Loss,
                    layer: None,
                },
            });
        }
        for (l, layer) in net.layers().iter().enumerate() {
            let norm =
                gradient::magnitude_of(self.grad[layer.params_range()].iter().map(|g| g.widen()));
            if !norm.is_finite() {
                return Err(Failure::Diverged {
                    quantity: Quantity::Gradient,
                    layer: Some(l),
                });
            }
            self.grad_norm_sums[l] += norm;
        }
        match clip {
            Some(Clip::Norm(max_norm)) => {
                clip_grad_norm(&mut self.grad, max_norm, Norm::L2, false)
                    .map_err(|e| Failure::Refused(e.into()))?;
            }
            Some(Clip::Value(bound)) => {
                clip_grad_value(&mut self.grad, bound).map_err(|e| Failure::Refused(e.into()))?;
            }
            None => {}
        }
        self.previous.copy_from_slice(net.params());
        if record_update {
            // Read before the step: a schedule moves the rate on as it steps.
            self.last_learning_rate = optimizer.learning_rate();
        }
        optimizer
            .step(net.params_mut(), &self.grad)
            .map_err(|e| Failure::Refused(e.into()))?;
        if let Some(layer) = net
            .non_finite_layer(net.params())
            .map_err(Failure::Refused)?
        {
            // Keep the last finite parameters.
            net.params_mut().copy_from_slice(&self.previous);
            return Err(Failure::Diverged {
                quantity: Quantity::Parameter,
                layer: Some(layer),
            });
        }
        if record_update {
            fill_update_ratios(net, &self.previous, net.params(), &mut self.update_ratios);
        }
        Ok(loss)
    }
}

fn fill_update_ratios<T: Scalar>(net: &Mlp<T>, before: &[T], after: &[T], ratios: &mut [f64]) {
    for (ratio, layer) in ratios.iter_mut().zip(net.layers()) {
        let range = layer.params_range();
        let (before, after) = (&before[range.clone()], &after[range]);
        let change = gradient::magnitude_of(
            before
                .iter()
                .zip(after)
                .map(|(&b, &a)| a.widen() - b.widen()),
        );
        let size = gradient::magnitude_of(before.iter().map(|b| b.widen()));
        *ratio = if size > 0.0 { change / size } else { 0.0 };
    }
}

/// `n` sample indices of `data` (at most its number of samples), class by class in turn: the
/// first sample of each class, then the second of each, and so on, skipping classes that
/// have run out.
fn balanced_samples(data: &Dataset, n: usize) -> Vec<usize> {
    let mut by_class = vec![Vec::new(); data.n_classes()];
    for (index, &label) in data.labels().iter().enumerate() {
        by_class[label].push(index);
    }
    let mut picked = Vec::with_capacity(n);
    for round in 0.. {
        let missing = n - picked.len();
        if missing == 0 {
            break;
        }
        picked.extend(
            by_class
                .iter()
                .filter_map(|class| class.get(round))
                .take(missing),
        );
    }
    picked
}

/// Checks that `data` fits the network: width and number of classes.
fn check_data<T: Scalar>(net: &Mlp<T>, data: &Dataset) -> Result<(), Error> {
    if data.n_features() != net.n_inputs() {
        return Err(Error::InputWidth {
            expected: net.n_inputs(),
            found: data.n_features(),
        });
    }
    if data.n_classes() > net.n_outputs().max(2) {
        return Err(Error::TooManyClasses {
            n_classes: data.n_classes(),
            n_outputs: net.n_outputs(),
        });
    }
    Ok(())
}

/// The features rounded to `T`, checked finite (an `f64` above `f32::MAX` becomes infinite).
fn convert<T: Scalar>(data: &Dataset, set: &'static str) -> Result<Vec<T>, Error> {
    let x: Vec<T> = data.features().iter().map(|&v| T::cast(v)).collect();
    if let Some(index) = x.iter().position(|v| !v.widen().is_finite()) {
        return Err(Error::NonFiniteFeature {
            set,
            row: index / data.n_features(),
            column: index % data.n_features(),
            value: data.features()[index],
        });
    }
    Ok(x)
}
