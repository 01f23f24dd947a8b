//! Integration tests of `mlp`: one binary, one module per concern.

mod agreement;
mod allocation;
mod data;
mod errors;
mod gradcheck;
mod kernels;
mod results;
mod save;
mod stability;
mod train;
