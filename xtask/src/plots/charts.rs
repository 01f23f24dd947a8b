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

use contour::ContourBuilder;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::element::ComposedElement;
use plotters::prelude::{BitMapBackend, Color, DrawingBackend, RGBColor};
use plotters::prelude::{
    Cartesian2d, ChartBuilder, ChartContext, Circle, ColorMap, Cross, DashedLineSeries,
    EmptyElement, LineSeries, PathElement, Rectangle, SeriesLabelPosition, ShapeStyle, Text,
    TriangleMarker, ViridisRGB,
};

use super::canvas::{Area, Canvas};
use super::style::{self, Axis, Scale};
use crate::workspace::Result;

/// Space around the chart, in pixels.
const MARGIN: u32 = 28;
/// Height of the area under the plot holding x tick labels and the x axis title.
const X_LABEL_AREA: u32 = 90;
/// Width of the area left of the plot holding y tick labels and the y axis title.
const Y_LABEL_AREA: u32 = 120;
/// Height taken by the title.
const TITLE_AREA: u32 = 60;

/// The coordinate system of every chart: axis coordinates (logarithms on a log axis) with the
/// ticks chosen by [`Axis::ticks`].
type Coords = Cartesian2d<Ticked, Ticked>;
type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Coords>;

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

impl Legend {
    fn position(self) -> Option<SeriesLabelPosition> {
        match self {
            Self::UpperLeft => Some(SeriesLabelPosition::UpperLeft),
            Self::UpperRight => Some(SeriesLabelPosition::UpperRight),
            Self::LowerLeft => Some(SeriesLabelPosition::LowerLeft),
            Self::LowerRight => Some(SeriesLabelPosition::LowerRight),
            Self::Hidden => None,
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
            let (axis, direction) = match marker.direction {
                Direction::Vertical => (&self.x, Direction::Vertical),
                Direction::Horizontal => (&self.y, Direction::Horizontal),
            };
            let Some(at) = axis.to_coord(marker.at) else {
                continue;
            };
            let (line, anchor) = match direction {
                Direction::Vertical => (vec![(at, y_range.0), (at, y_range.1)], (at, y_range.1)),
                Direction::Horizontal => (vec![(x_range.0, at), (x_range.1, at)], (x_range.0, at)),
            };
            chart.draw_series(DashedLineSeries::new(
                line,
                12,
                8,
                style::GREY.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at(anchor)
                    + Text::new(marker.label.clone(), (10, 10), style::small_font()),
            ))?;
        }

        let mut palette_index = 0;
        for (series, runs) in self.series.iter().zip(&mapped) {
            let colour = series.colour.unwrap_or_else(|| {
                palette_index += 1;
                style::colour(palette_index - 1)
            });
            draw_series(&mut chart, series, runs, colour)?;
        }
        legend(&mut chart, self.legend)
    }
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
        }
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
        let height = if self.equal_aspect {
            equal_aspect_height(x_range, y_range)
        } else {
            style::HEIGHT
        };
        canvas.draw(style::WIDTH, height, |root| {
            self.paint(root, x_range, y_range)
        })
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
        for line in grid.contour_lines(&shown, &thresholds)? {
            chart.draw_series(std::iter::once(PathElement::new(
                line,
                style::INK.mix(0.55).stroke_width(2),
            )))?;
        }

        if let Some(field) = &self.field {
            draw_field(root, &chart, field, x_range, y_range)?;
        }
        for (index, path) in self.paths.iter().enumerate() {
            let colour = path.colour.unwrap_or_else(|| style::colour(index));
            let runs = runs(&path.points, &self.x, &self.y);
            draw_series(&mut chart, path, &runs, colour)?;
        }
        for arrow in &self.arrows {
            let from = chart.backend_coord(&arrow.from);
            let to = chart.backend_coord(&arrow.to);
            draw_arrow(root, from, to, arrow.colour, 4)?;
            if !arrow.label.is_empty() {
                root.draw(&Text::new(
                    arrow.label.clone(),
                    (to.0 + 10, to.1 - 34),
                    style::small_font().color(&arrow.colour),
                ))?;
            }
        }
        for spot in &self.spots {
            chart.draw_series(std::iter::once(
                EmptyElement::at(spot.at)
                    + Circle::new((0, 0), style::POINT_RADIUS + 2, spot.colour.filled())
                    + Circle::new((0, 0), style::POINT_RADIUS + 2, style::INK.stroke_width(2)),
            ))?;
            if !spot.label.is_empty() {
                chart.draw_series(std::iter::once(
                    EmptyElement::at(spot.at)
                        + Text::new(spot.label.clone(), (12, 8), style::small_font()),
                ))?;
            }
        }
        if self.paths.iter().any(|path| !path.name.is_empty()) {
            legend(&mut chart, self.legend)?;
        }
        Ok(())
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
        canvas.draw(
            style::WIDTH,
            equal_aspect_height(x_range, y_range),
            |root| self.paint(root, x_range, y_range),
        )
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
        for class in 0..n_classes {
            let name = self
                .class_names
                .get(class)
                .cloned()
                .unwrap_or_else(|| format!("class {class}"));
            let colour = style::colour(class);
            let points: Vec<(f64, f64)> = self
                .data
                .iter()
                .filter(|p| p.2 == class && p.0.is_finite() && p.1.is_finite())
                .map(|p| (p.0, p.1))
                .collect();
            draw_class_points(&mut chart, &points, class, colour, name)?;
        }
        legend(&mut chart, self.legend)
    }
}

/// Draws the data points of one class with its legend entry: circle, triangle, square or
/// cross by class, filled with the class colour and outlined in ink.
///
/// (One arm per shape: plotters' dynamic elements would force a `'static` backend.)
fn draw_class_points<'a, 'b: 'a>(
    chart: &mut Chart<'a, 'b>,
    points: &[(f64, f64)],
    class: usize,
    colour: RGBColor,
    name: String,
) -> Result<()> {
    let size = i32::try_from(style::POINT_RADIUS).unwrap_or(7) + 1;
    let fill = colour.filled();
    let edge = style::INK.stroke_width(2);
    let circle = move |at: (i32, i32)| {
        EmptyElement::at(at) + Circle::new((0, 0), size, fill) + Circle::new((0, 0), size, edge)
    };
    // Plotters always fills a triangle marker: the outline is a larger ink triangle beneath.
    let ink = style::INK.filled();
    let triangle = move |at: (i32, i32)| {
        EmptyElement::at(at)
            + TriangleMarker::new((0, 0), size + 6, ink)
            + TriangleMarker::new((0, 0), size + 2, fill)
    };
    let square = move |at: (i32, i32)| {
        let corners = [(-size, -size), (size, size)];
        EmptyElement::at(at) + Rectangle::new(corners, fill) + Rectangle::new(corners, edge)
    };
    let cross = move |at: (i32, i32)| {
        EmptyElement::at(at) + Cross::new((0, 0), size, colour.stroke_width(4))
    };
    match class % 4 {
        0 => chart
            .draw_series(points.iter().map(|p| {
                EmptyElement::at(*p)
                    + Circle::new((0, 0), size, fill)
                    + Circle::new((0, 0), size, edge)
            }))?
            .label(name)
            .legend(circle),
        1 => chart
            .draw_series(points.iter().map(|p| {
                EmptyElement::at(*p)
                    + TriangleMarker::new((0, 0), size + 6, ink)
                    + TriangleMarker::new((0, 0), size + 2, fill)
            }))?
            .label(name)
            .legend(triangle),
        2 => chart
            .draw_series(points.iter().map(|p| {
                let corners = [(-size, -size), (size, size)];
                EmptyElement::at(*p) + Rectangle::new(corners, fill) + Rectangle::new(corners, edge)
            }))?
            .label(name)
            .legend(square),
        _ => {
            chart
                .draw_series(points.iter().map(|p| {
                    EmptyElement::at(*p) + Cross::new((0, 0), size, colour.stroke_width(4))
                }))?
                .label(name)
                .legend(cross)
        }
    };
    Ok(())
}

/// A linear coordinate in axis units whose tick marks are exactly the ones [`Axis::ticks`]
/// chose (plotters' own `WithKeyPoints` cannot take a label formatter for `f64`).
#[derive(Debug, Clone)]
struct Ticked {
    low: f64,
    high: f64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new((low, high): (f64, f64), ticks: Vec<f64>) -> Self {
        Self { low, high, ticks }
    }
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
        // Pixel offsets of points drawn in or near the plot: far inside i32.
        #[allow(clippy::cast_possible_truncation)]
        let offset = (f64::from(length) * fraction + 1e-3).floor() as i32;
        limit.0 + offset
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

/// The axes, ticks, grid and title every chart shares.
fn frame<'a, 'b>(
    root: &'a Area<'b>,
    title: &str,
    x: &Axis,
    x_range: (f64, f64),
    y: &Axis,
    y_range: (f64, f64),
) -> Result<Chart<'a, 'b>> {
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA);
    if !title.is_empty() {
        builder.caption(title, style::title_font());
    }
    let mut chart = builder.build_cartesian_2d(
        Ticked::new(x_range, x.ticks(x_range)),
        Ticked::new(y_range, y.ticks(y_range)),
    )?;
    let x_format = |value: &f64| x.tick_label(*value);
    let y_format = |value: &f64| y.tick_label(*value);
    chart
        .configure_mesh()
        .x_desc(x.label.as_str())
        .y_desc(y.label.as_str())
        .axis_desc_style(style::label_font())
        .label_style(style::small_font())
        .bold_line_style(style::GRID.stroke_width(1))
        .axis_style(style::INK.stroke_width(2))
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .draw()?;
    Ok(chart)
}

/// Draws one series (already split into runs in axis coordinates) in `colour`, with its legend
/// entry on the first run.
fn draw_series<'a, 'b: 'a>(
    chart: &mut Chart<'a, 'b>,
    series: &Series,
    runs: &[Vec<(f64, f64)>],
    colour: RGBColor,
) -> Result<()> {
    let line_style = colour.stroke_width(style::LINE_WIDTH);
    let radius = i32::try_from(style::POINT_RADIUS).unwrap_or(7);
    for (run_index, run) in runs.iter().enumerate() {
        let labelled = run_index == 0 && !series.name.is_empty();
        let annotation = match series.mark {
            Mark::Line | Mark::LineAndPoints => {
                chart.draw_series(LineSeries::new(run.iter().copied(), line_style))?
            }
            Mark::Dashed => chart.draw_series(DashedLineSeries::new(
                run.iter().copied(),
                16,
                10,
                line_style,
            ))?,
            Mark::Points => chart.draw_series(run.iter().map(|p| dot(*p, radius, colour)))?,
        };
        if labelled {
            let annotation = annotation.label(series.name.clone());
            // One arm per picture: plotters' dynamic elements would force a `'static` backend.
            match series.mark {
                Mark::Line => {
                    annotation.legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 36, y)], line_style)
                    });
                }
                Mark::Dashed => {
                    annotation.legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (14, 0)], line_style)
                            + PathElement::new(vec![(22, 0), (36, 0)], line_style)
                    });
                }
                Mark::Points => {
                    annotation.legend(move |(x, y)| {
                        EmptyElement::at((x + 18, y)) + Circle::new((0, 0), 7, colour.filled())
                    });
                }
                Mark::LineAndPoints => {
                    annotation.legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (36, 0)], line_style)
                            + Circle::new((18, 0), 5, colour.filled())
                    });
                }
            }
        }
        if series.mark == Mark::LineAndPoints {
            chart.draw_series(run.iter().map(|p| dot(*p, radius - 2, colour)))?;
        }
    }
    Ok(())
}

/// A dot element: two circles around a data point.
type Dot<DB> = ComposedElement<(f64, f64), DB, Circle<(i32, i32), i32>, Circle<(i32, i32), i32>>;

/// A filled dot with a white rim, so overlapping dots stay distinct.
fn dot<DB: DrawingBackend>(at: (f64, f64), radius: i32, colour: RGBColor) -> Dot<DB> {
    EmptyElement::at(at)
        + Circle::new((0, 0), radius, colour.filled())
        + Circle::new((0, 0), radius, style::BACKGROUND.stroke_width(2))
}

/// Draws the legend of the labelled series, if any is wanted.
fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>, legend: Legend) -> Result<()> {
    if let Some(position) = legend.position() {
        chart
            .configure_series_labels()
            .position(position)
            .margin(18)
            .legend_area_size(48)
            .label_font(style::small_font())
            .background_style(style::BACKGROUND.mix(0.9))
            .border_style(style::GREY)
            .draw()?;
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

/// The picture height at which one x unit is as long as one y unit, at the standard width
/// (clamped to a sensible range of picture shapes).
fn equal_aspect_height(x_range: (f64, f64), y_range: (f64, f64)) -> u32 {
    let plot_width = f64::from(style::WIDTH - 2 * MARGIN - Y_LABEL_AREA);
    let plot_height = plot_width * (y_range.1 - y_range.0) / (x_range.1 - x_range.0);
    let height = plot_height + f64::from(2 * MARGIN + X_LABEL_AREA + TITLE_AREA);
    // Clamped to 500..=1600, so the cast cannot truncate or lose the sign.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let height = height.round().clamp(500.0, 1600.0) as u32;
    height
}

/// The smallest and largest finite values (0, 1 if there are none).
fn finite_span(values: &[f64]) -> (f64, f64) {
    let (low, high) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| {
            (low.min(*v), high.max(*v))
        });
    if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    }
}

/// A function sampled at the centres of an n × n grid of cells over a rectangle.
struct Grid {
    x_range: (f64, f64),
    y_range: (f64, f64),
    n: usize,
    /// Row-major from the bottom row: `values[row * n + column]`.
    values: Vec<f64>,
    /// The smallest finite value.
    min: f64,
}

impl Grid {
    fn sample(
        x_range: (f64, f64),
        y_range: (f64, f64),
        n: usize,
        f: &dyn Fn(f64, f64) -> f64,
    ) -> Self {
        let mut values = Vec::with_capacity(n * n);
        for row in 0..n {
            for column in 0..n {
                let (x, y) = Self::centre(x_range, y_range, n, column, row);
                values.push(f(x, y));
            }
        }
        let (min, _) = finite_span(&values);
        Self {
            x_range,
            y_range,
            n,
            values,
            min,
        }
    }

    fn step(&self) -> (f64, f64) {
        (
            (self.x_range.1 - self.x_range.0) / self.n as f64,
            (self.y_range.1 - self.y_range.0) / self.n as f64,
        )
    }

    fn centre(
        x_range: (f64, f64),
        y_range: (f64, f64),
        n: usize,
        column: usize,
        row: usize,
    ) -> (f64, f64) {
        let dx = (x_range.1 - x_range.0) / n as f64;
        let dy = (y_range.1 - y_range.0) / n as f64;
        (
            x_range.0 + (column as f64 + 0.5) * dx,
            y_range.0 + (row as f64 + 0.5) * dy,
        )
    }

    /// Each cell's corners in data units and its index into `values`.
    fn cells(&self) -> impl Iterator<Item = ([(f64, f64); 2], usize)> + '_ {
        let (dx, dy) = self.step();
        (0..self.n * self.n).map(move |index| {
            let (row, column) = (index / self.n, index % self.n);
            let x = self.x_range.0 + column as f64 * dx;
            let y = self.y_range.0 + row as f64 * dy;
            ([(x, y), (x + dx, y + dy)], index)
        })
    }

    /// Contour lines of `values` (laid out like the grid) at each threshold, as polylines in
    /// data units. Marching squares closes every ring along the grid's edge; the segments that
    /// touch the edge are dropped, so only true level lines remain (ending half a cell inside
    /// the frame).
    fn contour_lines(&self, values: &[f64], thresholds: &[f64]) -> Result<Vec<Vec<(f64, f64)>>> {
        let (dx, dy) = self.step();
        // The contour crate puts the value of cell (i, j) at (i + 0.5, j + 0.5) in grid units
        // and closes rings along the lines 0 and n;
        // origin and step map grid units to data units. Non-finite values would break the
        // interpolation: they are replaced by a value above every threshold.
        let ceiling = thresholds
            .iter()
            .copied()
            .filter(|t| t.is_finite())
            .fold(f64::NEG_INFINITY, f64::max)
            .max(self.min)
            + 1.0;
        let clean: Vec<f64> = values
            .iter()
            .map(|v| if v.is_finite() { *v } else { ceiling })
            .collect();
        let finite_thresholds: Vec<f64> = thresholds
            .iter()
            .copied()
            .filter(|t| t.is_finite())
            .collect();
        let builder = ContourBuilder::new(self.n, self.n, true)
            .x_origin(self.x_range.0)
            .y_origin(self.y_range.0)
            .x_step(dx)
            .y_step(dy);
        let lines = builder
            .lines(&clean, &finite_thresholds)
            .map_err(|error| format!("contour lines failed: {error:?}"))?;
        let on_edge = |p: &(f64, f64)| {
            (p.0 - self.x_range.0).abs() < 1e-9 * dx.max(1.0)
                || (p.0 - self.x_range.1).abs() < 1e-9 * dx.max(1.0)
                || (p.1 - self.y_range.0).abs() < 1e-9 * dy.max(1.0)
                || (p.1 - self.y_range.1).abs() < 1e-9 * dy.max(1.0)
        };
        let mut polylines = Vec::new();
        for line in lines {
            for ring in &line.geometry().0 {
                let mut current: Vec<(f64, f64)> = Vec::new();
                for pair in ring.0.windows(2) {
                    let (a, b) = ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y));
                    if on_edge(&a) || on_edge(&b) {
                        if current.len() > 1 {
                            polylines.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        continue;
                    }
                    if current.is_empty() {
                        current.push(a);
                    }
                    current.push(b);
                }
                if current.len() > 1 {
                    polylines.push(current);
                }
            }
        }
        Ok(polylines)
    }
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

/// Rounds a pixel offset to whole pixels (offsets are at most a few thousand).
fn to_pixels(value: f64) -> i32 {
    #[allow(clippy::cast_possible_truncation)]
    let pixels = value.round() as i32;
    pixels
}

/// An arrow from `tail` to `head` in pixels: a shaft and two barbs at ±25° to it.
fn draw_arrow(
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

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::*;

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
            assert_eq!(width, style::WIDTH, "{test}: width");
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
    fn contour_lines_cross_where_the_function_meets_the_level() {
        // f(x, y) = x on [-1, 1]²: the level 0.25 is the vertical line x = 0.25.
        let grid = Grid::sample((-1.0, 1.0), (-1.0, 1.0), 40, &|x, _| x);
        let lines = grid.contour_lines(&grid.values, &[0.25]).unwrap();
        assert!(!lines.is_empty());
        let points: Vec<(f64, f64)> = lines.into_iter().flatten().collect();
        // Linear interpolation between cell centres is exact for a linear function; 1e-9 covers
        // the rounding of the grid arithmetic.
        for (x, _) in &points {
            assert!(
                (x - 0.25).abs() < 1e-9,
                "point off the level line at x = {x}"
            );
        }
        // The line spans the plot from bottom to top edge, minus half a cell at each end.
        let (low, high) = finite_span(&points.iter().map(|p| p.1).collect::<Vec<_>>());
        assert!(low < -0.95 && high > 0.95, "line spans {low}..{high}");
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
