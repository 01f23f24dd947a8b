//! The trait's getters and setters, which schedules and momentum cycling drive: setting a
//! learning rate or momentum through `Optimizer` is the same as building the optimizer with
//! that value, for every rule, and the getters read back what was set.
//!
//! A setter that stored nothing would leave a schedule silently without effect; a mutation
//! run (`cargo mutants -p optim`) found that no other test noticed for AdaGrad's and AdamW's
//! learning rate or for RMSprop's and AdamW's momentum.

use std::collections::BTreeMap;

use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, Rmsprop,
    RmspropConfig, Sgd, SgdConfig,
};

use crate::cases::gradient;
use crate::oracle_values::P0;

/// The parameters after each of four steps on the oracle problem, as bits.
fn trajectory<O: Optimizer<f64>>(optimizer: &mut O) -> Vec<Vec<u64>> {
    let mut params = P0.to_vec();
    let mut grads = vec![0.0; params.len()];
    (0..4)
        .map(|_| {
            gradient(&params, &mut grads);
            optimizer.step(&mut params, &grads).unwrap();
            params.iter().map(|x| x.to_bits()).collect()
        })
        .collect()
}

/// `set` (built with the old value, then set through the trait) steps bit for bit as `built`
/// (built with the new value), and differs from `old` (built with the old value, nothing
/// set), so the value set is one the steps depend on.
fn assert_set_is_built<O: Optimizer<f64>>(what: &str, mut set: O, mut built: O, mut old: O) {
    let set = trajectory(&mut set);
    assert_eq!(
        set,
        trajectory(&mut built),
        "{what}: set differs from built"
    );
    assert_ne!(
        set,
        trajectory(&mut old),
        "{what}: the value set changed nothing"
    );
}

/// Builds with the learning rate `old`, sets a third of it through the trait (checking that
/// it reads back exactly) and compares with building with that third.
fn assert_learning_rate_set_is_built<O: Optimizer<f64>>(
    what: &str,
    build: impl Fn(f64) -> O,
    old: f64,
) {
    let new = old / 3.0;
    let mut set = build(old);
    assert_eq!(set.learning_rate().to_bits(), old.to_bits());
    set.set_learning_rate(new).unwrap();
    assert_eq!(set.learning_rate().to_bits(), new.to_bits());
    assert_set_is_built(what, set, build(new), build(old));
}

/// Builds with momentum 0.9, sets 0.5 through the trait (checking that it reads back) and
/// compares with building with 0.5.
fn assert_momentum_set_is_built<O: Optimizer<f64>>(what: &str, build: impl Fn(f64) -> O) {
    let mut set = build(0.9);
    assert_eq!(set.momentum(), Some(0.9));
    set.set_momentum(0.5).unwrap();
    assert_eq!(set.momentum(), Some(0.5));
    assert_set_is_built(what, set, build(0.5), build(0.9));
}

// The rates are the oracle's (0.05 for SGD, 0.1 for AdaGrad and Adam, 0.01 for RMSprop) and
// a third of them: every rule's first step is proportional to the rate, so the trajectories
// differ from the first step on.

#[test]
fn setting_the_learning_rate_is_building_with_it() {
    let sgd = |learning_rate| {
        Sgd::<f64>::new(SgdConfig {
            learning_rate,
            momentum: 0.9,
            weight_decay: 0.1,
            ..SgdConfig::default()
        })
        .unwrap()
    };
    assert_learning_rate_set_is_built("sgd", sgd, 0.05);
    let adagrad = |learning_rate| {
        Adagrad::<f64>::new(AdagradConfig {
            learning_rate,
            lr_decay: 0.1,
            ..AdagradConfig::default()
        })
        .unwrap()
    };
    assert_learning_rate_set_is_built("adagrad", adagrad, 0.1);
    let rmsprop = |learning_rate| {
        Rmsprop::<f64>::new(RmspropConfig {
            learning_rate,
            momentum: 0.5,
            centered: true,
            ..RmspropConfig::default()
        })
        .unwrap()
    };
    assert_learning_rate_set_is_built("rmsprop", rmsprop, 0.01);
    let adam = |learning_rate| {
        Adam::<f64>::new(AdamConfig {
            learning_rate,
            weight_decay: 0.1,
            ..AdamConfig::default()
        })
        .unwrap()
    };
    assert_learning_rate_set_is_built("adam", adam, 0.1);
    // AdamW's rate also scales its decoupled decay, theta (1 - lr lambda).
    let adamw = |learning_rate| {
        AdamW::<f64>::new(AdamWConfig {
            learning_rate,
            weight_decay: 0.5,
            ..AdamWConfig::default()
        })
        .unwrap()
    };
    assert_learning_rate_set_is_built("adamw", adamw, 0.1);
}

// Momentum reaches the parameters from the second step on (SGD's and RMSprop's buffers start
// as the first step itself, and Adam's bias correction makes its first moment the first
// gradient), so four steps show a changed value.

#[test]
fn setting_the_momentum_is_building_with_it() {
    let sgd = |momentum| {
        Sgd::<f64>::new(SgdConfig {
            learning_rate: 0.05,
            momentum,
            ..SgdConfig::default()
        })
        .unwrap()
    };
    assert_momentum_set_is_built("sgd", sgd);
    let rmsprop = |momentum| {
        Rmsprop::<f64>::new(RmspropConfig {
            learning_rate: 0.01,
            momentum,
            ..RmspropConfig::default()
        })
        .unwrap()
    };
    assert_momentum_set_is_built("rmsprop", rmsprop);
    // Adam's and AdamW's momentum is beta1.
    let adam = |beta1| {
        Adam::<f64>::new(AdamConfig {
            learning_rate: 0.1,
            beta1,
            ..AdamConfig::default()
        })
        .unwrap()
    };
    assert_momentum_set_is_built("adam", adam);
    let adamw = |beta1| {
        AdamW::<f64>::new(AdamWConfig {
            learning_rate: 0.1,
            beta1,
            ..AdamWConfig::default()
        })
        .unwrap()
    };
    assert_momentum_set_is_built("adamw", adamw);
}

#[test]
fn the_config_reads_back_what_was_built_and_set() {
    {
        let config = SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            nesterov: true,
            ..SgdConfig::default()
        };
        let mut sgd = Sgd::<f64>::new(config).unwrap();
        assert_eq!(*sgd.config(), config);
        sgd.set_momentum(0.5).unwrap();
        assert_eq!(sgd.config().momentum.to_bits(), 0.5_f64.to_bits());
    }
    {
        let config = AdagradConfig {
            learning_rate: 0.1,
            lr_decay: 0.1,
            initial_accumulator_value: 0.25,
            ..AdagradConfig::default()
        };
        let mut adagrad = Adagrad::<f64>::new(config).unwrap();
        assert_eq!(*adagrad.config(), config);
        adagrad.set_learning_rate(0.5).unwrap();
        assert_eq!(adagrad.config().learning_rate.to_bits(), 0.5_f64.to_bits());
    }
    {
        let config = RmspropConfig {
            learning_rate: 0.01,
            alpha: 0.8,
            momentum: 0.5,
            centered: true,
            ..RmspropConfig::default()
        };
        let mut rmsprop = Rmsprop::<f64>::new(config).unwrap();
        assert_eq!(*rmsprop.config(), config);
        rmsprop.set_momentum(0.25).unwrap();
        assert_eq!(rmsprop.config().momentum.to_bits(), 0.25_f64.to_bits());
    }
    {
        let config = AdamConfig {
            learning_rate: 0.1,
            beta2: 0.5,
            amsgrad: true,
            ..AdamConfig::default()
        };
        let mut adam = Adam::<f64>::new(config).unwrap();
        assert_eq!(*adam.config(), config);
        adam.set_momentum(0.5).unwrap();
        assert_eq!(adam.config().beta1.to_bits(), 0.5_f64.to_bits());
    }
    {
        let config = AdamWConfig {
            learning_rate: 0.1,
            weight_decay: 0.5,
            ..AdamWConfig::default()
        };
        let mut adamw = AdamW::<f64>::new(config).unwrap();
        assert_eq!(adamw.config(), config);
        adamw.set_learning_rate(0.5).unwrap();
        assert_eq!(adamw.config().learning_rate.to_bits(), 0.5_f64.to_bits());
    }
}

/// What a rule keeps between steps: its saved state's buffers by name, with their lengths.
fn buffer_lengths(optimizer: &impl serde::Serialize) -> BTreeMap<String, usize> {
    let serde_json::Value::Object(fields) = serde_json::to_value(optimizer).unwrap() else {
        panic!("an optimizer saves as a JSON object");
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| match value {
            serde_json::Value::Array(buffer) => Some((name, buffer.len())),
            _ => None,
        })
        .collect()
}

#[test]
fn rmsprop_keeps_only_the_buffers_its_configuration_uses() {
    // PyTorch's RMSprop creates `grad_avg` only when centered and `momentum_buffer` only
    // when momentum > 0; a plain one holds one number per parameter, not three.
    let lengths = |centered, momentum| {
        let mut rmsprop = Rmsprop::<f64>::new(RmspropConfig {
            centered,
            momentum,
            ..RmspropConfig::default()
        })
        .unwrap();
        trajectory(&mut rmsprop);
        buffer_lengths(&rmsprop)
    };
    let n = P0.len();
    let expected = |grad_avg, momentum_buffer| {
        BTreeMap::from([
            ("square_avg".to_owned(), n),
            ("grad_avg".to_owned(), grad_avg),
            ("momentum_buffer".to_owned(), momentum_buffer),
        ])
    };
    assert_eq!(lengths(false, 0.0), expected(0, 0));
    assert_eq!(lengths(true, 0.0), expected(n, 0));
    assert_eq!(lengths(false, 0.5), expected(0, n));
    assert_eq!(lengths(true, 0.5), expected(n, n));
}
