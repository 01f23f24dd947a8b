//! Three ways to compute the gradient $\nabla f(x) = (\partial f/\partial x_1, \dots, \partial f/\partial x_n)$.
//!
//! Each partial derivative $\partial f / \partial x_i$ is an ordinary derivative: freeze every
//! coordinate but $x_i$ and differentiate the one-variable function that is left.
//!
//! - **Forward mode** ([`forward_gradient`]) does exactly that with dual numbers: seed
//!   coordinate $i$ with derivative 1 and the others with 0, evaluate once, read
//!   $\partial f/\partial x_i$. One pass per coordinate: $n$ passes in all.
//! - **Reverse mode** ([`reverse_gradient`]) records one evaluation on a tape and walks it
//!   backwards once, collecting every $\partial f/\partial x_i$ on the way: one forward pass and
//!   one backward pass, whatever $n$ is. This is backpropagation.
//! - **Central differences** ([`central_gradient`]) need only values of $f$:
//!   $\partial f/\partial x_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h$, two evaluations
//!   per coordinate, accurate to about $10^{-10}$ relative in `f64` rather than to rounding.
//!
//! The cost ratio $\text{cost}(\nabla f) / \text{cost}(f)$ is therefore about $n$ for forward
//! mode, $2n$ for differences, and a small constant for reverse mode (the *cheap gradient
//! principle*); the chapter's benchmark measures it on Rosenbrock's function.

use chain_rule::{Dual, Tape};

use crate::error::{Error, Probe, check_step};
use crate::function::{ScalarFunction, check_point};
use crate::numeric;

/// The gradient by forward mode: $n$ passes of `f` over dual numbers.
///
/// Pass $i$ evaluates $f$ at $x + \varepsilon e_i$, that is with coordinate $i$ seeded with
/// derivative 1 and every other coordinate with 0, and reads
///
/// $$ f(x + \varepsilon e_i) = f(x) + \frac{\partial f}{\partial x_i}(x)\,\varepsilon $$
///
/// Plain text: `f(x + eps e_i) = f(x) + df/dx_i(x) eps`. Exact to rounding.
///
/// # Errors
///
/// As for [`ScalarFunction::value`], and [`Error::NonFiniteValue`] if $f(x)$ is not finite.
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// let g = gradient::forward_gradient(&ArticleFunction, &POINT)?;
/// assert!((g[0] - 10.0).abs() < 1e-12 && (g[1] - 6.0).abs() < 1e-12);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn forward_gradient<F: ScalarFunction + ?Sized>(f: &F, x: &[f64]) -> Result<Vec<f64>, Error> {
    check_point(f.dimension(), x)?;
    let mut duals: Vec<Dual<f64>> = x.iter().map(|&x_i| Dual::constant(x_i)).collect();
    let mut grad = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        duals[i].derivative = 1.0;
        let y = f.eval(&duals);
        duals[i].derivative = 0.0;
        check_value(y.value)?;
        grad.push(y.derivative);
    }
    Ok(grad)
}

/// The gradient by reverse mode: one recorded pass of `f` on a tape, one backward sweep.
///
/// The backward sweep starts from $\bar y = \partial y/\partial y = 1$ and visits the
/// recorded operations from last to first; an operation $v = g(u_1, u_2)$ passes
/// $\bar u_k \mathrel{+}= \bar v \, \partial g/\partial u_k$ to its inputs, so that at the end
/// $\bar x_i = \partial f / \partial x_i$ for every $i$ at once.
///
/// # Errors
///
/// As for [`forward_gradient`].
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// let g = gradient::reverse_gradient(&ArticleFunction, &POINT)?;
/// assert!((g[0] - 10.0).abs() < 1e-12 && (g[1] - 6.0).abs() < 1e-12);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn reverse_gradient<F: ScalarFunction + ?Sized>(f: &F, x: &[f64]) -> Result<Vec<f64>, Error> {
    check_point(f.dimension(), x)?;
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f.eval(&vars);
    check_value(y.value())?;
    Ok(y.backward().wrt_all(&vars))
}

/// The gradient by central differences (from `chain_rule::finite_difference::central`) with
/// the step rule $h_i = \varepsilon^{1/3}\max(1, |x_i|)$, rounded so that $x_i + h_i$ is exact:
///
/// $$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + h_i e_i) - f(x - h_i e_i)}{2 h_i} $$
///
/// Plain text: `df/dx_i ~ (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i)`.
/// The truncation error is $h_i^2 f'''/6$ and the round-off about $\varepsilon |f| / h_i$;
/// this $h_i$ balances them, for a relative accuracy near $\varepsilon^{2/3} \approx 4 \times 10^{-11}$
/// on well-scaled functions.
///
/// # Errors
///
/// As for [`forward_gradient`], and [`Error::NonFiniteValue`] if $f$ is not finite at a
/// probed point.
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// let g = gradient::central_gradient(&ArticleFunction, &POINT)?;
/// assert!((g[0] - 10.0).abs() < 1e-8 && (g[1] - 6.0).abs() < 1e-8);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn central_gradient<F: ScalarFunction + ?Sized>(f: &F, x: &[f64]) -> Result<Vec<f64>, Error> {
    central_gradient_by(f, x, numeric::step)
}

/// The gradient by central differences with the same step `h` for every coordinate.
///
/// # Errors
///
/// [`Error::InvalidStep`] unless `h` is finite and positive; otherwise as for
/// [`central_gradient`], and [`Error::StepVanishes`] if $x_i + h$ rounds to $x_i$.
pub fn central_gradient_with_step<F: ScalarFunction + ?Sized>(
    f: &F,
    x: &[f64],
    h: f64,
) -> Result<Vec<f64>, Error> {
    check_step(h)?;
    central_gradient_by(f, x, |_| h)
}

/// Central differences with the step `step(x_i)` for coordinate `i`.
fn central_gradient_by<F: ScalarFunction + ?Sized>(
    f: &F,
    x: &[f64],
    step: impl Fn(f64) -> f64,
) -> Result<Vec<f64>, Error> {
    check_point(f.dimension(), x)?;
    let mut probe = x.to_vec();
    let mut grad = Vec::with_capacity(x.len());
    for (i, &x_i) in x.iter().enumerate() {
        let along = |t: f64| {
            probe[i] = t;
            f.eval(&probe)
        };
        grad.push(numeric::central(
            along,
            x_i,
            step(x_i),
            Probe::Coordinate(i),
        )?);
        probe[i] = x_i;
    }
    Ok(grad)
}

/// Refuses a non-finite $f(x)$: its derivatives would be meaningless numbers.
pub(crate) fn check_value(value: f64) -> Result<(), Error> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFiniteValue {
            probe: Probe::Point,
            value,
        })
    }
}
