//! Initial weights: random, with a variance chosen so that signals neither explode nor vanish
//! through the layers.
//!
//! A layer with $n_{\text{in}}$ inputs and $n_{\text{out}}$ outputs draws every weight
//! independently; biases start at 0. With $U(-l, l)$ uniform and $N(0, s^2)$ normal:
//!
//! | [`Init`] | uniform limit $l$ / normal std $s$ | keeps the variance of |
//! | --- | --- | --- |
//! | Glorot (Xavier) | $l = \sqrt{6/(n_{\text{in}} + n_{\text{out}})}$, $s = \sqrt{2/(n_{\text{in}} + n_{\text{out}})}$ | forward and backward signals, for tanh/sigmoid-like units |
//! | He (Kaiming) | $l = \sqrt{6/n_{\text{in}}}$, $s = \sqrt{2/n_{\text{in}}}$ | the forward signal through ReLUs (which zero half of it) |
//! | LeCun | $l = \sqrt{3/n_{\text{in}}}$, $s = \sqrt{1/n_{\text{in}}}$ | the forward signal through linear-like units |
//!
//! Plain text: Glorot `Var(w) = 2 / (n_in + n_out)`, He `Var(w) = 2 / n_in`, LeCun
//! `Var(w) = 1 / n_in` (a uniform on `(-l, l)` has variance `l^2 / 3`).
//!
//! Draws come from a `ChaCha8` generator seeded by the caller, in `f64`, then rounded to the
//! network's type: the same seed gives the same network on every platform, and an `f32`
//! network is the `f64` one rounded.

use rand::Rng;
use rand_distr::{Distribution, Normal, Uniform};
use serde::{Deserialize, Serialize};

use crate::activation::Activation;

/// How a layer's weights are drawn (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Init {
    /// Glorot/Xavier uniform on $(-l, l)$, $l = \sqrt{6/(n_{\text{in}} + n_{\text{out}})}$.
    GlorotUniform,
    /// Glorot/Xavier normal, std $\sqrt{2/(n_{\text{in}} + n_{\text{out}})}$.
    GlorotNormal,
    /// He/Kaiming uniform on $(-l, l)$, $l = \sqrt{6/n_{\text{in}}}$.
    HeUniform,
    /// He/Kaiming normal, std $\sqrt{2/n_{\text{in}}}$.
    HeNormal,
    /// `LeCun` uniform on $(-l, l)$, $l = \sqrt{3/n_{\text{in}}}$.
    LeCunUniform,
    /// `LeCun` normal, std $\sqrt{1/n_{\text{in}}}$.
    LeCunNormal,
}

impl Init {
    /// The usual choice for a layer with this activation: He normal for ReLU and leaky ReLU,
    /// Glorot uniform otherwise.
    pub fn recommended(activation: Activation) -> Self {
        match activation {
            Activation::Relu | Activation::LeakyRelu { .. } => Self::HeNormal,
            _ => Self::GlorotUniform,
        }
    }

    /// The standard deviation of a weight, $\sqrt{\operatorname{Var}(w)}$.
    ///
    /// A fan of 0 (no layer has one; the builder refuses width 0) gives $+\infty$, the
    /// formula's limit.
    pub fn std_dev(self, n_inputs: usize, n_outputs: usize) -> f64 {
        let fan_in = n_inputs as f64;
        // Summed in f64: `n_inputs + n_outputs` can overflow usize.
        let fan_sum = n_inputs as f64 + n_outputs as f64;
        match self {
            Self::GlorotUniform | Self::GlorotNormal => (2.0 / fan_sum).sqrt(),
            Self::HeUniform | Self::HeNormal => (2.0 / fan_in).sqrt(),
            Self::LeCunUniform | Self::LeCunNormal => (1.0 / fan_in).sqrt(),
        }
    }

    /// Fills `weights` (a layer's $n_{\text{out}} n_{\text{in}}$ weights) with draws from `rng`.
    ///
    /// # Panics
    ///
    /// If `n_inputs` or `n_outputs` is 0 (the builder rejects such layers first).
    pub fn fill<R: Rng + ?Sized>(
        self,
        n_inputs: usize,
        n_outputs: usize,
        rng: &mut R,
        weights: &mut [f64],
    ) {
        let s = self.std_dev(n_inputs, n_outputs);
        match self {
            Self::GlorotUniform | Self::HeUniform | Self::LeCunUniform => {
                // Var(U(-l, l)) = l^2 / 3, so l = sqrt(3) s.
                let l = 3.0_f64.sqrt() * s;
                let uniform = Uniform::new(-l, l).expect("l > 0 for widths >= 1");
                for w in weights {
                    *w = uniform.sample(rng);
                }
            }
            Self::GlorotNormal | Self::HeNormal | Self::LeCunNormal => {
                let normal = Normal::new(0.0, s).expect("s > 0 and finite for widths >= 1");
                for w in weights {
                    *w = normal.sample(rng);
                }
            }
        }
    }
}
