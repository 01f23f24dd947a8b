//! How a chapter of the book becomes a doc-commented module: mdBook's include directives are
//! expanded exactly as mdBook expands them, and code blocks are checked to say what they are.
//!
//! Used by `build.rs` (which writes the expanded chapters) and by this crate's unit tests.
//!
//! Supported directives, paths relative to the file that contains them:
//!
//! - `{{#include path}}`: the whole file.
//! - `{{#include path:anchor}}`: the lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`,
//!   without any other anchor lines inside.
//! - `{{#include path:start:end}}`, `path:start:`, `path::end`, `path:line`: 1-based, inclusive
//!   line ranges.
//! - `{{#rustdoc_include path:anchor}}` (or a range): the whole file, with the lines outside the
//!   anchor (or range) hidden behind `# `, so the doctest compiles the full program but the
//!   reader sees the anchored part.
//! - `\{{#include ...}}`: written out literally, without the backslash.
//!
//! Included text is expanded again (relative to the included file), up to 10 levels deep.
//! Where mdBook would silently include nothing (a missing file, a missing anchor, a range past
//! the end of the file), this is an error naming the chapter, the file and the anchor or range.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// How deep includes may nest (mdBook's limit).
pub const MAX_DEPTH: usize = 10;

/// A chapter with its directives expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The chapter text, as mdBook hands it to its renderers.
    pub text: String,
    /// Every file that was included, directly or through another include, in order.
    pub files: Vec<PathBuf>,
}

/// Why a chapter could not be expanded or checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An included file could not be read.
    Read {
        /// The file holding the directive.
        source: PathBuf,
        /// The file it names.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// An anchor is missing from the included file (or has no `ANCHOR_END`).
    MissingAnchor {
        /// The file holding the directive.
        source: PathBuf,
        /// The included file.
        path: PathBuf,
        /// The anchor asked for.
        anchor: String,
        /// Whether `ANCHOR: name` was found (but no `ANCHOR_END: name` after it).
        start_found: bool,
    },
    /// A line range selects no line of the included file.
    EmptyRange {
        /// The file holding the directive.
        source: PathBuf,
        /// The included file.
        path: PathBuf,
        /// The range as written.
        range: String,
        /// How many lines the file has.
        lines: usize,
    },
    /// A directive this crate does not expand (only `include` and `rustdoc_include` are; use
    /// them instead of `playground`).
    Unsupported {
        /// The file holding the directive.
        source: PathBuf,
        /// The directive as written.
        directive: String,
    },
    /// Includes nest deeper than [`MAX_DEPTH`], probably a cycle.
    TooDeep {
        /// The file holding the innermost directive.
        source: PathBuf,
    },
    /// A code block opened with a bare fence: rustdoc would compile it as Rust.
    BareFence {
        /// The chapter.
        source: PathBuf,
        /// The 1-based line of the fence.
        line: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read {
                source,
                path,
                reason,
            } => write!(
                f,
                "{}: cannot include {}: {reason}",
                source.display(),
                path.display()
            ),
            Self::MissingAnchor {
                source,
                path,
                anchor,
                start_found: false,
            } => write!(
                f,
                "{}: anchor `{anchor}` not found in {} (mark it with `// ANCHOR: {anchor}` and `// ANCHOR_END: {anchor}`)",
                source.display(),
                path.display()
            ),
            Self::MissingAnchor {
                source,
                path,
                anchor,
                start_found: true,
            } => write!(
                f,
                "{}: anchor `{anchor}` in {} has no `ANCHOR_END: {anchor}`",
                source.display(),
                path.display()
            ),
            Self::EmptyRange {
                source,
                path,
                range,
                lines,
            } => write!(
                f,
                "{}: lines `{range}` of {} select nothing (it has {lines} lines)",
                source.display(),
                path.display()
            ),
            Self::Unsupported { source, directive } => write!(
                f,
                "{}: unsupported directive `{directive}` (use include or rustdoc_include)",
                source.display()
            ),
            Self::TooDeep { source } => write!(
                f,
                "{}: includes nest deeper than {MAX_DEPTH} levels (a cycle?)",
                source.display()
            ),
            Self::BareFence { source, line } => write!(
                f,
                "{}:{line}: code block without a language would run as a Rust doctest; write ```text, ```sh or ```rust",
                source.display()
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Reads the chapter at `path` and expands its directives.
///
/// # Errors
///
/// When the chapter or an included file cannot be read, or a directive fails (see [`Error`]).
pub fn expand_file(path: &Path) -> Result<Expanded, Error> {
    let text = fs::read_to_string(path).map_err(|error| Error::Read {
        source: path.to_path_buf(),
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    expand(&text, base, path)
}

/// Expands the directives in `text`, which comes from the file `source` in the folder `base`.
///
/// # Errors
///
/// When an included file cannot be read or a directive fails (see [`Error`]).
pub fn expand(text: &str, base: &Path, source: &Path) -> Result<Expanded, Error> {
    let mut files = Vec::new();
    let text = expand_at_depth(text, base, source, 0, &mut files)?;
    Ok(Expanded { text, files })
}

/// Checks that every fenced code block names its language, because rustdoc compiles a block
/// without one as Rust (mdBook would show it as plain text).
///
/// # Errors
///
/// [`Error::BareFence`] at the first bare opening fence.
pub fn check_fences(text: &str, source: &Path) -> Result<(), Error> {
    let mut open: Option<(char, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
        if fence_len < 3 {
            continue;
        }
        let info = trimmed[fence_len..].trim();
        match open {
            None => {
                if info.is_empty() {
                    return Err(Error::BareFence {
                        source: source.to_path_buf(),
                        line: index + 1,
                    });
                }
                open = Some((fence_char, fence_len));
            }
            Some((open_char, open_len)) => {
                if fence_char == open_char && fence_len >= open_len && info.is_empty() {
                    open = None;
                }
            }
        }
    }
    Ok(())
}

/// The module name of the chapter file stem `stem`: `-` becomes `_`, and a stem that does not
/// start with a letter gets a `chapter_` prefix.
pub fn module_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("chapter_{name}")
    }
}

fn expand_at_depth(
    text: &str,
    base: &Path,
    source: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
) -> Result<String, Error> {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let escaped = rest[..start].ends_with('\\');
        let after = &rest[start + 2..];
        let Some(directive) = parse_directive(after) else {
            output.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        };
        if escaped {
            // `\{{#...}}` is written out without its backslash (mdBook's escape).
            output.push_str(&rest[..start - 1]);
            output.push_str(&rest[start..start + 2 + directive.length]);
            rest = &after[directive.length..];
            continue;
        }
        output.push_str(&rest[..start]);
        rest = &after[directive.length..];
        match directive.kind {
            "include" | "rustdoc_include" => {}
            // mdBook replaces `{{#title}}` itself and it adds nothing to the code.
            "title" => continue,
            _ => {
                return Err(Error::Unsupported {
                    source: source.to_path_buf(),
                    directive: format!("{{{{#{} {}}}}}", directive.kind, directive.argument),
                });
            }
        }
        if depth >= MAX_DEPTH {
            return Err(Error::TooDeep {
                source: source.to_path_buf(),
            });
        }
        let (relative, selector) = match directive.argument.split_once(':') {
            Some((path, selector)) => (path, Some(selector)),
            None => (directive.argument, None),
        };
        let path = base.join(relative);
        let content = fs::read_to_string(&path).map_err(|error| Error::Read {
            source: source.to_path_buf(),
            path: path.clone(),
            reason: error.to_string(),
        })?;
        files.push(path.clone());
        let selection = Selection::parse(selector);
        let included = match directive.kind {
            "include" => include_lines(&content, &selection),
            _ => rustdoc_include_lines(&content, &selection),
        }
        .map_err(|problem| problem.into_error(source, &path, selector.unwrap_or("")))?;
        let nested_base = path.parent().unwrap_or(base).to_path_buf();
        output.push_str(&expand_at_depth(
            &included,
            &nested_base,
            &path,
            depth + 1,
            files,
        )?);
    }
    output.push_str(rest);
    Ok(output)
}

/// A parsed `#kind argument}}` (the text after `{{`).
struct Directive<'a> {
    kind: &'a str,
    /// The first whitespace-separated word after the kind: path and selector.
    argument: &'a str,
    /// Bytes from after `{{` to after `}}`.
    length: usize,
}

/// Parses `\s*#kind\s+argument...}}` as mdBook's link regex does; `None` if `text` does not
/// start a directive.
fn parse_directive(text: &str) -> Option<Directive<'_>> {
    let body_end = text.find("}}")?;
    let body = &text[..body_end];
    if body.contains('}') {
        return None;
    }
    let body = body.trim_start().strip_prefix('#')?;
    let kind_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let (kind, arguments) = body.split_at(kind_len);
    if kind.is_empty() || !arguments.starts_with(char::is_whitespace) {
        return None;
    }
    let argument = arguments.split_whitespace().next()?;
    Some(Directive {
        kind,
        argument,
        length: body_end + 2,
    })
}

/// Which lines of an included file a directive selects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection {
    /// 0-based line indices `start..end` (`end` `None` for the end of the file).
    Lines { start: usize, end: Option<usize> },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

impl Selection {
    /// mdBook's `parse_range_or_anchor`: `start:end`, `start:`, `:end`, `line`, or an anchor.
    fn parse(selector: Option<&str>) -> Self {
        let mut parts = selector.unwrap_or("").splitn(2, ':');
        let first = parts.next().unwrap_or("");
        let start = if let Ok(line) = first.parse::<usize>() {
            Some(line.saturating_sub(1))
        } else if first.is_empty() {
            None
        } else {
            return Self::Anchor(first.to_string());
        };
        let end = parts.next().map(str::parse::<usize>);
        match (start, end) {
            (Some(start), Some(Ok(end))) => Self::Lines {
                start,
                end: Some(end),
            },
            (Some(start), Some(Err(_))) => Self::Lines { start, end: None },
            (Some(start), None) => Self::Lines {
                start,
                end: Some(start + 1),
            },
            (None, Some(Ok(end))) => Self::Lines {
                start: 0,
                end: Some(end),
            },
            (None, None | Some(Err(_))) => Self::Lines {
                start: 0,
                end: None,
            },
        }
    }

    fn contains(&self, index: usize) -> bool {
        match self {
            Self::Lines { start, end } => index >= *start && end.is_none_or(|end| index < end),
            Self::Anchor(_) => false,
        }
    }
}

/// What went wrong selecting lines, before the paths are known.
enum Problem {
    MissingAnchor { anchor: String, start_found: bool },
    EmptyRange { lines: usize },
}

impl Problem {
    fn into_error(self, source: &Path, path: &Path, selector: &str) -> Error {
        match self {
            Self::MissingAnchor {
                anchor,
                start_found,
            } => Error::MissingAnchor {
                source: source.to_path_buf(),
                path: path.to_path_buf(),
                anchor,
                start_found,
            },
            Self::EmptyRange { lines } => Error::EmptyRange {
                source: source.to_path_buf(),
                path: path.to_path_buf(),
                range: selector.to_string(),
                lines,
            },
        }
    }
}

/// The anchor name in a line holding `marker` (`ANCHOR:` or `ANCHOR_END:`), as mdBook's
/// `marker\s*([\w_-]+)` finds it.
fn anchor_in<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let after = &line[line.find(marker)? + marker.len()..];
    let after = after.trim_start();
    let len = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(after.len());
    (len > 0).then(|| &after[..len])
}

fn is_anchor_line(line: &str) -> bool {
    anchor_in(line, "ANCHOR:").is_some() || anchor_in(line, "ANCHOR_END:").is_some()
}

/// `{{#include}}`: the selected lines joined by newlines (mdBook's `take_lines` and
/// `take_anchored_lines`).
fn include_lines(content: &str, selection: &Selection) -> Result<String, Problem> {
    match selection {
        Selection::Anchor(anchor) => {
            let mut kept = Vec::new();
            let mut state = AnchorState::Before;
            for line in content.lines() {
                state = state.next(line, anchor);
                match state {
                    AnchorState::Inside if !is_anchor_line(line) => kept.push(line),
                    AnchorState::After => break,
                    _ => {}
                }
            }
            state.finish(anchor)?;
            Ok(kept.join("\n"))
        }
        Selection::Lines { .. } => {
            let kept: Vec<&str> = content
                .lines()
                .enumerate()
                .filter(|(index, _)| selection.contains(*index))
                .map(|(_, line)| line)
                .collect();
            if kept.is_empty() && !content.is_empty() {
                return Err(Problem::EmptyRange {
                    lines: content.lines().count(),
                });
            }
            Ok(kept.join("\n"))
        }
    }
}

/// `{{#rustdoc_include}}`: every line, those outside the selection hidden behind `# ` (mdBook's
/// `take_rustdoc_include_lines` and `take_rustdoc_include_anchored_lines`). Anchor lines are
/// dropped.
fn rustdoc_include_lines(content: &str, selection: &Selection) -> Result<String, Problem> {
    let mut output = String::with_capacity(content.len() + 64);
    match selection {
        Selection::Anchor(anchor) => {
            let mut state = AnchorState::Before;
            for line in content.lines() {
                let previous = state;
                state = state.next(line, anchor);
                if is_anchor_line(line) {
                    continue;
                }
                let inside = previous == AnchorState::Inside && state == AnchorState::Inside;
                if !inside {
                    output.push_str("# ");
                }
                output.push_str(line);
                output.push('\n');
            }
            state.finish(anchor)?;
        }
        Selection::Lines { .. } => {
            let mut shown = 0;
            for (index, line) in content.lines().enumerate() {
                if selection.contains(index) {
                    shown += 1;
                } else {
                    output.push_str("# ");
                }
                output.push_str(line);
                output.push('\n');
            }
            if shown == 0 && !content.is_empty() {
                return Err(Problem::EmptyRange {
                    lines: content.lines().count(),
                });
            }
        }
    }
    output.pop();
    Ok(output)
}

/// Where a line scan stands relative to one anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnchorState {
    Before,
    Inside,
    After,
}

impl AnchorState {
    /// The state after reading `line`: its own start and end lines move the state, other
    /// anchors' lines do not. `{{#include}}` stops at the first end; `{{#rustdoc_include}}`
    /// shows every section marked with the anchor, as mdBook does.
    fn next(self, line: &str, anchor: &str) -> Self {
        match self {
            Self::Before | Self::After if anchor_in(line, "ANCHOR:") == Some(anchor) => {
                Self::Inside
            }
            Self::Inside if anchor_in(line, "ANCHOR_END:") == Some(anchor) => Self::After,
            state => state,
        }
    }

    fn finish(self, anchor: &str) -> Result<(), Problem> {
        match self {
            Self::After => Ok(()),
            Self::Before | Self::Inside => Err(Problem::MissingAnchor {
                anchor: anchor.to_string(),
                start_found: self == Self::Inside,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder, removed when the test ends.
    struct Fixture(PathBuf);

    impl std::ops::Deref for Fixture {
        type Target = Path;

        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            // Best effort: a leftover folder in the temporary directory harms nothing.
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// A folder with `code/example.rs` (two anchors, one nested in the other) and
    /// `code/note.md`, which itself includes a line of `example.rs`.
    fn fixture(test: &str) -> Fixture {
        let dir = std::env::temp_dir().join(format!("docs-chapter-{}-{test}", std::process::id()));
        let sub = dir.join("code");
        fs::create_dir_all(&sub).unwrap();
        fs::write(
            sub.join("example.rs"),
            "use std::fmt;\n\
             // ANCHOR: main\n\
             fn main() {\n\
             \x20   // ANCHOR: body\n\
             \x20   let x = 1;\n\
             \x20   // ANCHOR_END: body\n\
             \x20   println!(\"{x}\");\n\
             }\n\
             // ANCHOR_END: main\n\
             // trailing\n",
        )
        .unwrap();
        fs::write(sub.join("note.md"), "Note: {{#include example.rs:1}}\n").unwrap();
        Fixture(dir)
    }

    fn expand_in(dir: &Path, text: &str) -> Result<String, Error> {
        expand(text, dir, &dir.join("chapter.md")).map(|expanded| expanded.text)
    }

    #[test]
    fn include_anchor_takes_the_anchored_lines_without_inner_anchor_lines() {
        let dir = fixture("anchor");
        let text = expand_in(&dir, "```rust\n{{#include code/example.rs:main}}\n```").unwrap();
        assert_eq!(
            text,
            "```rust\nfn main() {\n    let x = 1;\n    println!(\"{x}\");\n}\n```"
        );
    }

    #[test]
    fn include_whole_file_keeps_every_line() {
        let dir = fixture("whole");
        let text = expand_in(&dir, "{{#include code/example.rs}}").unwrap();
        // mdBook joins the lines with newlines: the file without its final newline.
        let file = fs::read_to_string(dir.join("code/example.rs")).unwrap();
        assert_eq!(text, file.trim_end_matches('\n'));
    }

    #[test]
    fn include_line_ranges_are_one_based_and_inclusive() {
        let dir = fixture("ranges");
        assert_eq!(
            expand_in(&dir, "{{#include code/example.rs:3:3}}").unwrap(),
            "fn main() {"
        );
        assert_eq!(
            expand_in(&dir, "{{#include code/example.rs:1}}").unwrap(),
            "use std::fmt;"
        );
        assert_eq!(
            expand_in(&dir, "{{#include code/example.rs::2}}").unwrap(),
            "use std::fmt;\n// ANCHOR: main"
        );
        assert_eq!(
            expand_in(&dir, "{{#include code/example.rs:9:}}").unwrap(),
            "// ANCHOR_END: main\n// trailing"
        );
    }

    #[test]
    fn rustdoc_include_hides_everything_outside_the_anchor() {
        let dir = fixture("rustdoc");
        let text = expand_in(&dir, "{{#rustdoc_include code/example.rs:body}}").unwrap();
        assert_eq!(
            text,
            "# use std::fmt;\n\
             # fn main() {\n\
             \x20   let x = 1;\n\
             #     println!(\"{x}\");\n\
             # }\n\
             # // trailing"
        );
    }

    #[test]
    fn rustdoc_include_shows_every_section_of_a_repeated_anchor() {
        let dir = fixture("repeated");
        fs::write(
            dir.join("twice.rs"),
            "// ANCHOR: a\nx\n// ANCHOR_END: a\ny\n// ANCHOR: a\nz\n// ANCHOR_END: a\n",
        )
        .unwrap();
        assert_eq!(
            expand_in(&dir, "{{#rustdoc_include twice.rs:a}}").unwrap(),
            "x\n# y\nz"
        );
        // `{{#include}}` stops at the first end, like mdBook.
        assert_eq!(expand_in(&dir, "{{#include twice.rs:a}}").unwrap(), "x");
    }

    #[test]
    fn rustdoc_include_range_hides_the_other_lines() {
        let dir = fixture("rustdoc-range");
        let text = expand_in(&dir, "{{#rustdoc_include code/example.rs:2:3}}").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# use std::fmt;");
        assert_eq!(lines[1], "// ANCHOR: main");
        assert_eq!(lines[2], "fn main() {");
        assert_eq!(lines[3], "#     // ANCHOR: body");
        assert_eq!(lines.len(), 10);
    }

    #[test]
    fn includes_nest_relative_to_the_included_file_and_are_recorded() {
        let dir = fixture("nested");
        let expanded = expand("{{#include code/note.md}}", &dir, &dir.join("chapter.md")).unwrap();
        assert_eq!(expanded.text, "Note: use std::fmt;");
        assert_eq!(
            expanded.files,
            [dir.join("code/note.md"), dir.join("code/example.rs")]
        );
    }

    #[test]
    fn an_escaped_directive_is_written_out_literally() {
        let dir = fixture("escaped");
        assert_eq!(
            expand_in(&dir, r"Write \{{#include file.rs:name}} in a chapter.").unwrap(),
            "Write {{#include file.rs:name}} in a chapter."
        );
        // Braces that are no directive pass through untouched.
        assert_eq!(expand_in(&dir, "a {{b}} c {{ d").unwrap(), "a {{b}} c {{ d");
    }

    #[test]
    fn a_missing_anchor_names_the_chapter_the_file_and_the_anchor() {
        let dir = fixture("missing");
        let error = expand_in(&dir, "{{#include code/example.rs:nope}}").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("chapter.md"), "{message}");
        assert!(message.contains("code/example.rs"), "{message}");
        assert!(message.contains("anchor `nope` not found"), "{message}");
        let error = expand_in(&dir, "{{#rustdoc_include code/example.rs:nope}}").unwrap_err();
        assert!(
            matches!(error, Error::MissingAnchor { ref anchor, start_found: false, .. } if anchor == "nope")
        );
    }

    #[test]
    fn an_anchor_without_end_is_an_error() {
        let dir = fixture("unterminated");
        fs::write(dir.join("open.rs"), "// ANCHOR: open\nfn f() {}\n").unwrap();
        let error = expand_in(&dir, "{{#include open.rs:open}}").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: anchor `open` in {} has no `ANCHOR_END: open`",
                dir.join("chapter.md").display(),
                dir.join("open.rs").display()
            )
        );
    }

    #[test]
    fn a_missing_file_and_an_empty_range_are_errors() {
        let dir = fixture("errors");
        assert!(matches!(
            expand_in(&dir, "{{#include nowhere.rs}}").unwrap_err(),
            Error::Read { .. }
        ));
        assert!(matches!(
            expand_in(&dir, "{{#include code/example.rs:40:50}}").unwrap_err(),
            Error::EmptyRange { lines: 10, .. }
        ));
        assert!(matches!(
            expand_in(&dir, "{{#playground code/example.rs}}").unwrap_err(),
            Error::Unsupported { .. }
        ));
    }

    #[test]
    fn a_self_include_stops_at_the_depth_limit() {
        let dir = fixture("cycle");
        fs::write(dir.join("loop.md"), "{{#include loop.md}}").unwrap();
        assert!(matches!(
            expand_file(&dir.join("loop.md")).unwrap_err(),
            Error::TooDeep { .. }
        ));
    }

    #[test]
    fn bare_fences_are_refused_and_labelled_ones_accepted() {
        let source = Path::new("chapter.md");
        assert!(check_fences("```rust\nlet x = 1;\n```\n\n```text\nplain\n```\n", source).is_ok());
        // A closing fence is bare by nature; only an opening one needs a language.
        assert_eq!(
            check_fences("text\n\n```\nlet x = 1;\n```\n", source),
            Err(Error::BareFence {
                source: source.to_path_buf(),
                line: 3
            })
        );
        // A longer fence may contain a shorter one.
        assert!(check_fences("````markdown\n```\n````\n", source).is_ok());
    }

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(module_name("chain-rule"), "chain_rule");
        assert_eq!(module_name("introduction"), "introduction");
        assert_eq!(module_name("01-start"), "chapter_01_start");
    }
}
