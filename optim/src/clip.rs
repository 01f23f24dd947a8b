//! Gradient clipping over all gradients as one vector: by norm
//! (`torch.nn.utils.clip_grad_norm_`) and by value (`torch.nn.utils.clip_grad_value_`).

use num_traits::Float;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::error::non_negative;
use crate::optimizer::cast;

/// Which norm [`clip_grad_norm`] measures (PyTorch's `norm_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Norm {
    /// $\lVert g \rVert_1 = \sum_i \lvert g_i \rvert$ (`norm_type=1`).
    L1,
    /// $\lVert g \rVert_2 = \sqrt{\sum_i g_i^2}$ (`norm_type=2`, the default).
    L2,
    /// $\lVert g \rVert_\infty = \max_i \lvert g_i \rvert$ (`norm_type=inf`).
    Max,
}

/// The norm of `grads` viewed as one vector; NaN if any value is NaN.
///
/// The sums are accumulated in `T`, like PyTorch's `vector_norm` for that dtype, in sixteen
/// partial sums so the loop vectorizes (the last bits may differ from PyTorch's order). The
/// squares are not rescaled: an L2 norm whose square exceeds `T::max_value()` is infinite.
pub fn grad_norm<T: Float>(grads: &[T], norm: Norm) -> T {
    const LANES: usize = 16;
    let zero = T::zero();
    let mut partial = [zero; LANES];
    let chunks = grads.chunks_exact(LANES);
    let remainder = chunks.remainder();
    match norm {
        Norm::L1 => {
            for chunk in chunks {
                for lane in 0..LANES {
                    partial[lane] = partial[lane] + chunk[lane].abs();
                }
            }
            let tail = remainder.iter().fold(zero, |sum, &g| sum + g.abs());
            partial.iter().fold(tail, |sum, &p| sum + p)
        }
        Norm::L2 => {
            for chunk in chunks {
                for lane in 0..LANES {
                    partial[lane] = partial[lane] + chunk[lane] * chunk[lane];
                }
            }
            let tail = remainder.iter().fold(zero, |sum, &g| sum + g * g);
            partial.iter().fold(tail, |sum, &p| sum + p).sqrt()
        }
        Norm::Max => {
            // `max` skips NaN, so NaN is tracked separately: `g * 0` is NaN exactly when `g`
            // is NaN or infinite, and only then is the slice searched for a NaN.
            let mut nan_probe = [zero; LANES];
            for chunk in chunks {
                for lane in 0..LANES {
                    partial[lane] = partial[lane].max(chunk[lane].abs());
                    nan_probe[lane] = nan_probe[lane] + chunk[lane] * zero;
                }
            }
            let mut max = remainder.iter().fold(zero, |m, &g| m.max(g.abs()));
            let mut probe = remainder.iter().fold(zero, |s, &g| s + g * zero);
            for lane in 0..LANES {
                max = max.max(partial[lane]);
                probe = probe + nan_probe[lane];
            }
            if probe.is_nan() && grads.iter().any(|g| g.is_nan()) {
                T::nan()
            } else {
                max
            }
        }
    }
}

/// Rescales `grads` so that their norm is at most `max_norm`, and returns the norm before
/// clipping, exactly as `torch.nn.utils.clip_grad_norm_` does.
///
/// $$ g \leftarrow g \cdot \min\left(\frac{\text{max\\_norm}}{\lVert g \rVert + 10^{-6}}, 1\right) $$
///
/// Plain text: `coef = min(max_norm / (total_norm + 1e-6), 1); g = g * coef`.
///
/// The $10^{-6}$ keeps the division finite for a zero gradient; it also means a clipped
/// gradient ends slightly *below* `max_norm`. A gradient already within the bound is left
/// untouched (`coef` is clamped to 1).
///
/// With `error_if_nonfinite = false` a NaN or infinite norm is used as PyTorch uses it (an
/// infinite norm zeroes every gradient; NaN makes them all NaN, which the next optimizer step
/// then reports as [`Error::NonFiniteGradient`]).
///
/// # Errors
/// - [`Error::InvalidHyperparameter`] unless `max_norm` is finite and `>= 0`,
/// - [`Error::NonFiniteNorm`] if `error_if_nonfinite` and the norm is NaN or infinite (the
///   gradients are then left as they were).
pub fn clip_grad_norm<T: Float>(
    grads: &mut [T],
    max_norm: f64,
    norm: Norm,
    error_if_nonfinite: bool,
) -> Result<T, Error> {
    non_negative("max_norm", max_norm)?;
    let total_norm = grad_norm(grads, norm);
    if error_if_nonfinite && !total_norm.is_finite() {
        return Err(Error::NonFiniteNorm {
            value: total_norm.to_f64().unwrap_or(f64::NAN),
        });
    }
    // PyTorch computes the coefficient in the gradients' dtype: tensor(max_norm) / (norm + 1e-6).
    let coef = cast::<T>(max_norm) / (total_norm + cast(1e-6));
    // `torch.clamp(coef, max=1.0)` keeps NaN, so a NaN coefficient is applied too.
    if coef < T::one() || coef.is_nan() {
        for g in grads.iter_mut() {
            *g = *g * coef;
        }
    }
    Ok(total_norm)
}

/// Clamps every gradient into `[-clip_value, clip_value]`, as
/// `torch.nn.utils.clip_grad_value_` does.
///
/// $$ g_i \leftarrow \max(-c, \min(g_i, c)) $$
///
/// Plain text: `g[i] = clamp(g[i], -clip_value, clip_value)`. Unlike clipping by norm this
/// changes the gradient's direction. NaN stays NaN.
///
/// # Errors
/// [`Error::InvalidHyperparameter`] unless `clip_value` is finite and `>= 0`.
pub fn clip_grad_value<T: Float>(grads: &mut [T], clip_value: f64) -> Result<(), Error> {
    let high: T = cast(non_negative("clip_value", clip_value)?);
    let low = -high;
    for g in grads.iter_mut() {
        // Written with comparisons rather than `max`/`min` so NaN passes through, as in PyTorch.
        if *g < low {
            *g = low;
        } else if *g > high {
            *g = high;
        }
    }
    Ok(())
}
