//! Hand-derived golden values: the first steps of each optimizer on a two-parameter problem,
//! worked out in the comment above each expectation, run in f64 and f32.

use num_traits::Float;
use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, Rmsprop,
    RmspropConfig, Sgd, SgdConfig,
};

/// Tolerance in units of the type's epsilon times `max(|expected|, 1)`. One step of any rule
/// here rounds at most a dozen times, each by at most half an ulp of an O(1) number, so three
/// steps stay within about 18 ulps; 32 leaves room and is still 1e-14 in f64, far below the
/// smallest effect a wrong rule has on these problems (eps = 1 makes its placement a 10 %
/// effect; the dampening, bias-correction and Nesterov terms are all O(1)).
const GOLDEN_EPS: f64 = 32.0;

/// Starting point of every golden run.
const THETA0: [f64; 2] = [1.0, -2.0];

/// Where the gradient of each step comes from.
enum Gradient {
    /// Of f(θ) = θ₁² + θ₂², so g = 2θ.
    TwiceTheta,
    /// Given for each step.
    Fixed(&'static [[f64; 2]]),
}

/// Runs `optimizer` from [`THETA0`] for `expected.len()` steps and compares every step.
fn check<T: Float + std::fmt::Debug>(
    label: &str,
    optimizer: &mut impl Optimizer<T>,
    gradient: &Gradient,
    expected: &[[f64; 2]],
) {
    let cast = |x: f64| T::from(x).unwrap();
    let mut theta = THETA0.map(cast);
    for (step, want) in expected.iter().enumerate() {
        let grad = match gradient {
            Gradient::TwiceTheta => theta.map(|x| cast(2.0) * x),
            Gradient::Fixed(grads) => grads[step].map(cast),
        };
        optimizer.step(&mut theta, &grad).unwrap();
        for (i, (&got, &want)) in theta.iter().zip(want).enumerate() {
            let got = got.to_f64().unwrap();
            let tolerance = GOLDEN_EPS * T::epsilon().to_f64().unwrap() * want.abs().max(1.0);
            assert!(
                (got - want).abs() <= tolerance,
                "{label} step {} coordinate {i}: got {got}, want {want}",
                step + 1
            );
        }
    }
}

fn both_types(label: &str, build: impl Fn() -> Runner, gradient: &Gradient, expected: &[[f64; 2]]) {
    match build() {
        Runner::Sgd(c) => {
            check::<f64>(label, &mut Sgd::new(c).unwrap(), gradient, expected);
            check::<f32>(label, &mut Sgd::new(c).unwrap(), gradient, expected);
        }
        Runner::Adagrad(c) => {
            check::<f64>(label, &mut Adagrad::new(c).unwrap(), gradient, expected);
            check::<f32>(label, &mut Adagrad::new(c).unwrap(), gradient, expected);
        }
        Runner::Rmsprop(c) => {
            check::<f64>(label, &mut Rmsprop::new(c).unwrap(), gradient, expected);
            check::<f32>(label, &mut Rmsprop::new(c).unwrap(), gradient, expected);
        }
        Runner::Adam(c) => {
            check::<f64>(label, &mut Adam::new(c).unwrap(), gradient, expected);
            check::<f32>(label, &mut Adam::new(c).unwrap(), gradient, expected);
        }
        Runner::AdamW(c) => {
            check::<f64>(label, &mut AdamW::new(c).unwrap(), gradient, expected);
            check::<f32>(label, &mut AdamW::new(c).unwrap(), gradient, expected);
        }
    }
}

/// A configuration to run in both float types.
enum Runner {
    Sgd(SgdConfig),
    Adagrad(AdagradConfig),
    Rmsprop(RmspropConfig),
    Adam(AdamConfig),
    AdamW(AdamWConfig),
}

#[test]
fn sgd_plain_is_the_articles_update_rule() {
    // θ ← θ − 0.1 · 2θ = 0.8 θ each step, from (1, −2):
    // θ₁ = (0.8, −1.6), θ₂ = (0.64, −1.28), θ₃ = (0.512, −1.024).
    both_types(
        "sgd",
        || {
            Runner::Sgd(SgdConfig {
                learning_rate: 0.1,
                ..SgdConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[0.8, -1.6], [0.64, -1.28], [0.512, -1.024]],
    );
}

#[test]
fn sgd_momentum_takes_the_first_gradient_undampened() {
    // lr 0.1, μ 0.9, τ 0.5, g = 2θ.
    // Step 1: g₁ = (2, −4); b₁ = g₁ = (2, −4) (no dampening on the first step);
    //         θ₁ = (1, −2) − 0.1 (2, −4) = (0.8, −1.6).
    // Step 2: g₂ = (1.6, −3.2); b₂ = 0.9 (2, −4) + 0.5 (1.6, −3.2) = (2.6, −5.2);
    //         θ₂ = (0.8, −1.6) − 0.1 (2.6, −5.2) = (0.54, −1.08).
    // Step 3: g₃ = (1.08, −2.16); b₃ = 0.9 (2.6, −5.2) + 0.5 (1.08, −2.16) = (2.88, −5.76);
    //         θ₃ = (0.54, −1.08) − 0.1 (2.88, −5.76) = (0.252, −0.504).
    both_types(
        "sgd momentum dampening",
        || {
            Runner::Sgd(SgdConfig {
                learning_rate: 0.1,
                momentum: 0.9,
                dampening: 0.5,
                ..SgdConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[0.8, -1.6], [0.54, -1.08], [0.252, -0.504]],
    );
}

#[test]
fn sgd_nesterov_looks_ahead_along_the_buffer() {
    // lr 0.1, μ 0.9, Nesterov: direction d = g + μ b.
    // Step 1: g₁ = (2, −4); b₁ = (2, −4); d = (2, −4) + 0.9 (2, −4) = (3.8, −7.6);
    //         θ₁ = (1 − 0.38, −2 + 0.76) = (0.62, −1.24).
    // Step 2: g₂ = (1.24, −2.48); b₂ = 0.9 (2, −4) + (1.24, −2.48) = (3.04, −6.08);
    //         d = (1.24 + 2.736, −2.48 − 5.472) = (3.976, −7.952);
    //         θ₂ = (0.62 − 0.3976, −1.24 + 0.7952) = (0.2224, −0.4448).
    // Step 3: g₃ = (0.4448, −0.8896); b₃ = 0.9 (3.04, −6.08) + g₃ = (3.1808, −6.3616);
    //         d = (0.4448 + 2.86272, −0.8896 − 5.72544) = (3.30752, −6.61504);
    //         θ₃ = (0.2224 − 0.330752, −0.4448 + 0.661504) = (−0.108352, 0.216704).
    both_types(
        "sgd nesterov",
        || {
            Runner::Sgd(SgdConfig {
                learning_rate: 0.1,
                momentum: 0.9,
                nesterov: true,
                ..SgdConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[0.62, -1.24], [0.2224, -0.4448], [-0.108_352, 0.216_704]],
    );
}

#[test]
fn sgd_maximize_flips_the_gradient_before_weight_decay() {
    // lr 0.1, λ 0.5, maximize, g = 2θ: the rule sees −2θ + 0.5θ = −1.5θ, so
    // θ ← θ + 0.15 θ = 1.15 θ: θ₁ = (1.15, −2.3), θ₂ = (1.3225, −2.645).
    // (Flipping after the decay, −(2θ + 0.5θ), would give 1.25 θ.)
    both_types(
        "sgd maximize weight decay",
        || {
            Runner::Sgd(SgdConfig {
                learning_rate: 0.1,
                weight_decay: 0.5,
                maximize: true,
                ..SgdConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[1.15, -2.3], [1.3225, -2.645]],
    );
}

#[test]
fn adagrad_divides_by_the_root_of_the_sum_of_squares() {
    // lr 0.5, lr_decay 1, eps 1 (large, so its place outside the root shows), s₀ = 0.
    // Step 1: γ̃ = 0.5 / (1 + 0) = 0.5; g₁ = (3, −4); s₁ = (9, 16); √s₁ + ε = (4, 5);
    //         θ₁ = (1 − 0.5·3/4, −2 + 0.5·4/5) = (0.625, −1.6).
    // Step 2: γ̃ = 0.5 / (1 + 1) = 0.25; g₂ = (4, 3); s₂ = (25, 25); √s₂ + ε = (6, 6);
    //         θ₂ = (0.625 − 0.25·4/6, −1.6 − 0.25·3/6) = (11/24, −1.725).
    // Step 3: γ̃ = 0.5 / 3 = 1/6; g₃ = (12, 0); s₃ = (169, 25); √s₃ + ε = (14, 6);
    //         θ₃ = (11/24 − (1/6)·12/14, −1.725) = (53/168, −1.725).
    both_types(
        "adagrad",
        || {
            Runner::Adagrad(AdagradConfig {
                learning_rate: 0.5,
                lr_decay: 1.0,
                eps: 1.0,
                ..AdagradConfig::default()
            })
        },
        &Gradient::Fixed(&[[3.0, -4.0], [4.0, 3.0], [12.0, 0.0]]),
        &[[0.625, -1.6], [11.0 / 24.0, -1.725], [53.0 / 168.0, -1.725]],
    );
}

#[test]
fn adagrad_maximize_flips_the_gradient_before_weight_decay() {
    // lr 0.5, λ 0.5, eps 1, maximize, g = 2θ: the rule sees −2θ + 0.5θ = −1.5θ = (−1.5, 3).
    // s₁ = (2.25, 9); √s₁ + ε = (2.5, 4); θ₁ = (1 + 0.5·1.5/2.5, −2 − 0.5·3/4) = (1.3, −2.375).
    // (Flipping after the decay, −(2θ + 0.5θ) = (−2.5, 5), would give √s₁ + ε = (3.5, 6) and
    // θ₁ = (1 + 1.25/3.5, −2 − 2.5/6) ≈ (1.357, −2.417).)
    both_types(
        "adagrad maximize weight decay",
        || {
            Runner::Adagrad(AdagradConfig {
                learning_rate: 0.5,
                weight_decay: 0.5,
                eps: 1.0,
                maximize: true,
                ..AdagradConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[1.3, -2.375]],
    );
}

#[test]
fn rmsprop_has_no_bias_correction_and_eps_outside_the_root() {
    // lr 0.5, α 0.75, eps 1.
    // Step 1: g₁ = (4, −2); v₁ = 0.25 (16, 4) = (4, 1); √v₁ + ε = (3, 2);
    //         θ₁ = (1 − 0.5·4/3, −2 + 0.5·2/2) = (1/3, −1.5).
    // Step 2: g₂ = (2, 1); v₂ = 0.75 (4, 1) + 0.25 (4, 1) = (4, 1); √v₂ + ε = (3, 2);
    //         θ₂ = (1/3 − 0.5·2/3, −1.5 − 0.5·1/2) = (0, −1.75).
    // Step 3: g₃ = (2, 1); v₃ = (4, 1); θ₃ = (−1/3, −2).
    both_types(
        "rmsprop",
        || {
            Runner::Rmsprop(RmspropConfig {
                learning_rate: 0.5,
                alpha: 0.75,
                eps: 1.0,
                ..RmspropConfig::default()
            })
        },
        &Gradient::Fixed(&[[4.0, -2.0], [2.0, 1.0], [2.0, 1.0]]),
        &[[1.0 / 3.0, -1.5], [0.0, -1.75], [-1.0 / 3.0, -2.0]],
    );
}

#[test]
fn rmsprop_centered_with_momentum() {
    // lr 0.5, α 0.75, eps 1, centered, μ 0.5.
    // Step 1: g₁ = (4, −2); v₁ = (4, 1); ḡ₁ = 0.25 g₁ = (1, −0.5); ṽ₁ = v₁ − ḡ₁² = (3, 0.75);
    //         b₁ = g₁ / (√ṽ₁ + 1) = (4 / (√3 + 1), −2 / (√3/2 + 1)) = (2√3 − 2, 4√3 − 8);
    //         θ₁ = θ₀ − 0.5 b₁ = (2 − √3, 2 − 2√3).
    // Step 2: g₂ = (0, 2); v₂ = 0.75 v₁ + 0.25 g₂² = (3, 1.75); ḡ₂ = 0.75 ḡ₁ + 0.25 g₂ = (0.75, 0.125);
    //         ṽ₂ = (3 − 0.5625, 1.75 − 0.015625) = (2.4375, 1.734375);
    //         b₂ = 0.5 b₁ + g₂ / (√ṽ₂ + 1) = (0.5 b₁₁, 0.5 b₁₂ + 2 / (√1.734375 + 1));
    //         θ₂ = θ₁ − 0.5 b₂.
    let s3 = 3.0_f64.sqrt();
    let b1 = [4.0 / (s3 + 1.0), -2.0 / (0.75_f64.sqrt() + 1.0)];
    let theta1 = [2.0 - s3, 2.0 - 2.0 * s3];
    let b2 = [
        0.5 * b1[0],
        0.5 * b1[1] + 2.0 / (1.734_375_f64.sqrt() + 1.0),
    ];
    let theta2 = [theta1[0] - 0.5 * b2[0], theta1[1] - 0.5 * b2[1]];
    both_types(
        "rmsprop centered momentum",
        || {
            Runner::Rmsprop(RmspropConfig {
                learning_rate: 0.5,
                alpha: 0.75,
                eps: 1.0,
                momentum: 0.5,
                centered: true,
                ..RmspropConfig::default()
            })
        },
        &Gradient::Fixed(&[[4.0, -2.0], [0.0, 2.0]]),
        &[theta1, theta2],
    );
}

#[test]
fn rmsprop_maximize_flips_the_gradient_before_weight_decay() {
    // lr 0.5, α 0.75, λ 0.5, eps 1, maximize, g = 2θ: the rule sees −2θ + 0.5θ = −1.5θ = (−1.5, 3).
    // v₁ = 0.25 (2.25, 9) = (0.5625, 2.25); √v₁ + ε = (1.75, 2.5);
    // θ₁ = (1 + 0.5·1.5/1.75, −2 − 0.5·3/2.5) = (10/7, −2.6).
    // (Flipping after the decay, (−2.5, 5), would give √v₁ + ε = (2.25, 3.5) and
    // θ₁ ≈ (1.556, −2.714); ignoring maximize would move the other way, θ₁ ≈ (0.444, −1.286).)
    both_types(
        "rmsprop maximize weight decay",
        || {
            Runner::Rmsprop(RmspropConfig {
                learning_rate: 0.5,
                alpha: 0.75,
                eps: 1.0,
                weight_decay: 0.5,
                maximize: true,
                ..RmspropConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[10.0 / 7.0, -2.6]],
    );
}

#[test]
fn adam_bias_correction_makes_constant_gradients_take_constant_steps() {
    // lr 0.1, β₁ 0.5, β₂ 0.75, eps 1 (large, so where it is added shows), g = (2, −4) always.
    // Step 1: m₁ = 0.5 g = (1, −2); v₁ = 0.25 g² = (1, 4);
    //         m̂₁ = m₁ / (1 − 0.5) = (2, −4); v̂₁ = v₁ / (1 − 0.75) = (4, 16);
    //         θ₁ = θ₀ − 0.1 m̂₁ / (√v̂₁ + 1) = (1 − 0.1·2/3, −2 + 0.1·4/5) = (14/15, −1.92).
    // Step 2: m₂ = 0.5 m₁ + 0.5 g = (1.5, −3); v₂ = 0.75 v₁ + 0.25 g² = (1.75, 7);
    //         m̂₂ = m₂ / 0.75 = (2, −4); v̂₂ = v₂ / 0.4375 = (4, 16): the same step again,
    //         θ₂ = (13/15, −1.84), and θ₃ = (0.8, −1.76).
    // Without bias correction step 1 would move by 0.1·(1/2, 2/3); with eps on the uncorrected
    // root (scikit-learn) by 0.1·(√0.25/0.5)·(1/2, 2/3).
    both_types(
        "adam",
        || {
            Runner::Adam(AdamConfig {
                learning_rate: 0.1,
                beta1: 0.5,
                beta2: 0.75,
                eps: 1.0,
                ..AdamConfig::default()
            })
        },
        &Gradient::Fixed(&[[2.0, -4.0], [2.0, -4.0], [2.0, -4.0]]),
        &[[14.0 / 15.0, -1.92], [13.0 / 15.0, -1.84], [0.8, -1.76]],
    );
}

#[test]
fn adam_amsgrad_keeps_the_largest_second_moment() {
    // lr 0.1, β₁ 0.5, β₂ 0.75, eps 1, amsgrad; g₁ = (2, −4), g₂ = (0, 0).
    // Step 1 as in the plain Adam test: θ₁ = (14/15, −1.92), v₁ = v₁ᵐᵃˣ = (1, 4).
    // Step 2: m₂ = 0.5 m₁ = (0.5, −1); v₂ = 0.75 v₁ = (0.75, 3) < v₁ᵐᵃˣ, so v₂ᵐᵃˣ = (1, 4);
    //         m̂₂ = m₂ / 0.75 = (2/3, −4/3); v̂₂ = v₂ᵐᵃˣ / 0.4375 = (16/7, 64/7);
    //         θ₂ = θ₁ − 0.1 m̂₂ / (√v̂₂ + 1).
    // (Plain Adam would divide by √(12/7) + 1 and √(48/7) + 1 instead.)
    let theta1 = [14.0 / 15.0, -1.92];
    let theta2 = [
        theta1[0] - 0.1 * (2.0 / 3.0) / ((16.0_f64 / 7.0).sqrt() + 1.0),
        theta1[1] + 0.1 * (4.0 / 3.0) / ((64.0_f64 / 7.0).sqrt() + 1.0),
    ];
    both_types(
        "adam amsgrad",
        || {
            Runner::Adam(AdamConfig {
                learning_rate: 0.1,
                beta1: 0.5,
                beta2: 0.75,
                eps: 1.0,
                amsgrad: true,
                ..AdamConfig::default()
            })
        },
        &Gradient::Fixed(&[[2.0, -4.0], [0.0, 0.0]]),
        &[theta1, theta2],
    );
}

#[test]
fn adam_maximize_flips_the_gradient_before_weight_decay() {
    // lr 0.1, β₁ 0.5, β₂ 0.75, eps 1, λ 0.5 (coupled, Adam's), maximize, g = 2θ: the rule sees
    // −2θ + 0.5θ = −1.5θ = (−1.5, 3). After bias correction m̂₁ = (−1.5, 3) and v̂₁ = (2.25, 9)
    // (as in the plain Adam test), so θ₁ = θ₀ − 0.1 m̂₁ / (√v̂₁ + 1)
    // = (1 + 0.1·1.5/2.5, −2 − 0.1·3/4) = (1.06, −2.075).
    // (Flipping after the decay, (−2.5, 5), would give θ₁ = (1 + 0.25/3.5, −2 − 0.5/6)
    // ≈ (1.071, −2.083).)
    both_types(
        "adam maximize weight decay",
        || {
            Runner::Adam(AdamConfig {
                learning_rate: 0.1,
                beta1: 0.5,
                beta2: 0.75,
                eps: 1.0,
                weight_decay: 0.5,
                maximize: true,
                ..AdamConfig::default()
            })
        },
        &Gradient::TwiceTheta,
        &[[1.06, -2.075]],
    );
}

#[test]
fn adamw_shrinks_the_parameters_before_the_adam_step() {
    // AdamW with the plain Adam test's settings and λ = 0.5: each step first multiplies θ by
    // 1 − 0.1·0.5 = 0.95, then takes the same Adam step ∓(1/15, 0.08) (the moments do not see λ).
    // Step 1: 0.95 (1, −2) = (0.95, −1.9); θ₁ = (0.95 − 1/15, −1.9 + 0.08) = (53/60, −1.82).
    // Step 2: 0.95 θ₁ = (0.8391666…, −1.729); θ₂ = (0.8391666… − 1/15, −1.729 + 0.08) = (0.7725, −1.649).
    // Coupled decay (Adam's) would feed g + 0.5 θ into m and v and give other numbers.
    both_types(
        "adamw",
        || {
            Runner::AdamW(AdamWConfig {
                learning_rate: 0.1,
                beta1: 0.5,
                beta2: 0.75,
                eps: 1.0,
                weight_decay: 0.5,
                ..AdamWConfig::default()
            })
        },
        &Gradient::Fixed(&[[2.0, -4.0], [2.0, -4.0]]),
        &[[53.0 / 60.0, -1.82], [0.7725, -1.649]],
    );
}
