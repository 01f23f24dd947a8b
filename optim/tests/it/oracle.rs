//! Step-by-step agreement with PyTorch: trajectories of every optimizer configuration,
//! schedules and gradient clipping, against the values `tests/oracle/generate.py` recorded
//! from torch (see `oracle_values.rs` for the version).

use num_traits::Float;
use optim::clip::{Norm, clip_grad_norm};
use optim::{
    ConstantLr, CosineAnnealingLr, ExponentialLr, LinearLr, MultiStepLr, OneCycleConfig,
    OneCycleLr, Schedule, StepLr,
};

use crate::cases::{OPTIMIZER_NAMES, build, gradient};
use crate::oracle_values::{
    BASE_LR, CLIP_NORM_F32, CLIP_NORM_F64, ClipCase, P0, SCHEDULES, TRAJECTORIES_F32,
    TRAJECTORIES_F64,
};

/// Trajectory tolerance, in units of the type's machine epsilon times the largest parameter
/// of the row. Each step is about ten rounded operations per coordinate, and PyTorch's
/// vectorized kernels fuse some multiply-adds (one rounding instead of two), so the two
/// implementations may differ by about one ulp per operation; the test problem is well
/// conditioned (the largest curvature times the step is at most 0.5), so differences do not
/// grow over six steps. Measured: at most 1.4 epsilon in f64 and 1.0 in f32. A wrong rule
/// (eps inside the root: a relative change near 1e-8; any wrong factor: near 1e-2) is far
/// outside 16 epsilon in f64.
const TRAJECTORY_EPS: f64 = 16.0;

fn check_trajectories<T: Float + std::fmt::Debug + 'static>(table: &[(&str, &[[T; 4]])]) {
    let names: Vec<&str> = table.iter().map(|&(name, _)| name).collect();
    assert_eq!(
        names, OPTIMIZER_NAMES,
        "the oracle file and the cases list disagree"
    );
    let epsilon = T::epsilon().to_f64().unwrap();
    for &(name, rows) in table {
        let mut optimizer = build::<T>(name);
        let mut params: Vec<T> = P0.iter().map(|&x| T::from(x).unwrap()).collect();
        let mut grads = vec![T::zero(); params.len()];
        for (step, expected) in rows.iter().enumerate() {
            gradient(&params, &mut grads);
            optimizer.step(&mut params, &grads).unwrap();
            let scale = expected
                .iter()
                .fold(0.0_f64, |m, x| m.max(x.to_f64().unwrap().abs()));
            for (i, (&ours, &torch)) in params.iter().zip(expected).enumerate() {
                let error = (ours.to_f64().unwrap() - torch.to_f64().unwrap()).abs();
                assert!(
                    error <= TRAJECTORY_EPS * epsilon * scale,
                    "{name} step {} coordinate {i}: ours {ours:?}, torch {torch:?}",
                    step + 1
                );
            }
        }
    }
}

#[test]
fn every_optimizer_follows_torch_in_f64() {
    check_trajectories(TRAJECTORIES_F64);
}

#[test]
fn every_optimizer_follows_torch_in_f32() {
    check_trajectories(TRAJECTORIES_F32);
}

/// Schedule tolerance: 64 epsilon of the schedule's largest rate. PyTorch computes most rates
/// recursively (30 steps of `lr * gamma`, or the cosine ratio), accumulating up to about half
/// an ulp per step; the closed forms here round a handful of times.
const SCHEDULE_EPS: f64 = 64.0;

fn schedule_named(name: &str) -> Box<dyn Schedule> {
    match name {
        "constant_lr" => Box::new(ConstantLr::new(1.0 / 3.0, 5).unwrap()),
        "step_lr" => Box::new(StepLr::new(7, 0.5).unwrap()),
        "multi_step_lr" => Box::new(MultiStepLr::new(vec![17, 10, 4, 10], 0.3).unwrap()),
        "exponential_lr" => Box::new(ExponentialLr::new(0.9).unwrap()),
        "cosine_annealing_lr" => Box::new(CosineAnnealingLr::new(12, 0.01).unwrap()),
        "linear_lr" => Box::new(LinearLr::new(0.25, 1.0, 8).unwrap()),
        "one_cycle_lr" => Box::new(
            OneCycleLr::new(OneCycleConfig {
                max_lr: 1.0,
                total_steps: 30,
                ..OneCycleConfig::default()
            })
            .unwrap(),
        ),
        "one_cycle_lr_linear_three_phase" => Box::new(
            OneCycleLr::new(OneCycleConfig {
                max_lr: 1.0,
                total_steps: 30,
                pct_start: 0.25,
                anneal: optim::Anneal::Linear,
                three_phase: true,
                div_factor: 10.0,
                final_div_factor: 100.0,
                base_momentum: 0.8,
                max_momentum: 0.9,
                ..OneCycleConfig::default()
            })
            .unwrap(),
        ),
        other => panic!("no schedule named {other}"),
    }
}

#[test]
fn every_schedule_follows_torch_step_by_step() {
    assert_eq!(SCHEDULES.len(), 8);
    for (name, rates, momenta) in SCHEDULES {
        let schedule = schedule_named(name);
        let scale = rates.iter().fold(0.0_f64, |m, &x| m.max(x));
        let tolerance = SCHEDULE_EPS * f64::EPSILON * scale;
        for (step, (&rate, &momentum)) in rates.iter().zip(momenta).enumerate() {
            let ours = schedule.learning_rate(BASE_LR, step as u64);
            assert!(
                (ours - rate).abs() <= tolerance,
                "{name} step {step}: ours {ours}, torch {rate}"
            );
            // The SGD in the oracle run had momentum 0.9, which only OneCycleLr changes.
            let ours_momentum = schedule.momentum(step as u64).unwrap_or(0.9);
            assert!(
                (ours_momentum - momentum).abs() <= SCHEDULE_EPS * f64::EPSILON,
                "{name} step {step}: momentum ours {ours_momentum}, torch {momentum}"
            );
        }
    }
}

fn norm_of(norm_type: f64) -> Norm {
    match norm_type {
        1.0 => Norm::L1,
        2.0 => Norm::L2,
        _ => Norm::Max,
    }
}

/// Clipping tolerance: 4 epsilon relative. A norm of four numbers rounds at most five times
/// (PyTorch sums in another order), and the clipped values one more time.
const CLIP_EPS: f64 = 4.0;

fn check_clipping<T: Float + std::fmt::Debug>(table: &[ClipCase<T>]) {
    let epsilon = T::epsilon().to_f64().unwrap();
    for &(grads, max_norm, norm_type, total, clipped) in table {
        let mut ours = grads;
        let norm = clip_grad_norm(&mut ours, max_norm, norm_of(norm_type), false).unwrap();
        let close = |a: T, b: T| {
            let (a, b) = (a.to_f64().unwrap(), b.to_f64().unwrap());
            (a - b).abs() <= CLIP_EPS * epsilon * b.abs()
        };
        assert!(
            close(norm, total),
            "{grads:?} {norm_type}: norm {norm:?} vs torch {total:?}"
        );
        for (&o, &c) in ours.iter().zip(&clipped) {
            assert!(
                close(o, c),
                "{grads:?} {max_norm} {norm_type}: {ours:?} vs torch {clipped:?}"
            );
        }
    }
}

#[test]
fn clipping_by_norm_follows_torch() {
    check_clipping(CLIP_NORM_F64);
    check_clipping(CLIP_NORM_F32);
}
