//! The single integration-test binary of `perceptron`.

// Derivations in doc comments write math (`y_hat`, `dℓ/dz`) as prose, not code.
#![allow(clippy::doc_markdown)]

mod data;
mod errors;
mod fast;
mod golden;
mod gradcheck;
mod training;
