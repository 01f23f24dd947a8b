//! Reading a gradient: its magnitude, its direction, and the slope along any direction.
//!
//! Moving from $x$ a small distance $t$ along a unit vector $u$ changes $f$ by
//!
//! $$ f(x + t u) = f(x) + t\,\nabla f(x) \cdot u + O(t^2) $$
//!
//! Plain text: `f(x + t u) = f(x) + t dot(grad f(x), u) + O(t^2)`.
//! The slope $\nabla f \cdot u$ is the *directional derivative*.
//! By the Cauchy–Schwarz inequality $\nabla f \cdot u \le |\nabla f|\,|u| = |\nabla f|$, with
//! equality exactly for $u = \nabla f / |\nabla f|$: the gradient points uphill, steepest, and
//! its length $|\nabla f|$ is the rate of increase along that direction.

use chain_rule::Dual;

use crate::error::{Argument, Error, check_finite_slice};
use crate::function::{ScalarFunction, check_point};
use crate::modes::check_value;

/// The Euclidean length $|v| = \sqrt{\sum_i v_i^2}$.
///
/// The plain sum of squares when it is a normal number; otherwise (entries beyond about
/// $1.3 \cdot 10^{154}$, whose squares overflow, or below about $10^{-154}$, whose squares
/// underflow) the length of $v / m$ times $m$, with $m = \max_i |v_i|$, as `hypot` does, so a
/// long or short vector of finite entries still gets its finite, nonzero length.
/// NaN if an entry is NaN, infinite if one is infinite.
///
/// # Example
///
/// ```
/// // |(10, 6)| = sqrt(100 + 36) = sqrt(136) ≈ 11.66.
/// let m = gradient::magnitude(&[10.0, 6.0]);
/// assert!((m - 136.0_f64.sqrt()).abs() < 1e-14);
/// ```
pub fn magnitude(v: &[f64]) -> f64 {
    magnitude_of(v.iter().copied())
}

/// [`magnitude`] of any sequence of values that can be walked more than once (`mlp` measures
/// each layer of an `f32` gradient widened on the fly, without a copy).
///
/// The first pass, the plain sum of squares, is the only one a normal vector pays for; the
/// rescaled second and third passes run only when that sum overflows or underflows.
pub fn magnitude_of(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let squares: f64 = values.clone().map(|v| v * v).sum();
    if squares.is_finite() && squares >= f64::MIN_POSITIVE {
        return squares.sqrt();
    }
    let mut largest = 0.0_f64;
    for v in values.clone() {
        if v.is_nan() {
            return f64::NAN;
        }
        largest = largest.max(v.abs());
    }
    if largest.is_infinite() || largest == 0.0 {
        return largest;
    }
    let scaled: f64 = values.map(|v| (v / largest) * (v / largest)).sum();
    largest * scaled.sqrt()
}

/// The unit vector $v / |v|$ pointing the same way as `v`.
///
/// Applied to a gradient, it is the direction of steepest ascent.
///
/// # Errors
///
/// [`Error::NonFinite`] naming [`Argument::Direction`] and the index of a NaN or infinite
/// entry, [`Error::ZeroDirection`] if `v` is the zero vector (or empty).
///
/// # Example
///
/// ```
/// let u = gradient::unit_direction(&[3.0, 4.0])?;
/// assert!((u[0] - 0.6).abs() < 1e-15 && (u[1] - 0.8).abs() < 1e-15);
/// assert!(gradient::unit_direction(&[0.0, 0.0]).is_err());
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn unit_direction(v: &[f64]) -> Result<Vec<f64>, Error> {
    check_finite_slice(Argument::Direction, v, v.len())?;
    let length = magnitude(v);
    if length == 0.0 {
        return Err(Error::ZeroDirection {
            argument: Argument::Direction,
        });
    }
    Ok(v.iter().map(|v_i| v_i / length).collect())
}

/// The directional derivative $\nabla f(x) \cdot u$ along the unit vector
/// $u = $ `direction` $/ |$`direction`$|$, in one forward-mode pass.
///
/// The direction is normalised first, so the result is a slope per unit distance whatever
/// the length of `direction`.
/// One dual pass suffices: seeding every coordinate $x_i$ with derivative $u_i$ evaluates
/// $f(x + \varepsilon u) = f(x) + (\nabla f \cdot u)\,\varepsilon$.
///
/// # Errors
///
/// As for [`ScalarFunction::value`] for `x`; for `direction`, [`Error::LengthMismatch`] and
/// [`Error::NonFinite`] naming [`Argument::Direction`], and [`Error::ZeroDirection`];
/// [`Error::NonFiniteValue`] if $f(x)$ is not finite.
///
/// # Example
///
/// ```
/// use gradient::article::{ArticleFunction, POINT};
///
/// // Along the x axis the slope is ∂f/∂x = 10; along (1, 1)/√2 it is (10 + 6)/√2.
/// let along_x = gradient::directional_derivative(&ArticleFunction, &POINT, &[1.0, 0.0])?;
/// let diagonal = gradient::directional_derivative(&ArticleFunction, &POINT, &[1.0, 1.0])?;
/// assert!((along_x - 10.0).abs() < 1e-12);
/// assert!((diagonal - 16.0 / 2.0_f64.sqrt()).abs() < 1e-12);
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn directional_derivative<F: ScalarFunction + ?Sized>(
    f: &F,
    x: &[f64],
    direction: &[f64],
) -> Result<f64, Error> {
    check_point(f.dimension(), x)?;
    check_finite_slice(Argument::Direction, direction, x.len())?;
    let u = unit_direction(direction)?;
    let duals: Vec<Dual<f64>> = x
        .iter()
        .zip(&u)
        .map(|(&x_i, &u_i)| Dual::new(x_i, u_i))
        .collect();
    let y = f.eval(&duals);
    check_value(y.value)?;
    Ok(y.derivative)
}
