//! Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
//! maximize: `torch.optim.SGD`.

use num_traits::Float;
use serde::{Deserialize, Serialize};

use crate::error::{non_negative, unit_closed, unit_half_open};
use crate::optimizer::{
    Validate, cast, check_buffer, check_in_type, check_step, deserialize_checked, next_step,
};
use crate::simd::{ElementLoop, vectorized};
use crate::{Error, Optimizer};

/// Hyperparameters of [`Sgd`], with PyTorch's defaults.
///
/// | field | symbol | default | allowed |
/// | --- | --- | --- | --- |
/// | `learning_rate` | $\gamma$ | `1e-3` | `[0, inf)` |
/// | `momentum` | $\mu$ | `0` | `[0, 1)` |
/// | `dampening` | $\tau$ | `0` | `[0, 1]` |
/// | `weight_decay` | $\lambda$ | `0` | `[0, inf)` |
/// | `nesterov` | | `false` | needs $\mu > 0$ and $\tau = 0$ |
/// | `maximize` | | `false` | |
///
/// PyTorch accepts any momentum `>= 0`; a momentum of 1 or more never forgets a gradient and
/// diverges, so this crate refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SgdConfig {
    /// Step size $\gamma$.
    pub learning_rate: f64,
    /// Momentum factor $\mu$ (0 turns momentum off).
    pub momentum: f64,
    /// Dampening $\tau$: the share of each new gradient *not* added to the momentum buffer
    /// (never applied on the first momentum step).
    pub dampening: f64,
    /// Coupled weight decay $\lambda$ (an L2 penalty $\frac{\lambda}{2}\lVert\theta\rVert^2$
    /// added to the loss, so $\lambda\theta$ added to the gradient).
    pub weight_decay: f64,
    /// Nesterov momentum (Sutskever et al.'s form as PyTorch writes it).
    pub nesterov: bool,
    /// Ascend instead of descend: use $-\nabla f$.
    pub maximize: bool,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self {
            learning_rate: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
            maximize: false,
        }
    }
}

impl Validate for SgdConfig {
    fn validate(&self) -> Result<(), Error> {
        non_negative("learning_rate", self.learning_rate)?;
        unit_half_open("momentum", self.momentum)?;
        unit_closed("dampening", self.dampening)?;
        non_negative("weight_decay", self.weight_decay)?;
        if self.nesterov && (self.momentum <= 0.0 || self.dampening != 0.0) {
            return Err(Error::NesterovRequiresMomentum {
                momentum: self.momentum,
                dampening: self.dampening,
            });
        }
        Ok(())
    }
}

/// Stochastic gradient descent, exactly as `torch.optim.SGD` computes it.
///
/// With gradient $g_t = \nabla f(\theta_{t-1})$, one step is:
///
/// $$
/// \begin{aligned}
/// & g_t \leftarrow -g_t \quad \text{if maximize} \\\\
/// & g_t \leftarrow g_t + \lambda \theta_{t-1} \quad \text{if } \lambda \neq 0 \\\\
/// & \text{if } \mu \neq 0: \quad b_t \leftarrow \begin{cases} g_t & t = 1 \\\\ \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases},
///   \qquad g_t \leftarrow \begin{cases} g_t + \mu b_t & \text{nesterov} \\\\ b_t & \text{otherwise} \end{cases} \\\\
/// & \theta_t \leftarrow \theta_{t-1} - \gamma g_t
/// \end{aligned}
/// $$
///
/// Plain text:
/// `g = -g if maximize; g = g + weight_decay * theta if weight_decay != 0;
/// if momentum != 0 { b = g on the first step, else momentum * b + (1 - dampening) * g;
/// g = g + momentum * b if nesterov else b }; theta = theta - learning_rate * g`.
///
/// Two PyTorch details that other libraries do differently:
/// - The momentum buffer starts as the first gradient itself, not as zero, so the first step
///   is undampened ($b_1 = g_1$, not $(1 - \tau) g_1$).
/// - The learning rate multiplies the buffer when it is applied, not when it is accumulated.
///   scikit-learn (and Sutskever et al.) keep a velocity $v_t = \mu v_{t-1} - \gamma g_t$
///   with the learning rate inside, and step by $v_t$ (or by $\mu v_t - \gamma g_t$ for
///   Nesterov). With a constant learning rate the two give the same steps; when a schedule
///   changes the learning rate they differ, because the old velocity carries the old rate.
///
/// With $\mu = 0$ this is plain gradient descent, the article's update rule
/// $w \leftarrow w - \alpha \, \partial L / \partial w$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sgd<T> {
    #[serde(deserialize_with = "deserialize_checked")]
    config: SgdConfig,
    /// Number of parameters, fixed by the first step.
    state_len: Option<usize>,
    steps: u64,
    /// $b$: empty until the first step with momentum.
    momentum_buffer: Vec<T>,
}

impl<T: Float> Sgd<T> {
    /// Builds the optimizer; state is created on the first step.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] for a value outside the ranges in [`SgdConfig`],
    /// [`Error::NesterovRequiresMomentum`] for Nesterov without momentum or with dampening.
    pub fn new(config: SgdConfig) -> Result<Self, Error> {
        config.validate()?;
        Ok(Self {
            config,
            state_len: None,
            steps: 0,
            momentum_buffer: Vec::new(),
        })
    }

    /// The hyperparameters.
    pub fn config(&self) -> &SgdConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Sgd<T> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        self.config.validate()?;
        check_buffer(&self.momentum_buffer, self.state_len)?;
        check_step(params, grads, self.state_len)?;
        let steps = next_step(self.steps)?;
        check_in_type::<T>(
            &[
                ("learning_rate", self.config.learning_rate),
                ("weight_decay", self.config.weight_decay),
            ],
            None,
        )?;
        let c = self.config;
        let k = Kernel {
            sign: cast(if c.maximize { -1.0 } else { 1.0 }),
            weight_decay: cast(c.weight_decay),
            momentum: cast(c.momentum),
            one_minus_dampening: cast(1.0 - c.dampening),
            neg_learning_rate: cast(-c.learning_rate),
        };
        let rule = if c.momentum == 0.0 {
            Rule::Plain
        } else if self.momentum_buffer.is_empty() {
            // PyTorch: `buf = grad.clone()` the first time momentum is used.
            self.momentum_buffer.resize(params.len(), T::zero());
            Rule::First
        } else {
            Rule::Later
        };
        vectorized(SgdLoop {
            k,
            params,
            grads,
            buffer: &mut self.momentum_buffer,
            rule,
            decay: c.weight_decay != 0.0,
            nesterov: c.nesterov,
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
        Some(self.config.momentum)
    }

    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        let candidate = SgdConfig {
            momentum,
            ..self.config
        };
        candidate.validate()?;
        self.config = candidate;
        Ok(())
    }

    fn reset(&mut self) {
        self.state_len = None;
        self.steps = 0;
        self.momentum_buffer.clear();
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }
}

/// Which of the three loops a step runs.
#[derive(Clone, Copy)]
enum Rule {
    /// No momentum.
    Plain,
    /// The first step with momentum: the buffer starts as the gradient.
    First,
    /// Momentum with a buffer from earlier steps.
    Later,
}

/// One step's element loop, for [`vectorized`].
struct SgdLoop<'a, T> {
    k: Kernel<T>,
    params: &'a mut [T],
    grads: &'a [T],
    buffer: &'a mut [T],
    rule: Rule,
    decay: bool,
    nesterov: bool,
}

impl<T: Float> ElementLoop for SgdLoop<'_, T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn run(self) {
        let Self {
            k,
            params,
            grads,
            buffer,
            ..
        } = self;
        match (self.rule, self.decay, self.nesterov) {
            (Rule::Plain, false, _) => k.plain::<false>(params, grads),
            (Rule::Plain, true, _) => k.plain::<true>(params, grads),
            (Rule::First, false, false) => k.first::<false, false>(params, grads, buffer),
            (Rule::First, false, true) => k.first::<false, true>(params, grads, buffer),
            (Rule::First, true, false) => k.first::<true, false>(params, grads, buffer),
            (Rule::First, true, true) => k.first::<true, true>(params, grads, buffer),
            (Rule::Later, false, false) => k.later::<false, false>(params, grads, buffer),
            (Rule::Later, false, true) => k.later::<false, true>(params, grads, buffer),
            (Rule::Later, true, false) => k.later::<true, false>(params, grads, buffer),
            (Rule::Later, true, true) => k.later::<true, true>(params, grads, buffer),
        }
    }
}

/// The per-step scalars, already rounded to `T`, and the element loops.
///
/// Each loop is monomorphized over the flags (`DECAY`, `NESTEROV`) so that the body has no
/// branch and the compiler vectorizes it. Operation order follows PyTorch's kernels
/// (`add_(x, alpha=a)` is `self + a * x`).
struct Kernel<T> {
    sign: T,
    weight_decay: T,
    momentum: T,
    one_minus_dampening: T,
    neg_learning_rate: T,
}

impl<T: Float> Kernel<T> {
    /// The gradient the rule sees: sign for maximize, plus coupled weight decay.
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn effective<const DECAY: bool>(&self, g: T, p: T) -> T {
        let g = self.sign * g;
        if DECAY { g + self.weight_decay * p } else { g }
    }

    /// `theta <- theta - lr * g` (momentum 0).
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn plain<const DECAY: bool>(&self, params: &mut [T], grads: &[T]) {
        let grads = &grads[..params.len()];
        for i in 0..params.len() {
            let g = self.effective::<DECAY>(grads[i], params[i]);
            params[i] = params[i] + self.neg_learning_rate * g;
        }
    }

    /// First momentum step: `b <- g` (no dampening).
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn first<const DECAY: bool, const NESTEROV: bool>(
        &self,
        params: &mut [T],
        grads: &[T],
        buffer: &mut [T],
    ) {
        let n = params.len();
        let (grads, buffer) = (&grads[..n], &mut buffer[..n]);
        for i in 0..n {
            let g = self.effective::<DECAY>(grads[i], params[i]);
            let b = g;
            buffer[i] = b;
            let direction = if NESTEROV { g + self.momentum * b } else { b };
            params[i] = params[i] + self.neg_learning_rate * direction;
        }
    }

    /// Later momentum steps: `b <- momentum * b + (1 - dampening) * g`.
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see crate::simd).
    #[inline(always)]
    fn later<const DECAY: bool, const NESTEROV: bool>(
        &self,
        params: &mut [T],
        grads: &[T],
        buffer: &mut [T],
    ) {
        let n = params.len();
        let (grads, buffer) = (&grads[..n], &mut buffer[..n]);
        for i in 0..n {
            let g = self.effective::<DECAY>(grads[i], params[i]);
            let b = buffer[i] * self.momentum + self.one_minus_dampening * g;
            buffer[i] = b;
            let direction = if NESTEROV { g + self.momentum * b } else { b };
            params[i] = params[i] + self.neg_learning_rate * direction;
        }
    }
}
