//! Losses, the error signal $\delta^L$ they send into the output layer, and the targets they
//! compare with.
//!
//! Every loss is a mean over the $B$ samples of a batch, so a batch's gradient does not grow
//! with its size. With output activations $a^L = \sigma(z^L)$, targets $y$ and output width
//! $K$:
//!
//! | [`Loss`] | per sample | $\delta^L = \partial L / \partial z^L$ |
//! | --- | --- | --- |
//! | `Mse` | $\frac12 \lVert a - y \rVert^2$ | $\frac1B (a - y) \odot \sigma'(z)$ |
//! | `BinaryCrossEntropy` (sigmoid output) | $\sum_k \operatorname{softplus}(z_k) - y_k z_k$ | $\frac1B (a - y)$ |
//! | `SoftmaxCrossEntropy` (softmax output) | $\operatorname{lse}(z) \sum_k y_k - y \cdot z$ | $\frac1B (a \sum_k y_k - y)$ |
//!
//! Plain text: MSE `0.5 |a - y|^2`, delta `(a - y) * s'(z) / B`; binary cross-entropy
//! `sum_k softplus(z_k) - y_k z_k`, delta `(a - y) / B`; softmax cross-entropy
//! `lse(z) sum_k y_k - y . z`, delta `(a sum_k y_k - y) / B`, where
//! $\operatorname{lse}(z) = m + \ln \sum_k e^{z_k - m}$, $m = \max_k z_k$.
//!
//! The two cross-entropies are written on the logits $z$, not on the probabilities $a$: the
//! textbook $-y \ln a - (1 - y) \ln(1 - a)$ equals
//! $\operatorname{softplus}(z) - y z$ (since $\ln \sigma(z) = -\operatorname{softplus}(-z)$
//! and $\operatorname{softplus}(z) - \operatorname{softplus}(-z) = z$), but it turns into
//! $\ln 0 = -\infty$ as soon as $a$ rounds to 0 or 1, while the logit form stays finite for
//! every finite $z$.
//!
//! Both are evaluated as sums of terms that are never negative (for targets $y \ge 0$), so a
//! right and confident prediction keeps its small loss instead of losing it to cancellation:
//! binary cross-entropy as $(1 - y)\max(z, 0) + y \max(-z, 0) + \ln(1 + e^{-\lvert z \rvert})$
//! (`perceptron::loss::cross_entropy_of_logit`), softmax cross-entropy as
//! $\sum_k y_k (m - z_k) + \left(\sum_k y_k\right) \ln\left(1 + \sum_{k \ne k^{\ast}} e^{z_k - m}\right)$,
//! where $k^{\ast}$ is the first index with $z_{k^{\ast}} = m$ (its term of the sum is exactly 1).
//! Plain text: `(1 - y) max(z, 0) + y max(-z, 0) + ln(1 + exp(-|z|))` and
//! `sum_k y_k (m - z_k) + (sum_k y_k) ln_1p(sum_{k != k*} exp(z_k - m))`.
//! Written as differences, $\operatorname{softplus}(40) - 40$ and $\operatorname{lse}(z) - z_{k^{\ast}}$
//! give exactly 0 in `f64` where the losses are about $e^{-40} \approx 4 \cdot 10^{-18}$.
//!
//! For one-hot targets ($\sum_k y_k = 1$) the softmax delta is the familiar $\frac1B(a - y)$.
//! With MSE on a softmax output the Jacobian of softmax is applied column by column:
//! $\delta = a \odot (g - (a \cdot g))$ with $g = (a - y)/B$.

use chain_rule::elementary;
use perceptron::loss::cross_entropy_of_logit;
use serde::{Deserialize, Serialize};

use crate::activation::{Activation, first_max};
use crate::error::Error;
use crate::scalar::{Scalar, c};

/// The loss a network is trained on (see the [module docs](self) for the formulas).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loss {
    /// Half the squared error, averaged over the batch: $\frac1{2B}\sum_b \lVert a_b - y_b\rVert^2$.
    Mse,
    /// Binary cross-entropy on the logits of a sigmoid output layer (one independent yes/no per
    /// output), averaged over the batch. Targets in $[0, 1]$.
    BinaryCrossEntropy,
    /// Cross-entropy of a softmax output layer on its logits, averaged over the batch. Targets
    /// are class labels or probability vectors (one-hot) in $[0, 1]$.
    SoftmaxCrossEntropy,
}

impl Loss {
    /// The name used in messages (`"mse"`, `"binary_cross_entropy"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Mse => "mse",
            Self::BinaryCrossEntropy => "binary_cross_entropy",
            Self::SoftmaxCrossEntropy => "softmax_cross_entropy",
        }
    }

    /// The output activation this loss needs, if it needs one.
    pub fn required_activation(self) -> Option<Activation> {
        match self {
            Self::Mse => None,
            Self::BinaryCrossEntropy => Some(Activation::Sigmoid),
            Self::SoftmaxCrossEntropy => Some(Activation::Softmax),
        }
    }
}

/// The targets of a batch, one per sample, in the batch's sample order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Targets<'a, T> {
    /// A class index per sample. With $K \ge 2$ outputs, label $l$ stands for the one-hot
    /// vector $e_l$ (and must be below $K$); with one output it is the number $y = l$ (0 or 1).
    Labels(&'a [usize]),
    /// $K$ numbers per sample, sample after sample (a column-major $K \times B$ matrix, the
    /// same layout as the inputs).
    Dense(&'a [T]),
}

impl<T: Scalar> Targets<'_, T> {
    /// The number of samples these targets describe for a network with `n_outputs` outputs
    /// (`None` when a dense slice is not a whole number of samples, or `n_outputs` is 0).
    pub fn n_samples(&self, n_outputs: usize) -> Option<usize> {
        match self {
            Self::Labels(labels) => Some(labels.len()),
            Self::Dense(values) => values
                .len()
                .checked_rem(n_outputs)
                .is_some_and(|rest| rest == 0)
                .then(|| values.len() / n_outputs),
        }
    }

    /// Checks length, label range and target values for a batch of `batch` samples.
    pub(crate) fn validate(&self, loss: Loss, n_outputs: usize, batch: usize) -> Result<(), Error> {
        match self {
            Self::Labels(labels) => {
                if labels.len() != batch {
                    return Err(Error::TargetLength {
                        expected: batch,
                        found: labels.len(),
                    });
                }
                let n_classes = n_outputs.max(2);
                if let Some((sample, &label)) =
                    labels.iter().enumerate().find(|&(_, &l)| l >= n_classes)
                {
                    return Err(Error::LabelOutOfRange {
                        sample,
                        label,
                        n_classes,
                    });
                }
            }
            Self::Dense(values) => {
                if values.len() != batch * n_outputs {
                    return Err(Error::TargetLength {
                        expected: batch * n_outputs,
                        found: values.len(),
                    });
                }
                let probability = loss != Loss::Mse;
                let bad = values.iter().position(|&y| {
                    !num_traits::Float::is_finite(y)
                        || (probability && !(y >= c(0.0) && y <= c(1.0)))
                });
                if let Some(i) = bad {
                    return Err(Error::InvalidTarget {
                        sample: i / n_outputs,
                        output: i % n_outputs,
                        value: values[i].widen(),
                        allowed: if probability { "in [0, 1]" } else { "finite" },
                    });
                }
            }
        }
        Ok(())
    }

    /// The targets of samples `start..start + len`.
    #[cfg(feature = "threads")]
    pub(crate) fn slice(&self, start: usize, len: usize, n_outputs: usize) -> Self {
        match *self {
            Self::Labels(labels) => Self::Labels(&labels[start..start + len]),
            Self::Dense(values) => {
                Self::Dense(&values[start * n_outputs..(start + len) * n_outputs])
            }
        }
    }

    /// $y_{k}$ of sample `sample`.
    #[inline]
    fn value(&self, n_outputs: usize, sample: usize, k: usize) -> T {
        match self {
            Self::Labels(labels) => {
                let label = labels[sample];
                if n_outputs == 1 {
                    c(label as f64)
                } else if label == k {
                    c(1.0)
                } else {
                    c(0.0)
                }
            }
            Self::Dense(values) => values[sample * n_outputs + k],
        }
    }
}

/// The mean loss of a batch and, into `delta`, $\delta^L = \partial L / \partial z^L$.
///
/// `z`, `a` and `delta` are column-major `n_outputs × batch`; targets are already validated.
pub(crate) fn loss_and_delta<T: Scalar>(
    loss: Loss,
    activation: Activation,
    n_outputs: usize,
    z: &[T],
    a: &[T],
    targets: &Targets<'_, T>,
    delta: &mut [T],
) -> T {
    let batch = z.len() / n_outputs;
    let inv_batch = c::<T>(1.0) / c::<T>(batch as f64);
    let mut total = c::<T>(0.0);
    match loss {
        Loss::Mse => {
            for b in 0..batch {
                let col = b * n_outputs..(b + 1) * n_outputs;
                for (k, (d, &a)) in delta[col.clone()]
                    .iter_mut()
                    .zip(&a[col.clone()])
                    .enumerate()
                {
                    let r = a - targets.value(n_outputs, b, k);
                    total += r * r;
                    *d = r * inv_batch;
                }
                if activation == Activation::Softmax {
                    softmax_jvp(&a[col.clone()], &mut delta[col]);
                }
            }
            total *= c(0.5);
            activation.backward(z, a, delta);
        }
        Loss::BinaryCrossEntropy => {
            for b in 0..batch {
                for k in 0..n_outputs {
                    let i = b * n_outputs + k;
                    let y = targets.value(n_outputs, b, k);
                    total += cross_entropy_of_logit(z[i], y);
                    delta[i] = (a[i] - y) * inv_batch;
                }
            }
        }
        Loss::SoftmaxCrossEntropy => {
            for b in 0..batch {
                let col = b * n_outputs..(b + 1) * n_outputs;
                let zc = &z[col.clone()];
                let top = first_max(zc);
                let m = zc[top];
                // The largest logit's term of the sum is e^0 = 1 exactly; the others' sum goes
                // through ln(1 + x) so that a confident prediction (others ≪ 1) keeps its loss.
                let mut others = c::<T>(0.0);
                for &z in zc[..top].iter().chain(&zc[top + 1..]) {
                    others += elementary::exp(z - m);
                }
                let ln_sum = ln_1p(others);
                let mut y_sum = c::<T>(0.0);
                let mut gap = c::<T>(0.0);
                for (k, (d, (&a, &z))) in delta[col.clone()]
                    .iter_mut()
                    .zip(a[col.clone()].iter().zip(zc))
                    .enumerate()
                {
                    let y = targets.value(n_outputs, b, k);
                    y_sum += y;
                    gap += y * (m - z);
                    *d = a;
                }
                // lse(z) Σ y - y · z = Σ_k y_k (m - z_k) + (Σ_k y_k) ln Σ_k e^{z_k - m}: no
                // negative term for y >= 0, so nothing cancels.
                total += gap + y_sum * ln_sum;
                for (k, d) in delta[col].iter_mut().enumerate() {
                    let y = targets.value(n_outputs, b, k);
                    *d = (*d * y_sum - y) * inv_batch;
                }
            }
        }
    }
    total * inv_batch
}

/// $\ln(1 + x)$ for finite $x \ge 0$ (here a sum of $K - 1$ terms $e^{z_k - m} \le 1$),
/// accurate relative to the result even for $x$ far below the machine epsilon, through one
/// `ln` (Kahan's method, Goldberg 1991, theorem 4): with
/// $u = 1 \oplus x$ (rounded), $\ln(1 + x) = x$ when $u = 1$, else
/// $\ln(u) \cdot x / (u \ominus 1)$, because $\ln(u) / (u - 1)$ varies slowly and $u - 1$ is
/// exact, so the rounding of $1 + x$ cancels out.
///
/// Plain text: `u = 1 + x; if u == 1 { x } else { ln(u) * x / (u - 1) }`. For $0 \le x < 3/4$
/// the relative error is at most 5 half-ulps given an `ln` within half an ulp (Goldberg's
/// bound); libm's `ln` is within an ulp, which adds half an ulp. For $x \ge 3/4$ the result
/// exceeds $0.55$, so even uncorrected the rounding of $1 + x$ (at most $\epsilon / 2$,
/// absolute, in the logarithm) would cost at most an ulp of it. An infinite $x$ would give
/// NaN, not $\infty$. It stands in for `ln_1p`, which in `f32` (glibc's `log1pf`) took twice
/// as long as `ln` here and made the W2 epoch, whose softmax loss calls it once per sample,
/// about 3 % slower.
fn ln_1p<T: Scalar>(x: T) -> T {
    let one = c::<T>(1.0);
    let u = one + x;
    if u == one {
        x
    } else {
        chain_rule::Real::ln(u) * (x / (u - one))
    }
}

/// $g \leftarrow s \odot (g - s \cdot g)$: the product of the softmax Jacobian
/// $\operatorname{diag}(s) - s s^\top$ (symmetric) with $g$, for one column.
fn softmax_jvp<T: Scalar>(s: &[T], g: &mut [T]) {
    let mut dot = c::<T>(0.0);
    for (&s, &g) in s.iter().zip(g.iter()) {
        dot += s * g;
    }
    for (g, &s) in g.iter_mut().zip(s) {
        *g = s * (*g - dot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `ln_1p` in `f32` against `f64`'s `ln_1p` at the same `x`, from far below the machine
        /// epsilon (where `1 + x` rounds to 1) to the `K - 1 = 9` of ten tied logits. The
        /// reference's own error (an ulp of `f64`) is negligible. Bound, with ε =
        /// `f32::EPSILON`: Goldberg's theorem 4 gives 5 half-ulps (2.5 ε) with `ln` within half
        /// an ulp; libm's `ln` is within one, half an ulp (ε / 2) more: 3 ε. Computed as
        /// `ln(1 + x)`, the error is up to ε / (2 ln(1 + x)) relative: at x = 1e-7, 4 · 10⁵
        /// times this bound.
        #[test]
        fn ln_1p_is_accurate_relative_to_the_result(exponent in -40.0..1.0_f32) {
            let x = 10f32.powf(exponent);
            let ours = f64::from(ln_1p(x));
            let exact = f64::from(x).ln_1p();
            let error = (ours - exact).abs() / exact;
            let bound = 3.0 * f64::from(f32::EPSILON);
            prop_assert!(error <= bound, "x = {x:e}: relative error {error:e}");
        }
    }

    /// At 0 it is exactly 0, and a NaN stays NaN.
    #[test]
    fn ln_1p_of_zero_and_nan() {
        assert_eq!(ln_1p(0.0_f32).to_bits(), 0.0_f32.to_bits());
        assert!(ln_1p(f64::NAN).is_nan());
    }
}
