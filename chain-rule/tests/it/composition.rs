//! Chains of n functions: the product of local factors against duals, the tape and central
//! differences; every exposed intermediate checked; the printed steps pinned.

use approx::assert_relative_eq;
use chain_rule::composition::Chain;
use chain_rule::elementary::Elementary;
use chain_rule::finite_difference::Scheme;
use proptest::prelude::*;

use crate::expression::{Expr, elementary};
use crate::support::{EPS, central_tolerance, dual_derivative, tape_derivative, third_derivative};

/// See `AUTODIFF_ULPS_PER_NODE` in `expression.rs`: the same bound for a chain of n links.
const AUTODIFF_ULPS_PER_NODE: f64 = 16.0;

/// The chain as an expression tree (a unary spine), to reuse its admissibility check and
/// rounding-error bounds.
fn as_expr(chain: &Chain) -> Expr {
    chain
        .functions()
        .iter()
        .fold(Expr::X, |inner, f| Expr::Unary(*f, Box::new(inner)))
}

fn admissible_chain() -> impl Strategy<Value = (Chain, f64)> {
    (prop::collection::vec(elementary(), 1..=8), -3.0..3.0_f64).prop_filter_map(
        "an inner value is near a kink or an edge",
        |(functions, x)| {
            let chain = Chain::new(functions).ok()?;
            as_expr(&chain).analyse(x, Scheme::Central.step(x))?;
            Some((chain, x))
        },
    )
}

proptest! {
    #[test]
    fn product_of_local_factors_matches_duals_tape_and_differences((chain, x) in admissible_chain()) {
        let steps = chain.derive(x).unwrap();
        let analysis = as_expr(&chain).analyse(x, Scheme::Central.step(x)).unwrap();
        let by_hand = steps.derivative();

        let tolerance = AUTODIFF_ULPS_PER_NODE * analysis.nodes as f64 * EPS * analysis.magnitude;
        let by_duals = dual_derivative(&chain, x).unwrap();
        let by_tape = tape_derivative(&chain, x).unwrap();
        prop_assert!((by_duals - by_hand).abs() <= tolerance, "{chain:?} at {x}: {by_hand} vs duals {by_duals}");
        prop_assert!((by_tape - by_hand).abs() <= tolerance, "{chain:?} at {x}: {by_hand} vs tape {by_tape}");

        let h = Scheme::Central.step(x);
        let numeric = chain_rule::finite_difference::central(|t| chain.eval(t).unwrap_or(f64::NAN), x, h).unwrap();
        let third = third_derivative(&chain, x).unwrap();
        let tolerance = central_tolerance(third, 2.0 * analysis.value_error, h, x, by_hand);
        prop_assert!((numeric - by_hand).abs() <= tolerance, "{chain:?} at {x}: {by_hand} vs central {numeric}");
    }

    #[test]
    fn every_intermediate_is_exposed_and_consistent((chain, x) in admissible_chain()) {
        let steps = chain.derive(x).unwrap();
        let n = chain.len();
        prop_assert_eq!(steps.inner_values().len(), n + 1);
        prop_assert_eq!(steps.local_factors().len(), n);
        // u_0 = x, u_k = f_k(u_(k-1)), and factor k = f_k'(u_(k-1)): recomputed independently,
        // the same operations give the same bits.
        let mut u = x;
        for (k, f) in chain.functions().iter().enumerate() {
            prop_assert_eq!(steps.inner_values()[k].to_bits(), u.to_bits());
            prop_assert_eq!(steps.local_factors()[k].to_bits(), f.derivative(u).unwrap().to_bits());
            u = f.eval(u).unwrap();
        }
        prop_assert_eq!(steps.output().to_bits(), u.to_bits());
        prop_assert_eq!(steps.output().to_bits(), chain.eval(x).unwrap().to_bits());
        // The derivative is the product of the factors (in the same order: same bits), and the
        // generic `Chain::derivative` computes the same product.
        let product: f64 = steps.local_factors().iter().product();
        prop_assert_eq!(steps.derivative().to_bits(), product.to_bits());
        prop_assert_eq!(chain.derivative(x).unwrap().to_bits(), product.to_bits());
    }
}

#[test]
fn two_level_golden() {
    // y = u², u = 3x + 1 at x = 2: u = 7, y = 49; du/dx = 3, dy/du = 2u = 14; dy/dx = 42.
    let chain = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
    ])
    .unwrap();
    let steps = chain.derive(2.0).unwrap();
    assert_relative_eq!(steps.inner_values(), &[2.0, 7.0, 49.0][..]);
    assert_relative_eq!(steps.local_factors(), &[3.0, 14.0][..]);
    assert_relative_eq!(steps.derivative(), 42.0);
    assert_eq!(chain.formula(), "(3x + 1)^2");
}

#[test]
fn three_level_golden() {
    // y = sin(u), u = v², v = 3x + 1 at x = 0: v = 1, u = 1, y = sin 1;
    // dv/dx = 3, du/dv = 2v = 2, dy/du = cos u = cos 1; dy/dx = 6 cos 1 ≈ 3.2418138352.
    let chain = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
        Elementary::Sin,
    ])
    .unwrap();
    let steps = chain.derive(0.0).unwrap();
    assert_relative_eq!(steps.output(), 1.0_f64.sin(), max_relative = EPS);
    assert_relative_eq!(steps.local_factors()[2], 1.0_f64.cos(), max_relative = EPS);
    assert_relative_eq!(
        steps.derivative(),
        6.0 * 1.0_f64.cos(),
        max_relative = 2.0 * EPS
    );
    assert_eq!(chain.variable_names(), ["x", "v", "u", "y"]);
}

#[test]
fn printed_steps_follow_the_article() {
    let chain = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
    ])
    .unwrap();
    let printed = chain.derive(2.0).unwrap().to_string();
    let expected = "\
y = u^2, u = 3x + 1
step 1: find du/dx = 3
step 2: find dy/du = 2u
step 3: apply the chain rule: dy/dx = dy/du · du/dx
step 4: plug in what we found: dy/dx = 2u · 3
step 5: replace u with its function of x: dy/dx = 2(3x + 1) · 3
at x = 2: u = 7, y = 49
  du/dx = 3, dy/du = 14
  dy/dx = 14 · 3 = 42";
    assert_eq!(printed, expected);
}

#[test]
fn three_level_steps_substitute_every_inner_variable() {
    let chain = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
        Elementary::Sin,
    ])
    .unwrap();
    let printed = format!("{:.3}", chain.derive(0.0).unwrap());
    assert!(
        printed.starts_with("y = sin(u), u = v^2, v = 3x + 1\n"),
        "{printed}"
    );
    assert!(
        printed.contains("step 4: apply the chain rule: dy/dx = dy/du · du/dv · dv/dx"),
        "{printed}"
    );
    assert!(
        printed.contains("dy/dx = cos((3x + 1)^2) · 2(3x + 1) · 3"),
        "{printed}"
    );
    assert!(
        printed.ends_with("dy/dx = 0.540 · 2.000 · 3.000 = 3.242"),
        "{printed}"
    );
}

#[test]
fn long_chains_name_inner_values_by_index() {
    let chain = Chain::new(vec![Elementary::Sin; 5]).unwrap();
    assert_eq!(chain.variable_names(), ["x", "u1", "u2", "u3", "u4", "y"]);
    let printed = chain.derive(0.5).unwrap().to_string();
    assert!(
        printed.contains("dy/dx = dy/du4 · du4/du3 · du3/du2 · du2/du1 · du1/dx"),
        "{printed}"
    );
}
