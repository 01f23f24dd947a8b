//! What can go wrong when differentiating or checking a function of many variables.
//!
//! Every public function of this crate checks its input before it computes anything and
//! returns one of these errors instead of silently wrong numbers or a panic deep inside.

use std::fmt;

/// Which argument of a call an [`Error`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// The point $x$ at which a function is evaluated or differentiated.
    Point,
    /// A direction $u$ (directional derivatives, Hessian-vector products).
    Direction,
    /// The gradient a caller claims, handed to the gradient checker.
    ClaimedGradient,
    /// A slice the result is written into.
    Output,
    /// The linear term $b$ of a quadratic form.
    LinearTerm,
    /// The matrix $A$ of a quadratic form.
    Matrix,
    /// The constant $c$ of a quadratic form.
    Constant,
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Point => "point",
            Self::Direction => "direction",
            Self::ClaimedGradient => "claimed gradient",
            Self::Output => "output slice",
            Self::LinearTerm => "linear term b",
            Self::Matrix => "matrix a",
            Self::Constant => "constant c",
        })
    }
}

/// Where the function was being evaluated when it returned a non-finite value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// At the point itself.
    Point,
    /// At the point moved by $\pm h$ along coordinate `0`.
    Coordinate(usize),
    /// At the point moved by $\pm h$ along the checker's random direction number `0`.
    Direction(usize),
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Point => f.write_str("at the point"),
            Self::Coordinate(i) => write!(f, "while stepping along coordinate {i}"),
            Self::Direction(k) => write!(f, "while stepping along direction {k}"),
        }
    }
}

/// What can go wrong in this crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A slice has the wrong length.
    LengthMismatch {
        /// The argument whose length is wrong.
        argument: Argument,
        /// The length it must have.
        expected: usize,
        /// The length it has.
        found: usize,
    },
    /// A slice holds a NaN or an infinity.
    NonFinite {
        /// The argument holding it.
        argument: Argument,
        /// Its index in that slice (row-major for a matrix).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A point with no coordinates: there is nothing to differentiate.
    EmptyPoint,
    /// A direction (or a gradient to normalise) that is the zero vector has no unit direction.
    ZeroDirection {
        /// The argument that is zero.
        argument: Argument,
    },
    /// A finite-difference step must be finite and positive.
    InvalidStep(f64),
    /// A fixed step is so small next to a coordinate that $x + h$ rounds to $x$.
    StepVanishes {
        /// Where it happened.
        probe: Probe,
        /// The coordinate's value (0 along a direction, which is stepped from $t = 0$).
        x: f64,
        /// The step.
        h: f64,
    },
    /// Any other failure of `chain_rule`'s finite differences.
    FiniteDifference(chain_rule::Error),
    /// A checker threshold must be finite and lie in $(0, 1)$.
    InvalidThreshold(f64),
    /// A checker floor must be finite and non-negative.
    InvalidFloor(f64),
    /// The directional checker needs at least one direction.
    NoDirections,
    /// The function returned NaN or an infinity.
    NonFiniteValue {
        /// Where it was evaluated.
        probe: Probe,
        /// What it returned.
        value: f64,
    },
    /// A test function was asked for a dimension it is not defined in.
    InvalidDimension {
        /// The function's name.
        function: &'static str,
        /// The smallest dimension it accepts.
        minimum: usize,
        /// The dimension asked for.
        found: usize,
    },
    /// A quadratic form needs a square matrix.
    NotSquare {
        /// Rows of the matrix.
        rows: usize,
        /// Columns of the matrix.
        cols: usize,
    },
    /// An ill-conditioned quadratic needs a finite condition number of at least 1.
    InvalidConditionNumber(f64),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch {
                argument,
                expected,
                found,
            } => write!(f, "{argument} has {found} entries, expected {expected}"),
            Self::NonFinite {
                argument,
                index,
                value,
            } => write!(
                f,
                "{argument} entry {index} is {value}, expected a finite number"
            ),
            Self::EmptyPoint => f.write_str("point has no coordinates"),
            Self::ZeroDirection { argument } => {
                write!(f, "{argument} is the zero vector and has no direction")
            }
            Self::InvalidStep(h) => write!(f, "step must be finite and positive, got {h}"),
            Self::StepVanishes { probe, x, h } => {
                write!(
                    f,
                    "step {h:e} vanishes next to {x} {probe} (x + h rounds to x)"
                )
            }
            Self::FiniteDifference(error) => write!(f, "finite difference failed: {error}"),
            Self::InvalidThreshold(t) => {
                write!(f, "threshold must be finite and in (0, 1), got {t}")
            }
            Self::InvalidFloor(v) => write!(f, "floor must be finite and non-negative, got {v}"),
            Self::NoDirections => f.write_str("directional check needs at least one direction"),
            Self::NonFiniteValue { probe, value } => {
                write!(f, "function returned {value} {probe}")
            }
            Self::InvalidDimension {
                function,
                minimum,
                found,
            } => write!(
                f,
                "{function} needs at least {minimum} dimensions, got {found}"
            ),
            Self::NotSquare { rows, cols } => {
                write!(f, "matrix a is {rows}x{cols}, expected a square matrix")
            }
            Self::InvalidConditionNumber(k) => {
                write!(f, "condition number must be finite and at least 1, got {k}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Checks that `values` has `expected` entries, all finite.
pub(crate) fn check_finite_slice(
    argument: Argument,
    values: &[f64],
    expected: usize,
) -> Result<(), Error> {
    check_length(argument, values.len(), expected)?;
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            argument,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Checks that a slice of length `found` has `expected` entries.
pub(crate) fn check_length(argument: Argument, found: usize, expected: usize) -> Result<(), Error> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            argument,
            expected,
            found,
        })
    }
}

/// Checks a finite-difference step.
pub(crate) fn check_step(h: f64) -> Result<(), Error> {
    if h.is_finite() && h > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidStep(h))
    }
}
