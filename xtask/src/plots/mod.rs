//! `cargo xtask plots [--only NAME] [--check]`: draws every course figure into
//! `docs/src/figures/` as `<name>.png`, deterministically, and prints one line per figure saying
//! whether it was written or already up to date. `--check` writes nothing and fails if a
//! committed figure differs from what the code draws.
//!
//! # Adding a figure
//!
//! Each chapter keeps its figures in one module, `xtask/src/plots/<chapter>.rs` (the chapter's
//! file stem with `-` as `_`), with one draw function and one [`Figure`] constant per figure.
//! The function computes its data with the concept crates (seeded, so the picture is the same
//! every run) and draws it with a helper from [`charts`] ([`charts::LineChart`],
//! [`charts::ContourPlot`], [`charts::DecisionRegions`]), or by hand with [`Canvas::draw`],
//! [`style`] and [`text`]:
//!
//! ```
//! use xtask::plots::charts::{LineChart, Series};
//! use xtask::plots::style::Axis;
//! use xtask::plots::{Canvas, Figure};
//! use xtask::workspace::Result;
//!
//! pub const PARABOLA: Figure = Figure {
//!     name: "chain-rule-parabola", // docs/src/figures/chain-rule-parabola.png
//!     chapter: "chain-rule",       // shown by docs/src/chain-rule.md
//!     description: "y = x² and its derivative 2x",
//!     draw: parabola,
//! };
//!
//! fn parabola(canvas: &Canvas) -> Result<()> {
//!     let xs: Vec<f64> = (0..=40).map(|i| f64::from(i) / 10.0 - 2.0).collect();
//!     LineChart::new("y = x² and dy/dx = 2x", Axis::linear("x"), Axis::linear("y"))
//!         .series(Series::line("y = x²", xs.iter().map(|&x| (x, x * x)).collect()))
//!         .series(Series::dashed("dy/dx", xs.iter().map(|&x| (x, 2.0 * x)).collect()))
//!         .draw(canvas)
//! }
//! # let dir = std::env::temp_dir().join(format!("xtask-doc-{}", std::process::id()));
//! # let canvas = Canvas::new(&dir, PARABOLA.name);
//! # (PARABOLA.draw)(&canvas)?;
//! # assert!(canvas.path().is_file());
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Then register it: `pub mod <chapter>;` below and `<chapter>::PARABOLA,` in [`FIGURES`]; show
//! it in the chapter as `![What it shows](figures/<name>.png)`; run `cargo xtask plots` and
//! commit the PNG. The tests check that names are unique, that each figure's chapter file
//! exists and shows it, and that every `figures/*.png` a chapter shows is registered.
//!
//! The book shows PNG: text in an SVG is drawn by the viewer's fonts, so it would look
//! different on every machine, while the PNG is rasterised here from the shipped DejaVu Sans
//! and is byte-for-byte reproducible.

pub mod backprop_matrix;
pub mod canvas;
pub mod chain_rule;
pub mod charts;
pub mod frame;
pub mod gradient;
pub mod grid;
pub mod optim;
pub mod perceptron;
pub mod style;
pub mod text;
pub mod training;

use std::fmt;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::workspace::{self, Result};
pub use canvas::{Canvas, Outcome, Staleness};

/// One figure of the course.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// File stem, unique, lowercase words joined by `-`, starting with the chapter's name:
    /// the figure is written to `docs/src/figures/<name>.png`.
    pub name: &'static str,
    /// The chapter that shows it: the stem of its file in `docs/src/` (for example `gradient`).
    pub chapter: &'static str,
    /// One line saying what the figure shows (printed by `cargo xtask plots --list`).
    pub description: &'static str,
    /// Computes the data and draws it into the canvas.
    pub draw: fn(&Canvas) -> Result<()>,
}

/// Every figure of the course, in chapter order. One entry per figure.
pub const FIGURES: &[Figure] = &[
    chain_rule::COMPOSITE,
    chain_rule::STEP_SIZE,
    gradient::CONTOURS,
    perceptron::LOSS,
    perceptron::ACCURACY,
    perceptron::BOUNDARY,
    perceptron::SIGMOID,
    perceptron::SATURATION,
    backprop_matrix::XOR_LINEAR,
    backprop_matrix::XOR_MLP,
    backprop_matrix::MOONS_LINEAR,
    backprop_matrix::MOONS_MLP,
    backprop_matrix::SPIRALS_LINEAR,
    backprop_matrix::SPIRALS_MLP,
    backprop_matrix::GRADCHECK,
    training::DIGITS_LOSS,
    training::DIGITS_ACCURACY,
    training::DIGITS_CONFUSION,
    training::DIGITS_WEIGHTS,
    training::VANISHING_SIGMOID,
    training::VANISHING_RELU,
    training::LANDSCAPE_LINE,
    training::LANDSCAPE_SLICE,
    optim::QUADRATIC_PATHS,
    optim::QUADRATIC_LOSS,
    optim::ROSENBROCK_PATHS,
    optim::ROSENBROCK_LOSS,
    optim::SCHEDULES,
];

/// The text figure `name` draws (titles, axis and tick labels, legends), one piece per line,
/// drawn by a checking canvas, so nothing is written.
///
/// # Errors
///
/// An unknown name (the message lists the valid ones) or a figure that fails to draw.
pub fn drawn_text(name: &str) -> Result<String> {
    let figure = select(FIGURES, Some(name))?[0];
    let canvas = Canvas::check(&workspace::figures_dir(), figure.name);
    let (drawn, text) = text::recording(|| (figure.draw)(&canvas));
    drawn.map_err(|error| format!("figure '{}': {error}", figure.name))?;
    Ok(text.join("\n"))
}

/// Draws the figures (all, or the one named `only`) into `docs/src/figures/`; with `check`,
/// only compares them with the files there and writes nothing.
///
/// # Errors
///
/// An unknown `only` name (the message lists the valid ones), the first figure that fails to
/// draw, or (checking) any figure whose file is missing or differs from what the code draws.
pub fn run(only: Option<&str>, check: bool) -> Result<()> {
    let figures = select(FIGURES, only)?;
    let dir = workspace::figures_dir();
    let tally = draw_all(&figures, &dir, check)?;
    println!(
        "{} figure(s) in {}: {} written, {} unchanged, {} stale",
        figures.len(),
        workspace::display(&dir),
        tally.written,
        tally.unchanged,
        tally.stale.len()
    );
    if tally.stale.is_empty() {
        Ok(())
    } else {
        let each: Vec<String> = tally
            .stale
            .iter()
            .map(|(name, staleness)| format!("{name} ({staleness})"))
            .collect();
        Err(format!(
            "{} figure(s) differ from what the code draws: {}; run `cargo xtask plots` and commit them",
            tally.stale.len(),
            each.join(", ")
        )
        .into())
    }
}

/// Prints every registered figure: name, chapter and description.
pub fn list() {
    if FIGURES.is_empty() {
        println!("no figures are registered yet (see xtask/src/plots/mod.rs)");
    }
    for figure in FIGURES {
        println!(
            "{:<32} {:<14} {}",
            figure.name, figure.chapter, figure.description
        );
    }
}

/// The figures to draw: all of them, or the one named `only`.
///
/// # Errors
///
/// [`UnknownFigure`] when no figure has the name `only`.
pub fn select<'a>(figures: &'a [Figure], only: Option<&str>) -> Result<Vec<&'a Figure>> {
    match only {
        None => Ok(figures.iter().collect()),
        Some(name) => match figures.iter().find(|figure| figure.name == name) {
            Some(figure) => Ok(vec![figure]),
            None => Err(Box::new(UnknownFigure {
                name: name.to_string(),
                valid: figures.iter().map(|figure| figure.name).collect(),
            })),
        },
    }
}

/// `--only` named no registered figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFigure {
    /// The name asked for.
    pub name: String,
    /// Every registered name.
    pub valid: Vec<&'static str>,
}

impl fmt::Display for UnknownFigure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.valid.is_empty() {
            write!(
                f,
                "no figure named '{}': no figures are registered",
                self.name
            )
        } else {
            write!(
                f,
                "no figure named '{}'; valid names: {}",
                self.name,
                self.valid.join(", ")
            )
        }
    }
}

impl std::error::Error for UnknownFigure {}

/// What drawing a set of figures did.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    written: usize,
    unchanged: usize,
    /// Checking only: the figures whose files are missing or differ.
    stale: Vec<(&'static str, Staleness)>,
}

/// Draws `figures` into `dir` (or, with `check`, only compares them with the files there) with a
/// progress bar and a line per figure.
fn draw_all(figures: &[&Figure], dir: &Path, check: bool) -> Result<Tally> {
    let bar = ProgressBar::new(figures.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .map_err(|error| format!("bad progress template: {error}"))?,
    );
    let mut tally = Tally::default();
    for figure in figures {
        bar.set_message(figure.name);
        let canvas = if check {
            Canvas::check(dir, figure.name)
        } else {
            Canvas::new(dir, figure.name)
        };
        (figure.draw)(&canvas).map_err(|error| format!("figure '{}': {error}", figure.name))?;
        let mut detail = String::new();
        let status = match canvas.outcome() {
            Some(Outcome::Written) => {
                tally.written += 1;
                "wrote    "
            }
            Some(Outcome::Unchanged) => {
                tally.unchanged += 1;
                "unchanged"
            }
            Some(Outcome::Stale(staleness)) => {
                tally.stale.push((figure.name, staleness));
                detail = format!(": {staleness}");
                "stale    "
            }
            None => {
                return Err(format!(
                    "figure '{}' drew nothing: its draw function must draw into the canvas",
                    figure.name
                )
                .into());
            }
        };
        let path = workspace::display(canvas.path());
        bar.suspend(|| println!("{status} {path}{detail}  ({})", figure.description));
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fs;

    use super::*;

    #[allow(clippy::unnecessary_wraps)] // The registry's signature for a draw function.
    fn nothing(_: &Canvas) -> Result<()> {
        Ok(())
    }

    fn square(canvas: &Canvas) -> Result<()> {
        charts::LineChart::new("y = x²", style::Axis::linear("x"), style::Axis::linear("y"))
            .series(charts::Series::line(
                "x²",
                (0..=10).map(|i| (f64::from(i), f64::from(i * i))).collect(),
            ))
            .draw(canvas)
    }

    const TEST_FIGURES: &[Figure] = &[
        Figure {
            name: "test-square",
            chapter: "test",
            description: "a parabola",
            draw: square,
        },
        Figure {
            name: "test-nothing",
            chapter: "test",
            description: "forgets to draw",
            draw: nothing,
        },
    ];

    #[test]
    fn without_only_every_figure_is_selected() {
        let names: Vec<&str> = select(TEST_FIGURES, None)
            .unwrap()
            .iter()
            .map(|figure| figure.name)
            .collect();
        assert_eq!(names, ["test-square", "test-nothing"]);
    }

    #[test]
    fn only_selects_the_named_figure() {
        let selected = select(TEST_FIGURES, Some("test-nothing")).unwrap();
        assert_eq!(selected.len(), 1);
        assert_eq!(selected[0].name, "test-nothing");
    }

    #[test]
    fn an_unknown_name_is_an_error_listing_the_valid_names() {
        let error = select(TEST_FIGURES, Some("test-cube")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no figure named 'test-cube'; valid names: test-square, test-nothing"
        );
        let error = select(&[], Some("anything")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no figure named 'anything': no figures are registered"
        );
    }

    #[test]
    fn drawing_reports_written_then_unchanged_and_keeps_the_bytes() {
        let dir = temp_dir("draw-all");
        let figures = select(TEST_FIGURES, Some("test-square")).unwrap();
        assert_eq!(draw_all(&figures, &dir, false).unwrap().written, 1);
        let first = fs::read(dir.join("test-square.png")).unwrap();
        assert_eq!(draw_all(&figures, &dir, false).unwrap().unchanged, 1);
        assert_eq!(fs::read(dir.join("test-square.png")).unwrap(), first);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_figure_that_draws_nothing_is_an_error() {
        let dir = temp_dir("draw-nothing");
        let figures = select(TEST_FIGURES, Some("test-nothing")).unwrap();
        let error = draw_all(&figures, &dir, false).unwrap_err();
        assert!(error.to_string().contains("'test-nothing' drew nothing"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn checking_reports_stale_figures_and_writes_nothing() {
        let dir = temp_dir("check");
        let figures = select(TEST_FIGURES, Some("test-square")).unwrap();
        let path = dir.join("test-square.png");
        let tally = draw_all(&figures, &dir, true).unwrap();
        assert_eq!(
            tally.stale,
            [("test-square", Staleness::Unreadable)],
            "a missing file is stale"
        );
        assert!(!path.exists(), "checking wrote a file");
        fs::write(&path, b"not the figure").unwrap();
        let tally = draw_all(&figures, &dir, true).unwrap();
        assert_eq!(tally.stale, [("test-square", Staleness::Unreadable)]);
        assert_eq!(fs::read(&path).unwrap(), b"not the figure");
        draw_all(&figures, &dir, false).unwrap();
        let tally = draw_all(&figures, &dir, true).unwrap();
        assert_eq!((tally.unchanged, tally.stale.len()), (1, 0));
        // Three pixels recoloured: the check counts them.
        let (mut pixels, width, height) = canvas::decode_png(&fs::read(&path).unwrap()).unwrap();
        for pixel in [0, 1, 500] {
            pixels[3 * pixel] ^= 0xff;
        }
        fs::write(&path, canvas::encode_png(&pixels, width, height).unwrap()).unwrap();
        let tally = draw_all(&figures, &dir, true).unwrap();
        assert_eq!(
            tally.stale,
            [(
                "test-square",
                Staleness::Pixels {
                    differing: 3,
                    total: u64::from(width) * u64::from(height)
                }
            )]
        );
        fs::remove_dir_all(dir).unwrap();
    }

    /// The registry is consistent with the course: names unique and well formed, each figure
    /// starts with and belongs to an existing chapter, each is shown by some chapter, and every
    /// image a chapter shows from `figures/` is a registered figure.
    #[test]
    fn registry_matches_the_chapters() {
        let mut names = BTreeSet::new();
        let src = workspace::book_dir().join("src");
        for figure in FIGURES {
            assert!(
                names.insert(figure.name),
                "figure '{}' is registered twice",
                figure.name
            );
            assert!(
                figure.name.split('-').all(|word| !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "figure name '{}' must be lowercase words joined by '-'",
                figure.name
            );
            assert!(
                figure.name.starts_with(figure.chapter),
                "figure name '{}' must start with its chapter '{}'",
                figure.name,
                figure.chapter
            );
            assert!(
                src.join(format!("{}.md", figure.chapter)).is_file(),
                "figure '{}' names chapter '{}', but docs/src/{}.md does not exist",
                figure.name,
                figure.chapter,
                figure.chapter
            );
        }
        let mut shown = BTreeSet::new();
        for entry in fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "md") {
                let text = fs::read_to_string(&path).unwrap();
                for piece in text.split("figures/").skip(1) {
                    let stem: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if piece[stem.len()..].starts_with(".png") {
                        shown.insert(stem);
                    }
                }
            }
        }
        for stem in &shown {
            assert!(
                names.contains(stem.as_str()),
                "a chapter shows figures/{stem}.png, but no figure '{stem}' is registered"
            );
        }
        for name in &names {
            assert!(
                shown.contains(*name),
                "figure '{name}' is registered but no chapter shows figures/{name}.png"
            );
        }
    }

    /// A fresh folder under the system temporary directory for one test.
    pub(super) fn temp_dir(test: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-plots-{}-{test}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
