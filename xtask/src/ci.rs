//! `cargo xtask ci`: runs `.ci/run`, the gate every commit passes, so the two never differ.
//!
//! Writes only what cargo writes into the target directory.

use std::process::Command;

use crate::workspace::{self, Result};

/// Runs `bash .ci/run` from the workspace root.
///
/// # Errors
///
/// If bash cannot start or a step of the gate fails.
pub fn run() -> Result<()> {
    let script = workspace::root().join(".ci").join("run");
    workspace::run(
        Command::new("bash")
            .arg(&script)
            .current_dir(workspace::root()),
    )
}
