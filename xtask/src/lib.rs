//! Project tasks for the course, run as `cargo xtask <TASK>` (an alias for `cargo run --package xtask --`).
//!
//! | task | what it does |
//! | --- | --- |
//! | `plots [--only NAME] [--check]` | draws the course figures into `docs/src/figures/` (or checks them) |
//! | `book` | draws the figures, then builds the mdBook in `docs/` into `docs/book/` |
//! | `doc` | `cargo doc --workspace --no-deps` with KaTeX math, into the target directory |
//! | `bench [-p PACKAGE] [ARGS]` | runs the criterion benchmarks, passing `ARGS` to criterion |
//! | `results` | trains the networks behind the course's results and prints their tables with the seeds |
//! | `quotes` | runs the examples and `results` and draws the figures in memory, and checks the numbers the course quotes from them |
//! | `ci` | runs `.ci/run`: format check, clippy, tests, docs with warnings denied |
//!
//! Every path starts from the workspace root (the parent of this crate's manifest directory),
//! never from the current directory, and cargo is run through the `CARGO` variable that cargo
//! sets for the programs it runs.
//!
//! The binary (`src/main.rs`) only parses the command line; each task is a module here.

pub mod bench;
pub mod book;
pub mod ci;
pub mod doc;
pub mod plots;
pub mod quotes;
pub mod results;
pub mod workspace;
