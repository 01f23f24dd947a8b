//! Figures of chapter 1, "The chain rule" (`docs/src/chain-rule.md`).
//!
//! - `chain-rule-composite`: the three-level chain of the worked example,
//!   $y = \sin((3x + 1)^2)$, with its derivative by the chain rule as a curve and central
//!   differences as points on it.
//! - `chain-rule-step-size`: the error of forward, central and Richardson differences for that
//!   chain at $x = 0$ against the step $h$, on log-log axes, with the Taylor model of each
//!   truncation error, the round-off model, and the rule-of-thumb steps.

use chain_rule::Dual;
use chain_rule::composition::Chain;
use chain_rule::elementary::Elementary;
use chain_rule::finite_difference::Scheme;

use super::charts::{Legend, LineChart, Marker, Series};
use super::style::{self, Axis};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// Figure (1): the composite function and its derivative.
pub const COMPOSITE: Figure = Figure {
    name: "chain-rule-composite",
    chapter: "chain-rule",
    description: "y = sin((3x + 1)²) and dy/dx by the chain rule, with central differences",
    draw: composite,
};

/// Figure (2): finite-difference error against the step.
pub const STEP_SIZE: Figure = Figure {
    name: "chain-rule-step-size",
    chapter: "chain-rule",
    description: "forward, central and Richardson error against h: truncation and round-off",
    draw: step_size,
};

/// The bottom of figure (2)'s error axis: below the smallest error any scheme reaches.
const FLOOR: f64 = 1e-16;

/// The worked example's three-level chain: $v = 3x + 1$, $u = v^2$, $y = \sin u$.
fn three_level() -> Result<Chain> {
    Ok(Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
        Elementary::Sin,
    ])?)
}

/// Draws figure (1) over $x \in [-0.75, 0.1]$, where $3x + 1$ runs from $-1.25$ to $1.3$: the
/// function stays in $[0, 1]$ and its derivative in about $[-3.9, 3.9]$, so both read on one
/// axis.
///
/// # Errors
///
/// A chain error (none for this chain) or a drawing error.
pub fn composite(canvas: &Canvas) -> Result<()> {
    let chain = three_level()?;
    let (low, high) = (-0.75, 0.1);
    let curve = |n: u32| -> Vec<f64> {
        (0..=n)
            .map(|i| low + (high - low) * f64::from(i) / f64::from(n))
            .collect()
    };
    let mut values = Vec::new();
    let mut derivatives = Vec::new();
    for x in curve(400) {
        let steps = chain.derive(x)?;
        values.push((x, steps.output()));
        derivatives.push((x, steps.derivative()));
    }
    let mut differences = Vec::new();
    for x in curve(34) {
        let estimate = Scheme::Central.derivative(|t| chain.eval(t).unwrap_or(f64::NAN), x)?;
        differences.push((x, estimate));
    }
    let at_zero = chain.derive(0.0)?.derivative();
    LineChart::new(
        "y = sin(u), u = v², v = 3x + 1, and its derivative",
        Axis::linear("x"),
        Axis::linear("value"),
    )
    .series(Series::line("y = sin((3x + 1)²)", values).colour(style::GREY))
    .series(Series::line("dy/dx = cos(u) · 2v · 3 (chain rule)", derivatives).colour(style::BLUE))
    .series(Series::points("central differences", differences).colour(style::VERMILLION))
    .series(
        Series::points(
            format!("x = 0: dy/dx = 6 cos 1 ≈ {at_zero:.3}"),
            vec![(0.0, at_zero)],
        )
        .colour(style::INK),
    )
    .marker(Marker::vertical(0.0, "x = 0"))
    .legend(Legend::UpperLeft)
    .draw(canvas)
}

/// Draws figure (2): the error $|D(h) - f'(0)|$ of each scheme for $h$ from $10^{-16}$ to 1,
/// eight steps per decade, against the exact $f'(0) = 6\cos 1$.
///
/// Dashed: the models of the chapter, the truncation terms $\frac{h}{2}|f''|$,
/// $\frac{h^2}{6}|f'''|$ and $\frac{h^4}{480}|f^{(5)}|$ (derivatives by nested duals), and the
/// central difference's round-off $\varepsilon|f|/h$. An error of exactly 0 (the estimate
/// rounded onto the exact value) cannot be shown on a log axis and leaves a gap.
///
/// # Errors
///
/// A finite-difference error (none for these steps) or a drawing error.
pub fn step_size(canvas: &Canvas) -> Result<()> {
    let chain = three_level()?;
    let f = |t: f64| chain.eval(t).unwrap_or(f64::NAN);
    let x = 0.0;
    let exact = 6.0 * 1.0_f64.cos();
    let steps: Vec<f64> = (-128..=0)
        .map(|k| 10_f64.powf(f64::from(k) / 8.0))
        .collect();

    let mut chart = LineChart::new(
        "Finite-difference error against the step h, for dy/dx at x = 0",
        Axis::log("step h"),
        Axis::log("error |estimate − dy/dx|").range(FLOOR, 1e2),
    );
    for (scheme, colour) in [
        (Scheme::Forward, style::ORANGE),
        (Scheme::Central, style::BLUE),
        (Scheme::Richardson, style::GREEN),
    ] {
        let mut errors = Vec::new();
        for &h in &steps {
            let estimate = scheme.estimate(f, x, h)?;
            errors.push((h, (estimate - exact).abs()));
        }
        chart = chart.series(Series::line(scheme.name(), errors).colour(colour));
    }

    // The models, from derivatives at 0 by nested duals.
    let d2 = chain
        .eval(Dual::variable(Dual::variable(x)))?
        .derivative
        .derivative;
    let d3 = chain
        .eval(Dual::variable(Dual::variable(Dual::variable(x))))?
        .derivative
        .derivative
        .derivative;
    let d5 = chain
        .eval(Dual::variable(Dual::variable(Dual::variable(
            Dual::variable(Dual::variable(x)),
        ))))?
        .derivative
        .derivative
        .derivative
        .derivative
        .derivative;
    let value = chain.eval(x)?.abs();
    // Each model is drawn over the steps where it explains the curve (from a thousandth of the
    // scheme's best step up for truncation, up to 0.1 for round-off) and above the axis floor.
    let model = |from: f64, to: f64, term: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        steps
            .iter()
            .filter(|&&h| (from..=to).contains(&h))
            .map(|&h| (h, term(h)))
            .filter(|&(_, error)| error >= FLOOR)
            .collect()
    };
    let from = |scheme: Scheme| scheme.step(x) * 1e-3;
    chart = chart
        .series(
            Series::dashed(
                "truncation h|f''|/2",
                model(from(Scheme::Forward), 1.0, &|h| h / 2.0 * d2.abs()),
            )
            .colour(style::tint(style::ORANGE, 0.35)),
        )
        .series(
            Series::dashed(
                "truncation h²|f'''|/6",
                model(from(Scheme::Central), 1.0, &|h| h * h / 6.0 * d3.abs()),
            )
            .colour(style::tint(style::BLUE, 0.35)),
        )
        .series(
            Series::dashed(
                "truncation h⁴|f⁽⁵⁾|/480",
                model(from(Scheme::Richardson), 1.0, &|h| {
                    h.powi(4) / 480.0 * d5.abs()
                }),
            )
            .colour(style::tint(style::GREEN, 0.35)),
        )
        .series(
            Series::dashed(
                "round-off ε|f|/h",
                model(0.0, 0.1, &|h| f64::EPSILON * value / h),
            )
            .colour(style::GREY),
        );
    for scheme in Scheme::ALL {
        chart = chart.marker(Marker::vertical(
            scheme.step(x),
            format!("h* {}", scheme.name()),
        ));
    }
    chart.legend(Legend::LowerLeft).draw(canvas)
}
