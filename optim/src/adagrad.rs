//! AdaGrad: a step size per coordinate that shrinks with the gradients seen so far:
//! `torch.optim.Adagrad`.

use num_traits::Float;
use serde::{Deserialize, Serialize};

use crate::error::{non_negative, positive};
use crate::optimizer::{
    Validate, cast, check_buffer, check_in_type, check_step, deserialize_checked,
    deserialize_squares, next_step,
};
use crate::simd::{ElementLoop, vectorized};
use crate::{Error, Optimizer};

/// Hyperparameters of [`Adagrad`], with PyTorch's defaults.
///
/// | field | symbol | default | allowed |
/// | --- | --- | --- | --- |
/// | `learning_rate` | $\gamma$ | `1e-2` | `[0, inf)` |
/// | `lr_decay` | $\eta$ | `0` | `[0, inf)` |
/// | `weight_decay` | $\lambda$ | `0` | `[0, inf)` |
/// | `initial_accumulator_value` | $\tau$ | `0` | `[0, inf)` |
/// | `eps` | $\epsilon$ | `1e-10` | `(0, inf)` |
/// | `maximize` | | `false` | |
///
/// PyTorch accepts `eps = 0`; with a zero accumulator that divides zero by zero, so this crate
/// asks for `eps > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdagradConfig {
    /// Step size $\gamma$.
    pub learning_rate: f64,
    /// Learning-rate decay $\eta$: step $t$ uses $\gamma / (1 + (t - 1)\eta)$.
    pub lr_decay: f64,
    /// Coupled weight decay $\lambda$ (added to the gradient as $\lambda\theta$).
    pub weight_decay: f64,
    /// Starting value $\tau$ of every coordinate's sum of squared gradients.
    pub initial_accumulator_value: f64,
    /// $\epsilon$, added to the square root of the sum.
    pub eps: f64,
    /// Ascend instead of descend.
    pub maximize: bool,
}

impl Default for AdagradConfig {
    fn default() -> Self {
        Self {
            learning_rate: 1e-2,
            lr_decay: 0.0,
            weight_decay: 0.0,
            initial_accumulator_value: 0.0,
            eps: 1e-10,
            maximize: false,
        }
    }
}

impl Validate for AdagradConfig {
    fn validate(&self) -> Result<(), Error> {
        non_negative("learning_rate", self.learning_rate)?;
        non_negative("lr_decay", self.lr_decay)?;
        non_negative("weight_decay", self.weight_decay)?;
        non_negative("initial_accumulator_value", self.initial_accumulator_value)?;
        positive("eps", self.eps)?;
        Ok(())
    }
}

/// AdaGrad (Duchi, Hazan and Singer, 2011), exactly as `torch.optim.Adagrad` computes it.
///
/// Each coordinate divides its gradient by the root of the sum of all its squared gradients
/// so far: coordinates with large or frequent gradients take smaller steps. With
/// $s_0 = \tau$ and $g_t = \nabla f(\theta_{t-1})$ (negated if maximize):
///
/// $$
/// \begin{aligned}
/// & \tilde\gamma \leftarrow \gamma / (1 + (t - 1)\eta) \\\\
/// & g_t \leftarrow g_t + \lambda \theta_{t-1} \quad \text{if } \lambda \neq 0 \\\\
/// & s_t \leftarrow s_{t-1} + g_t^2 \\\\
/// & \theta_t \leftarrow \theta_{t-1} - \tilde\gamma \, \frac{g_t}{\sqrt{s_t} + \epsilon}
/// \end{aligned}
/// $$
///
/// Plain text: `lr_t = learning_rate / (1 + (t - 1) * lr_decay);
/// g = g + weight_decay * theta if weight_decay != 0; sum = sum + g * g;
/// theta = theta - lr_t * g / (sqrt(sum) + eps)`.
///
/// The sum only grows, so the steps only shrink: AdaGrad suits convex problems and sparse
/// features, and eventually stalls on long non-convex runs (which RMSprop fixes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Float + Deserialize<'de>"))]
pub struct Adagrad<T> {
    #[serde(deserialize_with = "deserialize_checked")]
    config: AdagradConfig,
    state_len: Option<usize>,
    steps: u64,
    /// $s$, the running sum of squared gradients.
    #[serde(deserialize_with = "deserialize_squares")]
    sum: Vec<T>,
}

impl<T: Float> Adagrad<T> {
    /// Builds the optimizer; the accumulator is created on the first step.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] for a value outside the ranges in [`AdagradConfig`].
    pub fn new(config: AdagradConfig) -> Result<Self, Error> {
        config.validate()?;
        Ok(Self {
            config,
            state_len: None,
            steps: 0,
            sum: Vec::new(),
        })
    }

    /// The hyperparameters.
    pub fn config(&self) -> &AdagradConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Adagrad<T> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        self.config.validate()?;
        check_buffer(&self.sum, self.state_len)?;
        check_step(params, grads, self.state_len)?;
        let steps = next_step(self.steps)?;
        check_in_type::<T>(
            &[
                ("learning_rate", self.config.learning_rate),
                ("weight_decay", self.config.weight_decay),
                (
                    "initial_accumulator_value",
                    self.config.initial_accumulator_value,
                ),
            ],
            Some(self.config.eps),
        )?;
        let c = self.config;
        if self.sum.is_empty() {
            self.sum
                .resize(params.len(), cast(c.initial_accumulator_value));
        }
        let t = steps as f64;
        let clr = c.learning_rate / (1.0 + (t - 1.0) * c.lr_decay);
        let k = Kernel {
            sign: cast(if c.maximize { -1.0 } else { 1.0 }),
            weight_decay: cast(c.weight_decay),
            eps: cast(c.eps),
            neg_clr: cast(-clr),
        };
        vectorized(AdagradLoop {
            k,
            params,
            grads,
            sum: &mut self.sum,
            decay: c.weight_decay != 0.0,
        });
        self.state_len = Some(params.len());
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
        None
    }

    fn set_momentum(&mut self, _momentum: f64) -> Result<(), Error> {
        Err(Error::NoMomentum {
            optimizer: "adagrad",
        })
    }

    fn reset(&mut self) {
        self.state_len = None;
        self.steps = 0;
        self.sum.clear();
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }
}

/// Per-step scalars rounded to `T` and the element loop (see [`crate::Sgd`]'s kernel).
struct Kernel<T> {
    sign: T,
    weight_decay: T,
    eps: T,
    neg_clr: T,
}

/// One step's element loop, for [`vectorized`].
struct AdagradLoop<'a, T> {
    k: Kernel<T>,
    params: &'a mut [T],
    grads: &'a [T],
    sum: &'a mut [T],
    decay: bool,
}

impl<T: Float> ElementLoop for AdagradLoop<'_, T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn run(self) {
        if self.decay {
            self.k.run::<true>(self.params, self.grads, self.sum);
        } else {
            self.k.run::<false>(self.params, self.grads, self.sum);
        }
    }
}

impl<T: Float> Kernel<T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn run<const DECAY: bool>(&self, params: &mut [T], grads: &[T], sum: &mut [T]) {
        let n = params.len();
        let (grads, sum) = (&grads[..n], &mut sum[..n]);
        for i in 0..n {
            let mut g = self.sign * grads[i];
            if DECAY {
                g = g + self.weight_decay * params[i];
            }
            // PyTorch: state_sum.addcmul_(grad, grad, value=1); param.addcdiv_(grad, std, value=-clr).
            let s = sum[i] + g * g;
            sum[i] = s;
            let std = s.sqrt() + self.eps;
            params[i] = params[i] + self.neg_clr * g / std;
        }
    }
}
