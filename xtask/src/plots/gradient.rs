//! Figures of chapter 2, "The gradient" (`docs/src/gradient.md`).
//!
//! - `gradient-contours`: the article's $f(x, y) = 3x^2 + 2xy + y^2$ as contour lines with its
//!   gradient field, and the point $(1, 2)$ with its gradient $(10, 6)$ highlighted, crossing
//!   the contour $f = 11$ through that point at a right angle.

use gradient::ScalarFunction;
use gradient::article::{ArticleFunction, GRADIENT, POINT};

use super::charts::{Arrow, ArrowLength, ContourPlot, Levels, Spot};
use super::style::{self, Axis};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// Figure (3): contours and gradient arrows of the article's function.
pub const CONTOURS: Figure = Figure {
    name: "gradient-contours",
    chapter: "gradient",
    description: "f(x, y) = 3x² + 2xy + y²: contours, gradient arrows, ∇f(1, 2) = (10, 6)",
    draw: contours,
};

/// The gradient arrow at $(1, 2)$ is drawn at this fraction of its length: $(10, 6)$ in the
/// units of the axes would leave the picture.
const ARROW_SCALE: f64 = 0.12;

/// Draws figure (3) over $[-3, 5.5] \times [-4.5, 4.5]$, which holds the whole ellipse
/// $f = 11$ through $(1, 2)$ (its extent is $|x| \le \sqrt{5.5}$, $|y| \le \sqrt{16.5}$) and
/// leaves room on the right for the label of the gradient arrow.
///
/// The contour levels include $f(1, 2) = 11$; the field is the gradient by reverse mode on an
/// 12 × 12 lattice, arrows proportional to $|\nabla f|$, so they grow away from the minimum at
/// the origin and cross every contour at a right angle (the axes have equal scales).
///
/// # Errors
///
/// A gradient error (none: every lattice point is finite) or a drawing error.
pub fn contours(canvas: &Canvas) -> Result<()> {
    let f = ArticleFunction;
    let at_point = f.value(&POINT)?;
    let gradient_at_point = gradient::reverse_gradient(&f, &POINT)?;
    let length = gradient::magnitude(&gradient_at_point);
    let tip = (
        POINT[0] + ARROW_SCALE * GRADIENT[0],
        POINT[1] + ARROW_SCALE * GRADIENT[1],
    );
    ContourPlot::new(
        "f(x, y) = 3x² + 2xy + y², its contours and its gradient",
        Axis::linear("x").range(-3.0, 5.5),
        Axis::linear("y").range(-4.5, 4.5),
        |x, y| f.eval(&[x, y]),
    )
    .levels(Levels::Values(vec![0.5, 2.0, 5.0, at_point, 20.0, 32.0]))
    .label_levels(true)
    .arrow_field(
        12,
        ArrowLength::Proportional,
        |x, y| match gradient::reverse_gradient(&f, &[x, y]) {
            Ok(g) => (g[0], g[1]),
            Err(_) => (0.0, 0.0),
        },
    )
    .arrow(
        Arrow::new((POINT[0], POINT[1]), tip)
            .colour(style::VERMILLION)
            .label(format!(
                "∇f = ({}, {}), |∇f| ≈ {length:.2}",
                gradient_at_point[0], gradient_at_point[1]
            )),
    )
    .spot(Spot::new(
        (POINT[0], POINT[1]),
        format!("(1, 2), f = {at_point}"),
    ))
    .spot(Spot::new((0.0, 0.0), "minimum").colour(style::GREY))
    .draw(canvas)
}
