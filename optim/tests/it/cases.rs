//! The optimizer configurations shared by the oracle, state and allocation tests, named as
//! in `tests/oracle/generate.py`, and the test problem they all step on.

use num_traits::Float;
use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, OneCycleConfig, OneCycleLr,
    Optimizer, Rmsprop, RmspropConfig, Scheduled, Sgd, SgdConfig, StepLr,
};

use crate::oracle_values::{A, C};

/// Every optimizer configuration the oracle script runs.
pub const OPTIMIZER_NAMES: &[&str] = &[
    "sgd_plain",
    "sgd_momentum",
    "sgd_dampening",
    "sgd_nesterov",
    "sgd_weight_decay",
    "sgd_maximize",
    "adagrad_plain",
    "adagrad_all",
    "adagrad_maximize",
    "rmsprop_plain",
    "rmsprop_centered",
    "rmsprop_momentum",
    "rmsprop_all",
    "adam_plain",
    "adam_weight_decay",
    "adam_amsgrad",
    "adam_betas",
    "adam_maximize",
    "adamw_plain",
    "adamw_decay",
    "sgd_momentum_step_lr",
    "adam_one_cycle",
];

/// Builds the optimizer the oracle script calls `name` (with PyTorch's keyword arguments
/// translated one by one).
// One arm per oracle case: splitting the table would hide the one-to-one match with the script.
#[allow(clippy::too_many_lines)]
pub fn build<T: Float + 'static>(name: &str) -> Box<dyn Optimizer<T>> {
    let sgd = |c: SgdConfig| -> Box<dyn Optimizer<T>> { Box::new(Sgd::new(c).unwrap()) };
    let adagrad =
        |c: AdagradConfig| -> Box<dyn Optimizer<T>> { Box::new(Adagrad::new(c).unwrap()) };
    let rmsprop =
        |c: RmspropConfig| -> Box<dyn Optimizer<T>> { Box::new(Rmsprop::new(c).unwrap()) };
    let adam = |c: AdamConfig| -> Box<dyn Optimizer<T>> { Box::new(Adam::new(c).unwrap()) };
    let adamw = |c: AdamWConfig| -> Box<dyn Optimizer<T>> { Box::new(AdamW::new(c).unwrap()) };
    let s = SgdConfig::default();
    let g = AdagradConfig::default();
    let r = RmspropConfig::default();
    let a = AdamConfig::default();
    let w = AdamWConfig::default();
    match name {
        "sgd_plain" => sgd(SgdConfig {
            learning_rate: 0.05,
            ..s
        }),
        "sgd_momentum" => sgd(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            ..s
        }),
        "sgd_dampening" => sgd(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            dampening: 0.5,
            ..s
        }),
        "sgd_nesterov" => sgd(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            nesterov: true,
            ..s
        }),
        "sgd_weight_decay" => sgd(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.5,
            weight_decay: 0.1,
            ..s
        }),
        "sgd_maximize" => sgd(SgdConfig {
            learning_rate: 0.01,
            momentum: 0.5,
            weight_decay: 0.1,
            maximize: true,
            ..s
        }),
        "adagrad_plain" => adagrad(AdagradConfig {
            learning_rate: 0.1,
            ..g
        }),
        "adagrad_all" => adagrad(AdagradConfig {
            learning_rate: 0.1,
            lr_decay: 0.1,
            weight_decay: 0.05,
            initial_accumulator_value: 0.1,
            eps: 1e-3,
            ..g
        }),
        "adagrad_maximize" => adagrad(AdagradConfig {
            learning_rate: 0.1,
            maximize: true,
            ..g
        }),
        "rmsprop_plain" => rmsprop(RmspropConfig {
            learning_rate: 0.01,
            ..r
        }),
        "rmsprop_centered" => rmsprop(RmspropConfig {
            learning_rate: 0.01,
            alpha: 0.9,
            centered: true,
            ..r
        }),
        "rmsprop_momentum" => rmsprop(RmspropConfig {
            learning_rate: 0.01,
            momentum: 0.9,
            eps: 1e-3,
            ..r
        }),
        "rmsprop_all" => rmsprop(RmspropConfig {
            learning_rate: 0.01,
            alpha: 0.8,
            eps: 1e-2,
            weight_decay: 0.1,
            momentum: 0.5,
            centered: true,
            ..r
        }),
        "adam_plain" => adam(AdamConfig {
            learning_rate: 0.1,
            ..a
        }),
        "adam_weight_decay" => adam(AdamConfig {
            learning_rate: 0.1,
            weight_decay: 0.1,
            ..a
        }),
        "adam_amsgrad" => adam(AdamConfig {
            learning_rate: 0.1,
            beta2: 0.5,
            amsgrad: true,
            ..a
        }),
        "adam_betas" => adam(AdamConfig {
            learning_rate: 0.1,
            beta1: 0.3,
            beta2: 0.5,
            eps: 1e-2,
            ..a
        }),
        "adam_maximize" => adam(AdamConfig {
            learning_rate: 0.1,
            maximize: true,
            ..a
        }),
        "adamw_plain" => adamw(AdamWConfig {
            learning_rate: 0.1,
            ..w
        }),
        "adamw_decay" => adamw(AdamWConfig {
            learning_rate: 0.1,
            weight_decay: 0.5,
            amsgrad: true,
            beta2: 0.5,
            ..w
        }),
        "sgd_momentum_step_lr" => Box::new(
            Scheduled::new(
                Sgd::<T>::new(SgdConfig {
                    learning_rate: 0.05,
                    momentum: 0.9,
                    ..s
                })
                .unwrap(),
                StepLr::new(2, 0.5).unwrap(),
            )
            .unwrap(),
        ),
        "adam_one_cycle" => Box::new(
            Scheduled::new(
                Adam::<T>::new(AdamConfig {
                    learning_rate: 0.1,
                    ..a
                })
                .unwrap(),
                OneCycleLr::new(OneCycleConfig {
                    max_lr: 0.2,
                    total_steps: 6,
                    ..OneCycleConfig::default()
                })
                .unwrap(),
            )
            .unwrap(),
        ),
        other => panic!("no optimizer named {other}"),
    }
}

/// The test problem's gradient, `g = a * p + c`, evaluated in `T` as PyTorch does (a
/// multiply, then an add, each rounded).
pub fn gradient<T: Float>(params: &[T], grads: &mut [T]) {
    for i in 0..params.len() {
        let a = T::from(A[i % 4]).unwrap();
        let c = T::from(C[i % 4]).unwrap();
        grads[i] = a * params[i] + c;
    }
}
