//! `cargo xtask doc [--open]`: the API docs of every workspace crate but `docs` with KaTeX
//! math (the course's chapters are the book's; as API docs their figure and chapter links
//! would be broken).
//!
//! Runs `cargo doc --workspace --no-deps --exclude docs` with
//! `--html-in-header <root>/docs/katex-header.html` (an absolute path, added to any
//! `RUSTDOCFLAGS` already set) and copies the vendored KaTeX in `docs/src/katex/` to
//! `<target>/doc/katex/`, where the header loads it from: math renders without network
//! access. Writes `<target>/doc/`.

use std::fs;
use std::path::Path;

use crate::workspace::{self, Result};

/// Builds the docs (and opens them in a browser if `open`).
///
/// # Errors
///
/// If the header or the KaTeX copy is missing, or `cargo doc` fails.
pub fn run(open: bool) -> Result<()> {
    let header = workspace::book_dir().join("katex-header.html");
    if !header.is_file() {
        return Err(format!("missing {}", header.display()).into());
    }
    let doc_dir = workspace::target_dir().join("doc");
    copy_dir(
        &workspace::book_dir().join("src").join("katex"),
        &doc_dir.join("katex"),
    )?;

    let mut flags = existing_rustdoc_flags();
    flags.push("--html-in-header".to_string());
    flags.push(
        header
            .to_str()
            .ok_or_else(|| format!("path is not UTF-8: {}", header.display()))?
            .to_string(),
    );
    let mut command = workspace::cargo();
    command
        .args(["doc", "--workspace", "--no-deps", "--exclude", "docs"])
        // The encoded form keeps a header path with spaces in one piece.
        .env("CARGO_ENCODED_RUSTDOCFLAGS", flags.join("\u{1f}"))
        .env_remove("RUSTDOCFLAGS");
    if open {
        command.arg("--open");
    }
    workspace::run(&mut command)?;
    println!(
        "API docs with KaTeX in {} (open {})",
        workspace::display(&doc_dir),
        workspace::display(&doc_dir.join("chain_rule").join("index.html"))
    );
    Ok(())
}

/// The rustdoc flags the caller already set, so `RUSTDOCFLAGS="-D warnings"` still applies.
fn existing_rustdoc_flags() -> Vec<String> {
    if let Ok(encoded) = std::env::var("CARGO_ENCODED_RUSTDOCFLAGS") {
        return encoded
            .split('\u{1f}')
            .filter(|flag| !flag.is_empty())
            .map(ToString::to_string)
            .collect();
    }
    std::env::var("RUSTDOCFLAGS")
        .map(|flags| flags.split_whitespace().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// Copies the folder `from` into `to` recursively, overwriting files.
///
/// # Errors
///
/// A file system error, naming the path.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)
        .map_err(|error| format!("could not create {}: {error}", to.display()))?;
    for entry in
        fs::read_dir(from).map_err(|error| format!("could not read {}: {error}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|error| {
                format!(
                    "could not copy {} to {}: {error}",
                    entry.path().display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}
