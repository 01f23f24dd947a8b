//! The article's gradient example, computed three ways and read numerically.
//!
//! Run with `cargo run -p gradient --example article`.
//!
//! The article's f was lost; the course uses f(x, y) = 3x² + 2xy + y², whose gradient at
//! (1, 2) is the article's (10, 6) (see `gradient::article`).

use gradient::ScalarFunction;
use gradient::article::{ArticleFunction, POINT};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: three_ways
    let f = ArticleFunction; // f(x, y) = 3x² + 2xy + y²
    let forward = gradient::forward_gradient(&f, &POINT)?; // one dual pass per coordinate
    let reverse = gradient::reverse_gradient(&f, &POINT)?; // one tape pass for all of them
    let central = gradient::central_gradient(&f, &POINT)?; // two values of f per coordinate
    // ANCHOR_END: three_ways
    println!(
        "f(x, y) = 3x² + 2xy + y² at (1, 2): f = {}",
        f.value(&POINT)?
    );
    println!(
        "∇f by forward mode:         ({}, {})",
        forward[0], forward[1]
    );
    println!(
        "∇f by reverse mode:         ({}, {})",
        reverse[0], reverse[1]
    );
    println!(
        "∇f by central differences:  ({:.12}, {:.12})",
        central[0], central[1]
    );

    // ANCHOR: magnitude
    let length = gradient::magnitude(&reverse); // √(10² + 6²) = √136
    let uphill = gradient::unit_direction(&reverse)?; // ∇f / |∇f|
    // ANCHOR_END: magnitude
    println!(
        "|∇f| = √136 = {length:.4}, steepest direction ({:.4}, {:.4})",
        uphill[0], uphill[1]
    );

    // ANCHOR: reading
    // A step of length t along the gradient raises f by about |∇f| t.
    let f0 = f.value(&POINT)?;
    for t in [0.1, 0.01, 0.001] {
        let moved = [POINT[0] + t * uphill[0], POINT[1] + t * uphill[1]];
        let rise = f.value(&moved)? - f0;
        println!(
            "step t = {t:<5}: f rises by {rise:.7}, |∇f| t = {:.7}",
            length * t
        );
    }
    // ANCHOR_END: reading

    // ANCHOR: steepest
    // No unit direction climbs faster: try 1000 of them, evenly spread around the circle.
    let mut best = (f64::NEG_INFINITY, 0.0);
    for k in 0..1000 {
        let angle = std::f64::consts::TAU * f64::from(k) / 1000.0;
        let slope = gradient::directional_derivative(&f, &POINT, &[angle.cos(), angle.sin()])?;
        if slope > best.0 {
            best = (slope, angle);
        }
    }
    let gradient_angle = reverse[1].atan2(reverse[0]);
    // ANCHOR_END: steepest
    println!(
        "best of 1000 directions: slope {:.4} at {:.4} rad; the gradient points at {:.4} rad",
        best.0, best.1, gradient_angle
    );
    Ok(())
}
