//! AdamW: Adam with decoupled weight decay: `torch.optim.AdamW`.

use num_traits::Float;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Adam, AdamConfig, Error, Optimizer};

/// Hyperparameters of [`AdamW`]: those of [`AdamConfig`], with PyTorch's AdamW defaults
/// (the only change is `weight_decay = 1e-2`).
///
/// | field | symbol | default | allowed |
/// | --- | --- | --- | --- |
/// | `learning_rate` | $\gamma$ | `1e-3` | `[0, inf)` |
/// | `beta1` | $\beta_1$ | `0.9` | `[0, 1)` |
/// | `beta2` | $\beta_2$ | `0.999` | `[0, 1)` |
/// | `eps` | $\epsilon$ | `1e-8` | `(0, inf)` |
/// | `weight_decay` | $\lambda$ | `1e-2` | `[0, inf)` |
/// | `amsgrad` | | `false` | |
/// | `maximize` | | `false` | |
/// | `flush_subnormals` | | `false` | |
///
/// `eps` must be positive, as in [`AdamConfig`] (PyTorch accepts 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdamWConfig {
    /// Step size $\gamma$.
    pub learning_rate: f64,
    /// Decay $\beta_1$ of the first-moment estimate.
    pub beta1: f64,
    /// Decay $\beta_2$ of the second-moment estimate.
    pub beta2: f64,
    /// $\epsilon$, added to the square root of the bias-corrected second moment.
    pub eps: f64,
    /// Decoupled weight decay $\lambda$: each step first multiplies the parameters by
    /// $1 - \gamma\lambda$.
    pub weight_decay: f64,
    /// Divide by the running maximum of the second moment.
    pub amsgrad: bool,
    /// Ascend instead of descend.
    pub maximize: bool,
    /// Store moments below the smallest normal number as 0 (see
    /// [`AdamConfig::flush_subnormals`]).
    #[serde(default)]
    pub flush_subnormals: bool,
}

impl Default for AdamWConfig {
    fn default() -> Self {
        Self {
            weight_decay: 1e-2,
            ..AdamConfig::default().into()
        }
    }
}

impl From<AdamConfig> for AdamWConfig {
    fn from(c: AdamConfig) -> Self {
        Self {
            learning_rate: c.learning_rate,
            beta1: c.beta1,
            beta2: c.beta2,
            eps: c.eps,
            weight_decay: c.weight_decay,
            amsgrad: c.amsgrad,
            maximize: c.maximize,
            flush_subnormals: c.flush_subnormals,
        }
    }
}

impl From<AdamWConfig> for AdamConfig {
    fn from(c: AdamWConfig) -> Self {
        Self {
            learning_rate: c.learning_rate,
            beta1: c.beta1,
            beta2: c.beta2,
            eps: c.eps,
            weight_decay: c.weight_decay,
            amsgrad: c.amsgrad,
            maximize: c.maximize,
            flush_subnormals: c.flush_subnormals,
        }
    }
}

/// AdamW (Loshchilov and Hutter, 2019), exactly as `torch.optim.AdamW` computes it.
///
/// Adam's coupled weight decay adds $\lambda\theta$ to the gradient, which Adam then divides
/// by $\sqrt{\hat v}$: parameters with large gradients are barely decayed. AdamW instead
/// shrinks the parameters directly, before (and outside) the Adam step:
///
/// $$
/// \begin{aligned}
/// & \theta_t \leftarrow \theta_{t-1} - \gamma \lambda \theta_{t-1} \\\\
/// & m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\\\
/// & \hat m_t \leftarrow m_t / (1 - \beta_1^t), \qquad \hat v_t \leftarrow v_t / (1 - \beta_2^t) \quad (v^{max}_t \text{ if amsgrad}) \\\\
/// & \theta_t \leftarrow \theta_t - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
/// \end{aligned}
/// $$
///
/// Plain text: `theta = theta * (1 - lr * weight_decay); then Adam's step with no weight
/// decay in the gradient`. Note that the gradient $g_t$ was taken at $\theta_{t-1}$, before
/// the shrink. With $\lambda = 0$ AdamW is Adam.
#[derive(Clone, Debug, PartialEq)]
pub struct AdamW<T> {
    inner: Adam<T>,
}

impl<T: Float> AdamW<T> {
    /// Builds the optimizer; state is created on the first step.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] for a value outside the ranges in [`AdamWConfig`].
    pub fn new(config: AdamWConfig) -> Result<Self, Error> {
        Ok(Self {
            inner: Adam::new_decoupled(config.into())?,
        })
    }

    /// The hyperparameters.
    pub fn config(&self) -> AdamWConfig {
        (*self.inner.config()).into()
    }
}

impl<T: Float> Optimizer<T> for AdamW<T> {
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        self.inner.step(params, grads)
    }
    fn learning_rate(&self) -> f64 {
        self.inner.learning_rate()
    }
    fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), Error> {
        self.inner.set_learning_rate(learning_rate)
    }
    /// AdamW's momentum is `beta1`.
    fn momentum(&self) -> Option<f64> {
        self.inner.momentum()
    }
    /// Sets `beta1`.
    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        self.inner.set_momentum(momentum)
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn steps_taken(&self) -> u64 {
        self.inner.steps_taken()
    }
}

impl<T: Serialize> Serialize for AdamW<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.inner.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de> + Float> Deserialize<'de> for AdamW<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut inner = Adam::deserialize(deserializer)?;
        inner.set_decoupled();
        Ok(Self { inner })
    }
}
