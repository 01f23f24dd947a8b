//! # Multilayer networks
//!
//! From one neuron to many layers: backpropagation as the chain rule applied layer by layer,
//! on `nalgebra` matrices, batched.

// The data sets: XOR, two moons, spirals, handwritten digits.
pub mod data;
