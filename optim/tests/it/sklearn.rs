//! Where scikit-learn's optimizers (`sklearn/neural_network/_stochastic_optimizers.py`, the
//! solvers of `MLPClassifier`) differ from PyTorch's, which this crate follows: the two
//! rules are written out here from scikit-learn's source and shown to give other numbers.

use approx::assert_relative_eq;
use optim::{Adam, AdamConfig, ExponentialLr, Optimizer, Scheduled, Sgd, SgdConfig};

/// scikit-learn's `AdamOptimizer._get_updates`, one coordinate:
/// `lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`; `update = -lr_t * m / (sqrt(v) + eps)`.
/// Epsilon is added to the root of the *uncorrected* second moment.
struct SklearnAdam {
    learning_rate: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    t: i32,
    m: f64,
    v: f64,
}

impl SklearnAdam {
    fn step(&mut self, theta: &mut f64, g: f64) {
        self.t += 1;
        self.m = self.beta1 * self.m + (1.0 - self.beta1) * g;
        self.v = self.beta2 * self.v + (1.0 - self.beta2) * g * g;
        let lr_t = self.learning_rate * (1.0 - self.beta2.powi(self.t)).sqrt()
            / (1.0 - self.beta1.powi(self.t));
        *theta += -lr_t * self.m / (self.v.sqrt() + self.eps);
    }
}

#[test]
fn sklearn_adam_adds_eps_before_the_bias_correction() {
    // Defaults lr 1e-3, β₁ 0.9, β₂ 0.999, eps 1e-8, and a small gradient g = 1e-6 so eps matters.
    // PyTorch, step 1: m̂ = g, v̂ = g², step = lr · g / (|g| + eps) = 1e-3 · 1e-6 / (1.01e-6)
    //   = 9.900990099e-4.
    // scikit-learn, step 1: m = 0.1 g, √v = √0.001 |g| = 3.16227766e-8, lr₁ = lr · √0.001 / 0.1;
    //   step = lr · √0.001 / 0.1 · 0.1 g / (√0.001 |g| + eps) = lr · g / (|g| + eps / √0.001)
    //   = 1e-3 · 1e-6 / (1e-6 + 3.16227766e-7) = 7.597469266e-4.
    // scikit-learn's rule is PyTorch's with eps / √(1 − β₂ᵗ) (here eps / √0.001) in place of eps.
    let g = 1e-6;
    let mut torch_theta = [0.0_f64];
    let mut adam = Adam::new(AdamConfig::default()).unwrap();
    adam.step(&mut torch_theta, &[g]).unwrap();
    let mut sklearn_theta = 0.0_f64;
    let mut sklearn = SklearnAdam {
        learning_rate: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        t: 0,
        m: 0.0,
        v: 0.0,
    };
    sklearn.step(&mut sklearn_theta, g);
    assert_relative_eq!(-torch_theta[0], 1e-3 * 1e-6 / 1.01e-6, max_relative = 1e-12);
    assert_relative_eq!(
        -sklearn_theta,
        1e-3 * 1e-6 / (1e-6 + 1e-8 / 0.001_f64.sqrt()),
        max_relative = 1e-12
    );
    // A 23 % difference in the first step.
    assert!((torch_theta[0] - sklearn_theta).abs() > 0.2 * torch_theta[0].abs());
}

/// scikit-learn's `SGDOptimizer._get_updates` with `nesterov=True`, one coordinate: the
/// velocity carries the learning rate, `v = momentum * v - lr * g`, and the update is
/// `momentum * v - lr * g` (with `v` starting at 0).
struct SklearnNesterov {
    momentum: f64,
    velocity: f64,
}

impl SklearnNesterov {
    fn step(&mut self, theta: &mut f64, g: f64, learning_rate: f64) {
        self.velocity = self.momentum * self.velocity - learning_rate * g;
        *theta += self.momentum * self.velocity - learning_rate * g;
    }
}

#[test]
fn sklearn_nesterov_keeps_the_old_learning_rate_in_its_velocity() {
    // μ 0.9, g = 1 at every step, the learning rate dropping from 0.1 to 0.01 after step 1.
    // Step 1 is the same in both: PyTorch b₁ = 1, θ₁ = −0.1 (1 + 0.9·1) = −0.19;
    //   scikit-learn v₁ = −0.1, θ₁ = 0.9·(−0.1) − 0.1 = −0.19.
    // Step 2, PyTorch: b₂ = 0.9·1 + 1 = 1.9; θ₂ = θ₁ − 0.01 (1 + 0.9·1.9) = −0.19 − 0.0271 = −0.2171.
    // Step 2, scikit-learn: v₂ = 0.9·(−0.1) − 0.01 = −0.1; θ₂ = θ₁ + 0.9·(−0.1) − 0.01 = −0.29:
    //   the old rate 0.1, stored in the velocity, still drives most of the step.
    // With a constant learning rate the two rules coincide (v = −lr · b).
    let sgd = Sgd::new(SgdConfig {
        learning_rate: 0.1,
        momentum: 0.9,
        nesterov: true,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut torch = Scheduled::new(sgd, ExponentialLr::new(0.1).unwrap()).unwrap();
    let mut sklearn = SklearnNesterov {
        momentum: 0.9,
        velocity: 0.0,
    };
    let (mut torch_theta, mut sklearn_theta) = ([0.0_f64], 0.0_f64);
    torch.step(&mut torch_theta, &[1.0]).unwrap();
    sklearn.step(&mut sklearn_theta, 1.0, 0.1);
    assert_relative_eq!(torch_theta[0], -0.19, max_relative = 1e-14);
    assert_relative_eq!(sklearn_theta, -0.19, max_relative = 1e-14);
    torch.step(&mut torch_theta, &[1.0]).unwrap();
    sklearn.step(&mut sklearn_theta, 1.0, 0.01);
    assert_relative_eq!(torch_theta[0], -0.2171, max_relative = 1e-14);
    assert_relative_eq!(sklearn_theta, -0.29, max_relative = 1e-14);
}

#[test]
fn with_a_constant_learning_rate_the_nesterov_forms_agree() {
    // The counterpart of the test above: the difference is only in when the rate is applied.
    let mut torch = Sgd::new(SgdConfig {
        learning_rate: 0.05,
        momentum: 0.8,
        nesterov: true,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut sklearn = SklearnNesterov {
        momentum: 0.8,
        velocity: 0.0,
    };
    let (mut torch_theta, mut sklearn_theta) = ([2.0_f64], 2.0_f64);
    for _ in 0..20 {
        let (g_torch, g_sklearn) = (2.0 * torch_theta[0], 2.0 * sklearn_theta);
        torch.step(&mut torch_theta, &[g_torch]).unwrap();
        sklearn.step(&mut sklearn_theta, g_sklearn, 0.05);
        // Same values up to rounding (the two associate products differently).
        assert_relative_eq!(
            torch_theta[0],
            sklearn_theta,
            epsilon = 1e-15,
            max_relative = 1e-12
        );
    }
}
