//! Every refusal is a typed error that names what was wrong.

use optim::{Sgd, SgdConfig};
use perceptron::{Batching, Error, Loss, Neuron, TrainConfig, data, mean_loss, train};

#[test]
fn neuron_refuses_bad_shapes_inputs_targets_and_parameters() {
    assert_eq!(Neuron::new(vec![], 0.0), Err(Error::NoInputs));
    assert_eq!(Neuron::zeros(0), Err(Error::NoInputs));
    // n + 1 parameters overflow usize (this panicked), exceed isize::MAX bytes (2^60 + 1
    // f64s), or are past any address space (2^56 + 1 f64s, 2^59 bytes; this aborted).
    for n_inputs in [usize::MAX, 1 << 60, 1 << 56] {
        assert_eq!(
            Neuron::zeros(n_inputs),
            Err(Error::TooManyInputs { n_inputs })
        );
        assert_eq!(
            Neuron::random(n_inputs, 0),
            Err(Error::TooManyInputs { n_inputs })
        );
    }
    assert_eq!(
        Error::TooManyInputs { n_inputs: 1 << 60 }.to_string(),
        "a neuron with 1152921504606846976 inputs has more parameters than memory can hold"
    );
    assert!(matches!(
        Neuron::new(vec![1.0, f64::NAN], 0.0),
        Err(Error::NonFiniteParameter { index: 1, .. })
    ));
    assert_eq!(
        Neuron::new(vec![1.0], f64::INFINITY),
        Err(Error::NonFiniteParameter {
            index: 1,
            value: f64::INFINITY
        })
    );
    let neuron = Neuron::zeros(4).expect("4 inputs");
    let err = neuron.forward(&[1.0, 2.0, 3.0]).expect_err("3 of 4 inputs");
    assert_eq!(
        err,
        Error::ShapeMismatch {
            expected: 4,
            found: 3
        }
    );
    assert_eq!(err.to_string(), "expected 4 inputs, found 3");
    let err = neuron
        .forward(&[1.0, f64::NAN, 3.0, 4.0])
        .expect_err("NaN input");
    assert!(matches!(err, Error::NonFiniteInput { index: 1, .. }));
    assert_eq!(err.to_string(), "input 1 is NaN");
    for y in [-0.5, 1.5, f64::NAN] {
        assert!(matches!(
            neuron.backward(&[0.0; 4], y, Loss::SquaredError),
            Err(Error::InvalidTarget { index: 0, .. })
        ));
    }
    let err = neuron
        .gradient(&[0.0; 8], &[1.0, 2.0], Loss::CrossEntropy)
        .expect_err("label 2");
    assert_eq!(
        err,
        Error::InvalidTarget {
            index: 1,
            value: 2.0
        }
    );
    assert_eq!(
        err.to_string(),
        "target 1 is 2, expected a finite value in [0, 1] (labels 0 or 1)"
    );
    assert_eq!(
        neuron.gradient(&[0.0; 7], &[1.0, 0.0], Loss::SquaredError),
        Err(Error::ShapeMismatch {
            expected: 8,
            found: 7
        })
    );
    assert_eq!(
        neuron.gradient(&[], &[], Loss::SquaredError),
        Err(Error::EmptyDataset)
    );
    // The loss alone, for 3 inputs (4 parameters) and 2 targets: 2 · 3 inputs expected.
    assert_eq!(
        mean_loss(&[0.0; 4], &[0.0; 7], &[1.0, 0.0], Loss::SquaredError),
        Err(Error::ShapeMismatch {
            expected: 6,
            found: 7
        })
    );
}

/// An optimizer's refusal travels inside `Error::Optimizer`, printed after "optimizer: " and
/// reachable as the error's `source`; the crate's own errors have no source.
#[test]
fn optimizer_errors_are_wrapped_with_their_source() {
    use std::error::Error as _;
    let inner = Sgd::<f64>::new(SgdConfig {
        learning_rate: -1.0,
        ..SgdConfig::default()
    })
    .expect_err("a negative learning rate");
    let outer = Error::from(inner.clone());
    assert_eq!(outer, Error::Optimizer(inner.clone()));
    assert_eq!(outer.to_string(), format!("optimizer: {inner}"));
    let source = outer.source().expect("the optimizer's error");
    assert_eq!(source.to_string(), inner.to_string());
    assert!(Error::EmptyDataset.source().is_none());
}

#[test]
fn descend_refuses_learning_rates_outside_zero_to_infinity() {
    let mut neuron = Neuron::zeros(1).expect("1 input");
    let gradient = neuron
        .gradient(&[1.0], &[1.0], Loss::SquaredError)
        .expect("valid");
    for rate in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            neuron.descend(&gradient, rate),
            Err(Error::InvalidLearningRate(_))
        ));
    }
    assert_eq!(
        Error::InvalidLearningRate(-0.1).to_string(),
        "the learning rate must be finite and > 0, found -0.1"
    );
    let other = Neuron::zeros(2)
        .expect("2 inputs")
        .gradient(&[1.0, 1.0], &[1.0], Loss::SquaredError)
        .expect("valid");
    assert_eq!(
        neuron.descend(&other, 0.1),
        Err(Error::ShapeMismatch {
            expected: 1,
            found: 2
        })
    );
}

#[test]
fn train_refuses_multiclass_data_wrong_widths_and_empty_batches() -> Result<(), Error> {
    let iris = data::iris();
    let mut neuron = Neuron::zeros(4)?;
    let mut sgd = Sgd::new(SgdConfig::default())?;
    let config = TrainConfig::default();
    let err = train(&mut neuron, &mut sgd, &iris, None, &config).expect_err("3 classes");
    assert_eq!(err, Error::NotBinary { n_classes: 3 });
    assert_eq!(
        err.to_string(),
        "a single neuron separates 2 classes, the data set has 3"
    );
    let binary = iris.one_vs_rest(0)?;
    let narrow = binary.select_features(&[2, 3])?;
    assert_eq!(
        train(&mut neuron, &mut sgd, &binary, Some(&narrow), &config).map(|_| ()),
        Err(Error::ShapeMismatch {
            expected: 4,
            found: 2
        })
    );
    let config = TrainConfig {
        batching: Batching::MiniBatch(0),
        ..config
    };
    assert_eq!(
        train(&mut neuron, &mut sgd, &binary, None, &config).map(|_| ()),
        Err(Error::InvalidBatchSize)
    );
    Ok(())
}

#[test]
fn diverged_and_split_errors_read_well() {
    assert_eq!(
        Error::Diverged {
            epoch: 3,
            step: 14,
            quantity: "the loss"
        }
        .to_string(),
        "training diverged at epoch 3, step 14: the loss became non-finite; the last finite parameters were kept"
    );
    assert_eq!(
        Error::EmptySplit {
            class: 0,
            class_samples: 1,
            side: "validation"
        }
        .to_string(),
        "the validation side would get none of the 1 samples of class 0"
    );
    assert_eq!(
        Error::LabelOutOfRange {
            row: 7,
            label: 3,
            n_classes: 2
        }
        .to_string(),
        "label 3 at row 7 is outside 0..2 (the 2 classes)"
    );
}
