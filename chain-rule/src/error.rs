//! What can go wrong: a function outside its domain, a bad step size, a non-finite value.

use std::fmt;

/// What can go wrong when evaluating or differentiating in this crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A partial function was evaluated outside its domain (for example $\ln x$ at $x \le 0$).
    Domain {
        /// The function's name, as in `chain_rule::elementary`.
        function: &'static str,
        /// The input that was rejected.
        input: f64,
        /// The domain, written as a condition on `x` (for example `"x > 0"`).
        domain: &'static str,
    },
    /// A parameter of an elementary function is not allowed (for example a NaN slope).
    InvalidParameter {
        /// The function's name.
        function: &'static str,
        /// The parameter's name.
        parameter: &'static str,
        /// The value that was rejected.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A chain must compose at least one function.
    EmptyChain,
    /// A finite-difference step $h$ must be finite and positive.
    InvalidStep(f64),
    /// The step $h$ is so small next to $x$ that $x + h$ or $x - h$ rounds to $x$.
    StepVanishes {
        /// The point.
        x: f64,
        /// The step.
        h: f64,
    },
    /// The point $x$ where a derivative is estimated must be finite.
    NonFinitePoint(f64),
    /// The chain's derivative is not finite: the first function whose value or local
    /// factor overflowed to an infinity or became NaN (for example $e^u$ beyond
    /// $u \approx 709.8$), or else the product of the local factors.
    ChainOverflow {
        /// The function's name (or `"the product of the local factors"`).
        function: &'static str,
        /// The inner value $u$ the function was evaluated at (for the product: $x$).
        input: f64,
        /// What came out.
        value: f64,
    },
    /// The function returned a non-finite value while a derivative was estimated.
    NonFiniteValue {
        /// Where the function was evaluated.
        x: f64,
        /// What it returned.
        value: f64,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain {
                function,
                input,
                domain,
            } => write!(f, "{function} is defined for {domain}, got x = {input}"),
            Self::InvalidParameter {
                function,
                parameter,
                value,
                allowed,
            } => write!(
                f,
                "{function} {parameter} must be {allowed}, got {parameter} = {value}"
            ),
            Self::EmptyChain => f.write_str("a chain needs at least one function"),
            Self::InvalidStep(h) => write!(f, "step h must be finite and positive, got h = {h}"),
            Self::StepVanishes { x, h } => {
                write!(
                    f,
                    "step h = {h} vanishes next to x = {x} (x + h rounds to x)"
                )
            }
            Self::NonFinitePoint(x) => write!(f, "point x must be finite, got x = {x}"),
            Self::ChainOverflow {
                function,
                input,
                value,
            } => write!(
                f,
                "{function} is not finite in f64 at u = {input} (got {value}), so the chain rule has no finite answer there"
            ),
            Self::NonFiniteValue { x, value } => {
                write!(f, "f is not finite at x = {x} (got {value})")
            }
        }
    }
}

impl std::error::Error for Error {}
