//! The article's example, f(x, y) = 3x² + 2xy + y² at (1, 2), and its reading of the
//! gradient checked numerically.

use gradient::ScalarFunction;
use gradient::article::{ArticleFunction, GRADIENT, POINT};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::assert_within;

/// |∇f(1, 2)| = |(10, 6)| = √136 ≈ 11.66.
fn magnitude() -> f64 {
    136.0_f64.sqrt()
}

/// The largest eigenvalue of A = [[3, 1], [1, 1]] (f = xᵀAx): (4 + √8)/2 = 2 + √2. Along any
/// unit u, f(x + t u) = f(x) + t ∇f·u + t² uᵀAu exactly, and uᵀAu ≤ 2 + √2.
const LAMBDA_MAX: f64 = 2.0 + std::f64::consts::SQRT_2;

/// f = 3x² + 2xy + y² at (1, 2) and nearby is about 11; one evaluation is rounded by a few
/// ulps of that. A difference quotient (f(x + t u) - f(x)) / t is then off by about
/// 8 ε · 12 / t.
fn quotient_rounding(t: f64) -> f64 {
    8.0 * f64::EPSILON * 12.0 / t
}

#[test]
fn the_gradient_at_one_two_is_ten_six_by_every_mode() {
    // ∂f/∂x = 6x + 2y = 6 + 4 = 10, ∂f/∂y = 2x + 2y = 2 + 4 = 6: every operation on these
    // small integers is exact in binary, so forward and reverse mode give them exactly.
    for g in [
        gradient::forward_gradient(&ArticleFunction, &POINT).unwrap(),
        gradient::reverse_gradient(&ArticleFunction, &POINT).unwrap(),
    ] {
        assert_within(g[0], GRADIENT[0], 0.0, "∂f/∂x");
        assert_within(g[1], GRADIENT[1], 0.0, "∂f/∂y");
    }
    // Central differences of a quadratic have no truncation error, only round-off: two values
    // near 11 rounded to a few ulps, over 2h with h = ε^(1/3)·max(1, |x_i|).
    let central = gradient::central_gradient(&ArticleFunction, &POINT).unwrap();
    for i in 0..2 {
        let h = f64::EPSILON.cbrt() * POINT[i].abs().max(1.0);
        assert_within(
            central[i],
            GRADIENT[i],
            8.0 * f64::EPSILON * 12.0 / h,
            "central difference",
        );
    }
    assert_within(
        gradient::magnitude(&GRADIENT),
        magnitude(),
        2.0 * f64::EPSILON * 12.0,
        "|∇f|",
    );
    assert!((magnitude() - 11.66).abs() < 5e-3);
}

#[test]
fn a_small_step_along_the_gradient_raises_f_by_its_magnitude_times_the_step() {
    // f(x + t u) - f(x) = t |∇f| + t² uᵀAu for u = ∇f/|∇f|, with uᵀAu = gᵀAg/136 =
    // (10·36 + 6·16)/136 = 456/136: the rise is 11.66 t to first order, and the second-order
    // part is below LAMBDA_MAX · t² (3.4e-4 relative to the first at t = 1e-4).
    let u = gradient::unit_direction(&GRADIENT).unwrap();
    let f0 = ArticleFunction.value(&POINT).unwrap();
    for t in [1e-1, 1e-2, 1e-3, 1e-4, 1e-5] {
        let moved = [POINT[0] + t * u[0], POINT[1] + t * u[1]];
        let rate = (ArticleFunction.value(&moved).unwrap() - f0) / t;
        assert_within(
            rate,
            magnitude(),
            LAMBDA_MAX * t + quotient_rounding(t),
            "rise per unit step",
        );
        assert_within(
            rate,
            magnitude() + 456.0 / 136.0 * t,
            quotient_rounding(t),
            "exact rise",
        );
    }
}

#[test]
fn no_unit_direction_raises_f_faster_than_the_gradient() {
    // 10 000 seeded unit directions u = (cos θ, sin θ): the slope ∇f·u never exceeds |∇f|
    // (Cauchy–Schwarz), and neither does the measured rise over a step t = 1e-4 beyond its
    // second-order part. The best sample lies within the smallest angle δ of the gradient's
    // direction, so its slope is at least |∇f| cos δ.
    let t = 1e-4;
    let f0 = ArticleFunction.value(&POINT).unwrap();
    let steepest = GRADIENT[1].atan2(GRADIENT[0]);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut best_slope = f64::NEG_INFINITY;
    let mut closest_angle = f64::INFINITY;
    for _ in 0..10_000 {
        let theta: f64 = rng.random_range(0.0..std::f64::consts::TAU);
        let u = [theta.cos(), theta.sin()];
        let slope = gradient::directional_derivative(&ArticleFunction, &POINT, &u).unwrap();
        // ∇f·u is a sum of two products of size ≤ 10: a few ulps of 16.
        assert!(
            slope <= magnitude() + 4.0 * f64::EPSILON * 16.0,
            "slope {slope} along θ = {theta}"
        );
        let moved = [POINT[0] + t * u[0], POINT[1] + t * u[1]];
        let rate = (ArticleFunction.value(&moved).unwrap() - f0) / t;
        assert!(
            rate <= magnitude() + LAMBDA_MAX * t + quotient_rounding(t),
            "rise {rate} along θ = {theta}"
        );
        best_slope = best_slope.max(slope);
        let gap = (theta - steepest).rem_euclid(std::f64::consts::TAU);
        closest_angle = closest_angle.min(gap.min(std::f64::consts::TAU - gap));
    }
    assert!(
        closest_angle < 1e-2,
        "10 000 samples leave no gap of 0.01 rad"
    );
    assert!(best_slope >= magnitude() * closest_angle.cos() - 1e-12);
}

#[test]
fn the_reading_of_each_component() {
    // "For every unit increase in the x direction, the function will increase by 10 units":
    // f(1 + t, 2) - f(1, 2) = 10 t + 3 t², f(1, 2 + t) - f(1, 2) = 6 t + t².
    let f0 = ArticleFunction.value(&POINT).unwrap();
    let t = 1e-3;
    let along_x = ArticleFunction.value(&[1.0 + t, 2.0]).unwrap() - f0;
    let along_y = ArticleFunction.value(&[1.0, 2.0 + t]).unwrap() - f0;
    assert_within(
        along_x,
        10.0 * t + 3.0 * t * t,
        8.0 * f64::EPSILON * 12.0,
        "rise along x",
    );
    assert_within(
        along_y,
        6.0 * t + t * t,
        8.0 * f64::EPSILON * 12.0,
        "rise along y",
    );
}

/// As a test function the article's f is named "article" and starts at the article's point
/// (1, 2); a reference to it is the same two-variable function.
#[test]
fn the_article_function_as_a_test_function() {
    use gradient::test_functions::TestFunction;
    assert_eq!(ArticleFunction.name(), "article");
    let bits = |v: &[f64]| v.iter().map(|v_i| v_i.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&ArticleFunction.starting_point()), bits(&[1.0, 2.0]));
    assert_eq!(bits(&POINT), bits(&[1.0, 2.0]));
    // Method calls on a reference auto-deref to the function's own impl; naming the type
    // `&ArticleFunction` goes through the blanket impl for references, as generic code does.
    assert_eq!(
        <&ArticleFunction as ScalarFunction>::dimension(&&ArticleFunction),
        2
    );
    assert_eq!(
        <&ArticleFunction as ScalarFunction>::value(&&ArticleFunction, &POINT)
            .unwrap()
            .to_bits(),
        ArticleFunction.value(&POINT).unwrap().to_bits()
    );
}
