//! The classic test functions: their hand-written gradients and Hessians agree with forward
//! mode, reverse mode, nested duals and central differences; golden values pin them; their
//! documented minima are minima.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use gradient::article::ArticleFunction;
use gradient::test_functions::{
    Beale, Booth, Himmelblau, LogSumExp, Quadratic, Rosenbrock, TestFunction,
};
use gradient::{GradientChecker, ScalarFunction};
use nalgebra::DMatrix;
use proptest::prelude::*;

use crate::CHECK_THRESHOLD;

/// Absolute tolerance between the hand-written derivatives and automatic ones on the box
/// [-2, 2]^n. Each entry is a sum of at most about 16 rounded operations on terms bounded by
/// 1e4 in that box (the largest is Rosenbrock's 400·|x_i|·|x_{i+1} - x_i²| ≤ 400·2·6 = 4800,
/// or its 1200 x_i² = 4800 on the Hessian's diagonal; Beale's are below 1e3): the rounding
/// error is at most 16 · 1e4 · ε ≈ 3.6e-11, below 1e-10.
const EXACT_TOL: f64 = 1e-10;

/// Hand-written gradient and Hessian against forward mode, reverse mode, nested duals and
/// the gradient checker at `x`.
fn agrees_with_automatic_derivatives<F: TestFunction>(f: &F, x: &[f64]) {
    let name = f.name();
    let exact = f.gradient(x).unwrap();
    let forward = gradient::forward_gradient(f, x).unwrap();
    let reverse = gradient::reverse_gradient(f, x).unwrap();
    for i in 0..x.len() {
        assert_abs_diff_eq!(exact[i], forward[i], epsilon = EXACT_TOL);
        assert_abs_diff_eq!(exact[i], reverse[i], epsilon = EXACT_TOL);
    }
    let hessian = f.hessian(x).unwrap();
    let nested = gradient::hessian(f, x).unwrap();
    assert_abs_diff_eq!(hessian, nested, epsilon = EXACT_TOL);
    assert_abs_diff_eq!(hessian.clone(), hessian.transpose(), epsilon = 0.0);
    let report = GradientChecker::new(CHECK_THRESHOLD)
        .unwrap()
        .check(|v: &[f64]| f.value(v).unwrap(), x, &exact)
        .unwrap();
    assert!(report.passed(), "{name}:\n{report}");
}

fn point(n: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(-2.0..2.0f64, n)
}

proptest! {
    #[test]
    fn rosenbrock_derivatives_are_right(x in (2..=6usize).prop_flat_map(point)) {
        agrees_with_automatic_derivatives(&Rosenbrock::new(x.len()).unwrap(), &x);
    }

    #[test]
    fn beale_derivatives_are_right(x in point(2)) {
        agrees_with_automatic_derivatives(&Beale, &x);
    }

    #[test]
    fn himmelblau_derivatives_are_right(x in point(2)) {
        agrees_with_automatic_derivatives(&Himmelblau, &x);
    }

    #[test]
    fn booth_derivatives_are_right(x in point(2)) {
        agrees_with_automatic_derivatives(&Booth, &x);
    }

    #[test]
    fn log_sum_exp_derivatives_are_right(x in (1..=6usize).prop_flat_map(point)) {
        agrees_with_automatic_derivatives(&LogSumExp::new(x.len()).unwrap(), &x);
    }

    #[test]
    fn ill_conditioned_quadratic_derivatives_are_right(
        x in (2..=6usize).prop_flat_map(point),
        condition_number in 1.0..1e3f64,
    ) {
        let q = Quadratic::ill_conditioned(x.len(), condition_number).unwrap();
        agrees_with_automatic_derivatives(&q, &x);
    }

    #[test]
    fn the_article_function_derivatives_are_right(x in point(2)) {
        agrees_with_automatic_derivatives(&ArticleFunction, &x);
    }

    #[test]
    fn log_sum_exp_is_stable_far_from_the_origin(x in proptest::collection::vec(-1e3..1e3f64, 1..=6)) {
        // Without the max shift, e^1000 overflows. With it the value is finite, at least the
        // max and at most max + ln n; the gradient is a probability vector.
        let f = LogSumExp::new(x.len()).unwrap();
        let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let value = f.value(&x).unwrap();
        prop_assert!(value >= m && value <= m + (x.len() as f64).ln() + 1e-12);
        for g in [f.gradient(&x).unwrap(), gradient::reverse_gradient(&f, &x).unwrap()] {
            prop_assert!(g.iter().all(|p| (0.0..=1.0).contains(p)));
            assert_abs_diff_eq!(g.iter().sum::<f64>(), 1.0, epsilon = 8.0 * f64::EPSILON);
        }
    }
}

/// Every function's documented minimisers: value = documented minimum, gradient 0, Hessian
/// positive definite.
fn minimizers_are_minima<F: TestFunction>(f: &F) {
    let name = f.name();
    let minimizers = f.minimizers();
    assert!(!minimizers.is_empty(), "{name} documents a minimiser");
    for x in minimizers {
        // Exact minimisers give exactly 0; Himmelblau's are rounded to the nearest f64, off by
        // ~4e-16 in each coordinate, which leaves a gradient of order |H| · 4e-16 ≈ 4e-14 and
        // a value of order |H| · (4e-16)² ≈ 1e-29.
        let value = f.value(&x).unwrap();
        assert_abs_diff_eq!(value, f.minimum().unwrap(), epsilon = 1e-24);
        for g in f.gradient(&x).unwrap() {
            assert_abs_diff_eq!(g, 0.0, epsilon = 1e-12);
        }
        assert!(
            f.hessian(&x).unwrap().cholesky().is_some(),
            "{name}: the hessian at {x:?} must be positive definite"
        );
    }
}

#[test]
fn documented_minima_are_minima() {
    for n in 2..=6 {
        minimizers_are_minima(&Rosenbrock::new(n).unwrap());
        minimizers_are_minima(&Quadratic::ill_conditioned(n, 100.0).unwrap());
    }
    minimizers_are_minima(&Beale);
    minimizers_are_minima(&Himmelblau);
    minimizers_are_minima(&Booth);
    minimizers_are_minima(&ArticleFunction);
    let log_sum_exp = LogSumExp::new(3).unwrap();
    assert!(log_sum_exp.minimizers().is_empty() && log_sum_exp.minimum().is_none());
}

#[test]
fn a_general_quadratic_minimum_is_minus_s_inverse_b() {
    // A = [[2, 1], [0, 1]], so S = A + Aᵀ = [[4, 1], [1, 2]]; b = (1, -1), c = 3.
    // S⁻¹ = [[2, -1], [-1, 4]] / 7, x* = -S⁻¹ b = -(3, -5)/7 = (-3/7, 5/7),
    // f(x*) = c - ½ bᵀS⁻¹b (xᵀAx = ½ xᵀSx) = 3 - ½ (1·3 + (-1)(-5))/7 = 3 - 4/7 = 17/7.
    // Directly: xᵀAx = 2x² + xy + y² = (18 - 15 + 25)/49 = 4/7, bᵀx = -8/7, 4/7 - 8/7 + 3 = 17/7.
    let a = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 0.0, 1.0]);
    let q = Quadratic::new(a, nalgebra::DVector::from_vec(vec![1.0, -1.0]), 3.0).unwrap();
    let x = &q.minimizers()[0];
    assert_relative_eq!(x[0], -3.0 / 7.0, max_relative = 1e-14);
    assert_relative_eq!(x[1], 5.0 / 7.0, max_relative = 1e-14);
    assert_relative_eq!(q.minimum().unwrap(), 17.0 / 7.0, max_relative = 1e-14);
    // An indefinite S has no minimiser: A = diag(1, -1).
    let saddle = Quadratic::new(
        DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![1.0, -1.0])),
        nalgebra::DVector::zeros(2),
        0.0,
    )
    .unwrap();
    assert!(saddle.minimizers().is_empty() && saddle.minimum().is_none());
}

#[test]
fn the_ill_conditioned_quadratic_has_the_condition_number_asked_for() {
    for kappa in [1.0, 10.0, 1e4] {
        let q = Quadratic::ill_conditioned(5, kappa).unwrap();
        let eigenvalues = q.hessian(&[0.0; 5]).unwrap().symmetric_eigenvalues();
        let (lo, hi) = (eigenvalues.min(), eigenvalues.max());
        // λ_i = κ^(i/4): λ_min = 1 exactly, λ_max = κ up to the rounding of powf (a few ε).
        assert_relative_eq!(lo, 1.0, max_relative = 4.0 * f64::EPSILON);
        assert_relative_eq!(hi / lo, kappa, max_relative = 8.0 * f64::EPSILON);
    }
}

#[test]
fn golden_values_at_the_customary_starting_points() {
    // Rosenbrock at (-1.2, 1): f = 100(1 - 1.44)² + (1 + 1.2)² = 19.36 + 4.84 = 24.2;
    // ∂x = -400(-1.2)(1 - 1.44) - 2(2.2) = -211.2 - 4.4 = -215.6; ∂y = 200(1 - 1.44) = -88;
    // H = [[1200·1.44 - 400 + 2, 480], [480, 200]] = [[1330, 480], [480, 200]].
    let r = Rosenbrock::new(2).unwrap();
    let x = r.starting_point();
    assert_eq!(x, vec![-1.2, 1.0]);
    golden(
        &r,
        &x,
        24.2,
        &[-215.6, -88.0],
        &[1330.0, 480.0, 480.0, 200.0],
    );

    // Beale at (1, 1): t = (1.5, 2.25, 2.625), f = 2.25 + 5.0625 + 6.890625 = 14.203125;
    // ∂x = Σ 2 t_k (1 - 1) = 0; ∂y = 2(1.5·1 + 2.25·2 + 2.625·3) = 27.75;
    // ∂²x = 0; ∂x∂y = 2 Σ [k·0 + t_k k] = 2(1.5 + 4.5 + 7.875) = 27.75;
    // ∂²y = 2 Σ [k² + t_k k(k-1)] = 2(1 + 4 + 9 + 2.25·2 + 2.625·6) = 2·34.25 = 68.5.
    golden(
        &Beale,
        &[1.0, 1.0],
        14.203_125,
        &[0.0, 27.75],
        &[0.0, 27.75, 27.75, 68.5],
    );

    // Himmelblau at (0, 0): p = -11, q = -7, f = 121 + 49 = 170; ∇f = (2q, 2p) = (-14, -22);
    // H = [[4y - 42, 4(x + y)], [4(x + y), 4x - 26]] = [[-42, 0], [0, -26]].
    golden(
        &Himmelblau,
        &[0.0, 0.0],
        170.0,
        &[-14.0, -22.0],
        &[-42.0, 0.0, 0.0, -26.0],
    );

    // Booth at (0, 0): f = 49 + 25 = 74; ∇f = (-34, -38); H = [[10, 8], [8, 10]].
    golden(
        &Booth,
        &[0.0, 0.0],
        74.0,
        &[-34.0, -38.0],
        &[10.0, 8.0, 8.0, 10.0],
    );

    // Log-sum-exp of 4 variables at 0: f = ln 4, p = (1/4, ...), H = diag(1/4) - 1/16.
    let lse = LogSumExp::new(4).unwrap();
    let mut h = [-1.0 / 16.0; 16];
    for i in 0..4 {
        h[5 * i] = 0.25 - 1.0 / 16.0;
    }
    golden(&lse, &[0.0; 4], 4.0_f64.ln(), &[0.25; 4], &h);
}

/// Asserts value, gradient and Hessian (row-major) at `x`, to a few ε of the magnitudes
/// (every expected number above is exact in binary except 24.2, -215.6 and ln 4, which the
/// computation and the literal each round once).
fn golden<F: TestFunction>(f: &F, x: &[f64], value: f64, grad: &[f64], hessian: &[f64]) {
    let n = x.len();
    assert_relative_eq!(
        f.value(x).unwrap(),
        value,
        epsilon = 1e-15,
        max_relative = 8.0 * f64::EPSILON
    );
    for (g, expected) in f.gradient(x).unwrap().iter().zip(grad) {
        assert_relative_eq!(
            *g,
            *expected,
            epsilon = 1e-13,
            max_relative = 8.0 * f64::EPSILON
        );
    }
    let expected = DMatrix::from_row_slice(n, n, hessian);
    assert_relative_eq!(
        f.hessian(x).unwrap(),
        expected,
        epsilon = 1e-13,
        max_relative = 8.0 * f64::EPSILON
    );
}

#[test]
fn rosenbrock_hessian_is_tridiagonal() {
    let f = Rosenbrock::new(5).unwrap();
    let h = f.hessian(&[0.3, -0.7, 1.1, 0.2, -1.5]).unwrap();
    for i in 0..5_usize {
        for j in 0..5_usize {
            if i.abs_diff(j) > 1 {
                assert_abs_diff_eq!(h[(i, j)], 0.0);
            }
        }
    }
}
