//! What can go wrong: bad data, bad shapes, bad hyperparameters, diverging training.

use std::fmt;

/// Everything this crate refuses, each variant naming the offending value and where it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A data set with no samples.
    EmptyDataset,
    /// A data set whose samples have no features.
    NoFeatures,
    /// The flat feature vector is not a whole number of rows.
    RaggedFeatures {
        /// Length of the flat feature vector.
        len: usize,
        /// Features per row.
        n_features: usize,
    },
    /// There are not as many labels as samples.
    LabelCountMismatch {
        /// Number of samples (rows of features).
        samples: usize,
        /// Number of labels.
        labels: usize,
    },
    /// There are not as many names as features (or classes).
    NameCountMismatch {
        /// `"feature"` or `"class"`.
        names: &'static str,
        /// How many names were needed.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// A feature is NaN or infinite.
    NonFiniteFeature {
        /// Row (sample index) of the value.
        row: usize,
        /// Column (feature index) of the value.
        column: usize,
        /// The value itself.
        value: f64,
    },
    /// A class label is not below the number of classes.
    LabelOutOfRange {
        /// Row (sample index) of the label.
        row: usize,
        /// The label.
        label: usize,
        /// Number of classes (labels must lie in `0..n_classes`).
        n_classes: usize,
    },
    /// A feature index is not below the number of features.
    FeatureOutOfRange {
        /// The index asked for.
        index: usize,
        /// Number of features.
        n_features: usize,
    },
    /// A sample index is not below the number of samples.
    SampleOutOfRange {
        /// The index asked for.
        index: usize,
        /// Number of samples.
        n_samples: usize,
    },
    /// A class index is not below the number of classes.
    ClassOutOfRange {
        /// The class asked for.
        class: usize,
        /// Number of classes.
        n_classes: usize,
    },
    /// The same class was listed twice.
    DuplicateClass(usize),
    /// A validation fraction outside the open interval (0, 1).
    InvalidFraction(f64),
    /// A split would leave one side without any sample of a class.
    EmptySplit {
        /// The class that would be missing.
        class: usize,
        /// How many samples the class has in all.
        class_samples: usize,
        /// `"training"` or `"validation"`: the side that would get none of them.
        side: &'static str,
    },
    /// The input has a different length from the neuron's weights.
    ShapeMismatch {
        /// Number of weights (inputs the neuron expects).
        expected: usize,
        /// Length of the input that was given.
        found: usize,
    },
    /// An input value is NaN or infinite.
    NonFiniteInput {
        /// Index of the value in the input.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// A neuron must have at least one input.
    NoInputs,
    /// A neuron with `n_inputs` inputs has more parameters ($n + 1$) than memory can hold.
    TooManyInputs {
        /// The inputs asked for.
        n_inputs: usize,
    },
    /// A binary task got a data set with another number of classes.
    NotBinary {
        /// Number of classes of the data set.
        n_classes: usize,
    },
    /// A target is not a valid probability (a finite value in `[0, 1]`; labels are 0 or 1).
    InvalidTarget {
        /// Index of the sample in its batch.
        index: usize,
        /// The target given.
        value: f64,
    },
    /// The learning rate must be finite and positive.
    InvalidLearningRate(f64),
    /// A batch size of zero.
    InvalidBatchSize,
    /// A weight or bias given to a neuron is NaN or infinite.
    NonFiniteParameter {
        /// Index in the flat parameter vector (`w_0 .. w_{n-1}`, then `b`).
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// Training diverged: the loss or an updated parameter became NaN or infinite.
    /// The neuron keeps the last finite parameters (those before the failing step).
    Diverged {
        /// Epoch of the failing step, counted from 1 (as [`History`](crate::training::History)'s
        /// records after each epoch, and as `mlp`'s trainer counts).
        epoch: usize,
        /// Step within the epoch, counted from 1.
        step: usize,
        /// What became non-finite: `"the loss"` or `"a parameter"`.
        quantity: &'static str,
    },
    /// The optimizer refused a step.
    Optimizer(optim::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyDataset => write!(f, "the data set has no samples"),
            Self::NoFeatures => write!(f, "the data set has no features"),
            Self::RaggedFeatures { len, n_features } => write!(
                f,
                "{len} feature values do not make whole rows of {n_features} features"
            ),
            Self::LabelCountMismatch { samples, labels } => {
                write!(
                    f,
                    "expected {samples} labels (one per sample), found {labels}"
                )
            }
            Self::NameCountMismatch {
                names,
                expected,
                found,
            } => write!(f, "expected {expected} {names} names, found {found}"),
            Self::NonFiniteFeature { row, column, value } => {
                write!(f, "feature at row {row}, column {column} is {value}")
            }
            Self::LabelOutOfRange {
                row,
                label,
                n_classes,
            } => write!(
                f,
                "label {label} at row {row} is outside 0..{n_classes} (the {n_classes} classes)"
            ),
            Self::FeatureOutOfRange { index, n_features } => write!(
                f,
                "feature index {index} is outside 0..{n_features} (the {n_features} features)"
            ),
            Self::SampleOutOfRange { index, n_samples } => write!(
                f,
                "sample index {index} is outside 0..{n_samples} (the {n_samples} samples)"
            ),
            Self::ClassOutOfRange { class, n_classes } => write!(
                f,
                "class {class} is outside 0..{n_classes} (the {n_classes} classes)"
            ),
            Self::DuplicateClass(class) => write!(f, "class {class} is listed twice"),
            Self::InvalidFraction(fraction) => write!(
                f,
                "the validation fraction must lie in (0, 1), found {fraction}"
            ),
            Self::EmptySplit {
                class,
                class_samples,
                side,
            } => write!(
                f,
                "the {side} side would get none of the {class_samples} samples of class {class}"
            ),
            Self::ShapeMismatch { expected, found } => {
                write!(f, "expected {expected} inputs, found {found}")
            }
            Self::NonFiniteInput { index, value } => write!(f, "input {index} is {value}"),
            Self::NoInputs => write!(f, "a neuron needs at least one input"),
            Self::TooManyInputs { n_inputs } => write!(
                f,
                "a neuron with {n_inputs} inputs has more parameters than memory can hold"
            ),
            Self::NotBinary { n_classes } => write!(
                f,
                "a single neuron separates 2 classes, the data set has {n_classes}"
            ),
            Self::InvalidTarget { index, value } => write!(
                f,
                "target {index} is {value}, expected a finite value in [0, 1] (labels 0 or 1)"
            ),
            Self::InvalidLearningRate(rate) => {
                write!(f, "the learning rate must be finite and > 0, found {rate}")
            }
            Self::InvalidBatchSize => write!(f, "the batch size must be at least 1"),
            Self::NonFiniteParameter { index, value } => {
                write!(f, "parameter {index} is {value}")
            }
            Self::Diverged {
                epoch,
                step,
                quantity,
            } => write!(
                f,
                "training diverged at epoch {epoch}, step {step}: {quantity} became non-finite; the last finite parameters were kept"
            ),
            Self::Optimizer(error) => write!(f, "optimizer: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Optimizer(error) => Some(error),
            _ => None,
        }
    }
}

impl From<optim::Error> for Error {
    fn from(error: optim::Error) -> Self {
        Self::Optimizer(error)
    }
}
