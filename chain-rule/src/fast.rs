//! Fast `f32` forms of $\tanh$ and the sigmoid, for the element-wise loops of a network.
//!
//! [`elementary::tanh`](crate::elementary::tanh) on an `f32` calls `std`'s `f32::tanh`, a call
//! into the C library for every element, about 15 ns each: more than all the matrix products
//! of a small network together.
//! The two functions here are plain arithmetic (a clamp, multiplications, additions and one
//! division, with no call and no branch the compiler cannot turn into a select), so a loop over
//! a slice that calls them compiles to SIMD instructions, under 1 ns per element.
//! Both are `#[inline]`: they are compiled into the calling crate's loop, with its
//! optimisation level.
//!
//! [`tanh_f32`] is a rational function, odd in $x$, fitted to $\tanh$ on $[-c, c]$ with
//! $c \approx 7.905$:
//!
//! $$ \tanh x \approx x \, \frac{P(x^2)}{Q(x^2)} $$
//!
//! Plain text: `tanh(x) ~ x P(x^2) / Q(x^2)`, with `P` of degree 6 and `Q` of degree 3 (the
//! coefficients of Eigen's `generic_fast_tanh_float`).
//! Its relative error is below $4\varepsilon$, where $\varepsilon = 2^{-23}$ is `f32::EPSILON`,
//! for every `f32` input (checked exhaustively; the integration tests say how).
//! [`sigmoid_f32`] is built on it, since $\sigma(x) = \frac12 + \frac12 \tanh\frac x2$.
//!
//! Only IEEE additions, multiplications and a division are used, each rounded once (Rust never
//! fuses them into a multiply-add on its own), so the results are the same to the bit on
//! every machine and in every loop that calls these functions, vectorised or not.
//! The derivatives in terms of the output that the backward pass uses with them,
//! $1 - a^2$ and $a(1 - a)$, are
//! [`elementary::tanh_derivative_from_output`](crate::elementary::tanh_derivative_from_output) and
//! [`elementary::sigmoid_derivative_from_output`](crate::elementary::sigmoid_derivative_from_output).
//!
//! For `f64`, and to differentiate through the functions with [`Dual`](crate::Dual) or the
//! tape, use [`elementary::tanh`](crate::elementary::tanh) and
//! [`elementary::sigmoid`](crate::elementary::sigmoid): the constants here are fitted for
//! `f32` only.

/// Beyond this $|x|$ the rational form rounds to exactly $\pm 1$ in `f32`; inputs are clamped
/// to it (Eigen's constant for builds without fused multiply-add).
const CLAMP: f32 = 7.905_311;

/// Below this $|x|$, $\tanh x$ rounds to $x$ in `f32`: the first neglected term of
/// $\tanh x = x - x^3/3 + \dots$ is then a relative $x^2/3 < 2^{-24}$.
const TINY: f32 = 0.000_4;

// The rational approximation tanh(x) ~ x P(x^2) / Q(x^2) of Eigen's `generic_fast_tanh_float`
// (a minimax fit on [-7.9, 7.9]): P of degree 6 and Q of degree 3 in x^2.
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

/// $\tanh x$ for one `f32`, by a rational approximation that the compiler vectorises.
///
/// $$ \tanh x \approx \tilde x \, \frac{P(\tilde x^2)}{Q(\tilde x^2)}, \quad \tilde x = \operatorname{clamp}(x, -c, c), \quad c = 7.905311 $$
///
/// Plain text: `tanh(x) ~ xc P(xc^2) / Q(xc^2)` with `xc = clamp(x, -7.905311, 7.905311)`;
/// see the [module docs](self) for why it exists (`f32::tanh` is a library call of about
/// 15 ns per element, this is arithmetic the compiler turns into SIMD).
///
/// - Accuracy: the relative error is below $4\varepsilon$ ($\varepsilon = 2^{-23}$) for every
///   `f32`; the largest, $3.92\varepsilon$, is near $x = 5.95$.
/// - $|x| < 0.0004$ returns $x$ itself (there $\tanh x$ rounds to $x$), so $\pm 0$ keep
///   their sign and subnormal inputs are exact.
/// - $|x| \ge c$, including $\pm\infty$, returns exactly $\pm 1$; no result is ever larger
///   than 1 in magnitude, so $1 - a^2 \ge 0$.
/// - NaN returns NaN, so a diverged value stays visible.
/// - The result is odd to the bit: `tanh_f32(-x)` is `-tanh_f32(x)`.
///
/// Its derivative, in terms of the result $a$, is
/// [`tanh_derivative_from_output`](crate::elementary::tanh_derivative_from_output), $1 - a^2$.
///
/// ```
/// use chain_rule::fast::tanh_f32;
///
/// // Against f64's tanh of the same input, in units of f32's epsilon.
/// let exact = 0.5_f64.tanh();
/// assert!((f64::from(tanh_f32(0.5)) - exact).abs() <= 4.0 * f64::from(f32::EPSILON) * exact);
/// assert_eq!(tanh_f32(1e-5), 1e-5);
/// assert_eq!(tanh_f32(f32::INFINITY), 1.0);
/// assert!(tanh_f32(f32::NAN).is_nan());
/// ```
#[inline]
pub fn tanh_f32(x: f32) -> f32 {
    // `clamp` keeps NaN (where `min`/`max` would turn it into the bound), so a diverged value
    // stays visible.
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

/// The logistic sigmoid $\sigma(x) = \frac{1}{1 + e^{-x}}$ for one `f32`, through
/// [`tanh_f32`], so that it vectorises too.
///
/// $$ \sigma(x) = \frac12 + \frac12 \tanh\frac x2 $$
///
/// Plain text: `sigmoid(x) = 1/2 + tanh(x/2) / 2`, from
/// $\tanh\frac x2 = \frac{1 - e^{-x}}{1 + e^{-x}} = 2\sigma(x) - 1$.
///
/// - Accuracy: the absolute error is below $4.5 \varepsilon \max(\sigma(x), \frac12)$: the
///   error of [`tanh_f32`], halved, plus the rounding of the sum (measured: $3.92\varepsilon$
///   in those units).
///   This is an absolute error of a few $10^{-7}$, not a relative one: where $\sigma(x)$ is
///   small the sum $\frac12 - \frac12|\tanh|$ cancels, and from $x \le -2c \approx -15.8$ the
///   result is exactly 0 (the true value is below $1.4 \times 10^{-7}$).
///   Use [`elementary::sigmoid`](crate::elementary::sigmoid) where the tail matters, as in a
///   log-likelihood.
/// - $x \ge 2c \approx 15.8$ returns exactly 1, and every result lies in $[0, 1]$.
/// - NaN returns NaN.
///
/// Its derivative, in terms of the result $a$, is
/// [`sigmoid_derivative_from_output`](crate::elementary::sigmoid_derivative_from_output),
/// $a(1 - a)$.
///
/// ```
/// use chain_rule::fast::sigmoid_f32;
///
/// assert_eq!(sigmoid_f32(0.0), 0.5);
/// let exact = 1.0 / (1.0 + (-2.0_f64).exp());
/// assert!((f64::from(sigmoid_f32(2.0)) - exact).abs() <= 4.5 * f64::from(f32::EPSILON) * exact);
/// assert_eq!(sigmoid_f32(-20.0), 0.0);
/// ```
#[inline]
pub fn sigmoid_f32(x: f32) -> f32 {
    0.5 + 0.5 * tanh_f32(0.5 * x)
}
