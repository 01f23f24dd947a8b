//! The element type a network computes in: `f32` or `f64`.
//!
//! [`Scalar`] gathers what the libraries underneath ask of a number: `nalgebra`'s matrices,
//! `faer`'s matrix products, `optim`'s [`num_traits::Float`] and `chain-rule`'s [`Real`] (the
//! activation functions and their derivatives are `chain-rule`'s).
//! It is sealed: only `f32` and `f64` implement it, because the matrix products reach
//! `faer`'s fast kernels for exactly those two types.
//!
//! Four methods are the element-wise hot loops of the forward and backward passes for tanh
//! and the sigmoid; each calls a `chain-rule` function element by element and writes no
//! formula of its own.
//! For `f64` they call `chain_rule::elementary`'s functions and derivatives of $z$.
//! For `f32` the forward loops call `chain_rule::fast`'s `tanh_f32` and `sigmoid_f32` (a
//! rational approximation of $\tanh$ accurate to $4\varepsilon$, and
//! $\sigma(x) = \frac12 + \frac12 \tanh(x/2)$), which the compiler vectorises, because `std`'s
//! `tanh` costs about 15 ns per element, more than all the matrix products of a small network
//! together; the backward loops compute the derivative from the stored output, $1 - a^2$ and
//! $a(1 - a)$ (`elementary::tanh_derivative_from_output` and
//! `elementary::sigmoid_derivative_from_output`), as `PyTorch` does.
//! The integration tests check every kernel against those functions to the bit; `chain-rule`'s
//! own tests bound the `f32` forms' errors.

use std::fmt;

use chain_rule::Real;
use chain_rule::{elementary, fast};
use nalgebra::{ClosedAddAssign, ClosedMulAssign};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod private {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point type a network can be built over: `f32` or `f64`.
pub trait Scalar:
    nalgebra::Scalar
    + Copy
    + Default
    + fmt::Display
    + num_traits::Float
    + Real
    + ClosedAddAssign
    + ClosedMulAssign
    + faer::traits::ComplexField
    + Send
    + Sync
    + Serialize
    + DeserializeOwned
    + private::Sealed
{
    /// The type's name, `"f32"` or `"f64"`, as written in saved networks.
    const NAME: &'static str;

    /// The machine epsilon of the type, as `f64`.
    const EPSILON: f64;

    /// Rounds an `f64` to this type (to nearest).
    fn cast(x: f64) -> Self;

    /// Widens (or copies) a value to `f64`, exactly.
    fn widen(self) -> f64;

    /// $a_i = \tanh z_i$ for every element.
    fn tanh_slice(z: &[Self], a: &mut [Self]);

    /// $\delta_i \mathrel{*}= \tanh'(z_i)$ for every element, given $a_i = \tanh z_i$.
    fn tanh_backward(z: &[Self], a: &[Self], delta: &mut [Self]);

    /// $a_i = \sigma(z_i)$ for every element.
    fn sigmoid_slice(z: &[Self], a: &mut [Self]);

    /// $\delta_i \mathrel{*}= \sigma'(z_i)$ for every element, given $a_i = \sigma(z_i)$.
    fn sigmoid_backward(z: &[Self], a: &[Self], delta: &mut [Self]);
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";
    const EPSILON: f64 = f64::EPSILON;

    #[inline]
    fn cast(x: f64) -> Self {
        x
    }

    #[inline]
    fn widen(self) -> f64 {
        self
    }

    fn tanh_slice(z: &[Self], a: &mut [Self]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = elementary::tanh(z);
        }
    }

    fn tanh_backward(z: &[Self], _a: &[Self], delta: &mut [Self]) {
        for (d, &z) in delta.iter_mut().zip(z) {
            *d *= elementary::tanh_derivative(z);
        }
    }

    fn sigmoid_slice(z: &[Self], a: &mut [Self]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = elementary::sigmoid(z);
        }
    }

    fn sigmoid_backward(z: &[Self], _a: &[Self], delta: &mut [Self]) {
        for (d, &z) in delta.iter_mut().zip(z) {
            *d *= elementary::sigmoid_derivative(z);
        }
    }
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";
    const EPSILON: f64 = f32::EPSILON as f64;

    #[inline]
    #[allow(clippy::cast_possible_truncation)] // Rounding f64 to f32 is the point.
    fn cast(x: f64) -> Self {
        x as f32
    }

    #[inline]
    fn widen(self) -> f64 {
        f64::from(self)
    }

    fn tanh_slice(z: &[Self], a: &mut [Self]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = fast::tanh_f32(z);
        }
    }

    fn tanh_backward(_z: &[Self], a: &[Self], delta: &mut [Self]) {
        for (d, &a) in delta.iter_mut().zip(a) {
            *d *= elementary::tanh_derivative_from_output(a);
        }
    }

    fn sigmoid_slice(z: &[Self], a: &mut [Self]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = fast::sigmoid_f32(z);
        }
    }

    fn sigmoid_backward(_z: &[Self], a: &[Self], delta: &mut [Self]) {
        for (d, &a) in delta.iter_mut().zip(a) {
            *d *= elementary::sigmoid_derivative_from_output(a);
        }
    }
}

/// The constant `x` in the element type (shorthand that avoids the `from_f64` of two traits).
#[inline]
pub(crate) fn c<T: Scalar>(x: f64) -> T {
    <T as Scalar>::cast(x)
}

/// `n` zeros, or `None` if the allocator refuses $n$ values (or $n$ of them overflow
/// `isize::MAX` bytes), so absurd sizes give an error instead of aborting the process.
pub(crate) fn try_zeros<T: Scalar>(n: usize) -> Option<Vec<T>> {
    let mut values = Vec::new();
    values.try_reserve_exact(n).ok()?;
    values.resize(n, c(0.0));
    Some(values)
}
