//! # The perceptron
//!
//! How does one neuron learn? The article's worked example answers it with the smallest
//! network there is: 4 inputs, one sigmoid output neuron, no hidden layer.
//!
//! $$ z = \sum_{i} w_i x_i + b, \qquad \hat y = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
//! \ell = (\hat y - y)^2 $$
//!
//! Plain text: `z = dot(w, x) + b`, `y_hat = sigmoid(z)`, `loss = (y_hat - y)^2`, averaged
//! over a batch. The chain rule splits $\partial \ell / \partial w_i$ into three factors, each
//! simple:
//!
//! $$ \frac{\partial \ell}{\partial w_i} = \underbrace{2(\hat y - y)}_{\partial \ell / \partial
//! \hat y} \cdot \underbrace{\hat y (1 - \hat y)}_{\partial \hat y / \partial z} \cdot
//! \underbrace{x_i}_{\partial z / \partial w_i} $$
//!
//! Plain text: `dloss/dw_i = 2 (y_hat - y) * y_hat (1 - y_hat) * x_i`, and the same without
//! `x_i` for the bias. Gradient descent then moves every weight against its derivative,
//! $w_i \leftarrow w_i - \alpha \, \partial \ell / \partial w_i$.
//!
//! ```
//! use perceptron::{Loss, Neuron};
//!
//! // z = 0.5·1 − 0.5·2 + 0.25·3 − 0.0625·4 + 0 = 0, so y_hat = 1/2 and y_hat (1 − y_hat) = 1/4.
//! let neuron = Neuron::new(vec![0.5, -0.5, 0.25, -0.0625], 0.0)?;
//! let step = neuron.backward(&[1.0, 2.0, 3.0, 4.0], 1.0, Loss::SquaredError)?;
//! assert_eq!(step.y_hat, 0.5);
//! assert_eq!(step.dloss_dy_hat, -1.0); // 2 (1/2 − 1)
//! assert_eq!(step.dy_hat_dz, 0.25);
//! assert_eq!(step.grad_w, [-0.25, -0.5, -0.75, -1.0]); // δ x_i with δ = −1/4
//! assert_eq!(step.grad_b, -0.25);
//! # Ok::<(), perceptron::Error>(())
//! ```
//!
//! In teaching order:
//! - [`data`]: the real data sets (Iris, breast cancer), stratified splits and
//!   standardisation, shared with the `mlp` chapters;
//! - [`loss`]: squared error, its ½ variant and cross-entropy, each with its derivative;
//! - [`neuron`]: [`Neuron`] with [`forward`](Neuron::forward), a
//!   [`backward`](Neuron::backward) that names every chain-rule factor, the batch
//!   [`gradient`](Neuron::gradient) and the article's update [`descend`](Neuron::descend);
//! - [`training`]: [`train`] with any `optim` optimizer, online, mini-batch or full batch,
//!   with a [`History`] per epoch;
//! - [`fixed`]: [`FixedNeuron`], the same arithmetic with the input count fixed at compile
//!   time, fast enough for workload W1.
//!
//! Run `cargo run -p perceptron --example walkthrough` for the article's four steps with real
//! numbers, and `cargo test -p perceptron` to see the gradient checked against the tape, dual
//! numbers and central differences.
//!
//! Previous chapter: [`gradient`](../gradient/index.html). Next: [`mlp`](../mlp/index.html),
//! many neurons in layers.

// LaTeX in the docs (`$x_i$`, `$\partial$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

// The data the neuron learns from.
pub mod data;

// How wrong a prediction is.
pub mod loss;

// The neuron: forward, backward, update.
pub mod neuron;

// Learning from a data set.
pub mod training;

// The same neuron with its input count fixed at compile time, for speed.
pub mod fixed;

// What can go wrong.
pub mod error;

pub use data::{Dataset, Standardizer};
pub use error::Error;
pub use fixed::FixedNeuron;
pub use loss::Loss;
pub use neuron::{Backward, Forward, Gradient, Neuron, mean_loss};
pub use training::{Batching, EpochRecord, Evaluation, History, TrainConfig, evaluate, train};
