//! Bad input gets a typed error naming the value and its allowed range, never a panic or
//! silently wrong numbers.

use optim::clip::{Norm, clip_grad_norm, clip_grad_value};
use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, ConstantLr, CosineAnnealingLr,
    Error, ExponentialLr, LinearLr, MultiStepLr, OneCycleConfig, OneCycleLr, Optimizer, Rmsprop,
    RmspropConfig, Scheduled, Sgd, SgdConfig, StepLr,
};

/// Asserts `result` is an `InvalidHyperparameter` for `name` and that its message names the
/// hyperparameter and its range.
fn assert_invalid<T: std::fmt::Debug>(result: Result<T, Error>, name: &str, allowed: &str) {
    match result {
        Err(error @ Error::InvalidHyperparameter { .. }) => {
            let Error::InvalidHyperparameter {
                name: got,
                allowed: range,
                ..
            } = &error
            else {
                unreachable!()
            };
            assert_eq!((*got, *range), (name, allowed));
            let message = error.to_string();
            assert!(
                message.contains(name) && message.contains(allowed),
                "{message}"
            );
            assert!(
                message.starts_with(char::is_lowercase),
                "messages start lowercase: {message}"
            );
            assert!(!message.ends_with('.'), "messages have no full stop");
        }
        other => panic!("expected an invalid {name}, got {other:?}"),
    }
}

#[test]
fn out_of_range_sgd_hyperparameters_are_refused_by_name() {
    let sgd = SgdConfig::default();
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            learning_rate: -0.1,
            ..sgd
        }),
        "learning_rate",
        "[0, inf)",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            learning_rate: f64::NAN,
            ..sgd
        }),
        "learning_rate",
        "[0, inf)",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            learning_rate: f64::INFINITY,
            ..sgd
        }),
        "learning_rate",
        "[0, inf)",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            momentum: -0.5,
            ..sgd
        }),
        "momentum",
        "[0, 1)",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            momentum: 1.0,
            ..sgd
        }),
        "momentum",
        "[0, 1)",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            dampening: 1.5,
            ..sgd
        }),
        "dampening",
        "[0, 1]",
    );
    assert_invalid(
        Sgd::<f64>::new(SgdConfig {
            weight_decay: -1e-4,
            ..sgd
        }),
        "weight_decay",
        "[0, inf)",
    );
}

#[test]
fn out_of_range_adaptive_hyperparameters_are_refused_by_name() {
    let adagrad = AdagradConfig::default();
    assert_invalid(
        Adagrad::<f64>::new(AdagradConfig {
            lr_decay: -1.0,
            ..adagrad
        }),
        "lr_decay",
        "[0, inf)",
    );
    assert_invalid(
        Adagrad::<f64>::new(AdagradConfig {
            eps: 0.0,
            ..adagrad
        }),
        "eps",
        "(0, inf)",
    );
    assert_invalid(
        Adagrad::<f64>::new(AdagradConfig {
            initial_accumulator_value: -1.0,
            ..adagrad
        }),
        "initial_accumulator_value",
        "[0, inf)",
    );

    let rmsprop = RmspropConfig::default();
    assert_invalid(
        Rmsprop::<f64>::new(RmspropConfig {
            alpha: 1.0,
            ..rmsprop
        }),
        "alpha",
        "[0, 1)",
    );
    assert_invalid(
        Rmsprop::<f64>::new(RmspropConfig {
            eps: -1e-8,
            ..rmsprop
        }),
        "eps",
        "(0, inf)",
    );
    assert_invalid(
        Rmsprop::<f64>::new(RmspropConfig {
            momentum: -0.1,
            ..rmsprop
        }),
        "momentum",
        "[0, 1)",
    );
}

#[test]
fn out_of_range_adam_hyperparameters_are_refused_by_name() {
    let adam = AdamConfig::default();
    assert_invalid(
        Adam::<f64>::new(AdamConfig { beta1: 1.0, ..adam }),
        "beta1",
        "[0, 1)",
    );
    assert_invalid(
        Adam::<f64>::new(AdamConfig {
            beta1: -0.1,
            ..adam
        }),
        "beta1",
        "[0, 1)",
    );
    assert_invalid(
        Adam::<f64>::new(AdamConfig { beta2: 1.5, ..adam }),
        "beta2",
        "[0, 1)",
    );
    assert_invalid(
        Adam::<f64>::new(AdamConfig { eps: 0.0, ..adam }),
        "eps",
        "(0, inf)",
    );
    assert_invalid(
        AdamW::<f32>::new(AdamWConfig {
            weight_decay: -0.01,
            ..AdamWConfig::default()
        }),
        "weight_decay",
        "[0, inf)",
    );
}

#[test]
fn nesterov_needs_momentum_and_no_dampening() {
    for (momentum, dampening) in [(0.0, 0.0), (0.9, 0.1)] {
        let result = Sgd::<f64>::new(SgdConfig {
            momentum,
            dampening,
            nesterov: true,
            ..SgdConfig::default()
        });
        assert_eq!(
            result.unwrap_err(),
            Error::NesterovRequiresMomentum {
                momentum,
                dampening
            }
        );
    }
    // Switching momentum off later is refused the same way.
    let mut sgd = Sgd::<f64>::new(SgdConfig {
        momentum: 0.9,
        nesterov: true,
        ..SgdConfig::default()
    })
    .unwrap();
    assert!(matches!(
        sgd.set_momentum(0.0),
        Err(Error::NesterovRequiresMomentum { .. })
    ));
    assert_eq!(sgd.momentum(), Some(0.9));
}

#[test]
fn setters_check_their_value_and_keep_the_old_one_on_error() {
    let mut adam = Adam::<f64>::new(AdamConfig::default()).unwrap();
    assert_invalid(adam.set_learning_rate(-1.0), "learning_rate", "[0, inf)");
    assert_invalid(adam.set_momentum(1.0), "beta1", "[0, 1)");
    assert!((adam.learning_rate() - 1e-3).abs() < 1e-18);
    assert_eq!(adam.momentum(), Some(0.9));
    let mut adagrad = Adagrad::<f64>::new(AdagradConfig::default()).unwrap();
    assert_eq!(
        adagrad.set_momentum(0.9),
        Err(Error::NoMomentum {
            optimizer: "adagrad"
        })
    );
    assert_eq!(adagrad.momentum(), None);
}

#[test]
fn slices_of_different_lengths_are_refused_with_both_lengths() {
    let mut sgd = Sgd::<f64>::new(SgdConfig::default()).unwrap();
    let error = sgd.step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2]).unwrap_err();
    assert_eq!(
        error,
        Error::LengthMismatch {
            params: 3,
            grads: 2
        }
    );
    assert_eq!(
        error.to_string(),
        "expected as many gradients as parameters, found 3 parameters and 2 gradients"
    );
    // A different length from the first step's is refused until a reset.
    let mut adam = Adam::<f32>::new(AdamConfig::default()).unwrap();
    adam.step(&mut [1.0, 2.0], &[0.1, 0.2]).unwrap();
    let error = adam
        .step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2, 0.3])
        .unwrap_err();
    assert_eq!(error, Error::StateLengthMismatch { state: 2, found: 3 });
    assert!(error.to_string().contains("holds 2 parameters"), "{error}");
    adam.reset();
    adam.step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2, 0.3]).unwrap();
}

#[test]
fn a_non_finite_gradient_names_its_index() {
    let mut sgd = Sgd::<f32>::new(SgdConfig {
        momentum: 0.9,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut params = [1.0_f32; 40];
    let mut grads = [0.5_f32; 40];
    grads[37] = f32::INFINITY;
    grads[39] = f32::NAN;
    let error = sgd.step(&mut params, &grads).unwrap_err();
    assert_eq!(
        error,
        Error::NonFiniteGradient {
            index: 37,
            value: f64::INFINITY
        }
    );
    assert_eq!(
        error.to_string(),
        "gradient 37 is inf; no parameter was updated"
    );
    assert!(
        params.iter().all(|p| p.to_bits() == 1.0_f32.to_bits()),
        "nothing was updated"
    );
    assert_eq!(Optimizer::<f32>::steps_taken(&sgd), 0);
}

#[test]
fn schedules_refuse_out_of_range_settings() {
    assert_invalid(StepLr::new(0, 0.1), "step_size", "[1, inf)");
    assert_invalid(StepLr::new(10, -0.1), "gamma", "[0, inf)");
    assert_invalid(MultiStepLr::new(vec![3], f64::NAN), "gamma", "[0, inf)");
    assert_invalid(ExponentialLr::new(f64::INFINITY), "gamma", "[0, inf)");
    assert_invalid(CosineAnnealingLr::new(0, 0.0), "t_max", "[1, inf)");
    assert_invalid(CosineAnnealingLr::new(10, -1.0), "eta_min", "[0, inf)");
    assert_invalid(LinearLr::new(0.0, 1.0, 5), "start_factor", "(0, 1]");
    assert_invalid(LinearLr::new(0.5, 1.5, 5), "end_factor", "[0, 1]");
    assert_invalid(LinearLr::new(0.5, 1.0, 0), "total_iters", "[1, inf)");
    assert_invalid(ConstantLr::new(0.0, 5), "factor", "(0, 1]");
    let one_cycle = OneCycleConfig::default();
    assert_invalid(
        OneCycleLr::new(OneCycleConfig {
            total_steps: 0,
            ..one_cycle
        }),
        "total_steps",
        "[1, inf)",
    );
    assert_invalid(
        OneCycleLr::new(OneCycleConfig {
            pct_start: 1.5,
            ..one_cycle
        }),
        "pct_start",
        "[0, 1]",
    );
    assert_invalid(
        OneCycleLr::new(OneCycleConfig {
            max_momentum: 1.0,
            ..one_cycle
        }),
        "max_momentum",
        "[0, 1)",
    );
    assert_invalid(
        OneCycleLr::new(OneCycleConfig {
            div_factor: 0.0,
            ..one_cycle
        }),
        "div_factor",
        "(0, inf)",
    );
    // pct_start 0.01 of 50 steps ends the first phase at step -0.5: PyTorch divides by zero
    // or by a negative span there; here it is refused.
    assert_invalid(
        OneCycleLr::new(OneCycleConfig {
            total_steps: 50,
            pct_start: 0.01,
            ..one_cycle
        }),
        "pct_start",
        "values that give every phase at least one step",
    );
}

#[test]
fn momentum_cycling_needs_an_optimizer_with_momentum() {
    let adagrad = Adagrad::<f64>::new(AdagradConfig::default()).unwrap();
    let schedule = OneCycleLr::new(OneCycleConfig::default()).unwrap();
    let error = Scheduled::new(adagrad.clone(), schedule).unwrap_err();
    assert_eq!(
        error,
        Error::NoMomentum {
            optimizer: "adagrad"
        }
    );
    // Without momentum cycling AdaGrad is fine.
    let schedule = OneCycleLr::new(OneCycleConfig {
        cycle_momentum: false,
        ..OneCycleConfig::default()
    })
    .unwrap();
    assert!(Scheduled::new(adagrad, schedule).is_ok());
}

/// Plain SGD at rate 1 under an `ExponentialLr` of factor 1e10: the rate for step $k$ (from
/// 1) is $10^{10(k-1)}$, which overflows `f32` at step 5 and `f64` at step 32.
fn exploding<T: num_traits::Float + 'static>() -> Scheduled<Sgd<T>, ExponentialLr>
where
    Sgd<T>: Optimizer<T>,
{
    let sgd = Sgd::<T>::new(SgdConfig {
        learning_rate: 1.0,
        ..SgdConfig::default()
    })
    .unwrap();
    Scheduled::new(sgd, ExponentialLr::new(1e10).unwrap()).unwrap()
}

#[test]
fn a_schedule_that_overflows_is_reported_at_the_step() {
    // gamma = 1e10 overflows f64 after about 31 steps.
    let mut driven = exploding::<f64>();
    let mut p = [0.0_f64];
    let mut result = Ok(());
    for _ in 0..40 {
        result = driven.step(&mut p, &[0.0]);
        if result.is_err() {
            break;
        }
    }
    // 1e10^31 = 1e310 is the rate for the 32nd step.
    let error = result.unwrap_err();
    assert_eq!(
        error,
        Error::ScheduleOutOfRange {
            step: 32,
            name: "learning_rate",
            value: f64::INFINITY,
            allowed: "[0, inf)"
        }
    );
    assert_eq!(
        error.to_string(),
        "the schedule set learning_rate to inf for step 32, outside [0, inf); the step was not taken"
    );
    assert_eq!(
        Optimizer::<f64>::steps_taken(&driven),
        31,
        "the failed step is not counted"
    );
}

#[test]
fn a_scheduled_rate_that_f32_cannot_hold_is_reported_at_its_step() {
    // 1e10^4 = 1e40 for the 5th step is finite in f64 but past f32's 3.4e38: the wrapped f32
    // optimizer refuses it at its step, and the schedule names the step.
    let mut driven = exploding::<f32>();
    let mut p = [1.0_f32];
    for _ in 0..4 {
        driven.step(&mut p, &[0.0]).unwrap();
    }
    let error = driven.step(&mut p, &[0.0]).unwrap_err();
    assert!(
        matches!(
            error,
            Error::ScheduleOutOfRange {
                step: 5,
                name: "learning_rate",
                value,
                allowed: "[0, 3.4e38] for f32 parameters (beyond, it overflows to inf)"
            } if value > 1e39
        ),
        "{error:?}"
    );
    assert_eq!(Optimizer::<f32>::steps_taken(&driven), 4);
    assert_eq!(p[0].to_bits(), 1.0_f32.to_bits(), "nothing updated");
}

#[test]
fn clipping_refuses_bad_bounds_and_non_finite_norms() {
    let mut grads = [1.0_f64, f64::NAN, 2.0];
    assert_invalid(
        clip_grad_norm(&mut grads, -1.0, Norm::L2, false),
        "max_norm",
        "[0, inf)",
    );
    assert_invalid(
        clip_grad_value(&mut grads, f64::NAN),
        "clip_value",
        "[0, inf)",
    );
    let error = clip_grad_norm(&mut grads, 1.0, Norm::L2, true).unwrap_err();
    assert!(matches!(error, Error::NonFiniteNorm { value } if value.is_nan()));
    assert_eq!(
        error.to_string(),
        "the total gradient norm is NaN, so it cannot be clipped"
    );
    assert_eq!(
        grads[0].to_bits(),
        1.0_f64.to_bits(),
        "left untouched on error"
    );
    let mut grads = [1.0_f32, f32::INFINITY];
    let error = clip_grad_norm(&mut grads, 1.0, Norm::Max, true).unwrap_err();
    assert_eq!(
        error,
        Error::NonFiniteNorm {
            value: f64::INFINITY
        }
    );
    // Without the check PyTorch's arithmetic applies: max_norm / inf = 0 zeroes the gradients.
    let norm = clip_grad_norm(&mut grads, 1.0, Norm::Max, false).unwrap();
    assert!(norm.is_infinite());
    assert_eq!(grads[0].to_bits(), 0.0_f32.to_bits());
}

#[test]
fn a_saved_state_whose_step_count_cannot_grow_is_refused_not_a_panic() {
    // A damaged or hand-edited state with steps = u64::MAX panicked on `steps + 1`.
    fn check<O: Optimizer<f64> + serde::Serialize + serde::de::DeserializeOwned>(optimizer: &O) {
        let saved = serde_json::to_string(optimizer).unwrap();
        let edited = saved.replace("\"steps\":0", &format!("\"steps\":{}", u64::MAX));
        assert_ne!(saved, edited);
        let mut broken: O = serde_json::from_str(&edited).unwrap();
        let mut params = [1.0, 2.0];
        let error = broken.step(&mut params, &[0.1, 0.2]).unwrap_err();
        assert_eq!(
            error,
            Error::InconsistentState {
                reason: "the step count is u64::MAX and cannot grow"
            }
        );
        assert_eq!(
            error.to_string(),
            "inconsistent optimizer state: the step count is u64::MAX and cannot grow"
        );
        // Compared bit for bit: nothing is updated, not even by rounding.
        assert_eq!(
            params.map(f64::to_bits),
            [1.0_f64.to_bits(), 2.0_f64.to_bits()]
        );
        assert_eq!(broken.steps_taken(), u64::MAX);
    }
    check(&Sgd::<f64>::new(SgdConfig::default()).unwrap());
    check(&Adam::<f64>::new(AdamConfig::default()).unwrap());
    check(&AdamW::<f64>::new(AdamWConfig::default()).unwrap());
    check(&Adagrad::<f64>::new(AdagradConfig::default()).unwrap());
    check(&Rmsprop::<f64>::new(RmspropConfig::default()).unwrap());
    check(
        &Scheduled::new(
            Sgd::<f64>::new(SgdConfig::default()).unwrap(),
            StepLr::new(1, 0.5).unwrap(),
        )
        .unwrap(),
    );
}

#[test]
fn hyperparameters_that_f32_cannot_hold_are_refused_at_the_step() {
    // Valid in f64, but 1e39 is inf in f32 and 1e-50 is 0: the step wrote NaN and -inf into
    // the parameters (lr inf times a zero gradient, 0 / (0 + 0) for a zero gradient) with Ok.
    fn check<O: Optimizer<f32>>(mut optimizer: O, name: &str, allowed: &str) {
        let mut params = [1.0_f32, 2.0];
        assert_invalid(optimizer.step(&mut params, &[0.0, 0.5]), name, allowed);
        assert_eq!(
            params.map(f32::to_bits),
            [1.0_f32.to_bits(), 2.0_f32.to_bits()]
        );
        assert_eq!(optimizer.steps_taken(), 0);
    }
    const TOO_LARGE: &str = "[0, 3.4e38] for f32 parameters (beyond, it overflows to inf)";
    const ROUNDS_TO_ZERO: &str = "(7e-46, inf) for f32 parameters (below, it rounds to 0)";
    let huge = 1e39;
    let tiny = 1e-50;
    check(
        Sgd::<f32>::new(SgdConfig {
            learning_rate: huge,
            ..SgdConfig::default()
        })
        .unwrap(),
        "learning_rate",
        TOO_LARGE,
    );
    check(
        Sgd::<f32>::new(SgdConfig {
            weight_decay: huge,
            ..SgdConfig::default()
        })
        .unwrap(),
        "weight_decay",
        TOO_LARGE,
    );
    check(
        Adam::<f32>::new(AdamConfig {
            eps: tiny,
            ..AdamConfig::default()
        })
        .unwrap(),
        "eps",
        ROUNDS_TO_ZERO,
    );
    check(
        AdamW::<f32>::new(AdamWConfig {
            eps: tiny,
            ..AdamWConfig::default()
        })
        .unwrap(),
        "eps",
        ROUNDS_TO_ZERO,
    );
    check(
        Adagrad::<f32>::new(AdagradConfig {
            eps: tiny,
            ..AdagradConfig::default()
        })
        .unwrap(),
        "eps",
        ROUNDS_TO_ZERO,
    );
    check(
        Rmsprop::<f32>::new(RmspropConfig {
            eps: tiny,
            ..RmspropConfig::default()
        })
        .unwrap(),
        "eps",
        ROUNDS_TO_ZERO,
    );
    check(
        Rmsprop::<f32>::new(RmspropConfig {
            learning_rate: huge,
            ..RmspropConfig::default()
        })
        .unwrap(),
        "learning_rate",
        TOO_LARGE,
    );
    // The same settings are fine for f64 parameters, and a subnormal f32 eps is not 0.
    let mut adam = Adam::<f64>::new(AdamConfig {
        eps: tiny,
        ..AdamConfig::default()
    })
    .unwrap();
    adam.step(&mut [1.0, 2.0], &[0.0, 0.5]).unwrap();
    let mut adam = Adam::<f32>::new(AdamConfig {
        eps: 1e-44,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut params = [1.0_f32, 2.0];
    adam.step(&mut params, &[0.0, 0.5]).unwrap();
    assert!(params.iter().all(|p| p.is_finite()), "{params:?}");
}

#[test]
fn a_saved_state_with_a_negative_running_square_is_refused_when_read() {
    // A negative second moment was read without complaint, and the next step wrote NaN (its
    // square root) into every parameter with Ok.
    fn check<O: Optimizer<f64> + serde::Serialize + serde::de::DeserializeOwned>(
        mut optimizer: O,
        field: &str,
    ) {
        optimizer.step(&mut [1.0, 2.0], &[0.1, 0.2]).unwrap();
        let saved = serde_json::to_string(&optimizer).unwrap();
        let key = format!("\"{field}\":[");
        let start = saved.find(&key).unwrap() + key.len();
        let edited = format!(
            "{}-0.5{}",
            &saved[..start],
            &saved[start + saved[start..].find(',').unwrap()..]
        );
        let Err(error) = serde_json::from_str::<O>(&edited) else {
            panic!("{field}: a negative running square was read");
        };
        let error = error.to_string();
        assert!(
            error.contains(
                "inconsistent optimizer state: a buffer of running squares holds -0.5 at index 0"
            ),
            "{field}: {error}"
        );
    }
    check(
        Adam::<f64>::new(AdamConfig::default()).unwrap(),
        "exp_avg_sq",
    );
    check(
        Adam::<f64>::new(AdamConfig {
            amsgrad: true,
            ..AdamConfig::default()
        })
        .unwrap(),
        "max_exp_avg_sq",
    );
    check(
        AdamW::<f64>::new(AdamWConfig::default()).unwrap(),
        "exp_avg_sq",
    );
    check(
        Rmsprop::<f64>::new(RmspropConfig::default()).unwrap(),
        "square_avg",
    );
    check(
        Adagrad::<f64>::new(AdagradConfig::default()).unwrap(),
        "sum",
    );
    // A first moment may be negative: it is an average of gradients, not of squares.
    let mut adam = Adam::<f64>::new(AdamConfig::default()).unwrap();
    adam.step(&mut [1.0, 2.0], &[-0.1, -0.2]).unwrap();
    let saved = serde_json::to_string(&adam).unwrap();
    assert!(serde_json::from_str::<Adam<f64>>(&saved).is_ok());
}
