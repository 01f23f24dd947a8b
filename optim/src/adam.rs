//! Adam: momentum and RMSprop together, with bias correction: `torch.optim.Adam`.

use num_traits::Float;
use serde::{Deserialize, Serialize};

use crate::error::{non_negative, positive, unit_half_open};
use crate::optimizer::{
    Validate, cast, check_buffer, check_in_type, check_step, deserialize_checked,
    deserialize_squares, next_step,
};
use crate::rmsprop::lerp;
use crate::simd::{ElementLoop, vectorized};
use crate::{Error, Optimizer};

/// Hyperparameters of [`Adam`], with PyTorch's defaults.
///
/// | field | symbol | default | allowed |
/// | --- | --- | --- | --- |
/// | `learning_rate` | $\gamma$ | `1e-3` | `[0, inf)` |
/// | `beta1` | $\beta_1$ | `0.9` | `[0, 1)` |
/// | `beta2` | $\beta_2$ | `0.999` | `[0, 1)` |
/// | `eps` | $\epsilon$ | `1e-8` | `(0, inf)` |
/// | `weight_decay` | $\lambda$ | `0` | `[0, inf)` |
/// | `amsgrad` | | `false` | |
/// | `maximize` | | `false` | |
/// | `flush_subnormals` | | `false` | |
///
/// PyTorch accepts `eps = 0`; a coordinate whose gradient has been 0 since the start then has
/// a zero second moment and divides zero by zero, so this crate asks for `eps > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdamConfig {
    /// Step size $\gamma$.
    pub learning_rate: f64,
    /// Decay $\beta_1$ of the first-moment (mean) estimate.
    pub beta1: f64,
    /// Decay $\beta_2$ of the second-moment (uncentered variance) estimate.
    pub beta2: f64,
    /// $\epsilon$, added to the square root of the *bias-corrected* second moment.
    pub eps: f64,
    /// Weight decay $\lambda$: coupled (added to the gradient) in [`Adam`], decoupled
    /// (shrinking the parameters directly) in [`crate::AdamW`].
    pub weight_decay: f64,
    /// Divide by the running maximum of the second moment (Reddi, Kale and Kumar, 2018).
    pub amsgrad: bool,
    /// Ascend instead of descend.
    pub maximize: bool,
    /// Store moments smaller in magnitude than the smallest normal number of `T` as 0.
    ///
    /// Off by default, as in PyTorch. Turn it on where PyTorch would run under
    /// `torch.set_flush_denormal(True)`, and to compare with JAX, whose CPU backend (XLA)
    /// always flushes subnormal numbers to zero. A parameter whose gradient is exactly 0
    /// (the weights of a dead ReLU unit) keeps $m \leftarrow \beta_1 m$ shrinking each step:
    /// in f32 with $\beta_1 = 0.9$ it goes below `f32::MIN_POSITIVE` $\approx 1.2 \cdot
    /// 10^{-38}$ after about 800 steps, and on x86 each operation on such a subnormal number
    /// costs around a hundred cycles. The update it changes is below
    /// $\gamma \cdot 10^{-38} / \epsilon$, far under the last bit of any normal parameter.
    #[serde(default)]
    pub flush_subnormals: bool,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self {
            learning_rate: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            amsgrad: false,
            maximize: false,
            flush_subnormals: false,
        }
    }
}

impl Validate for AdamConfig {
    fn validate(&self) -> Result<(), Error> {
        non_negative("learning_rate", self.learning_rate)?;
        unit_half_open("beta1", self.beta1)?;
        unit_half_open("beta2", self.beta2)?;
        positive("eps", self.eps)?;
        non_negative("weight_decay", self.weight_decay)?;
        Ok(())
    }
}

/// Adam (Kingma and Ba, 2015), exactly as `torch.optim.Adam` computes it.
///
/// Adam keeps a moving average $m$ of the gradient (momentum) and $v$ of its square
/// (RMSprop), both starting at 0, and divides one by the root of the other. Because they
/// start at 0 they are biased towards 0 early on; dividing by $1 - \beta^t$ removes that bias.
/// With $g_t = \nabla f(\theta_{t-1})$ (negated if maximize):
///
/// $$
/// \begin{aligned}
/// & g_t \leftarrow g_t + \lambda \theta_{t-1} \quad \text{if } \lambda \neq 0 \\\\
/// & m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\\\
/// & \hat m_t \leftarrow m_t / (1 - \beta_1^t), \qquad \hat v_t \leftarrow \begin{cases} v^{max}_t / (1 - \beta_2^t), \quad v^{max}_t \leftarrow \max(v^{max}_{t-1}, v_t) & \text{amsgrad} \\\\ v_t / (1 - \beta_2^t) & \text{otherwise} \end{cases} \\\\
/// & \theta_t \leftarrow \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
/// \end{aligned}
/// $$
///
/// Plain text: `m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g^2;
/// m_hat = m / (1 - beta1^t); v_hat = v / (1 - beta2^t) (with v replaced by its running
/// maximum if amsgrad); theta = theta - lr * m_hat / (sqrt(v_hat) + eps)`.
///
/// On the first step $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so every coordinate moves by
/// $\gamma \, |g_1| / (|g_1| + \epsilon) \approx \gamma$, whatever the gradient's scale.
///
/// PyTorch evaluates the last line as
/// `theta + (-lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)` and updates $m$
/// with `lerp`; this crate evaluates the same expressions in the same order.
///
/// **scikit-learn differs.** Its `MLPClassifier(solver="adam")` folds both corrections into
/// the step size and adds $\epsilon$ to the root of the *uncorrected* $v_t$:
/// $\theta_t = \theta_{t-1} - \gamma \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} \frac{m_t}{\sqrt{v_t} + \epsilon}$,
/// which is PyTorch's rule with $\epsilon$ replaced by $\epsilon / \sqrt{1 - \beta_2^t}$: early
/// steps, where $1 - \beta_2^t$ is small, are damped much more by $\epsilon$ there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Float + Deserialize<'de>"))]
pub struct Adam<T> {
    #[serde(deserialize_with = "deserialize_checked")]
    config: AdamConfig,
    /// `false` for Adam (coupled weight decay), `true` when wrapped by `AdamW`.
    #[serde(skip)]
    decoupled: bool,
    state_len: Option<usize>,
    steps: u64,
    /// $m$, the first-moment estimate.
    exp_avg: Vec<T>,
    /// $v$, the second-moment estimate.
    #[serde(deserialize_with = "deserialize_squares")]
    exp_avg_sq: Vec<T>,
    /// $v^{max}$ (only with amsgrad).
    #[serde(deserialize_with = "deserialize_squares")]
    max_exp_avg_sq: Vec<T>,
}

impl<T: Float> Adam<T> {
    /// Builds the optimizer; state is created on the first step.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] for a value outside the ranges in [`AdamConfig`].
    pub fn new(config: AdamConfig) -> Result<Self, Error> {
        config.validate()?;
        Ok(Self {
            config,
            decoupled: false,
            state_len: None,
            steps: 0,
            exp_avg: Vec::new(),
            exp_avg_sq: Vec::new(),
            max_exp_avg_sq: Vec::new(),
        })
    }

    /// The hyperparameters.
    pub fn config(&self) -> &AdamConfig {
        &self.config
    }

    /// Builds the decoupled-weight-decay variant used by `AdamW`.
    pub(crate) fn new_decoupled(config: AdamConfig) -> Result<Self, Error> {
        let mut adam = Self::new(config)?;
        adam.decoupled = true;
        Ok(adam)
    }

    /// Marks a deserialized core as decoupled (`AdamW`); the flag is not serialized.
    pub(crate) fn set_decoupled(&mut self) {
        self.decoupled = true;
    }
}

impl<T: Float> Optimizer<T> for Adam<T> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        self.config.validate()?;
        check_buffer(&self.exp_avg, self.state_len)?;
        check_buffer(&self.exp_avg_sq, self.state_len)?;
        check_buffer(&self.max_exp_avg_sq, self.state_len)?;
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
        if self.exp_avg.is_empty() {
            self.exp_avg.resize(n, T::zero());
            self.exp_avg_sq.resize(n, T::zero());
        }
        if c.amsgrad && self.max_exp_avg_sq.is_empty() {
            self.max_exp_avg_sq.resize(n, T::zero());
        }
        let t = steps as f64;
        let bias_correction1 = 1.0 - c.beta1.powf(t);
        let bias_correction2 = 1.0 - c.beta2.powf(t);
        let step_size = c.learning_rate / bias_correction1;
        let k = Kernel {
            sign: cast(if c.maximize { -1.0 } else { 1.0 }),
            weight_decay: cast(c.weight_decay),
            decay_factor: cast(1.0 - c.learning_rate * c.weight_decay),
            one_minus_beta1: cast(1.0 - c.beta1),
            beta2: cast(c.beta2),
            one_minus_beta2: cast(1.0 - c.beta2),
            bias_correction2_sqrt: cast(bias_correction2.sqrt()),
            eps: cast(c.eps),
            neg_step_size: cast(-step_size),
            // |x| < 0 never holds (not even for NaN): 0 switches the flush off.
            flush_below: if c.flush_subnormals {
                T::min_positive_value()
            } else {
                T::zero()
            },
        };
        let state = State {
            exp_avg: &mut self.exp_avg,
            exp_avg_sq: &mut self.exp_avg_sq,
            max_exp_avg_sq: &mut self.max_exp_avg_sq,
        };
        let decay = c.weight_decay != 0.0;
        vectorized(AdamLoop {
            k,
            params,
            grads,
            state,
            coupled: decay && !self.decoupled,
            decoupled: decay && self.decoupled,
            amsgrad: c.amsgrad,
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

    /// Adam's momentum is `beta1`.
    fn momentum(&self) -> Option<f64> {
        Some(self.config.beta1)
    }

    /// Sets `beta1`, as PyTorch's `OneCycleLR` does for optimizers with `betas`.
    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        self.config.beta1 = unit_half_open("beta1", momentum)?;
        Ok(())
    }

    fn reset(&mut self) {
        self.state_len = None;
        self.steps = 0;
        self.exp_avg.clear();
        self.exp_avg_sq.clear();
        self.max_exp_avg_sq.clear();
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }
}

/// One step's element loop, for [`vectorized`].
struct AdamLoop<'a, T> {
    k: Kernel<T>,
    params: &'a mut [T],
    grads: &'a [T],
    state: State<'a, T>,
    coupled: bool,
    decoupled: bool,
    amsgrad: bool,
}

impl<T: Float> ElementLoop for AdamLoop<'_, T> {
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see there).
    #[inline(always)]
    fn run(self) {
        let Self {
            k,
            params,
            grads,
            state,
            ..
        } = self;
        match (self.coupled, self.decoupled, self.amsgrad) {
            (false, false, false) => k.run::<false, false, false>(params, grads, state),
            (false, false, true) => k.run::<false, false, true>(params, grads, state),
            (true, _, false) => k.run::<true, false, false>(params, grads, state),
            (true, _, true) => k.run::<true, false, true>(params, grads, state),
            (false, true, false) => k.run::<false, true, false>(params, grads, state),
            (false, true, true) => k.run::<false, true, true>(params, grads, state),
        }
    }
}

/// The state buffers one step writes.
struct State<'a, T> {
    exp_avg: &'a mut [T],
    exp_avg_sq: &'a mut [T],
    max_exp_avg_sq: &'a mut [T],
}

/// Per-step scalars rounded to `T` and the element loop (see [`crate::Sgd`]'s kernel).
struct Kernel<T> {
    sign: T,
    weight_decay: T,
    decay_factor: T,
    one_minus_beta1: T,
    beta2: T,
    one_minus_beta2: T,
    bias_correction2_sqrt: T,
    eps: T,
    neg_step_size: T,
    /// Moments of smaller magnitude are stored as 0 (`T::min_positive_value()` or 0).
    flush_below: T,
}

impl<T: Float> Kernel<T> {
    /// `x`, or 0 if its magnitude is below `flush_below` (a compare and a select).
    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see there).
    #[inline(always)]
    fn flush(&self, x: T) -> T {
        if x.abs() < self.flush_below {
            T::zero()
        } else {
            x
        }
    }

    #[allow(clippy::inline_always)] // Inlined into `vectorized` (see there).
    #[inline(always)]
    fn run<const COUPLED: bool, const DECOUPLED: bool, const AMSGRAD: bool>(
        &self,
        params: &mut [T],
        grads: &[T],
        state: State<'_, T>,
    ) {
        let n = params.len();
        let State {
            exp_avg,
            exp_avg_sq,
            max_exp_avg_sq,
        } = state;
        let grads = &grads[..n];
        let exp_avg = &mut exp_avg[..n];
        let exp_avg_sq = &mut exp_avg_sq[..n];
        // Unused buffers are empty: the loop only indexes a buffer its flag switches on.
        let max_exp_avg_sq = if AMSGRAD {
            &mut max_exp_avg_sq[..n]
        } else {
            &mut max_exp_avg_sq[..0]
        };
        for i in 0..n {
            let mut g = self.sign * grads[i];
            let mut p = params[i];
            if COUPLED {
                g = g + self.weight_decay * p;
            }
            if DECOUPLED {
                // AdamW: param.mul_(1 - lr * weight_decay), before the Adam step.
                p = p * self.decay_factor;
            }
            // PyTorch: exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2).
            let m = self.flush(lerp(exp_avg[i], g, self.one_minus_beta1));
            exp_avg[i] = m;
            let v = self.flush(exp_avg_sq[i] * self.beta2 + self.one_minus_beta2 * g * g);
            exp_avg_sq[i] = v;
            let v = if AMSGRAD {
                let v_max = max_exp_avg_sq[i].max(v);
                max_exp_avg_sq[i] = v_max;
                v_max
            } else {
                v
            };
            let denom = v.sqrt() / self.bias_correction2_sqrt + self.eps;
            params[i] = p + self.neg_step_size * m / denom;
        }
    }
}
