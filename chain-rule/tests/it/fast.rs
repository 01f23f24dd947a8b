//! The fast `f32` tanh and sigmoid against `elementary`'s functions in `f64`: error bounds over
//! dense grids, the edges (0, tiny inputs, the clamp, large inputs, infinities, NaN), and the
//! derivatives a backward pass computes from their values.
//!
//! Errors are measured in units of `f32::EPSILON` (eps = 2^-23), relative to the true value
//! or, where a function is designed for absolute accuracy, to a floor.
//! The `f64` references are 2^29 times finer, so their own rounding does not count.

use chain_rule::elementary::{self, sigmoid_derivative_from_output, tanh_derivative_from_output};
use chain_rule::fast::{sigmoid_f32, tanh_f32};

const EPS32: f64 = f32::EPSILON as f64;

/// The clamp of `chain_rule::fast`, as documented: from here on the result is exactly ±1.
const CLAMP: f32 = 7.905_311;

/// Below this `chain_rule::fast::tanh_f32` returns its input, as documented.
const TINY: f32 = 0.000_4;

/// Relative error of `tanh_f32`, in units of eps.
///
/// The rational form uses only correctly rounded `+`, `*` and `/` on fixed constants, so each
/// input gives the same `f32` on every machine: a scan of every input is a proof, not a
/// sample. Every positive `f32` up to 9 was evaluated once against `f64::tanh` (a scratch
/// program outside the repository, about a minute in release mode). The largest error was
/// 3.92 eps, at x = 5.952199. Below `TINY`, where x itself is returned, the error is the
/// neglected x^2/3 <= 0.0004^2/3 = 0.45 eps, as `fast.rs` derives; beyond 9 the result is
/// exactly 1 and 1 - tanh x < 2e^-18, under 0.2 eps. Negative inputs give the negated results
/// (tested below), so 4 eps holds for every `f32`. The tests below also scan every `f32`
/// around the worst input.
const TANH_EPS: f64 = 4.0;

/// Error of `sigmoid_f32` in units of eps * max(sigma, 1/2), derived from `TANH_EPS`.
///
/// sigma = 1/2 + t/2 with t = `tanh_f32(x/2)`: halving is exact, so the error of t (at most
/// `TANH_EPS` eps |t| <= `TANH_EPS` eps) contributes at most `TANH_EPS` eps / 2, which is at
/// most `TANH_EPS` eps * max(sigma, 1/2); the rounding of the sum adds half an ulp of sigma,
/// at most eps/2 * max(sigma, 1/2). The floor 1/2 is the size of the terms summed: where sigma
/// is tiny the sum cancels and only absolute accuracy is left. (The same scan over every
/// `f32` in [-40, 40] measured 3.92.)
const SIGMOID_EPS: f64 = TANH_EPS + 0.5;

/// Absolute error of 1 - a^2 with a = `tanh_f32(x)`, in units of eps.
///
/// An error da <= `TANH_EPS` eps |a| gives a^2 an error of at most 2 |a| da plus half an ulp,
/// together (2 `TANH_EPS` + 1/2) eps a^2; the subtraction is exact for a^2 >= 1/2 (Sterbenz)
/// and otherwise rounds by half an ulp of the result, at most eps/2. With a^2 <= 1, 2
/// `TANH_EPS` + 1 covers both (the scan measured 7.85).
const TANH_DERIVATIVE_EPS: f64 = 2.0 * TANH_EPS + 1.0;

/// Absolute error of a (1 - a) with a = `sigmoid_f32(x)`, in units of eps.
///
/// a is off by at most `SIGMOID_EPS` eps (as a <= 1), which moves a (1 - a) by |1 - 2a| <= 1
/// times that; 1 - a and the product each round by half an ulp of the result or less,
/// eps a (1 - a) <= eps/4 together (the scan measured 2.08).
const SIGMOID_DERIVATIVE_EPS: f64 = SIGMOID_EPS + 0.25;

/// A dense grid over [-20, 20] (steps of 1/1024, exact in `f32`), reaching past both clamps
/// (7.9 for tanh, 15.8 for the sigmoid); every `f32` next to `TINY` and next to both clamps;
/// tiny values down to the subnormals; and the far tails.
fn grid() -> Vec<f32> {
    let mut xs: Vec<f32> = (-20 * 1024..=20 * 1024)
        .map(|i| i as f32 / 1024.0)
        .collect();
    for edge in [TINY, CLAMP, 2.0 * CLAMP] {
        for offset in 0..64 {
            let above = f32::from_bits(edge.to_bits() + offset);
            let below = f32::from_bits(edge.to_bits() - offset);
            xs.extend([above, below, -above, -below]);
        }
    }
    for e in 1..=40 {
        let tiny = 2.0_f32.powi(-e);
        xs.extend([tiny, -tiny, 3.0 * tiny, -3.0 * tiny]);
    }
    xs.extend([f32::MIN_POSITIVE, f32::from_bits(1), -f32::from_bits(1)]);
    xs.extend([50.0, -50.0, 1e4, -1e4, f32::MAX, f32::MIN]);
    xs
}

/// Every `f32` in `[low, high]` (both positive).
fn every_f32_between(low: f32, high: f32) -> impl Iterator<Item = f32> {
    (low.to_bits()..=high.to_bits()).map(f32::from_bits)
}

/// `|found - expected|` in units of `f32::EPSILON · max(|expected|, floor)`: relative error for
/// values of normal size, absolute error (in units of `floor`) near 0.
fn error_in_eps(found: f32, expected: f64, floor: f64) -> f64 {
    (f64::from(found) - expected).abs() / (EPS32 * expected.abs().max(floor))
}

/// The largest error over `xs` and where it occurs.
fn worst(xs: impl Iterator<Item = f32>, error: impl Fn(f32) -> f64) -> (f64, f32) {
    xs.map(|x| (error(x), x))
        .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a })
}

#[test]
fn tanh_f32_is_within_a_few_eps_of_tanh() {
    // Relative everywhere: the floor 1e-30 is below every non-zero value on the grid but the
    // subnormal ones, which are returned exactly.
    let error = |x: f32| error_in_eps(tanh_f32(x), elementary::tanh(f64::from(x)), 1e-30);
    // Around the worst input the scan found, every f32: 5.9 to 6.0 is about 200 000 of them.
    let around_worst = every_f32_between(5.9, 6.0);
    for (name, (e, x)) in [
        ("grid", worst(grid().into_iter(), error)),
        ("around 5.95", worst(around_worst, error)),
    ] {
        assert!(e <= TANH_EPS, "{name}: worst error {e} eps at x = {x}");
    }
}

#[test]
fn sigmoid_f32_is_within_a_few_eps_of_one_half_of_sigmoid() {
    let error = |x: f32| error_in_eps(sigmoid_f32(x), elementary::sigmoid(f64::from(x)), 0.5);
    // The sigmoid's worst input is twice tanh's, on the side where sigma is small.
    let around_worst = every_f32_between(11.8, 12.0).map(|x| -x);
    for (name, (e, x)) in [
        ("grid", worst(grid().into_iter(), error)),
        ("around -11.9", worst(around_worst, error)),
    ] {
        assert!(e <= SIGMOID_EPS, "{name}: worst error {e} eps at x = {x}");
    }
}

#[test]
fn tanh_f32_edges() {
    // 0 and -0 keep their sign; below TINY the input itself is returned, subnormals included.
    let below_tiny = f32::from_bits(TINY.to_bits() - 1);
    for x in [
        0.0,
        f32::from_bits(1),
        f32::MIN_POSITIVE,
        1e-20,
        1e-5,
        below_tiny,
    ] {
        assert_eq!(tanh_f32(x).to_bits(), x.to_bits(), "tanh_f32({x})");
        assert_eq!(tanh_f32(-x).to_bits(), (-x).to_bits(), "tanh_f32({})", -x);
    }
    // From the clamp on, and at infinity, exactly ±1.
    for x in [CLAMP, 8.0, 50.0, 1e4, f32::MAX, f32::INFINITY] {
        assert_eq!(tanh_f32(x).to_bits(), 1.0_f32.to_bits(), "tanh_f32({x})");
        assert_eq!(
            tanh_f32(-x).to_bits(),
            (-1.0_f32).to_bits(),
            "tanh_f32({})",
            -x
        );
    }
    assert!(tanh_f32(f32::NAN).is_nan());
    assert!(tanh_f32(-f32::NAN).is_nan());
    // Odd to the bit, and never above 1 in magnitude (so 1 - a² is never negative).
    for x in grid() {
        let a = tanh_f32(x);
        assert_eq!(tanh_f32(-x).to_bits(), (-a).to_bits(), "tanh_f32(-{x})");
        assert!(a.abs() <= 1.0, "tanh_f32({x}) = {a}");
    }
}

#[test]
fn sigmoid_f32_edges() {
    // sigma(0) = 1/2 + tanh(0)/2 = 1/2 exactly; from ±2 CLAMP on, tanh(x/2) is exactly ±1, so
    // sigma is exactly 1 or 0 (the true sigma(-15.8) = 1.4e-7 is lost: absolute accuracy).
    assert_eq!(sigmoid_f32(0.0).to_bits(), 0.5_f32.to_bits());
    for x in [2.0 * CLAMP, 20.0, 1e4, f32::MAX, f32::INFINITY] {
        assert_eq!(
            sigmoid_f32(x).to_bits(),
            1.0_f32.to_bits(),
            "sigmoid_f32({x})"
        );
        assert_eq!(
            sigmoid_f32(-x).to_bits(),
            0.0_f32.to_bits(),
            "sigmoid_f32({})",
            -x
        );
    }
    assert!(sigmoid_f32(f32::NAN).is_nan());
    for x in grid() {
        let s = sigmoid_f32(x);
        assert!((0.0..=1.0).contains(&s), "sigmoid_f32({x}) = {s}");
    }
}

#[test]
fn derivatives_from_fast_outputs_are_within_a_few_eps_of_one() {
    // The backward pass of an f32 network: 1 - a² and a(1 - a) from the stored fast outputs,
    // against the x-form derivatives in f64. Absolute error (floor 1): the derivatives are at
    // most 1, and in the tails the output forms cancel (see their docs).
    let xs = grid();
    let tanh_error = |x: f32| {
        let d = tanh_derivative_from_output(tanh_f32(x));
        error_in_eps(d, elementary::tanh_derivative(f64::from(x)), 1.0)
    };
    let (e, x) = worst(xs.iter().copied(), tanh_error);
    assert!(e <= TANH_DERIVATIVE_EPS, "tanh': worst {e} eps at x = {x}");
    let (e, x) = worst(every_f32_between(5.9, 6.0), tanh_error);
    assert!(
        e <= TANH_DERIVATIVE_EPS,
        "tanh' near 5.95: {e} eps at x = {x}"
    );
    let sigmoid_error = |x: f32| {
        let d = sigmoid_derivative_from_output(sigmoid_f32(x));
        error_in_eps(d, elementary::sigmoid_derivative(f64::from(x)), 1.0)
    };
    let (e, x) = worst(xs.iter().copied(), sigmoid_error);
    assert!(
        e <= SIGMOID_DERIVATIVE_EPS,
        "sigmoid': worst {e} eps at x = {x}"
    );
}
