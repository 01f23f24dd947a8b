//! # The perceptron
//!
//! The article's worked example: one sigmoid neuron with 4 inputs, its loss, every chain-rule
//! factor of its gradient, and gradient descent, trained on real data.

// LaTeX in the docs (`$x_i$`, `$\partial$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

// The data the neuron learns from.
pub mod data;

// What can go wrong.
pub mod error;

pub use data::{Dataset, Standardizer};
pub use error::Error;
