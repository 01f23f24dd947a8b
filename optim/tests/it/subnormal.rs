//! `flush_subnormals`: Adam's moments never hold a subnormal number when it is on, the
//! parameters do not change by a single bit, and when it is off (the default) the moments
//! decay into the subnormal range exactly as PyTorch's do.

use optim::{Adam, AdamConfig, AdamW, AdamWConfig, Optimizer};
use serde::Serialize;

/// Steps with a zero gradient on the first coordinate after one step of gradient 1.
///
/// Its first moment is `m_k = 0.1 * 0.9^k` after `k` zero-gradient steps: below
/// `f32::MIN_POSITIVE` (1.18e-38) once `k > ln(0.1 / 1.18e-38) / ln(1 / 0.9) ~ 807`, and
/// rounded to 0 only once it is below the smallest subnormal (1.4e-45), `k > 958`.
/// 900 steps end inside the subnormal range.
const ZERO_GRADIENT_STEPS: usize = 900;

/// One snapshot per step: the parameters and the two moment buffers.
struct Trace {
    params: Vec<Vec<f32>>,
    exp_avg: Vec<Vec<f32>>,
    exp_avg_sq: Vec<Vec<f32>>,
}

fn moments<O: Serialize>(optimizer: &O, name: &str) -> Vec<f32> {
    let state = serde_json::to_value(optimizer).unwrap();
    serde_json::from_value(state[name].clone()).unwrap()
}

/// Coordinate 0 gets gradient 1 once, then 0 (the weight of a dead `ReLU` unit); coordinate 1 gets
/// gradient 1 every step, so its moments stay normal.
fn trace<O: Optimizer<f32> + Serialize>(mut optimizer: O) -> Trace {
    let mut params = vec![1.0_f32, 0.5];
    let mut trace = Trace {
        params: Vec::new(),
        exp_avg: Vec::new(),
        exp_avg_sq: Vec::new(),
    };
    for step in 0..=ZERO_GRADIENT_STEPS {
        let grads = [if step == 0 { 1.0 } else { 0.0 }, 1.0];
        optimizer.step(&mut params, &grads).unwrap();
        trace.params.push(params.clone());
        trace.exp_avg.push(moments(&optimizer, "exp_avg"));
        trace.exp_avg_sq.push(moments(&optimizer, "exp_avg_sq"));
    }
    trace
}

fn bits(rows: &[Vec<f32>]) -> Vec<Vec<u32>> {
    rows.iter()
        .map(|r| r.iter().map(|x| x.to_bits()).collect())
        .collect()
}

fn adam(flush_subnormals: bool) -> Adam<f32> {
    Adam::new(AdamConfig {
        flush_subnormals,
        ..AdamConfig::default()
    })
    .unwrap()
}

#[test]
fn off_by_default_moments_go_subnormal_as_in_pytorch() {
    assert!(!AdamConfig::default().flush_subnormals);
    assert!(!AdamWConfig::default().flush_subnormals);
    let kept = trace(adam(false));
    let last = kept.exp_avg.last().unwrap()[0];
    assert!(
        last.is_subnormal(),
        "m = 0.1 * 0.9^900 ~ 7e-43 is subnormal without the flush, got {last:e}"
    );
}

#[test]
fn on_moments_are_zero_or_normal_and_parameters_unchanged() {
    let kept = trace(adam(false));
    let flushed = trace(adam(true));
    // The flush changes an update by at most lr * 1.2e-38 / (sqrt(v_hat) + eps), ~1e-39 here,
    // thirty orders of magnitude under the last bit of a parameter near 1: bit-identical.
    assert_eq!(bits(&flushed.params), bits(&kept.params));
    let mut flushed_steps = 0;
    for (step, (m, m_kept)) in flushed.exp_avg.iter().zip(&kept.exp_avg).enumerate() {
        assert!(
            m.iter().all(|x| !x.is_subnormal()),
            "step {step}: no subnormal moment with the flush on, got {m:?}"
        );
        for (&x, &x_kept) in m.iter().zip(m_kept) {
            if x_kept.is_subnormal() {
                assert_eq!(
                    x.to_bits(),
                    0,
                    "step {step}: a subnormal moment is stored as +0"
                );
                flushed_steps += 1;
            } else {
                assert_eq!(
                    x.to_bits(),
                    x_kept.to_bits(),
                    "step {step}: normal moments kept"
                );
            }
        }
    }
    // Steps 808 to 900 (see ZERO_GRADIENT_STEPS): the flush did act.
    assert!(flushed_steps > 80, "{flushed_steps} moments flushed");
    // The second moment decays by 0.999 per step and stays normal over 900 steps.
    assert_eq!(bits(&flushed.exp_avg_sq), bits(&kept.exp_avg_sq));
}

#[test]
fn adamw_carries_the_flag() {
    let config = AdamWConfig {
        weight_decay: 0.0,
        flush_subnormals: true,
        ..AdamWConfig::default()
    };
    assert!(AdamConfig::from(config).flush_subnormals);
    let adamw = AdamW::new(config).unwrap();
    assert!(adamw.config().flush_subnormals);
    // With no weight decay AdamW is Adam: the same trace, bit for bit.
    let from_adamw = trace(adamw);
    let from_adam = trace(adam(true));
    assert_eq!(bits(&from_adamw.exp_avg), bits(&from_adam.exp_avg));
    assert_eq!(bits(&from_adamw.params), bits(&from_adam.params));
}

#[test]
fn state_saved_before_the_flag_existed_loads_with_it_off() {
    let saved = serde_json::to_value(adam(true)).unwrap();
    let mut older = saved.clone();
    older["config"]
        .as_object_mut()
        .unwrap()
        .remove("flush_subnormals")
        .expect("the flag is saved with the config");
    let loaded: Adam<f32> = serde_json::from_value(older).unwrap();
    assert!(!loaded.config().flush_subnormals);
}
