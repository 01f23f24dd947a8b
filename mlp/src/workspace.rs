//! Preallocated buffers for the forward and backward passes of one network at one batch
//! capacity.
//!
//! For every layer $l$ the workspace holds $z^l$, $a^l$ and $\delta^l$ as
//! $n_{\text{out}} \times B$ matrices (one column per sample), sized for the largest batch it
//! was made for; a smaller batch (the last one of an epoch) uses the start of each buffer.
//!
//! Most layers store these matrices column-major, sample after sample, like the inputs.
//! In `f32`, a wide last hidden layer (see `FEATURE_MAJOR_MIN_WIDTH`) stores them row-major,
//! feature after feature, because `faer` runs the products that touch it faster that way.
//! `faer` computes a column-major destination four columns at a time, sweeping all rows of
//! the left factor for each; a feature-major $Z = W A$ is computed as
//! $Z^\top = A^\top W^\top$, whose rows are the (fewer) samples.
//! At W4's shapes (784-1024-1024-10, batch 256, one thread) the second layer's forward
//! product ran at 170-194 GFLOP/s instead of 141-150 and its weight gradient at 159-176
//! instead of 132-139, and the step took 4-5 % less time.
//! The first hidden layer stays sample-major: its $\delta = W^\top \delta'$ (a product with
//! the wide second layer) ran at 92 GFLOP/s into a feature-major buffer and 143-151 into a
//! sample-major one.
//! That first layer's weight gradient $\delta X^\top$, with $\delta$ sample-major and the
//! inputs $X$ sample-major, ran at 136-138 GFLOP/s, and at 168-184 with $\delta$
//! feature-major (W4's shapes, measured outside the crate with the same `faer`); so in `f32`
//! a wide first layer that is not feature-major copies its $\delta$ feature-major before
//! that product (`TRANSPOSED_FIRST_DELTA_MIN_WIDTH`), which made W4's backward pass about
//! 5 % shorter in an alternating comparison, and left the gradient unchanged to the bit on a
//! 784-300-64-10 network.
//! In `f64` the same layouts moved time from the forward to the backward pass without
//! changing the step's time, so every `f64` layer is sample-major.
//! Element-wise passes do not care about the layout, the output layer (which the loss reads
//! sample by sample) is always sample-major, and no result changes by a bit: every product
//! sums the same terms in the same order, and so does the bias gradient.
//!
//! The workspace also holds a gradient buffer for [`Mlp::train_step`](crate::Mlp::train_step).
//! After [`Mlp::workspace`](crate::Mlp::workspace) nothing in a forward pass, a backward pass
//! or a training step allocates.

use crate::error::Error;
use crate::network::{View, col_major, row_major};
use crate::scalar::{Scalar, c};

/// Buffers for one network's passes over batches of up to [`capacity`](Self::capacity)
/// samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace<T> {
    pub(crate) capacity: usize,
    /// `n_inputs`, then each layer's width: what the workspace was made for.
    pub(crate) widths: Vec<usize>,
    pub(crate) z: Vec<Vec<T>>,
    pub(crate) a: Vec<Vec<T>>,
    pub(crate) delta: Vec<Vec<T>>,
    /// Per layer: whether its buffers are feature-major (row-major) rather than
    /// sample-major (see the [module docs](self)).
    pub(crate) feature_major: Vec<bool>,
    /// The first layer's $\delta$ copied feature-major for its weight gradient, when that
    /// product is faster so (see `TRANSPOSED_FIRST_DELTA_MIN_WIDTH`); empty otherwise.
    pub(crate) first_delta_transposed: Vec<T>,
    pub(crate) grad: Vec<T>,
    pub(crate) batch: usize,
    pub(crate) threads: usize,
    /// One workspace per extra thread, for batches split across threads.
    pub(crate) helpers: Vec<Workspace<T>>,
}

impl<T: Scalar> Workspace<T> {
    pub(crate) fn new(widths: Vec<usize>, n_params: usize, capacity: usize) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::EmptyBatch);
        }
        let feature_major = feature_major_layers::<T>(&widths);
        let first_delta_transposed = if transposes_first_delta::<T>(&widths, &feature_major) {
            vec![c::<T>(0.0); widths[1] * capacity]
        } else {
            Vec::new()
        };
        let buffers = || {
            widths[1..]
                .iter()
                .map(|&w| vec![c::<T>(0.0); w * capacity])
                .collect::<Vec<_>>()
        };
        Ok(Self {
            capacity,
            z: buffers(),
            a: buffers(),
            delta: buffers(),
            feature_major,
            first_delta_transposed,
            grad: vec![c::<T>(0.0); n_params],
            widths,
            batch: 0,
            threads: 1,
            helpers: Vec::new(),
        })
    }

    /// Lets passes through this workspace use up to `threads` threads (default 1).
    ///
    /// [`Mlp::loss_and_gradient`](crate::Mlp::loss_and_gradient) and
    /// [`Mlp::train_step`](crate::Mlp::train_step) split a large batch between the threads
    /// (each computes the gradient of its part, then the parts are averaged, weighted by
    /// their sizes); the activations and deltas shown by this workspace are then those of the
    /// first part. Other passes, and batches too small to split, share each large matrix
    /// product between the threads instead (products under about $256^3$ multiply-adds stay
    /// on one thread). With more than one thread a step allocates (threads and their
    /// buffers), and the last bits of results depend on the thread count.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHyperparameter`] if `threads` is 0, or above 1 in a build without the
    /// crate's `threads` feature.
    pub fn set_threads(&mut self, threads: usize) -> Result<(), Error> {
        let allowed = if cfg!(feature = "threads") {
            ">= 1"
        } else {
            "1 (build mlp with the `threads` feature for more)"
        };
        if threads == 0 || (threads > 1 && !cfg!(feature = "threads")) {
            return Err(Error::InvalidHyperparameter {
                name: "threads",
                value: threads as f64,
                allowed,
            });
        }
        // Each extra thread takes at most half of a batch (see `parallel.rs`).
        self.helpers = (1..threads)
            .map(|_| {
                Self::new(
                    self.widths.clone(),
                    self.grad.len(),
                    self.capacity.div_ceil(2),
                )
            })
            .collect::<Result<_, _>>()?;
        self.threads = threads;
        Ok(())
    }

    /// The number of threads the matrix products may use.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The largest batch this workspace holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of samples of the last forward pass (0 before the first).
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// $z^l$ of the last forward pass: `n_out × batch`, one column per sample.
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn pre_activations(&self, layer: usize) -> View<'_, T> {
        self.matrix(&self.z[layer], layer)
    }

    /// $a^l = \sigma(z^l)$ of the last forward pass: `n_out × batch`.
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn activations(&self, layer: usize) -> View<'_, T> {
        self.matrix(&self.a[layer], layer)
    }

    /// $\delta^l = \partial L / \partial z^l$ of the last backward pass: `n_out × batch`.
    /// Every layer has one, the first included; no $\delta$ is computed for the data itself
    /// (nothing below the first layer needs it).
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn deltas(&self, layer: usize) -> View<'_, T> {
        self.matrix(&self.delta[layer], layer)
    }

    /// Whether the first layer's weight gradient $\delta X^\top$ reads a feature-major copy of
    /// its $\delta$ rather than $\delta$ itself (in `f32`, for a wide first layer stored
    /// sample-major; see the [module docs](self)). For benchmarks that replay a step's
    /// matrix products with the step's layouts.
    pub fn copies_first_delta(&self) -> bool {
        !self.first_delta_transposed.is_empty()
    }

    /// The network's output $a^L$ of the last forward pass: `n_outputs × batch`.
    pub fn output(&self) -> View<'_, T> {
        self.activations(self.a.len() - 1)
    }

    /// The gradient of the last [`Mlp::train_step`](crate::Mlp::train_step), in the
    /// parameters' layout.
    pub fn gradient(&self) -> &[T] {
        &self.grad
    }

    /// The first layer whose pre-activations or activations of the last forward pass hold
    /// a NaN or an infinity (`None` if all are finite).
    pub fn non_finite_layer(&self) -> Option<usize> {
        let own = (0..self.z.len()).find(|&layer| {
            let len = self.widths[layer + 1] * self.batch;
            optim::first_non_finite(&self.z[layer][..len]).is_some()
                || optim::first_non_finite(&self.a[layer][..len]).is_some()
        });
        // With several threads, the other parts of the batch sit in the helpers.
        self.helpers
            .iter()
            .filter_map(Workspace::non_finite_layer)
            .chain(own)
            .min()
    }

    /// The output of the last forward pass as a slice, sample after sample.
    pub(crate) fn output_slice(&self) -> &[T] {
        let last = self.a.len() - 1;
        &self.a[last][..self.widths[last + 1] * self.batch]
    }

    fn matrix<'s>(&'s self, buffer: &'s [T], layer: usize) -> View<'s, T> {
        let rows = self.widths[layer + 1];
        let data = &buffer[..rows * self.batch];
        if self.feature_major[layer] {
            row_major(data, rows, self.batch)
        } else {
            col_major(data, rows, self.batch)
        }
    }
}

/// An `f32` first layer at least this wide, stored sample-major, copies its $\delta$
/// feature-major before its weight gradient $\delta X^\top$.
const TRANSPOSED_FIRST_DELTA_MIN_WIDTH: usize = 256;

/// Whether the first layer's $\delta$ gets a feature-major copy (see
/// [`TRANSPOSED_FIRST_DELTA_MIN_WIDTH`]).
fn transposes_first_delta<T: Scalar>(widths: &[usize], feature_major: &[bool]) -> bool {
    size_of::<T>() == 4 && !feature_major[0] && widths[1] >= TRANSPOSED_FIRST_DELTA_MIN_WIDTH
}

/// An `f32` last hidden layer at least this wide is stored feature-major. Narrower layers
/// (W2's 32, W3's 128) keep the layout they were measured with.
const FEATURE_MAJOR_MIN_WIDTH: usize = 256;

/// Which layers store their buffers feature-major, given `n_inputs` and the layer widths:
/// in `f32`, only the last hidden layer, and only when it is wide (see the
/// [module docs](self)).
fn feature_major_layers<T: Scalar>(widths: &[usize]) -> Vec<bool> {
    let n_layers = widths.len() - 1;
    let single_precision = size_of::<T>() == 4;
    (0..n_layers)
        .map(|layer| {
            single_precision
                && layer + 2 == n_layers
                && widths[layer + 1] >= FEATURE_MAJOR_MIN_WIDTH
        })
        .collect()
}
