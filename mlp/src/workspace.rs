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
//! A weight gradient $\delta A_{\text{prev}}^\top$ runs faster with $\delta$ feature-major:
//! W4's first layer's, with the inputs $X$ sample-major, ran at 136-138 GFLOP/s with
//! $\delta$ sample-major and at 168-184 with it feature-major (`f32`, measured outside the
//! crate with the same `faer`), and on the project's later machine 1.17-1.22 times as fast
//! in both types, the second layer's too (2.06-2.17 against 2.48-2.67 ms for the first layer
//! in `f32`, 3.82-4.13 against 4.52-4.74 ms in `f64`; `cargo bench -p mlp --bench ratios --
//! layouts`, 2026-12-03). So every layer at least 256 wide that stores
//! its $\delta$ sample-major copies it feature-major before that product
//! (`TRANSPOSED_DELTA_MIN_WIDTH`, [`Workspace::copies_delta`]); the propagation
//! $W^\top \delta$, which was no faster so, reads $\delta$ as stored. The first layer's
//! copy made W4's `f32` backward pass about 5 % shorter in an alternating comparison; the
//! copies of both hidden layers took W4's `f64` backward-to-forward ratio from 1.75-1.77 to
//! 1.52-1.54 (`cargo bench -p mlp --bench ratios`). A test checks that the copy leaves the
//! weight gradient unchanged to the bit.
//! In `f64` the feature-major layers moved time from the forward to the backward pass without
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
use crate::scalar::{Scalar, try_zeros};

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
    /// Per layer: whether its weight gradient reads a feature-major copy of its $\delta$
    /// (see `TRANSPOSED_DELTA_MIN_WIDTH`).
    pub(crate) copies_delta: Vec<bool>,
    /// Room for that copy of the widest such layer's $\delta$; empty if no layer copies.
    pub(crate) delta_copy: Vec<T>,
    pub(crate) grad: Vec<T>,
    pub(crate) batch: usize,
    pub(crate) threads: usize,
    /// One workspace per extra thread, for batches split across threads.
    pub(crate) helpers: Vec<Workspace<T>>,
}

/// The most threads [`Workspace::set_threads`] accepts. `faer` divides a shared product's
/// work by the thread count it is given, whatever its pool holds, in time that grows with
/// the count: at $2^{16}$ threads a small step still ran in well under a second on two cores,
/// at $2^{40}$ it had not finished after ten minutes.
pub const MAX_THREADS: usize = 1024;

/// Fewer samples than this per thread are not worth a thread, when a batch is split.
pub(crate) const MIN_SAMPLES_PER_THREAD: usize = 16;

impl<T: Scalar> Workspace<T> {
    pub(crate) fn new(widths: Vec<usize>, n_params: usize, capacity: usize) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::EmptyBatch);
        }
        let feature_major = feature_major_layers::<T>(&widths);
        let copies_delta = copied_deltas(&widths, &feature_major);
        let widest_copy = (0..copies_delta.len())
            .filter(|&l| copies_delta[l])
            .map(|l| widths[l + 1])
            .max()
            .unwrap_or(0);
        let too_large = Error::WorkspaceTooLarge { capacity };
        let zeros = |width: usize| {
            width
                .checked_mul(capacity)
                .and_then(try_zeros::<T>)
                .ok_or(too_large.clone())
        };
        let buffers = || {
            widths[1..]
                .iter()
                .map(|&w| zeros(w))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Self {
            capacity,
            z: buffers()?,
            a: buffers()?,
            delta: buffers()?,
            feature_major,
            copies_delta,
            delta_copy: zeros(widest_copy)?,
            grad: try_zeros(n_params).ok_or(too_large.clone())?,
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
    /// [`Error::InvalidHyperparameter`] if `threads` is 0, above [`MAX_THREADS`], or above 1
    /// in a build without the crate's `threads` feature; [`Error::WorkspaceTooLarge`] if the
    /// extra threads' buffers cannot be allocated.
    pub fn set_threads(&mut self, threads: usize) -> Result<(), Error> {
        let (allowed, most) = if cfg!(feature = "threads") {
            ("1 to 1024", MAX_THREADS)
        } else {
            ("1 (build mlp with the `threads` feature for more)", 1)
        };
        if !(1..=most).contains(&threads) {
            return Err(Error::InvalidHyperparameter {
                name: "threads",
                value: threads as f64,
                allowed,
            });
        }
        // Each extra thread takes at most half of a batch (see `parallel.rs`), and at least
        // `MIN_SAMPLES_PER_THREAD` samples, so more helpers than that allows would never run
        // (and a huge `threads` would ask for memory without end).
        let helpers = threads.min(self.capacity / MIN_SAMPLES_PER_THREAD).max(1) - 1;
        self.helpers = (0..helpers)
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

    /// Whether layer `layer`'s weight gradient $\delta A_{\text{prev}}^\top$ reads a
    /// feature-major copy of its $\delta$ rather than $\delta$ itself (a wide layer stored
    /// sample-major; see the [module docs](self)). For benchmarks that replay a step's
    /// matrix products with the step's layouts.
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn copies_delta(&self, layer: usize) -> bool {
        self.copies_delta[layer]
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

/// A layer at least this wide, stored sample-major, copies its $\delta$ feature-major
/// before its weight gradient $\delta A_{\text{prev}}^\top$ (see the [module docs](self)).
const TRANSPOSED_DELTA_MIN_WIDTH: usize = 256;

/// Per layer, whether its $\delta$ gets a feature-major copy for its weight gradient (see
/// [`TRANSPOSED_DELTA_MIN_WIDTH`]), given `n_inputs` and the layer widths.
fn copied_deltas(widths: &[usize], feature_major: &[bool]) -> Vec<bool> {
    (0..feature_major.len())
        .map(|l| !feature_major[l] && widths[l + 1] >= TRANSPOSED_DELTA_MIN_WIDTH)
        .collect()
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
