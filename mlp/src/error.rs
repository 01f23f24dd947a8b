//! What can go wrong when building, running, training, saving or loading a network.

use std::fmt;

/// Which number went non-finite, for [`Error::NonFinite`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// The loss of a batch.
    Loss,
    /// An activation (or pre-activation) of a layer.
    Activation,
    /// A gradient entry of a layer's weights or biases.
    Gradient,
    /// A parameter (weight or bias) of a layer.
    Parameter,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Loss => "loss",
            Self::Activation => "activation",
            Self::Gradient => "gradient",
            Self::Parameter => "parameter",
        })
    }
}

/// What can go wrong in this crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A network needs at least one input.
    NoInputs,
    /// A layer was given width 0.
    ZeroWidth {
        /// Index of the layer (0 = first hidden layer).
        layer: usize,
    },
    /// A layer has more parameters than a buffer can hold: $n_{\text{out}}(n_{\text{in}} + 1)$,
    /// added to the layers before it, overflows `usize`, exceeds the largest allocation
    /// (`isize::MAX` bytes), or is more than the allocator gives (then the error names the
    /// output layer).
    TooManyParameters {
        /// Index of the layer.
        layer: usize,
        /// Its inputs $n_{\text{in}}$.
        n_inputs: usize,
        /// Its outputs $n_{\text{out}}$.
        n_outputs: usize,
    },
    /// The builder was asked to build without an output layer.
    NoOutputLayer,
    /// A layer was added after the output layer.
    LayerAfterOutput,
    /// Softmax was used before the output layer.
    SoftmaxHidden {
        /// Index of the layer.
        layer: usize,
    },
    /// Softmax over a single output is the constant 1.
    SoftmaxSingleOutput,
    /// The loss needs a particular output activation.
    LossNeedsActivation {
        /// The loss.
        loss: &'static str,
        /// The output activation it needs.
        expected: &'static str,
        /// The output activation given.
        found: &'static str,
    },
    /// A hyperparameter is outside its allowed range.
    InvalidHyperparameter {
        /// Its name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// The input slice is not a whole number of samples.
    InputLength {
        /// Length of the slice.
        len: usize,
        /// Inputs per sample.
        n_inputs: usize,
    },
    /// A batch has no samples.
    EmptyBatch,
    /// A batch has more samples than the workspace was made for.
    BatchTooLarge {
        /// Samples in the batch.
        batch: usize,
        /// The workspace's capacity.
        capacity: usize,
    },
    /// A workspace was made for a different architecture.
    WorkspaceMismatch,
    /// The buffers of a workspace for `capacity` samples cannot be allocated: a layer's
    /// $n_{\text{out}} \times$ `capacity` values overflow `usize`, or the allocator refused
    /// them.
    WorkspaceTooLarge {
        /// The capacity asked for.
        capacity: usize,
    },
    /// An input is NaN or infinite.
    NonFiniteInput {
        /// The sample (row of the data set, column of the batch matrix): its index in the
        /// inputs given (the whole data set for [`crate::Mlp::evaluate`] and
        /// [`crate::Mlp::predict_labels`], which run it batch by batch).
        sample: usize,
        /// The feature (column of the data set).
        feature: usize,
        /// The value.
        value: f64,
    },
    /// The targets do not match the batch.
    TargetLength {
        /// The length the batch needs.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A class label is not below the number of classes.
    LabelOutOfRange {
        /// The sample: its index in the labels given (the whole data set for
        /// [`crate::Mlp::evaluate`]).
        sample: usize,
        /// The label.
        label: usize,
        /// The number of classes (labels must be below it).
        n_classes: usize,
    },
    /// A dense target is NaN, infinite, or outside the range the loss accepts.
    InvalidTarget {
        /// The sample within the batch.
        sample: usize,
        /// The output unit.
        output: usize,
        /// The value.
        value: f64,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// A parameter or gradient slice has the wrong length.
    ParameterLength {
        /// The network's parameter count.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A loss, activation, gradient or parameter became NaN or infinite (training diverged).
    NonFinite {
        /// Which quantity.
        quantity: Quantity,
        /// The layer it belongs to (`None` for the loss).
        layer: Option<usize>,
    },
    /// The optimizer refused the step.
    Optimizer(optim::Error),
    /// Reading or writing a file failed.
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// A saved network is not valid JSON of the expected shape (truncated, wrong fields).
    Format {
        /// The JSON parser's message (with line and column).
        message: String,
    },
    /// A saved network has a format version this crate does not read.
    UnknownVersion {
        /// The version in the file.
        found: u32,
        /// The version this crate reads.
        supported: u32,
    },
    /// A saved network holds another element type than the one asked for.
    ScalarMismatch {
        /// The type in the file (`"f32"` or `"f64"`).
        saved: String,
        /// The type asked for.
        requested: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoInputs => write!(f, "a network needs at least one input"),
            Self::ZeroWidth { layer } => write!(f, "layer {layer} has width 0"),
            Self::TooManyParameters {
                layer,
                n_inputs,
                n_outputs,
            } => write!(
                f,
                "layer {layer} ({n_inputs} inputs, {n_outputs} outputs) brings the parameter count past what one buffer can hold"
            ),
            Self::NoOutputLayer => write!(f, "the network has no output layer"),
            Self::LayerAfterOutput => write!(f, "a layer was added after the output layer"),
            Self::SoftmaxHidden { layer } => write!(
                f,
                "softmax is only allowed at the output layer, found at layer {layer}"
            ),
            Self::SoftmaxSingleOutput => {
                write!(
                    f,
                    "softmax needs at least 2 outputs (over 1 it is constant)"
                )
            }
            Self::LossNeedsActivation {
                loss,
                expected,
                found,
            } => write!(
                f,
                "the {loss} loss needs a {expected} output layer, found {found}"
            ),
            Self::InvalidHyperparameter {
                name,
                value,
                allowed,
            } => write!(f, "{name} must be {allowed}, found {value}"),
            Self::InputLength { len, n_inputs } => write!(
                f,
                "input of length {len} is not a whole number of samples of {n_inputs} inputs"
            ),
            Self::EmptyBatch => write!(f, "the batch is empty"),
            Self::BatchTooLarge { batch, capacity } => write!(
                f,
                "batch of {batch} samples exceeds the workspace capacity of {capacity}"
            ),
            Self::WorkspaceMismatch => {
                write!(f, "the workspace was made for a different network")
            }
            Self::WorkspaceTooLarge { capacity } => write!(
                f,
                "the buffers of a workspace for {capacity} samples cannot be allocated"
            ),
            Self::NonFiniteInput {
                sample,
                feature,
                value,
            } => write!(
                f,
                "input of sample {sample}, feature {feature} is {value} (not finite)"
            ),
            Self::TargetLength { expected, found } => {
                write!(f, "expected {expected} targets, found {found}")
            }
            Self::LabelOutOfRange {
                sample,
                label,
                n_classes,
            } => write!(
                f,
                "label {label} of sample {sample} is out of range for {n_classes} classes"
            ),
            Self::InvalidTarget {
                sample,
                output,
                value,
                allowed,
            } => write!(
                f,
                "target of sample {sample}, output {output} is {value}, must be {allowed}"
            ),
            Self::ParameterLength { expected, found } => {
                write!(f, "expected {expected} parameters, found {found}")
            }
            Self::NonFinite { quantity, layer } => match layer {
                Some(layer) => write!(f, "non-finite {quantity} in layer {layer}"),
                None => write!(f, "non-finite {quantity}"),
            },
            Self::Optimizer(e) => write!(f, "optimizer: {e}"),
            Self::Io { path, message } => write!(f, "{path}: {message}"),
            Self::Format { message } => write!(f, "not a saved network: {message}"),
            Self::UnknownVersion { found, supported } => write!(
                f,
                "saved network has format version {found}, this crate reads version {supported}"
            ),
            Self::ScalarMismatch { saved, requested } => write!(
                f,
                "saved network holds {saved} parameters, cannot load it as {requested}"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Optimizer(e) => Some(e),
            _ => None,
        }
    }
}

impl From<optim::Error> for Error {
    fn from(e: optim::Error) -> Self {
        Self::Optimizer(e)
    }
}
