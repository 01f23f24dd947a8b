//! Forward mode: dual numbers carry a value and its derivative through every operation.
//!
//! A dual number is $a + b\varepsilon$ with $\varepsilon^2 = 0$.
//! Feeding $x + 1\varepsilon$ to a function built from the operations below gives
//!
//! $$ f(x + \varepsilon) = f(x) + f'(x)\,\varepsilon $$
//!
//! Plain text: `f(x + eps) = f(x) + f'(x) eps`: the value and the derivative come out together,
//! exact to rounding, in one pass.
//! Every operation applies the chain rule locally: if $u = a + \dot a\varepsilon$ then
//! $g(u) = g(a) + g'(a)\,\dot a\,\varepsilon$.
//!
//! Nesting gives second derivatives: with `Dual<Dual<f64>>` and two independent
//! infinitesimals, $f(x + \varepsilon_1 + \varepsilon_2) = f + f'\,(\varepsilon_1 + \varepsilon_2) + f''\,\varepsilon_1\varepsilon_2$,
//! so the $\varepsilon_1\varepsilon_2$ coefficient is $f''(x)$ (see [`second_derivative`]).

use std::fmt;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::Real;

/// A dual number $a + b\varepsilon$ with $\varepsilon^2 = 0$: a value and its derivative.
///
/// `value` is $a$, the primal value; `derivative` is $b$, the derivative of the value with
/// respect to whatever input was seeded with derivative 1 (see [`Dual::variable`]).
/// The arithmetic rules are the sum, product and quotient rules:
///
/// $$ (a + b\varepsilon)(c + d\varepsilon) = ac + (ad + bc)\varepsilon, \qquad \frac{a + b\varepsilon}{c + d\varepsilon} = \frac{a}{c} + \frac{bc - ad}{c^2}\varepsilon $$
///
/// Plain text: `(a + b eps)(c + d eps) = ac + (ad + bc) eps`,
/// `(a + b eps)/(c + d eps) = a/c + (bc - ad)/c^2 eps`.
///
/// Equality and ordering compare `value` only, like the trait [`Real`] asks, so that
/// `if x > 0` branches the same way on floats and on duals.
///
/// # Example
///
/// ```
/// use chain_rule::{Dual, Real};
///
/// // y = (3x + 1)^2, dy/dx = 6(3x + 1) = 42 at x = 2.
/// let x = Dual::variable(2.0);
/// let y = (Dual::from_f64(3.0) * x + Dual::one()).powi(2);
/// assert!((y.value - 49.0).abs() < 1e-12);
/// assert!((y.derivative - 42.0).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Dual<T> {
    /// The primal value $a$.
    pub value: T,
    /// The derivative part $b$, the coefficient of $\varepsilon$.
    pub derivative: T,
}

impl<T: Real> Dual<T> {
    /// The dual number `value + derivative ε`.
    #[inline]
    pub fn new(value: T, derivative: T) -> Self {
        Self { value, derivative }
    }

    /// The input we differentiate with respect to: $x + 1\varepsilon$, since $dx/dx = 1$.
    #[inline]
    pub fn variable(x: T) -> Self {
        Self::new(x, T::one())
    }

    /// A constant: $c + 0\varepsilon$, since $dc/dx = 0$.
    #[inline]
    pub fn constant(c: T) -> Self {
        Self::new(c, T::zero())
    }

    /// Apply an elementary function $g$ with known derivative: $g(a) + g'(a)\,b\,\varepsilon$.
    ///
    /// This one line is the chain rule; every method of [`Real`] below is an instance of it.
    #[inline]
    #[must_use]
    pub fn chain(self, g_of_value: T, g_prime_of_value: T) -> Self {
        Self::new(g_of_value, g_prime_of_value * self.derivative)
    }
}

/// The derivative $f'(x)$ by forward mode: evaluate `f` at $x + 1\varepsilon$ and read the
/// $\varepsilon$ part.
///
/// # Example
///
/// ```
/// use chain_rule::dual::derivative;
/// use chain_rule::Real;
///
/// // d/dx sin(x^2) = 2x cos(x^2).
/// let x = 0.7_f64;
/// let d = derivative(|x| x.powi(2).sin(), x);
/// assert!((d - 2.0 * x * (x * x).cos()).abs() < 1e-15);
/// ```
pub fn derivative(f: impl FnOnce(Dual<f64>) -> Dual<f64>, x: f64) -> f64 {
    f(Dual::variable(x)).derivative
}

/// The second derivative $f''(x)$ by nested forward mode.
///
/// The input is $x + \varepsilon_1 + \varepsilon_2$ written as
/// `Dual { value: Dual { x, 1 }, derivative: Dual { 1, 0 } }`; the result's
/// $\varepsilon_1\varepsilon_2$ coefficient, `derivative.derivative`, is $f''(x)$ because
///
/// $$ f(x + \varepsilon_1 + \varepsilon_2) = f(x) + f'(x)(\varepsilon_1 + \varepsilon_2) + f''(x)\,\varepsilon_1 \varepsilon_2 $$
///
/// Plain text: `f(x + e1 + e2) = f(x) + f'(x)(e1 + e2) + f''(x) e1 e2` (using `e1^2 = e2^2 = 0`).
///
/// # Example
///
/// ```
/// use chain_rule::dual::second_derivative;
/// use chain_rule::Real;
///
/// // d²/dx² x^3 = 6x.
/// let d2 = second_derivative(|x| x.powi(3), 2.0);
/// assert!((d2 - 12.0).abs() < 1e-12);
/// ```
pub fn second_derivative(f: impl FnOnce(Dual<Dual<f64>>) -> Dual<Dual<f64>>, x: f64) -> f64 {
    let seeded = Dual::new(Dual::variable(x), Dual::constant(1.0));
    f(seeded).derivative.derivative
}

impl<T: fmt::Display> fmt::Display for Dual<T> {
    /// Writes `a + bε`, passing any precision on to both parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)?;
        f.write_str(" + ")?;
        fmt::Display::fmt(&self.derivative, f)?;
        f.write_str("ε")
    }
}

impl<T: PartialEq> PartialEq for Dual<T> {
    /// Compares primal values only (see the type's doc).
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: PartialOrd> PartialOrd for Dual<T> {
    /// Orders by primal value only (see the type's doc).
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Real> Add for Dual<T> {
    type Output = Self;
    /// Sum rule: $(a + b\varepsilon) + (c + d\varepsilon) = (a + c) + (b + d)\varepsilon$.
    #[inline]
    fn add(self, rhs: Self) -> Self {
        Self::new(self.value + rhs.value, self.derivative + rhs.derivative)
    }
}

impl<T: Real> Sub for Dual<T> {
    type Output = Self;
    /// $(a + b\varepsilon) - (c + d\varepsilon) = (a - c) + (b - d)\varepsilon$.
    #[inline]
    fn sub(self, rhs: Self) -> Self {
        Self::new(self.value - rhs.value, self.derivative - rhs.derivative)
    }
}

impl<T: Real> Mul for Dual<T> {
    type Output = Self;
    /// Product rule: $(a + b\varepsilon)(c + d\varepsilon) = ac + (ad + bc)\varepsilon$.
    #[inline]
    fn mul(self, rhs: Self) -> Self {
        Self::new(
            self.value * rhs.value,
            self.value * rhs.derivative + self.derivative * rhs.value,
        )
    }
}

impl<T: Real> Div for Dual<T> {
    type Output = Self;
    /// Quotient rule: $\frac{a + b\varepsilon}{c + d\varepsilon} = \frac{a}{c} + \frac{bc - ad}{c^2}\varepsilon$.
    #[inline]
    fn div(self, rhs: Self) -> Self {
        let quotient = self.value / rhs.value;
        // (b c - a d) / c^2 written as (b - (a/c) d) / c: one division fewer, same value.
        Self::new(
            quotient,
            (self.derivative - quotient * rhs.derivative) / rhs.value,
        )
    }
}

impl<T: Real> Neg for Dual<T> {
    type Output = Self;
    /// $-(a + b\varepsilon) = -a - b\varepsilon$.
    #[inline]
    fn neg(self) -> Self {
        Self::new(-self.value, -self.derivative)
    }
}

impl<T: Real> AddAssign for Dual<T> {
    #[inline]
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

impl<T: Real> SubAssign for Dual<T> {
    #[inline]
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}

impl<T: Real> MulAssign for Dual<T> {
    #[inline]
    fn mul_assign(&mut self, rhs: Self) {
        *self = *self * rhs;
    }
}

impl<T: Real> DivAssign for Dual<T> {
    #[inline]
    fn div_assign(&mut self, rhs: Self) {
        *self = *self / rhs;
    }
}

impl<T: Real> Real for Dual<T> {
    #[inline]
    fn from_f64(x: f64) -> Self {
        Self::constant(T::from_f64(x))
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self.value.to_f64()
    }
    #[inline]
    fn exp(self) -> Self {
        let e = self.value.exp();
        self.chain(e, e)
    }
    #[inline]
    fn ln(self) -> Self {
        self.chain(self.value.ln(), T::one() / self.value)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        self.chain(self.value.ln_1p(), T::one() / (T::one() + self.value))
    }
    #[inline]
    fn sin(self) -> Self {
        self.chain(self.value.sin(), self.value.cos())
    }
    #[inline]
    fn cos(self) -> Self {
        self.chain(self.value.cos(), -self.value.sin())
    }
    #[inline]
    fn tanh(self) -> Self {
        // sech²(x) = 1 - tanh²(x), computed accurately in the tails.
        self.chain(
            self.value.tanh(),
            crate::elementary::tanh_derivative(self.value),
        )
    }
    #[inline]
    fn sqrt(self) -> Self {
        let s = self.value.sqrt();
        self.chain(s, T::one() / (T::from_f64(2.0) * s))
    }
    #[inline]
    fn abs(self) -> Self {
        let sign = if self.value > T::zero() {
            T::one()
        } else if self.value < T::zero() {
            -T::one()
        } else {
            T::zero()
        };
        self.chain(self.value.abs(), sign)
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        let slope = match n {
            0 => T::zero(),
            _ => T::from_f64(f64::from(n)) * power_minus_one(self.value, n),
        };
        self.chain(self.value.powi(n), slope)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        let power = self.value.powf(p.value);
        // d(x^p) = p x^(p-1) dx + x^p ln(x) dp; the second term only where x > 0.
        let mut derivative = p.value * self.value.powf(p.value - T::one()) * self.derivative;
        if self.value > T::zero() {
            derivative += power * self.value.ln() * p.derivative;
        }
        Self::new(power, derivative)
    }
}

/// $x^{n-1}$ without overflowing `n - 1` at `i32::MIN`.
#[inline]
pub(crate) fn power_minus_one<T: Real>(x: T, n: i32) -> T {
    match n.checked_sub(1) {
        Some(m) => x.powi(m),
        None => x.powf(T::from_f64(f64::from(n) - 1.0)),
    }
}
