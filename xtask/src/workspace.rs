//! Where things are: the workspace root, the course folders, and how to run cargo.
//!
//! Writes nothing.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The error type of every task: a message for the person at the terminal.
pub type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The workspace root: the parent of this crate's manifest directory.
///
/// # Panics
///
/// Never in this repository: `xtask/` has a parent folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("invariant: xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The mdBook of the course: `docs/`.
pub fn book_dir() -> PathBuf {
    root().join("docs")
}

/// Where the figures go: `docs/src/figures/`, so the book shows them as `figures/<name>.png`.
pub fn figures_dir() -> PathBuf {
    book_dir().join("src").join("figures")
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// A `cargo` command run from the workspace root, through the `CARGO` variable cargo sets for
/// the programs it runs (so the same toolchain builds everything).
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root());
    command
}

/// Runs `command`, failing with the command line and exit status if it does not succeed.
///
/// # Errors
///
/// If the command cannot start or exits unsuccessfully.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|error| format!("could not start {command:?}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}").into())
    }
}

/// `path` relative to the workspace root, for messages.
pub fn display(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
