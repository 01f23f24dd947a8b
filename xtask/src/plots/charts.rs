//! Chart helpers every figure module calls: describe the chart, then `.draw(canvas)`.
//!
//! - [`LineChart`]: several named [`Series`] (lines, dashed lines, points, or both) with a legend,
//!   on linear or logarithmic axes, with optional reference lines ([`Marker`]). A curve with
//!   finite-difference points over it is a `LineChart` with a line series and a points series.
//! - [`ContourPlot`]: a function of two variables as shading and contour lines, with optional
//!   arrows (single ones, or a whole gradient field), paths (an optimizer's iterates) and
//!   labelled points.
//! - [`DecisionRegions`]: a classifier's answer over the plane, class colours under the data
//!   points, with an optional smooth decision boundary.
//!
//! Each `draw` writes `<name>.png` through a [`Canvas`]; non-finite values (and non-positive
//! ones on a log axis) are left out of the picture rather than failing the figure, so a series
//! with such a value shows a gap there.

use plotters::prelude::{
    Circle, Color, ColorMap, DashedLineSeries, LineSeries, PathElement, RGBColor, Rectangle,
    ViridisRGB,
};

use super::canvas::{Area, Canvas};
pub use super::frame::Legend;
use super::frame::{
    Chart, LegendEntry, MARGIN, Swatch, TITLE_AREA, X_LABEL_AREA, Y_LABEL_AREA, dot, draw_arrow,
    draw_class_marker, draw_legend, frame, point_radius, to_pixels,
};
use super::grid::{Grid, finite_span};
use super::style::{self, Axis, Scale};
use super::text::{Align, Baseline, Text};
use crate::workspace::Result;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A solid line through the points.
    Line,
    /// A dashed line through the points.
    Dashed,
    /// One dot per point, no line.
    Points,
    /// A solid line with a dot on each point.
    LineAndPoints,
}

/// A named set of points in data units, drawn in one colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend entry; an empty name draws no legend entry.
    pub name: String,
    /// The points `(x, y)` in data units, in drawing order.
    pub points: Vec<(f64, f64)>,
    /// Line, dashed line, points or both.
    pub mark: Mark,
    /// The colour; `None` takes the next palette colour.
    pub colour: Option<RGBColor>,
}

impl Series {
    /// A solid line through `points`.
    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Line)
    }

    /// A dashed line through `points`.
    pub fn dashed(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Dashed)
    }

    /// One dot per point.
    pub fn points(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Points)
    }

    /// A line with a dot on each point.
    pub fn line_and_points(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::LineAndPoints)
    }

    /// A series of `points` drawn as `mark`.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>, mark: Mark) -> Self {
        Self {
            name: name.into(),
            points,
            mark,
            colour: None,
        }
    }

    /// The same series in `colour` instead of the next palette colour.
    #[must_use]
    pub fn colour(mut self, colour: RGBColor) -> Self {
        self.colour = Some(colour);
        self
    }

    /// The same series with its last point's value in the legend, `decimals` after the point
    /// and followed by `unit`: "training, 0.0086 at epoch 100" (for `x_name` "epoch"). Nothing
    /// changes for a series without points.
    #[must_use]
    pub fn ending(mut self, x_name: &str, decimals: usize, unit: &str) -> Self {
        if let Some(&(x, y)) = self.points.last() {
            self.name = format!("{}, {y:.decimals$}{unit} at {x_name} {x}", self.name);
        }
        self
    }
}

/// A labelled reference line across the whole chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Vertical (at an x value) or horizontal (at a y value).
    pub direction: Direction,
    /// Where, in data units.
    pub at: f64,
    /// Text written next to the line.
    pub label: String,
}

/// Which way a [`Marker`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A vertical line at an x value.
    Vertical,
    /// A horizontal line at a y value.
    Horizontal,
}

impl Marker {
    /// A vertical line at `x`, labelled.
    pub fn vertical(x: f64, label: impl Into<String>) -> Self {
        Self {
            direction: Direction::Vertical,
            at: x,
            label: label.into(),
        }
    }

    /// A horizontal line at `y`, labelled.
    pub fn horizontal(y: f64, label: impl Into<String>) -> Self {
        Self {
            direction: Direction::Horizontal,
            at: y,
            label: label.into(),
        }
    }
}

/// Several named series against two axes, with a legend.
///
/// ```text
/// LineChart::new("Forward, central and Richardson differences", Axis::log("step h"), Axis::log("error"))
///     .series(Series::line("forward", forward))
///     .series(Series::line("central", central))
///     .marker(Marker::vertical(best_h, "best h for central"))
///     .draw(canvas)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    title: String,
    x: Axis,
    y: Axis,
    series: Vec<Series>,
    markers: Vec<Marker>,
    legend: Legend,
}

impl LineChart {
    /// An empty chart titled `title` (empty for none) with the given axes; the legend sits at
    /// the upper right.
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        Self {
            title: title.into(),
            x,
            y,
            series: Vec::new(),
            markers: Vec::new(),
            legend: Legend::UpperRight,
        }
    }

    /// Adds a series; series without a colour take palette colours in the order added.
    #[must_use]
    pub fn series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// Adds a reference line.
    #[must_use]
    pub fn marker(mut self, marker: Marker) -> Self {
        self.markers.push(marker);
        self
    }

    /// Moves (or hides) the legend.
    #[must_use]
    pub fn legend(mut self, legend: Legend) -> Self {
        self.legend = legend;
        self
    }

    /// Draws the chart into `canvas` (`style::WIDTH` × `style::HEIGHT` pixels).
    ///
    /// # Errors
    ///
    /// A drawing or file error from the canvas.
    pub fn draw(&self, canvas: &Canvas) -> Result<()> {
        canvas.draw(style::WIDTH, style::HEIGHT, |root| self.paint(root))
    }

    fn paint(&self, root: &Area<'_>) -> Result<()> {
        let mapped: Vec<Vec<Vec<(f64, f64)>>> = self
            .series
            .iter()
            .map(|series| runs(&series.points, &self.x, &self.y))
            .collect();
        let all = || mapped.iter().flatten().flatten();
        let x_range = self.x.coord_range(all().map(|p| p.0).chain(marker_coords(
            &self.markers,
            Direction::Vertical,
            &self.x,
        )));
        let y_range = self.y.coord_range(all().map(|p| p.1).chain(marker_coords(
            &self.markers,
            Direction::Horizontal,
            &self.y,
        )));
        let mut chart = frame(root, &self.title, &self.x, x_range, &self.y, y_range)?;

        for marker in &self.markers {
            draw_marker(root, &mut chart, marker, &self.x, &self.y, x_range, y_range)?;
        }

        let mut palette_index = 0;
        let mut entries = Vec::new();
        for (series, runs) in self.series.iter().zip(&mapped) {
            let colour = series.colour.unwrap_or_else(|| {
                palette_index += 1;
                style::colour(palette_index - 1)
            });
            draw_series(&mut chart, series, runs, colour)?;
            entries.extend(legend_entry(series, colour));
        }
        draw_legend(root, &chart, &entries, self.legend)
    }
}

/// Draws a dashed reference line across the plot with its label.
fn draw_marker(
    root: &Area<'_>,
    chart: &mut Chart<'_, '_>,
    marker: &Marker,
    x: &Axis,
    y: &Axis,
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Result<()> {
    let axis = match marker.direction {
        Direction::Vertical => x,
        Direction::Horizontal => y,
    };
    let Some(at) = axis.to_coord(marker.at) else {
        return Ok(());
    };
    let line = match marker.direction {
        Direction::Vertical => vec![(at, y_range.0), (at, y_range.1)],
        Direction::Horizontal => vec![(x_range.0, at), (x_range.1, at)],
    };
    chart.draw_series(DashedLineSeries::new(
        line.clone(),
        12,
        8,
        style::GREY.stroke_width(2),
    ))?;
    let text = Text::small(marker.label.as_str())
        .colour(style::GREY)
        .halo();
    match marker.direction {
        Direction::Vertical => {
            let (px, py) = chart.backend_coord(&line[1]);
            text.anchor(Align::Start, Baseline::Top)
                .draw(root, (px + 10, py + 8))
        }
        Direction::Horizontal => {
            let (px, py) = chart.backend_coord(&line[0]);
            text.anchor(Align::Start, Baseline::Bottom)
                .draw(root, (px + 10, py - 6))
        }
    }
}

/// The legend entry of a named series.
fn legend_entry(series: &Series, colour: RGBColor) -> Option<LegendEntry> {
    (!series.name.is_empty()).then(|| LegendEntry {
        name: series.name.clone(),
        swatch: match series.mark {
            Mark::Line => Swatch::Line(colour),
            Mark::Dashed => Swatch::Dashed(colour),
            Mark::Points => Swatch::Dot(colour),
            Mark::LineAndPoints => Swatch::LineAndDot(colour),
        },
    })
}

/// The axis coordinates of the markers running in `direction`.
fn marker_coords<'m>(
    markers: &'m [Marker],
    direction: Direction,
    axis: &'m Axis,
) -> impl Iterator<Item = f64> + 'm {
    markers
        .iter()
        .filter(move |marker| marker.direction == direction)
        .filter_map(move |marker| axis.to_coord(marker.at))
}

/// A function of two variables over a rectangle: shading, contour lines, and on top optional
/// arrows, paths and labelled points. Both axes must be linear with a fixed range. By default
/// one unit is the same length on both axes, so a gradient arrow meets the contour lines at a
/// right angle as it should.
pub struct ContourPlot<'f> {
    title: String,
    x: Axis,
    y: Axis,
    f: Box<dyn Fn(f64, f64) -> f64 + 'f>,
    resolution: usize,
    levels: Levels,
    value_scale: Scale,
    shading: bool,
    equal_aspect: bool,
    field: Option<ArrowField<'f>>,
    arrows: Vec<Arrow>,
    paths: Vec<Series>,
    spots: Vec<Spot>,
    legend: Legend,
    label_levels: bool,
}

/// Which contour lines a [`ContourPlot`] draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Levels {
    /// This many levels, evenly spaced between the smallest and largest value on the grid
    /// (in the plot's value scale).
    Count(usize),
    /// Exactly these values of f.
    Values(Vec<f64>),
}

/// An arrow from one point to another, in data units.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// The tail.
    pub from: (f64, f64),
    /// The head.
    pub to: (f64, f64),
    /// The colour.
    pub colour: RGBColor,
    /// Text written past the head; empty for none.
    pub label: String,
}

impl Arrow {
    /// A black arrow from `from` to `to`, without a label.
    pub fn new(from: (f64, f64), to: (f64, f64)) -> Self {
        Self {
            from,
            to,
            colour: style::INK,
            label: String::new(),
        }
    }

    /// The same arrow in `colour`.
    #[must_use]
    pub fn colour(mut self, colour: RGBColor) -> Self {
        self.colour = colour;
        self
    }

    /// The same arrow with `label` written past its head.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}

/// How long the arrows of a field are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowLength {
    /// Proportional to the vector; the longest one spans 90 % of the lattice spacing.
    Proportional,
    /// All the same length (90 % of the lattice spacing): only the direction shows.
    Equal,
}

struct ArrowField<'f> {
    count: usize,
    length: ArrowLength,
    vector: Box<dyn Fn(f64, f64) -> (f64, f64) + 'f>,
}

/// A labelled point.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// Where, in data units.
    pub at: (f64, f64),
    /// Text written beside it; empty for none.
    pub label: String,
    /// Fill colour.
    pub colour: RGBColor,
}

impl Spot {
    /// A point at `at` labelled `label`, filled in vermillion.
    pub fn new(at: (f64, f64), label: impl Into<String>) -> Self {
        Self {
            at,
            label: label.into(),
            colour: style::VERMILLION,
        }
    }

    /// The same point filled with `colour`.
    #[must_use]
    pub fn colour(mut self, colour: RGBColor) -> Self {
        self.colour = colour;
        self
    }
}

impl<'f> ContourPlot<'f> {
    /// The function `f(x, y)` over `x.range` × `y.range`, sampled on a 240 × 240 grid, with
    /// 12 contour levels and light shading, equal aspect.
    pub fn new(
        title: impl Into<String>,
        x: Axis,
        y: Axis,
        f: impl Fn(f64, f64) -> f64 + 'f,
    ) -> Self {
        Self {
            title: title.into(),
            x,
            y,
            f: Box::new(f),
            resolution: 240,
            levels: Levels::Count(12),
            value_scale: Scale::Linear,
            shading: true,
            equal_aspect: true,
            field: None,
            arrows: Vec::new(),
            paths: Vec::new(),
            spots: Vec::new(),
            legend: Legend::UpperRight,
            label_levels: false,
        }
    }

    /// Writes each contour level's value of f (two significant digits) on its longest line,
    /// as near the line's middle as keeps it clear of the other labels and the plot's edges.
    #[must_use]
    pub fn label_levels(mut self, label_levels: bool) -> Self {
        self.label_levels = label_levels;
        self
    }

    /// Samples f on a `resolution` × `resolution` grid (more is smoother and slower).
    #[must_use]
    pub fn resolution(mut self, resolution: usize) -> Self {
        self.resolution = resolution;
        self
    }

    /// Which contour lines to draw.
    #[must_use]
    pub fn levels(mut self, levels: Levels) -> Self {
        self.levels = levels;
        self
    }

    /// `Scale::Log` shades and spaces `Levels::Count` by `ln(1 + f − min f)` instead of f: for
    /// functions such as Rosenbrock whose interesting valley is tiny next to their walls.
    #[must_use]
    pub fn value_scale(mut self, scale: Scale) -> Self {
        self.value_scale = scale;
        self
    }

    /// Turns the shading under the contour lines on or off.
    #[must_use]
    pub fn shading(mut self, shading: bool) -> Self {
        self.shading = shading;
        self
    }

    /// Equal aspect (one unit is as long on both axes; the picture's height follows the
    /// ranges) or the standard figure size.
    #[must_use]
    pub fn equal_aspect(mut self, equal_aspect: bool) -> Self {
        self.equal_aspect = equal_aspect;
        self
    }

    /// Draws the vector field `vector(x, y)` (a gradient, say) as arrows centred on the points
    /// of a `count` × `count` lattice.
    #[must_use]
    pub fn arrow_field(
        mut self,
        count: usize,
        length: ArrowLength,
        vector: impl Fn(f64, f64) -> (f64, f64) + 'f,
    ) -> Self {
        self.field = Some(ArrowField {
            count,
            length,
            vector: Box::new(vector),
        });
        self
    }

    /// Adds one arrow (drawn above the field).
    #[must_use]
    pub fn arrow(mut self, arrow: Arrow) -> Self {
        self.arrows.push(arrow);
        self
    }

    /// Adds a path, such as the iterates of an optimizer, with a legend entry.
    #[must_use]
    pub fn path(mut self, path: Series) -> Self {
        self.paths.push(path);
        self
    }

    /// Adds a labelled point (drawn on top of everything).
    #[must_use]
    pub fn spot(mut self, spot: Spot) -> Self {
        self.spots.push(spot);
        self
    }

    /// Moves (or hides) the legend of the paths.
    #[must_use]
    pub fn legend(mut self, legend: Legend) -> Self {
        self.legend = legend;
        self
    }

    /// Draws the plot into `canvas`.
    ///
    /// # Errors
    ///
    /// If an axis is logarithmic or has no fixed range, the resolution is below 2, or on a
    /// drawing or file error.
    pub fn draw(&self, canvas: &Canvas) -> Result<()> {
        let (x_range, y_range) = grid_ranges(&self.x, &self.y)?;
        if self.resolution < 2 {
            return Err(format!(
                "contour resolution must be at least 2, got {}",
                self.resolution
            )
            .into());
        }
        let (width, height) = if self.equal_aspect {
            equal_aspect_size(x_range, y_range, !self.title.is_empty())
        } else {
            (style::WIDTH, style::HEIGHT)
        };
        canvas.draw(width, height, |root| self.paint(root, x_range, y_range))
    }

    fn paint(&self, root: &Area<'_>, x_range: (f64, f64), y_range: (f64, f64)) -> Result<()> {
        let mut chart = frame(root, &self.title, &self.x, x_range, &self.y, y_range)?;
        let grid = Grid::sample(x_range, y_range, self.resolution, &*self.f);
        let transform = |value: f64| match self.value_scale {
            Scale::Linear => value,
            Scale::Log => (value - grid.min).ln_1p(),
        };
        let shown: Vec<f64> = grid.values.iter().map(|v| transform(*v)).collect();
        let (low, high) = finite_span(&shown);

        if self.shading {
            let cells = grid.cells().filter_map(|(corners, index)| {
                let value = shown[index];
                value.is_finite().then(|| {
                    let t = if high > low {
                        (value - low) / (high - low)
                    } else {
                        0.5
                    };
                    let colour = style::tint(ViridisRGB.get_color_normalized(t, 0.0, 1.0), 0.45);
                    Rectangle::new(corners, colour.filled())
                })
            });
            chart.draw_series(cells)?;
        }

        let thresholds: Vec<f64> = match &self.levels {
            Levels::Count(count) => (1..=*count)
                .map(|k| low + (high - low) * k as f64 / (*count + 1) as f64)
                .collect(),
            Levels::Values(values) => values.iter().map(|v| transform(*v)).collect(),
        };
        // Level by level, so that each line's level is known for its label.
        let mut labels: Vec<((i32, i32), f64)> = Vec::new();
        for &threshold in &thresholds {
            let lines = grid.contour_lines(&shown, &[threshold])?;
            if self.label_levels {
                let value = match self.value_scale {
                    Scale::Linear => threshold,
                    Scale::Log => grid.min + threshold.exp_m1(),
                };
                if let Some(at) = label_position(&chart, &lines, &labels) {
                    labels.push((at, value));
                }
            }
            for line in lines {
                chart.draw_series(std::iter::once(PathElement::new(
                    line,
                    style::INK.mix(0.55).stroke_width(2),
                )))?;
            }
        }

        if let Some(field) = &self.field {
            draw_field(root, &chart, field, x_range, y_range)?;
        }
        // Above the arrows, below the paths, arrows and spots drawn next.
        for (at, value) in labels {
            Text::small(significant(value, 2))
                .halo()
                .anchor(Align::Centre, Baseline::Middle)
                .draw(root, at)?;
        }
        let mut entries = Vec::new();
        for (index, path) in self.paths.iter().enumerate() {
            let colour = path.colour.unwrap_or_else(|| style::colour(index));
            let runs = runs(&path.points, &self.x, &self.y);
            draw_series(&mut chart, path, &runs, colour)?;
            entries.extend(legend_entry(path, colour));
        }
        for arrow in &self.arrows {
            let from = chart.backend_coord(&arrow.from);
            let to = chart.backend_coord(&arrow.to);
            draw_arrow(root, from, to, arrow.colour, 4)?;
            if !arrow.label.is_empty() {
                Text::small(arrow.label.as_str())
                    .colour(arrow.colour)
                    .halo()
                    .anchor(Align::Start, Baseline::Bottom)
                    .draw(root, (to.0 + 10, to.1 - 6))?;
            }
        }
        for spot in &self.spots {
            let at = chart.backend_coord(&spot.at);
            let radius = point_radius() + 2;
            root.draw(&Circle::new(at, radius, spot.colour.filled()))?;
            root.draw(&Circle::new(at, radius, style::INK.stroke_width(2)))?;
            if !spot.label.is_empty() {
                Text::small(spot.label.as_str())
                    .halo()
                    .anchor(Align::Start, Baseline::Top)
                    .draw(root, (at.0 + 12, at.1 + 8))?;
            }
        }
        draw_legend(root, &chart, &entries, self.legend)
    }
}

/// Where to write a contour level's label, in pixels: the point of its longest line nearest
/// that line's middle (by index along the line) that is at least [`LABEL_SPACING`] pixels from
/// every label already placed, half that from the plot's left and right edges and a quarter
/// of it from the top and bottom; `None` if no point of the line is.
fn label_position(
    chart: &Chart<'_, '_>,
    lines: &[Vec<(f64, f64)>],
    placed: &[((i32, i32), f64)],
) -> Option<(i32, i32)> {
    let line = lines.iter().max_by_key(|line| line.len())?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let inside = |(x, y): (i32, i32)| {
        x - x_pixels.start >= LABEL_SPACING / 2
            && x_pixels.end - x >= LABEL_SPACING / 2
            && y - y_pixels.start >= LABEL_SPACING / 4
            && y_pixels.end - y >= LABEL_SPACING / 4
    };
    let apart = |(x, y): (i32, i32)| {
        placed.iter().all(|&((px, py), _)| {
            let (dx, dy) = (f64::from(x - px), f64::from(y - py));
            dx.hypot(dy) >= f64::from(LABEL_SPACING)
        })
    };
    let middle = line.len() / 2;
    // middle, middle + 1, middle - 1, middle + 2, ...: every index once.
    (0..=middle.max(line.len() - middle))
        .flat_map(|step| {
            let after = (middle + step < line.len()).then_some(middle + step);
            let before = (step > 0 && step <= middle).then(|| middle - step);
            after.into_iter().chain(before)
        })
        .map(|index| chart.backend_coord(&line[index]))
        .find(|&at| inside(at) && apart(at))
}

/// The least distance, in pixels, between two contour labels.
const LABEL_SPACING: i32 = 90;

/// `value` rounded to `digits` significant digits (at least 1), in plain decimal notation:
/// `0.031`, `2.7`, `0.10` (for 0.0996), `150` (for 145.6), `1200` (for 1234).
fn significant(value: f64, digits: usize) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let digits = digits.max(1);
    // Scientific notation rounds first, so the exponent is the rounded value's.
    let scientific = format!("{value:.prec$e}", prec = digits - 1);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i64 = exponent.parse().expect("`{:e}` writes an integer exponent");
    let decimals = i64::try_from(digits).unwrap_or(i64::MAX) - 1 - exponent;
    if let Ok(decimals) = usize::try_from(decimals) {
        format!("{value:.decimals$}")
    } else {
        // Above the last significant digit: its digits, then zeros.
        let zeros = usize::try_from(-decimals).unwrap_or(0);
        format!("{}{}", mantissa.replace('.', ""), "0".repeat(zeros))
    }
}

/// A score function and the level at which it separates the classes.
type Boundary<'f> = (Box<dyn Fn(f64, f64) -> f64 + 'f>, f64);

/// A classifier over the plane: each grid cell coloured by the class `classify(x, y)` returns,
/// the data points on top in their class colour and shape, optionally the smooth boundary
/// where a score crosses a level (for example `w·x + b = 0`).
pub struct DecisionRegions<'f> {
    title: String,
    x: Axis,
    y: Axis,
    classify: Box<dyn Fn(f64, f64) -> usize + 'f>,
    boundary: Option<Boundary<'f>>,
    class_names: Vec<String>,
    data: Vec<(f64, f64, usize)>,
    resolution: usize,
    legend: Legend,
}

impl<'f> DecisionRegions<'f> {
    /// The regions of `classify` over `x.range` × `y.range` on a 300 × 300 grid. Class `k` is
    /// drawn in palette colour `k`, named "class k" until [`DecisionRegions::class_names`].
    pub fn new(
        title: impl Into<String>,
        x: Axis,
        y: Axis,
        classify: impl Fn(f64, f64) -> usize + 'f,
    ) -> Self {
        Self {
            title: title.into(),
            x,
            y,
            classify: Box::new(classify),
            boundary: None,
            class_names: Vec::new(),
            data: Vec::new(),
            resolution: 300,
            legend: Legend::UpperRight,
        }
    }

    /// Names the classes in the legend, in class index order.
    #[must_use]
    pub fn class_names(mut self, names: &[&str]) -> Self {
        self.class_names = names.iter().map(ToString::to_string).collect();
        self
    }

    /// The data points `(x, y, class)` drawn on top.
    #[must_use]
    pub fn data(mut self, data: Vec<(f64, f64, usize)>) -> Self {
        self.data = data;
        self
    }

    /// Draws the line where `score(x, y)` crosses `level` as a smooth boundary.
    #[must_use]
    pub fn boundary(mut self, score: impl Fn(f64, f64) -> f64 + 'f, level: f64) -> Self {
        self.boundary = Some((Box::new(score), level));
        self
    }

    /// Samples the classifier on a `resolution` × `resolution` grid.
    #[must_use]
    pub fn resolution(mut self, resolution: usize) -> Self {
        self.resolution = resolution;
        self
    }

    /// Moves (or hides) the legend.
    #[must_use]
    pub fn legend(mut self, legend: Legend) -> Self {
        self.legend = legend;
        self
    }

    /// Draws the regions into `canvas` (equal aspect).
    ///
    /// # Errors
    ///
    /// If an axis is logarithmic or has no fixed range, the resolution is below 2, or on a
    /// drawing or file error.
    pub fn draw(&self, canvas: &Canvas) -> Result<()> {
        let (x_range, y_range) = grid_ranges(&self.x, &self.y)?;
        if self.resolution < 2 {
            return Err(format!(
                "region resolution must be at least 2, got {}",
                self.resolution
            )
            .into());
        }
        let (width, height) = equal_aspect_size(x_range, y_range, !self.title.is_empty());
        canvas.draw(width, height, |root| self.paint(root, x_range, y_range))
    }

    fn paint(&self, root: &Area<'_>, x_range: (f64, f64), y_range: (f64, f64)) -> Result<()> {
        let mut chart = frame(root, &self.title, &self.x, x_range, &self.y, y_range)?;
        let grid = Grid::sample(x_range, y_range, self.resolution, &|x, y| {
            (self.classify)(x, y) as f64
        });
        chart.draw_series(grid.cells().map(|(corners, index)| {
            // Class indices are small whole numbers stored exactly in an f64.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let class = grid.values[index] as usize;
            Rectangle::new(corners, style::tint(style::colour(class), 0.72).filled())
        }))?;
        if let Some((score, level)) = &self.boundary {
            let scores = Grid::sample(x_range, y_range, self.resolution, &**score);
            for line in scores.contour_lines(&scores.values, &[*level])? {
                chart.draw_series(std::iter::once(PathElement::new(
                    line,
                    style::INK.stroke_width(3),
                )))?;
            }
        }
        let n_classes = self
            .data
            .iter()
            .map(|p| p.2 + 1)
            .max()
            .unwrap_or(0)
            .max(self.class_names.len());
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let mut entries = Vec::new();
        for class in 0..n_classes {
            let name = self
                .class_names
                .get(class)
                .cloned()
                .unwrap_or_else(|| format!("class {class}"));
            for point in self.data.iter().filter(|p| p.2 == class) {
                if !(point.0.is_finite() && point.1.is_finite()) {
                    continue;
                }
                let at = chart.backend_coord(&(point.0, point.1));
                if xs.contains(&at.0) && ys.contains(&at.1) {
                    draw_class_marker(root, at, class)?;
                }
            }
            entries.push(LegendEntry {
                name,
                swatch: Swatch::Class(class),
            });
        }
        draw_legend(root, &chart, &entries, self.legend)
    }
}

/// Draws one series (already split into runs in axis coordinates) in `colour`.
fn draw_series(
    chart: &mut Chart<'_, '_>,
    series: &Series,
    runs: &[Vec<(f64, f64)>],
    colour: RGBColor,
) -> Result<()> {
    let line_style = colour.stroke_width(style::LINE_WIDTH);
    let radius = point_radius();
    for run in runs {
        match series.mark {
            Mark::Line | Mark::LineAndPoints => {
                chart.draw_series(LineSeries::new(run.iter().copied(), line_style))?;
            }
            Mark::Dashed => {
                chart.draw_series(DashedLineSeries::new(
                    run.iter().copied(),
                    16,
                    10,
                    line_style,
                ))?;
            }
            Mark::Points => {}
        }
        match series.mark {
            Mark::Points => {
                chart.draw_series(run.iter().map(|p| dot(*p, radius, colour)))?;
            }
            Mark::LineAndPoints => {
                chart.draw_series(run.iter().map(|p| dot(*p, radius - 2, colour)))?;
            }
            Mark::Line | Mark::Dashed => {}
        }
    }
    Ok(())
}

/// The points of a series in axis coordinates, split where a point cannot be shown (so a line
/// does not bridge a gap).
fn runs(points: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (px, py) in points {
        match (x.to_coord(*px), y.to_coord(*py)) {
            (Some(cx), Some(cy)) => runs
                .last_mut()
                .expect("invariant: runs always holds a current run")
                .push((cx, cy)),
            _ => {
                if runs.last().is_some_and(|run| !run.is_empty()) {
                    runs.push(Vec::new());
                }
            }
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// The fixed linear ranges a grid plot needs.
fn grid_ranges(x: &Axis, y: &Axis) -> Result<((f64, f64), (f64, f64))> {
    let range = |axis: &Axis| -> Result<(f64, f64)> {
        if axis.scale != Scale::Linear {
            return Err(format!("axis '{}' must be linear for a grid plot", axis.label).into());
        }
        match axis.range {
            Some((low, high)) if low.is_finite() && high.is_finite() && low < high => {
                Ok((low, high))
            }
            Some((low, high)) => Err(format!(
                "axis '{}' needs a finite range with low < high, got {low}..{high}",
                axis.label
            )
            .into()),
            None => {
                Err(format!("axis '{}' needs a fixed range for a grid plot", axis.label).into())
            }
        }
    };
    Ok((range(x)?, range(y)?))
}

/// The picture size at which one x unit is as long as one y unit: the standard width when the
/// height that needs stays within [`style::MAX_HEIGHT`], else that height and a narrower
/// picture (never narrower or shorter than a third of the standard size).
pub fn equal_aspect_size(x_range: (f64, f64), y_range: (f64, f64), titled: bool) -> (u32, u32) {
    let frame_width = f64::from(2 * MARGIN + Y_LABEL_AREA);
    let frame_height = f64::from(2 * MARGIN + X_LABEL_AREA + if titled { TITLE_AREA } else { 0 });
    let units_high_per_wide = (y_range.1 - y_range.0) / (x_range.1 - x_range.0);
    let mut plot_width = f64::from(style::WIDTH) - frame_width;
    let mut plot_height = plot_width * units_high_per_wide;
    if plot_height + frame_height > f64::from(style::MAX_HEIGHT) {
        plot_height = f64::from(style::MAX_HEIGHT) - frame_height;
        plot_width = plot_height / units_high_per_wide;
    }
    let clamp = |pixels: f64, standard: u32| {
        // Clamped to a third of the standard size and above, and at most the standard width or
        // the maximum height: the cast cannot truncate or lose the sign.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let pixels = pixels.round().clamp(
            f64::from(standard / 3),
            f64::from(style::MAX_HEIGHT.max(style::WIDTH)),
        ) as u32;
        pixels
    };
    (
        clamp(plot_width + frame_width, style::WIDTH),
        clamp(plot_height + frame_height, style::HEIGHT),
    )
}

/// Draws a vector field as arrows in pixel space on `root` (so heads keep their shape whatever
/// the axis scales).
fn draw_field(
    root: &Area<'_>,
    chart: &Chart<'_, '_>,
    field: &ArrowField<'_>,
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Result<()> {
    let count = field.count.max(1);
    let lattice: Vec<(f64, f64)> = (0..count * count)
        .map(|index| Grid::centre(x_range, y_range, count, index % count, index / count))
        .collect();
    let vectors: Vec<(f64, f64)> = lattice.iter().map(|p| (field.vector)(p.0, p.1)).collect();
    // Spacing of the lattice in pixels, from two neighbouring lattice points.
    let origin = chart.backend_coord(&lattice[0]);
    let spacing_x = chart
        .backend_coord(&Grid::centre(x_range, y_range, count, 1.min(count - 1), 0))
        .0
        - origin.0;
    let spacing_y = origin.1
        - chart
            .backend_coord(&Grid::centre(x_range, y_range, count, 0, 1.min(count - 1)))
            .1;
    let spacing = f64::from(spacing_x.abs().min(spacing_y.abs()).max(8));
    // Vectors in pixels per data unit, so directions match what the axes show.
    let (x_unit, y_unit) = {
        let a = chart.backend_coord(&(x_range.0, y_range.0));
        let b = chart.backend_coord(&(x_range.1, y_range.1));
        (
            f64::from(b.0 - a.0) / (x_range.1 - x_range.0),
            f64::from(a.1 - b.1) / (y_range.1 - y_range.0),
        )
    };
    let pixel_vectors: Vec<(f64, f64)> = vectors
        .iter()
        .map(|v| (v.0 * x_unit, v.1 * y_unit))
        .collect();
    let longest = pixel_vectors
        .iter()
        .map(|v| v.0.hypot(v.1))
        .filter(|length| length.is_finite())
        .fold(0.0, f64::max);
    if longest <= 0.0 {
        return Ok(());
    }
    for (point, vector) in lattice.iter().zip(&pixel_vectors) {
        let length = vector.0.hypot(vector.1);
        if !(length.is_finite() && length > 0.0) {
            continue;
        }
        let scale = match field.length {
            ArrowLength::Proportional => 0.9 * spacing / longest,
            ArrowLength::Equal => 0.9 * spacing / length,
        };
        // Centred on the lattice point, so every arrow stays inside its cell and the plot.
        let centre = chart.backend_coord(point);
        let half = (
            to_pixels(0.5 * vector.0 * scale),
            to_pixels(0.5 * vector.1 * scale),
        );
        let tail = (centre.0 - half.0, centre.1 + half.1);
        let head = (centre.0 + half.0, centre.1 - half.1);
        draw_arrow(root, tail, head, style::tint(style::INK, 0.2), 2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::*;

    #[test]
    fn contour_labels_keep_two_significant_digits() {
        for (value, expected) in [
            (0.031_234, "0.031"),
            (2.66, "2.7"),
            (140.2, "140"),
            (145.6, "150"),
            (1234.0, "1200"),
            (-1234.0, "-1200"),
            (0.0996, "0.10"),
            (9.96, "10"),
            (0.5, "0.50"),
            (-0.0456, "-0.046"),
            (11.0, "11"),
            (0.0, "0"),
        ] {
            assert_eq!(significant(value, 2), expected, "{value}");
        }
    }

    /// A fresh folder for one test under the system temporary directory.
    fn temp_dir(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-charts-{}-{test}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Draws with `draw` into two separate folders and returns both files' bytes, after checking
    /// that each is a PNG of the expected width.
    fn draw_twice(test: &str, draw: impl Fn(&Canvas) -> Result<()>) -> (Vec<u8>, Vec<u8>) {
        let bytes = |dir: &Path| {
            let canvas = Canvas::new(dir, test);
            draw(&canvas).unwrap();
            assert_eq!(canvas.outcome(), Some(super::super::Outcome::Written));
            let bytes = fs::read(canvas.path()).unwrap();
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{test}: not a PNG");
            // The IHDR chunk follows the 8-byte signature: length, "IHDR", width, height.
            let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
            let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
            assert!(width <= style::WIDTH, "{test}: width {width}");
            assert!(height <= style::MAX_HEIGHT, "{test}: height {height}");
            // A blank picture compresses to a few hundred bytes; a drawn chart is far larger.
            assert!(bytes.len() > 10_000, "{test}: only {} bytes", bytes.len());
            bytes
        };
        let first_dir = temp_dir(&format!("{test}-a"));
        let second_dir = temp_dir(&format!("{test}-b"));
        let result = (bytes(&first_dir), bytes(&second_dir));
        fs::remove_dir_all(first_dir).unwrap();
        fs::remove_dir_all(second_dir).unwrap();
        result
    }

    fn parabola() -> Vec<(f64, f64)> {
        (0..=20)
            .map(|i| f64::from(i) / 10.0)
            .map(|x| (x, x * x))
            .collect()
    }

    #[test]
    fn line_chart_is_deterministic_and_changes_with_its_data() {
        let draw = |points: Vec<(f64, f64)>| {
            move |canvas: &Canvas| {
                LineChart::new("curve and points", Axis::linear("x"), Axis::linear("y"))
                    .series(Series::line("x²", points.clone()))
                    .series(Series::points(
                        "samples",
                        points.iter().step_by(4).copied().collect(),
                    ))
                    .marker(Marker::vertical(1.0, "x = 1"))
                    .draw(canvas)
            }
        };
        let (first, second) = draw_twice("line", draw(parabola()));
        assert_eq!(first, second, "the same chart drawn twice differs");
        let mut moved = parabola();
        moved[10].1 += 0.5;
        let (other, _) = draw_twice("line-moved", draw(moved));
        assert_ne!(first, other, "moving a point did not change the picture");
    }

    #[test]
    fn log_log_chart_skips_values_it_cannot_show() {
        let errors: Vec<(f64, f64)> = (0..=16)
            .map(|k| 10_f64.powi(-k))
            .map(|h| (h, if h < 1e-12 { 0.0 } else { h * h + 1e-16 / h }))
            .collect();
        let (first, second) = draw_twice("loglog", |canvas| {
            LineChart::new("error", Axis::log("h"), Axis::log("error"))
                .series(Series::line_and_points("central", errors.clone()))
                .series(Series::dashed(
                    "h²",
                    errors.iter().map(|(h, _)| (*h, h * h)).collect(),
                ))
                .marker(Marker::horizontal(1e-8, "1e-8"))
                .legend(Legend::LowerRight)
                .draw(canvas)
        });
        assert_eq!(first, second);
    }

    #[test]
    fn contour_plot_is_deterministic() {
        let (first, second) = draw_twice("contour", |canvas| {
            ContourPlot::new(
                "bowl",
                Axis::linear("x").range(-2.0, 2.0),
                Axis::linear("y").range(-1.0, 1.0),
                |x, y| x * x + 3.0 * y * y,
            )
            .resolution(60)
            .arrow_field(8, ArrowLength::Proportional, |x, y| (2.0 * x, 6.0 * y))
            .arrow(Arrow::new((1.0, 0.5), (1.2, 0.8)).label("∇f"))
            .path(Series::line_and_points(
                "descent",
                vec![(1.5, 0.8), (0.7, 0.2), (0.1, 0.0)],
            ))
            .spot(Spot::new((0.0, 0.0), "minimum"))
            .draw(canvas)
        });
        assert_eq!(first, second);
    }

    #[test]
    fn contour_plot_with_log_values_and_fixed_levels_draws() {
        let (first, second) = draw_twice("contour-log", |canvas| {
            ContourPlot::new(
                "Rosenbrock",
                Axis::linear("x").range(-2.0, 2.0),
                Axis::linear("y").range(-1.0, 3.0),
                |x, y| (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            )
            .resolution(50)
            .value_scale(Scale::Log)
            .levels(Levels::Values(vec![0.5, 5.0, 50.0, 500.0]))
            .arrow_field(6, ArrowLength::Equal, |x, y| {
                (
                    -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                    200.0 * (y - x * x),
                )
            })
            .draw(canvas)
        });
        assert_eq!(first, second);
    }

    #[test]
    fn decision_regions_are_deterministic() {
        let data = vec![
            (-1.0, -1.0, 0),
            (1.0, 1.0, 1),
            (1.5, -0.5, 2),
            (-1.5, 1.0, 3),
        ];
        let (first, second) = draw_twice("regions", |canvas| {
            DecisionRegions::new(
                "quadrants",
                Axis::linear("x₁").range(-2.0, 2.0),
                Axis::linear("x₂").range(-2.0, 2.0),
                |x, y| match (x > 0.0, y > 0.0) {
                    (false, false) => 0,
                    (true, true) => 1,
                    (true, false) => 2,
                    (false, true) => 3,
                },
            )
            .resolution(40)
            .boundary(|x, _| x, 0.0)
            .class_names(&["a", "b", "c", "d"])
            .data(data.clone())
            .draw(canvas)
        });
        assert_eq!(first, second);
    }

    #[test]
    fn grid_plots_need_fixed_linear_ranges() {
        let dir = temp_dir("grid-errors");
        let canvas = Canvas::new(&dir, "bad");
        let f = |x: f64, y: f64| x + y;
        let error = ContourPlot::new("", Axis::linear("x"), Axis::linear("y").range(0.0, 1.0), f)
            .draw(&canvas)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "axis 'x' needs a fixed range for a grid plot"
        );
        let error = ContourPlot::new(
            "",
            Axis::linear("x").range(0.0, 1.0),
            Axis::log("y").range(1.0, 10.0),
            f,
        )
        .draw(&canvas)
        .unwrap_err();
        assert_eq!(error.to_string(), "axis 'y' must be linear for a grid plot");
        let error = DecisionRegions::new(
            "",
            Axis::linear("x").range(1.0, 1.0),
            Axis::linear("y").range(0.0, 1.0),
            |_, _| 0,
        )
        .draw(&canvas)
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "axis 'x' needs a finite range with low < high, got 1..1"
        );
        assert!(canvas.outcome().is_none(), "a refused plot must not write");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn equal_aspect_keeps_one_unit_the_same_length_on_both_axes() {
        let plot = |(width, height): (u32, u32), titled: bool| {
            let top = if titled { TITLE_AREA } else { 0 };
            (
                f64::from(width - 2 * MARGIN - Y_LABEL_AREA),
                f64::from(height - 2 * MARGIN - X_LABEL_AREA - top),
            )
        };
        // Wide: standard width, height follows; one pixel of rounding.
        let (w, h) = plot(equal_aspect_size((0.0, 4.0), (0.0, 2.0), true), true);
        assert!((w / 4.0 - h / 2.0).abs() <= 1.0, "{w} x {h}");
        // Tall: the height is capped and the picture gets narrower instead.
        let size = equal_aspect_size((-3.0, 3.0), (-4.5, 4.5), false);
        assert_eq!(size.1, style::MAX_HEIGHT);
        assert!(size.0 < style::WIDTH);
        let (w, h) = plot(size, false);
        assert!((w / 6.0 - h / 9.0).abs() <= 1.0, "{w} x {h}");
    }

    #[test]
    fn runs_split_where_a_point_cannot_be_shown() {
        let points = [
            (1.0, 1.0),
            (2.0, 0.0),
            (3.0, 3.0),
            (4.0, 4.0),
            (5.0, f64::NAN),
        ];
        let runs = runs(&points, &Axis::linear("x"), &Axis::log("y"));
        assert_eq!(
            runs,
            [
                vec![(1.0, 0.0)],
                vec![(3.0, 3_f64.log10()), (4.0, 4_f64.log10())]
            ]
        );
    }
}
