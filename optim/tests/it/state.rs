//! State: a saved and restored optimizer continues bit for bit, a reset one behaves as new,
//! and a saved state that does not make sense is refused.

use num_traits::Float;
use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, CosineAnnealingLr, Error,
    OneCycleConfig, OneCycleLr, Optimizer, Rmsprop, RmspropConfig, Scheduled, Sgd, SgdConfig,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cases::gradient;
use crate::oracle_values::P0;

/// Eight parameters: the oracle problem twice over.
fn start<T: Float>() -> Vec<T> {
    P0.iter()
        .chain(P0.iter())
        .map(|&x| T::from(x).unwrap() * T::from(0.5).unwrap())
        .collect()
}

fn steps<T: Float, O: Optimizer<T>>(
    optimizer: &mut O,
    params: &mut [T],
    count: usize,
) -> Vec<Vec<T>> {
    let mut grads = vec![T::zero(); params.len()];
    (0..count)
        .map(|_| {
            gradient(params, &mut grads);
            optimizer.step(params, &grads).unwrap();
            params.to_vec()
        })
        .collect()
}

/// Runs 3 steps, saves to JSON, and checks that the restored copy's next 4 steps are
/// bit-identical to the original's.
fn resumes_bit_exactly<T, O>(mut optimizer: O)
where
    T: Float + std::fmt::Debug,
    O: Optimizer<T> + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let mut params = start::<T>();
    steps(&mut optimizer, &mut params, 3);
    let saved = serde_json::to_string(&optimizer).unwrap();
    let mut restored: O = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        restored, optimizer,
        "the restored state equals the saved one"
    );
    let mut params_restored = params.clone();
    let original = steps(&mut optimizer, &mut params, 4);
    let resumed = steps(&mut restored, &mut params_restored, 4);
    let to_bits = |rows: &[Vec<T>]| -> Vec<Vec<u64>> {
        rows.iter()
            .map(|r| r.iter().map(|x| x.to_f64().unwrap().to_bits()).collect())
            .collect()
    };
    assert_eq!(to_bits(&original), to_bits(&resumed), "{saved}");
}

fn all_resume<T: Float + std::fmt::Debug + Serialize + DeserializeOwned>() {
    resumes_bit_exactly::<T, _>(
        Sgd::<T>::new(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            nesterov: true,
            weight_decay: 0.01,
            ..SgdConfig::default()
        })
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        Adagrad::<T>::new(AdagradConfig {
            learning_rate: 0.1,
            lr_decay: 0.1,
            initial_accumulator_value: 0.1,
            ..AdagradConfig::default()
        })
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        Rmsprop::<T>::new(RmspropConfig {
            momentum: 0.5,
            centered: true,
            ..RmspropConfig::default()
        })
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        Adam::<T>::new(AdamConfig {
            learning_rate: 0.1,
            amsgrad: true,
            beta2: 0.5,
            ..AdamConfig::default()
        })
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        AdamW::<T>::new(AdamWConfig {
            learning_rate: 0.1,
            weight_decay: 0.5,
            ..AdamWConfig::default()
        })
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        Scheduled::new(
            Adam::<T>::new(AdamConfig::default()).unwrap(),
            OneCycleLr::new(OneCycleConfig {
                max_lr: 0.2,
                total_steps: 10,
                ..OneCycleConfig::default()
            })
            .unwrap(),
        )
        .unwrap(),
    );
    resumes_bit_exactly::<T, _>(
        Scheduled::new(
            Sgd::<T>::new(SgdConfig {
                learning_rate: 0.05,
                momentum: 0.9,
                ..SgdConfig::default()
            })
            .unwrap(),
            CosineAnnealingLr::new(5, 0.001).unwrap(),
        )
        .unwrap(),
    );
}

#[test]
fn a_restored_optimizer_continues_bit_for_bit_in_f64() {
    all_resume::<f64>();
}

#[test]
fn a_restored_optimizer_continues_bit_for_bit_in_f32() {
    all_resume::<f32>();
}

#[test]
fn adamw_restores_as_adamw() {
    // The decoupling is not a serialized flag but the type: an AdamW restores decoupled.
    let mut adamw = AdamW::<f64>::new(AdamWConfig {
        learning_rate: 0.1,
        weight_decay: 0.5,
        ..AdamWConfig::default()
    })
    .unwrap();
    let mut p = [1.0_f64, -2.0];
    adamw.step(&mut p, &[0.0, 0.0]).unwrap();
    let mut restored: AdamW<f64> =
        serde_json::from_str(&serde_json::to_string(&adamw).unwrap()).unwrap();
    // With zero gradients m = v = 0, so only the decay moves θ: θ ← 0.95 θ.
    restored.step(&mut p, &[0.0, 0.0]).unwrap();
    let expected = [0.95 * 0.95, -2.0 * 0.95 * 0.95];
    assert_eq!(p.map(f64::to_bits), expected.map(f64::to_bits));
}

fn reset_behaves_as_new<O: Optimizer<f64> + Clone>(fresh: O) {
    let mut used = fresh.clone();
    let mut p = start::<f64>();
    steps(&mut used, &mut p, 5);
    used.reset();
    assert_eq!(used.steps_taken(), 0);
    let (mut a, mut b) = (start::<f64>(), start::<f64>());
    let mut fresh = fresh;
    let after_reset = steps(&mut used, &mut a, 3);
    let from_new = steps(&mut fresh, &mut b, 3);
    assert_eq!(after_reset, from_new);
}

#[test]
fn a_reset_optimizer_behaves_as_a_new_one() {
    reset_behaves_as_new(
        Sgd::new(SgdConfig {
            learning_rate: 0.05,
            momentum: 0.9,
            dampening: 0.3,
            ..SgdConfig::default()
        })
        .unwrap(),
    );
    reset_behaves_as_new(
        Adagrad::new(AdagradConfig {
            initial_accumulator_value: 0.5,
            lr_decay: 0.2,
            ..AdagradConfig::default()
        })
        .unwrap(),
    );
    reset_behaves_as_new(
        Rmsprop::new(RmspropConfig {
            momentum: 0.5,
            centered: true,
            ..RmspropConfig::default()
        })
        .unwrap(),
    );
    reset_behaves_as_new(
        Adam::new(AdamConfig {
            amsgrad: true,
            ..AdamConfig::default()
        })
        .unwrap(),
    );
    reset_behaves_as_new(AdamW::new(AdamWConfig::default()).unwrap());
    reset_behaves_as_new(
        Scheduled::new(
            Sgd::new(SgdConfig {
                momentum: 0.5,
                ..SgdConfig::default()
            })
            .unwrap(),
            CosineAnnealingLr::new(4, 0.0).unwrap(),
        )
        .unwrap(),
    );
}

#[test]
fn a_saved_state_with_an_out_of_range_value_is_refused() {
    let adam = Adam::<f64>::new(AdamConfig::default()).unwrap();
    let saved = serde_json::to_string(&adam).unwrap();
    let edited = saved.replace("\"beta1\":0.9", "\"beta1\":1.5");
    assert_ne!(saved, edited);
    let error = serde_json::from_str::<Adam<f64>>(&edited).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("beta1 must lie in [0, 1), found 1.5"),
        "{error}"
    );

    let scheduled = Scheduled::new(
        Sgd::<f64>::new(SgdConfig::default()).unwrap(),
        CosineAnnealingLr::new(10, 0.0).unwrap(),
    )
    .unwrap();
    let saved = serde_json::to_string(&scheduled).unwrap();
    let edited = saved.replace("\"t_max\":10", "\"t_max\":0");
    assert_ne!(saved, edited);
    let error =
        serde_json::from_str::<Scheduled<Sgd<f64>, CosineAnnealingLr>>(&edited).unwrap_err();
    assert!(
        error.to_string().contains("t_max must lie in [1, inf)"),
        "{error}"
    );
}

#[test]
fn a_saved_state_whose_buffers_do_not_fit_is_refused_at_the_step() {
    let mut adam = Adam::<f64>::new(AdamConfig::default()).unwrap();
    adam.step(&mut [1.0, 2.0], &[0.1, 0.2]).unwrap();
    let saved = serde_json::to_string(&adam).unwrap();
    // Drop one value of the second moment.
    let start = saved.find("\"exp_avg_sq\":[").unwrap() + "\"exp_avg_sq\":[".len();
    let comma = start + saved[start..].find(',').unwrap();
    let edited = format!("{}{}", &saved[..start], &saved[comma + 1..]);
    let mut broken: Adam<f64> = serde_json::from_str(&edited).unwrap();
    let error = broken.step(&mut [1.0, 2.0], &[0.1, 0.2]).unwrap_err();
    assert!(
        matches!(error, Error::InconsistentState { .. }),
        "{error:?}"
    );
}
