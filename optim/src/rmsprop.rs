//! RMSprop: AdaGrad with a moving average instead of a sum: `torch.optim.RMSprop`.

use num_traits::Float;
use serde::{Deserialize, Serialize};

use crate::error::{non_negative, positive, unit_half_open};
use crate::optimizer::{
    Validate, cast, check_buffer, check_in_type, check_step, deserialize_checked,
    deserialize_squares, next_step,
};
use crate::simd::{ElementLoop, vectorized};
use crate::{Error, Optimizer};

/// Hyperparameters of [`Rmsprop`], with PyTorch's defaults.
///
/// | field | symbol | default | allowed |
/// | --- | --- | --- | --- |
/// | `learning_rate` | $\gamma$ | `1e-2` | `[0, inf)` |
/// | `alpha` | $\alpha$ | `0.99` | `[0, 1)` |
/// | `eps` | $\epsilon$ | `1e-8` | `(0, inf)` |
/// | `weight_decay` | $\lambda$ | `0` | `[0, inf)` |
/// | `momentum` | $\mu$ | `0` | `[0, 1)` |
/// | `centered` | | `false` | |
/// | `maximize` | | `false` | |
///
/// PyTorch accepts `eps = 0`; a coordinate whose gradient has been 0 since the start then has
/// a zero average of squares and divides zero by zero, so this crate asks for `eps > 0`.
/// PyTorch also accepts any `momentum >= 0`; from 1 on the buffer never forgets a step, so
/// this crate asks for `momentum < 1`, as [`SgdConfig`](crate::SgdConfig) does.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RmspropConfig {
    /// Step size $\gamma$.
    pub learning_rate: f64,
    /// Smoothing constant $\alpha$ of the moving average of squared gradients.
    pub alpha: f64,
    /// $\epsilon$, added *outside* the square root.
    pub eps: f64,
    /// Coupled weight decay $\lambda$.
    pub weight_decay: f64,
    /// Momentum factor $\mu$ on the normalized step (0 turns it off).
    pub momentum: f64,
    /// Divide by an estimate of the gradient's variance instead of its second moment.
    pub centered: bool,
    /// Ascend instead of descend.
    pub maximize: bool,
}

impl Default for RmspropConfig {
    fn default() -> Self {
        Self {
            learning_rate: 1e-2,
            alpha: 0.99,
            eps: 1e-8,
            weight_decay: 0.0,
            momentum: 0.0,
            centered: false,
            maximize: false,
        }
    }
}

impl Validate for RmspropConfig {
    fn validate(&self) -> Result<(), Error> {
        non_negative("learning_rate", self.learning_rate)?;
        unit_half_open("alpha", self.alpha)?;
        positive("eps", self.eps)?;
        non_negative("weight_decay", self.weight_decay)?;
        unit_half_open("momentum", self.momentum)?;
        Ok(())
    }
}

/// RMSprop (Hinton's lecture notes; centered form from Graves, 2013), exactly as
/// `torch.optim.RMSprop` computes it. There is no bias correction: $v$ starts at 0 and the
/// first steps are larger than later ones (by $1/\sqrt{1 - \alpha}$ = 10 at the default).
///
/// With $v_0 = 0$, $\bar g_0 = 0$, $b_0 = 0$ and $g_t = \nabla f(\theta_{t-1})$ (negated if
/// maximize):
///
/// $$
/// \begin{aligned}
/// & g_t \leftarrow g_t + \lambda \theta_{t-1} \quad \text{if } \lambda \neq 0 \\\\
/// & v_t \leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad \tilde v_t \leftarrow v_t \\\\
/// & \text{if centered:} \quad \bar g_t \leftarrow \alpha \bar g_{t-1} + (1 - \alpha) g_t, \qquad \tilde v_t \leftarrow \tilde v_t - \bar g_t^2 \\\\
/// & \text{if } \mu > 0: \quad b_t \leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \qquad \theta_t \leftarrow \theta_{t-1} - \gamma b_t \\\\
/// & \text{else:} \quad \theta_t \leftarrow \theta_{t-1} - \gamma \, g_t / (\sqrt{\tilde v_t} + \epsilon)
/// \end{aligned}
/// $$
///
/// Plain text: `v = alpha * v + (1 - alpha) * g^2; if centered { g_avg = alpha * g_avg +
/// (1 - alpha) * g; v_tilde = v - g_avg^2 }; step = g / (sqrt(v_tilde) + eps);
/// if momentum > 0 { b = momentum * b + step; theta -= lr * b } else { theta -= lr * step }`.
///
/// $\epsilon$ sits outside the square root (TensorFlow puts it inside). PyTorch updates
/// $\bar g$ with `lerp`, $\bar g + (1 - \alpha)(g - \bar g)$, the same number up to rounding;
/// this crate uses the same form, so both round alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Float + Deserialize<'de>"))]
pub struct Rmsprop<T> {
    #[serde(deserialize_with = "deserialize_checked")]
    config: RmspropConfig,
    state_len: Option<usize>,
    steps: u64,
    /// $v$, the moving average of squared gradients.
    #[serde(deserialize_with = "deserialize_squares")]
    square_avg: Vec<T>,
    /// $\bar g$, the moving average of gradients (only when centered).
    grad_avg: Vec<T>,
    /// $b$ (only when momentum is on).
    momentum_buffer: Vec<T>,
}

impl<T: Float> Rmsprop<T> {
    /// Builds the optimizer; state is created on the first step.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] for a value outside the ranges in [`RmspropConfig`].
    pub fn new(config: RmspropConfig) -> Result<Self, Error> {
        config.validate()?;
        Ok(Self {
            config,
            state_len: None,
            steps: 0,
            square_avg: Vec::new(),
            grad_avg: Vec::new(),
            momentum_buffer: Vec::new(),
        })
    }

    /// The hyperparameters.
    pub fn config(&self) -> &RmspropConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Rmsprop<T> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        self.config.validate()?;
        check_buffer(&self.square_avg, self.state_len)?;
        check_buffer(&self.grad_avg, self.state_len)?;
        check_buffer(&self.momentum_buffer, self.state_len)?;
        check_step(params, grads, self.state_len)?;
        let steps = next_step(self.steps)?;
        check_in_type::<T>(
            &[
                ("learning_rate", self.config.learning_rate),
                ("weight_decay", self.config.weight_decay),
            ],
            Some(self.config.eps),
        )?;
        let c = self.config;
        let n = params.len();
        // Buffers start at zero; one that a configuration change switches on later (momentum
        // set by a schedule, say) starts at zero then, as its own history would be empty.
        if self.square_avg.is_empty() {
            self.square_avg.resize(n, T::zero());
        }
        if c.centered && self.grad_avg.is_empty() {
            self.grad_avg.resize(n, T::zero());
        }
        let with_momentum = c.momentum > 0.0;
        if with_momentum && self.momentum_buffer.is_empty() {
            self.momentum_buffer.resize(n, T::zero());
        }
        let k = Kernel {
            sign: cast(if c.maximize { -1.0 } else { 1.0 }),
            weight_decay: cast(c.weight_decay),
            alpha: cast(c.alpha),
            one_minus_alpha: cast(1.0 - c.alpha),
            eps: cast(c.eps),
            momentum: cast(c.momentum),
            neg_learning_rate: cast(-c.learning_rate),
        };
        let state = State {
            square_avg: &mut self.square_avg,
            grad_avg: &mut self.grad_avg,
            momentum_buffer: &mut self.momentum_buffer,
        };
        vectorized(RmspropLoop {
            k,
            params,
            grads,
            state,
            flags: (c.weight_decay != 0.0, c.centered, with_momentum),
        });
        self.state_len = Some(n);
        self.steps = steps;
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.config.learning_rate
    }

    fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), Error> {
        self.config.learning_rate = non_negative("learning_rate", learning_rate)?;
        Ok(())
    }

    fn momentum(&self) -> Option<f64> {
        Some(self.config.momentum)
    }

    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        self.config.momentum = unit_half_open("momentum", momentum)?;
        Ok(())
    }

    fn reset(&mut self) {
        self.state_len = None;
        self.steps = 0;
        self.square_avg.clear();
        self.grad_avg.clear();
        self.momentum_buffer.clear();
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }
}

/// One step's element loop, for [`vectorized`]; `flags` are (decay, centered, momentum).
struct RmspropLoop<'a, T> {
    k: Kernel<T>,
    params: &'a mut [T],
    grads: &'a [T],
    state: State<'a, T>,
    flags: (bool, bool, bool),
}

impl<T: Float> ElementLoop for RmspropLoop<'_, T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn run(self) {
        let Self {
            k,
            params,
            grads,
            state,
            flags,
        } = self;
        match flags {
            (false, false, false) => k.run::<false, false, false>(params, grads, state),
            (false, false, true) => k.run::<false, false, true>(params, grads, state),
            (false, true, false) => k.run::<false, true, false>(params, grads, state),
            (false, true, true) => k.run::<false, true, true>(params, grads, state),
            (true, false, false) => k.run::<true, false, false>(params, grads, state),
            (true, false, true) => k.run::<true, false, true>(params, grads, state),
            (true, true, false) => k.run::<true, true, false>(params, grads, state),
            (true, true, true) => k.run::<true, true, true>(params, grads, state),
        }
    }
}

/// The state buffers one step writes.
struct State<'a, T> {
    square_avg: &'a mut [T],
    grad_avg: &'a mut [T],
    momentum_buffer: &'a mut [T],
}

/// Per-step scalars rounded to `T` and the element loop (see [`crate::Sgd`]'s kernel).
struct Kernel<T> {
    sign: T,
    weight_decay: T,
    alpha: T,
    one_minus_alpha: T,
    eps: T,
    momentum: T,
    neg_learning_rate: T,
}

impl<T: Float> Kernel<T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn run<const DECAY: bool, const CENTERED: bool, const MOMENTUM: bool>(
        &self,
        params: &mut [T],
        grads: &[T],
        state: State<'_, T>,
    ) {
        let n = params.len();
        let State {
            square_avg,
            grad_avg,
            momentum_buffer,
        } = state;
        let grads = &grads[..n];
        let square_avg = &mut square_avg[..n];
        // Unused buffers are empty: the loop only indexes a buffer its flag switches on.
        let grad_avg = if CENTERED {
            &mut grad_avg[..n]
        } else {
            &mut grad_avg[..0]
        };
        let momentum_buffer = if MOMENTUM {
            &mut momentum_buffer[..n]
        } else {
            &mut momentum_buffer[..0]
        };
        for i in 0..n {
            let mut g = self.sign * grads[i];
            if DECAY {
                g = g + self.weight_decay * params[i];
            }
            // PyTorch: square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha).
            let v = square_avg[i] * self.alpha + self.one_minus_alpha * g * g;
            square_avg[i] = v;
            let avg = if CENTERED {
                // PyTorch: grad_avg.lerp_(grad, 1 - alpha); square_avg.addcmul(grad_avg, grad_avg, value=-1).
                let ga = lerp(grad_avg[i], g, self.one_minus_alpha);
                grad_avg[i] = ga;
                (v - ga * ga).sqrt() + self.eps
            } else {
                v.sqrt() + self.eps
            };
            if MOMENTUM {
                let b = momentum_buffer[i] * self.momentum + g / avg;
                momentum_buffer[i] = b;
                params[i] = params[i] + self.neg_learning_rate * b;
            } else {
                params[i] = params[i] + self.neg_learning_rate * g / avg;
            }
        }
    }
}

/// `start + weight * (end - start)`, evaluated as PyTorch's `lerp` does: from the nearer end.
#[allow(clippy::inline_always)] // Inlined into `vectorized` (see there).
#[inline(always)]
pub(crate) fn lerp<T: Float>(start: T, end: T, weight: T) -> T {
    let half = cast::<T>(0.5);
    if weight.abs() < half {
        start + weight * (end - start)
    } else {
        end - (end - start) * (T::one() - weight)
    }
}

#[cfg(test)]
mod tests {
    use super::lerp;

    /// PyTorch's `lerp` (ATen's `Lerp.h`): `start + weight * (end - start)` while
    /// `|weight| < 0.5`, otherwise `end - (end - start) * (1 - weight)`. The two forms are the
    /// same number up to rounding, so the oracle trajectories (to 16 epsilon) cannot tell them
    /// apart; these inputs, found by search, are ones where the forms round differently, so
    /// only the branch PyTorch takes gives the bits below.
    #[test]
    fn lerp_takes_the_form_pytorch_takes_on_each_side_of_one_half() {
        let near = |start: f64, end: f64, weight: f64| start + weight * (end - start);
        let far = |start: f64, end: f64, weight: f64| end - (end - start) * (1.0 - weight);
        // (start, end, weight): below 1/2 the near form, from 1/2 on the far one.
        for (start, end, weight, pytorch) in [
            (-1.46, 1.39, 0.25, near(-1.46, 1.39, 0.25)),
            (-0.02, -0.2, 0.5, far(-0.02, -0.2, 0.5)),
            (1.34, -0.27, 0.75, far(1.34, -0.27, 0.75)),
        ] {
            assert_ne!(
                near(start, end, weight).to_bits(),
                far(start, end, weight).to_bits(),
                "the two forms must round apart for the case to mean anything"
            );
            assert_eq!(
                lerp(start, end, weight).to_bits(),
                pytorch.to_bits(),
                "lerp({start}, {end}, {weight})"
            );
        }
    }
}
