//! The tape: accumulation for shared nodes, fresh gradients per backward call, constants.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use chain_rule::{Real, Tape, Var};

// Rounding only: each expected value is a few correctly rounded operations away from exact.
const EXACT_TOL: f64 = 1e-14;

#[test]
fn node_used_twice_accumulates_both_contributions() {
    // y = x · x: the node x feeds both factors, each contributing x, so dy/dx = 2x = 6 at x = 3.
    // Overwriting instead of adding would give 3.
    let tape = Tape::new();
    let x = tape.var(3.0);
    let y = x * x;
    assert_relative_eq!(y.backward().wrt(x), 6.0, max_relative = EXACT_TOL);
}

#[test]
fn backward_twice_does_not_double_count() {
    // y = sin(x) + x²: dy/dx = cos x + 2x. Two calls must give the same, not twice as much.
    let tape = Tape::new();
    let x = tape.var(0.5);
    let y = x.sin() + x.powi(2);
    let expected = 0.5_f64.cos() + 1.0;
    let first = y.backward().wrt(x);
    let second = y.backward().wrt(x);
    assert_relative_eq!(first, expected, max_relative = EXACT_TOL);
    assert_relative_eq!(second, expected, max_relative = EXACT_TOL);
}

#[test]
fn backward_on_another_output_is_independent() {
    // a = x y, b = x + y on one tape, at (x, y) = (2, 5):
    // da/dx = y = 5, da/dy = x = 2; db/dx = db/dy = 1, whatever order they are asked in.
    let tape = Tape::new();
    let x = tape.var(2.0);
    let y = tape.var(5.0);
    let a = x * y;
    let b = x + y;
    let grad_b = b.backward();
    let grad_a = a.backward();
    assert_relative_eq!(grad_a.wrt(x), 5.0, max_relative = EXACT_TOL);
    assert_relative_eq!(grad_a.wrt(y), 2.0, max_relative = EXACT_TOL);
    assert_relative_eq!(grad_b.wrt(x), 1.0, max_relative = EXACT_TOL);
    assert_relative_eq!(grad_b.wrt(y), 1.0, max_relative = EXACT_TOL);
}

#[test]
fn division_rule_on_hand_values() {
    // z = a / b at (a, b) = (3, 4): dz/da = 1/b = 0.25, dz/db = -a/b² = -3/16 = -0.1875.
    let tape = Tape::new();
    let a = tape.var(3.0);
    let b = tape.var(4.0);
    let grads = (a / b).backward();
    assert_relative_eq!(grads.wrt(a), 0.25, max_relative = EXACT_TOL);
    assert_relative_eq!(grads.wrt(b), -0.1875, max_relative = EXACT_TOL);
}

#[test]
fn constants_need_no_tape_and_have_zero_gradient() {
    // y = 3x + 1 with 3 and 1 made by from_f64: only x is on the tape, dy/dx = 3.
    let tape = Tape::new();
    let x = tape.var(2.0);
    let three = Var::from_f64(3.0);
    let y = three * x + Var::one();
    assert!(three.is_constant());
    assert_eq!(
        tape.len(),
        3,
        "x, 3x and 3x + 1; the constants are not recorded"
    );
    let grads = y.backward();
    assert_relative_eq!(grads.wrt(x), 3.0, max_relative = EXACT_TOL);
    assert_abs_diff_eq!(grads.wrt(three), 0.0);
    // A constant output has no inputs: every gradient is 0.
    assert_abs_diff_eq!((three * three).backward().wrt(x), 0.0);
}

#[test]
fn variable_created_after_output_has_zero_gradient() {
    let tape = Tape::new();
    let x = tape.var(1.0);
    let y = x.exp();
    let later = tape.var(7.0);
    assert_abs_diff_eq!(y.backward().wrt(later), 0.0);
}

#[test]
#[should_panic(expected = "two different tapes")]
fn mixing_tapes_is_a_documented_panic() {
    let first = Tape::new();
    let second = Tape::new();
    let _ = first.var(1.0) + second.var(2.0);
}
