//! The forward pass, the loss, and backpropagation in matrix form, over a batch.
//!
//! # Batches are columns
//!
//! A batch of $B$ samples is a column-major $n_{\text{in}} \times B$ matrix $X$: sample
//! after sample, each sample's features contiguous. That is exactly how a row-major data set
//! (`perceptron::data::Dataset::features`, one sample per row) stores consecutive samples, so
//! a slice of its rows is a batch without copying.
//! The workspace may keep a layer's $Z$, $A$ and $\delta$ row-major instead (feature after
//! feature), where the matrix products run faster so (see [`Workspace`]); the views it shows
//! have the same shapes either way.
//!
//! # Forward
//!
//! With $A^0 = X$, for each layer $l = 1 \dots L$ (all samples at once, $\mathbf 1$ a row of
//! ones):
//!
//! $$ Z^l = W^l A^{l-1} + b^l \mathbf{1}^\top, \qquad A^l = \sigma^l(Z^l) $$
//!
//! Plain text: `Z^l = W^l A^(l-1) + b^l 1^T`, `A^l = sigma(Z^l)`. The workspace keeps every
//! $Z^l$ and $A^l$: the backward pass needs them.
//!
//! # Backward
//!
//! The loss hands the output layer its error signal $\delta^L = \partial L / \partial Z^L$
//! (see [`crate::loss`]). The chain rule through $Z^{l+1} = W^{l+1} A^l + \dots$ and
//! $A^l = \sigma(Z^l)$ then gives, layer by layer from the output,
//!
//! $$ \delta^l = \left( (W^{l+1})^\top \delta^{l+1} \right) \odot \sigma'(Z^l), \qquad
//!    \frac{\partial L}{\partial W^l} = \delta^l (A^{l-1})^\top, \qquad
//!    \frac{\partial L}{\partial b^l} = \sum_{\text{samples}} \delta^l $$
//!
//! Plain text: `delta^l = (W^(l+1)^T delta^(l+1)) .* sigma'(Z^l)`,
//! `grad_w^l = delta^l A^(l-1)^T`, `grad_b^l = sum over columns of delta^l`.
//! Each is a matrix product over the whole batch: $\delta^l (A^{l-1})^\top$ sums the
//! per-sample outer products $\delta_b a_b^\top$, and the bias gradient sums the columns
//! because $b^l$ is added to every column. With an L2 penalty, $\lambda W^l$ is added to
//! $\partial L / \partial W^l$.
//!
//! Transposes cost nothing: $(W^{l+1})^\top$ and $(A^{l-1})^\top$ are strided views of the
//! same memory, and every product writes into a preallocated buffer (see `matmul.rs`).

use optim::Optimizer;

use crate::activation::first_max;
use crate::error::{Error, Quantity};
use crate::loss::{Targets, loss_and_delta};
use crate::matmul::{
    batch_matrix, batch_matrix_mut, copy_to_feature_major, gemm, row_major, row_major_mut,
};
use crate::network::{Mlp, View};
use crate::scalar::{Scalar, c};
use crate::workspace::Workspace;
use optim::first_non_finite;

/// Loss and accuracy of a network over a data set, from [`Mlp::evaluate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// The mean loss over all samples (without the L2 penalty).
    pub loss: f64,
    /// The fraction of samples whose predicted class is their label.
    pub accuracy: f64,
}

impl<T: Scalar> Mlp<T> {
    /// Buffers for batches of up to `capacity` samples.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyBatch`] if `capacity` is 0, [`Error::WorkspaceTooLarge`] if its buffers
    /// cannot be allocated.
    pub fn workspace(&self, capacity: usize) -> Result<Workspace<T>, Error> {
        let mut widths = Vec::with_capacity(self.layers.len() + 1);
        widths.push(self.n_inputs);
        widths.extend(self.layers.iter().map(crate::network::Layer::n_outputs));
        Workspace::new(widths, self.params.len(), capacity)
    }

    /// The forward pass: the network's output $A^L$ (`n_outputs × batch`, probabilities for a
    /// sigmoid or softmax output) for a batch of inputs (`n_inputs × batch`, column-major:
    /// sample after sample). Keeps every $Z^l$ and $A^l$ in `ws`.
    ///
    /// # Errors
    ///
    /// [`Error::WorkspaceMismatch`] for a workspace of another network,
    /// [`Error::InputLength`] if `inputs` is not a whole number of samples,
    /// [`Error::EmptyBatch`], [`Error::BatchTooLarge`], and [`Error::NonFiniteInput`] naming
    /// the sample and feature of a NaN or infinite input.
    pub fn forward<'w>(
        &self,
        ws: &'w mut Workspace<T>,
        inputs: &[T],
    ) -> Result<View<'w, T>, Error> {
        let batch = self.check_batch(ws, inputs)?;
        self.forward_unchecked(ws, inputs, batch);
        Ok(ws.output())
    }

    /// The objective on a batch: the mean loss plus the L2 penalty.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`], and for targets [`Error::TargetLength`],
    /// [`Error::LabelOutOfRange`] and [`Error::InvalidTarget`].
    pub fn loss(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        targets: Targets<'_, T>,
    ) -> Result<T, Error> {
        let batch = self.check_batch(ws, inputs)?;
        targets.validate(self.loss, self.n_outputs(), batch)?;
        self.forward_unchecked(ws, inputs, batch);
        Ok(self.output_delta(ws, &targets) + self.penalty())
    }

    /// The objective on a batch (mean loss plus L2 penalty) and its gradient with respect to
    /// every parameter, written into `grad` in the parameters' layout: one forward and one
    /// backward pass (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`], and [`Error::ParameterLength`] if `grad` is not
    /// [`Mlp::n_params`] long.
    pub fn loss_and_gradient(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        targets: Targets<'_, T>,
        grad: &mut [T],
    ) -> Result<T, Error> {
        self.check_flat_len(grad.len())?;
        let batch = self.check_batch(ws, inputs)?;
        targets.validate(self.loss, self.n_outputs(), batch)?;
        #[cfg(feature = "threads")]
        if let Some(loss) = self.data_parallel(ws, inputs, targets, batch, grad) {
            return Ok(loss);
        }
        Ok(self.loss_and_gradient_unchecked(ws, inputs, &targets, batch, grad))
    }

    /// Forward, loss and backward on checked inputs.
    pub(crate) fn loss_and_gradient_unchecked(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        targets: &Targets<'_, T>,
        batch: usize,
        grad: &mut [T],
    ) -> T {
        self.forward_unchecked(ws, inputs, batch);
        let loss = self.output_delta(ws, targets) + self.penalty();
        self.backward_unchecked(ws, inputs, batch, grad);
        loss
    }

    /// One training step: forward, backward, then `optimizer.step` on all parameters.
    /// Returns the objective before the step; the gradient stays in
    /// [`Workspace::gradient`]. Allocates nothing (once the optimizer has its state).
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss_and_gradient`]; [`Error::NonFinite`] if the loss, an activation or a
    /// gradient is NaN or infinite (naming the first such layer; nothing is updated);
    /// [`Error::Optimizer`] if the optimizer refuses the step.
    pub fn train_step<O: Optimizer<T> + ?Sized>(
        &mut self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        targets: Targets<'_, T>,
        optimizer: &mut O,
    ) -> Result<T, Error> {
        let mut grad = std::mem::take(&mut ws.grad);
        let result = self.loss_and_gradient(ws, inputs, targets, &mut grad);
        let checked = result.and_then(|loss| {
            if !num_traits::Float::is_finite(loss) {
                return Err(match ws.non_finite_layer() {
                    Some(layer) => Error::NonFinite {
                        quantity: Quantity::Activation,
                        layer: Some(layer),
                    },
                    None => Error::NonFinite {
                        quantity: Quantity::Loss,
                        layer: None,
                    },
                });
            }
            // Every `optim` rule scans the gradient and refuses a non-finite one before
            // changing anything: its index names the layer, without a second scan here.
            match optimizer.step(&mut self.params, &grad) {
                Err(optim::Error::NonFiniteGradient { index, .. }) => Err(Error::NonFinite {
                    quantity: Quantity::Gradient,
                    layer: self
                        .layers
                        .iter()
                        .position(|l| l.params_range().contains(&index)),
                }),
                result => result.map(|()| loss).map_err(Error::from),
            }
        });
        ws.grad = grad;
        checked
    }

    /// The outputs for any number of samples (`n_outputs × n_samples`), in one allocated
    /// matrix. For repeated use prefer [`Mlp::forward`] with a workspace.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`].
    pub fn predict(&self, inputs: &[T]) -> Result<nalgebra::DMatrix<T>, Error> {
        let n = self.n_samples(inputs)?;
        let mut ws = self.workspace(n)?;
        Ok(self.forward(&mut ws, inputs)?.into_owned())
    }

    /// The predicted class of every sample, batch by batch through `ws`: the largest output
    /// for $K \ge 2$ outputs, and output $> \frac12$ (class 1) for one output.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`] (the input may hold more samples than the workspace); an error
    /// about a sample names its index in `inputs`, whichever batch it was in.
    pub fn predict_labels(&self, ws: &mut Workspace<T>, inputs: &[T]) -> Result<Vec<usize>, Error> {
        let n = self.n_samples(inputs)?;
        let mut labels = Vec::with_capacity(n);
        let capacity = ws.capacity;
        for (index, chunk) in inputs.chunks(capacity * self.n_inputs).enumerate() {
            self.forward(ws, chunk)
                .map_err(|e| numbered_in_data(e, index * capacity))?;
            labels.extend(
                ws.output_slice()
                    .chunks_exact(self.n_outputs())
                    .map(predicted_class),
            );
        }
        Ok(labels)
    }

    /// The fraction of samples whose predicted class ([`Mlp::predict_labels`]) is the label.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`]; [`Error::TargetLength`] if there is not one label per sample.
    pub fn accuracy(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        labels: &[usize],
    ) -> Result<f64, Error> {
        Ok(self.evaluate(ws, inputs, labels)?.accuracy)
    }

    /// Mean loss (without the L2 penalty) and accuracy over any number of labelled samples,
    /// batch by batch through `ws`.
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`] with [`Targets::Labels`]; an error about a sample names its index in
    /// `inputs` and `labels`, whichever batch it was in.
    pub fn evaluate(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        labels: &[usize],
    ) -> Result<Evaluation, Error> {
        let n = self.n_samples(inputs)?;
        if labels.len() != n {
            return Err(Error::TargetLength {
                expected: n,
                found: labels.len(),
            });
        }
        let mut loss_sum = 0.0;
        let mut correct = 0_usize;
        let width = ws.capacity * self.n_inputs;
        let chunks = inputs.chunks(width).zip(labels.chunks(ws.capacity));
        for (index, (chunk, chunk_labels)) in chunks.enumerate() {
            let start = index * ws.capacity;
            let batch = self
                .check_batch(ws, chunk)
                .map_err(|e| numbered_in_data(e, start))?;
            let targets = Targets::Labels(chunk_labels);
            targets
                .validate(self.loss, self.n_outputs(), batch)
                .map_err(|e| numbered_in_data(e, start))?;
            self.forward_unchecked(ws, chunk, batch);
            loss_sum += self.output_delta(ws, &targets).widen() * batch as f64;
            correct += ws
                .output_slice()
                .chunks_exact(self.n_outputs())
                .zip(chunk_labels)
                .filter(|&(column, &label)| predicted_class(column) == label)
                .count();
        }
        Ok(Evaluation {
            loss: loss_sum / n as f64,
            accuracy: correct as f64 / n as f64,
        })
    }

    /// The number of samples in `inputs`.
    fn n_samples(&self, inputs: &[T]) -> Result<usize, Error> {
        if !inputs.len().is_multiple_of(self.n_inputs) {
            return Err(Error::InputLength {
                len: inputs.len(),
                n_inputs: self.n_inputs,
            });
        }
        match inputs.len() / self.n_inputs {
            0 => Err(Error::EmptyBatch),
            n => Ok(n),
        }
    }

    /// Checks the workspace and the inputs; returns the batch size.
    fn check_batch(&self, ws: &Workspace<T>, inputs: &[T]) -> Result<usize, Error> {
        let matches = ws.widths.len() == self.layers.len() + 1
            && ws.widths[0] == self.n_inputs
            && ws.widths[1..]
                .iter()
                .zip(&self.layers)
                .all(|(&w, l)| w == l.n_outputs());
        if !matches {
            return Err(Error::WorkspaceMismatch);
        }
        let batch = self.n_samples(inputs)?;
        if batch > ws.capacity {
            return Err(Error::BatchTooLarge {
                batch,
                capacity: ws.capacity,
            });
        }
        if let Some(i) = first_non_finite(inputs) {
            return Err(Error::NonFiniteInput {
                sample: i / self.n_inputs,
                feature: i % self.n_inputs,
                value: inputs[i].widen(),
            });
        }
        Ok(batch)
    }

    /// $\frac{\lambda}{2} \sum_l \lVert W^l \rVert_F^2$.
    fn penalty(&self) -> T {
        if self.l2 == 0.0 {
            return c(0.0);
        }
        let mut sum = c::<T>(0.0);
        for layer in &self.layers {
            for &w in &self.params[layer.weights_range()] {
                sum += w * w;
            }
        }
        c::<T>(0.5 * self.l2) * sum
    }

    /// The forward pass on checked inputs.
    fn forward_unchecked(&self, ws: &mut Workspace<T>, inputs: &[T], batch: usize) {
        for (l, layer) in self.layers.iter().enumerate() {
            let (n_in, n_out) = (layer.n_inputs(), layer.n_outputs());
            let w = row_major(&self.params[layer.weights_range()], n_out, n_in);
            let bias = &self.params[layer.biases_range()];
            let (before, after) = ws.a.split_at_mut(l);
            let a_prev = if l == 0 {
                inputs
            } else {
                &before[l - 1][..n_in * batch]
            };
            let (prev_fm, z_fm) = (l > 0 && ws.feature_major[l - 1], ws.feature_major[l]);
            let z = &mut ws.z[l][..n_out * batch];
            // Z = b 1^T, then Z += W A_prev.
            if z_fm {
                for (row, &b) in z.chunks_exact_mut(batch).zip(bias) {
                    row.fill(b);
                }
            } else {
                for column in z.chunks_exact_mut(n_out) {
                    column.copy_from_slice(bias);
                }
            }
            gemm(
                batch_matrix_mut(z, n_out, batch, z_fm),
                w,
                batch_matrix(a_prev, n_in, batch, prev_fm),
                true,
                ws.threads,
            );
            layer
                .activation()
                .forward(n_out, z, &mut after[0][..n_out * batch]);
        }
        ws.batch = batch;
        // This pass was not split (during a split the helpers are out of `ws`): the parts
        // of an earlier split are no longer part of the last forward pass.
        for helper in &mut ws.helpers {
            helper.batch = 0;
        }
    }

    /// The loss of the last forward pass and $\delta^L$ into the workspace.
    fn output_delta(&self, ws: &mut Workspace<T>, targets: &Targets<'_, T>) -> T {
        let last = self.layers.len() - 1;
        let n_out = self.layers[last].n_outputs();
        let len = n_out * ws.batch;
        loss_and_delta(
            self.loss,
            self.layers[last].activation(),
            n_out,
            &ws.z[last][..len],
            &ws.a[last][..len],
            targets,
            &mut ws.delta[last][..len],
        )
    }

    /// Backpropagation from $\delta^L$ (already in the workspace) into `grad`.
    fn backward_unchecked(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        batch: usize,
        grad: &mut [T],
    ) {
        let l2 = c::<T>(self.l2);
        let threads = ws.threads;
        for (l, layer) in self.layers.iter().enumerate().rev() {
            let (n_in, n_out) = (layer.n_inputs(), layer.n_outputs());
            let (prev_fm, delta_fm) = (l > 0 && ws.feature_major[l - 1], ws.feature_major[l]);
            let (lower, upper) = ws.delta.split_at_mut(l);
            let delta = batch_matrix(&upper[0][..n_out * batch], n_out, batch, delta_fm);
            // The weight gradient may read a feature-major copy (faster; see `Workspace`).
            let delta_for_grad = if ws.copies_delta[l] {
                let copy = &mut ws.delta_copy[..n_out * batch];
                copy_to_feature_major(&upper[0], n_out, batch, copy);
                batch_matrix(copy, n_out, batch, true)
            } else {
                delta
            };
            let a_prev = if l == 0 {
                inputs
            } else {
                &ws.a[l - 1][..n_in * batch]
            };
            let a_prev = batch_matrix(a_prev, n_in, batch, prev_fm);
            let (grad_w, grad_b) = grad[layer.params_range()].split_at_mut(n_out * n_in);
            let w_flat = &self.params[layer.weights_range()];

            // grad_w = delta A_prev^T (+ lambda W); the transpose is a view, not a copy.
            let with_penalty = self.l2 != 0.0;
            if with_penalty {
                for (g, &w) in grad_w.iter_mut().zip(w_flat) {
                    *g = l2 * w;
                }
            }
            gemm(
                row_major_mut(grad_w, n_out, n_in),
                delta_for_grad,
                a_prev.transpose(),
                with_penalty,
                threads,
            );

            // grad_b = sum of delta's columns (b is added to every sample's column).
            sum_samples(&upper[0][..n_out * batch], batch, delta_fm, grad_b);

            // delta^(l-1) = (W^T delta) .* sigma'(Z^(l-1)); no delta for the data (l = 0).
            if l > 0 {
                let delta_prev = &mut lower[l - 1][..n_in * batch];
                gemm(
                    batch_matrix_mut(delta_prev, n_in, batch, prev_fm),
                    row_major(w_flat, n_out, n_in).transpose(),
                    delta,
                    false,
                    threads,
                );
                self.layers[l - 1].activation().backward(
                    &ws.z[l - 1][..n_in * batch],
                    &ws.a[l - 1][..n_in * batch],
                    delta_prev,
                );
            }
        }
    }
}

/// `sums[k] = sum over samples b of values[k, b]` for a batch of `batch` samples stored
/// sample-major or `feature_major`, adding the samples in order in both layouts (so the
/// layout does not change a bit of the result).
fn sum_samples<T: Scalar>(values: &[T], batch: usize, feature_major: bool, sums: &mut [T]) {
    sums.fill(c(0.0));
    if feature_major {
        // Sixteen rows at a time: sixteen independent sums per sample keep the adds busy.
        const ROWS: usize = 16;
        for (sums, rows) in sums.chunks_mut(ROWS).zip(values.chunks(ROWS * batch)) {
            for b in 0..batch {
                for (k, sum) in sums.iter_mut().enumerate() {
                    *sum += rows[k * batch + b];
                }
            }
        }
    } else {
        for column in values.chunks_exact(sums.len()) {
            for (sum, &v) in sums.iter_mut().zip(column) {
                *sum += v;
            }
        }
    }
}

/// `error` with the sample it names (if any) renumbered from a batch that starts at sample
/// `start` of a larger data set to that data set: what [`Mlp::evaluate`] and
/// [`Mlp::predict_labels`] report, since the caller never sees their batches.
fn numbered_in_data(mut error: Error, start: usize) -> Error {
    if let Error::NonFiniteInput { sample, .. }
    | Error::LabelOutOfRange { sample, .. }
    | Error::InvalidTarget { sample, .. } = &mut error
    {
        *sample += start;
    }
    error
}

/// The index of the largest output (first on ties), or `output > 1/2` for one output.
fn predicted_class<T: Scalar>(output: &[T]) -> usize {
    if output.len() == 1 {
        return usize::from(output[0] > c(0.5));
    }
    first_max(output)
}
