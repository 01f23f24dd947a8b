//! Activation functions applied element-wise after each dense layer, and softmax at the output.
//!
//! A layer computes $a = \sigma(z)$ from its pre-activation $z = W a_{\text{prev}} + b$.
//! Every element-wise $\sigma$ here is `chain_rule::elementary`'s function, and its
//! derivative $\sigma'$ is `chain_rule::elementary`'s derivative:
//! [`Activation::apply`] and [`Activation::derivative`] call them directly, and the batched
//! loops of the forward and backward passes call them element by element.
//! For speed, the batched `f32` tanh and sigmoid call `chain_rule::fast`'s vectorisable forms
//! instead, and their backward loops the derivatives in terms of the stored output,
//! $1 - a^2$ and $a(1 - a)$ (see [`crate::Scalar`]); this module writes no formula of its own.
//!
//! Softmax is not element-wise: it maps a column $z \in \mathbb{R}^K$ to
//!
//! $$ \operatorname{softmax}(z)_k = \frac{e^{z_k - m}}{\sum_j e^{z_j - m}}, \quad m = \max_j z_j $$
//!
//! Plain text: `softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m)`, with the maximum $m$
//! subtracted so that no exponential overflows (the value is unchanged).
//! It is allowed only at the output layer.

use chain_rule::Real;
use chain_rule::elementary;
use serde::{Deserialize, Serialize};

use crate::scalar::{Scalar, c};

/// What a layer applies to its pre-activation $z$.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Activation {
    /// $\sigma(z) = z$ (a linear layer), $\sigma'(z) = 1$.
    Identity,
    /// The logistic sigmoid $\sigma(z) = 1/(1 + e^{-z})$, $\sigma' = \sigma (1 - \sigma)$.
    Sigmoid,
    /// $\tanh z$, derivative $1 - \tanh^2 z$.
    Tanh,
    /// $\max(z, 0)$, derivative 1 for $z > 0$ and 0 otherwise (0 at the kink, as `PyTorch`).
    Relu,
    /// $z$ for $z > 0$, else $\text{slope} \cdot z$; derivative 1 or `slope`.
    LeakyRelu {
        /// The slope for $z \le 0$; must be finite.
        slope: f64,
    },
    /// $\ln(1 + e^z)$, a smooth ReLU; derivative $\sigma(z)$.
    Softplus,
    /// Softmax over each sample's outputs (output layer only; see the [module docs](self)).
    Softmax,
}

impl Activation {
    /// The name used in messages and saved files (`"tanh"`, `"leaky_relu"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Sigmoid => "sigmoid",
            Self::Tanh => "tanh",
            Self::Relu => "relu",
            Self::LeakyRelu { .. } => "leaky_relu",
            Self::Softplus => "softplus",
            Self::Softmax => "softmax",
        }
    }

    /// Whether the function acts on each element alone (every activation but softmax).
    pub fn is_elementwise(self) -> bool {
        !matches!(self, Self::Softmax)
    }

    /// $\sigma(z)$ for one element, from `chain_rule::elementary`.
    ///
    /// For [`Activation::Softmax`] this is $e^z$, the unnormalised value: softmax needs the whole
    /// column (see [`Activation::forward`]).
    #[inline]
    pub fn apply<T: Real>(self, z: T) -> T {
        match self {
            Self::Identity => elementary::identity(z),
            Self::Sigmoid => elementary::sigmoid(z),
            Self::Tanh => elementary::tanh(z),
            Self::Relu => elementary::relu(z),
            Self::LeakyRelu { slope } => elementary::leaky_relu(z, T::from_f64(slope)),
            Self::Softplus => elementary::softplus(z),
            Self::Softmax => elementary::exp(z),
        }
    }

    /// $\sigma'(z)$ for one element, from `chain_rule::elementary`.
    ///
    /// For [`Activation::Softmax`] this is $e^z$, the derivative of [`Activation::apply`]: the
    /// softmax Jacobian is handled by the loss (see [`crate::Loss`]).
    #[inline]
    pub fn derivative<T: Real>(self, z: T) -> T {
        match self {
            Self::Identity => elementary::identity_derivative(z),
            Self::Sigmoid => elementary::sigmoid_derivative(z),
            Self::Tanh => elementary::tanh_derivative(z),
            Self::Relu => elementary::relu_derivative(z),
            Self::LeakyRelu { slope } => elementary::leaky_relu_derivative(z, T::from_f64(slope)),
            Self::Softplus => elementary::softplus_derivative(z),
            Self::Softmax => elementary::exp_derivative(z),
        }
    }

    /// $a = \sigma(z)$ for a whole batch: `z` and `a` hold `rows`-long columns (one per
    /// sample) one after the other; softmax normalises each column.
    ///
    /// # Panics
    ///
    /// If `z` and `a` differ in length or `rows` does not divide it (an internal invariant of
    /// the workspace).
    pub fn forward<T: Scalar>(self, rows: usize, z: &[T], a: &mut [T]) {
        assert!(
            z.len() == a.len() && rows > 0 && z.len().is_multiple_of(rows),
            "activation buffers must hold whole columns of equal length"
        );
        match self {
            Self::Identity => a.copy_from_slice(z),
            Self::Tanh => T::tanh_slice(z, a),
            Self::Sigmoid => T::sigmoid_slice(z, a),
            Self::Relu => {
                for (a, &z) in a.iter_mut().zip(z) {
                    *a = elementary::relu(z);
                }
            }
            Self::LeakyRelu { slope } => {
                let slope = c::<T>(slope);
                for (a, &z) in a.iter_mut().zip(z) {
                    *a = elementary::leaky_relu(z, slope);
                }
            }
            Self::Softplus => {
                for (a, &z) in a.iter_mut().zip(z) {
                    *a = elementary::softplus(z);
                }
            }
            Self::Softmax => {
                for (a, z) in a.chunks_exact_mut(rows).zip(z.chunks_exact(rows)) {
                    softmax(z, a);
                }
            }
        }
    }

    /// $\delta \mathrel{⊙}= \sigma'(z)$ for a whole batch, given $a = \sigma(z)$ (the
    /// `⊙ σ'(z^l)` of the backward pass). Softmax is not element-wise and leaves `delta`
    /// unchanged: the loss computes the output layer's $\delta$ through it.
    ///
    /// # Panics
    ///
    /// If the three slices differ in length (an internal invariant of the workspace).
    pub fn backward<T: Scalar>(self, z: &[T], a: &[T], delta: &mut [T]) {
        assert!(
            z.len() == a.len() && z.len() == delta.len(),
            "activation buffers must have equal lengths"
        );
        match self {
            Self::Identity | Self::Softmax => {}
            Self::Tanh => T::tanh_backward(z, a, delta),
            Self::Sigmoid => T::sigmoid_backward(z, a, delta),
            Self::Relu => {
                for (d, &z) in delta.iter_mut().zip(z) {
                    *d *= elementary::relu_derivative(z);
                }
            }
            Self::LeakyRelu { slope } => {
                let slope = c::<T>(slope);
                for (d, &z) in delta.iter_mut().zip(z) {
                    *d *= elementary::leaky_relu_derivative(z, slope);
                }
            }
            Self::Softplus => {
                for (d, &z) in delta.iter_mut().zip(z) {
                    *d *= elementary::softplus_derivative(z);
                }
            }
        }
    }
}

/// `a = softmax(z)` for one column, stable (the maximum is subtracted first).
pub(crate) fn softmax<T: Scalar>(z: &[T], a: &mut [T]) {
    let m = max_of(z);
    let mut sum = c::<T>(0.0);
    for (a, &z) in a.iter_mut().zip(z) {
        *a = elementary::exp(z - m);
        sum += *a;
    }
    let inv = c::<T>(1.0) / sum;
    for a in a.iter_mut() {
        *a *= inv;
    }
}

/// The index of the first largest entry of `z` (not empty): the predicted class, and the
/// logit the softmax loss leaves out of its sum. If `z[0]` is NaN every comparison is false
/// and the result is 0; a NaN elsewhere is never the result (the loss, which sums over the
/// other entries, is then NaN all the same).
pub(crate) fn first_max<T: Scalar>(z: &[T]) -> usize {
    let mut top = 0;
    for (k, &v) in z.iter().enumerate().skip(1) {
        if v > z[top] {
            top = k;
        }
    }
    top
}

/// The largest element; NaN if any element is NaN (so a diverged column stays visibly NaN).
pub(crate) fn max_of<T: Scalar>(z: &[T]) -> T {
    let mut m = z[0];
    for &z in &z[1..] {
        if z > m || z.is_nan() {
            m = z;
        }
    }
    m
}
