//! Learning-rate schedules, a schedule of your own, and a training loop with a schedule and
//! gradient clipping.
//!
//!     cargo run -p optim --example schedules

use optim::clip::{Norm, clip_grad_norm};
use optim::{
    Adam, AdamConfig, CosineAnnealingLr, Error, ExponentialLr, LinearLr, MultiStepLr,
    OneCycleConfig, OneCycleLr, Optimizer, Schedule, Scheduled, StepLr,
};

// ANCHOR: warmup_cosine
/// Linear warm-up over `warmup` steps, from `base_lr / warmup` at step 0 to `base_lr` at step
/// `warmup - 1` (a rate of exactly 0 would waste the first step), then a cosine down to 0 at
/// `total` steps: `lr_t = base_lr * (t + 1) / warmup` while `t < warmup`, then
/// `base_lr * (1 + cos(pi * (t - warmup) / (total - warmup))) / 2`, and 0 after `total`.
#[derive(Debug, Clone, Copy)]
struct WarmupCosine {
    warmup: u64,
    total: u64,
}

impl Schedule for WarmupCosine {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        if step < self.warmup {
            base_lr * (step + 1) as f64 / self.warmup as f64
        } else if step < self.total {
            let progress = (step - self.warmup) as f64 / (self.total - self.warmup) as f64;
            base_lr * (1.0 + (std::f64::consts::PI * progress).cos()) / 2.0
        } else {
            0.0
        }
    }

    fn validate(&self) -> Result<(), Error> {
        if self.warmup >= 1 && self.total > self.warmup {
            Ok(())
        } else {
            Err(Error::InvalidHyperparameter {
                name: "total",
                value: self.total as f64,
                allowed: "(warmup, inf) with warmup >= 1",
            })
        }
    }
}
// ANCHOR_END: warmup_cosine

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: table
    // Each schedule is a pure function of the step: ask for any step, in any order.
    let base_lr = 0.1;
    let schedules: Vec<(&str, Box<dyn Schedule>)> = vec![
        ("StepLr(30, 0.5)", Box::new(StepLr::new(30, 0.5)?)),
        (
            "MultiStepLr([50, 80], 0.1)",
            Box::new(MultiStepLr::new(vec![50, 80], 0.1)?),
        ),
        ("ExponentialLr(0.97)", Box::new(ExponentialLr::new(0.97)?)),
        (
            "CosineAnnealingLr(100, 0)",
            Box::new(CosineAnnealingLr::new(100, 0.0)?),
        ),
        (
            "LinearLr(0.1, 1, 10)",
            Box::new(LinearLr::new(0.1, 1.0, 10)?),
        ),
        (
            "WarmupCosine(10, 100)",
            Box::new(WarmupCosine {
                warmup: 10,
                total: 100,
            }),
        ),
    ];
    for (name, schedule) in &schedules {
        let rates: Vec<String> = [0, 1, 10, 50, 99]
            .iter()
            .map(|&t| format!("{:.4}", schedule.learning_rate(base_lr, t)))
            .collect();
        println!("{name:>28} at steps 0, 1, 10, 50, 99: {}", rates.join(", "));
    }
    // ANCHOR_END: table

    // ANCHOR: training_loop
    // Minimize f(x, y) = (x − 3)² + 10 (y + 1)² with Adam under a one-cycle schedule (which
    // also cycles Adam's β₁), clipping the gradient to norm 5 before every step.
    let adam = Adam::new(AdamConfig::default())?;
    let one_cycle = OneCycleLr::new(OneCycleConfig {
        max_lr: 0.5,
        total_steps: 200,
        ..OneCycleConfig::default()
    })?;
    let mut optimizer = Scheduled::new(adam, one_cycle)?;
    let mut theta = [0.0_f64, 0.0];
    let mut grad = [0.0; 2];
    for step in 0..200 {
        grad[0] = 2.0 * (theta[0] - 3.0);
        grad[1] = 20.0 * (theta[1] + 1.0);
        let norm = clip_grad_norm(&mut grad, 5.0, Norm::L2, true)?;
        if step % 50 == 0 {
            let lr = Optimizer::<f64>::learning_rate(&optimizer);
            println!("step {step:>3}: gradient norm {norm:8.4}, lr {lr:.4}, theta {theta:.4?}");
        }
        optimizer.step(&mut theta, &grad)?;
    }
    println!("after 200 steps: theta = {theta:.6?} (the minimum is at (3, -1))");
    // ANCHOR_END: training_loop
    Ok(())
}
