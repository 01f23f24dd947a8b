//! Shared test machinery: one trait for "a function written over any `Real`", the three
//! automatic ways to differentiate it, and the central-difference tolerance derived from
//! Taylor's theorem.

use chain_rule::composition::Chain;
use chain_rule::elementary::Elementary;
use chain_rule::finite_difference::Scheme;
use chain_rule::{Dual, Error, Real, Tape};

/// Machine epsilon of `f64`, the relative rounding error of one correctly rounded operation.
pub const EPS: f64 = f64::EPSILON;

/// How far the third derivative may grow across `[x - h, x + h]` compared with its value at
/// `x`. With `h` about `6e-6 · max(|x|, 1)` and every test input at least `0.05` from a
/// singularity or kink, `f'''` changes by far less than a factor of 2 over the interval; 4
/// leaves room for the `O(h^4)` term too.
pub const TRUNCATION_SAFETY: f64 = 4.0;

/// Something that can be evaluated on any [`Real`]: an elementary function, a chain, an
/// expression tree.
pub trait Function {
    fn eval<T: Real>(&self, x: T) -> Result<T, Error>;
}

impl Function for Elementary {
    fn eval<T: Real>(&self, x: T) -> Result<T, Error> {
        Elementary::eval(*self, x)
    }
}

impl Function for Chain {
    fn eval<T: Real>(&self, x: T) -> Result<T, Error> {
        Chain::eval(self, x)
    }
}

/// `f'(x)` by forward mode.
pub fn dual_derivative(f: &impl Function, x: f64) -> Result<f64, Error> {
    Ok(f.eval(Dual::variable(x))?.derivative)
}

/// `f'(x)` by reverse mode.
pub fn tape_derivative(f: &impl Function, x: f64) -> Result<f64, Error> {
    let tape = Tape::new();
    let x_var = tape.var(x);
    Ok(f.eval(x_var)?.backward().wrt(x_var))
}

/// `f''(x)` by two nested duals: the input is `x + e1 + e2`.
pub fn second_derivative(f: &impl Function, x: f64) -> Result<f64, Error> {
    Ok(f.eval(Dual::variable(Dual::variable(x)))?
        .derivative
        .derivative)
}

/// `f'''(x)` by three nested duals: the input is `x + e1 + e2 + e3`, and the coefficient of
/// `e1 e2 e3` in `f(x + e1 + e2 + e3)` is `f'''(x)` (from `(e1 + e2 + e3)^3 / 3! = e1 e2 e3`).
pub fn third_derivative(f: &impl Function, x: f64) -> Result<f64, Error> {
    Ok(f.eval(Dual::variable(Dual::variable(Dual::variable(x))))?
        .derivative
        .derivative
        .derivative)
}

/// `f''''(x)` by four nested duals.
pub fn fourth_derivative(f: &impl Function, x: f64) -> Result<f64, Error> {
    Ok(f.eval(Dual::variable(Dual::variable(Dual::variable(
        Dual::variable(x),
    ))))?
    .derivative
    .derivative
    .derivative
    .derivative)
}

/// The central difference of `f` at `x` with the rule-of-thumb step, and the step.
pub fn central(f: &impl Function, x: f64) -> Result<(f64, f64), Error> {
    let h = Scheme::Central.step(x);
    let estimate = chain_rule::finite_difference::central(|t| f.eval(t).unwrap_or(f64::NAN), x, h)?;
    Ok((estimate, h))
}

/// The largest error a central difference with step `h` at `x` can make, from Taylor's theorem
/// and a rounding-error count:
///
/// `|D(h) - f'(x)| <= h^2/6 |f'''(xi)| + E/h + eps |x| |f'| / h + 2 eps |f'|`,
///
/// - `h^2/6 |f'''(xi)|`: the truncation error, `xi` somewhere in `[x - h, x + h]`, bounded by
///   `TRUNCATION_SAFETY` times `|f'''(x)|`;
/// - `E/h`: `E` bounds the rounding error of each computed value `f(x ± h)`, so the difference
///   of the two is off by at most `2E`, then divided by `2h`;
/// - `eps |x| |f'| / h`: `x + h` is exact by construction of the step, but `x - h` may round
///   by up to `eps |x| / 2`, which moves `f(x - h)` by `|f'|` times that; doubled for margin;
/// - `2 eps |f'|`: the final subtraction and division.
pub fn central_tolerance(third: f64, value_error: f64, h: f64, x: f64, derivative: f64) -> f64 {
    TRUNCATION_SAFETY * h * h / 6.0 * third.abs()
        + value_error / h
        + EPS * x.abs() * derivative.abs() / h
        + 2.0 * EPS * derivative.abs()
}

/// Rounding error of one computed elementary value near `x` (absolute).
///
/// The library functions (`exp`, `ln`, `sin`, `powf`, ...) are within 1 ulp of the result;
/// the composite ones (sigmoid: exp, add, divide; softplus: exp, `ln_1p`, add; `powi` by
/// repeated squaring for `|n| <= 4`) add at most 3 more correctly rounded operations on
/// positive numbers, so `4 eps |f|` covers them.
/// The affine map is the exception: `a x + b` can cancel, so its error is measured against the
/// terms, `eps (|a x| + |a x + b|) <= eps (2 |a x| + |b|)`.
pub fn value_error(f: Elementary, x: f64) -> f64 {
    match f {
        Elementary::Affine { a, b } => EPS * (2.0 * (a * x).abs() + b.abs()),
        _ => 4.0 * EPS * f.eval(x).map_or(f64::INFINITY, f64::abs),
    }
}
