//! The gradient checker itself: it passes right gradients, fails a gradient with one wrong
//! sign or one coordinate scaled by 1.01, draws the line at its threshold (3 t fails, t / 3
//! passes), handles zero coordinates, is deterministic, and checks thousands of parameters in
//! a few evaluations along random directions.

use chain_rule::Real;
use gradient::test_functions::{Rosenbrock, TestFunction};
use gradient::{CheckMode, GradientChecker, ScalarFunction, relative_error};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::CHECK_THRESHOLD;
use crate::expr::composition_and_point;

/// Directions drawn in the directional tests.
const DIRECTIONS: usize = 16;

fn checker() -> GradientChecker {
    GradientChecker::new(CHECK_THRESHOLD).unwrap()
}

/// The coordinate with the largest |g_i|, if the checker can resolve it (|g_i| above its
/// floor, and so not 0): only such a coordinate can be expected to expose a small error.
fn resolvable_largest(report: &gradient::GradientReport, g: &[f64]) -> Option<usize> {
    let i = (0..g.len()).max_by(|&p, &q| g[p].abs().total_cmp(&g[q].abs()))?;
    (g[i].abs() > report.comparisons()[i].floor).then_some(i)
}

proptest! {
    #[test]
    fn the_checker_fails_one_wrong_sign_and_one_coordinate_off_by_one_percent(
        (f, x) in composition_and_point(),
    ) {
        let eval = |v: &[f64]| f.eval(v);
        let right = gradient::reverse_gradient(&f, &x).unwrap();
        let checker = f.expr.hand(&x).checker(CHECK_THRESHOLD);
        let report = checker.check(eval, &x, &right).unwrap();
        prop_assert!(report.passed(), "{report}");
        // About 1 tree in 10 has no resolvable coordinate (a constant, or a gradient drowned in
        // its own rounding): only the pass above applies to it.
        let Some(i) = resolvable_largest(&report, &right) else {
            return Ok(());
        };

        // A wrong sign: |a - n| = 2|g_i| against a denominator |g_i| (≥ floor): error ≈ 2.
        let mut wrong_sign = right.clone();
        wrong_sign[i] = -wrong_sign[i];
        let report = checker.check(eval, &x, &wrong_sign).unwrap();
        prop_assert!(!report.passed());
        prop_assert_eq!(report.worst().index, i);
        prop_assert!(report.worst().relative_error > 1.9, "{report}");

        // Scaled by 1.01: |a - n| = 0.01|g_i| against 1.01|g_i|: error ≈ 0.0099.
        let mut scaled = right.clone();
        scaled[i] *= 1.01;
        let report = checker.check(eval, &x, &scaled).unwrap();
        prop_assert!(!report.passed());
        prop_assert_eq!(report.worst().index, i);
        prop_assert!((report.worst().relative_error - 0.01 / 1.01).abs() < 1e-4, "{report}");
        prop_assert_eq!(report.failures().count(), 1);

        // Along random directions both are caught too: the error 2 g_i u_i (or 0.01 g_i u_i)
        // is far above 1e-6 · |∇f · u| unless |u_i| < 3e-4 in all 16 directions, which for a
        // unit Gaussian direction in n ≤ 6 dimensions has probability below 1e-50.
        for claimed in [&wrong_sign, &scaled] {
            let report = checker.check_directions(eval, &x, claimed, DIRECTIONS, 3).unwrap();
            prop_assert!(!report.passed(), "{report}");
        }
        let report = checker.check_directions(eval, &x, &right, DIRECTIONS, 3).unwrap();
        prop_assert!(report.passed(), "{report}");
    }
}

#[test]
fn the_checker_fails_the_article_gradient_with_a_wrong_sign_and_passes_the_right_one() {
    let f = |v: &[f64]| 3.0 * v[0] * v[0] + 2.0 * v[0] * v[1] + v[1] * v[1];
    let x = [1.0, 2.0];
    let right = checker().check(f, &x, &[10.0, 6.0]).unwrap();
    assert!(right.passed(), "{right}");
    // f is quadratic, so the central difference is exact but for round-off:
    // |f| ≈ 11, ε|f|/h ≈ 2.2e-16 · 11 / 1.2e-5 ≈ 2e-10 absolute, 2e-11 relative to 10.
    assert!(right.max_relative_error() < 1e-9, "{right}");
    assert_eq!(right.evaluations(), 8);

    for (claimed, index) in [([-10.0, 6.0], 0), ([10.0, -6.0], 1), ([10.0, 6.06], 1)] {
        let report = checker().check(f, &x, &claimed).unwrap();
        assert!(!report.passed(), "{claimed:?} must fail");
        assert_eq!(report.worst().index, index);
        assert_eq!(report.failures().count(), 1);
    }
}

/// The threshold is the boundary itself: a claim off by three times the threshold fails and
/// one off by a third of it passes, in every coordinate, and `passed` agrees with `failures`.
/// (Every other failing claim in these tests is off by 1 % or more, 10⁴ times the threshold,
/// so a checker judging against 10 or 100 times its threshold would still fail them.)
#[test]
fn the_threshold_is_the_pass_fail_boundary() {
    let f = |v: &[f64]| 3.0 * v[0] * v[0] + 2.0 * v[0] * v[1] + v[1] * v[1];
    let x = [1.0, 2.0];
    let g = [10.0, 6.0];
    let t = CHECK_THRESHOLD;
    // The central difference of this quadratic is exact but for round-off, at most about
    // 2e-11 relative to g (previous test). A claim g (1 + k t) then has the relative error
    // k t / (1 + k t) within 2e-11; 1e-9 covers that 50 times over and is still 2600 times
    // below the gap between the errors at k = 1/3 and k = 3 (2.7e-6).
    let rounding = 1e-9;
    for (k, fails) in [(3.0, true), (1.0 / 3.0, false)] {
        let claimed = g.map(|g_i| g_i * (1.0 + k * t));
        let report = checker().check(f, &x, &claimed).unwrap();
        assert_eq!(report.passed(), !fails, "k = {k}: {report}");
        assert_eq!(report.passed(), report.failures().count() == 0);
        assert_eq!(
            report.failures().count(),
            if fails { 2 } else { 0 },
            "{report}"
        );
        for c in report.comparisons() {
            // The floor is far below |g_i|, so the error is relative to the claim.
            assert!(c.floor < g[c.index].abs(), "{report}");
            assert!(
                (c.relative_error - k * t / (1.0 + k * t)).abs() < rounding,
                "k = {k}: {report}"
            );
        }
    }
}

#[test]
fn zero_coordinates_are_judged_against_the_floor() {
    // At Rosenbrock's minimum (1, 1, 1) the gradient is exactly 0, but the central difference
    // returns truncation error: h² f'''/6 with f''' = 2400 x ≈ 2400 gives ≈ 1.5e-8 per
    // coordinate. Without a floor the relative error of the right answer, 0, would be 1.
    let f = Rosenbrock::new(3).unwrap();
    let x = [1.0; 3];
    let eval = |v: &[f64]| f.eval(v);
    let report = checker().check(eval, &x, &[0.0; 3]).unwrap();
    assert!(report.passed(), "{report}");
    // (The last coordinate enters only through 100(x_2 - x_1²)², even in x_2 - 1, so its
    // difference is exactly 0.)
    assert!(report.comparisons()[0].numeric.abs() > 1e-9, "{report}");
    for c in report.comparisons() {
        assert!(c.numeric.abs() < 1e-7, "{report}");
        assert!(
            c.uncertainty >= c.numeric.abs(),
            "the uncertainty must cover the truncation"
        );
    }
    // A claimed 1e-3 is far above what the difference can blur (its uncertainty is ~1e-7):
    // it fails.
    let report = checker().check(eval, &x, &[0.0, 1e-3, 0.0]).unwrap();
    assert!(!report.passed(), "{report}");
    assert_eq!(report.worst().index, 1);

    // Where f is constant in a coordinate, both values are exactly 0: error 0.
    let flat = |v: &[f64]| v[0] * v[0];
    let report = checker().check(flat, &[3.0, 5.0], &[6.0, 0.0]).unwrap();
    assert!(report.comparisons()[1].relative_error.abs() < f64::MIN_POSITIVE);
    assert!(report.passed(), "{report}");
}

#[test]
fn round_off_sets_the_floor_where_values_swamp_their_change() {
    // f(x) = 1e12 + x at x = 0 has slope 1, but one ulp of 1e12 is 2^-13 ≈ 1.2e-4 while the
    // default step is h ≈ ε^(1/3) ≈ 6.1e-6: f(±h) and f(±2h) all round to 1e12, so both
    // differences are exactly 0 and agree with each other. Only the round-off part of the
    // uncertainty, of order ε |f| / h ≈ 2.2e-16 · 1e12 / 6.1e-6 ≈ 36 (one ulp over 2h is
    // already ≈ 10), says that a slope of 1 is invisible here, so the right gradient passes.
    let f = |v: &[f64]| 1e12 + v[0];
    let report = checker().check(f, &[0.0], &[1.0]).unwrap();
    let c = report.comparisons()[0];
    assert!(c.numeric.abs() < f64::MIN_POSITIVE, "{report}");
    assert!(
        c.uncertainty > 1.0,
        "the round-off must cover the slope: {report}"
    );
    assert!(report.passed(), "{report}");
}

#[test]
fn relative_error_golden_values() {
    // |a - n| / max(|a|, |n|, floor).
    assert!((relative_error(-6.0, 6.0, 0.0) - 2.0).abs() < 1e-15);
    assert!((relative_error(1.01, 1.0, 0.0) - 0.01 / 1.01).abs() < 1e-15);
    assert!((relative_error(1.0, 1.01, 0.0) - 0.01 / 1.01).abs() < 1e-15);
    assert!(relative_error(0.0, 0.0, 0.0).abs() < f64::MIN_POSITIVE);
    assert!((relative_error(1e-12, 0.0, 1e-4) - 1e-8).abs() < 1e-22);
    // Above the floor, the floor is irrelevant.
    assert!((relative_error(2.0, 1.0, 1e-4) - 0.5).abs() < 1e-15);
}

#[test]
fn a_user_floor_loosens_tiny_coordinates_only() {
    // f = x² + 1e-6 y: ∂f/∂y = 1e-6. Claiming 1.1e-6 is a 9% error, which fails by default;
    // with a floor of 1 (gradient units) it is an absolute 1e-7 < threshold · 1 = 1e-6.
    let f = |v: &[f64]| v[0] * v[0] + 1e-6 * v[1];
    let x = [1.0, 1.0];
    assert!(!checker().check(f, &x, &[2.0, 1.1e-6]).unwrap().passed());
    let loose = checker().with_floor(1.0).unwrap();
    assert!(loose.check(f, &x, &[2.0, 1.1e-6]).unwrap().passed());
    // The large coordinate is still judged relatively: 2.0 vs 2.1 is 5% off.
    assert!(!loose.check(f, &x, &[2.1, 1e-6]).unwrap().passed());
}

#[test]
fn a_fixed_step_is_used_when_asked_for() {
    let f = |v: &[f64]| v[0].powi(3);
    let report = checker()
        .with_step(1e-3)
        .unwrap()
        .check(f, &[1.0], &[3.0])
        .unwrap();
    assert!((report.comparisons()[0].step - 1e-3).abs() < f64::MIN_POSITIVE);
    // D(h) = 3x² + h² exactly for x³: numeric = 3 + 1e-6, which the uncertainty estimate
    // |D(h) - D(2h)| = 3h² = 3e-6 covers, so the floor rises to 3 and the check passes.
    assert!((report.comparisons()[0].numeric - (3.0 + 1e-6)).abs() < 1e-12);
    assert!(report.passed(), "{report}");
}

#[test]
fn the_report_display_names_the_worst_coordinate_and_its_values() {
    let f = |v: &[f64]| 3.0 * v[0] * v[0] + 2.0 * v[0] * v[1] + v[1] * v[1];
    let report = checker().check(f, &[1.0, 2.0], &[10.0, -6.0]).unwrap();
    let text = report.to_string();
    assert!(
        text.starts_with("gradient check failed: 1 of 2 coordinates above threshold 1.0e-6"),
        "{text}"
    );
    assert!(
        text.contains("worst: coordinate 1 with relative error 2.00e0"),
        "{text}"
    );
    assert!(
        text.contains("claimed -6.000000000e0, numeric 6.000000000e0"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.trim_start().starts_with('1') && line.ends_with("fail")),
        "{text}"
    );

    let passing = checker()
        .check(f, &[1.0, 2.0], &[10.0, 6.0])
        .unwrap()
        .to_string();
    assert!(
        passing.starts_with("gradient check passed: 0 of 2 coordinates"),
        "{passing}"
    );
    assert!(!passing.contains("fail\n"), "{passing}");

    // A long report shows the 10 worst rows and says how many more there are.
    let many = |v: &[f64]| v.iter().map(|v_i| v_i * v_i).sum::<f64>();
    let x = vec![1.0; 25];
    let mut claimed = vec![2.0; 25];
    claimed[17] = 2.5;
    let text = checker().check(many, &x, &claimed).unwrap().to_string();
    assert!(
        text.contains("15 more coordinates with smaller errors"),
        "{text}"
    );
    let first_row = text.lines().nth(3).unwrap();
    assert!(
        first_row.trim_start().starts_with("17"),
        "worst row first:\n{text}"
    );
}

#[test]
fn the_same_seed_gives_the_same_directions() {
    let f = Rosenbrock::new(6).unwrap();
    let x = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
    let g = f.gradient(&x).unwrap();
    let eval = |v: &[f64]| f.eval(v);
    let first = checker().check_directions(eval, &x, &g, 5, 42).unwrap();
    let again = checker().check_directions(eval, &x, &g, 5, 42).unwrap();
    let other = checker().check_directions(eval, &x, &g, 5, 43).unwrap();
    assert_eq!(first, again);
    assert_ne!(
        first.comparisons()[0].claimed.to_bits(),
        other.comparisons()[0].claimed.to_bits()
    );
    assert_eq!(first.mode(), CheckMode::Directions { seed: 42 });
    assert!(first.passed(), "{first}");
    assert_eq!(first.evaluations(), 20);
}

/// A model with thousands of parameters: a one-layer network's squared error
/// L(w) = Σ_k (tanh(Σ_j w_j a_kj) - y_k)² over 8 fixed samples, as a generic function.
struct Network {
    inputs: Vec<Vec<f64>>,
    targets: Vec<f64>,
}

impl Network {
    fn loss<T: Real>(&self, w: &[T]) -> T {
        let mut total = T::zero();
        for (a, &y) in self.inputs.iter().zip(&self.targets) {
            let mut z = T::zero();
            for (&w_j, &a_j) in w.iter().zip(a) {
                z += w_j * T::from_f64(a_j);
            }
            let residual = z.tanh() - T::from_f64(y);
            total += residual * residual;
        }
        total
    }
}

#[test]
fn thousands_of_parameters_are_checked_in_a_few_evaluations() {
    const N_PARAMETERS: usize = 5000;
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let network = Network {
        inputs: (0..8)
            .map(|_| {
                (0..N_PARAMETERS)
                    .map(|_| rng.random_range(-1.0..1.0))
                    .collect()
            })
            .collect(),
        targets: (0..8).map(|_| rng.random_range(-0.5..0.5)).collect(),
    };
    // Small weights keep tanh away from saturation: z has standard deviation ≈ 0.01·√(5000/3).
    let w: Vec<f64> = (0..N_PARAMETERS)
        .map(|_| rng.random_range(-0.01..0.01))
        .collect();
    let tape = chain_rule::Tape::new();
    let vars = tape.vars(&w);
    let grad = network.loss(&vars).backward().wrt_all(&vars);
    let loss = |v: &[f64]| network.loss(v);

    let report = checker().check_directions(loss, &w, &grad, 8, 1).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(report.evaluations(), 32);

    // One wrong sign among 5000 coordinates (the largest), or that coordinate 1% off: the
    // error g_i u_i with |u_i| ≈ 1/√5000 is still ~1e-4 of ∇f·u, far above the threshold.
    let i = (0..N_PARAMETERS)
        .max_by(|&p, &q| grad[p].abs().total_cmp(&grad[q].abs()))
        .unwrap();
    for factor in [-1.0, 1.01] {
        let mut wrong = grad.clone();
        wrong[i] *= factor;
        let report = checker().check_directions(loss, &w, &wrong, 8, 1).unwrap();
        assert!(
            !report.passed(),
            "factor {factor} on coordinate {i}:\n{report}"
        );
    }
}

/// The boundaries themselves, on a function whose central difference is exact: with the step
/// a power of two, f(x, y) = 2x + 2y at 0 gives f(±h) = ±2h exactly and D(h) = D(2h) = 2
/// exactly, so a claim of 4 has the relative error |4 - 2| / 4 = 0.5 exactly, equal to the
/// threshold 0.5. An error equal to the threshold passes (`<=`), is not a failure, is not
/// marked in the table, and on a tie the first coordinate is the worst.
#[test]
fn an_error_equal_to_the_threshold_passes_and_a_tie_names_the_first_coordinate() {
    let threshold = 0.5;
    let checker = GradientChecker::new(threshold)
        .unwrap()
        .with_step(0.25)
        .unwrap();
    assert_eq!(checker.threshold().to_bits(), threshold.to_bits());
    let f = |v: &[f64]| 2.0 * v[0] + 2.0 * v[1];
    let report = checker.check(f, &[0.0, 0.0], &[4.0, 4.0]).unwrap();
    assert_eq!(report.threshold().to_bits(), threshold.to_bits());
    for c in report.comparisons() {
        assert_eq!(c.numeric.to_bits(), 2.0_f64.to_bits(), "{report}");
        // The floor is 16 ε max|f| / h / threshold = 16 ε · 0.5 / 0.25 / 0.5 = 64 ε, far
        // below |a| = 4, so the error is the exact quotient 2 / 4.
        assert_eq!(c.relative_error.to_bits(), threshold.to_bits(), "{report}");
    }
    assert!(report.passed(), "{report}");
    assert_eq!(report.failures().count(), 0);
    assert_eq!(report.worst().index, 0, "a tie names the first: {report}");
    assert_eq!(report.max_relative_error().to_bits(), threshold.to_bits());
    let text = report.to_string();
    assert!(text.starts_with("gradient check passed: 0 of 2"), "{text}");
    assert!(!text.contains("fail\n"), "{text}");

    // Above the threshold on the second coordinate only (|5 - 2| / 5 = 0.6): it alone fails,
    // and it is the worst.
    let report = checker.check(f, &[0.0, 0.0], &[4.0, 5.0]).unwrap();
    assert!(
        report.comparisons()[1].relative_error > threshold,
        "{report}"
    );
    assert!(!report.passed(), "{report}");
    assert_eq!(report.failures().map(|c| c.index).collect::<Vec<_>>(), [1]);
    assert_eq!(report.worst().index, 1, "{report}");
    assert!(report.max_relative_error() > threshold);
}

/// The table holds at most 10 rows: a report of exactly 10 coordinates shows them all and
/// no "more" line; one of 11 says there is 1 more.
#[test]
fn the_report_table_says_how_many_rows_it_left_out() {
    let f = |v: &[f64]| v.iter().map(|v_i| v_i * v_i).sum::<f64>();
    for (n, more) in [
        (10, None),
        (11, Some("1 more coordinates with smaller errors")),
    ] {
        let text = checker()
            .check(f, &vec![1.0; n], &vec![2.0; n])
            .unwrap()
            .to_string();
        // Three header lines (verdict, worst, column names), then the rows.
        assert_eq!(
            text.lines().count(),
            3 + 10 + usize::from(more.is_some()),
            "{text}"
        );
        match more {
            Some(line) => assert!(text.contains(line), "{text}"),
            None => assert!(!text.contains("more"), "{text}"),
        }
    }
}

/// The directions are unit vectors. Claiming the gradient e_i makes each comparison's claimed
/// value a · u = u_i exactly (every other product is 0), so n checks with one seed read off
/// every direction's coordinates. Normalising rounds each u_i by half an ulp and the norm by
/// about (n/2 + 1) ε (n squares summed, one square root halving the relative error); the
/// test's own sum of squares adds n ε more. So |Σ u_i² - 1| ≤ 2(n/2 + 1) ε + ε + n ε
/// = (2n + 3) ε to first order, which a direction left unnormalised (length ≈ √n) misses by
/// orders of magnitude.
#[test]
fn the_random_directions_have_unit_length() {
    const N: usize = 5;
    const COUNT: usize = 6;
    let flat = |_: &[f64]| 0.0;
    let x = [0.0; N];
    let mut u = [[0.0; N]; COUNT];
    for i in 0..N {
        let mut e_i = [0.0; N];
        e_i[i] = 1.0;
        let report = checker()
            .check_directions(flat, &x, &e_i, COUNT, 11)
            .unwrap();
        for (k, c) in report.comparisons().iter().enumerate() {
            u[k][i] = c.claimed;
        }
    }
    #[allow(clippy::cast_precision_loss)] // N is 5
    let tolerance = (2.0 * N as f64 + 3.0) * f64::EPSILON;
    for (k, u_k) in u.iter().enumerate() {
        let length_squared: f64 = u_k.iter().map(|u_i| u_i * u_i).sum();
        assert!(
            (length_squared - 1.0).abs() <= tolerance,
            "direction {k} = {u_k:?} has squared length {length_squared}"
        );
    }
    // And they are different directions, not one drawn again.
    for k in 1..COUNT {
        assert_ne!(
            u[k].map(f64::to_bits),
            u[0].map(f64::to_bits),
            "direction {k} repeats direction 0"
        );
    }
}
