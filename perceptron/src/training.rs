//! Training a neuron on a data set with any optimizer: online, mini-batch or full batch,
//! seeded shuffling, and a history of loss and accuracy per epoch.
//!
//! Every step is the article's loop: forward pass, loss, backward pass
//! ([`Neuron::gradient`] over the batch), then the optimizer's update of the flat parameter
//! vector. With [`optim::Sgd`] and no momentum that update is
//! $w_i \leftarrow w_i - \alpha \, \partial L / \partial w_i$.
//!
//! ```
//! use optim::{Sgd, SgdConfig};
//! use perceptron::{Batching, Loss, Neuron, Standardizer, TrainConfig, data, train};
//!
//! let task = data::iris().one_vs_rest(0)?; // setosa against the rest
//! let (train_set, validation) = task.stratified_split(0.3, 1)?;
//! let scaler = Standardizer::fit(&train_set);
//! let (train_set, validation) = (scaler.transform(&train_set)?, scaler.transform(&validation)?);
//!
//! let mut neuron = Neuron::zeros(4)?;
//! let mut sgd = Sgd::new(SgdConfig { learning_rate: 0.5, ..SgdConfig::default() })?;
//! let config = TrainConfig { epochs: 20, batching: Batching::Online, ..TrainConfig::default() };
//! let history = train(&mut neuron, &mut sgd, &train_set, Some(&validation), &config)?;
//! let last = history.last();
//! assert_eq!(last.validation_accuracy, Some(1.0));
//! assert!(last.train_loss < history.records[0].train_loss);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use optim::Optimizer;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::{Dataset, Error, Loss, Neuron};

/// How many samples each step averages its gradient over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Batching {
    /// One sample per step (stochastic gradient descent in its original sense), as the
    /// article and workload W1 do.
    #[default]
    Online,
    /// Steps on batches of this many samples (the last batch of an epoch may be smaller).
    MiniBatch(usize),
    /// One step per epoch on the whole training set (gradient descent proper).
    FullBatch,
}

/// The settings of [`train`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Number of passes over the training set.
    pub epochs: usize,
    /// Samples per step.
    pub batching: Batching,
    /// The loss minimised (its mean over each batch).
    pub loss: Loss,
    /// Shuffle the sample order at the start of every epoch (otherwise the data set's order
    /// is used every epoch).
    pub shuffle: bool,
    /// Seed of the `ChaCha8` generator that shuffles.
    pub seed: u64,
}

impl Default for TrainConfig {
    /// 100 epochs, online, squared error, shuffled with seed 0.
    fn default() -> Self {
        Self {
            epochs: 100,
            batching: Batching::Online,
            loss: Loss::SquaredError,
            shuffle: true,
            seed: 0,
        }
    }
}

/// Loss and accuracy of a neuron on a data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The mean loss $L$.
    pub loss: f64,
    /// The fraction of samples classified right (class 1 when $z > 0$).
    pub accuracy: f64,
}

/// The state after one epoch (or, for entry 0, before training).
#[derive(Debug, Clone, PartialEq)]
pub struct EpochRecord {
    /// Epochs completed: 0 for the untrained neuron.
    pub epoch: usize,
    /// Mean loss over the whole training set, after the epoch.
    pub train_loss: f64,
    /// Training accuracy after the epoch.
    pub train_accuracy: f64,
    /// Mean validation loss, if a validation set was given.
    pub validation_loss: Option<f64>,
    /// Validation accuracy, if a validation set was given.
    pub validation_accuracy: Option<f64>,
    /// The parameters `[w_0, ..., w_{n-1}, b]` after the epoch.
    pub params: Vec<f64>,
}

/// What [`train`] measured: `records[0]` before the first step, `records[e]` after epoch `e`.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// One record per epoch, plus the initial one.
    pub records: Vec<EpochRecord>,
}

impl History {
    /// The record after the last epoch (the initial one if there were no epochs).
    ///
    /// # Panics
    ///
    /// If `records` is empty, which [`train`] never returns (it always records the
    /// untrained state); only a history emptied by hand can be.
    pub fn last(&self) -> &EpochRecord {
        self.records
            .last()
            .expect("a history always holds the initial record")
    }
}

/// The mean loss and the accuracy of `neuron` on a binary data set.
///
/// # Errors
///
/// [`Error::NotBinary`] unless the data set has 2 classes, [`Error::ShapeMismatch`] if its
/// feature count differs from the neuron's inputs.
pub fn evaluate(neuron: &Neuron, data: &Dataset, loss: Loss) -> Result<Evaluation, Error> {
    check_task(neuron, data)?;
    let mut total = 0.0;
    let mut correct = 0usize;
    for (x, &label) in data.rows().zip(data.labels()) {
        let z = crate::neuron::pre_activation(neuron.params(), x);
        total += loss.of_logit(z, label as f64);
        correct += usize::from(usize::from(z > 0.0) == label);
    }
    let n = data.n_samples() as f64;
    Ok(Evaluation {
        loss: total / n,
        accuracy: correct as f64 / n,
    })
}

/// Trains `neuron` on `train_set` with `optimizer` for `config.epochs` epochs, and records loss
/// and accuracy (and the parameters) after every epoch.
///
/// Each epoch visits every training sample once, in the data set's order or, with
/// `config.shuffle`, in an order drawn by a `ChaCha8` generator seeded with `config.seed`
/// (one generator for the whole run, so the same seed gives bit-identical histories). Each
/// step computes [`Neuron::gradient`] over its batch and calls
/// [`optimizer.step`](Optimizer::step) on [`Neuron::params_mut`].
///
/// # Errors
///
/// - [`Error::NotBinary`] unless each data set has 2 classes (labels 0 and 1);
/// - [`Error::ShapeMismatch`] if a data set's feature count differs from the neuron's inputs;
/// - [`Error::InvalidBatchSize`] for `Batching::MiniBatch(0)`;
/// - [`Error::Diverged`] naming the epoch and step at which the loss or a parameter became
///   non-finite; the neuron keeps the parameters from before that step;
/// - [`Error::Optimizer`] if the optimizer refuses a step.
pub fn train<O: Optimizer<f64> + ?Sized>(
    neuron: &mut Neuron,
    optimizer: &mut O,
    train_set: &Dataset,
    validation: Option<&Dataset>,
    config: &TrainConfig,
) -> Result<History, Error> {
    check_task(neuron, train_set)?;
    if let Some(validation) = validation {
        check_task(neuron, validation)?;
    }
    let n_samples = train_set.n_samples();
    let batch_size = match config.batching {
        Batching::Online => 1,
        Batching::MiniBatch(0) => return Err(Error::InvalidBatchSize),
        Batching::MiniBatch(size) => size.min(n_samples),
        Batching::FullBatch => n_samples,
    };
    let n_inputs = neuron.n_inputs();
    let mut order: Vec<usize> = (0..n_samples).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut batch_inputs = Vec::with_capacity(batch_size * n_inputs);
    let mut batch_targets = Vec::with_capacity(batch_size);
    let mut previous = neuron.params().to_vec();
    // Not preallocated: `epochs + 1` overflows for `usize::MAX`, and a huge capacity aborts.
    let mut records = Vec::new();
    records.push(record(0, neuron, train_set, validation, config.loss)?);
    for epoch in 0..config.epochs {
        if config.shuffle {
            order.shuffle(&mut rng);
        }
        for (step, batch) in order.chunks(batch_size).enumerate() {
            batch_inputs.clear();
            batch_targets.clear();
            for &i in batch {
                batch_inputs.extend_from_slice(train_set.row(i));
                batch_targets.push(train_set.labels()[i] as f64);
            }
            let gradient = neuron.gradient(&batch_inputs, &batch_targets, config.loss)?;
            let diverged = |quantity| Error::Diverged {
                epoch: epoch + 1,
                step: step + 1,
                quantity,
            };
            if !gradient.loss().is_finite() {
                return Err(diverged("the loss"));
            }
            previous.copy_from_slice(neuron.params());
            optimizer.step(neuron.params_mut(), gradient.as_slice())?;
            if neuron.params().iter().any(|p| !p.is_finite()) {
                neuron.params_mut().copy_from_slice(&previous);
                return Err(diverged("a parameter"));
            }
        }
        records.push(record(
            epoch + 1,
            neuron,
            train_set,
            validation,
            config.loss,
        )?);
    }
    Ok(History { records })
}

fn record(
    epoch: usize,
    neuron: &Neuron,
    train_set: &Dataset,
    validation: Option<&Dataset>,
    loss: Loss,
) -> Result<EpochRecord, Error> {
    let on_train = evaluate(neuron, train_set, loss)?;
    let on_validation = validation
        .map(|data| evaluate(neuron, data, loss))
        .transpose()?;
    Ok(EpochRecord {
        epoch,
        train_loss: on_train.loss,
        train_accuracy: on_train.accuracy,
        validation_loss: on_validation.map(|e| e.loss),
        validation_accuracy: on_validation.map(|e| e.accuracy),
        params: neuron.params().to_vec(),
    })
}

fn check_task(neuron: &Neuron, data: &Dataset) -> Result<(), Error> {
    if data.n_classes() != 2 {
        return Err(Error::NotBinary {
            n_classes: data.n_classes(),
        });
    }
    if data.n_features() != neuron.n_inputs() {
        return Err(Error::ShapeMismatch {
            expected: neuron.n_inputs(),
            found: data.n_features(),
        });
    }
    Ok(())
}
