//! `cargo xtask book`: the course as a website.
//!
//! Draws the figures (as `cargo xtask plots`), installs the pinned `mdbook` and `mdbook-katex`
//! into `<target>/tools/` if the right versions are not already on `PATH`, builds the mdBook in
//! `docs/` into `docs/book/` (git-ignored; open `docs/book/index.html`), then checks the result:
//! no page loads a script or stylesheet from the network, and the math was rendered by KaTeX
//! (pre-rendered at build time, styled by the KaTeX copy in `docs/src/katex/`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::plots;
use crate::workspace::{self, Result};

/// A tool from crates.io that the book needs, pinned to one version.
struct Tool {
    name: &'static str,
    version: &'static str,
    /// `cargo install` feature arguments (the defaults are kept when empty).
    features: &'static [&'static str],
}

/// mdBook, the version `mdbook-katex` 0.10.0 was built against, without its `serve`/`watch`
/// features (a web server is not needed to build), which halves its install time.
const MDBOOK: Tool = Tool {
    name: "mdbook",
    version: "0.5.3",
    features: &["--no-default-features", "--features", "search"],
};

/// The KaTeX preprocessor; it renders every formula to HTML at build time (KaTeX 0.16 in an
/// embedded JavaScript engine), so readers need no JavaScript and no network.
const MDBOOK_KATEX: Tool = Tool {
    name: "mdbook-katex",
    version: "0.10.0",
    features: &[],
};

/// Draws the figures and builds the book.
///
/// # Errors
///
/// If a figure fails, a tool cannot be installed, mdBook fails (a broken include, math KaTeX
/// cannot parse), or a page loads something from the network.
pub fn run() -> Result<()> {
    plots::run(None, false)?;
    let tools_bin = workspace::target_dir().join("tools").join("bin");
    let mdbook = ensure(&MDBOOK, &tools_bin)?;
    ensure(&MDBOOK_KATEX, &tools_bin)?;

    let book_dir = workspace::book_dir();
    let out_dir = book_dir.join("book");
    // mdbook finds its preprocessors on PATH: put the pinned ones first.
    let path = std::env::join_paths(std::iter::once(tools_bin.clone()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))?;
    workspace::run(
        Command::new(&mdbook)
            .arg("build")
            .arg(&book_dir)
            .arg("--dest-dir")
            .arg(&out_dir)
            .env("PATH", path),
    )?;

    let report = check(&out_dir)?;
    if report.katex_pages == 0 && sources_have_math(&book_dir.join("src"))? {
        return Err("the chapters contain $$ math but no page has KaTeX markup".into());
    }
    println!(
        "built {} ({} pages, {} with rendered math); open {}",
        workspace::display(&out_dir),
        report.pages,
        report.katex_pages,
        workspace::display(&out_dir.join("index.html"))
    );
    Ok(())
}

/// The command to run `tool`: the one on `PATH` if it has the pinned version, else the one in
/// `tools_bin`, installed there with `cargo install --locked` first if needed.
fn ensure(tool: &Tool, tools_bin: &Path) -> Result<PathBuf> {
    let on_path = PathBuf::from(tool.name);
    if has_version(&on_path, tool.version) {
        return Ok(on_path);
    }
    let local = tools_bin.join(tool.name);
    if has_version(&local, tool.version) {
        return Ok(local);
    }
    let root = tools_bin
        .parent()
        .ok_or("invariant: the tools bin folder has a parent")?;
    println!(
        "installing {} {} into {} (once; takes a few minutes; cargo's advice to add it to \
         PATH can be ignored, xtask runs it from there)",
        tool.name,
        tool.version,
        root.display()
    );
    workspace::run(
        workspace::cargo()
            .args(["install", "--locked", "--root"])
            .arg(root)
            .args(["--version", tool.version])
            .args(tool.features)
            .arg(tool.name),
    )?;
    if has_version(&local, tool.version) {
        Ok(local)
    } else {
        Err(format!(
            "{} {} was installed but {} does not report that version",
            tool.name,
            tool.version,
            local.display()
        )
        .into())
    }
}

/// Whether `program --version` runs and prints `version` as a whole word (`mdbook v0.5.4`,
/// `mdbook-katex 0.10.0`).
fn has_version(program: &Path, version: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| {
            output.status.success()
                && String::from_utf8_lossy(&output.stdout)
                    .split_whitespace()
                    .any(|word| word.trim_start_matches('v') == version)
        })
}

/// What [`check`] found in the built book.
#[derive(Debug, Default, PartialEq, Eq)]
struct Report {
    pages: usize,
    katex_pages: usize,
}

/// Counts the HTML pages and those with KaTeX markup, and fails on any page that loads a script,
/// stylesheet or font from another host (the book must work offline).
fn check(out_dir: &Path) -> Result<Report> {
    let mut report = Report::default();
    let mut remote = Vec::new();
    for page in html_files(out_dir)? {
        let html = fs::read_to_string(&page)?;
        report.pages += 1;
        if html.contains("class=\"katex") {
            report.katex_pages += 1;
        }
        for url in remote_resources(&html) {
            remote.push(format!("{}: {url}", workspace::display(&page)));
        }
    }
    if remote.is_empty() {
        Ok(report)
    } else {
        Err(format!(
            "the book loads resources from the network:\n  {}",
            remote.join("\n  ")
        )
        .into())
    }
}

/// The URLs of scripts, stylesheets and other `<link>`ed resources on another host.
fn remote_resources(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for tag in html.split('<').skip(1) {
        let (attribute, is_resource) = if tag.starts_with("script") {
            ("src=\"", true)
        } else if tag.starts_with("link") {
            ("href=\"", !tag.contains("rel=\"canonical\""))
        } else {
            ("", false)
        };
        if !is_resource {
            continue;
        }
        let tag = tag.split('>').next().unwrap_or(tag);
        if let Some((_, rest)) = tag.split_once(attribute) {
            let url = rest.split('"').next().unwrap_or(rest);
            if url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//") {
                urls.push(url.to_string());
            }
        }
    }
    urls
}

/// Every `.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)
            .map_err(|error| format!("could not read {}: {error}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Whether any chapter in `src` has display math.
fn sources_have_math(src: &Path) -> Result<bool> {
    for entry in fs::read_dir(src)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "md")
            && fs::read_to_string(&path)?.contains("$$")
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_scripts_and_stylesheets_are_found() {
        let html = r#"<head><link rel="stylesheet" href="https://cdn.example/katex.min.css">
            <link rel="stylesheet" href="katex/katex.min.css">
            <link rel="canonical" href="https://example.org/book/">
            <script src="//cdn.example/x.js"></script><script src="book.js"></script>
            <a href="https://example.org">a link is fine</a></head>"#;
        assert_eq!(
            remote_resources(html),
            ["https://cdn.example/katex.min.css", "//cdn.example/x.js"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn versions_are_matched_as_whole_words() {
        // `sh -c` stands in for a tool printing its version.
        let dir = std::env::temp_dir().join(format!("xtask-book-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let fake = dir.join("fake-tool");
        fs::write(&fake, "#!/bin/sh\necho 'fake-tool v0.5.40'\n").unwrap();
        make_executable(&fake);
        assert!(has_version(&fake, "0.5.40"));
        assert!(!has_version(&fake, "0.5.4"));
        assert!(!has_version(&dir.join("missing"), "0.5.4"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    fn make_executable(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}
