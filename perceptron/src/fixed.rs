//! The same neuron at full speed: the number of inputs fixed at compile time, parameters in
//! registers, nothing allocated per sample.
//!
//! [`FixedNeuron<N>`] performs, operation for operation, what [`Neuron::gradient`] on a
//! batch of one followed by an `optim::Sgd` step performs, so it produces bit-identical
//! parameters (the tests check this); it only removes the shape checks, the heap vectors and
//! the bounds checks from the loop. That is what online training needs: one sample's step is
//! a few dozen floating-point operations, and any overhead per sample would dominate it.
//!
//! ```
//! use perceptron::{FixedNeuron, Loss, data};
//!
//! // Workload W1: setosa (0) against versicolor (1), raw cm features, 100 epochs of SGD.
//! let iris = data::iris().only_classes(&[0, 1])?;
//! let inputs: Vec<[f64; 4]> = iris.rows().map(|r| [r[0], r[1], r[2], r[3]]).collect();
//! let targets: Vec<f64> = iris.labels().iter().map(|&l| l as f64).collect();
//! let mut neuron = FixedNeuron::<4>::zeros();
//! neuron.train_sgd(&inputs, &targets, 0.1, 100, Loss::HalfSquaredError)?;
//! let correct = inputs.iter().zip(&targets).filter(|&(x, &y)| {
//!     (neuron.forward(x).z > 0.0) == (y > 0.5)
//! }).count();
//! assert_eq!(correct, 100);
//! # Ok::<(), perceptron::Error>(())
//! ```
//!
//! [`Neuron::gradient`]: crate::Neuron::gradient

use chain_rule::elementary::sigmoid;

use crate::neuron::{Forward, check_learning_rate, check_target};
use crate::{Error, Loss, Neuron};

/// A sigmoid neuron with exactly `N` inputs, $\hat y = \sigma(w \cdot x + b)$, stored in a
/// fixed-size array.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedNeuron<const N: usize> {
    /// The weights $w_0, \dots, w_{N-1}$.
    pub weights: [f64; N],
    /// The bias $b$.
    pub bias: f64,
}

impl<const N: usize> FixedNeuron<N> {
    /// All weights and the bias 0.
    pub fn zeros() -> Self {
        Self {
            weights: [0.0; N],
            bias: 0.0,
        }
    }

    /// The forward pass, the same operations as [`Neuron::forward`].
    #[inline]
    pub fn forward(&self, x: &[f64; N]) -> Forward {
        let z = self.pre_activation(x);
        Forward {
            z,
            y_hat: sigmoid(z),
        }
    }

    /// One step of online gradient descent on sample `(x, y)`:
    /// $w_i \leftarrow w_i - \alpha \, \delta x_i$, $b \leftarrow b - \alpha \delta$ with
    /// $\delta = \partial \ell / \partial z$ ([`Loss::dloss_dz`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLearningRate`], [`Error::InvalidTarget`] (index 0),
    /// [`Error::NonFiniteInput`], or [`Error::Diverged`] (epoch 1, step 1) if the loss or a
    /// new parameter would be non-finite; the parameters are then left unchanged.
    pub fn sgd_step(
        &mut self,
        x: &[f64; N],
        y: f64,
        learning_rate: f64,
        loss: Loss,
    ) -> Result<(), Error> {
        check_learning_rate(learning_rate)?;
        check_target(0, y)?;
        check_finite(x, 0)?;
        self.step(x, y, -learning_rate, loss)
            .map_err(|quantity| Error::Diverged {
                epoch: 1,
                step: 1,
                quantity,
            })
    }

    /// Online training: `epochs` passes over the samples in the given order, one
    /// [`sgd_step`](Self::sgd_step) per sample.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLearningRate`]; [`Error::EmptyDataset`] if there are no samples;
    /// [`Error::LabelCountMismatch`] unless there is one target per input;
    /// [`Error::NonFiniteInput`] (index into the flattened inputs); [`Error::InvalidTarget`];
    /// [`Error::Diverged`] naming the epoch and step, with the last finite parameters kept.
    pub fn train_sgd(
        &mut self,
        inputs: &[[f64; N]],
        targets: &[f64],
        learning_rate: f64,
        epochs: usize,
        loss: Loss,
    ) -> Result<(), Error> {
        check_learning_rate(learning_rate)?;
        if inputs.is_empty() {
            return Err(Error::EmptyDataset);
        }
        if inputs.len() != targets.len() {
            return Err(Error::LabelCountMismatch {
                samples: inputs.len(),
                labels: targets.len(),
            });
        }
        for (k, x) in inputs.iter().enumerate() {
            check_finite(x, k * N)?;
        }
        for (index, &y) in targets.iter().enumerate() {
            check_target(index, y)?;
        }
        // One loop per loss, so that the loss's match is resolved outside the hot loop.
        match loss {
            Loss::SquaredError => {
                self.epochs(inputs, targets, -learning_rate, epochs, Loss::SquaredError)
            }
            Loss::HalfSquaredError => self.epochs(
                inputs,
                targets,
                -learning_rate,
                epochs,
                Loss::HalfSquaredError,
            ),
            Loss::CrossEntropy => {
                self.epochs(inputs, targets, -learning_rate, epochs, Loss::CrossEntropy)
            }
        }
    }

    /// $z = w \cdot x + b$, in the order of [`crate::neuron::pre_activation`].
    // Forced, like `step`: see there.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn pre_activation(&self, x: &[f64; N]) -> f64 {
        const { assert!(N > 0, "a neuron needs at least one input") };
        let mut z = self.weights[0] * x[0];
        for (&w_i, &x_i) in self.weights.iter().zip(x).skip(1) {
            z += w_i * x_i;
        }
        z + self.bias
    }

    /// The loops of [`train_sgd`](Self::train_sgd), called from each arm of its match so that,
    /// once inlined, `loss` is a constant inside.
    // Forced, like `step`: see there.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn epochs(
        &mut self,
        inputs: &[[f64; N]],
        targets: &[f64],
        neg_learning_rate: f64,
        epochs: usize,
        loss: Loss,
    ) -> Result<(), Error> {
        let mut current = *self;
        for epoch in 0..epochs {
            for (step, (x, &y)) in inputs.iter().zip(targets).enumerate() {
                if let Err(quantity) = current.step(x, y, neg_learning_rate, loss) {
                    *self = current;
                    return Err(Error::Diverged {
                        epoch: epoch + 1,
                        step: step + 1,
                        quantity,
                    });
                }
            }
        }
        *self = current;
        Ok(())
    }

    /// One update; on failure names the quantity that became non-finite and changes nothing.
    // Forced: with a plain `#[inline]` the compiler kept this as a call taking `loss` at run
    // time, and W1 measured 33 ns per sample instead of 25 (same machine, same load).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn step(
        &mut self,
        x: &[f64; N],
        y: f64,
        neg_learning_rate: f64,
        loss: Loss,
    ) -> Result<(), &'static str> {
        let z = self.pre_activation(x);
        if !loss.is_finite_at(z) {
            return Err("the loss");
        }
        let y_hat = sigmoid(z);
        let dloss_dz = loss.dloss_dz(y_hat, y, y_hat * (1.0 - y_hat));
        let mut next = *self;
        let mut all_finite = true;
        for ((next_w_i, &w_i), &x_i) in next.weights.iter_mut().zip(&self.weights).zip(x) {
            *next_w_i = w_i + neg_learning_rate * (dloss_dz * x_i);
            all_finite &= next_w_i.is_finite();
        }
        next.bias = self.bias + neg_learning_rate * dloss_dz;
        if !(all_finite && next.bias.is_finite()) {
            return Err("a parameter");
        }
        *self = next;
        Ok(())
    }
}

impl<const N: usize> Default for FixedNeuron<N> {
    fn default() -> Self {
        Self::zeros()
    }
}

impl<const N: usize> TryFrom<&Neuron> for FixedNeuron<N> {
    type Error = Error;

    /// The same parameters in a fixed-size neuron.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if the neuron does not have exactly `N` inputs.
    fn try_from(neuron: &Neuron) -> Result<Self, Error> {
        let weights = neuron
            .weights()
            .try_into()
            .map_err(|_| Error::ShapeMismatch {
                expected: N,
                found: neuron.n_inputs(),
            })?;
        Ok(Self {
            weights,
            bias: neuron.bias(),
        })
    }
}

impl<const N: usize> TryFrom<FixedNeuron<N>> for Neuron {
    type Error = Error;

    /// The same parameters in a [`Neuron`].
    ///
    /// # Errors
    ///
    /// [`Error::NoInputs`] if `N` is 0, [`Error::NonFiniteParameter`] for a NaN or infinite
    /// parameter (the fields are public, so anything can be in them).
    fn try_from(neuron: FixedNeuron<N>) -> Result<Self, Error> {
        Neuron::new(neuron.weights.to_vec(), neuron.bias)
    }
}

fn check_finite(x: &[f64], offset: usize) -> Result<(), Error> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::NonFiniteInput {
            index: offset + i,
            value: x[i],
        }),
        None => Ok(()),
    }
}
