//! Training on the real data sets: what the neuron reaches, seeded reproducibility, and
//! divergence stopping with the last finite parameters.

use optim::{Adam, AdamConfig, Sgd, SgdConfig};
use perceptron::{
    Batching, Dataset, Error, History, Loss, Neuron, Standardizer, TrainConfig, data, evaluate,
    train,
};

/// Stratified 30 % held out (seed 42), standardised on the training side.
fn prepared(task: &Dataset) -> (Dataset, Dataset) {
    let (train_set, validation) = task.stratified_split(0.3, 42).expect("splittable");
    let scaler = Standardizer::fit(&train_set);
    (
        scaler.transform(&train_set).expect("same shape"),
        scaler.transform(&validation).expect("same shape"),
    )
}

fn sgd(learning_rate: f64) -> Sgd<f64> {
    Sgd::new(SgdConfig {
        learning_rate,
        ..SgdConfig::default()
    })
    .expect("valid rate")
}

fn run(task: &Dataset, loss: Loss, batching: Batching, seed: u64) -> History {
    let (train_set, validation) = prepared(task);
    let mut neuron = Neuron::zeros(task.n_features()).expect("features");
    let config = TrainConfig {
        epochs: 100,
        batching,
        loss,
        shuffle: true,
        seed,
    };
    train(
        &mut neuron,
        &mut sgd(0.1),
        &train_set,
        Some(&validation),
        &config,
    )
    .expect("trains")
}

/// Setosa is linearly separable from the other two species, so a single neuron must classify
/// every held-out flower right, with either loss and any batching.
#[test]
fn setosa_vs_rest_reaches_full_held_out_accuracy() {
    let task = data::iris().one_vs_rest(0).expect("setosa");
    for loss in [Loss::SquaredError, Loss::CrossEntropy] {
        for batching in [
            Batching::Online,
            Batching::MiniBatch(8),
            Batching::FullBatch,
        ] {
            let history = run(&task, loss, batching, 7);
            let last = history.last();
            assert_eq!(last.validation_accuracy, Some(1.0), "{loss}, {batching:?}");
            assert_eq!(history.records.len(), 101);
            assert!(last.train_loss < history.records[0].train_loss);
        }
    }
}

/// Versicolor and virginica overlap: no line separates them. Measured with this seed:
/// 98.6 % training and 86.7 % held-out accuracy (26 of 30) with squared error. The bounds
/// leave room for a different but correct order of floating-point operations, while a broken
/// gradient (which leaves the neuron near chance, 50 %) fails them.
#[test]
fn versicolor_vs_virginica_is_learned_but_not_perfectly() {
    let task = data::iris().only_classes(&[1, 2]).expect("two species");
    let last = run(&task, Loss::SquaredError, Batching::Online, 7)
        .last()
        .clone();
    assert!(
        last.train_accuracy > 0.9 && last.train_accuracy < 1.0,
        "{last:?}"
    );
    assert!(
        last.validation_accuracy.expect("validation") > 0.8,
        "{last:?}"
    );
}

/// Breast cancer, 30 standardised features: logistic regression reaches about 95-98 %.
/// Measured: 99.7 % training, 96.5 % held out with cross-entropy.
#[test]
fn breast_cancer_reaches_logistic_regression_accuracy() {
    let last = run(
        &data::breast_cancer(),
        Loss::CrossEntropy,
        Batching::Online,
        7,
    )
    .last()
    .clone();
    assert!(
        last.validation_accuracy.expect("validation") >= 0.95,
        "{last:?}"
    );
}

#[test]
fn same_seed_same_history_other_seed_other_history() {
    let task = data::iris().only_classes(&[1, 2]).expect("two species");
    let a = run(&task, Loss::SquaredError, Batching::MiniBatch(5), 3);
    let b = run(&task, Loss::SquaredError, Batching::MiniBatch(5), 3);
    let bits = |h: &History| -> Vec<u64> {
        h.records
            .iter()
            .flat_map(|r| r.params.iter().chain([&r.train_loss]).map(|v| v.to_bits()))
            .collect()
    };
    assert_eq!(bits(&a), bits(&b));
    let c = run(&task, Loss::SquaredError, Batching::MiniBatch(5), 4);
    assert_ne!(bits(&a), bits(&c));
}

/// Any optimizer trains the neuron through the flat parameter slice.
#[test]
fn adam_trains_the_neuron_too() -> Result<(), Error> {
    let (train_set, validation) = prepared(&data::iris().one_vs_rest(0)?);
    let mut neuron = Neuron::zeros(4)?;
    let mut adam = Adam::new(AdamConfig {
        learning_rate: 0.05,
        ..AdamConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 10,
        loss: Loss::CrossEntropy,
        ..TrainConfig::default()
    };
    train(&mut neuron, &mut adam, &train_set, None, &config)?;
    let result = evaluate(&neuron, &validation, Loss::CrossEntropy)?;
    assert!((result.accuracy - 1.0).abs() < f64::EPSILON);
    Ok(())
}

/// The history's records are the evaluations of the recorded parameters.
#[test]
fn history_records_match_evaluations_of_their_parameters() -> Result<(), Error> {
    let (train_set, validation) = prepared(&data::iris().one_vs_rest(0)?);
    let mut neuron = Neuron::zeros(4)?;
    let config = TrainConfig {
        epochs: 3,
        ..TrainConfig::default()
    };
    let history = train(
        &mut neuron,
        &mut sgd(0.1),
        &train_set,
        Some(&validation),
        &config,
    )?;
    assert_eq!(history.last().params, neuron.params());
    // One record before training, then one per epoch, numbered by epochs completed.
    let epochs: Vec<usize> = history.records.iter().map(|r| r.epoch).collect();
    assert_eq!(epochs, [0, 1, 2, 3]);
    for record in &history.records {
        let at = Neuron::from_params(record.params.clone())?;
        let on_train = evaluate(&at, &train_set, config.loss)?;
        let on_validation = evaluate(&at, &validation, config.loss)?;
        assert_eq!(on_train.loss.to_bits(), record.train_loss.to_bits());
        assert_eq!(Some(on_validation.accuracy), record.validation_accuracy);
    }
    // Before training, all weights 0: y_hat = 1/2 everywhere, loss (1/2)² = 1/4, and z = 0
    // classifies everything as 0 ("not setosa"): 70 of 105 training flowers.
    let first = &history.records[0];
    approx::assert_relative_eq!(first.train_loss, 0.25);
    approx::assert_relative_eq!(first.train_accuracy, 70.0 / 105.0);
    Ok(())
}

#[test]
fn divergence_stops_training_and_keeps_the_last_finite_parameters() -> Result<(), Error> {
    // Two samples with features of 1e300: see fast.rs for the arithmetic. Step 1 (counted
    // from 1, as the error counts) leaves finite weights of size 0.5e300; step 2 overflows z
    // and the cross-entropy loss.
    let huge = Dataset::new(
        vec![1e300, 1e300, 1e300, 1e300],
        2,
        vec![1, 1],
        vec!["a".into(), "b".into()],
        vec!["no".into(), "yes".into()],
    )?;
    let mut neuron = Neuron::zeros(2)?;
    let config = TrainConfig {
        epochs: 2,
        loss: Loss::CrossEntropy,
        shuffle: false,
        ..TrainConfig::default()
    };
    let err = train(&mut neuron, &mut sgd(1.0), &huge, None, &config);
    assert_eq!(
        err,
        Err(Error::Diverged {
            epoch: 1,
            step: 2,
            quantity: "the loss"
        })
    );
    // After step 1: w_i = 0 − 1 · (−1/2 · 1e300) = 5e299, b = 0 − 1 · (−1/2) = 1/2.
    assert!(neuron.weights().iter().all(|w| w.is_finite() && *w > 1e299));
    approx::assert_relative_eq!(neuron.bias(), 0.5);

    let mut neuron = Neuron::zeros(2)?;
    let err = train(&mut neuron, &mut sgd(1e10), &huge, None, &config);
    assert_eq!(
        err.map(|_| ()),
        Err(Error::Diverged {
            epoch: 1,
            step: 1,
            quantity: "a parameter"
        })
    );
    assert_eq!(neuron, Neuron::zeros(2)?);
    Ok(())
}
