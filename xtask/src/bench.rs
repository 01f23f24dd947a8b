//! `cargo xtask bench [-p PACKAGE] [ARGS]`: runs the criterion benchmarks of the workspace (or of
//! one package), passing `ARGS` to criterion (for example a filter such as `rosenbrock`).
//!
//! Writes criterion's reports into `<target>/criterion/`.

use crate::workspace::{self, Result};

/// Runs `cargo bench --bench '*'` for the workspace or for `package`.
///
/// # Errors
///
/// If cargo cannot start or a benchmark fails.
pub fn run(package: Option<&str>, args: &[String]) -> Result<()> {
    let mut command = workspace::cargo();
    command.arg("bench");
    match package {
        Some(package) => command.args(["--package", package]),
        None => command.arg("--workspace"),
    };
    // Only the `benches/` targets (`--benches` would also run each library's unit-test harness,
    // since libraries are benchable by default).
    command.args(["--bench", "*"]);
    if !args.is_empty() {
        command.arg("--").args(args);
    }
    workspace::run(&mut command)
}
