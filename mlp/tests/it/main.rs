//! Integration tests of `mlp`: one binary, one module per concern.

mod agreement;
mod allocation;
mod data;
mod dying;
mod errors;
mod gradcheck;
mod kernels;
mod results;
mod save;
mod stability;
#[cfg(feature = "threads")]
mod threads;
mod train;

/// The reference workloads and their data, shared with the benchmarks.
#[path = "../../benches/shared/mod.rs"]
mod workloads;
