//! Activation functions applied element-wise after each dense layer, and softmax at the output.
//!
//! A layer computes $a = \sigma(z)$ from its pre-activation $z = W a_{\text{prev}} + b$.
//! Every element-wise $\sigma$ here is `chain_rule::elementary`'s function, and its
//! derivative $\sigma'$ is `chain_rule::elementary`'s derivative:
//! [`Activation::apply`] and [`Activation::derivative`] call them directly, and the batched
//! loops of the forward and backward passes call them element by element.
//! The one exception is speed for `f32` tanh and sigmoid (see [`crate::Scalar`]): those use
//! the vectorisable formulation in this module, tested against `chain_rule`'s functions.
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
            z.len() == a.len() && rows > 0 && z.len() % rows == 0,
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

/// Vectorisable `f32` kernels for tanh and the sigmoid.
///
/// `std`'s `f32::tanh` is a call into the C library per element (about 15 ns); these loops are
/// plain arithmetic the compiler turns into SIMD (under 1 ns per element).
pub(crate) mod fast {
    /// Beyond this $|x|$ the `f32` value of $\tanh x$ is $\pm 1$ to within the rational
    /// approximation's error; inputs are clamped to it (Eigen's constant for non-FMA builds).
    const CLAMP: f32 = 7.905_311;
    /// Below this $|x|$, $\tanh x = x$ to `f32` precision ($x^3/3 < 2^{-24} x$).
    const TINY: f32 = 0.000_4;

    // The rational approximation tanh(x) ~ x P(x^2) / Q(x^2) of Eigen's
    // `generic_fast_tanh_float` (a minimax fit on [-7.9, 7.9]): P of degree 6 and Q of
    // degree 3 in x^2.
    const ALPHA_1: f32 = 4.893_524_6e-3;
    const ALPHA_3: f32 = 6.372_619_3e-4;
    const ALPHA_5: f32 = 1.485_722_4e-5;
    const ALPHA_7: f32 = 5.122_297e-8;
    const ALPHA_9: f32 = -8.604_672e-11;
    const ALPHA_11: f32 = 2.000_188e-13;
    const ALPHA_13: f32 = -2.760_768_5e-16;
    const BETA_0: f32 = 4.893_525e-3;
    const BETA_2: f32 = 2.268_434_6e-3;
    const BETA_4: f32 = 1.185_347_1e-4;
    const BETA_6: f32 = 1.198_258_4e-6;

    /// $\tanh x$ for one `f32`, by the rational approximation; NaN stays NaN.
    #[inline]
    pub(crate) fn tanh(x: f32) -> f32 {
        // `clamp` keeps NaN (where `min`/`max` would turn it into the bound), so a diverged
        // value stays visible.
        let clamped = x.clamp(-CLAMP, CLAMP);
        let x2 = clamped * clamped;
        let mut p = x2 * ALPHA_13 + ALPHA_11;
        p = x2 * p + ALPHA_9;
        p = x2 * p + ALPHA_7;
        p = x2 * p + ALPHA_5;
        p = x2 * p + ALPHA_3;
        p = x2 * p + ALPHA_1;
        p *= clamped;
        let mut q = x2 * BETA_6 + BETA_4;
        q = x2 * q + BETA_2;
        q = x2 * q + BETA_0;
        if x.abs() < TINY { x } else { p / q }
    }

    /// $\sigma(x) = \frac12 + \frac12 \tanh(x / 2)$ for one `f32`.
    #[inline]
    pub(crate) fn sigmoid(x: f32) -> f32 {
        0.5 + 0.5 * tanh(0.5 * x)
    }

    /// `a = tanh(z)` element-wise.
    pub(crate) fn tanh_f32(z: &[f32], a: &mut [f32]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = tanh(z);
        }
    }

    /// `delta *= 1 - a^2` element-wise, with `a = tanh(z)`.
    pub(crate) fn tanh_backward_f32(a: &[f32], delta: &mut [f32]) {
        for (d, &a) in delta.iter_mut().zip(a) {
            *d *= 1.0 - a * a;
        }
    }

    /// `a = sigmoid(z)` element-wise.
    pub(crate) fn sigmoid_f32(z: &[f32], a: &mut [f32]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = sigmoid(z);
        }
    }

    /// `delta *= a (1 - a)` element-wise, with `a = sigmoid(z)`.
    pub(crate) fn sigmoid_backward_f32(a: &[f32], delta: &mut [f32]) {
        for (d, &a) in delta.iter_mut().zip(a) {
            *d *= a * (1.0 - a);
        }
    }
}
