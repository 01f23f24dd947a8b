//! The look every figure shares: the font shipped in `xtask/assets/fonts/`, a colour-blind-safe
//! palette, text sizes, the figure size, and axes (linear or logarithmic, with tick positions and
//! labels).
//!
//! Chart helpers in [`super::charts`] use these; a figure that draws by hand with
//! [`super::canvas::Canvas::draw`] should too, so the course looks like one piece.

use std::sync::OnceLock;

use plotters::style::{FontStyle, RGBColor, register_font};

use crate::workspace::Result;

/// Width of a figure in pixels. The book shows it at about half size, so it stays sharp on
/// high-density screens.
pub const WIDTH: u32 = 1400;
/// Height of a figure in pixels.
pub const HEIGHT: u32 = 875;
/// The tallest a figure gets (equal-aspect plots of tall regions get narrower instead).
pub const MAX_HEIGHT: u32 = 1400;

/// The font family name the course font is registered under.
pub const FONT: &str = "sans-serif";

/// DejaVu Sans (Bitstream Vera licence, see `xtask/assets/fonts/LICENSE-DejaVu.txt`).
const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, for titles.
const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the course font with plotters (once per process; later calls return at once).
/// Plotters needs a font to lay out its (empty) tick labels; the text itself is typeset by
/// [`super::text`].
///
/// # Errors
///
/// If a shipped font file cannot be parsed.
pub fn register_fonts() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            register_font(FONT, FontStyle::Normal, FONT_REGULAR)
                .map_err(|_| "could not parse DejaVuSans.ttf".to_string())?;
            register_font(FONT, FontStyle::Bold, FONT_BOLD)
                .map_err(|_| "could not parse DejaVuSans-Bold.ttf".to_string())
        })
        .clone()
        .map_err(Into::into)
}

/// The background of every figure.
pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Text, axes and frames.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Neutral annotations (reference lines, markers).
pub const GREY: RGBColor = RGBColor(120, 120, 120);

/// Blue (Okabe–Ito palette, distinguishable with the common colour-vision deficiencies).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Bluish green.
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
/// Vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Reddish purple.
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Sky blue.
pub const SKY: RGBColor = RGBColor(86, 180, 233);
/// Yellow (light: use for fills rather than thin lines).
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);

/// The series colours in the order charts hand them out.
pub const PALETTE: [RGBColor; 7] = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, YELLOW];

/// The `index`-th palette colour, cycling when there are more series than colours.
pub fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// `colour` mixed with white: `amount = 0` keeps it, `amount = 1` gives white. Used for filled
/// regions under dark lines and points.
pub fn tint(colour: RGBColor, amount: f64) -> RGBColor {
    let amount = amount.clamp(0.0, 1.0);
    let mix = |channel: u8| {
        let value = f64::from(channel) + (255.0 - f64::from(channel)) * amount;
        // In 0..=255 by construction, so the cast neither truncates nor wraps.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let byte = value.round() as u8;
        byte
    };
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// Height of title text in pixels.
pub const TITLE_SIZE: f32 = 40.0;
/// Height of axis titles in pixels.
pub const LABEL_SIZE: f32 = 32.0;
/// Height of tick labels, legend entries and annotations in pixels.
pub const SMALL_SIZE: f32 = 27.0;

/// Line width of data series in pixels.
pub const LINE_WIDTH: u32 = 4;
/// Radius of data points in pixels.
pub const POINT_RADIUS: u32 = 7;

/// How an axis maps values to positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Equal steps in value are equal distances.
    Linear,
    /// Equal factors are equal distances (base 10); non-positive values cannot be shown.
    Log,
}

/// One axis of a chart: its title, scale and (optionally) fixed range in data units.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Axis title, with units if any.
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// The shown range in data units; `None` fits the data.
    pub range: Option<(f64, f64)>,
}

impl Axis {
    /// A linear axis titled `label` that fits the data.
    pub fn linear(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            scale: Scale::Linear,
            range: None,
        }
    }

    /// A base-10 logarithmic axis titled `label` that fits the data (whole decades).
    pub fn log(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            scale: Scale::Log,
            range: None,
        }
    }

    /// The same axis showing exactly `low..=high` (data units, both positive on a log axis).
    #[must_use]
    pub fn range(mut self, low: f64, high: f64) -> Self {
        self.range = Some((low, high));
        self
    }

    /// Maps a data value to the axis coordinate plotters draws with: the value itself on a
    /// linear axis, its base-10 logarithm on a log axis. `None` for values the axis cannot show
    /// (non-finite, or non-positive on a log axis).
    pub fn to_coord(&self, value: f64) -> Option<f64> {
        match self.scale {
            Scale::Linear if value.is_finite() => Some(value),
            Scale::Log if value.is_finite() && value > 0.0 => Some(value.log10()),
            _ => None,
        }
    }

    /// The shown range in axis coordinates: the fixed range if set, else the span of `coords`
    /// (already mapped by [`Axis::to_coord`]) padded by 4 % on a linear axis and widened to whole
    /// decades on a log axis. An empty or zero-width span gets a unit-wide range around it.
    pub fn coord_range(&self, coords: impl IntoIterator<Item = f64>) -> (f64, f64) {
        if let Some((low, high)) = self.range {
            let low = self.to_coord(low).unwrap_or(0.0);
            let high = self.to_coord(high).unwrap_or(1.0);
            return if low < high { (low, high) } else { (high, low) };
        }
        let (low, high) = coords
            .into_iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), c| {
                (low.min(c), high.max(c))
            });
        if !low.is_finite() || !high.is_finite() {
            return (0.0, 1.0);
        }
        match self.scale {
            Scale::Linear => {
                let pad = if high > low { 0.04 * (high - low) } else { 0.5 };
                (low - pad, high + pad)
            }
            Scale::Log => {
                let (low, high) = (low.floor(), high.ceil());
                if high > low {
                    (low, high)
                } else {
                    (low - 0.5, high + 0.5)
                }
            }
        }
    }

    /// Tick positions in axis coordinates for the range `(low, high)`: "nice" steps (1, 2 or 5
    /// times a power of ten) on a linear axis, whole decades on a log axis (every second or
    /// third decade when there are many).
    pub fn ticks(&self, (low, high): (f64, f64)) -> Vec<f64> {
        match self.scale {
            Scale::Linear => linear_ticks(low, high),
            Scale::Log => {
                let first = low.ceil();
                let decades = (high.floor() - first).max(0.0);
                let stride = (decades / 8.0).ceil().max(1.0);
                let mut ticks = Vec::new();
                let mut tick = first;
                while tick <= high + 1e-9 {
                    ticks.push(tick);
                    tick += stride;
                }
                if ticks.is_empty() {
                    linear_ticks(low, high)
                } else {
                    ticks
                }
            }
        }
    }

    /// The label of the tick at axis coordinate `coord`: the value on a linear axis (with a
    /// true minus sign), `10ᵏ` with a superscript exponent on a log axis (or the value when it
    /// is not a whole decade).
    pub fn tick_label(&self, coord: f64) -> String {
        match self.scale {
            Scale::Linear => format_number(coord).replace('-', "\u{2212}"),
            Scale::Log => {
                let rounded = coord.round();
                if (coord - rounded).abs() < 1e-9 {
                    format!("10{}", superscript(&format_number(rounded)))
                } else {
                    format_number(10_f64.powf(coord))
                }
            }
        }
    }
}

/// Ticks at 1, 2 or 5 times a power of ten, about eight of them across `low..=high`.
fn linear_ticks(low: f64, high: f64) -> Vec<f64> {
    let span = high - low;
    if !(span.is_finite() && span > 0.0) {
        return vec![low];
    }
    let rough = span / 8.0;
    let magnitude = 10_f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).ceil();
    let last = (high / step).floor();
    // `first` and `last` are whole numbers of steps within a finite range: the casts are exact.
    #[allow(clippy::cast_possible_truncation)]
    let (first, last) = (first as i64, last as i64);
    (first..=last)
        .map(|k| {
            let tick = k as f64 * step;
            // Snap -0.0 and rounding noise such as 0.30000000000000004 to the shortest value.
            if tick.abs() < step * 1e-9 { 0.0 } else { tick }
        })
        .collect()
}

/// A short decimal for a tick label: at most four significant digits, no trailing zeros,
/// scientific notation outside 1e-3..1e5.
pub fn format_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return if value.is_finite() {
            "0".to_string()
        } else {
            value.to_string()
        };
    }
    let magnitude = value.abs();
    if !(1e-3..1e5).contains(&magnitude) {
        let text = format!("{value:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    // Four significant digits: decimals = 3 - floor(log10 |v|), at least 0.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let decimals = (3.0 - magnitude.log10().floor()).max(0.0) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".to_string() } else { text }
}

/// `text` with digits and the minus sign replaced by their Unicode superscripts.
fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            '-' => '⁻',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_numbers_inside_the_range() {
        let axis = Axis::linear("x");
        let ticks = axis.ticks((-0.3, 2.7));
        let labels: Vec<String> = ticks.iter().map(|t| axis.tick_label(*t)).collect();
        assert_eq!(labels, ["0", "0.5", "1", "1.5", "2", "2.5"]);
        let labels: Vec<String> = axis
            .ticks((-3.9, 3.6))
            .iter()
            .map(|t| axis.tick_label(*t))
            .collect();
        assert_eq!(labels, ["−3", "−2", "−1", "0", "1", "2", "3"]);
        // A span of 14 wants a step near 14 / 8 = 1.75: the next nice step is 2.
        assert_eq!(
            axis.ticks((0.0, 14.0)),
            [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0]
        );
    }

    #[test]
    fn log_ticks_are_decades_with_superscript_labels() {
        let axis = Axis::log("h");
        let range = axis.coord_range([1e-12_f64.log10(), 0.5_f64.log10()]);
        assert_eq!(range, (-12.0, 0.0));
        let ticks = axis.ticks(range);
        // Twelve decades: every second one so that at most about eight labels are drawn.
        assert_eq!(ticks.len(), 7);
        assert_eq!(axis.tick_label(ticks[0]), "10⁻¹²");
        assert_eq!(axis.tick_label(ticks[6]), "10⁰");
    }

    #[test]
    fn log_axis_refuses_values_it_cannot_show() {
        let axis = Axis::log("error");
        assert_eq!(axis.to_coord(0.0), None);
        assert_eq!(axis.to_coord(-1.0), None);
        assert_eq!(axis.to_coord(f64::NAN), None);
        assert_eq!(axis.to_coord(100.0), Some(2.0));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(-2.0), "-2");
        assert_eq!(format_number(11.661_903), "11.66");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn tint_moves_towards_white() {
        assert_eq!(tint(BLUE, 0.0), BLUE);
        assert_eq!(tint(BLUE, 1.0), BACKGROUND);
        assert_eq!(tint(RGBColor(0, 100, 255), 0.5), RGBColor(128, 178, 255));
    }
}
