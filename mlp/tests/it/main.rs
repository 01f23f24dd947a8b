//! Integration tests of `mlp`: one binary, one module per concern.

mod data;
mod gradcheck;
mod results;
mod train;
