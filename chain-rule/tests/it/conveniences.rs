//! The smaller pieces of the public API that the derivative tests pass through without
//! looking at: the tape's bookkeeping, how a `Var` and a `Dual` compare and print, `x^n` at
//! `n = i32::MIN`, and a one-function chain's printed steps. A mutation run
//! (`cargo mutants -p chain-rule`) found that no other test noticed each of them changed.

use chain_rule::composition::Chain;
use chain_rule::elementary::Elementary;
use chain_rule::{Dual, Error, Real, Tape, Var};

#[test]
fn the_tape_counts_clears_and_records_several_variables_in_order() {
    let mut tape = Tape::with_capacity(8);
    assert!(tape.is_empty());
    assert_eq!(tape.len(), 0);
    {
        let xs = tape.vars(&[1.5, -2.0, 4.0]);
        assert_eq!(
            xs.iter().map(|x| x.value()).collect::<Vec<_>>(),
            [1.5, -2.0, 4.0]
        );
        assert!(!tape.is_empty());
        // y = x0 x1 + x2: dy/dx = (x1, x0, 1) = (-2, 1.5, 1), exact in binary.
        let y = xs[0] * xs[1] + xs[2];
        assert_eq!(tape.len(), 5, "three variables and two operations");
        assert_eq!(y.backward().wrt_all(&xs), [-2.0, 1.5, 1.0]);
    }
    tape.clear();
    assert!(tape.is_empty());
    assert_eq!(tape.len(), 0);
}

#[test]
fn constants_sit_on_no_tape() {
    let tape = Tape::new();
    let x = tape.var(2.0);
    let c = Var::from_f64(3.0);
    assert!(c.is_constant());
    assert!((c * c).is_constant(), "constants make constants");
    assert!(!x.is_constant());
    assert!(!(x * c).is_constant(), "a variable makes a variable");
    assert_eq!((x * c).to_f64().to_bits(), 6.0_f64.to_bits());
}

#[test]
fn vars_and_duals_compare_and_print_their_values() {
    let tape = Tape::new();
    let x = tape.var(2.0);
    // Equality is by value, whatever the tape position or derivative.
    assert!(x == Var::from_f64(2.0));
    assert!(x != tape.var(2.5));
    assert_eq!(format!("{x:?}"), "Var { value: 2.0, index: 0 }");
    assert_eq!(
        format!("{:?}", Var::from_f64(2.0)),
        "Var { value: 2.0, constant }"
    );
    assert_eq!(format!("{:.3}", tape.var(std::f64::consts::PI)), "3.142");

    assert!(Dual::new(1.0, 2.0) == Dual::new(1.0, -7.0));
    assert!(Dual::new(1.0, 2.0) != Dual::new(1.5, 2.0));
    assert_eq!(format!("{:.1}", Dual::new(3.0, 0.25)), "3.0 + 0.2ε");
    assert_eq!(format!("{}", Dual::new(-1.5, 2.0)), "-1.5 + 2ε");
}

/// $d/dx\, x^n = n x^{n-1}$ at $n = $ `i32::MIN`, where $n - 1$ does not fit in an `i32`.
///
/// At $x = 1 + 2^{-33}$, $x^{n-1} = e^{(n-1) \ln x}$ is about $e^{-0.25}$; the reference
/// below rounds `ln_1p`, the product and `exp` once each (within an ulp each; the product's
/// relative error carries through `exp` times the argument, 0.25) and the derivative's
/// `powf` to within an ulp or two, so the two agree to about 8 epsilon; 1e-13 leaves room.
/// $x^{n+1}$ instead (the sign of the 1 flipped) is $x^2 \approx 1 + 2^{-32}$ times smaller,
/// a relative change of 2.3e-10.
#[test]
fn the_power_rule_holds_at_the_smallest_exponent() {
    const TOL: f64 = 1e-13;
    let n = i32::MIN;
    let x = 1.0 + 2.0_f64.powi(-33);
    let expected = f64::from(n) * ((f64::from(n) - 1.0) * 2.0_f64.powi(-33).ln_1p()).exp();
    let dual = Dual::variable(x).powi(n).derivative;
    assert!(
        ((dual - expected) / expected).abs() < TOL,
        "dual {dual} vs {expected}"
    );
    let tape = Tape::new();
    let v = tape.var(x);
    let reverse = v.powi(n).backward().wrt(v);
    assert!(
        ((reverse - expected) / expected).abs() < TOL,
        "tape {reverse} vs {expected}"
    );
}

#[test]
fn a_chain_of_one_function_has_nothing_to_replace() {
    let chain = Chain::new(vec![Elementary::Sin]).unwrap();
    assert_eq!(chain.len(), 1);
    assert!(!chain.is_empty());
    let printed = chain.derive(0.0).unwrap().to_string();
    assert!(!printed.contains("replace"), "{printed}");
}

#[test]
fn an_overflowing_product_of_factors_reports_the_product() {
    // At x = 0 every value is 0 and each factor 1e200 is finite; their product, 1e400, is not
    // (a sum would be 2e200).
    let steep = Chain::new(vec![
        Elementary::Affine { a: 1e200, b: 0.0 },
        Elementary::Affine { a: 1e200, b: 0.0 },
    ])
    .unwrap();
    match steep.derive(0.0) {
        Err(Error::ChainOverflow {
            function: "the product of the local factors",
            input,
            value,
        }) => {
            assert_eq!(input.to_bits(), 0.0_f64.to_bits());
            assert_eq!(value.to_bits(), f64::INFINITY.to_bits());
        }
        other => panic!("expected the product to overflow, got {other:?}"),
    }
}

/// Where a derivative needs a convention, the tape takes the one forward mode takes: $|x|$
/// has slope 0 at 0 (the middle of its subgradients $[-1, 1]$), and $x^0 = 1$ has slope 0
/// everywhere, also at 0, where the power rule's $0 \cdot 0^{-1}$ would be NaN.
#[test]
fn the_tape_takes_forward_modes_conventions_at_zero() {
    let tape = Tape::new();
    let zero = tape.var(0.0);
    for (name, y, forward) in [
        ("abs", zero.abs(), Dual::variable(0.0_f64).abs().derivative),
        (
            "x^0",
            zero.powi(0),
            Dual::variable(0.0_f64).powi(0).derivative,
        ),
    ] {
        let reverse = y.backward().wrt(zero);
        assert_eq!(
            reverse.to_bits(),
            0.0_f64.to_bits(),
            "{name}'(0) on the tape"
        );
        assert_eq!(forward.to_bits(), 0.0_f64.to_bits(), "{name}'(0) by duals");
    }
}
