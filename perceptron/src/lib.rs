//! # The perceptron
//!
//! The article's worked example: one sigmoid neuron with 4 inputs, its loss, every chain-rule
//! factor of its gradient, and gradient descent, trained on real data.
