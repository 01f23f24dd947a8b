//! A function sampled on a grid over a rectangle, and its contour lines (by marching squares,
//! from the `contour` crate), for [`super::charts::ContourPlot`] and
//! [`super::charts::DecisionRegions`].

use contour::ContourBuilder;

use crate::workspace::Result;

/// The smallest and largest finite values (0, 1 if there are none).
pub fn finite_span(values: &[f64]) -> (f64, f64) {
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
pub struct Grid {
    /// The x range in data units.
    pub x_range: (f64, f64),
    /// The y range in data units.
    pub y_range: (f64, f64),
    /// Cells per side.
    pub n: usize,
    /// Row-major from the bottom row: `values[row * n + column]`.
    pub values: Vec<f64>,
    /// The smallest finite value.
    pub min: f64,
}

impl Grid {
    /// Samples `f` at the centres of an `n` × `n` grid of cells over the rectangle.
    pub fn sample(
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

    /// The size of a cell in data units.
    pub fn step(&self) -> (f64, f64) {
        (
            (self.x_range.1 - self.x_range.0) / self.n as f64,
            (self.y_range.1 - self.y_range.0) / self.n as f64,
        )
    }

    /// The centre of cell (`column`, `row`) of an `n` × `n` grid over the rectangle.
    pub fn centre(
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
    pub fn cells(&self) -> impl Iterator<Item = ([(f64, f64); 2], usize)> + '_ {
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
    ///
    /// # Errors
    ///
    /// If `values` does not hold one value per cell.
    pub fn contour_lines(
        &self,
        values: &[f64],
        thresholds: &[f64],
    ) -> Result<Vec<Vec<(f64, f64)>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
