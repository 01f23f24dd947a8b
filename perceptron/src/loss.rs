//! How wrong is a prediction? The three losses a sigmoid neuron is trained with, each next to
//! its derivative.
//!
//! For one sample with target $y \in \{0, 1\}$ and prediction $\hat y = \sigma(z)$:
//!
//! | [`Loss`] | $\ell(\hat y, y)$ | $\partial \ell / \partial \hat y$ | $\partial \ell / \partial z$ |
//! | --- | --- | --- | --- |
//! | `SquaredError` (the course's default) | $(\hat y - y)^2$ | $2(\hat y - y)$ | $2(\hat y - y)\,\hat y(1 - \hat y)$ |
//! | `HalfSquaredError` | $\frac12(\hat y - y)^2$ | $\hat y - y$ | $(\hat y - y)\,\hat y(1 - \hat y)$ |
//! | `CrossEntropy` | $-y\ln\hat y - (1 - y)\ln(1 - \hat y)$ | $\frac{\hat y - y}{\hat y(1 - \hat y)}$ | $\hat y - y$ |
//!
//! Over a batch of $m$ samples the loss is the mean, $L = \frac1m \sum_k \ell_k$, so its
//! gradient is the mean of the per-sample gradients.
//!
//! The $\frac12$ only rescales the gradient by 2 (absorbed by the learning rate); it is the
//! convention of many textbooks and of workload W1, whose numbers this crate reproduces bit for
//! bit with [`Loss::HalfSquaredError`]. The squared error without it is what `PyTorch`'s
//! `MSELoss` computes.
//!
//! Why cross-entropy: its $\partial \ell / \partial z = \hat y - y$ has no factor
//! $\hat y (1 - \hat y)$, so a confidently wrong neuron ($z \to \pm\infty$ on the wrong side)
//! still gets a gradient of size 1, where the squared error's gradient vanishes with
//! $\sigma'(z)$.

use chain_rule::Real;
use chain_rule::elementary::sigmoid;

/// Binary cross-entropy of a logit $z$ against a target $y \in [0, 1]$,
/// $\ell = \operatorname{softplus}(z) - y z$, evaluated as a sum of non-negative terms so that
/// it is accurate relative to $\ell$ itself, however confident the prediction:
///
/// $$ \ell = (1 - y) \max(z, 0) + y \max(-z, 0) + \ln\left(1 + e^{-\lvert z \rvert}\right) $$
///
/// Plain text: `loss = (1 - y) max(z, 0) + y max(-z, 0) + ln(1 + exp(-|z|))`. The two forms
/// are equal because $\operatorname{softplus}(z) = \max(z, 0) + \ln(1 + e^{-\lvert z
/// \rvert})$ and $\max(z, 0) - \max(-z, 0) = z$. Evaluated as written,
/// $\operatorname{softplus}(z) - y z$ subtracts two numbers close to $z$ when $y = 1$ and
/// $z \gg 0$ (a right and confident prediction): at $z = 40$ in `f64` it gives exactly 0, where
/// $\ell = \ln(1 + e^{-40}) \approx 4.25 \cdot 10^{-18}$, which this form gives (and so does
/// `PyTorch` 2.15's `binary_cross_entropy_with_logits`). The derivative is $\sigma(z) - y$ on
/// both sides of 0, so the tape and dual numbers differentiate either branch correctly.
#[inline]
pub fn cross_entropy_of_logit<T: Real>(z: T, y: T) -> T {
    let one = T::from_f64(1.0);
    if z > T::zero() {
        (one - y) * z + (-z).exp().ln_1p()
    } else {
        -(y * z) + z.exp().ln_1p()
    }
}

/// The loss of one sample; see the [module docs](self) for the formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Loss {
    /// $\ell = (\hat y - y)^2$, the article's mean squared error and the chapter's convention.
    #[default]
    SquaredError,
    /// $\ell = \frac12 (\hat y - y)^2$, as in workload W1 and many textbooks.
    HalfSquaredError,
    /// Binary cross-entropy $\ell = -y \ln \hat y - (1 - y) \ln(1 - \hat y)$.
    CrossEntropy,
}

impl Loss {
    /// Every loss, for tests and figures that go through all three.
    pub const ALL: [Self; 3] = [
        Self::SquaredError,
        Self::HalfSquaredError,
        Self::CrossEntropy,
    ];

    /// A short lowercase name (`"squared error"`, `"half squared error"`, `"cross-entropy"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::SquaredError => "squared error",
            Self::HalfSquaredError => "half squared error",
            Self::CrossEntropy => "cross-entropy",
        }
    }

    /// $\ell$ as a function of the pre-activation $z$ (the *logit*) and the target, over any
    /// [`Real`], so the tape and dual numbers can differentiate it.
    ///
    /// The squared errors compute $\hat y = \sigma(z)$ first. Cross-entropy is computed in
    /// the form that never takes the logarithm of a rounded 0:
    ///
    /// $$ \ell = \operatorname{softplus}(z) - y z = \ln(1 + e^z) - y z $$
    ///
    /// Plain text: `loss = softplus(z) - y * z`, which equals $-y\ln\sigma(z) - (1 - y)\ln(1 -
    /// \sigma(z))$ because $\ln\sigma(z) = z - \operatorname{softplus}(z)$ and
    /// $\ln(1 - \sigma(z)) = -\operatorname{softplus}(z)$. It is evaluated as a sum of
    /// non-negative terms, by [`cross_entropy_of_logit`].
    #[inline]
    pub fn of_logit<T: Real>(self, z: T, y: T) -> T {
        match self {
            Self::SquaredError => {
                let error = sigmoid(z) - y;
                error * error
            }
            Self::HalfSquaredError => {
                let error = sigmoid(z) - y;
                T::from_f64(0.5) * error * error
            }
            Self::CrossEntropy => cross_entropy_of_logit(z, y),
        }
    }

    /// $\ell(\hat y, y)$ from the prediction $\hat y \in [0, 1]$, as written in the table.
    ///
    /// For cross-entropy this is $+\infty$ when $\hat y$ has rounded to exactly 0 or 1 on the
    /// wrong side; [`of_logit`](Self::of_logit) stays finite there.
    #[inline]
    pub fn of_prediction(self, y_hat: f64, y: f64) -> f64 {
        match self {
            Self::SquaredError => (y_hat - y) * (y_hat - y),
            Self::HalfSquaredError => 0.5 * (y_hat - y) * (y_hat - y),
            Self::CrossEntropy => {
                // 0 · ln 0 is taken as 0 (its limit), so a right and certain prediction costs 0.
                let positive = if y > 0.0 { -y * y_hat.ln() } else { 0.0 };
                let negative = if y < 1.0 {
                    -(1.0 - y) * (1.0 - y_hat).ln()
                } else {
                    0.0
                };
                positive + negative
            }
        }
    }

    /// $\partial \ell / \partial \hat y$, the first chain-rule factor.
    ///
    /// For cross-entropy, $\frac{\hat y - y}{\hat y (1 - \hat y)}$, infinite when $\hat y$
    /// is exactly 0 or 1; the neuron never multiplies it out but uses
    /// [`dloss_dz`](Self::dloss_dz).
    #[inline]
    pub fn dloss_dy_hat(self, y_hat: f64, y: f64) -> f64 {
        match self {
            Self::SquaredError => 2.0 * (y_hat - y),
            Self::HalfSquaredError => y_hat - y,
            Self::CrossEntropy => (y_hat - y) / (y_hat * (1.0 - y_hat)),
        }
    }

    /// $\delta = \partial \ell / \partial z = \frac{\partial \ell}{\partial \hat y} \cdot
    /// \frac{\partial \hat y}{\partial z}$ with $\frac{\partial \hat y}{\partial z} =$
    /// `dy_hat_dz` $= \hat y (1 - \hat y)$.
    ///
    /// The squared errors multiply the two factors as written; cross-entropy uses the
    /// cancelled product $\hat y - y$ (exact algebra, and finite where the first factor is
    /// not).
    #[inline]
    pub fn dloss_dz(self, y_hat: f64, y: f64, dy_hat_dz: f64) -> f64 {
        match self {
            Self::SquaredError => 2.0 * (y_hat - y) * dy_hat_dz,
            Self::HalfSquaredError => (y_hat - y) * dy_hat_dz,
            Self::CrossEntropy => y_hat - y,
        }
    }

    /// Whether $\ell$ is finite at pre-activation `z`, without computing it: cross-entropy
    /// needs a finite $z$; the squared errors are bounded by 1 and only fail on NaN.
    #[inline]
    pub fn is_finite_at(self, z: f64) -> bool {
        match self {
            Self::SquaredError | Self::HalfSquaredError => !z.is_nan(),
            Self::CrossEntropy => z.is_finite(),
        }
    }
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
