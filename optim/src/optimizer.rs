//! The [`Optimizer`] trait every rule implements, and the checks every `step` shares.

use num_traits::Float;
use serde::{Deserialize, Deserializer};

use crate::Error;
use crate::simd::{ElementLoop, vectorized};

/// A rule that moves parameters against their gradient, one step at a time.
///
/// Parameters and gradients are flat slices of the same length, so any model whose parameters
/// can be laid out in a slice (a neuron's weights and bias, a whole network) trains with any
/// optimizer. The optimizer keeps whatever state its rule needs (momentum buffers, running
/// averages), sized on the first `step` and kept until [`reset`](Optimizer::reset).
///
/// Hyperparameters are `f64` whatever `T` is: like PyTorch, which computes per-step scalars
/// (learning rate, bias corrections) in Python's double precision and rounds them to the
/// tensor's type only inside the element loop.
///
/// ```
/// use optim::{Optimizer, Sgd, SgdConfig};
///
/// // One step of plain gradient descent, w <- w - lr * grad, on f(w) = w0^2 + w1^2.
/// let mut sgd = Sgd::new(SgdConfig { learning_rate: 0.25, ..SgdConfig::default() })?;
/// let mut w = [1.0_f64, -2.0];
/// let grad = [2.0 * w[0], 2.0 * w[1]];
/// sgd.step(&mut w, &grad)?;
/// assert_eq!(w, [0.5, -1.0]);
/// # Ok::<(), optim::Error>(())
/// ```
pub trait Optimizer<T: Float> {
    /// Updates `params` in place from `grads`, the gradient of the loss at `params`.
    ///
    /// Once the state exists (after the first step), a step allocates nothing.
    ///
    /// # Errors
    /// - [`Error::LengthMismatch`] if the slices differ in length,
    /// - [`Error::StateLengthMismatch`] if they differ from the length of the first step,
    /// - [`Error::NonFiniteGradient`] if a gradient is NaN or infinite (nothing is updated,
    ///   and the step is not counted),
    /// - [`Error::InvalidHyperparameter`] if a deserialized configuration is out of range, or
    ///   a learning rate, weight decay or `eps` valid in `f64` overflows to infinity (or an
    ///   `eps` rounds to 0) in the parameters' type `f32`, which would write NaN into them,
    /// - [`Error::InconsistentState`] if a deserialized state does not fit together, or its
    ///   step count is `u64::MAX` and cannot grow (nothing is updated).
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error>;

    /// The learning rate the next step will use.
    fn learning_rate(&self) -> f64;

    /// Sets the learning rate for the following steps (state is kept).
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `learning_rate` is finite and `>= 0`.
    fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), Error>;

    /// The momentum factor the next step will use: SGD's and RMSprop's momentum, Adam's
    /// `beta1`; `None` for a rule without momentum (AdaGrad).
    fn momentum(&self) -> Option<f64>;

    /// Sets the momentum factor (Adam's `beta1`), as `OneCycleLr`'s momentum cycling does.
    ///
    /// # Errors
    /// [`Error::NoMomentum`] for a rule without momentum, [`Error::InvalidHyperparameter`]
    /// for a value outside the rule's range.
    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error>;

    /// Forgets all state (buffers, step count), as if no step had been taken.
    /// Hyperparameters are kept, and so is the buffers' memory, so a step after a reset
    /// allocates nothing when the size is unchanged.
    fn reset(&mut self);

    /// How many steps have been applied since construction or the last reset.
    fn steps_taken(&self) -> u64;
}

impl<T: Float, O: Optimizer<T> + ?Sized> Optimizer<T> for Box<O> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        (**self).step(params, grads)
    }
    fn learning_rate(&self) -> f64 {
        (**self).learning_rate()
    }
    fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), Error> {
        (**self).set_learning_rate(learning_rate)
    }
    fn momentum(&self) -> Option<f64> {
        (**self).momentum()
    }
    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        (**self).set_momentum(momentum)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn steps_taken(&self) -> u64 {
        (**self).steps_taken()
    }
}

/// Converts an `f64` hyperparameter to the element type (rounding to nearest for `f32`).
#[inline]
pub(crate) fn cast<T: Float>(x: f64) -> T {
    // `NumCast` from f64 to f32 or f64 never fails: it rounds (or overflows to ±inf).
    T::from(x).expect("every Float type converts from f64")
}

/// The checks at the top of every `step`: equal lengths, the state's length, finite gradients.
///
/// `state_len` is the length recorded on the first step (`None` before it).
pub(crate) fn check_step<T: Float>(
    params: &[T],
    grads: &[T],
    state_len: Option<usize>,
) -> Result<(), Error> {
    if params.len() != grads.len() {
        return Err(Error::LengthMismatch {
            params: params.len(),
            grads: grads.len(),
        });
    }
    match state_len {
        Some(state) if state != params.len() => {
            return Err(Error::StateLengthMismatch {
                state,
                found: params.len(),
            });
        }
        _ => {}
    }
    if let Some(index) = first_non_finite(grads) {
        return Err(Error::NonFiniteGradient {
            index,
            value: grads[index].to_f64().unwrap_or(f64::NAN),
        });
    }
    Ok(())
}

/// Checks that hyperparameters already checked in `f64` survive the cast to the parameters'
/// type `T`: each of `finite`, and `eps` if the rule has one, stays finite (`f32` overflows
/// beyond about `3.4e38`), and `eps` stays nonzero (`f32` rounds values up to `2^-150`, about
/// `7e-46`, to 0); every finite `f64` does in `f64`, so only `f32` parameters can fail.
/// Otherwise a setting valid in `f64` turns into an infinite step, or an `eps` of 0 and a
/// 0 / 0, and the step writes NaN into the parameters without an error.
pub(crate) fn check_in_type<T: Float>(
    finite: &[(&'static str, f64)],
    eps: Option<f64>,
) -> Result<(), Error> {
    let eps = eps.map(|value| ("eps", value));
    for &(name, value) in finite.iter().chain(&eps) {
        if !cast::<T>(value).is_finite() {
            return Err(Error::InvalidHyperparameter {
                name,
                value,
                allowed: "[0, 3.4e38] for f32 parameters (beyond, it overflows to inf)",
            });
        }
    }
    if let Some((name, value)) = eps
        && cast::<T>(value).is_zero()
    {
        return Err(Error::InvalidHyperparameter {
            name,
            value,
            allowed: "(7e-46, inf) for f32 parameters (below, it rounds to 0)",
        });
    }
    Ok(())
}

/// The step count after one more step, or [`Error::InconsistentState`] if `steps` is already
/// `u64::MAX` (only a hand-edited or damaged saved state gets there), before anything changes.
pub(crate) fn next_step(steps: u64) -> Result<u64, Error> {
    steps.checked_add(1).ok_or(Error::InconsistentState {
        reason: "the step count is u64::MAX and cannot grow",
    })
}

/// Checks that a state buffer is either absent (empty) or as long as the state.
pub(crate) fn check_buffer<T>(buffer: &[T], state_len: Option<usize>) -> Result<(), Error> {
    match state_len {
        Some(n) if buffer.is_empty() || buffer.len() == n => Ok(()),
        None if buffer.is_empty() => Ok(()),
        _ => Err(Error::InconsistentState {
            reason: "a state buffer's length differs from the parameter count",
        }),
    }
}

/// Index of the first NaN or infinite value in `values`, or `None` if all are finite.
///
/// Every optimizer's `step` runs this scan over the gradients; models built on `optim` (the
/// `mlp` crate's inputs and activations) use it too. It is written so that it costs a small
/// fraction of the step it guards, without a branch per element: $x \cdot 0$ is $\pm 0$ for
/// finite $x$ and NaN for NaN and $\pm\infty$, so $\sum_i x_i \cdot 0$ over the slice is NaN
/// exactly when some $x_i$ is not finite. Sixteen independent partial sums let the compiler
/// vectorize the loop (float addition is not associative, so one running sum would not be),
/// compiled for AVX2 when the CPU has it; the slow search for the index runs only when there
/// is something to report.
///
/// ```
/// assert_eq!(optim::first_non_finite(&[1.0_f32, -2.0, 3.5]), None);
/// assert_eq!(optim::first_non_finite(&[1.0, f64::INFINITY, f64::NAN]), Some(1));
/// ```
pub fn first_non_finite<T: Float>(values: &[T]) -> Option<usize> {
    let mut total = T::zero();
    vectorized(ZeroTimesSum {
        values,
        total: &mut total,
    });
    if total.is_nan() {
        values.iter().position(|x| !x.is_finite())
    } else {
        None
    }
}

/// The loop of [`first_non_finite`]: writes $\sum_i x_i \cdot 0$ to `total`.
struct ZeroTimesSum<'a, T> {
    values: &'a [T],
    total: &'a mut T,
}

impl<T: Float> ElementLoop for ZeroTimesSum<'_, T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see there).
    #[inline(always)]
    fn run(self) {
        const LANES: usize = 16;
        let zero = T::zero();
        let mut partial = [zero; LANES];
        let chunks = self.values.chunks_exact(LANES);
        let remainder = chunks.remainder();
        for chunk in chunks {
            for lane in 0..LANES {
                partial[lane] = partial[lane] + chunk[lane] * zero;
            }
        }
        let mut total = remainder.iter().fold(zero, |sum, &x| sum + x * zero);
        for lane in partial {
            total = total + lane;
        }
        *self.total = total;
    }
}

/// Deserializes a buffer of running squares (a second moment, AdaGrad's sum), refusing a
/// negative or NaN entry: no history of squares produces one, so it can only come from a
/// damaged or hand-edited state, and its square root would be NaN in every later step.
pub(crate) fn deserialize_squares<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Float + Deserialize<'de>,
{
    let values = Vec::<T>::deserialize(deserializer)?;
    // `is_nan` as well as `< 0`, so that NaN is refused too.
    match values.iter().position(|v| v.is_nan() || *v < T::zero()) {
        Some(index) => Err(serde::de::Error::custom(format!(
            "inconsistent optimizer state: a buffer of running squares holds {} at index {index}, and squares are never negative",
            values[index].to_f64().unwrap_or(f64::NAN)
        ))),
        None => Ok(values),
    }
}

/// A configuration type whose ranges can be checked.
pub(crate) trait Validate {
    /// Returns the first out-of-range hyperparameter as an error.
    fn validate(&self) -> Result<(), Error>;
}

/// Deserializes a configuration and refuses it if a hyperparameter is out of range, so a saved
/// optimizer edited by hand cannot step with, say, a negative learning rate.
pub(crate) fn deserialize_checked<'de, D, C>(deserializer: D) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    C: Deserialize<'de> + Validate,
{
    let config = C::deserialize(deserializer)?;
    config.validate().map_err(serde::de::Error::custom)?;
    Ok(config)
}
