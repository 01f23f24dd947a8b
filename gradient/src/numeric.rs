//! The bridge to `chain_rule::finite_difference`: this crate's central differences are that
//! module's, along one coordinate or one direction at a time, with its errors translated.

use chain_rule::finite_difference::{self, Scheme};

use crate::error::{Error, Probe};

/// The central-difference step at coordinate value `x`:
/// $h = \varepsilon^{1/3}\max(|x|, 1)$, rounded so that $x + h$ is exact
/// (`chain_rule`'s `Scheme::Central.step`).
pub(crate) fn step(x: f64) -> f64 {
    Scheme::Central.step(x)
}

/// The central difference $(\varphi(t + h) - \varphi(t - h)) / 2h$, with `probe` naming where
/// a failure happened.
pub(crate) fn central(
    phi: impl FnMut(f64) -> f64,
    t: f64,
    h: f64,
    probe: Probe,
) -> Result<f64, Error> {
    finite_difference::central(phi, t, h).map_err(|error| match error {
        chain_rule::Error::NonFiniteValue { value, .. } => Error::NonFiniteValue { probe, value },
        chain_rule::Error::StepVanishes { x, h } => Error::StepVanishes { probe, x, h },
        chain_rule::Error::InvalidStep(h) => Error::InvalidStep(h),
        other => Error::FiniteDifference(other),
    })
}
