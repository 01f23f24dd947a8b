//! Text in figures, typeset with the shipped DejaVu Sans by `ab_glyph`: kerned, with each glyph
//! at its proper side bearing, anti-aliased, horizontal or turned a quarter left (for a y-axis
//! title).
//!
//! Plotters' own `ab_glyph` text places every glyph's ink box at the pen position, ignoring the
//! side bearing, so narrow letters are followed by gaps ("derivati ve"); every label in the
//! course's figures goes through [`Text`] instead.

use std::cell::RefCell;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont, point};
use plotters::prelude::{Color, RGBColor};

use super::canvas::Area;
use super::style;
use crate::workspace::Result;

thread_local! {
    /// The text of every [`Text`] drawn on this thread while [`recording`] runs.
    static DRAWN: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `draw` and returns what it returned with the text of every [`Text`] it drew, in
/// drawing order: the numbers a figure shows in its titles, labels and legends, for
/// `cargo xtask quotes` to compare with its caption.
pub fn recording<R>(draw: impl FnOnce() -> R) -> (R, Vec<String>) {
    let outer = DRAWN.replace(Some(Vec::new()));
    let result = draw();
    let drawn = DRAWN.replace(outer).unwrap_or_default();
    (result, drawn)
}

/// DejaVu Sans, Bitstream Vera licence (see `xtask/assets/fonts/LICENSE-DejaVu.txt`).
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Horizontal placement of text relative to its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// The anchor is at the start (left) of the text.
    Start,
    /// The anchor is at the centre.
    Centre,
    /// The anchor is at the end (right).
    End,
}

/// Vertical placement of text relative to its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// The anchor is at the top of the line box.
    Top,
    /// The anchor is at the middle of the line box.
    Middle,
    /// The anchor is at the bottom of the line box.
    Bottom,
}

/// A piece of text to draw: what, how big, where it hangs from its anchor, and which way it
/// runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The text, one line.
    pub text: String,
    /// Height of the font in pixels.
    pub size: f32,
    /// Bold or regular.
    pub bold: bool,
    /// The colour.
    pub colour: RGBColor,
    /// Horizontal placement (along the text's own direction).
    pub align: Align,
    /// Vertical placement (across the text's own direction).
    pub baseline: Baseline,
    /// Turned a quarter left, reading upwards (a y-axis title).
    pub upright: bool,
    /// Drawn over a thin white outline, so it stays readable on shading and lines.
    pub halo: bool,
}

impl Text {
    /// Regular ink-coloured `text` at `size` pixels, anchored at its top left.
    pub fn new(text: impl Into<String>, size: f32) -> Self {
        Self {
            text: text.into(),
            size,
            bold: false,
            colour: style::INK,
            align: Align::Start,
            baseline: Baseline::Top,
            upright: false,
            halo: false,
        }
    }

    /// A figure title.
    pub fn title(text: impl Into<String>) -> Self {
        Self {
            bold: true,
            ..Self::new(text, style::TITLE_SIZE)
        }
    }

    /// An axis title.
    pub fn label(text: impl Into<String>) -> Self {
        Self::new(text, style::LABEL_SIZE)
    }

    /// Tick labels, legend entries and annotations.
    pub fn small(text: impl Into<String>) -> Self {
        Self::new(text, style::SMALL_SIZE)
    }

    /// The same text anchored as given.
    #[must_use]
    pub fn anchor(mut self, align: Align, baseline: Baseline) -> Self {
        self.align = align;
        self.baseline = baseline;
        self
    }

    /// The same text in `colour`.
    #[must_use]
    pub fn colour(mut self, colour: RGBColor) -> Self {
        self.colour = colour;
        self
    }

    /// The same text over a thin white outline (for labels on top of data).
    #[must_use]
    pub fn halo(mut self) -> Self {
        self.halo = true;
        self
    }

    /// The same text turned a quarter left.
    #[must_use]
    pub fn upright(mut self) -> Self {
        self.upright = true;
        self
    }

    /// Width and height of the text's line box in pixels, before any turning.
    pub fn extent(&self) -> (f32, f32) {
        let (_, width) = self.layout();
        let font = self.font().as_scaled(PxScale::from(self.size));
        (width, font.ascent() - font.descent())
    }

    /// The same text, smaller if needed so that it is at most `width` pixels long.
    #[must_use]
    pub fn fit(mut self, width: f32) -> Self {
        let (length, _) = self.extent();
        if length > width && length > 0.0 {
            self.size *= width / length;
        }
        self
    }

    /// Draws the text on `area` (pixel coordinates) hanging from `anchor` as its alignment
    /// says, moved as little as needed to stay whole inside the area (a label next to a point
    /// near the edge slides back in rather than being cut off).
    ///
    /// # Errors
    ///
    /// A drawing error from the backend.
    pub fn draw(&self, area: &Area<'_>, anchor: (i32, i32)) -> Result<()> {
        DRAWN.with_borrow_mut(|drawn| {
            if let Some(drawn) = drawn {
                drawn.push(self.text.clone());
            }
        });
        let (width, height) = self.extent();
        let along = match self.align {
            Align::Start => 0.0,
            Align::Centre => width / 2.0,
            Align::End => width,
        };
        let across = match self.baseline {
            Baseline::Top => 0.0,
            Baseline::Middle => height / 2.0,
            Baseline::Bottom => height,
        };
        // The text's box relative to the anchor, turned if upright.
        let (x_span, y_span) = if self.upright {
            ((-across, height - across), (along - width, along))
        } else {
            ((-along, width - along), (-across, height - across))
        };
        let (area_width, area_height) = area.dim_in_pixel();
        #[allow(clippy::cast_precision_loss)] // Figure sizes are far below 2^24 pixels.
        let anchor = (
            anchor.0 + slide(anchor.0 as f32, x_span, area_width as f32),
            anchor.1 + slide(anchor.1 as f32, y_span, area_height as f32),
        );
        let font = self.font();
        let (glyphs, _) = self.layout();
        let mut glyph_pixels = Vec::with_capacity(glyphs.len());
        for glyph in glyphs {
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                // Position in the unturned line box, relative to the anchor.
                let px = bounds.min.x + x as f32 - along;
                let py = bounds.min.y + y as f32 - across;
                pixels.push((px, py, coverage));
            });
            glyph_pixels.push(pixels);
        }
        let place = |px: f32, py: f32| {
            let (dx, dy) = if self.upright { (py, -px) } else { (px, py) };
            (anchor.0 + to_pixel(dx), anchor.1 + to_pixel(dy))
        };
        if self.halo {
            // The outline: the glyphs' ink spread two pixels in every direction, in white.
            const SPREAD: [(i32, i32); 12] = [
                (-2, 0),
                (2, 0),
                (0, -2),
                (0, 2),
                (-1, -1),
                (1, -1),
                (-1, 1),
                (1, 1),
                (-2, -1),
                (2, 1),
                (-1, 2),
                (1, -2),
            ];
            for &(px, py, coverage) in glyph_pixels.iter().flatten() {
                if coverage > 0.25 {
                    let (x, y) = place(px, py);
                    for (sx, sy) in SPREAD {
                        area.draw_pixel((x + sx, y + sy), &style::BACKGROUND.mix(0.8))?;
                    }
                }
            }
        }
        for &(px, py, coverage) in glyph_pixels.iter().flatten() {
            if coverage > 0.0 {
                area.draw_pixel(
                    place(px, py),
                    &self.colour.mix(f64::from(coverage.min(1.0))),
                )?;
            }
        }
        Ok(())
    }

    fn font(&self) -> &'static FontRef<'static> {
        fonts(self.bold)
    }

    /// The positioned glyphs (baseline at the font's ascent below the top) and the advance width.
    fn layout(&self) -> (Vec<Glyph>, f32) {
        let scale = PxScale::from(self.size);
        let font = self.font().as_scaled(scale);
        let mut caret = 0.0;
        let mut previous = None;
        let mut glyphs = Vec::with_capacity(self.text.len());
        for c in self.text.chars() {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                caret += font.kern(previous, id);
            }
            glyphs.push(id.with_scale_and_position(scale, point(caret, font.ascent())));
            caret += font.h_advance(id);
            previous = Some(id);
        }
        (glyphs, caret)
    }
}

/// How far to move an anchor at `at` so that the span `(start, end)` around it lies within
/// `0..limit` with a small gap (the start wins when the span is longer than the limit).
fn slide(at: f32, (start, end): (f32, f32), limit: f32) -> i32 {
    const GAP: f32 = 4.0;
    let low = at + start;
    let high = at + end;
    if low < GAP {
        to_pixel(GAP - low).max(0) + 1
    } else if high > limit - GAP {
        -(to_pixel(high - (limit - GAP)) + 1).min(to_pixel(low - GAP))
    } else {
        0
    }
}

/// Rounds a pixel offset within a figure (far inside `i32`).
fn to_pixel(value: f32) -> i32 {
    #[allow(clippy::cast_possible_truncation)]
    let pixel = value.floor() as i32;
    pixel
}

/// The parsed course fonts, regular or bold.
fn fonts(bold: bool) -> &'static FontRef<'static> {
    static REGULAR_FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    static BOLD_FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD_FONT, BOLD)
    } else {
        (&REGULAR_FONT, REGULAR)
    };
    cell.get_or_init(|| {
        FontRef::try_from_slice(bytes)
            .expect("invariant: the DejaVu fonts shipped in xtask/assets/fonts parse")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_letters_take_their_advance_not_their_ink_width() {
        // "ii" is twice as wide as "i", and "i" is much narrower than "m" in a proportional font.
        let i = Text::small("i").extent().0;
        let ii = Text::small("ii").extent().0;
        let m = Text::small("m").extent().0;
        assert!((ii - 2.0 * i).abs() < 1e-3, "i = {i}, ii = {ii}");
        assert!(m > 2.0 * i, "i = {i}, m = {m}");
    }

    #[test]
    fn fit_shrinks_only_text_that_is_too_long() {
        let title = Text::title("a title that is rather long for its figure");
        let (length, _) = title.extent();
        assert_eq!(title.clone().fit(length + 10.0), title);
        let fitted = title.fit(length / 2.0);
        assert!((fitted.extent().0 - length / 2.0).abs() < 1.0);
    }

    #[test]
    fn text_slides_back_inside_the_picture() {
        // A 100-pixel label anchored 30 pixels from the right edge of a 500-pixel picture moves
        // left until its end is 4 pixels inside; one inside the picture stays.
        assert_eq!(slide(470.0, (0.0, 100.0), 500.0), -75);
        assert_eq!(slide(200.0, (0.0, 100.0), 500.0), 0);
        assert_eq!(slide(10.0, (-50.0, 50.0), 500.0), 45);
    }

    #[test]
    fn bold_text_is_wider_than_regular() {
        let regular = Text::new("gradient", 30.0).extent().0;
        let bold = Text {
            bold: true,
            ..Text::new("gradient", 30.0)
        }
        .extent()
        .0;
        assert!(bold > regular);
    }

    #[test]
    fn recording_returns_the_text_drawn_inside_it_and_only_that() {
        use plotters::prelude::{BitMapBackend, IntoDrawingArea};

        let mut buffer = vec![0_u8; 200 * 100 * 3];
        let area = BitMapBackend::with_buffer(&mut buffer, (200, 100)).into_drawing_area();
        Text::small("before").draw(&area, (10, 10)).unwrap();
        let (result, drawn) = recording(|| {
            Text::small("loss 0.25").draw(&area, (10, 30))?;
            let ((), inner) = recording(|| Text::small("inner").draw(&area, (10, 50)).unwrap());
            assert_eq!(inner, ["inner"]);
            Text::title("50 % right").draw(&area, (10, 70))
        });
        result.unwrap();
        // The nested recording keeps its text to itself and the outer one resumes after it.
        assert_eq!(drawn, ["loss 0.25", "50 % right"]);
        Text::small("after").draw(&area, (10, 90)).unwrap();
        let ((), none) = recording(|| ());
        assert!(none.is_empty());
    }
}
