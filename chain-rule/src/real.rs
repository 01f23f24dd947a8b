//! The scalar trait every generic function in the course is written over.
//!
//! A function written once as `fn f<T: Real>(x: T) -> T` runs on plain floats (`f32`, `f64`),
//! on dual numbers ([`Dual`](crate::Dual), forward mode) and on tape variables
//! ([`Var`](crate::Var), reverse mode).
//! The same source line then gives a value, a derivative by forward mode, and a derivative by
//! reverse mode, which is how the course checks one against the other.

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A real scalar: a float, a dual number or a tape variable.
///
/// Comparisons (`PartialOrd`) look at the primal value only, so branches such as
/// `if x > T::zero()` choose the same side for `f64`, `Dual<f64>` and `Var`.
///
/// Each method is an elementary operation whose derivative the differentiating types know.
/// For a differentiating type carrying $x$ and $\dot x = dx/dt$, the methods propagate
///
/// $$ \dot{(e^x)} = e^x \dot x, \quad \dot{(\ln x)} = \dot x / x, \quad \dot{(\sin x)} = \cos(x)\,\dot x, \quad \dot{(\cos x)} = -\sin(x)\,\dot x $$
///
/// Plain text: `d exp(x) = exp(x) dx`, `d ln(x) = dx / x`, `d sin(x) = cos(x) dx`, `d cos(x) = -sin(x) dx`.
///
/// $$ \dot{(\tanh x)} = (1 - \tanh^2 x)\,\dot x, \quad \dot{(\sqrt x)} = \frac{\dot x}{2\sqrt x}, \quad \dot{(x^n)} = n x^{n-1} \dot x $$
///
/// Plain text: `d tanh(x) = (1 - tanh(x)^2) dx`, `d sqrt(x) = dx / (2 sqrt(x))`, `d x^n = n x^(n-1) dx`.
///
/// $$ \dot{(x^p)} = p x^{p-1} \dot x + x^p \ln(x)\, \dot p, \quad \dot{|x|} = \operatorname{sign}(x)\,\dot x, \quad \dot{(\ln(1 + x))} = \frac{\dot x}{1 + x} $$
///
/// Plain text: `d x^p = p x^(p-1) dx + x^p ln(x) dp`, `d |x| = sign(x) dx` (with `sign(0) = 0`,
/// as in `PyTorch`), `d ln(1 + x) = dx / (1 + x)`.
///
/// # Example
///
/// ```
/// use chain_rule::{Dual, Real};
///
/// // Written once, run on f64 and on a dual number.
/// fn f<T: Real>(x: T) -> T {
///     x.sin() * x.exp()
/// }
/// let x = 0.5_f64;
/// let y = f(Dual::variable(x));
/// assert!((y.value - f(x)).abs() < 1e-15);
/// // d/dx sin(x) e^x = (cos x + sin x) e^x
/// assert!((y.derivative - (x.cos() + x.sin()) * x.exp()).abs() < 1e-15);
/// ```
pub trait Real:
    Copy
    + Debug
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// A constant with value `x`: its derivative is zero, and a tape [`Var`](crate::Var)
    /// made this way needs no tape.
    fn from_f64(x: f64) -> Self;
    /// The primal value as an `f64` (the value of a dual or a tape variable, not its
    /// derivative).
    fn to_f64(self) -> f64;
    /// $e^x$.
    #[must_use]
    fn exp(self) -> Self;
    /// The natural logarithm $\ln x$ (NaN for $x < 0$; use
    /// `chain_rule::elementary::ln` for a checked version).
    #[must_use]
    fn ln(self) -> Self;
    /// $\ln(1 + x)$, accurate for tiny $x$ (where `(1 + x).ln()` would round $1 + x$ to 1).
    #[must_use]
    fn ln_1p(self) -> Self;
    /// $\sin x$.
    #[must_use]
    fn sin(self) -> Self;
    /// $\cos x$.
    #[must_use]
    fn cos(self) -> Self;
    /// $\tanh x$.
    #[must_use]
    fn tanh(self) -> Self;
    /// $\sqrt x$.
    #[must_use]
    fn sqrt(self) -> Self;
    /// $|x|$; differentiating types use $\operatorname{sign}(0) = 0$ as the slope at the kink.
    #[must_use]
    fn abs(self) -> Self;
    /// $x^n$ for an integer exponent `n`.
    #[must_use]
    fn powi(self, n: i32) -> Self;
    /// $x^p$ for a real exponent `p`, which may itself carry a derivative.
    ///
    /// The term $x^p \ln(x)\,\dot p$ is only added for $x > 0$: for $x \le 0$ a real power is
    /// defined only at integer exponents, where the exponent cannot vary.
    /// For $x = 0$, $p > 0$ that term is 0, so nothing is lost there.
    #[must_use]
    fn powf(self, p: Self) -> Self;
    /// The constant 0.
    #[inline]
    fn zero() -> Self {
        Self::from_f64(0.0)
    }
    /// The constant 1.
    #[inline]
    fn one() -> Self {
        Self::from_f64(1.0)
    }
}

impl Real for f64 {
    #[inline]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline]
    fn exp(self) -> Self {
        f64::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        f64::ln(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        f64::ln_1p(self)
    }
    #[inline]
    fn sin(self) -> Self {
        f64::sin(self)
    }
    #[inline]
    fn cos(self) -> Self {
        f64::cos(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    #[inline]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        f64::powf(self, p)
    }
    #[inline]
    fn zero() -> Self {
        0.0
    }
    #[inline]
    fn one() -> Self {
        1.0
    }
}

impl Real for f32 {
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // Rounding a constant to f32 is the point.
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline]
    fn exp(self) -> Self {
        f32::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        f32::ln(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        f32::ln_1p(self)
    }
    #[inline]
    fn sin(self) -> Self {
        f32::sin(self)
    }
    #[inline]
    fn cos(self) -> Self {
        f32::cos(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        f32::tanh(self)
    }
    #[inline]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    #[inline]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        f32::powi(self, n)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        f32::powf(self, p)
    }
    #[inline]
    fn zero() -> Self {
        0.0
    }
    #[inline]
    fn one() -> Self {
        1.0
    }
}
