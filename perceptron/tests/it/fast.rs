//! `FixedNeuron` does exactly what the teaching path does: bit-identical parameters after
//! online training, for every loss; and workload W1 learns its task.

use optim::{Optimizer, Sgd, SgdConfig};
use perceptron::{Batching, Error, FixedNeuron, Loss, Neuron, TrainConfig, data, train};
use proptest::prelude::*;

fn w1_data() -> (Vec<[f64; 4]>, Vec<f64>) {
    let iris = data::iris()
        .only_classes(&[0, 1])
        .expect("two iris classes");
    let inputs = iris.rows().map(|r| [r[0], r[1], r[2], r[3]]).collect();
    let targets = iris.labels().iter().map(|&label| label as f64).collect();
    (inputs, targets)
}

fn bits(params: &[f64]) -> Vec<u64> {
    params.iter().map(|p| p.to_bits()).collect()
}

#[test]
fn fixed_neuron_equals_neuron_with_sgd_bit_for_bit() -> Result<(), Box<dyn std::error::Error>> {
    let (inputs, targets) = w1_data();
    for loss in Loss::ALL {
        let mut fast = FixedNeuron::<4>::zeros();
        fast.train_sgd(&inputs, &targets, 0.1, 20, loss)?;

        // The teaching path, step by step: a batch of one, then optim's SGD.
        let mut slow = Neuron::zeros(4)?;
        let mut sgd = Sgd::new(SgdConfig {
            learning_rate: 0.1,
            ..SgdConfig::default()
        })?;
        for _ in 0..20 {
            for (x, &y) in inputs.iter().zip(&targets) {
                let gradient = slow.gradient(x, &[y], loss)?;
                sgd.step(slow.params_mut(), gradient.as_slice())?;
            }
        }
        assert_eq!(
            bits(Neuron::try_from(fast)?.params()),
            bits(slow.params()),
            "{loss}"
        );

        // And through `train` with the data set's own order.
        let iris = data::iris().only_classes(&[0, 1])?;
        let mut trained = Neuron::zeros(4)?;
        sgd.reset();
        let config = TrainConfig {
            epochs: 20,
            batching: Batching::Online,
            loss,
            shuffle: false,
            seed: 0,
        };
        train(&mut trained, &mut sgd, &iris, None, &config)?;
        assert_eq!(bits(trained.params()), bits(slow.params()), "{loss}");
    }
    Ok(())
}

proptest! {
    /// One step from random parameters on a random sample matches `gradient` + `descend`.
    #[test]
    fn one_fixed_step_equals_gradient_and_descend(
        params in prop::collection::vec(-3.0..3.0f64, 4),
        x in prop::collection::vec(-5.0..5.0f64, 3),
        y in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
        learning_rate in 1e-3..2.0f64,
        loss in prop::sample::select(Loss::ALL.to_vec()),
    ) {
        let mut slow = Neuron::from_params(params.clone()).expect("finite");
        let mut fast = FixedNeuron::<3>::try_from(&slow).expect("3 inputs");
        let x3 = [x[0], x[1], x[2]];
        fast.sgd_step(&x3, y, learning_rate, loss).expect("finite step");
        let gradient = slow.gradient(&x, &[y], loss).expect("valid");
        slow.descend(&gradient, learning_rate).expect("valid rate");
        prop_assert_eq!(bits(Neuron::try_from(fast).expect("finite").params()), bits(slow.params()));
    }
}

/// Workload W1 (4 → 1 sigmoid, ½·MSE, SGD 0.1, batch 1, 100 epochs, raw cm features, fixed
/// order, zero start) separates setosa from versicolor on its training set, as every peer's
/// run does (they report train_acc 1.0).
#[test]
fn w1_separates_setosa_from_versicolor() -> Result<(), Error> {
    let (inputs, targets) = w1_data();
    let mut neuron = FixedNeuron::<4>::zeros();
    neuron.train_sgd(&inputs, &targets, 0.1, 100, Loss::HalfSquaredError)?;
    let correct = inputs
        .iter()
        .zip(&targets)
        .filter(|&(x, &y)| (neuron.forward(x).z > 0.0) == (y > 0.5))
        .count();
    assert_eq!(correct, 100);
    Ok(())
}

/// W1's hot loop allocates nothing: 10 000 online steps, zero heap allocations (counted per
/// thread by `allocation-counter`). The control shows the counter sees the teaching path's
/// vectors: `Neuron::gradient` allocates its gradient every step.
#[test]
fn w1_training_allocates_nothing() -> Result<(), Error> {
    let (inputs, targets) = w1_data();
    let mut neuron = FixedNeuron::<4>::zeros();
    let counted = allocation_counter::measure(|| {
        neuron
            .train_sgd(&inputs, &targets, 0.1, 100, Loss::HalfSquaredError)
            .expect("w1 trains");
    });
    assert_eq!(counted.count_total, 0);

    let slow = Neuron::zeros(4)?;
    let control = allocation_counter::measure(|| {
        for (x, &y) in inputs.iter().zip(&targets).take(10) {
            slow.gradient(x, &[y], Loss::HalfSquaredError)
                .expect("valid");
        }
    });
    assert_eq!(control.count_total, 10);
    Ok(())
}

#[test]
fn fixed_neuron_refuses_bad_input_and_keeps_finite_parameters() {
    let mut neuron = FixedNeuron::<2>::zeros();
    assert_eq!(
        neuron.train_sgd(&[[1.0, 2.0]], &[1.0, 0.0], 0.1, 1, Loss::SquaredError),
        Err(Error::LabelCountMismatch {
            samples: 1,
            labels: 2
        })
    );
    assert_eq!(
        neuron.train_sgd(&[], &[], 0.1, 1, Loss::SquaredError),
        Err(Error::EmptyDataset)
    );
    assert!(matches!(
        neuron.train_sgd(
            &[[1.0, 2.0], [0.0, f64::NAN]],
            &[1.0, 0.0],
            0.1,
            1,
            Loss::SquaredError
        ),
        // Sample 1's input 1, at index 1 · 2 + 1 of the flattened inputs.
        Err(Error::NonFiniteInput { index: 3, .. })
    ));
    assert_eq!(
        neuron.train_sgd(&[[1.0, 2.0]], &[2.0], 0.1, 1, Loss::SquaredError),
        Err(Error::InvalidTarget {
            index: 0,
            value: 2.0
        })
    );
    assert_eq!(
        neuron.sgd_step(&[1.0, 2.0], 1.0, -0.1, Loss::SquaredError),
        Err(Error::InvalidLearningRate(-0.1))
    );
    // Features of 1e300 with cross-entropy, one sample per epoch: the first step moves w by
    // 0.5 · 1e300 (finite), then z = w · x overflows to -inf at the second (epoch 2, step 1
    // counting from 1) and the loss softplus(z) − y z is +inf.
    let huge = [[1e300, 1e300]];
    let err = neuron.train_sgd(&huge, &[1.0], 1.0, 3, Loss::CrossEntropy);
    assert_eq!(
        err,
        Err(Error::Diverged {
            epoch: 2,
            step: 1,
            quantity: "the loss"
        })
    );
    assert!(neuron.weights.iter().all(|w| w.is_finite()));
    assert!(neuron.weights[0] > 1e299);
    // A learning rate of 1e10 makes the very first step overflow the weights to infinity:
    // nothing is kept from it.
    let mut neuron = FixedNeuron::<2>::zeros();
    let err = neuron.train_sgd(&huge, &[1.0], 1e10, 3, Loss::CrossEntropy);
    assert_eq!(
        err,
        Err(Error::Diverged {
            epoch: 1,
            step: 1,
            quantity: "a parameter"
        })
    );
    assert_eq!(neuron, FixedNeuron::zeros());
}
