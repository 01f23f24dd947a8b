//! Random quadratic forms f(x) = xᵀAx + bᵀx + c, whose gradient (A + Aᵀ)x + b and Hessian
//! A + Aᵀ are known exactly: forward mode, reverse mode, central differences, the Hessian and
//! Hessian-vector products all reproduce them.

use gradient::test_functions::{Quadratic, TestFunction};
use gradient::{GradientChecker, ScalarFunction};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

use crate::{CHECK_THRESHOLD, assert_within};

/// A random quadratic form in 1 to 6 variables, entries in [-3, 3], and a point and a vector
/// in [-3, 3]^n.
fn quadratic_and_point() -> impl Strategy<Value = (Quadratic, Vec<f64>, Vec<f64>)> {
    (1..=6usize).prop_flat_map(|n| {
        (
            proptest::collection::vec(-3.0..3.0f64, n * n),
            proptest::collection::vec(-3.0..3.0f64, n),
            -3.0..3.0f64,
            proptest::collection::vec(-3.0..3.0f64, n),
            proptest::collection::vec(-3.0..3.0f64, n),
        )
            .prop_map(move |(a, b, c, x, v)| {
                let a = DMatrix::from_row_slice(n, n, &a);
                let q = Quadratic::new(a, DVector::from_vec(b), c).unwrap();
                (q, x, v)
            })
    })
}

/// The exact gradient (A + Aᵀ)x + b, by loops independent of the crate's formula, and for
/// each entry its rounding scale Σ_j (|a_ij| + |a_ji|)|x_j| + |b_i|.
fn exact_gradient(q: &Quadratic, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (a, b) = (q.a(), q.b());
    let n = x.len();
    let mut grad = vec![0.0; n];
    let mut scale = vec![0.0; n];
    for i in 0..n {
        grad[i] = b[i];
        scale[i] = b[i].abs();
        for j in 0..n {
            grad[i] += (a[(i, j)] + a[(j, i)]) * x[j];
            scale[i] += (a[(i, j)].abs() + a[(j, i)].abs()) * x[j].abs();
        }
    }
    (grad, scale)
}

/// Every entry of the gradient is a sum of at most 2n + 1 ≤ 13 products, each rounded to half
/// an ulp, in an order that differs between the methods: 64 ε of the scale covers 13 terms
/// rounded twice (product and sum) with margin.
const QUADRATIC_ROUNDING: f64 = 64.0 * f64::EPSILON;

proptest! {
    #[test]
    fn forward_and_reverse_mode_give_a_plus_a_transpose_x_plus_b((q, x, _v) in quadratic_and_point()) {
        let (exact, scale) = exact_gradient(&q, &x);
        let forward = gradient::forward_gradient(&q, &x).unwrap();
        let reverse = gradient::reverse_gradient(&q, &x).unwrap();
        let formula = q.gradient(&x).unwrap();
        for i in 0..x.len() {
            let tolerance = QUADRATIC_ROUNDING * scale[i];
            assert_within(forward[i], exact[i], tolerance, "forward");
            assert_within(reverse[i], exact[i], tolerance, "reverse");
            assert_within(formula[i], exact[i], tolerance, "formula");
        }
    }

    #[test]
    fn central_differences_are_exact_up_to_round_off((q, x, _v) in quadratic_and_point()) {
        // A quadratic has f''' = 0, so a central difference has no truncation error at all:
        // (f(x + h e_i) - f(x - h e_i)) / 2h = (S x + b)_i exactly in real arithmetic. What is
        // left is round-off: each value of f, a sum of n² + n + 1 ≤ 43 terms bounded by
        // F = Σ|a_ij||x_i||x_j| + Σ|b_i||x_i| + |c| (at x ± h, so |x_i| + h), is off by at most
        // 43 ulps of F, divided by 2h: 43 ε F / h; and x_i ± h is itself rounded, changing the
        // step by up to ε|x_i| relatively ε|x_i|/h, times |g_i|.
        let (exact, _) = exact_gradient(&q, &x);
        let central = gradient::central_gradient(&q, &x).unwrap();
        let (a, b) = (q.a(), q.b());
        let n = x.len();
        for i in 0..n {
            let h = f64::EPSILON.cbrt() * x[i].abs().max(1.0);
            let wide: Vec<f64> = x.iter().map(|x_j| x_j.abs() + h).collect();
            let mut size = q.c().abs();
            for r in 0..n {
                size += b[r].abs() * wide[r];
                for s in 0..n {
                    size += a[(r, s)].abs() * wide[r] * wide[s];
                }
            }
            let tolerance = 43.0 * f64::EPSILON * size / h
                + 2.0 * f64::EPSILON * (x[i].abs() + h) / h * exact[i].abs();
            assert_within(central[i], exact[i], tolerance, "central difference");
        }
        let report = GradientChecker::new(CHECK_THRESHOLD).unwrap()
            .check(|v: &[f64]| q.eval(v), &x, &exact).unwrap();
        prop_assert!(report.passed(), "{report}");
    }

    #[test]
    fn the_hessian_is_a_plus_a_transpose((q, x, v) in quadratic_and_point()) {
        // The ε1ε2 coefficient of xᵀAx sums a_ij times products of 0/1 seeds: a_ij + a_ji is
        // the only rounded operation (a few more sums of zeros are exact), so 4 ε of
        // |a_ij| + |a_ji| bounds the error.
        let hessian = gradient::hessian(&q, &x).unwrap();
        let s = q.a() + q.a().transpose();
        let n = x.len();
        for i in 0..n {
            for j in 0..n {
                let tolerance = 4.0 * f64::EPSILON * (q.a()[(i, j)].abs() + q.a()[(j, i)].abs());
                assert_within(hessian[(i, j)], s[(i, j)], tolerance, "hessian entry");
            }
        }
        // The formula computes the same A + Aᵀ, entry by entry.
        approx::assert_relative_eq!(q.hessian(&x).unwrap(), s, epsilon = 0.0, max_relative = f64::EPSILON);
        // Hessian-vector product: (S v)_i. The dual pass sums a_ij v_j and a_ji v_j as separate
        // terms, which may cancel, so the rounding scale is Σ_j (|a_ij| + |a_ji|)|v_j|.
        let hv = gradient::hessian_vector_product(&q, &x, &v).unwrap();
        let expected = &s * DVector::from_column_slice(&v);
        for i in 0..n {
            let scale: f64 = (0..n)
                .map(|j| (q.a()[(i, j)].abs() + q.a()[(j, i)].abs()) * v[j].abs())
                .sum();
            assert_within(hv[i], expected[i], QUADRATIC_ROUNDING * scale, "hessian-vector product");
        }
    }
}
