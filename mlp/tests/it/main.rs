//! Integration tests of `mlp`: one binary, one module per concern.

mod allocation;
mod data;
mod gradcheck;
mod kernels;
mod results;
mod train;
