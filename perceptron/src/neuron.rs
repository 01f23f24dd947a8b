//! One sigmoid neuron: forward pass, every chain-rule factor of the backward pass, and the
//! gradient-descent update.
//!
//! With inputs $x_1, \dots, x_n$, weights $w_1, \dots, w_n$ and bias $b$ (code indices start
//! at 0):
//!
//! $$ z = \sum_{i} w_i x_i + b, \qquad \hat y = \sigma(z) = \frac{1}{1 + e^{-z}} $$
//!
//! Plain text: `z = dot(w, x) + b`, `y_hat = sigmoid(z)`.
//! For a loss $\ell(\hat y, y)$ (see [`Loss`]) the chain rule gives
//!
//! $$ \frac{\partial \ell}{\partial w_i} = \frac{\partial \ell}{\partial \hat y} \cdot
//! \frac{\partial \hat y}{\partial z} \cdot \frac{\partial z}{\partial w_i}, \qquad
//! \frac{\partial \hat y}{\partial z} = \hat y (1 - \hat y), \quad
//! \frac{\partial z}{\partial w_i} = x_i, \quad \frac{\partial z}{\partial b} = 1 $$
//!
//! Plain text: `dloss/dw_i = dloss/dy_hat * y_hat * (1 - y_hat) * x_i`, `dloss/db =
//! dloss/dy_hat * y_hat * (1 - y_hat)`. [`Neuron::backward`] returns each factor by name.
//!
//! The parameters live in one flat vector `[w_0, ..., w_{n-1}, b]` ([`Neuron::params`]), and
//! a [`Gradient`] lays out its entries the same way, so any [`optim::Optimizer`] can step
//! them.

use chain_rule::Real;
use chain_rule::elementary::sigmoid;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Loss};

/// A neuron with `n` inputs and a sigmoid activation: $\hat y = \sigma(w \cdot x + b)$.
#[derive(Debug, Clone, PartialEq)]
pub struct Neuron {
    /// `[w_0, ..., w_{n-1}, b]`.
    params: Vec<f64>,
}

/// The forward pass of one sample: the weighted sum and the prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forward {
    /// $z = w \cdot x + b$, the pre-activation (logit).
    pub z: f64,
    /// $\hat y = \sigma(z)$, the predicted probability of class 1.
    pub y_hat: f64,
}

/// The backward pass of one sample: the forward values, the loss, every chain-rule factor and
/// the resulting gradient.
#[derive(Debug, Clone, PartialEq)]
pub struct Backward {
    /// $z = w \cdot x + b$.
    pub z: f64,
    /// $\hat y = \sigma(z)$.
    pub y_hat: f64,
    /// The target $y$.
    pub y: f64,
    /// $\ell(\hat y, y)$, computed from $z$ ([`Loss::of_logit`]).
    pub loss: f64,
    /// $\partial \ell / \partial \hat y$ ([`Loss::dloss_dy_hat`]).
    pub dloss_dy_hat: f64,
    /// $\partial \hat y / \partial z = \hat y (1 - \hat y)$.
    pub dy_hat_dz: f64,
    /// $\delta = \partial \ell / \partial z = \frac{\partial \ell}{\partial \hat y}
    /// \frac{\partial \hat y}{\partial z}$ ([`Loss::dloss_dz`]).
    pub dloss_dz: f64,
    /// $\partial z / \partial w_i = x_i$: the input itself.
    pub dz_dw: Vec<f64>,
    /// $\partial z / \partial b = 1$.
    pub dz_db: f64,
    /// $\partial \ell / \partial w_i = \delta \, x_i$.
    pub grad_w: Vec<f64>,
    /// $\partial \ell / \partial b = \delta$.
    pub grad_b: f64,
}

/// The gradient of the mean loss over a batch, laid out like [`Neuron::params`]:
/// `[dL/dw_0, ..., dL/dw_{n-1}, dL/db]`.
///
/// $$ L = \frac1m \sum_{k=1}^m \ell_k, \qquad
/// \frac{\partial L}{\partial w_i} = \frac1m \sum_k \delta_k x_{ki}, \qquad
/// \frac{\partial L}{\partial b} = \frac1m \sum_k \delta_k $$
///
/// Plain text: `L = mean(loss_k)`, `dL/dw_i = mean(delta_k * x_k[i])`, `dL/db =
/// mean(delta_k)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient {
    loss: f64,
    grads: Vec<f64>,
}

impl Gradient {
    /// The mean loss $L$ of the batch at the parameters the gradient was taken at.
    pub fn loss(&self) -> f64 {
        self.loss
    }

    /// All entries, `[dL/dw_0, ..., dL/dw_{n-1}, dL/db]`: what an optimizer steps with.
    pub fn as_slice(&self) -> &[f64] {
        &self.grads
    }

    /// $\partial L / \partial w_i$ for every weight.
    pub fn grad_w(&self) -> &[f64] {
        &self.grads[..self.grads.len() - 1]
    }

    /// $\partial L / \partial b$.
    pub fn grad_b(&self) -> f64 {
        self.grads[self.grads.len() - 1]
    }
}

impl Neuron {
    /// The neuron $\sigma(w \cdot x + b)$ with the given weights and bias.
    ///
    /// # Errors
    ///
    /// [`Error::NoInputs`] if `weights` is empty, [`Error::NonFiniteParameter`] naming the
    /// index of a NaN or infinite weight (or `weights.len()` for the bias).
    pub fn new(weights: Vec<f64>, bias: f64) -> Result<Self, Error> {
        let mut params = weights;
        params.push(bias);
        Self::from_params(params)
    }

    /// A neuron from a flat vector `[w_0, ..., w_{n-1}, b]`.
    ///
    /// # Errors
    ///
    /// [`Error::NoInputs`] if `params` has fewer than 2 entries, [`Error::NonFiniteParameter`]
    /// for a NaN or infinite entry.
    pub fn from_params(params: Vec<f64>) -> Result<Self, Error> {
        if params.len() < 2 {
            return Err(Error::NoInputs);
        }
        if let Some(index) = params.iter().position(|p| !p.is_finite()) {
            return Err(Error::NonFiniteParameter {
                index,
                value: params[index],
            });
        }
        Ok(Self { params })
    }

    /// All weights and the bias 0, the start of workload W1.
    ///
    /// # Errors
    ///
    /// [`Error::NoInputs`] if `n_inputs` is 0, [`Error::TooManyInputs`] if its $n + 1$
    /// parameters do not fit in memory.
    pub fn zeros(n_inputs: usize) -> Result<Self, Error> {
        let mut params = param_buffer(n_inputs)?;
        params.resize(n_inputs + 1, 0.0);
        Self::from_params(params)
    }

    /// Weights and bias drawn uniformly from $(-k, k)$ with $k = 1/\sqrt{n}$, `PyTorch`'s
    /// default for `nn.Linear`, from a `ChaCha8` generator seeded with `seed`.
    ///
    /// # Errors
    ///
    /// [`Error::NoInputs`] if `n_inputs` is 0, [`Error::TooManyInputs`] if its $n + 1$
    /// parameters do not fit in memory.
    pub fn random(n_inputs: usize, seed: u64) -> Result<Self, Error> {
        if n_inputs == 0 {
            return Err(Error::NoInputs);
        }
        let mut params = param_buffer(n_inputs)?;
        let k = 1.0 / (n_inputs as f64).sqrt();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        params.extend((0..=n_inputs).map(|_| rng.random_range(-k..k)));
        Self::from_params(params)
    }

    /// Number of inputs $n$ (number of weights).
    pub fn n_inputs(&self) -> usize {
        self.params.len() - 1
    }

    /// The weights $w_0, \dots, w_{n-1}$.
    pub fn weights(&self) -> &[f64] {
        &self.params[..self.n_inputs()]
    }

    /// The bias $b$.
    pub fn bias(&self) -> f64 {
        self.params[self.n_inputs()]
    }

    /// The flat parameter vector `[w_0, ..., w_{n-1}, b]`.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// The flat parameter vector, for an optimizer to update in place.
    pub fn params_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    /// The forward pass: $z = w \cdot x + b$ (summed in index order, bias last) and
    /// $\hat y = \sigma(z)$.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if `x.len()` differs from the number of weights,
    /// [`Error::NonFiniteInput`] naming the index of a NaN or infinite input.
    pub fn forward(&self, x: &[f64]) -> Result<Forward, Error> {
        self.check_input(x)?;
        let z = pre_activation(&self.params, x);
        Ok(Forward {
            z,
            y_hat: sigmoid(z),
        })
    }

    /// The predicted class: 1 when $\hat y > \frac12$ (that is $z > 0$), else 0.
    ///
    /// # Errors
    ///
    /// As for [`forward`](Self::forward).
    pub fn classify(&self, x: &[f64]) -> Result<usize, Error> {
        Ok(usize::from(self.forward(x)?.z > 0.0))
    }

    /// The backward pass for one sample with target `y`: every chain-rule factor by name,
    /// and the gradient $\partial \ell / \partial w_i = \delta x_i$,
    /// $\partial \ell / \partial b = \delta$ with
    /// $\delta = \frac{\partial \ell}{\partial \hat y} \, \hat y (1 - \hat y)$.
    ///
    /// # Errors
    ///
    /// As for [`forward`](Self::forward), and [`Error::InvalidTarget`] (index 0) unless `y`
    /// is a finite value in $[0, 1]$.
    pub fn backward(&self, x: &[f64], y: f64, loss: Loss) -> Result<Backward, Error> {
        let Forward { z, y_hat } = self.forward(x)?;
        check_target(0, y)?;
        let dy_hat_dz = y_hat * (1.0 - y_hat);
        let dloss_dz = loss.dloss_dz(y_hat, y, dy_hat_dz);
        Ok(Backward {
            z,
            y_hat,
            y,
            loss: loss.of_logit(z, y),
            dloss_dy_hat: loss.dloss_dy_hat(y_hat, y),
            dy_hat_dz,
            dloss_dz,
            dz_dw: x.to_vec(),
            dz_db: 1.0,
            grad_w: x.iter().map(|&x_i| dloss_dz * x_i).collect(),
            grad_b: dloss_dz,
        })
    }

    /// The mean loss over a batch and its gradient ([`Gradient`]).
    ///
    /// `inputs` holds the batch row-major, one row of [`n_inputs`](Self::n_inputs) values per
    /// target. Per sample the operations are those of [`backward`](Self::backward); the sums
    /// run in sample order and are divided by $m$ at the end, so a batch of one gives
    /// exactly `backward`'s numbers.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyDataset`] for an empty batch, [`Error::ShapeMismatch`] if
    /// `inputs.len()` is not `targets.len() * n_inputs()` (with `expected` the latter),
    /// [`Error::NonFiniteInput`] (index into `inputs`) and [`Error::InvalidTarget`] (index
    /// into `targets`).
    pub fn gradient(&self, inputs: &[f64], targets: &[f64], loss: Loss) -> Result<Gradient, Error> {
        let n = self.n_inputs();
        if targets.is_empty() {
            return Err(Error::EmptyDataset);
        }
        if inputs.len() != targets.len() * n {
            return Err(Error::ShapeMismatch {
                expected: targets.len() * n,
                found: inputs.len(),
            });
        }
        check_finite_inputs(inputs)?;
        for (index, &y) in targets.iter().enumerate() {
            check_target(index, y)?;
        }
        let mut grads = vec![0.0; n + 1];
        let mut total_loss = 0.0;
        for (k, (x, &y)) in inputs.chunks_exact(n).zip(targets).enumerate() {
            let z = pre_activation(&self.params, x);
            let y_hat = sigmoid(z);
            let dloss_dz = loss.dloss_dz(y_hat, y, y_hat * (1.0 - y_hat));
            let sample_loss = loss.of_logit(z, y);
            if k == 0 {
                for (g, &x_i) in grads.iter_mut().zip(x) {
                    *g = dloss_dz * x_i;
                }
                grads[n] = dloss_dz;
                total_loss = sample_loss;
            } else {
                for (g, &x_i) in grads.iter_mut().zip(x) {
                    *g += dloss_dz * x_i;
                }
                grads[n] += dloss_dz;
                total_loss += sample_loss;
            }
        }
        let m = targets.len() as f64;
        for g in &mut grads {
            *g /= m;
        }
        Ok(Gradient {
            loss: total_loss / m,
            grads,
        })
    }

    /// The article's update, plain gradient descent with learning rate $\alpha$:
    ///
    /// $$ w_i \leftarrow w_i - \alpha \frac{\partial L}{\partial w_i}, \qquad
    /// b \leftarrow b - \alpha \frac{\partial L}{\partial b} $$
    ///
    /// Plain text: `w_i = w_i - learning_rate * dL/dw_i`, the same for `b`; computed as
    /// `optim::Sgd` computes it, so the two give identical parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLearningRate`] unless `learning_rate` is finite and $> 0$;
    /// [`Error::ShapeMismatch`] if the gradient belongs to a neuron with another number of
    /// inputs.
    pub fn descend(&mut self, gradient: &Gradient, learning_rate: f64) -> Result<(), Error> {
        check_learning_rate(learning_rate)?;
        if gradient.grads.len() != self.params.len() {
            return Err(Error::ShapeMismatch {
                expected: self.n_inputs(),
                found: gradient.grads.len() - 1,
            });
        }
        for (p, &g) in self.params.iter_mut().zip(&gradient.grads) {
            *p += -learning_rate * g;
        }
        Ok(())
    }

    fn check_input(&self, x: &[f64]) -> Result<(), Error> {
        if x.len() != self.n_inputs() {
            return Err(Error::ShapeMismatch {
                expected: self.n_inputs(),
                found: x.len(),
            });
        }
        check_finite_inputs(x)
    }
}

/// $z = \sum_i w_i x_i + b$ from a flat `params = [w_0, ..., w_{n-1}, b]`, over any
/// [`Real`]: the one place the weighted sum is written, used by [`Neuron::forward`] on
/// `f64` and by [`mean_loss`] on dual numbers and tape variables.
///
/// The products are summed in index order starting from the first one, then $b$ is added.
///
/// # Panics
///
/// If `params.len() != x.len() + 1` (an internal invariant: callers check shapes first).
#[inline]
pub fn pre_activation<T: Real>(params: &[T], x: &[f64]) -> T {
    assert_eq!(
        params.len(),
        x.len() + 1,
        "params hold one weight per input and a bias"
    );
    let (w, b) = params.split_at(x.len());
    let mut z = w[0] * T::from_f64(x[0]);
    for (&w_i, &x_i) in w.iter().zip(x).skip(1) {
        z += w_i * T::from_f64(x_i);
    }
    z + b[0]
}

/// The mean loss $L = \frac1m \sum_k \ell(\sigma(w \cdot x_k + b), y_k)$ as a function of the
/// flat parameters, over any [`Real`]: what the tests differentiate with dual numbers, the
/// tape and central differences to check [`Neuron::gradient`].
///
/// # Errors
///
/// As for [`Neuron::gradient`], and [`Error::NoInputs`] if `params` has fewer than 2 entries.
pub fn mean_loss<T: Real>(
    params: &[T],
    inputs: &[f64],
    targets: &[f64],
    loss: Loss,
) -> Result<T, Error> {
    if params.len() < 2 {
        return Err(Error::NoInputs);
    }
    let n = params.len() - 1;
    if targets.is_empty() {
        return Err(Error::EmptyDataset);
    }
    if inputs.len() != targets.len() * n {
        return Err(Error::ShapeMismatch {
            expected: targets.len() * n,
            found: inputs.len(),
        });
    }
    check_finite_inputs(inputs)?;
    let mut total = T::zero();
    for (index, (x, &y)) in inputs.chunks_exact(n).zip(targets).enumerate() {
        check_target(index, y)?;
        total += loss.of_logit(pre_activation(params, x), T::from_f64(y));
    }
    Ok(total / T::from_f64(targets.len() as f64))
}

/// Checks that a learning rate is finite and positive.
pub(crate) fn check_learning_rate(learning_rate: f64) -> Result<(), Error> {
    if learning_rate.is_finite() && learning_rate > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidLearningRate(learning_rate))
    }
}

/// Checks that a target is a finite value in `[0, 1]`.
pub(crate) fn check_target(index: usize, y: f64) -> Result<(), Error> {
    if (0.0..=1.0).contains(&y) {
        Ok(())
    } else {
        Err(Error::InvalidTarget { index, value: y })
    }
}

fn check_finite_inputs(x: &[f64]) -> Result<(), Error> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFiniteInput {
            index,
            value: x[index],
        }),
        None => Ok(()),
    }
}

/// An empty buffer with room for the $n + 1$ parameters of a neuron with `n_inputs` inputs,
/// or [`Error::TooManyInputs`] if they overflow or the allocator refuses them.
fn param_buffer(n_inputs: usize) -> Result<Vec<f64>, Error> {
    let mut params = Vec::new();
    n_inputs
        .checked_add(1)
        .and_then(|len| params.try_reserve_exact(len).ok())
        .ok_or(Error::TooManyInputs { n_inputs })?;
    Ok(params)
}
