//! The trainer: reproducibility, the bookkeeping of the history (checked against identities
//! of plain gradient descent), clipping, early stopping, the divergence guard, the sanity
//! checks, and every typed error.

use approx::assert_relative_eq;
use mlp::train::{self, Clip, EarlyStopping, Error, History, TrainConfig, Trainer};
use mlp::{Activation, Mlp, Quantity, Targets};
use optim::{Adam, AdamConfig, Optimizer, Scheduled, Sgd, SgdConfig, StepLr};
use perceptron::data::{Dataset, Standardizer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Sums of a few hundred f64 products in a different order (the trainer's running norms
/// against a fresh gradient): a few hundred ulps at most.
const REORDER_TOL: f64 = 1e-12;

fn sgd(learning_rate: f64) -> Sgd<f64> {
    Sgd::new(SgdConfig {
        learning_rate,
        ..SgdConfig::default()
    })
    .expect("a valid learning rate")
}

fn moons_net(seed: u64) -> Mlp<f64> {
    Mlp::<f64>::builder(2)
        .hidden(8, Activation::Tanh)
        .hidden(8, Activation::Tanh)
        .output(1, Activation::Sigmoid)
        .seed(seed)
        .build()
        .expect("a valid network")
}

/// Every float of a history as bits, so two histories compare bit for bit.
fn bits(history: &History) -> Vec<u64> {
    let mut out = Vec::new();
    for epoch in &history.epochs {
        out.extend([
            epoch.learning_rate,
            epoch.running_loss,
            epoch.train.loss,
            epoch.train.accuracy,
        ]);
        if let Some(v) = epoch.validation {
            out.extend([v.loss, v.accuracy]);
        }
        out.extend(&epoch.grad_norms);
        out.extend(&epoch.update_ratios);
    }
    out.into_iter().map(f64::to_bits).collect()
}

/// A two-class data set with one feature `x`: `values[i]` labelled `labels[i]`.
fn one_feature(values: &[f64], labels: &[usize]) -> Result<Dataset, perceptron::Error> {
    Dataset::new(
        values.to_vec(),
        1,
        labels.to_vec(),
        vec!["x".into()],
        vec!["0".into(), "1".into()],
    )
}

#[test]
fn same_seed_gives_bit_identical_histories_and_networks() -> TestResult {
    let data = mlp::data::moons(60, 0.2, 5)?;
    let config = TrainConfig {
        epochs: 15,
        batch_size: 7,
        seed: 3,
        validation_fraction: Some(0.25),
        ..TrainConfig::default()
    };
    let run = |config: TrainConfig| -> Result<(History, Mlp<f64>), Box<dyn std::error::Error>> {
        let mut net = moons_net(1);
        let adam = Adam::new(AdamConfig {
            learning_rate: 0.01,
            ..AdamConfig::default()
        })?;
        let history = Trainer::new(config, adam)?.fit(&mut net, &data)?;
        Ok((history, net))
    };
    let (first, net_first) = run(config)?;
    let (second, net_second) = run(config)?;
    assert_eq!(bits(&first), bits(&second));
    assert!(
        net_first
            .params()
            .iter()
            .zip(net_second.params())
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    // Another shuffling seed visits the samples in another order: another history.
    let (other, _) = run(TrainConfig { seed: 4, ..config })?;
    assert_ne!(bits(&first), bits(&other));
    assert_eq!(first.epochs.len(), 15);
    assert_eq!(first.steps, 15 * train::steps_per_epoch(45, 7) as u64);
    Ok(())
}

/// With one full batch per epoch and plain gradient descent (no momentum), one step is
/// `theta_l <- theta_l - lr g_l`, so the history's numbers must satisfy two identities: the
/// recorded gradient norm of each layer is `|g_l|` of a fresh backward pass at the starting
/// parameters, and the update ratio is `lr |g_l| / |theta_l|`. A gradient norm summed over
/// the wrong range, or an update ratio measured after instead of before, breaks them.
#[test]
fn history_records_gradient_norms_and_update_ratios_of_each_layer() -> TestResult {
    let data = mlp::data::moons(40, 0.1, 2)?;
    let mut net = moons_net(7);
    let start = net.clone();
    let learning_rate = 0.3;
    let config = TrainConfig {
        epochs: 1,
        batch_size: 40,
        shuffle: false,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, sgd(learning_rate))?.fit(&mut net, &data)?;
    let record = history.last();

    let mut ws = start.workspace(40)?;
    let mut grad = vec![0.0; start.n_params()];
    let loss = start.loss_and_gradient(
        &mut ws,
        data.features(),
        Targets::Labels(data.labels()),
        &mut grad,
    )?;
    let grad_norms = start.layer_norms(&grad)?;
    let weight_norms = start.layer_norms(start.params())?;
    assert_eq!(record.grad_norms.len(), 3);
    for layer in 0..3 {
        assert_relative_eq!(
            record.grad_norms[layer],
            grad_norms[layer],
            max_relative = REORDER_TOL
        );
        // The recorded ratio comes from the parameters before and after the step: each entry
        // of the update is the difference of two numbers of size |theta|, the second rounded
        // to eps/2 of |theta|, so the update's norm is off by up to (eps/2)|theta|, a
        // relative eps / (2 ratio); the norms' sums add REORDER_TOL.
        let expected = learning_rate * grad_norms[layer] / weight_norms[layer];
        assert_relative_eq!(
            record.update_ratios[layer],
            expected,
            max_relative = f64::EPSILON / (2.0 * expected) + REORDER_TOL
        );
    }
    // The running loss of a one-step epoch is the loss before the step.
    assert_relative_eq!(record.running_loss, loss, max_relative = REORDER_TOL);
    // ...while the recorded training loss is measured after it, and must be lower.
    assert!(record.train.loss < loss);
    assert_relative_eq!(record.learning_rate, learning_rate);
    Ok(())
}

#[test]
fn the_seed_shuffles_and_shuffle_false_keeps_the_order() -> TestResult {
    let data = mlp::data::moons(40, 0.1, 2)?;
    let run = |seed: u64, shuffle: bool| -> Result<History, Box<dyn std::error::Error>> {
        let mut net = moons_net(7);
        let config = TrainConfig {
            epochs: 3,
            batch_size: 8,
            seed,
            shuffle,
            ..TrainConfig::default()
        };
        Ok(Trainer::new(config, sgd(0.5))?.fit(&mut net, &data)?)
    };
    // Without a validation split the seed only orders the samples.
    assert_ne!(bits(&run(1, true)?), bits(&run(2, true)?));
    assert_eq!(bits(&run(1, false)?), bits(&run(2, false)?));
    assert_ne!(bits(&run(1, true)?), bits(&run(1, false)?));
    Ok(())
}

/// With a learning rate of 0 nothing moves, so the running loss of an epoch of 4 equal
/// batches (the mean of their means) is the loss over the whole training set.
#[test]
fn the_running_loss_is_the_mean_over_the_epochs_batches() -> TestResult {
    let data = mlp::data::moons(40, 0.1, 2)?;
    let mut net = moons_net(7);
    let config = TrainConfig {
        epochs: 2,
        batch_size: 10,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, sgd(0.0))?.fit(&mut net, &data)?;
    for epoch in &history.epochs {
        assert_relative_eq!(
            epoch.running_loss,
            epoch.train.loss,
            max_relative = REORDER_TOL
        );
        assert!(
            epoch
                .update_ratios
                .iter()
                .all(|r| r.abs() < f64::MIN_POSITIVE)
        );
    }
    Ok(())
}

#[test]
fn a_schedule_sets_each_epochs_learning_rate() -> TestResult {
    let data = mlp::data::moons(40, 0.1, 2)?;
    let mut net = moons_net(7);
    // 4 steps per epoch, numbered from 0; StepLr halves the rate every 8 steps, so every 2
    // epochs. The rate recorded is that of each epoch's last step (steps 3, 7, 11, ...).
    let scheduled = Scheduled::new(sgd(0.1), StepLr::new(8, 0.5)?)?;
    let config = TrainConfig {
        epochs: 6,
        batch_size: 10,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, scheduled)?;
    let history = trainer.fit(&mut net, &data)?;
    let rates: Vec<f64> = history.epochs.iter().map(|e| e.learning_rate).collect();
    // Epoch e ends with step 4e - 1, whose rate is 0.1 * 0.5^floor((4e - 1) / 8).
    let expected = [0.1, 0.1, 0.05, 0.05, 0.025, 0.025];
    // Halving a float is exact, so 0.1 * 0.5^k is the double nearest to each literal; the
    // tolerance allows one rounding (a schedule that multiplies by the factor's power).
    for (rate, want) in rates.iter().zip(expected) {
        assert_relative_eq!(*rate, want, max_relative = f64::EPSILON);
    }
    assert_eq!(trainer.optimizer().steps_taken(), 24);
    Ok(())
}

/// Clipping by norm `c` bounds every step of plain gradient descent by `lr * c` in total.
#[test]
fn clipping_by_norm_bounds_each_step() -> TestResult {
    let data = mlp::data::moons(40, 0.1, 2)?;
    let (learning_rate, max_norm) = (1.0, 1e-3);
    for clip in [Clip::Norm(max_norm), Clip::Value(max_norm)] {
        let mut net = moons_net(7);
        let before = net.params().to_vec();
        let config = TrainConfig {
            epochs: 1,
            batch_size: 40,
            clip: Some(clip),
            ..TrainConfig::default()
        };
        let history = Trainer::new(config, sgd(learning_rate))?.fit(&mut net, &data)?;
        let step: f64 = net
            .params()
            .iter()
            .zip(&before)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt();
        // Unclipped, the gradient here is far larger than the bound.
        let unclipped = history
            .last()
            .grad_norms
            .iter()
            .map(|n| n * n)
            .sum::<f64>()
            .sqrt();
        assert!(unclipped > 100.0 * max_norm, "{unclipped}");
        match clip {
            // A norm-clipped gradient ends just below `max_norm` (PyTorch's 1e-6 guard).
            Clip::Norm(_) => assert!(step <= learning_rate * max_norm && step > 0.99 * max_norm),
            // Each entry is within [-c, c], so the step is at most c sqrt(n_params).
            Clip::Value(_) => {
                let bound = learning_rate * max_norm * (net.n_params() as f64).sqrt();
                assert!(step <= bound * (1.0 + 1e-12), "{step} > {bound}");
            }
        }
    }
    Ok(())
}

#[test]
fn early_stopping_keeps_the_best_validation_epoch() -> TestResult {
    // A wide network on few noisy points overfits: the validation loss turns back up.
    let data = mlp::data::moons(60, 0.35, 8)?;
    let mut net: Mlp<f64> = Mlp::<f64>::builder(2)
        .hidden(64, Activation::Relu)
        .hidden(64, Activation::Relu)
        .output(1, Activation::Sigmoid)
        .seed(2)
        .build()?;
    let adam = Adam::new(AdamConfig {
        learning_rate: 0.01,
        ..AdamConfig::default()
    })?;
    let patience = 10;
    let config = TrainConfig {
        epochs: 2000,
        batch_size: 15,
        validation_fraction: Some(0.3),
        early_stopping: Some(EarlyStopping {
            patience,
            min_delta: 0.0,
        }),
        ..TrainConfig::default()
    };
    let start = net.clone();
    let history = Trainer::new(config, adam.clone())?.fit(&mut net, &data)?;
    assert!(
        history.stopped_early,
        "ran all {} epochs",
        history.epochs.len()
    );
    assert_eq!(history.epochs.len(), history.best_epoch + patience);
    // "Until early stopping": `usize::MAX` epochs panicked on preallocating the history.
    let until_stopped = TrainConfig {
        epochs: usize::MAX,
        ..config
    };
    let mut again = start;
    assert_eq!(
        Trainer::new(until_stopped, adam)?.fit(&mut again, &data)?,
        history
    );
    let losses: Vec<f64> = history
        .epochs
        .iter()
        .map(|e| e.validation.expect("validation data").loss)
        .collect();
    let best = history.best().validation.expect("validation data").loss;
    assert!(losses.iter().all(|&loss| loss >= best));
    // The network ends with the best epoch's parameters.
    let (_, validation) = data.stratified_split(0.3, config.seed)?;
    assert_relative_eq!(
        train::evaluate(&net, &validation)?.loss,
        best,
        max_relative = REORDER_TOL
    );
    Ok(())
}

/// A learning rate of `f64::MAX` on a gradient larger than 1 turns the first update into
/// infinities: the guard must name epoch 1, step 1, the parameters of layer 0, and leave the
/// initial parameters in place.
#[test]
fn divergence_is_an_error_naming_epoch_step_and_layer() -> TestResult {
    // One linear unit with MSE on inputs of size 1000: the weight gradient (a - y) x is in
    // the hundreds.
    let data = one_feature(&[1000.0, -1000.0, 500.0, 2000.0], &[0, 1, 1, 0])?;
    let mut net: Mlp<f64> = Mlp::<f64>::builder(1)
        .output(1, Activation::Identity)
        .seed(3)
        .build()?;
    let start = net.params().to_vec();
    let config = TrainConfig {
        epochs: 3,
        batch_size: 4,
        ..TrainConfig::default()
    };
    let error = Trainer::new(config, sgd(f64::MAX))?
        .fit(&mut net, &data)
        .expect_err("an infinite step diverges");
    assert_eq!(
        error,
        Error::Diverged {
            epoch: 1,
            step: 1,
            quantity: Quantity::Parameter,
            layer: Some(0),
        }
    );
    assert_eq!(
        error.to_string(),
        "training diverged at epoch 1, step 1: non-finite parameter in layer 0"
    );
    assert_eq!(net.params(), &start[..]);

    Ok(())
}

/// The loss can overflow while every activation is finite: half the squared error of an
/// output of 1e155 is 5e309, beyond `f64::MAX` (1.8e308). With a learning rate of 0 nothing
/// moves, so the samples 1 and 2 (outputs 1e150 and 2e150, losses near 1e300) pass and the
/// third, 1e5, overflows the loss at step 3.
#[test]
fn a_loss_that_overflows_with_finite_activations_is_named() -> TestResult {
    let data = one_feature(&[1.0, 2.0, 1e5], &[0, 1, 0])?;
    let mut net: Mlp<f64> = Mlp::<f64>::builder(1)
        .output(1, Activation::Identity)
        .build()?;
    let weight = net.layers()[0].weights_range().start;
    net.params_mut()[weight] = 1e150;
    let start = net.params().to_vec();
    let config = TrainConfig {
        epochs: 2,
        batch_size: 1,
        shuffle: false,
        ..TrainConfig::default()
    };
    let error = Trainer::new(config, sgd(0.0))?
        .fit(&mut net, &data)
        .expect_err("the third sample's loss overflows");
    assert_eq!(
        error,
        Error::Diverged {
            epoch: 1,
            step: 3,
            quantity: Quantity::Loss,
            layer: None,
        }
    );
    assert_eq!(
        error.to_string(),
        "training diverged at epoch 1, step 3: non-finite loss"
    );
    // The output itself was finite: the guard named the loss, not an activation.
    let output = net.predict(&[1e5])?;
    assert!(output[0].is_finite() && output[0] > 1e154);
    assert_eq!(net.params(), &start[..]);
    Ok(())
}

/// A gradient whose entries are all finite has a finite norm, even when the squares of its
/// entries overflow (entries above `sqrt(f64::MAX)`, about 1.3e154): with weight 1e40 and
/// input 1e60 the output is 1e100, the loss 5e199, and the weight's gradient
/// `(a - y) x = 1e160`. The history records its norm; the ratio of two norms whose squares
/// overflow or underflow is measured too.
#[test]
fn norms_of_finite_entries_neither_overflow_nor_underflow() -> TestResult {
    let data = one_feature(&[1e60], &[0])?;
    let mut net: Mlp<f64> = Mlp::<f64>::builder(1)
        .output(1, Activation::Identity)
        .build()?;
    let weight = net.layers()[0].weights_range().start;
    net.params_mut()[weight] = 1e40;
    let mut ws = net.workspace(1)?;
    let mut grad = vec![0.0; net.n_params()];
    net.loss_and_gradient(
        &mut ws,
        data.features(),
        Targets::Labels(data.labels()),
        &mut grad,
    )?;
    assert!(grad[0] > 1e159 && grad.iter().all(|g| g.is_finite()));
    let config = TrainConfig {
        epochs: 1,
        batch_size: 1,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, sgd(0.0))?.fit(&mut net, &data)?;
    // `hypot` is computed without overflow to within an ulp; the trainer's rescaled sum (a
    // division, a square and an addition per entry, a square root and a product) is within
    // a few eps: 4 eps relative covers both.
    assert_relative_eq!(
        history.last().grad_norms[0],
        grad[0].hypot(grad[1]),
        max_relative = 4.0 * f64::EPSILON
    );
    // The learner's `Mlp::layer_norms` uses the same norm.
    assert_relative_eq!(
        net.layer_norms(&grad)?[0],
        grad[0].hypot(grad[1]),
        max_relative = 4.0 * f64::EPSILON
    );

    // Layer 1 grown by 1 %, once at parameters near 1e200 (squares overflow) and once near
    // 1e-200 (squares underflow to 0): the ratio is still 0.01, to the 1e-12 of the test
    // above.
    let net = moons_net(3);
    for scale in [1e200, 1e-200] {
        let mut before = net.params().to_vec();
        for p in &mut before[net.layers()[1].params_range()] {
            *p *= scale;
        }
        let mut after = before.clone();
        for p in &mut after[net.layers()[1].params_range()] {
            *p *= 1.01;
        }
        let ratios = train::update_ratios(&net, &before, &after)?;
        assert_relative_eq!(ratios[1], 0.01, max_relative = 1e-12);
    }
    Ok(())
}

/// Overflow inside the passes is named too: with a rate of 1e10 the activations of an `f32`
/// network with rectified linear units overflow within a few steps (f32's range ends near
/// 3.4e38). A gradient entry overflows, with finite activations and loss, when a large
/// error meets a large activation: in a linear 1-1-1 network with weights 1 and 1e-290 and
/// the input 1e300, the hidden activation is 1e300, the output 1e10 (loss 5e19), and the
/// output layer's weight gradient `1e10 * 1e300` is infinite (the first layer's,
/// `1e-290 * 1e10 * 1e300 = 1e20`, is finite). Either way the network keeps finite
/// parameters.
#[test]
fn overflowing_activations_and_gradients_are_named() -> TestResult {
    let moons = mlp::data::moons(40, 0.1, 2)?;
    let config = TrainConfig {
        epochs: 5,
        batch_size: 10,
        ..TrainConfig::default()
    };
    let builder = Mlp::<f64>::builder(2)
        .hidden(8, Activation::Relu)
        .hidden(8, Activation::Relu)
        .output(1, Activation::Sigmoid)
        .seed(7);

    let mut net32: Mlp<f32> = builder.build()?;
    let sgd32 = Sgd::<f32>::new(SgdConfig {
        learning_rate: 1e10,
        ..SgdConfig::default()
    })?;
    let error = Trainer::new(config, sgd32)?
        .fit(&mut net32, &moons)
        .expect_err("f32 activations overflow");
    assert!(
        matches!(
            error,
            Error::Diverged {
                epoch: 1,
                quantity: Quantity::Activation,
                layer: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(net32.params().iter().all(|p| p.is_finite()));

    let data = one_feature(&[1e300], &[0])?;
    let mut net64: Mlp<f64> = Mlp::<f64>::builder(1)
        .hidden(1, Activation::Identity)
        .output(1, Activation::Identity)
        .build()?;
    let (first, second) = (
        net64.layers()[0].weights_range().start,
        net64.layers()[1].weights_range().start,
    );
    net64.params_mut().fill(0.0);
    net64.params_mut()[first] = 1.0;
    net64.params_mut()[second] = 1e-290;
    let start = net64.params().to_vec();
    let config = TrainConfig {
        epochs: 1,
        batch_size: 1,
        ..TrainConfig::default()
    };
    let error = Trainer::new(config, sgd(0.1))?
        .fit(&mut net64, &data)
        .expect_err("the output layer's gradient overflows");
    assert_eq!(
        error,
        Error::Diverged {
            epoch: 1,
            step: 1,
            quantity: Quantity::Gradient,
            layer: Some(1),
        }
    );
    assert_eq!(net64.params(), &start[..]);
    Ok(())
}

#[test]
fn an_f32_network_trains_like_an_f64_one() -> TestResult {
    // The XOR recipe in f32: all four points right, and a loss as small as in f64.
    let xor = mlp::data::xor();
    let mut net: Mlp<f32> = Mlp::<f32>::builder(2)
        .hidden(8, Activation::Sigmoid)
        .output(1, Activation::Sigmoid)
        .seed(0)
        .build()?;
    let sgd32 = Sgd::<f32>::new(SgdConfig {
        learning_rate: 2.0,
        ..SgdConfig::default()
    })?;
    let config = TrainConfig {
        epochs: 5000,
        batch_size: 4,
        shuffle: false,
        ..TrainConfig::default()
    };
    let history = Trainer::new(config, sgd32)?.fit(&mut net, &xor)?;
    assert_relative_eq!(history.last().train.accuracy, 1.0);
    let f64_run = mlp::train::recipes::xor(8, 0)?;
    assert!(history.last().train.loss < 2.0 * f64_run.train.loss);
    Ok(())
}

/// Before training, a softmax classifier's loss is close to `ln K`. With logits of variance
/// `s^2` across classes, the expected cross-entropy exceeds `ln K` by about
/// `s^2 (1 - 1/K) / 2` (second-order expansion of log-sum-exp around equal logits). The
/// output layer's weights are scaled by 0.1, as is common practice, so that `s^2` is at most
/// about 0.01 (Glorot gives the 32 -> 10 layer weights of variance 2/42, on tanh activations
/// of mean square below 1: `s^2 <= 32 * 2/42 * 0.01 = 0.015`): the excess is below 0.01, and
/// 0.05 leaves room for the spread over samples. Weights 10 times too large instead (logit
/// variance 100 times larger than Glorot's) give a loss well above `2 ln K`.
#[test]
fn initial_softmax_loss_is_about_ln_k() -> TestResult {
    let digits = mlp::data::digits();
    let scaled = Standardizer::fit(&digits).transform(&digits)?;
    let expected = train::expected_initial_loss(10);
    assert_relative_eq!(expected, 10f64.ln());
    for seed in 0..5 {
        let mut net: Mlp<f64> = Mlp::<f64>::builder(64)
            .hidden(32, Activation::Tanh)
            .output(10, Activation::Softmax)
            .seed(seed)
            .build()?;
        let glorot = net.params().to_vec();
        let output = net.layers()[1].params_range();
        for p in &mut net.params_mut()[output] {
            *p *= 0.1;
        }
        let loss = train::evaluate(&net, &scaled)?.loss;
        assert!((loss - expected).abs() < 0.05, "seed {seed}: {loss}");
        for (p, g) in net.params_mut().iter_mut().zip(&glorot) {
            *p = 10.0 * g;
        }
        let too_large = train::evaluate(&net, &scaled)?.loss;
        assert!(too_large > 2.0 * expected, "seed {seed}: {too_large}");
    }
    Ok(())
}

/// The classic sanity check, as the learner runs it: the digits example's network
/// (64-128-10, rectified linear units, L2 penalty 1e-3) memorises 20 samples of its scaled
/// training split, two of each digit. It starts at a loss of 2.9 on them (the example's
/// network starts at 2.7 on the whole split, ln 10 = 2.30); after 200 full-batch Adam steps
/// the loss is below 1e-3 (it is 1.8e-5) and every sample is right.
#[test]
fn twenty_digits_are_overfitted_to_near_zero_loss() -> TestResult {
    let digits = mlp::data::digits();
    let (train_set, _) = digits.stratified_split(0.3, 0)?;
    let train_set = Standardizer::fit(&train_set).transform(&train_set)?;
    let net: Mlp<f64> = Mlp::<f64>::builder(64)
        .hidden(128, Activation::Relu)
        .output(10, Activation::Softmax)
        .l2(1e-3)
        .seed(0)
        .build()?;
    let before = net.clone();
    let report = train::overfit_check(&net, &train_set, 20, 200, 0.01)?;
    // The first sample of each digit in turn, then the second of each.
    assert_eq!(report.samples.len(), 20);
    for class in 0..10 {
        let of_class: Vec<usize> = (0..train_set.n_samples())
            .filter(|&i| train_set.labels()[i] == class)
            .take(2)
            .collect();
        assert_eq!(
            [report.samples[class], report.samples[10 + class]],
            of_class[..],
            "digit {class}"
        );
    }
    assert!(report.first.loss > 1.5, "{:?}", report.first);
    assert!(report.last.loss < 1e-3, "{:?}", report.last);
    // What chapter 5 quotes (`cargo test -p mlp --test it twenty_digits -- --nocapture`).
    eprintln!(
        "overfit check: loss {:.3} -> {:.1e}, accuracy {} -> {}",
        report.first.loss, report.last.loss, report.first.accuracy, report.last.accuracy
    );
    assert_relative_eq!(report.last.accuracy, 1.0);
    assert_eq!(net, before, "the network is not changed");
    Ok(())
}

/// The check catches a network that cannot learn: with the hidden layer's weights 0 and
/// biases -1 every rectified linear unit is dead (output 0, derivative 0) for every input,
/// so only the output biases can move, and on balanced classes their best is the uniform
/// guess they start from (biases start at 0). The loss stays at ln 10: the biases' gradient is a sum of
/// roundings (about 1e-17), which Adam turns into steps of at most
/// `0.01 * 1e-17 / 1e-8 = 1e-11` (its eps is 1e-8), so 200 steps move the loss by far less
/// than 1e-8. Every sample gets the same logits, hence the same class: 2 of 20 are right.
#[test]
fn a_network_that_cannot_learn_fails_the_overfit_check() -> TestResult {
    let digits = mlp::data::digits();
    let digits = Standardizer::fit(&digits).transform(&digits)?;
    let mut net: Mlp<f64> = Mlp::<f64>::builder(64)
        .hidden(32, Activation::Relu)
        .output(10, Activation::Softmax)
        .seed(0)
        .build()?;
    let hidden = net.layers()[0];
    net.params_mut()[hidden.weights_range()].fill(0.0);
    net.params_mut()[hidden.biases_range()].fill(-1.0);
    let report = train::overfit_check(&net, &digits, 20, 200, 0.01)?;
    assert!(
        (report.first.loss - 10f64.ln()).abs() < 1e-8,
        "{:?}",
        report.first
    );
    assert!(
        (report.last.loss - 10f64.ln()).abs() < 1e-8,
        "{:?}",
        report.last
    );
    assert_relative_eq!(report.last.accuracy, 0.1);
    Ok(())
}

#[test]
fn overfit_check_arguments_out_of_range_are_typed_errors() -> TestResult {
    let data = mlp::data::moons(30, 0.1, 0)?;
    let net = moons_net(0);
    let check = |n_samples, steps, learning_rate| {
        train::overfit_check(&net, &data, n_samples, steps, learning_rate).err()
    };
    let samples = "at least 1 and at most the data set's number of samples";
    for n_samples in [0, 31] {
        assert_eq!(
            check(n_samples, 10, 0.01),
            Some(Error::InvalidConfig {
                name: "n_samples",
                value: n_samples as f64,
                allowed: samples,
            })
        );
    }
    assert_eq!(
        check(20, 0, 0.01),
        Some(Error::InvalidConfig {
            name: "steps",
            value: 0.0,
            allowed: "at least 1",
        })
    );
    for rate in [0.0, -0.01, f64::INFINITY, f64::NAN] {
        match check(20, 10, rate) {
            Some(Error::InvalidConfig {
                name: "learning_rate",
                value,
                allowed: "finite and > 0",
            }) => assert_eq!(value.to_bits(), rate.to_bits()),
            other => panic!("expected learning rate {rate} to be refused, got {other:?}"),
        }
    }
    assert_eq!(
        train::overfit_check(&net, &perceptron::data::iris(), 20, 10, 0.01).err(),
        Some(Error::InputWidth {
            expected: 2,
            found: 4
        })
    );
    // All 30 samples are allowed, and the same call gives the same report.
    let report = train::overfit_check(&net, &data, 30, 5, 0.01)?;
    let mut sorted = report.samples.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..30).collect::<Vec<_>>());
    assert_eq!(train::overfit_check(&net, &data, 30, 5, 0.01)?, report);
    Ok(())
}

/// `overfit_check` is `steps` full-batch Adam steps over its samples: a trainer set up that
/// way by hand (3 epochs of the one 12-sample batch, unshuffled, on the subset of
/// `report.samples`) ends with the report's loss and accuracy bit for bit, being the same
/// operations in the same order, while a fourth step moves the loss. (Shuffling the one batch
/// would only reorder the gradient's sums; with Adam, whose steps have the learning rate's size
/// whatever the gradient's last bits, that leaves even the parameters' bits unchanged here.)
#[test]
fn overfit_check_is_that_many_full_batch_adam_steps() -> TestResult {
    let data = mlp::data::moons(30, 0.1, 0)?;
    let net = moons_net(2);
    let (n_samples, steps, learning_rate) = (12, 3, 0.01);
    let report = train::overfit_check(&net, &data, n_samples, steps, learning_rate)?;
    let subset = data.subset(&report.samples)?;
    let by_hand = |epochs| -> Result<mlp::Evaluation, Box<dyn std::error::Error>> {
        let adam = Adam::new(AdamConfig {
            learning_rate,
            ..AdamConfig::default()
        })?;
        let config = TrainConfig {
            epochs,
            batch_size: n_samples,
            shuffle: false,
            ..TrainConfig::default()
        };
        let mut copy = net.clone();
        let history = Trainer::new(config, adam)?.fit_with_validation(&mut copy, &subset, None)?;
        assert_eq!(history.epochs.len(), epochs);
        Ok(history.last().train)
    };
    let bits = |e: mlp::Evaluation| [e.loss.to_bits(), e.accuracy.to_bits()];
    assert_eq!(bits(report.last), bits(by_hand(steps)?));
    assert_ne!(bits(report.last)[0], bits(by_hand(steps + 1)?)[0]);
    assert!(
        report.last.loss < report.first.loss,
        "three steps lower the loss"
    );
    Ok(())
}

#[test]
fn update_ratios_measure_each_layers_relative_change() -> TestResult {
    let net = moons_net(3);
    let before = net.params().to_vec();
    let mut after = before.clone();
    // Grow layer 1's parameters by 1 %, leave the others.
    for p in &mut after[net.layers()[1].params_range()] {
        *p *= 1.01;
    }
    let ratios = train::update_ratios(&net, &before, &after)?;
    assert_eq!(ratios.len(), 3);
    assert_relative_eq!(ratios[1], 0.01, max_relative = 1e-12);
    assert!(ratios[0].abs() < f64::EPSILON && ratios[2].abs() < f64::EPSILON);
    // A layer whose parameters were all 0 has no relative change: its ratio is 0 by
    // definition, not 1/0, however far it moves.
    let mut from_zero = before.clone();
    from_zero[net.layers()[0].params_range()].fill(0.0);
    let ratios = train::update_ratios(&net, &from_zero, &before)?;
    assert_eq!(ratios[0].to_bits(), 0.0_f64.to_bits());
    assert!(ratios[1].abs() < f64::EPSILON && ratios[2].abs() < f64::EPSILON);
    let error = train::update_ratios(&net, &before[1..], &after).expect_err("a short slice");
    assert!(matches!(
        error,
        Error::Step {
            source: mlp::Error::ParameterLength { .. },
            ..
        }
    ));
    // The network's error is the source, after the epoch and step.
    let source = std::error::Error::source(&error).expect("the network's error");
    assert_eq!(error.to_string(), format!("epoch 0, step 0: {source}"));
    // Errors of the trainer itself have no source.
    let refused = Trainer::new(
        TrainConfig {
            epochs: 0,
            ..TrainConfig::default()
        },
        sgd(0.1),
    )
    .expect_err("0 epochs");
    assert!(std::error::Error::source(&refused).is_none());
    Ok(())
}

#[test]
fn bad_settings_are_typed_errors() {
    let config = TrainConfig::default();
    let invalid = |config: TrainConfig| Trainer::new(config, sgd(0.1)).err();
    assert!(matches!(
        invalid(TrainConfig {
            batch_size: 0,
            ..config
        }),
        Some(Error::InvalidConfig {
            name: "batch_size",
            ..
        })
    ));
    assert!(matches!(
        invalid(TrainConfig {
            epochs: 0,
            ..config
        }),
        Some(Error::InvalidConfig { name: "epochs", .. })
    ));
    assert!(matches!(
        invalid(TrainConfig {
            validation_fraction: Some(1.0),
            ..config
        }),
        Some(Error::InvalidConfig {
            name: "validation_fraction",
            ..
        })
    ));
    let stopping = EarlyStopping {
        patience: 0,
        min_delta: 0.0,
    };
    assert!(matches!(
        invalid(TrainConfig {
            early_stopping: Some(stopping),
            ..config
        }),
        Some(Error::InvalidConfig {
            name: "patience",
            ..
        })
    ));
    assert_eq!(
        invalid(TrainConfig {
            batch_size: 0,
            ..config
        })
        .map(|e| e.to_string()),
        Some("batch_size must be at least 1, found 0".to_string())
    );
    // A valid configuration is kept as given, every field of it.
    let custom = TrainConfig {
        epochs: 7,
        batch_size: 3,
        seed: 11,
        shuffle: false,
        validation_fraction: Some(0.25),
        early_stopping: Some(EarlyStopping {
            patience: 2,
            min_delta: 0.5,
        }),
        clip: Some(Clip::Value(1.5)),
    };
    assert_ne!(custom, config);
    let trainer = Trainer::new(custom, sgd(0.1)).expect("a valid configuration");
    assert_eq!(trainer.config(), &custom);
}

/// Every float setting of `TrainConfig` is checked against its range, NaN and the
/// infinities included, and the error names the setting, the value and the range.
#[test]
fn float_settings_outside_their_range_are_typed_errors() {
    let config = TrainConfig::default();
    let invalid = |config: TrainConfig| Trainer::new(config, sgd(0.1)).err();
    // NaN is not equal to itself, so each case is matched by name and range, and the value
    // compared by its bits.
    let assert_invalid =
        |config: TrainConfig, name: &str, value: f64, allowed: &str| match invalid(config) {
            Some(Error::InvalidConfig {
                name: found_name,
                value: found_value,
                allowed: found_allowed,
            }) => {
                assert_eq!((found_name, found_allowed), (name, allowed));
                assert_eq!(found_value.to_bits(), value.to_bits(), "{name}");
            }
            other => panic!("expected {name} = {value} to be refused, got {other:?}"),
        };
    for fraction in [0.0, -0.25, 1.0, 1.5, f64::NAN, f64::INFINITY] {
        let config = TrainConfig {
            validation_fraction: Some(fraction),
            ..config
        };
        assert_invalid(config, "validation_fraction", fraction, "in (0, 1)");
    }
    for min_delta in [-1e-9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let stopping = EarlyStopping {
            patience: 5,
            min_delta,
        };
        let config = TrainConfig {
            early_stopping: Some(stopping),
            ..config
        };
        assert_invalid(config, "min_delta", min_delta, "finite and >= 0");
    }
    // A bound of 0 would zero every step's gradient: the network would never move.
    for bound in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        for (clip, name) in [
            (Clip::Norm(bound), "Clip::Norm"),
            (Clip::Value(bound), "Clip::Value"),
        ] {
            let config = TrainConfig {
                clip: Some(clip),
                ..config
            };
            assert_invalid(config, name, bound, "finite and > 0");
        }
    }
    assert_eq!(
        invalid(TrainConfig {
            clip: Some(Clip::Value(0.0)),
            ..config
        })
        .map(|e| e.to_string()),
        Some("Clip::Value must be finite and > 0, found 0".to_string())
    );
    // The edges of the ranges are allowed.
    let allowed = TrainConfig {
        validation_fraction: Some(0.999),
        early_stopping: Some(EarlyStopping {
            patience: 1,
            min_delta: 0.0,
        }),
        clip: Some(Clip::Norm(f64::MIN_POSITIVE)),
        ..config
    };
    assert!(Trainer::new(allowed, sgd(0.1)).is_ok());
}

#[test]
fn data_that_does_not_fit_is_a_typed_error() -> TestResult {
    let data = mlp::data::moons(20, 0.1, 0)?;
    let config = TrainConfig::default();
    let mut net = moons_net(0);
    let mut trainer = Trainer::new(
        TrainConfig {
            batch_size: 21,
            ..config
        },
        sgd(0.1),
    )?;
    let error = trainer.fit(&mut net, &data).expect_err("21 > 20 samples");
    assert_eq!(
        error,
        Error::BatchSizeTooLarge {
            batch_size: 21,
            n_samples: 20
        }
    );
    assert_eq!(
        error.to_string(),
        "batch size 21 exceeds the 20 training samples"
    );

    let mut trainer = Trainer::new(
        TrainConfig {
            batch_size: 4,
            ..config
        },
        sgd(0.1),
    )?;
    let spirals = mlp::data::spirals(5, 3, 0.1, 0)?;
    assert_eq!(
        trainer.fit(&mut net, &spirals).err(),
        Some(Error::TooManyClasses {
            n_classes: 3,
            n_outputs: 1
        })
    );
    let iris = perceptron::data::iris();
    assert_eq!(
        trainer.fit(&mut net, &iris).err(),
        Some(Error::InputWidth {
            expected: 2,
            found: 4
        })
    );

    let stopping = EarlyStopping {
        patience: 3,
        min_delta: 0.0,
    };
    let mut trainer = Trainer::new(
        TrainConfig {
            batch_size: 4,
            early_stopping: Some(stopping),
            ..config
        },
        sgd(0.1),
    )?;
    assert_eq!(
        trainer.fit(&mut net, &data).err(),
        Some(Error::EarlyStoppingWithoutValidation)
    );

    Ok(())
}

#[test]
fn features_beyond_f32_and_unsplittable_data_are_typed_errors() -> TestResult {
    let config = TrainConfig::default();
    let mut net = moons_net(0);
    // 1e39 is a finite f64 but beyond f32's range.
    let huge = Dataset::new(
        vec![0.0, 1.0, 1e39, 0.0],
        2,
        vec![0, 1],
        vec!["a".into(), "b".into()],
        vec!["0".into(), "1".into()],
    )?;
    let mut net32: Mlp<f32> = Mlp::<f32>::builder(2)
        .output(1, Activation::Sigmoid)
        .build()?;
    let sgd32 = Sgd::<f32>::new(SgdConfig::default())?;
    let error = Trainer::new(
        TrainConfig {
            batch_size: 2,
            ..config
        },
        sgd32,
    )?
    .fit(&mut net32, &huge);
    assert!(
        matches!(
            error,
            Err(Error::NonFiniteFeature {
                set: "training",
                row: 1,
                column: 0,
                ..
            })
        ),
        "{error:?}"
    );

    // A class missing from one side of the validation split is the data crate's error.
    let tiny = mlp::data::xor();
    let mut trainer = Trainer::new(
        TrainConfig {
            batch_size: 1,
            validation_fraction: Some(0.1),
            ..config
        },
        sgd(0.1),
    )?;
    let error = trainer
        .fit(&mut net, &tiny)
        .expect_err("a class missing from a side");
    assert!(matches!(error, Error::Data(_)));
    // The data crate's error is the source, and the message is "data: {source}".
    let source = std::error::Error::source(&error).expect("the data crate's error");
    assert_eq!(error.to_string(), format!("data: {source}"));
    Ok(())
}

#[test]
fn optimizer_state_is_kept_between_fits() -> TestResult {
    let data = mlp::data::moons(20, 0.1, 0)?;
    let mut net = moons_net(0);
    let mut trainer = Trainer::new(
        TrainConfig {
            epochs: 2,
            batch_size: 5,
            ..TrainConfig::default()
        },
        sgd(0.1),
    )?;
    trainer.fit(&mut net, &data)?;
    trainer.fit(&mut net, &data)?;
    assert_eq!(trainer.optimizer().steps_taken(), 16);
    Ok(())
}

/// An optimizer that probes the trainer instead of training: it keeps every gradient it is
/// given, reports the number of steps it has taken as its learning rate (so a recorded rate
/// tells before which step it was read), and hands each step's number (from 1, counted
/// across epochs) and the parameters to `on_step`, which may change them.
struct Probe {
    grads: Vec<Vec<f64>>,
    on_step: Box<OnStep>,
}

/// What a [`Probe`] does at a step: gets the step's number and the parameters.
type OnStep = dyn FnMut(u64, &mut [f64]);

impl Probe {
    fn new(on_step: impl FnMut(u64, &mut [f64]) + 'static) -> Self {
        Self {
            grads: Vec::new(),
            on_step: Box::new(on_step),
        }
    }

    /// A probe that leaves the parameters alone.
    fn still() -> Self {
        Self::new(|_, _| {})
    }
}

impl Optimizer<f64> for Probe {
    fn step(&mut self, params: &mut [f64], grads: &[f64]) -> Result<(), optim::Error> {
        self.grads.push(grads.to_vec());
        let step = self.steps_taken();
        (self.on_step)(step, params);
        Ok(())
    }
    fn learning_rate(&self) -> f64 {
        self.steps_taken() as f64
    }
    fn set_learning_rate(&mut self, _: f64) -> Result<(), optim::Error> {
        Ok(())
    }
    fn momentum(&self) -> Option<f64> {
        None
    }
    fn set_momentum(&mut self, _: f64) -> Result<(), optim::Error> {
        Err(optim::Error::NoMomentum { optimizer: "Probe" })
    }
    fn reset(&mut self) {
        self.grads.clear();
    }
    fn steps_taken(&self) -> u64 {
        self.grads.len() as u64
    }
}

/// The network `a = w x + b` (one identity unit, MSE) with `w = 1` and `b = 0`.
fn identity_line() -> Mlp<f64> {
    let mut net: Mlp<f64> = Mlp::<f64>::builder(1)
        .output(1, Activation::Identity)
        .build()
        .expect("a valid network");
    let weight = net.layers()[0].weights_range().start;
    net.params_mut().fill(0.0);
    net.params_mut()[weight] = 1.0;
    net
}

/// Summing `n` positive terms, each within a couple of eps of its exact value, in another
/// order than the test: at most `(n - 1) eps / 2` from the additions plus the terms' own
/// `2 eps`, so for the 8 terms below `5.5 eps`; 16 eps leaves a factor of about 3.
const MEAN_TOL: f64 = 16.0 * f64::EPSILON;

/// Each epoch visits every sample exactly once, in an order drawn afresh for the epoch from
/// the seed. On `a = x` (`w = 1`, `b = 0`, which the probe never moves) with batches of one,
/// sample `i` has `x_i = 10 i + y_i` and label `y_i = i mod 2`, so its bias gradient is
/// `a - y = 10 i` exactly (small integers) and names the sample. Its weight gradient is
/// `10 i x_i`, so the layer's gradient norm is `10 i sqrt(x_i^2 + 1)` and its mean over an
/// epoch does not depend on the order; the running loss is the mean of `(10 i)^2 / 2`,
/// `50 * 140 / 8 = 875` exactly (the squares of 0 to 7 sum to 140).
#[test]
fn every_epoch_visits_every_sample_once_in_a_fresh_order() -> TestResult {
    let n = 8;
    let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
    let x: Vec<f64> = (0..n).map(|i| (10 * i + labels[i]) as f64).collect();
    let data = one_feature(&x, &labels)?;
    let epochs = 3;
    let orders = |seed: u64, shuffle: bool| -> Result<(Vec<Vec<usize>>, History), Error> {
        let config = TrainConfig {
            epochs,
            batch_size: 1,
            seed,
            shuffle,
            ..TrainConfig::default()
        };
        let mut trainer = Trainer::new(config, Probe::still())?;
        let history = trainer.fit(&mut identity_line(), &data)?;
        let visited: Vec<usize> = trainer
            .optimizer()
            .grads
            .iter()
            .map(|g| {
                // The bias gradient, exactly 10 i, names the sample.
                (0..n)
                    .find(|&i| (g[1] - 10.0 * i as f64).abs() < 0.5)
                    .unwrap_or_else(|| panic!("no sample has the gradient {g:?}"))
            })
            .collect();
        Ok((visited.chunks(n).map(<[usize]>::to_vec).collect(), history))
    };
    let (shuffled, history) = orders(5, true)?;
    assert_eq!(shuffled.len(), epochs);
    for order in &shuffled {
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "{order:?}");
    }
    // A new order every epoch (8! = 40320 orders, so a repeat would be a bug, not chance).
    assert_ne!(shuffled[0], shuffled[1]);
    assert_ne!(shuffled[1], shuffled[2]);
    assert_ne!(shuffled[0], (0..n).collect::<Vec<_>>());
    // The same seed gives the same orders, another seed others, no shuffling none.
    assert_eq!(orders(5, true)?.0, shuffled);
    assert_ne!(orders(6, true)?.0, shuffled);
    let (in_order, _) = orders(5, false)?;
    assert!(in_order.iter().all(|o| *o == (0..n).collect::<Vec<_>>()));

    let mean_norm = (0..n)
        .map(|i| 10.0 * i as f64 * x[i].hypot(1.0))
        .sum::<f64>()
        / n as f64;
    for record in &history.epochs {
        assert_eq!(record.grad_norms.len(), 1);
        assert_relative_eq!(record.grad_norms[0], mean_norm, max_relative = MEAN_TOL);
        assert_relative_eq!(record.running_loss, 875.0);
    }
    Ok(())
}

/// The learning rate and the update ratios of a record are those of the epoch's last step.
/// Moons of 40 in batches of 15 make 3 steps an epoch (15, 15, 10); the probe scales every
/// parameter by 1.01 on each epoch's last step only (steps 3 and 6) and reports as its rate
/// the steps taken so far, so epoch `e` must record the rate 3e - 1 (read before step 3e)
/// and ratios of 0.01 in every layer (the biases are 0 and stay 0; every layer has non-zero
/// weights). The first step of each epoch, which moves nothing, would give ratios of 0.
///
/// Each scaled entry is rounded to `eps / 2` of itself, so the update's norm is off by up to
/// `1.01 (eps / 2) |theta|`: a relative error of `1.01 eps / (2 * 0.01)`, about 51 eps, plus
/// a few eps from the two norms; 64 eps covers both.
#[test]
fn the_rate_and_update_ratios_recorded_are_those_of_the_epochs_last_step() -> TestResult {
    const LAST_STEP_TOL: f64 = 64.0 * f64::EPSILON;
    let data = mlp::data::moons(40, 0.1, 2)?;
    let mut net = moons_net(7);
    let config = TrainConfig {
        epochs: 2,
        batch_size: 15,
        ..TrainConfig::default()
    };
    let probe = Probe::new(|step, params| {
        if step % 3 == 0 {
            for p in params {
                *p *= 1.01;
            }
        }
    });
    let history = Trainer::new(config, probe)?.fit(&mut net, &data)?;
    assert_eq!(history.steps, 6);
    for (record, rate) in history.epochs.iter().zip([2.0, 5.0]) {
        assert_relative_eq!(record.learning_rate, rate);
        assert_eq!(record.update_ratios.len(), 3);
        for &ratio in &record.update_ratios {
            assert_relative_eq!(ratio, 0.01, max_relative = LAST_STEP_TOL);
        }
    }
    Ok(())
}

/// The divergence guard counts steps within the epoch. Five samples in batches of 2 make 3
/// steps an epoch (2, 2 and 1 samples); a probe that writes an infinity into the weight on
/// its sixth step, the last (partial) batch of epoch 2, must be reported as epoch 2, step 3,
/// and the network keeps the parameters from before that step (the probe moved nothing
/// before).
#[test]
fn a_divergence_in_a_later_epoch_names_that_epoch_and_its_step() -> TestResult {
    let data = one_feature(&[1.0, 2.0, 3.0, 4.0, 5.0], &[0, 1, 0, 1, 0])?;
    let mut net = identity_line();
    let start = net.params().to_vec();
    let config = TrainConfig {
        epochs: 3,
        batch_size: 2,
        ..TrainConfig::default()
    };
    let probe = Probe::new(|step, params| {
        if step == 6 {
            params[0] = f64::INFINITY;
        }
    });
    let error = Trainer::new(config, probe)?
        .fit(&mut net, &data)
        .expect_err("the sixth step writes an infinity");
    assert_eq!(
        error,
        Error::Diverged {
            epoch: 2,
            step: 3,
            quantity: Quantity::Parameter,
            layer: Some(0),
        }
    );
    assert_eq!(
        error.to_string(),
        "training diverged at epoch 2, step 3: non-finite parameter in layer 0"
    );
    assert_eq!(net.params(), &start[..]);
    Ok(())
}

/// Early stopping, step by step. The probe sets the weight of `a = w x + b` to a planned
/// value at each epoch's one step (`b` stays 0), and the validation sample `x = 1`, `y = 0`
/// then has the loss `w^2 / 2`. An epoch improves when that is below the best so far minus
/// `min_delta`; after `patience` epochs in a row without improvement training stops, unless
/// that was the last epoch anyway; either way the network ends with the weight of the last
/// epoch that improved (copied, so exactly that value).
#[test]
fn early_stopping_follows_min_delta_and_patience_and_restores_the_best_epoch() -> TestResult {
    struct Case {
        what: &'static str,
        plan: &'static [f64],
        patience: usize,
        min_delta: f64,
        epochs: usize,
        // Epochs run, best epoch, stopped early.
        expected: (usize, usize, bool),
    }
    let cases = [
        Case {
            // Losses 0.5, 0.125, 0.10125, 0.0968: the last two improve by less than 0.1.
            what: "an improvement smaller than min_delta does not count",
            plan: &[1.0, 0.5, 0.45, 0.44],
            patience: 2,
            min_delta: 0.1,
            epochs: 10,
            expected: (4, 2, true),
        },
        Case {
            what: "an equal loss is no improvement",
            plan: &[1.0],
            patience: 2,
            min_delta: 0.0,
            epochs: 10,
            expected: (3, 1, true),
        },
        Case {
            // Losses 0.5, 0.72, 0.125, 0.18, 0.18: epoch 3 improves and restarts the count.
            what: "an improvement restarts the count",
            plan: &[1.0, 1.2, 0.5, 0.6],
            patience: 2,
            min_delta: 0.0,
            epochs: 10,
            expected: (5, 3, true),
        },
        Case {
            // Losses 0.5, 0.125, 0.32.
            what: "running all the epochs still restores the best",
            plan: &[1.0, 0.5, 0.8],
            patience: 5,
            min_delta: 0.0,
            epochs: 3,
            expected: (3, 2, false),
        },
        Case {
            what: "patience running out at the last epoch is not stopping early",
            plan: &[1.0],
            patience: 2,
            min_delta: 0.0,
            epochs: 3,
            expected: (3, 1, false),
        },
    ];
    let data = one_feature(&[1.0], &[0])?;
    for case in cases {
        let plan = case.plan;
        let mut net = identity_line();
        let weight = net.layers()[0].weights_range().start;
        // The plan's last weight is kept for the epochs after it.
        let probe = Probe::new(move |step, params| {
            let epoch = usize::try_from(step).expect("a few steps");
            params[weight] = plan[(epoch - 1).min(plan.len() - 1)];
        });
        let config = TrainConfig {
            epochs: case.epochs,
            batch_size: 1,
            early_stopping: Some(EarlyStopping {
                patience: case.patience,
                min_delta: case.min_delta,
            }),
            ..TrainConfig::default()
        };
        let history =
            Trainer::new(config, probe)?.fit_with_validation(&mut net, &data, Some(&data))?;
        let (epochs_run, best_epoch, _) = case.expected;
        assert_eq!(
            (
                history.epochs.len(),
                history.best_epoch,
                history.stopped_early
            ),
            case.expected,
            "{}",
            case.what
        );
        let best = plan[(best_epoch - 1).min(plan.len() - 1)];
        assert_eq!(net.params(), &[best, 0.0][..], "{}", case.what);
        assert_eq!(history.steps, epochs_run as u64);
    }
    Ok(())
}

/// `validation_fraction` holds out exactly what `Dataset::stratified_split` with the
/// trainer's seed holds out: the same history, bit for bit, as training on that split.
#[test]
fn the_validation_split_is_the_stratified_split_with_the_trainers_seed() -> TestResult {
    let data = mlp::data::moons(40, 0.2, 1)?;
    let config = TrainConfig {
        epochs: 3,
        batch_size: 5,
        seed: 9,
        validation_fraction: Some(0.25),
        ..TrainConfig::default()
    };
    let split = Trainer::new(config, sgd(0.3))?.fit(&mut moons_net(0), &data)?;
    let (train_set, validation) = data.stratified_split(0.25, 9)?;
    assert_eq!(train_set.n_samples(), 30);
    let given = Trainer::new(config, sgd(0.3))?.fit_with_validation(
        &mut moons_net(0),
        &train_set,
        Some(&validation),
    )?;
    assert_eq!(bits(&split), bits(&given));
    assert_eq!(split.steps, 3 * 6);
    Ok(())
}

/// Validation data is checked as the training data is, and its errors say it was the
/// validation set.
#[test]
fn validation_data_that_does_not_fit_is_a_typed_error() -> TestResult {
    let data = mlp::data::moons(20, 0.1, 0)?;
    let config = TrainConfig {
        batch_size: 4,
        ..TrainConfig::default()
    };
    let mut net = moons_net(0);
    let mut trainer = Trainer::new(config, sgd(0.1))?;
    assert_eq!(
        trainer
            .fit_with_validation(&mut net, &data, Some(&perceptron::data::iris()))
            .err(),
        Some(Error::InputWidth {
            expected: 2,
            found: 4
        })
    );
    let spirals = mlp::data::spirals(5, 3, 0.1, 0)?;
    assert_eq!(
        trainer
            .fit_with_validation(&mut net, &data, Some(&spirals))
            .err(),
        Some(Error::TooManyClasses {
            n_classes: 3,
            n_outputs: 1
        })
    );
    // 1e39 is a finite f64 but beyond f32's range: row 1, column 0 of the validation set.
    let huge = Dataset::new(
        vec![0.0, 1.0, 1e39, 0.0],
        2,
        vec![0, 1],
        vec!["a".into(), "b".into()],
        vec!["0".into(), "1".into()],
    )?;
    let mut net32: Mlp<f32> = Mlp::<f32>::builder(2)
        .output(1, Activation::Sigmoid)
        .build()?;
    let sgd32 = Sgd::<f32>::new(SgdConfig::default())?;
    let error = Trainer::new(config, sgd32)?.fit_with_validation(&mut net32, &data, Some(&huge));
    assert!(
        matches!(
            error,
            Err(Error::NonFiniteFeature {
                set: "validation",
                row: 1,
                column: 0,
                ..
            })
        ),
        "{error:?}"
    );
    Ok(())
}
