//! No heap allocation in `step` once the state exists, counted by a global allocator
//! (`allocation-counter`, which counts the calling thread's allocations only, so tests
//! running in parallel do not disturb the count).

use allocation_counter::measure;
use optim::clip::{Norm, clip_grad_norm, clip_grad_value};
use optim::{Adam, AdamConfig, Optimizer};

use crate::cases::{OPTIMIZER_NAMES, build, gradient};

const N: usize = 1000;

#[test]
fn the_counter_sees_the_first_step_allocate_the_state() {
    // The control: Adam's first step allocates its two moment buffers, and the counter sees it.
    let mut adam = Adam::<f64>::new(AdamConfig::default()).unwrap();
    let mut params = vec![1.0; N];
    let grads = vec![0.5; N];
    let first = measure(|| adam.step(&mut params, &grads).unwrap());
    assert_eq!(first.count_total, 2);
    assert_eq!(first.bytes_total, 2 * 8 * N as u64);
}

fn steps_allocate_nothing<T: num_traits::Float + 'static>() {
    for name in OPTIMIZER_NAMES {
        let mut optimizer = build::<T>(name);
        let mut params = vec![T::one(); N];
        let mut grads = vec![T::zero(); N];
        gradient(&params, &mut grads);
        optimizer.step(&mut params, &grads).unwrap();
        let later = measure(|| {
            for _ in 0..10 {
                gradient(&params, &mut grads);
                optimizer.step(&mut params, &grads).unwrap();
            }
        });
        assert_eq!(
            later.count_total, 0,
            "{name} allocated after its first step"
        );
        // A reset keeps the buffers' memory, so stepping again at the same size allocates nothing.
        optimizer.reset();
        let after_reset = measure(|| optimizer.step(&mut params, &grads).unwrap());
        assert_eq!(after_reset.count_total, 0, "{name} allocated after a reset");
    }
}

#[test]
fn no_step_allocates_once_the_state_exists_in_f64() {
    steps_allocate_nothing::<f64>();
}

#[test]
fn no_step_allocates_once_the_state_exists_in_f32() {
    steps_allocate_nothing::<f32>();
}

#[test]
fn clipping_allocates_nothing() {
    let mut grads: Vec<f32> = (0..N).map(|i| i as f32 - 500.0).collect();
    let info = measure(|| {
        for norm in [Norm::L1, Norm::L2, Norm::Max] {
            clip_grad_norm(&mut grads, 1.0, norm, true).unwrap();
        }
        clip_grad_value(&mut grads, 0.01).unwrap();
    });
    assert_eq!(info.count_total, 0);
}
