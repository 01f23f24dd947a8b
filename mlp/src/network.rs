//! The network: its layers, its flat parameter buffer, and the builder that checks a spec.
//!
//! # Layout
//!
//! Layer $l$ computes $z^l = W^l a^{l-1} + b^l$ and $a^l = \sigma^l(z^l)$, with
//! $a^0 = x$ the input. $W^l$ has one row per output and one column per input
//! ($n_{\text{out}} \times n_{\text{in}}$), so row $i$ holds the incoming weights of neuron
//! $i$, exactly a perceptron's weight vector.
//!
//! All parameters live in one flat `Vec<T>`, layer after layer, and in each layer the
//! weights (row-major: `w[i * n_in + j]` is $W_{ij}$, neuron after neuron) followed by the
//! $n_{\text{out}}$ biases:
//!
//! ```text
//! [ W^1 (row-major) | b^1 | W^2 (row-major) | b^2 | ... ]
//! ```
//!
//! Gradients use the same layout in a buffer of the same length, so an `optim` optimizer, the
//! `gradient` checker and a norm or clipping rule act on the whole network as on one vector.
//! [`Mlp::weights`] and [`Mlp::biases`] are `nalgebra` views into the buffer, never copies.

use std::ops::Range;

use nalgebra::{DVectorView, Dyn, MatrixView};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::Error;
use crate::init::Init;
use crate::loss::Loss;
use crate::scalar::Scalar;

/// A strided `nalgebra` matrix view into a flat buffer.
pub type View<'a, T> = MatrixView<'a, T, Dyn, Dyn, Dyn, Dyn>;

/// One dense layer: its shape, its activation and where its parameters sit in the flat buffer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    n_inputs: usize,
    n_outputs: usize,
    activation: Activation,
    offset: usize,
}

impl Layer {
    /// Inputs per sample ($n_{\text{in}}$, columns of $W$).
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    /// Outputs per sample ($n_{\text{out}}$, rows of $W$).
    pub fn n_outputs(&self) -> usize {
        self.n_outputs
    }

    /// The activation $\sigma$ applied after the affine map.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Number of parameters, $n_{\text{out}} (n_{\text{in}} + 1)$.
    pub fn n_params(&self) -> usize {
        self.n_outputs * (self.n_inputs + 1)
    }

    /// Where the layer's weights sit in the flat buffer (row-major $W$).
    pub fn weights_range(&self) -> Range<usize> {
        self.offset..self.offset + self.n_outputs * self.n_inputs
    }

    /// Where the layer's biases sit in the flat buffer.
    pub fn biases_range(&self) -> Range<usize> {
        let start = self.offset + self.n_outputs * self.n_inputs;
        start..start + self.n_outputs
    }

    /// Where all the layer's parameters (weights then biases) sit in the flat buffer.
    pub fn params_range(&self) -> Range<usize> {
        self.offset..self.offset + self.n_params()
    }
}

/// A multilayer perceptron over `f32` or `f64`: dense layers, their activations, a loss and
/// an optional L2 penalty, with all parameters in one flat buffer (see the
/// [module docs](self) for the layout and [`crate::backprop`] for the passes).
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<T> {
    pub(crate) n_inputs: usize,
    pub(crate) layers: Vec<Layer>,
    pub(crate) loss: Loss,
    pub(crate) l2: f64,
    pub(crate) params: Vec<T>,
}

impl<T: Scalar> Mlp<T> {
    /// Starts a builder for a network with `n_inputs` inputs.
    pub fn builder(n_inputs: usize) -> MlpBuilder {
        MlpBuilder::new(n_inputs)
    }

    /// Inputs per sample.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    /// Outputs per sample (the width of the last layer).
    pub fn n_outputs(&self) -> usize {
        self.layers.last().map_or(0, Layer::n_outputs)
    }

    /// Total number of parameters (the length of [`Mlp::params`]).
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// The layers, input side first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The loss the network is trained on.
    pub fn loss_kind(&self) -> Loss {
        self.loss
    }

    /// The L2 penalty factor $\lambda$: the objective adds $\frac{\lambda}{2} \sum_l \lVert W^l \rVert_F^2$
    /// (weights only, not biases).
    pub fn l2(&self) -> f64 {
        self.l2
    }

    /// All parameters, in the layout of the [module docs](self).
    pub fn params(&self) -> &[T] {
        &self.params
    }

    /// All parameters, mutable (an optimizer steps them in place).
    pub fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// Replaces all parameters.
    ///
    /// # Errors
    ///
    /// [`Error::ParameterLength`] if `params` is not [`Mlp::n_params`] long;
    /// [`Error::NonFinite`] naming [`Quantity::Parameter`](crate::Quantity::Parameter) and the
    /// first layer holding a NaN or an infinity (the parameters are left unchanged), which
    /// would otherwise make every output NaN without an error.
    pub fn set_params(&mut self, params: &[T]) -> Result<(), Error> {
        if let Some(layer) = self.non_finite_layer(params)? {
            return Err(Error::NonFinite {
                quantity: crate::Quantity::Parameter,
                layer: Some(layer),
            });
        }
        self.params.copy_from_slice(params);
        Ok(())
    }

    /// $W^l$ as an $n_{\text{out}} \times n_{\text{in}}$ view into the flat buffer.
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn weights(&self, layer: usize) -> View<'_, T> {
        let spec = &self.layers[layer];
        row_major(
            &self.params[spec.weights_range()],
            spec.n_outputs,
            spec.n_inputs,
        )
    }

    /// $b^l$ as a view into the flat buffer.
    ///
    /// # Panics
    ///
    /// If `layer` is not below the number of layers.
    pub fn biases(&self, layer: usize) -> DVectorView<'_, T> {
        DVectorView::from_slice(
            &self.params[self.layers[layer].biases_range()],
            self.layers[layer].n_outputs,
        )
    }

    /// The Euclidean norm of each layer's part (weights and biases) of a flat buffer laid out
    /// like the parameters: the per-layer gradient norms of a gradient, or the weight norms of
    /// [`Mlp::params`] (their ratio is the update-to-weight sanity check).
    ///
    /// # Errors
    ///
    /// [`Error::ParameterLength`] if `flat` is not [`Mlp::n_params`] long.
    pub fn layer_norms(&self, flat: &[T]) -> Result<Vec<f64>, Error> {
        self.check_flat_len(flat.len())?;
        Ok(self
            .layers
            .iter()
            .map(|layer| {
                gradient::magnitude_of(flat[layer.params_range()].iter().map(|v| v.widen()))
            })
            .collect())
    }

    /// The first layer whose part of `flat` (parameters or gradient) holds a NaN or an
    /// infinity, or `None` if all are finite.
    ///
    /// # Errors
    ///
    /// [`Error::ParameterLength`] if `flat` is not [`Mlp::n_params`] long.
    pub fn non_finite_layer(&self, flat: &[T]) -> Result<Option<usize>, Error> {
        self.check_flat_len(flat.len())?;
        if optim::first_non_finite(flat).is_none() {
            return Ok(None);
        }
        Ok(self
            .layers
            .iter()
            .position(|layer| optim::first_non_finite(&flat[layer.params_range()]).is_some()))
    }

    pub(crate) fn check_flat_len(&self, len: usize) -> Result<(), Error> {
        if len == self.params.len() {
            Ok(())
        } else {
            Err(Error::ParameterLength {
                expected: self.params.len(),
                found: len,
            })
        }
    }

    /// Builds the layer table from a validated spec; parameters zero.
    pub(crate) fn from_spec(
        n_inputs: usize,
        widths: &[(usize, Activation)],
        loss: Loss,
        l2: f64,
    ) -> Result<Self, Error> {
        validate_spec(n_inputs, widths, loss, l2)?;
        let mut layers = Vec::with_capacity(widths.len());
        let mut offset = 0;
        let mut fan_in = n_inputs;
        for &(n_outputs, activation) in widths {
            let layer = Layer {
                n_inputs: fan_in,
                n_outputs,
                activation,
                offset,
            };
            offset += layer.n_params();
            fan_in = n_outputs;
            layers.push(layer);
        }
        let params = crate::scalar::try_zeros(offset).ok_or_else(|| {
            layers
                .last()
                .map_or(Error::NoOutputLayer, |last| Error::TooManyParameters {
                    layer: layers.len() - 1,
                    n_inputs: last.n_inputs,
                    n_outputs: last.n_outputs,
                })
        })?;
        Ok(Self {
            n_inputs,
            layers,
            loss,
            l2,
            params,
        })
    }
}

/// Builds an [`Mlp`] from layer sizes and activations, checking that they fit together.
///
/// ```
/// use mlp::{Activation, Loss, Mlp};
///
/// // 64 inputs, a hidden layer of 32 tanh units, 10 softmax outputs.
/// let net: Mlp<f32> = Mlp::<f32>::builder(64)
///     .hidden(32, Activation::Tanh)
///     .output(10, Activation::Softmax)
///     .loss(Loss::SoftmaxCrossEntropy)
///     .seed(7)
///     .build()?;
/// assert_eq!(net.n_params(), 32 * 65 + 10 * 33);
/// # Ok::<(), mlp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MlpBuilder {
    n_inputs: usize,
    layers: Vec<(usize, Activation)>,
    has_output: bool,
    layer_after_output: bool,
    loss: Option<Loss>,
    l2: f64,
    init: Option<Init>,
    seed: u64,
}

impl MlpBuilder {
    /// A builder for a network with `n_inputs` inputs (seed 0, no L2, recommended init).
    pub fn new(n_inputs: usize) -> Self {
        Self {
            n_inputs,
            layers: Vec::new(),
            has_output: false,
            layer_after_output: false,
            loss: None,
            l2: 0.0,
            init: None,
            seed: 0,
        }
    }

    /// Adds a hidden layer of `width` units.
    #[must_use]
    pub fn hidden(mut self, width: usize, activation: Activation) -> Self {
        self.layer_after_output |= self.has_output;
        self.layers.push((width, activation));
        self
    }

    /// Adds the output layer of `width` units (the last layer).
    #[must_use]
    pub fn output(mut self, width: usize, activation: Activation) -> Self {
        self.layer_after_output |= self.has_output;
        self.has_output = true;
        self.layers.push((width, activation));
        self
    }

    /// Sets the loss. Without this call the loss is softmax cross-entropy for a softmax
    /// output, binary cross-entropy for a sigmoid output, and MSE otherwise.
    #[must_use]
    pub fn loss(mut self, loss: Loss) -> Self {
        self.loss = Some(loss);
        self
    }

    /// Sets the L2 penalty factor $\lambda \ge 0$ (default 0): the objective adds
    /// $\frac{\lambda}{2} \sum_l \lVert W^l \rVert_F^2$.
    #[must_use]
    pub fn l2(mut self, lambda: f64) -> Self {
        self.l2 = lambda;
        self
    }

    /// Uses `init` for every layer (default: [`Init::recommended`] for each layer's
    /// activation).
    #[must_use]
    pub fn init(mut self, init: Init) -> Self {
        self.init = Some(init);
        self
    }

    /// Seeds the `ChaCha8` generator the weights are drawn from (default 0): one generator,
    /// `ChaCha8Rng::seed_from_u64(seed)`, fills each layer's weights with [`Init::fill`] in
    /// turn, from the first layer to the output layer, so no two layers share draws.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Builds the network: weights drawn by the initialisation, biases 0.
    ///
    /// # Errors
    ///
    /// - [`Error::NoInputs`] if `n_inputs` is 0, [`Error::ZeroWidth`] for a layer of width 0,
    ///   [`Error::TooManyParameters`] for widths whose parameters no buffer can hold,
    /// - [`Error::NoOutputLayer`] without [`output`](Self::output),
    ///   [`Error::LayerAfterOutput`] for a layer added after it,
    /// - [`Error::SoftmaxHidden`] for softmax before the output layer,
    ///   [`Error::SoftmaxSingleOutput`] for softmax over one output,
    /// - [`Error::LossNeedsActivation`] for binary cross-entropy without a sigmoid output or
    ///   softmax cross-entropy without a softmax output,
    /// - [`Error::InvalidHyperparameter`] for a non-finite leaky-ReLU slope or an L2 factor
    ///   that is negative or not finite.
    pub fn build<T: Scalar>(&self) -> Result<Mlp<T>, Error> {
        if self.layer_after_output {
            return Err(Error::LayerAfterOutput);
        }
        if !self.has_output {
            return Err(Error::NoOutputLayer);
        }
        let loss = self.loss.unwrap_or(match self.layers.last() {
            Some((_, Activation::Softmax)) => Loss::SoftmaxCrossEntropy,
            Some((_, Activation::Sigmoid)) => Loss::BinaryCrossEntropy,
            _ => Loss::Mse,
        });
        let mut net = Mlp::from_spec(self.n_inputs, &self.layers, loss, self.l2)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut draws = Vec::new();
        for layer in &net.layers {
            let init = self
                .init
                .unwrap_or_else(|| Init::recommended(layer.activation));
            draws.resize(layer.n_outputs * layer.n_inputs, 0.0);
            init.fill(layer.n_inputs, layer.n_outputs, &mut rng, &mut draws);
            for (p, &w) in net.params[layer.weights_range()].iter_mut().zip(&draws) {
                *p = T::cast(w);
            }
        }
        Ok(net)
    }
}

/// Checks a layer spec and returns its parameter count; shared by the builder and by
/// loading (which compares the count with the file's before allocating anything).
pub(crate) fn validate_spec(
    n_inputs: usize,
    widths: &[(usize, Activation)],
    loss: Loss,
    l2: f64,
) -> Result<usize, Error> {
    if n_inputs == 0 {
        return Err(Error::NoInputs);
    }
    let Some(&(n_outputs, output)) = widths.last() else {
        return Err(Error::NoOutputLayer);
    };
    for (layer, &(width, activation)) in widths.iter().enumerate() {
        if width == 0 {
            return Err(Error::ZeroWidth { layer });
        }
        if activation == Activation::Softmax && layer + 1 < widths.len() {
            return Err(Error::SoftmaxHidden { layer });
        }
        if let Activation::LeakyRelu { slope } = activation
            && !slope.is_finite()
        {
            return Err(Error::InvalidHyperparameter {
                name: "leaky_relu slope",
                value: slope,
                allowed: "finite",
            });
        }
    }
    let n_params = param_count(n_inputs, widths)?;
    if output == Activation::Softmax && n_outputs < 2 {
        return Err(Error::SoftmaxSingleOutput);
    }
    if let Some(needed) = loss.required_activation()
        && needed != output
    {
        return Err(Error::LossNeedsActivation {
            loss: loss.name(),
            expected: needed.name(),
            found: output.name(),
        });
    }
    if !(l2.is_finite() && l2 >= 0.0) {
        return Err(Error::InvalidHyperparameter {
            name: "l2",
            value: l2,
            allowed: "finite and >= 0",
        });
    }
    Ok(n_params)
}

/// The number of parameters of layers of `widths` after `n_inputs` inputs, or
/// [`Error::TooManyParameters`] naming the first layer at which the count overflows `usize`
/// or its `f64` buffer would exceed `isize::MAX` bytes (the most one allocation can hold), so
/// absurd widths, from a caller or from a corrupted file, fail here instead of panicking on an
/// overflow or aborting on an allocation.
fn param_count(n_inputs: usize, widths: &[(usize, Activation)]) -> Result<usize, Error> {
    let largest = isize::MAX.unsigned_abs() / std::mem::size_of::<f64>();
    let mut total = 0_usize;
    let mut fan_in = n_inputs;
    for (layer, &(n_outputs, _)) in widths.iter().enumerate() {
        total = fan_in
            .checked_add(1)
            .and_then(|columns| columns.checked_mul(n_outputs))
            .and_then(|n| n.checked_add(total))
            .filter(|&n| n <= largest)
            .ok_or(Error::TooManyParameters {
                layer,
                n_inputs: fan_in,
                n_outputs,
            })?;
        fan_in = n_outputs;
    }
    Ok(total)
}

/// A row-major `rows × cols` view of `data` (row stride `cols`, column stride 1).
pub(crate) fn row_major<T: Scalar>(data: &[T], rows: usize, cols: usize) -> View<'_, T> {
    View::from_slice_with_strides_generic(data, Dyn(rows), Dyn(cols), Dyn(cols), Dyn(1))
}

/// A column-major `rows × cols` view of `data` (row stride 1, column stride `rows`).
pub(crate) fn col_major<T: Scalar>(data: &[T], rows: usize, cols: usize) -> View<'_, T> {
    View::from_slice_with_strides_generic(data, Dyn(rows), Dyn(cols), Dyn(1), Dyn(rows))
}
