//! # Multilayer networks
//!
//! From one neuron to many layers: backpropagation as the chain rule applied layer by layer,
//! on `nalgebra` matrices, batched.
