//! What can go wrong when building an optimizer, a schedule or a clipping call, or taking a step.

use std::fmt;

/// Everything this crate can refuse, each variant naming the offending value.
///
/// Every hyperparameter is checked when an optimizer or schedule is built, when it is changed
/// (`set_learning_rate`, `set_momentum`) and when a saved one is deserialized, so a step never
/// runs with a value outside its range.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A hyperparameter lies outside its allowed range.
    InvalidHyperparameter {
        /// The hyperparameter's field name, e.g. `"learning_rate"`, `"beta1"`.
        name: &'static str,
        /// The value that was given.
        value: f64,
        /// The allowed range, written as an interval, e.g. `"[0, 1)"`.
        allowed: &'static str,
    },
    /// Nesterov momentum was asked for without momentum, or with dampening.
    NesterovRequiresMomentum {
        /// The momentum factor given (must be > 0).
        momentum: f64,
        /// The dampening given (must be 0).
        dampening: f64,
    },
    /// The parameter and gradient slices have different lengths.
    LengthMismatch {
        /// Length of the parameter slice.
        params: usize,
        /// Length of the gradient slice.
        grads: usize,
    },
    /// The slices differ in length from the state built on an earlier step.
    StateLengthMismatch {
        /// Length of the optimizer's state (the length of the first step's slices).
        state: usize,
        /// Length of the slices passed now.
        found: usize,
    },
    /// A gradient coordinate is NaN or infinite; nothing was updated.
    NonFiniteGradient {
        /// Index of the first non-finite coordinate.
        index: usize,
        /// Its value (NaN or ±∞), widened to `f64`.
        value: f64,
    },
    /// The total gradient norm is NaN or infinite and clipping was asked to fail on it.
    NonFiniteNorm {
        /// The norm that was computed, widened to `f64`.
        value: f64,
    },
    /// A momentum value was set on an optimizer that has no momentum (AdaGrad).
    NoMomentum {
        /// The optimizer's name.
        optimizer: &'static str,
    },
    /// A schedule set a rate or momentum outside its range (an `ExponentialLr` with
    /// `gamma > 1` overflowing, say); the step was not taken.
    ScheduleOutOfRange {
        /// The step the value was for, counted from 1 (one more than the steps taken).
        step: u64,
        /// The hyperparameter, `"learning_rate"` or `"momentum"`.
        name: &'static str,
        /// The value the schedule produced.
        value: f64,
        /// The allowed range.
        allowed: &'static str,
    },
    /// A saved optimizer state does not fit together (e.g. buffers of different lengths).
    InconsistentState {
        /// What does not fit.
        reason: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidHyperparameter {
                name,
                value,
                allowed,
            } => write!(f, "{name} must lie in {allowed}, found {value}"),
            Self::NesterovRequiresMomentum {
                momentum,
                dampening,
            } => write!(
                f,
                "nesterov needs momentum > 0 and dampening = 0, found momentum {momentum} and dampening {dampening}"
            ),
            Self::LengthMismatch { params, grads } => write!(
                f,
                "expected as many gradients as parameters, found {params} parameters and {grads} gradients"
            ),
            Self::StateLengthMismatch { state, found } => write!(
                f,
                "the optimizer state holds {state} parameters but the slices have {found}; call reset to change size"
            ),
            Self::NonFiniteGradient { index, value } => {
                write!(f, "gradient {index} is {value}; no parameter was updated")
            }
            Self::NonFiniteNorm { value } => write!(
                f,
                "the total gradient norm is {value}, so it cannot be clipped"
            ),
            Self::NoMomentum { optimizer } => write!(f, "{optimizer} has no momentum to set"),
            Self::ScheduleOutOfRange {
                step,
                name,
                value,
                allowed,
            } => write!(
                f,
                "the schedule set {name} to {value} for step {step}, outside {allowed}; the step was not taken"
            ),
            Self::InconsistentState { reason } => {
                write!(f, "inconsistent optimizer state: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Checks that `value` is finite and `>= 0`.
pub(crate) fn non_negative(name: &'static str, value: f64) -> Result<f64, Error> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidHyperparameter {
            name,
            value,
            allowed: "[0, inf)",
        })
    }
}

/// Checks that `value` is finite and `> 0`.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, Error> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidHyperparameter {
            name,
            value,
            allowed: "(0, inf)",
        })
    }
}

/// Checks that `0 <= value < 1` (decay factors such as betas, alpha, momentum).
pub(crate) fn unit_half_open(name: &'static str, value: f64) -> Result<f64, Error> {
    if (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Error::InvalidHyperparameter {
            name,
            value,
            allowed: "[0, 1)",
        })
    }
}

/// Checks that `0 <= value <= 1`.
pub(crate) fn unit_closed(name: &'static str, value: f64) -> Result<f64, Error> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Error::InvalidHyperparameter {
            name,
            value,
            allowed: "[0, 1]",
        })
    }
}
