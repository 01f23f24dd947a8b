//! What every chart shares: the frame (title, axes, ticks and their labels, grid), the legend,
//! and the small pictures drawn in pixel space (dots, class markers, arrows).
//!
//! Plotters draws the lines; all text goes through [`Text`].

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::element::ComposedElement;
use plotters::prelude::{
    BitMapBackend, Cartesian2d, ChartBuilder, ChartContext, Circle, Color, Cross, DrawingBackend,
    EmptyElement, PathElement, RGBColor, Rectangle, ShapeStyle, TriangleMarker,
};

use super::canvas::Area;
use super::style::{self, Axis};
use super::text::{Align, Baseline, Text};
use crate::workspace::Result;

/// Space around the chart, in pixels.
pub const MARGIN: u32 = 28;
/// Height of the area under the plot holding x tick labels and the x axis title.
pub const X_LABEL_AREA: u32 = 100;
/// Width of the area left of the plot holding y tick labels and the y axis title.
pub const Y_LABEL_AREA: u32 = 130;
/// Height taken by the title.
pub const TITLE_AREA: u32 = 64;

/// The coordinate system of every chart: axis coordinates (logarithms on a log axis) with the
/// ticks chosen by [`Axis::ticks`].
pub type Coords = Cartesian2d<Ticked, Ticked>;
/// A chart drawn into a canvas.
pub type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Coords>;

/// A linear coordinate in axis units whose tick marks are exactly the ones [`Axis::ticks`]
/// chose (plotters' own `WithKeyPoints` cannot take a label formatter for `f64`).
#[derive(Debug, Clone)]
pub struct Ticked {
    low: f64,
    high: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    /// The same mapping as plotters' `RangedCoordf64`.
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let fraction = (value - self.low) / (self.high - self.low);
        let length = limit.1 - limit.0;
        if length == 0 || !fraction.is_finite() {
            return limit.1;
        }
        limit.0 + to_pixels(f64::from(length) * fraction + 1e-3)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.low..self.high
    }
}

/// Draws the frame of a chart on `root`, the given ranges in axis coordinates: the title above,
/// axes with tick marks and labels, the grid at the ticks, and the axis titles. Returns the
/// chart to draw the data into.
///
/// # Errors
///
/// A drawing error from the backend.
pub fn frame<'a, 'b>(
    root: &'a Area<'b>,
    title: &str,
    x: &Axis,
    x_range: (f64, f64),
    y: &Axis,
    y_range: (f64, f64),
) -> Result<Chart<'a, 'b>> {
    let top = if title.is_empty() {
        MARGIN
    } else {
        MARGIN + TITLE_AREA
    };
    let x_ticks = x.ticks(x_range);
    let y_ticks = y.ticks(y_range);
    let mut chart = ChartBuilder::on(root)
        .margin(MARGIN)
        .margin_top(top)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(
            Ticked {
                low: x_range.0,
                high: x_range.1,
                ticks: x_ticks.clone(),
            },
            Ticked {
                low: y_range.0,
                high: y_range.1,
                ticks: y_ticks.clone(),
            },
        )?;
    // Plotters draws the grid, axes and tick marks; the labels are typeset below.
    let blank = |_: &f64| String::new();
    chart
        .configure_mesh()
        .bold_line_style(style::GRID.stroke_width(1))
        .axis_style(style::INK.stroke_width(2))
        .set_all_tick_mark_size(10)
        .x_label_formatter(&blank)
        .y_label_formatter(&blank)
        .draw()?;

    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let centre_x = i32::midpoint(xs.start, xs.end);
    if !title.is_empty() {
        let (width, _) = root.dim_in_pixel();
        #[allow(clippy::cast_precision_loss)] // Figure sizes are far below 2^24 pixels.
        let available = (width - 2 * MARGIN) as f32;
        Text::title(title)
            .fit(available)
            .anchor(Align::Centre, Baseline::Middle)
            .draw(root, (to_i32(width / 2), to_i32(MARGIN + TITLE_AREA / 2)))?;
    }
    for tick in x_ticks {
        let (px, _) = chart.backend_coord(&(tick, y_range.0));
        Text::small(x.tick_label(tick))
            .anchor(Align::Centre, Baseline::Top)
            .draw(root, (px, ys.end + 16))?;
    }
    for tick in y_ticks {
        let (_, py) = chart.backend_coord(&(x_range.0, tick));
        Text::small(y.tick_label(tick))
            .anchor(Align::End, Baseline::Middle)
            .draw(root, (xs.start - 16, py))?;
    }
    Text::label(x.label.as_str())
        .anchor(Align::Centre, Baseline::Bottom)
        .draw(root, (centre_x, ys.end + to_i32(X_LABEL_AREA)))?;
    Text::label(y.label.as_str())
        .upright()
        .anchor(Align::Centre, Baseline::Top)
        .draw(root, (to_i32(MARGIN), i32::midpoint(ys.start, ys.end)))?;
    Ok(chart)
}

/// Where a legend sits inside the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Top left corner.
    UpperLeft,
    /// Top right corner.
    UpperRight,
    /// Bottom left corner.
    LowerLeft,
    /// Bottom right corner.
    LowerRight,
    /// No legend.
    Hidden,
}

/// The little picture in front of a legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A dot.
    Dot(RGBColor),
    /// A line with a dot.
    LineAndDot(RGBColor),
    /// The marker of a class in a decision-region plot.
    Class(usize),
}

/// One line of a legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendEntry {
    /// The text.
    pub name: String,
    /// The picture in front of it.
    pub swatch: Swatch,
}

/// Width of a swatch in pixels.
const SWATCH_WIDTH: i32 = 44;

/// Draws a legend box with `entries` in the `legend` corner of the chart's plot (nothing if
/// hidden or empty).
///
/// # Errors
///
/// A drawing error from the backend.
pub fn draw_legend(
    root: &Area<'_>,
    chart: &Chart<'_, '_>,
    entries: &[LegendEntry],
    legend: Legend,
) -> Result<()> {
    if entries.is_empty() || legend == Legend::Hidden {
        return Ok(());
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let row = to_pixels(f64::from(style::SMALL_SIZE) * 1.45);
    let padding = 16;
    let text_width = entries
        .iter()
        .map(|entry| Text::small(entry.name.as_str()).extent().0)
        .fold(0.0, f32::max);
    let width = 2 * padding + SWATCH_WIDTH + 14 + to_pixels(f64::from(text_width));
    let height = 2 * padding + row * i32::try_from(entries.len()).unwrap_or(i32::MAX / row);
    let inset = 16;
    let left = match legend {
        Legend::UpperLeft | Legend::LowerLeft => xs.start + inset,
        _ => xs.end - inset - width,
    };
    let top = match legend {
        Legend::UpperLeft | Legend::UpperRight => ys.start + inset,
        _ => ys.end - inset - height,
    };
    root.draw(&Rectangle::new(
        [(left, top), (left + width, top + height)],
        style::BACKGROUND.mix(0.92).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(left, top), (left + width, top + height)],
        style::GREY.stroke_width(1),
    ))?;
    for (index, entry) in entries.iter().enumerate() {
        let y = top + padding + row * i32::try_from(index).unwrap_or(0) + row / 2;
        let x = left + padding;
        draw_swatch(root, entry.swatch, (x, y))?;
        Text::small(entry.name.as_str())
            .anchor(Align::Start, Baseline::Middle)
            .draw(root, (x + SWATCH_WIDTH + 14, y))?;
    }
    Ok(())
}

/// Draws a swatch whose left middle is at `at`.
fn draw_swatch(root: &Area<'_>, swatch: Swatch, (x, y): (i32, i32)) -> Result<()> {
    let line = |colour: RGBColor| colour.stroke_width(style::LINE_WIDTH);
    match swatch {
        Swatch::Line(colour) => {
            root.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_WIDTH, y)],
                line(colour),
            ))?;
        }
        Swatch::Dashed(colour) => {
            root.draw(&PathElement::new(vec![(x, y), (x + 17, y)], line(colour)))?;
            root.draw(&PathElement::new(
                vec![(x + 27, y), (x + SWATCH_WIDTH, y)],
                line(colour),
            ))?;
        }
        Swatch::Dot(colour) => {
            root.draw(&dot((x + SWATCH_WIDTH / 2, y), point_radius(), colour))?;
        }
        Swatch::LineAndDot(colour) => {
            root.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_WIDTH, y)],
                line(colour),
            ))?;
            root.draw(&dot((x + SWATCH_WIDTH / 2, y), point_radius() - 2, colour))?;
        }
        Swatch::Class(class) => draw_class_marker(root, (x + SWATCH_WIDTH / 2, y), class)?,
    }
    Ok(())
}

/// Radius of data points in pixels.
pub fn point_radius() -> i32 {
    to_i32(style::POINT_RADIUS)
}

/// A dot element: two circles around a point.
pub type Dot<C, DB> = ComposedElement<C, DB, Circle<(i32, i32), i32>, Circle<(i32, i32), i32>>;

/// A filled dot with a white rim at `at` (data or pixel coordinates), so overlapping dots stay
/// distinct.
pub fn dot<C, DB: DrawingBackend>(at: C, radius: i32, colour: RGBColor) -> Dot<C, DB> {
    EmptyElement::at(at)
        + Circle::new((0, 0), radius, colour.filled())
        + Circle::new((0, 0), radius, style::BACKGROUND.stroke_width(2))
}

/// Draws the marker of `class` centred at pixel `at`: circle, triangle, square or cross (cycling
/// with the class), filled with the class colour and outlined in ink, so classes differ in
/// shape as well as colour.
///
/// # Errors
///
/// A drawing error from the backend.
pub fn draw_class_marker(root: &Area<'_>, at: (i32, i32), class: usize) -> Result<()> {
    let size = point_radius() + 1;
    let colour = style::colour(class);
    let fill = colour.filled();
    let edge = style::INK.stroke_width(2);
    match class % 4 {
        0 => {
            root.draw(&Circle::new(at, size, fill))?;
            root.draw(&Circle::new(at, size, edge))?;
        }
        1 => {
            // Plotters always fills a triangle marker: the outline is a larger ink one beneath.
            root.draw(&TriangleMarker::new(at, size + 6, style::INK.filled()))?;
            root.draw(&TriangleMarker::new(at, size + 2, fill))?;
        }
        2 => {
            let corners = [(at.0 - size, at.1 - size), (at.0 + size, at.1 + size)];
            root.draw(&Rectangle::new(corners, fill))?;
            root.draw(&Rectangle::new(corners, edge))?;
        }
        _ => root.draw(&Cross::new(at, size, colour.stroke_width(4)))?,
    }
    Ok(())
}

/// Draws an arrow from `tail` to `head` in pixels: a shaft and two barbs at ±25° to it.
///
/// # Errors
///
/// A drawing error from the backend.
pub fn draw_arrow(
    root: &Area<'_>,
    tail: (i32, i32),
    head: (i32, i32),
    colour: RGBColor,
    width: u32,
) -> Result<()> {
    let (dx, dy) = (f64::from(head.0 - tail.0), f64::from(head.1 - tail.1));
    let length = dx.hypot(dy);
    if length < 1.0 {
        return Ok(());
    }
    let style = ShapeStyle::from(colour).stroke_width(width);
    root.draw(&PathElement::new(vec![tail, head], style))?;
    let barb = (0.3 * length).clamp(5.0, 6.0 + 4.0 * f64::from(width));
    let angle = dy.atan2(dx);
    for side in [-1.0, 1.0] {
        let theta = angle + std::f64::consts::PI - side * 25_f64.to_radians();
        let end = (
            head.0 + to_pixels(barb * theta.cos()),
            head.1 + to_pixels(barb * theta.sin()),
        );
        root.draw(&PathElement::new(vec![head, end], style))?;
    }
    Ok(())
}

/// Rounds a pixel offset to whole pixels (offsets within a figure are far inside `i32`).
pub fn to_pixels(value: f64) -> i32 {
    #[allow(clippy::cast_possible_truncation)]
    let pixels = value.round() as i32;
    pixels
}

/// A layout size in pixels as a coordinate (figure sizes are far inside `i32`).
fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_maps_the_range_onto_the_pixels_linearly() {
        let axis = Ticked {
            low: -2.0,
            high: 6.0,
            ticks: vec![0.0, 4.0],
        };
        // Plotters passes (start, end) pixels; a y axis runs from bottom to top (end < start).
        for limit in [(100, 900), (700, 100)] {
            assert_eq!(axis.map(&-2.0, limit), limit.0);
            assert_eq!(axis.map(&6.0, limit), limit.1);
            assert_eq!(axis.map(&2.0, limit), i32::midpoint(limit.0, limit.1));
        }
        assert_eq!(axis.range(), -2.0..6.0);
    }
}
