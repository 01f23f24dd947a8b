//! Finite differences: the error orders of the docs, exactness on low-degree polynomials, the
//! step-size rule, and the round-off that makes a tiny step worse.

use approx::assert_relative_eq;
use chain_rule::finite_difference::{self, Scheme};
use proptest::prelude::*;

use crate::support::EPS;

/// The error of each scheme for f = exp at x = 0.5, where every derivative is e^0.5.
fn error(scheme: Scheme, h: f64) -> f64 {
    let x = 0.5_f64;
    (scheme.estimate(f64::exp, x, h).unwrap() - x.exp()).abs()
}

#[test]
fn halving_h_divides_the_error_by_two_to_the_order() {
    // In the truncation-dominated range, E(h) ≈ C h^p, so E(h) / E(h/2) ≈ 2^p.
    // The next Taylor term changes the ratio by a relative O(h): forward h/3 · f'''/f'' ≈ 3e-3
    // at h = 1e-2; central h²/20 ≈ 5e-6; Richardson O(h²) ≈ 1e-2 at h = 0.1. Round-off
    // (3 eps |f| / h < 1e-14) is negligible next to errors of 1e-7 and more. 3% covers all.
    for (scheme, h) in [
        (Scheme::Forward, 1e-2),
        (Scheme::Central, 1e-2),
        (Scheme::Richardson, 0.1),
    ] {
        let ratio = error(scheme, h) / error(scheme, h / 2.0);
        let expected = 2.0_f64.powi(scheme.order());
        assert_relative_eq!(ratio, expected, max_relative = 0.03);
    }
}

#[test]
fn leading_error_terms_match_taylor() {
    // Forward: D(h) - f' = h/2 f'' + O(h²). Central: D(h) - f' = h²/6 f''' + O(h⁴).
    // Richardson: R(h) - f' = -h⁴/480 f⁽⁵⁾ + O(h⁶). With f = exp at 0.5 every derivative is
    // e^0.5; the relative size of the next term is h/3, h²/20 and about h²/4 respectively.
    let x = 0.5_f64;
    let e = x.exp();
    let h = 1e-3;
    let forward = finite_difference::forward(f64::exp, x, h).unwrap() - e;
    assert_relative_eq!(forward, h / 2.0 * e, max_relative = 1e-3);
    let h = 1e-2;
    let central = finite_difference::central(f64::exp, x, h).unwrap() - e;
    assert_relative_eq!(central, h * h / 6.0 * e, max_relative = 1e-4);
    let h = 0.1;
    let richardson = finite_difference::richardson(f64::exp, x, h).unwrap() - e;
    assert_relative_eq!(richardson, -h.powi(4) / 480.0 * e, max_relative = 1e-2);
}

#[test]
fn the_rule_of_thumb_step_reaches_the_predicted_accuracy() {
    // At h* the error is of order eps^(p/(p+1)) times |f| and its derivatives (all e^0.5 ≈ 1.65
    // here): about 1.5e-8 forward, 3.7e-11 central, 3e-13 Richardson. The bounds allow a
    // factor of 10 for the constants in front.
    let bounds = [
        (Scheme::Forward, 2.5e-7),
        (Scheme::Central, 6e-10),
        (Scheme::Richardson, 5e-12),
    ];
    for (scheme, bound) in bounds {
        let err = error(scheme, scheme.step(0.5));
        assert!(
            err < bound,
            "{} error {err} at its best step",
            scheme.name()
        );
    }
    // And a step far below h* is worse: round-off eps |f| / h takes over. At h = 1e-12 that is
    // about 2e-4 for the central difference, many orders above its best error.
    let best = error(Scheme::Central, Scheme::Central.step(0.5));
    assert!(error(Scheme::Central, 1e-12) > 1e3 * best);
}

#[test]
fn step_rule_values() {
    // h* = eps^(1/(p+1)) max(|x|, 1): at x = 1, eps^(1/2) ≈ 1.49e-8, eps^(1/3) ≈ 6.06e-6,
    // eps^(1/5) ≈ 7.40e-4; at x = 100 a hundred times more. Rounding so that x + h is exact
    // moves h by at most an ulp of x, i.e. relatively eps |x| / h < 2e-8.
    assert_relative_eq!(Scheme::Forward.step(1.0), EPS.sqrt(), max_relative = 1e-7);
    assert_relative_eq!(Scheme::Central.step(1.0), EPS.cbrt(), max_relative = 1e-7);
    assert_relative_eq!(
        Scheme::Richardson.step(1.0),
        EPS.powf(0.2),
        max_relative = 1e-7
    );
    assert_relative_eq!(
        Scheme::Central.step(-100.0),
        100.0 * EPS.cbrt(),
        max_relative = 1e-7
    );
    assert_relative_eq!(Scheme::Central.step(0.0), EPS.cbrt(), max_relative = 1e-7);
    for x in [0.1, 1.0, 3.7, -250.0] {
        for scheme in Scheme::ALL {
            let h = scheme.step(x);
            assert_eq!(
                ((x + h) - x).to_bits(),
                h.to_bits(),
                "x + h not exact at x = {x}"
            );
        }
    }
}

proptest! {
    #[test]
    fn central_is_exact_on_quadratics(
        a in -5.0..5.0_f64, b in -5.0..5.0_f64, c in -5.0..5.0_f64, x in -3.0..3.0_f64
    ) {
        // f = a x² + b x + c has f''' = 0, so only rounding remains: each value is off by at
        // most eps (|a| x² + |b x| + |c|) · 3 (three roundings) and x - h by eps |x| / 2.
        let f = |t: f64| a * t * t + b * t + c;
        let h = Scheme::Central.step(x);
        let exact = 2.0 * a * x + b;
        let value_error = 3.0 * EPS * (a.abs() * (x.abs() + h).powi(2) + b.abs() * (x.abs() + h) + c.abs());
        let tolerance = value_error / h + EPS * x.abs() * exact.abs() / h + 2.0 * EPS * exact.abs();
        let estimate = finite_difference::central(f, x, h).unwrap();
        prop_assert!((estimate - exact).abs() <= tolerance, "{estimate} vs {exact}");
    }

    #[test]
    fn richardson_is_exact_on_quartics(
        coefficients in prop::array::uniform5(-2.0..2.0_f64), x in -2.0..2.0_f64
    ) {
        // f⁽⁵⁾ = 0 for a quartic, so Richardson's O(h⁴) term vanishes and only rounding is
        // left, even at the large step h = 0.1: values are off by at most 6 eps Σ|c_k| |t|^k
        // (Horner, two roundings per coefficient), and the combination (4 D(h/2) - D(h)) / 3
        // amplifies value errors by (4/3 · 2/h + 1/3 · 1/h) = 3/h.
        let f = |t: f64| coefficients.iter().rev().fold(0.0, |acc, c| acc * t + c);
        let exact: f64 = coefficients
            .iter()
            .zip(0_i32..)
            .skip(1)
            .map(|(c, k)| f64::from(k) * c * x.powi(k - 1))
            .sum();
        let h = 0.1;
        let reach = x.abs() + h;
        let size: f64 = coefficients
            .iter()
            .zip(0_i32..)
            .map(|(c, k)| c.abs() * reach.powi(k))
            .sum();
        let tolerance = 3.0 * 6.0 * EPS * size / h + 4.0 * EPS * exact.abs();
        let estimate = finite_difference::richardson(f, x, h).unwrap();
        prop_assert!((estimate - exact).abs() <= tolerance, "{estimate} vs {exact}, tolerance {tolerance}");
    }

    #[test]
    fn forward_is_exact_on_lines(a in -5.0..5.0_f64, b in -5.0..5.0_f64, x in -3.0..3.0_f64) {
        // f'' = 0: the forward difference of a line is its slope, up to rounding
        // (2 roundings per value on |a t| + |b|, divided by h).
        let h = Scheme::Forward.step(x);
        let tolerance = 2.0 * 2.0 * EPS * (a.abs() * (x.abs() + h) + b.abs()) / h + 2.0 * EPS * a.abs();
        let estimate = finite_difference::forward(|t| a * t + b, x, h).unwrap();
        prop_assert!((estimate - a).abs() <= tolerance, "{estimate} vs {a}");
    }
}
