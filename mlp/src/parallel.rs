//! Splitting a batch between threads (with the `threads` feature).
//!
//! The gradient of a mean loss over a batch of $B$ samples is the size-weighted mean of the
//! gradients over its parts: with parts of $B_k$ samples and part gradients $g_k$ (each a
//! mean over its own samples, plus the L2 term $\lambda W$),
//!
//! $$ g = \sum_k \frac{B_k}{B}\, g_k $$
//!
//! Plain text: `g = sum_k (B_k / B) g_k`; the L2 term comes out once because the weights sum
//! to 1, and so does the penalty in the loss. Each thread runs the single-threaded passes on
//! its part in its own workspace, so the matrix products stay large and sequential; then the
//! threads sum the part gradients, each over its own range of parameters.

use crate::loss::Targets;
use crate::network::Mlp;
use crate::scalar::{Scalar, c};
use crate::workspace::{MIN_SAMPLES_PER_THREAD, Workspace};

/// Below this many parameter-samples (about the multiply-adds of a step) the cost of
/// starting threads exceeds the work.
const MIN_WORK: usize = 1 << 24;

impl<T: Scalar> Mlp<T> {
    /// The loss and gradient of a checked batch computed by `ws.threads` threads, or `None`
    /// when the batch is too small to split.
    pub(crate) fn data_parallel(
        &self,
        ws: &mut Workspace<T>,
        inputs: &[T],
        targets: Targets<'_, T>,
        batch: usize,
        grad: &mut [T],
    ) -> Option<T> {
        let parts = ws
            .threads
            .min(batch / MIN_SAMPLES_PER_THREAD)
            .min(ws.helpers.len() + 1);
        if parts < 2 || self.params.len() * batch < MIN_WORK {
            return None;
        }
        let n_in = self.n_inputs;
        let n_out = self.n_outputs();
        // Part k holds samples starts[k]..starts[k] + sizes[k]; sizes differ by at most 1.
        let sizes: Vec<usize> = (0..parts)
            .map(|k| batch / parts + usize::from(k < batch % parts))
            .collect();
        let starts: Vec<usize> = sizes
            .iter()
            .scan(0, |start, &size| {
                let this = *start;
                *start += size;
                Some(this)
            })
            .collect();
        let threads = std::mem::replace(&mut ws.threads, 1);
        let mut helpers = std::mem::take(&mut ws.helpers);
        let mut losses = vec![c::<T>(0.0); parts];
        std::thread::scope(|scope| {
            let handles: Vec<_> = helpers
                .iter_mut()
                .zip(starts.iter().zip(&sizes).skip(1))
                .map(|(helper, (&start, &size))| {
                    scope.spawn(move || {
                        let mut part_grad = std::mem::take(&mut helper.grad);
                        let loss = self.loss_and_gradient_unchecked(
                            helper,
                            &inputs[start * n_in..(start + size) * n_in],
                            &targets.slice(start, size, n_out),
                            size,
                            &mut part_grad,
                        );
                        helper.grad = part_grad;
                        loss
                    })
                })
                .collect();
            losses[0] = self.loss_and_gradient_unchecked(
                ws,
                &inputs[..sizes[0] * n_in],
                &targets.slice(0, sizes[0], n_out),
                sizes[0],
                grad,
            );
            for (loss, handle) in losses[1..].iter_mut().zip(handles) {
                *loss = handle.join().expect("a gradient thread panicked");
            }
        });
        let weights: Vec<T> = sizes
            .iter()
            .map(|&size| c::<T>(size as f64 / batch as f64))
            .collect();
        // g = sum_k w_k g_k, each thread over its own range of parameters.
        let range = grad.len().div_ceil(parts);
        let combine = |offset: usize, chunk: &mut [T]| {
            for (i, g) in chunk.iter_mut().enumerate() {
                let mut sum = weights[0] * *g;
                for (helper, &w) in helpers.iter().zip(&weights[1..]) {
                    sum += w * helper.grad[offset + i];
                }
                *g = sum;
            }
        };
        std::thread::scope(|scope| {
            let mut chunks = grad.chunks_mut(range);
            let first = chunks
                .next()
                .expect("a gradient has at least one parameter");
            for (index, chunk) in chunks.enumerate() {
                scope.spawn(move || combine((index + 1) * range, chunk));
            }
            combine(0, first);
        });
        ws.threads = threads;
        ws.helpers = helpers;
        Some(
            losses
                .iter()
                .zip(&weights)
                .fold(c::<T>(0.0), |total, (&loss, &w)| total + w * loss),
        )
    }
}
