//! Learning-rate schedules (`torch.optim.lr_scheduler`) and [`Scheduled`], which drives any
//! optimizer with any schedule.
//!
//! A schedule is a pure function of the step index $t$ (0 for the first optimizer step) and
//! the optimizer's base learning rate $\gamma_0$: the same $t$ always gives the same rate,
//! whatever happened before. PyTorch's schedulers compute most rates recursively (each from
//! the previous one), which agrees with these closed forms up to rounding; the test suite pins
//! PyTorch's values step by step.

use std::f64::consts::PI;

use num_traits::Float;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{non_negative, positive, unit_closed, unit_half_open};
use crate::{Error, Optimizer};

/// A learning-rate schedule: a pure function of the step index.
pub trait Schedule {
    /// The learning rate for step `step` (0-based: the first optimizer step is step 0,
    /// PyTorch's `last_epoch`), given the optimizer's base learning rate `base_lr`.
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64;

    /// The momentum (Adam's `beta1`) for step `step`, if the schedule cycles it.
    fn momentum(&self, _step: u64) -> Option<f64> {
        None
    }

    /// Checks every setting against its allowed range (used on construction and when a
    /// saved [`Scheduled`] is deserialized).
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] naming the first setting out of range.
    fn validate(&self) -> Result<(), Error>;
}

impl<S: Schedule + ?Sized> Schedule for &S {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        (**self).learning_rate(base_lr, step)
    }
    fn momentum(&self, step: u64) -> Option<f64> {
        (**self).momentum(step)
    }
    fn validate(&self) -> Result<(), Error> {
        (**self).validate()
    }
}

impl<S: Schedule + ?Sized> Schedule for Box<S> {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        (**self).learning_rate(base_lr, step)
    }
    fn momentum(&self, step: u64) -> Option<f64> {
        (**self).momentum(step)
    }
    fn validate(&self) -> Result<(), Error> {
        (**self).validate()
    }
}

/// No schedule: $\gamma_t = \gamma_0$.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Constant;

impl Schedule for Constant {
    fn learning_rate(&self, base_lr: f64, _step: u64) -> f64 {
        base_lr
    }
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// `torch.optim.lr_scheduler.ConstantLR`: a reduced rate for the first `total_iters` steps.
///
/// $$ \gamma_t = \gamma_0 \left(f + \[t \ge T\] (1 - f)\right) $$
///
/// Plain text: `lr_t = base_lr * factor` for `t < total_iters`, then `base_lr`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstantLr {
    factor: f64,
    total_iters: u64,
}

impl ConstantLr {
    /// PyTorch's defaults are `factor = 1/3`, `total_iters = 5`.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `0 < factor <= 1`.
    pub fn new(factor: f64, total_iters: u64) -> Result<Self, Error> {
        let schedule = Self {
            factor,
            total_iters,
        };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for ConstantLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        let reached = if step >= self.total_iters { 1.0 } else { 0.0 };
        base_lr * (self.factor + reached * (1.0 - self.factor))
    }
    fn validate(&self) -> Result<(), Error> {
        if self.factor > 0.0 && self.factor <= 1.0 {
            Ok(())
        } else {
            Err(Error::InvalidHyperparameter {
                name: "factor",
                value: self.factor,
                allowed: "(0, 1]",
            })
        }
    }
}

/// `torch.optim.lr_scheduler.StepLR`: multiply by $\gamma$ every `step_size` steps.
///
/// $$ \gamma_t = \gamma_0 \, \text{gamma}^{\lfloor t / \text{step\\_size} \rfloor} $$
///
/// Plain text: `lr_t = base_lr * gamma^(t / step_size)` (integer division).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLr {
    step_size: u64,
    gamma: f64,
}

impl StepLr {
    /// PyTorch's default `gamma` is 0.1.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `step_size >= 1` and `gamma` is finite and `>= 0`.
    pub fn new(step_size: u64, gamma: f64) -> Result<Self, Error> {
        let schedule = Self { step_size, gamma };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for StepLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        base_lr * self.gamma.powf((step / self.step_size) as f64)
    }
    fn validate(&self) -> Result<(), Error> {
        at_least_one("step_size", self.step_size)?;
        non_negative("gamma", self.gamma)?;
        Ok(())
    }
}

/// `torch.optim.lr_scheduler.MultiStepLR`: multiply by $\gamma$ at each milestone.
///
/// $$ \gamma_t = \gamma_0 \, \text{gamma}^{\lvert \lbrace m \in \text{milestones} : m \le t \rbrace \rvert} $$
///
/// Plain text: `lr_t = base_lr * gamma^(number of milestones <= t)` (a milestone listed twice
/// counts twice, as in PyTorch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultiStepLr {
    milestones: Vec<u64>,
    gamma: f64,
}

impl MultiStepLr {
    /// Milestones may come in any order; they are sorted here.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `gamma` is finite and `>= 0`.
    pub fn new(mut milestones: Vec<u64>, gamma: f64) -> Result<Self, Error> {
        milestones.sort_unstable();
        let schedule = Self { milestones, gamma };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for MultiStepLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        // `bisect_right` on the sorted milestones (`validate` checks they are sorted).
        let passed = self.milestones.partition_point(|&m| m <= step);
        base_lr * self.gamma.powf(passed as f64)
    }
    fn validate(&self) -> Result<(), Error> {
        non_negative("gamma", self.gamma)?;
        if self.milestones.is_sorted() {
            Ok(())
        } else {
            Err(Error::InconsistentState {
                reason: "milestones must be sorted",
            })
        }
    }
}

/// `torch.optim.lr_scheduler.ExponentialLR`: multiply by $\gamma$ every step.
///
/// $$ \gamma_t = \gamma_0 \, \text{gamma}^t $$
///
/// Plain text: `lr_t = base_lr * gamma^t`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExponentialLr {
    gamma: f64,
}

impl ExponentialLr {
    /// Builds the schedule.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `gamma` is finite and `>= 0`.
    pub fn new(gamma: f64) -> Result<Self, Error> {
        let schedule = Self { gamma };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for ExponentialLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        base_lr * self.gamma.powf(step as f64)
    }
    fn validate(&self) -> Result<(), Error> {
        non_negative("gamma", self.gamma)?;
        Ok(())
    }
}

/// `torch.optim.lr_scheduler.CosineAnnealingLR`: half a cosine from $\gamma_0$ down to
/// $\eta_{min}$ over $T_{max}$ steps (and, like PyTorch, back up again after).
///
/// $$ \gamma_t = \eta_{min} + \frac{(\gamma_0 - \eta_{min})\left(1 + \cos(\pi t / T_{max})\right)}{2} $$
///
/// Plain text: `lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / t_max)) / 2`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CosineAnnealingLr {
    t_max: u64,
    eta_min: f64,
}

impl CosineAnnealingLr {
    /// PyTorch's default `eta_min` is 0.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `t_max >= 1` and `eta_min` is finite and `>= 0`.
    pub fn new(t_max: u64, eta_min: f64) -> Result<Self, Error> {
        let schedule = Self { t_max, eta_min };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for CosineAnnealingLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        let angle = PI * step as f64 / self.t_max as f64;
        self.eta_min + (base_lr - self.eta_min) * (1.0 + angle.cos()) / 2.0
    }
    fn validate(&self) -> Result<(), Error> {
        at_least_one("t_max", self.t_max)?;
        non_negative("eta_min", self.eta_min)?;
        Ok(())
    }
}

/// `torch.optim.lr_scheduler.LinearLR`: a linear ramp of the factor from `start_factor` to
/// `end_factor` over `total_iters` steps (a warm-up when `start_factor < end_factor`).
///
/// $$ \gamma_t = \gamma_0 \left(s + \frac{(e - s)\min(t, T)}{T}\right) $$
///
/// Plain text: `lr_t = base_lr * (start_factor + (end_factor - start_factor) * min(t,
/// total_iters) / total_iters)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearLr {
    start_factor: f64,
    end_factor: f64,
    total_iters: u64,
}

impl LinearLr {
    /// PyTorch's defaults are `start_factor = 1/3`, `end_factor = 1`, `total_iters = 5`.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] unless `0 < start_factor <= 1`, `0 <= end_factor <= 1`
    /// and `total_iters >= 1`.
    pub fn new(start_factor: f64, end_factor: f64, total_iters: u64) -> Result<Self, Error> {
        let schedule = Self {
            start_factor,
            end_factor,
            total_iters,
        };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl Schedule for LinearLr {
    fn learning_rate(&self, base_lr: f64, step: u64) -> f64 {
        let progress = step.min(self.total_iters) as f64;
        base_lr
            * (self.start_factor
                + (self.end_factor - self.start_factor) * progress / self.total_iters as f64)
    }
    fn validate(&self) -> Result<(), Error> {
        if !(self.start_factor > 0.0 && self.start_factor <= 1.0) {
            return Err(Error::InvalidHyperparameter {
                name: "start_factor",
                value: self.start_factor,
                allowed: "(0, 1]",
            });
        }
        unit_closed("end_factor", self.end_factor)?;
        at_least_one("total_iters", self.total_iters)?;
        Ok(())
    }
}

/// How [`OneCycleLr`] moves between two values within a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Anneal {
    /// Half a cosine: `end + (start - end) / 2 * (1 + cos(pi * pct))`.
    Cos,
    /// A straight line: `(end - start) * pct + start`.
    Linear,
}

impl Anneal {
    fn apply(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Self::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            Self::Linear => (end - start) * pct + start,
        }
    }
}

/// Settings of [`OneCycleLr`], with PyTorch's defaults (`max_lr` and `total_steps` have none;
/// the `Default` gives 0.1 and 100).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneCycleConfig {
    /// The peak learning rate.
    pub max_lr: f64,
    /// Number of steps in the cycle.
    pub total_steps: u64,
    /// Share of the cycle spent raising the rate (default 0.3).
    pub pct_start: f64,
    /// Cosine or linear annealing (default cosine).
    pub anneal: Anneal,
    /// Cycle the momentum (Adam's `beta1`) inversely to the rate (default true).
    pub cycle_momentum: bool,
    /// Momentum at the peak rate (default 0.85).
    pub base_momentum: f64,
    /// Momentum at the start and end (default 0.95).
    pub max_momentum: f64,
    /// The starting rate is `max_lr / div_factor` (default 25).
    pub div_factor: f64,
    /// The final rate is the starting rate divided by `final_div_factor` (default 1e4).
    pub final_div_factor: f64,
    /// Three phases (up, down to the start, down to the final rate) as in the original paper,
    /// instead of fastai's two (default false).
    pub three_phase: bool,
}

impl Default for OneCycleConfig {
    fn default() -> Self {
        Self {
            max_lr: 0.1,
            total_steps: 100,
            pct_start: 0.3,
            anneal: Anneal::Cos,
            cycle_momentum: true,
            base_momentum: 0.85,
            max_momentum: 0.95,
            div_factor: 25.0,
            final_div_factor: 1e4,
            three_phase: false,
        }
    }
}

/// `torch.optim.lr_scheduler.OneCycleLR` (Smith and Topin's 1cycle policy): the rate rises
/// from `max_lr / div_factor` to `max_lr`, then falls far below the start; the momentum moves
/// the other way, from `max_momentum` down to `base_momentum` and back.
///
/// Each phase $k$ ends at step $e_k$ (two phases: $e_1 = p T - 1$, $e_2 = T - 1$; three
/// phases: $e_1 = p T - 1$, $e_2 = 2 p T - 2$, $e_3 = T - 1$, with $p$ = `pct_start` and
/// $T$ = `total_steps`). Within the phase that contains $t$ (the first with $t \le e_k$, or
/// the last), with $e_0 = 0$:
///
/// $$ \gamma_t = \text{anneal}\left(a_k, b_k, \frac{t - e_{k-1}}{e_k - e_{k-1}}\right), \qquad \text{anneal}_{cos}(a, b, q) = b + \frac{a - b}{2}\left(1 + \cos \pi q\right) $$
///
/// Plain text: `pct = (t - phase_start) / (phase_end - phase_start); lr_t = end + (start -
/// end) / 2 * (1 + cos(pi * pct))`, between the phase's start and end rates (`max_lr /
/// div_factor`, `max_lr`, then `max_lr / div_factor / final_div_factor`), and the same for
/// the momentum between its two bounds.
///
/// The schedule ignores the optimizer's own learning rate, as PyTorch's does. PyTorch raises
/// an error past `total_steps`; this schedule holds the value at `total_steps` there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneCycleLr {
    config: OneCycleConfig,
}

/// One phase of [`OneCycleLr`]: where it ends and the values it moves between.
struct Phase {
    end_step: f64,
    start_lr: f64,
    end_lr: f64,
    start_momentum: f64,
    end_momentum: f64,
}

impl OneCycleLr {
    /// Builds the schedule.
    ///
    /// # Errors
    /// [`Error::InvalidHyperparameter`] if `max_lr` is negative or not finite,
    /// `total_steps` is 0, `pct_start` is outside `[0, 1]` or leaves a phase without steps,
    /// a momentum is outside `[0, 1)`, or a division factor is not finite and `> 0`.
    pub fn new(config: OneCycleConfig) -> Result<Self, Error> {
        let schedule = Self { config };
        schedule.validate()?;
        Ok(schedule)
    }

    /// The settings.
    pub fn config(&self) -> &OneCycleConfig {
        &self.config
    }

    fn phases(&self) -> ([Phase; 3], usize) {
        let c = &self.config;
        let initial_lr = c.max_lr / c.div_factor;
        let min_lr = initial_lr / c.final_div_factor;
        let total = c.total_steps as f64;
        let (up, down) = (c.max_momentum, c.base_momentum);
        let phase = |end_step, start_lr, end_lr, start_momentum, end_momentum| Phase {
            end_step,
            start_lr,
            end_lr,
            start_momentum,
            end_momentum,
        };
        if c.three_phase {
            (
                [
                    phase(c.pct_start * total - 1.0, initial_lr, c.max_lr, up, down),
                    phase(
                        2.0 * c.pct_start * total - 2.0,
                        c.max_lr,
                        initial_lr,
                        down,
                        up,
                    ),
                    phase(total - 1.0, initial_lr, min_lr, up, up),
                ],
                3,
            )
        } else {
            (
                [
                    phase(c.pct_start * total - 1.0, initial_lr, c.max_lr, up, down),
                    phase(total - 1.0, c.max_lr, min_lr, down, up),
                    phase(total - 1.0, min_lr, min_lr, up, up),
                ],
                2,
            )
        }
    }

    /// The learning rate and momentum at `step`, following PyTorch's `get_lr`.
    fn values(&self, step: u64) -> (f64, f64) {
        let step = step.min(self.config.total_steps) as f64;
        let (phases, count) = self.phases();
        let mut start_step = 0.0;
        for (i, phase) in phases[..count].iter().enumerate() {
            if step <= phase.end_step || i == count - 1 {
                let pct = (step - start_step) / (phase.end_step - start_step);
                let anneal = self.config.anneal;
                return (
                    anneal.apply(phase.start_lr, phase.end_lr, pct),
                    anneal.apply(phase.start_momentum, phase.end_momentum, pct),
                );
            }
            start_step = phase.end_step;
        }
        unreachable!("the last phase always matches")
    }
}

impl Schedule for OneCycleLr {
    fn learning_rate(&self, _base_lr: f64, step: u64) -> f64 {
        self.values(step).0
    }

    fn momentum(&self, step: u64) -> Option<f64> {
        self.config.cycle_momentum.then(|| self.values(step).1)
    }

    fn validate(&self) -> Result<(), Error> {
        let c = &self.config;
        non_negative("max_lr", c.max_lr)?;
        at_least_one("total_steps", c.total_steps)?;
        unit_closed("pct_start", c.pct_start)?;
        unit_half_open("base_momentum", c.base_momentum)?;
        unit_half_open("max_momentum", c.max_momentum)?;
        positive("div_factor", c.div_factor)?;
        positive("final_div_factor", c.final_div_factor)?;
        // Every phase must span at least one step, or `pct` divides by zero (PyTorch then
        // returns NaN or infinity).
        let (phases, count) = self.phases();
        let mut start = 0.0;
        for phase in &phases[..count] {
            if phase.end_step <= start {
                return Err(Error::InvalidHyperparameter {
                    name: "pct_start",
                    value: c.pct_start,
                    allowed: "values that give every phase at least one step",
                });
            }
            start = phase.end_step;
        }
        Ok(())
    }
}

fn at_least_one(name: &'static str, value: u64) -> Result<(), Error> {
    if value >= 1 {
        Ok(())
    } else {
        Err(Error::InvalidHyperparameter {
            name,
            value: value as f64,
            allowed: "[1, inf)",
        })
    }
}

/// An optimizer driven by a schedule: before step $t$ it sets the optimizer's learning rate
/// to the schedule's $\gamma_t$ (and its momentum, if the schedule cycles it).
///
/// This is PyTorch's loop `optimizer.step(); scheduler.step()`: the first step uses the rate
/// for $t = 0$. `Scheduled` is itself an [`Optimizer`], so a model's training loop does not
/// know whether a schedule is in use, and saving it saves the step count with the state.
///
/// ```
/// use optim::{Optimizer, Scheduled, Sgd, SgdConfig, StepLr};
///
/// let sgd = Sgd::new(SgdConfig { learning_rate: 0.1, ..SgdConfig::default() })?;
/// let mut training = Scheduled::new(sgd, StepLr::new(2, 0.5)?)?;
/// let mut w = [1.0_f64];
/// for _ in 0..4 {
///     let grad = [1.0];
///     training.step(&mut w, &grad)?; // rates 0.1, 0.1, 0.05, 0.05
/// }
/// assert!((w[0] - 0.7).abs() < 1e-15);
/// # Ok::<(), optim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "O: Serialize, S: Serialize",
    deserialize = "O: Deserialize<'de>, S: Deserialize<'de> + Schedule"
))]
pub struct Scheduled<O, S> {
    optimizer: O,
    #[serde(deserialize_with = "deserialize_schedule")]
    schedule: S,
    base_lr: f64,
    steps: u64,
}

impl<O, S: Schedule> Scheduled<O, S> {
    /// Wraps `optimizer`; its current learning rate becomes the base rate $\gamma_0$.
    ///
    /// # Errors
    /// The schedule's own range errors, and [`Error::NoMomentum`] if the schedule cycles
    /// momentum and the optimizer has none (as PyTorch's `OneCycleLR` refuses `Adagrad`).
    pub fn new<T: Float>(optimizer: O, schedule: S) -> Result<Self, Error>
    where
        O: Optimizer<T>,
    {
        schedule.validate()?;
        if schedule.momentum(0).is_some() && optimizer.momentum().is_none() {
            // The optimizer's own `set_momentum` error names it.
            let mut optimizer = optimizer;
            return Err(optimizer
                .set_momentum(0.0)
                .err()
                .unwrap_or(Error::NoMomentum {
                    optimizer: "the wrapped optimizer",
                }));
        }
        let base_lr = optimizer.learning_rate();
        Ok(Self {
            optimizer,
            schedule,
            base_lr,
            steps: 0,
        })
    }

    /// The wrapped optimizer.
    pub fn optimizer(&self) -> &O {
        &self.optimizer
    }

    /// The schedule.
    pub fn schedule(&self) -> &S {
        &self.schedule
    }

    /// The base learning rate $\gamma_0$ the schedule scales.
    pub fn base_learning_rate(&self) -> f64 {
        self.base_lr
    }

    /// Unwraps the optimizer (with the last rate the schedule set).
    pub fn into_inner(self) -> O {
        self.optimizer
    }
}

impl<T: Float, O: Optimizer<T>, S: Schedule> Optimizer<T> for Scheduled<O, S> {
    /// Sets the rate (and momentum) for this step from the schedule, then steps.
    ///
    /// # Errors
    /// The wrapped optimizer's errors (a failed step is not counted), and
    /// [`Error::ScheduleOutOfRange`], naming the step, if the schedule produced a rate or
    /// momentum out of range (an `ExponentialLr` with `gamma > 1` overflowing, say).
    fn step(&mut self, params: &mut [T], grads: &[T]) -> Result<(), Error> {
        let steps = crate::optimizer::next_step(self.steps)?;
        let at_step = |error| match error {
            Error::InvalidHyperparameter {
                name,
                value,
                allowed,
            } => Error::ScheduleOutOfRange {
                step: steps,
                name,
                value,
                allowed,
            },
            other => other,
        };
        self.optimizer
            .set_learning_rate(self.schedule.learning_rate(self.base_lr, self.steps))
            .map_err(at_step)?;
        if let Some(momentum) = self.schedule.momentum(self.steps) {
            self.optimizer.set_momentum(momentum).map_err(at_step)?;
        }
        // In `f32`, the wrapped optimizer refuses at its step a rate the type cannot hold.
        self.optimizer
            .step(params, grads)
            .map_err(|error| match error {
                Error::InvalidHyperparameter {
                    name: "learning_rate",
                    ..
                } => at_step(error),
                other => other,
            })?;
        self.steps = steps;
        Ok(())
    }

    /// The rate the next step will use.
    fn learning_rate(&self) -> f64 {
        self.schedule.learning_rate(self.base_lr, self.steps)
    }

    /// Sets the base rate $\gamma_0$ that the schedule scales.
    fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), Error> {
        self.base_lr = non_negative("learning_rate", learning_rate)?;
        Ok(())
    }

    fn momentum(&self) -> Option<f64> {
        self.schedule
            .momentum(self.steps)
            .or_else(|| self.optimizer.momentum())
    }

    fn set_momentum(&mut self, momentum: f64) -> Result<(), Error> {
        self.optimizer.set_momentum(momentum)
    }

    /// Resets the optimizer's state and restarts the schedule at step 0.
    fn reset(&mut self) {
        self.optimizer.reset();
        self.steps = 0;
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }
}

fn deserialize_schedule<'de, D, S>(deserializer: D) -> Result<S, D::Error>
where
    D: Deserializer<'de>,
    S: Deserialize<'de> + Schedule,
{
    let schedule = S::deserialize(deserializer)?;
    schedule.validate().map_err(serde::de::Error::custom)?;
    Ok(schedule)
}
