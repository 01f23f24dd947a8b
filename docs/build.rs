//! Turns every chapter of the book (`docs/src/*.md` except `SUMMARY.md`) into a doc-commented
//! module, so `cargo test -p docs` compiles and runs every Rust code block of the course.
//!
//! For each chapter, mdBook's `{{#include}}` and `{{#rustdoc_include}}` directives are expanded
//! as mdBook expands them (see `chapter.rs`) and the result is written to
//! `$OUT_DIR/chapters/<stem>.md`; `$OUT_DIR/chapters.rs` then declares
//! `#[doc = include_str!(...)] pub mod <stem> {}` for each, and `lib.rs` includes it. Cargo is
//! told to rerun this when a chapter, an included file, or the set of chapters changes.

mod chapter;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    match generate() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Cargo shows a failed build script's output: one clear line.
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env_var("OUT_DIR")?);
    let src = manifest_dir.join("src");
    // A directory: cargo rescans it, so adding or removing a chapter reruns this script.
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed=chapter.rs");

    let chapters_dir = out_dir.join("chapters");
    fs::create_dir_all(&chapters_dir).map_err(|e| format!("{}: {e}", chapters_dir.display()))?;
    let mut modules = String::new();
    for path in chapter_files(&src)? {
        println!("cargo:rerun-if-changed={}", path.display());
        let expanded = chapter::expand_file(&path).map_err(|e| e.to_string())?;
        for file in &expanded.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        chapter::check_fences(&expanded.text, &path).map_err(|e| e.to_string())?;
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .ok_or_else(|| format!("chapter file name is not UTF-8: {}", path.display()))?;
        let target = chapters_dir.join(format!("{stem}.md"));
        fs::write(&target, &expanded.text).map_err(|e| format!("{}: {e}", target.display()))?;
        writeln!(
            modules,
            "#[doc = include_str!({:?})]\npub mod {} {{}}",
            target.display().to_string(),
            chapter::module_name(stem)
        )
        .map_err(|e| e.to_string())?;
    }
    let generated = out_dir.join("chapters.rs");
    fs::write(&generated, modules).map_err(|e| format!("{}: {e}", generated.display()))
}

/// The chapters: `src/*.md` except `SUMMARY.md`, sorted by name.
fn chapter_files(src: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let is_markdown = path.extension().is_some_and(|ext| ext == "md");
        let is_summary = path.file_name().is_some_and(|name| name == "SUMMARY.md");
        if path.is_file() && is_markdown && !is_summary {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set (run through cargo)"))
}
