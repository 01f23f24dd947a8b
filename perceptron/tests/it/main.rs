//! The single integration-test binary of `perceptron`.

mod data;
