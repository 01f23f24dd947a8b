//! Functions of many variables, written once and run on floats, duals and the tape.
//!
//! A function $f: \mathbb{R}^n \to \mathbb{R}$ is a type implementing [`ScalarFunction`]: its
//! [`eval`](ScalarFunction::eval) is generic over the scalar type `T: Real`, so the very same
//! source runs on
//!
//! - `f64`: plain values, and central differences;
//! - `Dual<f64>`: forward mode, one pass per coordinate;
//! - `Var<'t>`: reverse mode, one pass for the whole gradient;
//! - `Dual<Dual<f64>>`: second derivatives, for Hessians.
//!
//! A closure cannot be generic over `T`, which is why functions are types.
//! [`VectorFunction`] is the same idea for $f: \mathbb{R}^n \to \mathbb{R}^m$ (Jacobians).

use chain_rule::Real;

use crate::error::{Argument, Error, check_finite_slice};

/// A function $f: \mathbb{R}^n \to \mathbb{R}$ of a fixed number of variables $n$.
///
/// # Example
///
/// ```
/// use chain_rule::Real;
/// use gradient::ScalarFunction;
///
/// /// f(x, y) = x² y + sin(y).
/// struct Bump;
///
/// impl ScalarFunction for Bump {
///     fn dimension(&self) -> usize {
///         2
///     }
///     fn eval<T: Real>(&self, x: &[T]) -> T {
///         x[0] * x[0] * x[1] + x[1].sin()
///     }
/// }
///
/// let value = Bump.value(&[2.0, 0.0])?;
/// assert!(value.abs() < 1e-15);
/// // A wrong number of coordinates is an error, not a panic.
/// assert!(Bump.value(&[1.0]).is_err());
/// # Ok::<(), gradient::Error>(())
/// ```
pub trait ScalarFunction {
    /// The number of variables $n$; points must have exactly this many coordinates.
    fn dimension(&self) -> usize;

    /// The value $f(x)$, for any scalar type.
    ///
    /// This is the raw formula: it may assume `x.len() == self.dimension()` and may panic
    /// otherwise (an out-of-bounds index).
    /// The checked entry points ([`value`](Self::value), the gradient functions, the Hessian)
    /// validate the point first and never call it with the wrong length.
    fn eval<T: Real>(&self, x: &[T]) -> T;

    /// The value $f(x)$ at a checked point.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if `x` does not have [`dimension`](Self::dimension) entries,
    /// [`Error::NonFinite`] (with the index) if an entry is NaN or infinite,
    /// [`Error::EmptyPoint`] if the dimension is 0.
    fn value(&self, x: &[f64]) -> Result<f64, Error> {
        check_point(self.dimension(), x)?;
        Ok(self.eval(x))
    }
}

impl<F: ScalarFunction + ?Sized> ScalarFunction for &F {
    fn dimension(&self) -> usize {
        (**self).dimension()
    }
    fn eval<T: Real>(&self, x: &[T]) -> T {
        (**self).eval(x)
    }
}

/// A function $f: \mathbb{R}^n \to \mathbb{R}^m$ with fixed $n$ and $m$.
///
/// # Example
///
/// ```
/// use chain_rule::Real;
/// use gradient::VectorFunction;
///
/// /// Polar to Cartesian: (r, θ) ↦ (r cos θ, r sin θ).
/// struct Polar;
///
/// impl VectorFunction for Polar {
///     fn input_dimension(&self) -> usize {
///         2
///     }
///     fn output_dimension(&self) -> usize {
///         2
///     }
///     fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
///         vec![x[0] * x[1].cos(), x[0] * x[1].sin()]
///     }
/// }
///
/// let y = Polar.values(&[2.0, 0.0])?;
/// assert!((y[0] - 2.0).abs() < 1e-15 && y[1].abs() < 1e-15);
/// # Ok::<(), gradient::Error>(())
/// ```
pub trait VectorFunction {
    /// The number of inputs $n$.
    fn input_dimension(&self) -> usize;

    /// The number of outputs $m$; [`eval`](Self::eval) must return exactly this many values.
    fn output_dimension(&self) -> usize;

    /// The values $f_1(x), \dots, f_m(x)$, for any scalar type.
    ///
    /// Like [`ScalarFunction::eval`], the raw formula: it may assume
    /// `x.len() == self.input_dimension()`.
    fn eval<T: Real>(&self, x: &[T]) -> Vec<T>;

    /// The values $f(x)$ at a checked point.
    ///
    /// # Errors
    ///
    /// As for [`ScalarFunction::value`].
    ///
    /// # Panics
    ///
    /// If [`eval`](Self::eval) returns a number of values other than
    /// [`output_dimension`](Self::output_dimension): the implementation breaks its contract.
    fn values(&self, x: &[f64]) -> Result<Vec<f64>, Error> {
        check_point(self.input_dimension(), x)?;
        let y = self.eval(x);
        check_output_len(y.len(), self.output_dimension());
        Ok(y)
    }
}

impl<F: VectorFunction + ?Sized> VectorFunction for &F {
    fn input_dimension(&self) -> usize {
        (**self).input_dimension()
    }
    fn output_dimension(&self) -> usize {
        (**self).output_dimension()
    }
    fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
        (**self).eval(x)
    }
}

/// Checks a point: non-empty, `dimension` entries, all finite.
pub(crate) fn check_point(dimension: usize, x: &[f64]) -> Result<(), Error> {
    if dimension == 0 || x.is_empty() {
        return Err(if x.len() == dimension {
            Error::EmptyPoint
        } else {
            Error::LengthMismatch {
                argument: Argument::Point,
                expected: dimension,
                found: x.len(),
            }
        });
    }
    check_finite_slice(Argument::Point, x, dimension)
}

/// Panics if a [`VectorFunction`] broke its promise about the number of outputs.
pub(crate) fn check_output_len(found: usize, expected: usize) {
    assert_eq!(
        found, expected,
        "VectorFunction::eval returned {found} values but output_dimension() is {expected}"
    );
}
