//! # Optimizers
//!
//! Backpropagation gives the gradient $\nabla L(\theta)$ of the loss with respect to every
//! parameter. An optimizer turns that gradient into a change of the parameters. The simplest,
//! and the article's update rule, is gradient descent with learning rate $\gamma$:
//!
//! $$ \theta_t = \theta_{t-1} - \gamma \nabla L(\theta_{t-1}) $$
//!
//! Plain text: `theta = theta - learning_rate * grad`.
//!
//! Its variants change *how far* and *in which direction* to step: momentum
//! ([`Sgd`] with `momentum`) averages successive gradients so that oscillations across a
//! ravine cancel and progress along it adds up; [`Adagrad`] and [`Rmsprop`] give each
//! coordinate its own step size from the size of its past gradients; [`Adam`] does both, with
//! a bias correction for its zero start, and [`AdamW`] decouples weight decay from it. Each
//! follows the algorithm box of the `torch.optim` documentation, with PyTorch's defaults,
//! and its doc comment writes the rule out.
//!
//! Every optimizer implements [`Optimizer`] over flat slices of `f32` or `f64`, so it knows
//! nothing of neurons or layers: a model lays its parameters and gradients out as two slices
//! of the same length. Around it:
//! - [`schedule`]: learning rates that change with the step ([`StepLr`], [`CosineAnnealingLr`],
//!   [`OneCycleLr`], ...), applied to any optimizer by [`Scheduled`];
//! - [`clip`]: gradient clipping by norm and by value;
//! - state that can be [reset](Optimizer::reset) and saved with serde, so training resumes
//!   bit for bit.
//!
//! ```
//! use optim::{Adam, AdamConfig, Optimizer};
//!
//! // Minimize f(x, y) = x^2 + 10 y^2 from (1, 1).
//! let mut adam = Adam::new(AdamConfig { learning_rate: 0.1, ..AdamConfig::default() })?;
//! let mut p = [1.0_f64, 1.0];
//! for _ in 0..500 {
//!     let grad = [2.0 * p[0], 20.0 * p[1]];
//!     adam.step(&mut p, &grad)?;
//! }
//! assert!(p[0].abs() < 1e-3 && p[1].abs() < 1e-3);
//! # Ok::<(), optim::Error>(())
//! ```
//!
//! The course's last chapter, "Optimizers", after "Training a network in practice"; it can be
//! read any time after [`gradient`](../gradient/index.html), which computes the gradients
//! these rules consume. The `perceptron` and `mlp` crates train with these optimizers.

// Formulas in `$…$` are KaTeX: wrapping `theta_t` or `PyTorch` in backticks would break them.
#![allow(clippy::doc_markdown)]

mod error;
mod optimizer;
mod simd;

mod sgd;

mod adagrad;
mod rmsprop;

mod adam;
mod adamw;

pub mod schedule;

pub mod clip;

pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use error::Error;
pub use optimizer::{Optimizer, first_non_finite};
pub use rmsprop::{Rmsprop, RmspropConfig};
pub use schedule::{
    Anneal, Constant, ConstantLr, CosineAnnealingLr, ExponentialLr, LinearLr, MultiStepLr,
    OneCycleConfig, OneCycleLr, Schedule, Scheduled, StepLr,
};
pub use sgd::{Sgd, SgdConfig};
