//! Properties that hold for every input: special cases of one rule that equal another, the
//! size of Adam's first step, what clipping may and may not do, schedules as pure functions
//! of the step, non-finite gradients refused without a trace, and the scan that finds them.

use optim::clip::{Norm, clip_grad_norm, clip_grad_value, grad_norm};
use optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, CosineAnnealingLr, Error, ExponentialLr, LinearLr,
    MultiStepLr, OneCycleConfig, OneCycleLr, Optimizer, Schedule, Scheduled, Sgd, SgdConfig,
    StepLr,
};
use proptest::collection::vec;
use proptest::prelude::*;

/// A starting point and a few gradients of the same length (1 to 6 parameters, 1 to 5 steps).
fn point_and_gradients() -> impl Strategy<Value = (Vec<f64>, Vec<Vec<f64>>)> {
    (1_usize..=6).prop_flat_map(|n| (vec(-10.0..10.0_f64, n), vec(vec(-10.0..10.0_f64, n), 1..=5)))
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|x| x.to_bits()).collect()
}

proptest! {
    #[test]
    fn the_scan_finds_the_first_non_finite_value_in_any_lane(
        finite in vec(-1e30..1e30_f32, 0..80),
        planted in vec((0_usize..80, 0_usize..3), 0..4),
    ) {
        // Lengths 0 to 79 cover a slice shorter than the sixteen partial sums, whole chunks of
        // sixteen and every remainder; the planted values land in any lane of any chunk. The
        // expected index is found by the obvious search, which does not vectorise.
        let mut values = finite;
        for &(at, kind) in &planted {
            if at < values.len() {
                values[at] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][kind];
            }
        }
        let expected = values.iter().position(|x| !x.is_finite());
        prop_assert_eq!(optim::first_non_finite(&values), expected);
        let wide: Vec<f64> = values.iter().map(|&x| f64::from(x)).collect();
        prop_assert_eq!(optim::first_non_finite(&wide), expected);
    }

    #[test]
    fn sgd_without_momentum_is_plain_gradient_descent(
        (start, gradients) in point_and_gradients(),
        learning_rate in 0.0..1.0_f64,
        dampening in 0.0..=1.0_f64,
    ) {
        // Dampening only acts on a momentum buffer, so with momentum 0 it must not matter.
        let mut sgd = Sgd::new(SgdConfig { learning_rate, dampening, ..SgdConfig::default() }).unwrap();
        let mut params = start.clone();
        let mut expected = start;
        for grads in &gradients {
            sgd.step(&mut params, grads).unwrap();
            for (e, g) in expected.iter_mut().zip(grads) {
                *e -= learning_rate * g;
            }
            // `p + (-lr) * g` and `p - lr * g` round identically, so equality is exact.
            prop_assert_eq!(bits(&params), bits(&expected));
        }
    }

    #[test]
    fn adamw_without_weight_decay_is_adam(
        (start, gradients) in point_and_gradients(),
        learning_rate in 1e-4..1.0_f64,
        beta1 in 0.0..0.99_f64,
        beta2 in 0.0..0.9999_f64,
        eps in 1e-10..1e-1_f64,
        amsgrad in any::<bool>(),
    ) {
        let config = AdamConfig { learning_rate, beta1, beta2, eps, amsgrad, ..AdamConfig::default() };
        let mut adam = Adam::new(config).unwrap();
        let mut adamw = AdamW::new(AdamWConfig { weight_decay: 0.0, ..config.into() }).unwrap();
        let (mut p, mut q) = (start.clone(), start);
        for grads in &gradients {
            adam.step(&mut p, grads).unwrap();
            adamw.step(&mut q, grads).unwrap();
            prop_assert_eq!(bits(&p), bits(&q));
        }
    }

    #[test]
    fn adams_first_step_moves_every_coordinate_by_about_the_learning_rate(
        start in vec(-10.0..10.0_f64, 1..=6),
        magnitudes in vec(1e-3..1e3_f64, 6),
        signs in vec(any::<bool>(), 6),
        learning_rate in 1e-4..1.0_f64,
    ) {
        // After one step m̂ = g and v̂ = g², so the step is lr · g / (|g| + eps): its size is
        // lr · |g| / (|g| + eps), below lr by at most lr · eps / |g| (1e-5 lr here), whatever
        // the gradient's scale. Reading the step back as θ₀ − θ₁ costs up to an ulp of θ.
        let eps = AdamConfig::default().eps;
        let grads: Vec<f64> = start
            .iter()
            .enumerate()
            .map(|(i, _)| if signs[i] { magnitudes[i] } else { -magnitudes[i] })
            .collect();
        let mut adam = Adam::new(AdamConfig { learning_rate, ..AdamConfig::default() }).unwrap();
        let mut params = start.clone();
        adam.step(&mut params, &grads).unwrap();
        for i in 0..params.len() {
            let moved = start[i] - params[i];
            prop_assert_eq!(moved > 0.0, grads[i] > 0.0, "the step goes downhill");
            let tolerance = learning_rate * eps / grads[i].abs() + 4.0 * f64::EPSILON * (start[i].abs() + 1.0);
            prop_assert!((moved.abs() - learning_rate).abs() <= tolerance, "moved {} for lr {}", moved, learning_rate);
        }
    }

    #[test]
    fn the_max_norm_is_the_largest_magnitude_in_any_lane(grads in vec(-1e3..1e3_f64, 0..80)) {
        // Lengths 0 to 79 cover a slice shorter than the sixteen partial maxima, whole chunks
        // of sixteen and every remainder, and the largest magnitude is as often negative as
        // positive. Taking a maximum and an absolute value rounds nothing, so the norm must
        // be the largest |g| to the bit, whichever lane or the tail holds it.
        let largest = grads.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
        prop_assert_eq!(grad_norm(&grads, Norm::Max).to_bits(), largest.to_bits());
    }

    #[test]
    fn the_l1_and_l2_norms_are_the_sums_of_every_lane(grads in vec(-1e3..1e3_f64, 0..80)) {
        // The same lengths as above, against a plain sequential sum. Each of the two sums of n
        // terms (|g_i| or g_i^2, themselves exact or one rounding away) is within (n + 1) u of
        // its exact value relative to the sum of its terms (u = EPSILON / 2), whatever order
        // the lanes add in, so the two differ by at most 2 (n + 1) u of that sum; the square
        // root halves a relative error and adds u / 2. The bounds below are those, doubled.
        // A lane added twice or dropped, or the tail forgotten, moves a norm by a whole term,
        // about 1/n of it.
        let n = grads.len() as f64;
        let u = f64::EPSILON / 2.0;
        let l1: f64 = grads.iter().map(|g| g.abs()).sum();
        let squares: f64 = grads.iter().map(|g| g * g).sum();
        let l2 = squares.sqrt();
        let (got1, got2) = (grad_norm(&grads, Norm::L1), grad_norm(&grads, Norm::L2));
        prop_assert!((got1 - l1).abs() <= 4.0 * (n + 1.0) * u * l1, "L1 {} vs {}", got1, l1);
        prop_assert!((got2 - l2).abs() <= 2.0 * (n + 2.0) * u * l2, "L2 {} vs {}", got2, l2);
    }

    #[test]
    fn clipping_by_norm_never_increases_the_norm(
        grads in vec(-1e3..1e3_f64, 1..=50),
        max_norm in 0.0..100.0_f64,
        norm in prop_oneof![Just(Norm::L1), Just(Norm::L2), Just(Norm::Max)],
    ) {
        let before = grad_norm(&grads, norm);
        let mut clipped = grads.clone();
        let returned = clip_grad_norm(&mut clipped, max_norm, norm, true).unwrap();
        prop_assert_eq!(returned.to_bits(), before.to_bits(), "returns the norm before clipping");
        let after = grad_norm(&clipped, norm);
        // Rounding, with u = ε/2 and γ = (n + 1) u / (1 − (n + 1) u) (Higham, "Accuracy and
        // Stability of Numerical Algorithms", §3.1): a sum of n non-negative terms in any order
        // is within γ_{n−1} of the exact sum, squaring adds u per term and the square root
        // halves the relative error and adds u, so every computed norm N̂ (L1, L2 or max) is
        // within γ of the exact norm N. Clipping multiplies by coef = fl(M / fl(N̂ + 1e-6))
        // ≤ M (1 + u) / N̂, each entry rounding once more (u). With the vector's entries and
        // max_norm M drawn from these ranges, nothing underflows.
        let n = grads.len() as f64;
        let u = f64::EPSILON / 2.0;
        let gamma = (n + 1.0) * u / (1.0 - (n + 1.0) * u);
        // Unclipped, `after` is `before` itself; clipped, coef < 1 and
        // after ≤ (1 + γ) N (1 + u) ≤ N̂ (1 + u)(1 + γ) / (1 − γ).
        prop_assert!(after <= before * (1.0 + u) * (1.0 + gamma) / (1.0 - gamma));
        if before > max_norm {
            // Clipped: after ≤ (1 + γ) N coef (1 + u) ≤ M (1 + u)² (1 + γ) / (1 − γ), the
            // 1e-6 in the denominator only lowering coef.
            let bound = max_norm * (1.0 + u).powi(2) * (1.0 + gamma) / (1.0 - gamma);
            prop_assert!(after <= bound, "{} > {}", after, bound);
        }
    }

    #[test]
    fn clipping_by_norm_leaves_a_vector_inside_the_bound_unchanged(
        grads in vec(-1e3..1e3_f64, 1..=50),
        headroom in 1.0..10.0_f64,
        norm in prop_oneof![Just(Norm::L1), Just(Norm::L2), Just(Norm::Max)],
    ) {
        // PyTorch's coefficient is max_norm / (norm + 1e-6), so "inside the bound" means
        // norm + 1e-6 ≤ max_norm; such a vector is not touched at all.
        let max_norm = (grad_norm(&grads, norm) + 1e-6) * headroom;
        let mut clipped = grads.clone();
        clip_grad_norm(&mut clipped, max_norm, norm, false).unwrap();
        prop_assert_eq!(bits(&clipped), bits(&grads));
    }

    #[test]
    fn clipping_by_value_clamps_and_keeps_the_rest(
        grads in vec(-1e3..1e3_f64, 1..=50),
        clip_value in 0.0..500.0_f64,
    ) {
        let mut clipped = grads.clone();
        clip_grad_value(&mut clipped, clip_value).unwrap();
        for (&c, &g) in clipped.iter().zip(&grads) {
            prop_assert!(c.abs() <= clip_value);
            if g.abs() <= clip_value {
                prop_assert_eq!(c.to_bits(), g.to_bits());
            } else {
                prop_assert_eq!(c.to_bits(), clip_value.copysign(g).to_bits());
            }
        }
    }

    #[test]
    fn schedules_are_pure_functions_of_the_step(
        steps in vec(0_u64..500, 1..=20),
        base_lr in 1e-4..1.0_f64,
        gamma in 0.1..1.0_f64,
        period in 1_u64..50,
    ) {
        let schedules: Vec<Box<dyn Schedule>> = vec![
            Box::new(StepLr::new(period, gamma).unwrap()),
            Box::new(MultiStepLr::new(vec![period, 2 * period, 3 * period], gamma).unwrap()),
            Box::new(ExponentialLr::new(gamma).unwrap()),
            Box::new(CosineAnnealingLr::new(period, base_lr * gamma / 10.0).unwrap()),
            Box::new(LinearLr::new(gamma, 1.0, period).unwrap()),
            Box::new(OneCycleLr::new(OneCycleConfig { max_lr: base_lr, total_steps: 100 + period, ..OneCycleConfig::default() }).unwrap()),
        ];
        for schedule in &schedules {
            // The value at a step does not depend on which steps were asked before.
            let forward: Vec<u64> = steps.iter().map(|&t| schedule.learning_rate(base_lr, t).to_bits()).collect();
            let backward: Vec<u64> = steps.iter().rev().map(|&t| schedule.learning_rate(base_lr, t).to_bits()).collect();
            prop_assert_eq!(forward.iter().rev().copied().collect::<Vec<_>>(), backward);
            // Driving an optimizer with it uses exactly schedule(t) at step t.
            let last = steps.iter().copied().max().unwrap().min(200);
            let sgd = Sgd::new(SgdConfig { learning_rate: base_lr, momentum: 0.5, ..SgdConfig::default() }).unwrap();
            let mut driven = Scheduled::new(sgd, schedule.as_ref()).unwrap();
            let mut p = [0.0_f64];
            for t in 0..last {
                prop_assert_eq!(Optimizer::<f64>::learning_rate(&driven).to_bits(), schedule.learning_rate(base_lr, t).to_bits());
                driven.step(&mut p, &[1.0]).unwrap();
                prop_assert_eq!(driven.optimizer().learning_rate().to_bits(), schedule.learning_rate(base_lr, t).to_bits());
            }
        }
    }

    #[test]
    fn a_non_finite_gradient_is_reported_and_nothing_changes(
        (start, gradients) in point_and_gradients(),
        position in any::<prop::sample::Index>(),
        bad in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
    ) {
        let mut adam = Adam::new(AdamConfig { learning_rate: 0.1, amsgrad: true, ..AdamConfig::default() }).unwrap();
        let mut params = start;
        for grads in &gradients {
            adam.step(&mut params, grads).unwrap();
        }
        let before = (params.clone(), adam.clone());
        let mut poisoned = gradients[0].clone();
        let index = position.index(poisoned.len());
        poisoned[index] = bad;
        let error = adam.step(&mut params, &poisoned).unwrap_err();
        let reported = matches!(error, Error::NonFiniteGradient { index: i, .. } if i == index);
        prop_assert!(reported, "{:?}", error);
        prop_assert_eq!(bits(&params), bits(&before.0));
        prop_assert_eq!(&adam, &before.1, "the state and step count are untouched");
    }
}

/// One optimizer over `n` parameters against `n` optimizers over one parameter each.
///
/// Over 37 parameters the element loop runs in vector lanes (8 or 4 at a time, in whatever
/// instruction set the CPU dispatch picked) with a scalar tail; over one parameter it runs
/// the scalar code alone. Every operation is correctly rounded in both, so any difference,
/// down to the last bit, means the vector code computes something else (operations
/// reordered or fused, a lane or the tail handled differently).
fn lanes_match_single_elements<T: num_traits::Float + std::fmt::Debug + 'static>(name: &str) {
    const N: usize = 37;
    let mut rng_state = 0x2545_f491_4f6c_dd1d_u64;
    let mut uniform = move || {
        // xorshift64: a fixed, dependency-free sequence in [-1, 1).
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        T::from((rng_state >> 11) as f64 / (1_u64 << 52) as f64 - 1.0).unwrap()
    };
    let mut params: Vec<T> = (0..N).map(|_| uniform()).collect();
    let mut single = params.clone();
    let mut whole = crate::cases::build::<T>(name);
    let mut each: Vec<_> = (0..N).map(|_| crate::cases::build::<T>(name)).collect();
    for step in 0..6 {
        // Some exact zeros, as a dead unit's gradient.
        let grads: Vec<T> = (0..N)
            .map(|i| {
                if i % 5 == step % 5 {
                    T::zero()
                } else {
                    uniform()
                }
            })
            .collect();
        whole.step(&mut params, &grads).unwrap();
        for ((p, g), opt) in single.iter_mut().zip(&grads).zip(&mut each) {
            opt.step(std::slice::from_mut(p), std::slice::from_ref(g))
                .unwrap();
        }
        let to_f64 = |v: &[T]| {
            v.iter()
                .map(|x| x.to_f64().unwrap().to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            to_f64(&params),
            to_f64(&single),
            "{name}, step {step}: vector lanes and single elements differ"
        );
    }
}

#[test]
fn every_rule_computes_the_same_in_vector_lanes_as_alone() {
    for name in crate::cases::OPTIMIZER_NAMES {
        lanes_match_single_elements::<f32>(name);
        lanes_match_single_elements::<f64>(name);
    }
}
