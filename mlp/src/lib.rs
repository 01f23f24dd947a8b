//! # Multilayer networks
//!
//! One neuron draws one line. Stack layers of them, with a non-linear activation between
//! layers, and the network can bend its decision boundary around XOR, two moons, spirals and
//! handwritten digits. Training it needs the gradient of the loss with respect to every
//! weight of every layer; **backpropagation** computes all of them in one backward sweep, by
//! applying the chain rule layer by layer, in matrix form, for a whole batch at once.
//!
//! A layer $l$ maps a batch $A^{l-1}$ (one column per sample) to
//!
//! $$ Z^l = W^l A^{l-1} + b^l \mathbf 1^\top, \qquad A^l = \sigma(Z^l) $$
//!
//! Plain text: `Z^l = W^l A^(l-1) + b^l 1^T`, `A^l = sigma(Z^l)`; and the backward pass
//! sends the error signal $\delta^l = \partial L / \partial Z^l$ from the output to the input:
//!
//! $$ \delta^l = \left((W^{l+1})^\top \delta^{l+1}\right) \odot \sigma'(Z^l), \qquad
//!    \frac{\partial L}{\partial W^l} = \delta^l (A^{l-1})^\top, \qquad
//!    \frac{\partial L}{\partial b^l} = \sum_{\text{samples}} \delta^l $$
//!
//! Plain text: `delta^l = (W^(l+1)^T delta^(l+1)) .* sigma'(Z^l)`,
//! `grad_w^l = delta^l A^(l-1)^T`, `grad_b^l = row sums of delta^l`.
//!
//! - [`data`]: XOR, two moons, spirals and the digits, as `perceptron::data::Dataset`s.
//! - [`network`]: [`Mlp`] and its [`MlpBuilder`]; weights $W^l$ are
//!   $n_{\text{out}} \times n_{\text{in}}$, all parameters in one flat buffer, gradients in
//!   one of the same layout.
//! - [`activation`], [`loss`], [`init`]: the pieces a network is built from; [`scalar`]: `f32`
//!   or `f64`.
//! - [`backprop`]: the forward and backward passes over a batch stored column by column
//!   (sample after sample, so consecutive rows of a data set are a batch without copying), in
//!   a preallocated [`Workspace`]; a training step allocates nothing.
//! - [`train`]: mini-batch training with any `optim` optimizer, validation, early stopping
//!   and a divergence guard.
//! - [`save`]: JSON files with a format version.
//!
//! Same seed, same network, same numbers: weights come from a seeded `ChaCha8` generator and
//! every pass runs in a fixed order (bit-identical on one machine; the matrix kernels are
//! chosen by CPU features, so another CPU may differ in the last bits).
//! `cargo bench -p mlp` measures the reference workloads of the course machine's
//! `../shared/peers/` (outside this repository; see `benches/workloads.rs`).
//!
//! ```
//! use mlp::{Activation, Loss, Mlp, Targets};
//!
//! // XOR with a 2-4-1 tanh/sigmoid network; inputs are sample after sample.
//! let inputs = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0_f64];
//! let labels = [0, 1, 1, 0];
//! let net = Mlp::<f64>::builder(2)
//!     .hidden(4, Activation::Tanh)
//!     .output(1, Activation::Sigmoid)
//!     .loss(Loss::BinaryCrossEntropy)
//!     .seed(1)
//!     .build()?;
//! let mut ws = net.workspace(4)?;
//! let mut grad = vec![0.0; net.n_params()];
//! let loss = net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)?;
//! assert!(loss > 0.0 && grad.iter().all(|g| g.is_finite()));
//! # Ok::<(), mlp::Error>(())
//! ```

// Doc comments are full of formula names (`z_i`, `W^l`) in KaTeX, which this lint would
// have wrapped in backticks and so rendered as code instead of math.
#![allow(clippy::doc_markdown)]

// The data sets: XOR, two moons, spirals, handwritten digits.
pub mod data;

pub mod scalar;

pub mod activation;

pub mod loss;

pub mod init;

pub mod network;

pub mod workspace;

pub mod backprop;

pub mod save;

// Training on a data set: batches, validation, early stopping, history, sanity checks.
pub mod train;

pub mod error;

// The one matrix product of the passes. Not part of the API (hidden, and its `gemm` panics on
// shapes that do not fit): public only so that `benches/` replay a step's products through the
// very functions the passes call.
#[doc(hidden)]
pub mod matmul;

#[cfg(feature = "threads")]
mod parallel;

pub use activation::Activation;
pub use backprop::Evaluation;
pub use error::{Error, Quantity};
pub use init::Init;
pub use loss::{Loss, Targets};
pub use network::{Layer, Mlp, MlpBuilder, View};
pub use scalar::Scalar;
pub use workspace::Workspace;
