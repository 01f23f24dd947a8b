//! Random expression trees: the chain rule worked out by hand (recursively, with the sum,
//! product and quotient rules at binary nodes), dual numbers, the tape and central differences
//! must all agree, and so must nested duals and differences of first derivatives.

use std::collections::BTreeMap;

use chain_rule::elementary::Elementary;
use chain_rule::finite_difference::{self, Scheme};
use chain_rule::{Error, Real};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};

use crate::support::{
    EPS, Function, central_tolerance, dual_derivative, fourth_derivative, second_derivative,
    tape_derivative, third_derivative, value_error,
};

/// Relative rounding error, per node, of each automatic derivative against the hand one: every
/// node's local factor is computed by a formula equal to the hand one but rounded differently,
/// each within about 8 ulps (see `AUTODIFF_ULPS` in `elementary.rs`), and the factors meet
/// in at most two more operations per node. 16 ulps per node, times the number of nodes,
/// times the magnitude `M` of the derivative computed with absolute values (so cancellation in
/// sums cannot hide error), bounds the difference.
const AUTODIFF_ULPS_PER_NODE: f64 = 16.0;

/// How far, in units of the input's movement `|u'| h`, every inner value must stay from a kink,
/// a singularity or a domain edge, so that `[x - h, x + h]` never straddles one and the
/// derivatives used in the tolerance stay near their values at `x`.
const KINK_CLEARANCE: f64 = 1000.0;

/// Inner values are kept below this size so that `exp` and powers stay well within `f64`.
const VALUE_LIMIT: f64 = 100.0;

/// An expression tree in one variable `x`.
#[derive(Clone, Debug)]
pub enum Expr {
    X,
    Const(f64),
    Unary(Elementary, Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

/// A binary operation.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// What the hand-derived chain rule knows about one node at one point.
#[derive(Clone, Copy, Debug)]
pub struct Analysis {
    /// The node's value.
    pub value: f64,
    /// Its derivative with respect to `x`, by the chain rule applied by hand.
    pub derivative: f64,
    /// A first-order bound on the rounding error of `value` (running error analysis).
    pub value_error: f64,
    /// The derivative recomputed with absolute values everywhere: the scale for rounding errors
    /// of any method that computes the derivative.
    pub magnitude: f64,
    /// Number of nodes in the subtree.
    pub nodes: usize,
}

impl Function for Expr {
    fn eval<T: Real>(&self, x: T) -> Result<T, Error> {
        Ok(match self {
            Self::X => x,
            Self::Const(c) => T::from_f64(*c),
            Self::Unary(f, inner) => f.eval(inner.eval(x)?)?,
            Self::Binary(op, left, right) => {
                let (a, b) = (left.eval(x)?, right.eval(x)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div => a / b,
                }
            }
        })
    }
}

impl Expr {
    /// Work the derivative out by hand at `x`, or `None` if some inner value comes too close
    /// to a kink, a singularity or a domain edge for the comparison to be meaningful (`h` is
    /// the finite-difference step that will be used).
    pub fn analyse(&self, x: f64, h: f64) -> Option<Analysis> {
        let result = match self {
            Self::X => Analysis {
                value: x,
                derivative: 1.0,
                value_error: 0.0,
                magnitude: 1.0,
                nodes: 1,
            },
            Self::Const(c) => Analysis {
                value: *c,
                derivative: 0.0,
                value_error: 0.0,
                magnitude: 0.0,
                nodes: 1,
            },
            Self::Unary(f, inner) => {
                let u = inner.analyse(x, h)?;
                let clearance = KINK_CLEARANCE * u.derivative.abs() * h;
                let admissible = match f {
                    Elementary::Ln | Elementary::Powf(_) => u.value > 0.1 + clearance,
                    Elementary::Powi(n) if *n < 0 => u.value.abs() > 0.2 + clearance,
                    Elementary::Relu | Elementary::LeakyRelu { .. } => {
                        u.value.abs() > 0.05 + clearance
                    }
                    Elementary::Exp => u.value < 5.0,
                    _ => true,
                };
                if !admissible {
                    return None;
                }
                let slope = f.derivative(u.value).ok()?;
                Analysis {
                    value: f.eval(u.value).ok()?,
                    // The chain rule: d f(u)/dx = f'(u) du/dx.
                    derivative: slope * u.derivative,
                    value_error: slope.abs() * u.value_error + value_error(*f, u.value),
                    magnitude: slope.abs() * u.magnitude,
                    nodes: u.nodes + 1,
                }
            }
            Self::Binary(op, left, right) => {
                let a = left.analyse(x, h)?;
                let b = right.analyse(x, h)?;
                let nodes = a.nodes + b.nodes + 1;
                match op {
                    Op::Add | Op::Sub => {
                        let sign = if matches!(op, Op::Add) { 1.0 } else { -1.0 };
                        let value = a.value + sign * b.value;
                        Analysis {
                            value,
                            derivative: a.derivative + sign * b.derivative,
                            value_error: a.value_error + b.value_error + EPS * value.abs(),
                            magnitude: a.magnitude + b.magnitude,
                            nodes,
                        }
                    }
                    Op::Mul => {
                        let value = a.value * b.value;
                        Analysis {
                            value,
                            // The product rule.
                            derivative: a.derivative * b.value + a.value * b.derivative,
                            value_error: b.value.abs() * a.value_error
                                + a.value.abs() * b.value_error
                                + EPS * value.abs(),
                            magnitude: a.magnitude * b.value.abs() + a.value.abs() * b.magnitude,
                            nodes,
                        }
                    }
                    Op::Div => {
                        let clearance = KINK_CLEARANCE * b.derivative.abs() * h;
                        if b.value.abs() <= 0.2 + clearance {
                            return None;
                        }
                        let value = a.value / b.value;
                        let b2 = b.value * b.value;
                        Analysis {
                            value,
                            // The quotient rule.
                            derivative: (a.derivative * b.value - a.value * b.derivative) / b2,
                            value_error: a.value_error / b.value.abs()
                                + a.value.abs() * b.value_error / b2
                                + EPS * value.abs(),
                            magnitude: a.magnitude / b.value.abs()
                                + a.value.abs() * b.magnitude / b2,
                            nodes,
                        }
                    }
                }
            }
        };
        (result.value.abs() <= VALUE_LIMIT).then_some(result)
    }

    fn collect_names(&self, names: &mut Vec<&'static str>) {
        match self {
            Self::X | Self::Const(_) => {}
            Self::Unary(f, inner) => {
                names.push(f.name());
                inner.collect_names(names);
            }
            Self::Binary(_, left, right) => {
                left.collect_names(names);
                right.collect_names(names);
            }
        }
    }
}

/// Every elementary function, parameters drawn from modest ranges.
pub fn elementary() -> impl Strategy<Value = Elementary> {
    prop_oneof![
        Just(Elementary::Identity),
        (-2.0..2.0_f64, -2.0..2.0_f64).prop_map(|(a, b)| Elementary::Affine { a, b }),
        (-2_i32..=3).prop_map(Elementary::Powi),
        (-1.5..2.5_f64).prop_map(Elementary::Powf),
        Just(Elementary::Exp),
        Just(Elementary::Ln),
        Just(Elementary::Sin),
        Just(Elementary::Cos),
        Just(Elementary::Tanh),
        Just(Elementary::Sigmoid),
        Just(Elementary::Relu),
        (0.01..0.5_f64).prop_map(|slope| Elementary::LeakyRelu { slope }),
        Just(Elementary::Softplus),
    ]
}

/// Expression trees of depth up to 4: leaves `x` or a constant, unary nodes from every
/// elementary function, binary nodes `+ - × ÷`.
fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        3 => Just(Expr::X),
        1 => (-2.0..2.0_f64).prop_map(Expr::Const),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let op = prop_oneof![Just(Op::Add), Just(Op::Sub), Just(Op::Mul), Just(Op::Div)];
        prop_oneof![
            3 => (elementary(), inner.clone()).prop_map(|(f, e)| Expr::Unary(f, Box::new(e))),
            2 => (op, inner.clone(), inner)
                .prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
        ]
    })
}

/// A tree and a point where every inner value is clear of kinks and domain edges.
fn admissible_case() -> impl Strategy<Value = (Expr, f64, Analysis)> {
    (expr(), -3.0..3.0_f64).prop_filter_map("an inner value is near a kink or an edge", |(e, x)| {
        let h = Scheme::Central.step(x);
        e.analyse(x, h).map(|analysis| (e, x, analysis))
    })
}

proptest! {
    #[test]
    fn hand_chain_rule_duals_and_tape_agree((e, x, hand) in admissible_case()) {
        let by_duals = dual_derivative(&e, x).unwrap();
        let by_tape = tape_derivative(&e, x).unwrap();
        let tolerance = AUTODIFF_ULPS_PER_NODE * hand.nodes as f64 * EPS * hand.magnitude;
        prop_assert!((by_duals - hand.derivative).abs() <= tolerance,
            "{e:?} at {x}: hand {}, duals {by_duals}, tolerance {tolerance}", hand.derivative);
        prop_assert!((by_tape - hand.derivative).abs() <= tolerance,
            "{e:?} at {x}: hand {}, tape {by_tape}, tolerance {tolerance}", hand.derivative);
    }

    #[test]
    fn hand_chain_rule_and_central_difference_agree((e, x, hand) in admissible_case()) {
        let h = Scheme::Central.step(x);
        let numeric = finite_difference::central(|t| e.eval(t).unwrap_or(f64::NAN), x, h).unwrap();
        let third = third_derivative(&e, x).unwrap();
        // The running error bound is first order; doubling it covers the neglected products.
        let tolerance = central_tolerance(third, 2.0 * hand.value_error, h, x, hand.derivative);
        prop_assert!((numeric - hand.derivative).abs() <= tolerance,
            "{e:?} at {x}: hand {}, central {numeric}, tolerance {tolerance}", hand.derivative);
    }

    #[test]
    fn second_derivative_by_nested_duals_matches_difference_of_first(
        (e, x, hand) in admissible_case()
    ) {
        // f' by duals carries a rounding error of at most AUTODIFF_ULPS_PER_NODE · nodes · eps ·
        // magnitude (checked above); a central difference of it then has the usual error with
        // f'''' in place of f'''.
        let h = Scheme::Central.step(x);
        let first = |t: f64| dual_derivative(&e, t).unwrap_or(f64::NAN);
        let numeric = finite_difference::central(first, x, h).unwrap();
        let second = second_derivative(&e, x).unwrap();
        let fourth = fourth_derivative(&e, x).unwrap();
        // The magnitude at x + h differs from the one at x by O(h); take the larger of the two
        // sides, doubled, as the bound on the rounding error of f' near x.
        let h_analysis = e.analyse(x + h, h).zip(e.analyse(x - h, h));
        prop_assume!(h_analysis.is_some());
        let (plus, minus) = h_analysis.unwrap();
        let first_error = 2.0 * AUTODIFF_ULPS_PER_NODE * hand.nodes as f64 * EPS
            * plus.magnitude.max(minus.magnitude);
        let tolerance = central_tolerance(fourth, first_error, h, x, second);
        prop_assert!((numeric - second).abs() <= tolerance,
            "{e:?} at {x}: nested duals {second}, difference {numeric}, tolerance {tolerance}");
    }
}

#[test]
fn generated_trees_use_every_elementary_function() {
    // The properties above are only as good as the trees they see: draw 2000 admissible cases
    // with a fixed seed and count each function. Every one must appear many times even after
    // the domain filter (the partial functions are the ones the filter could starve).
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = admissible_case();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut depth_four = 0;
    for _ in 0..2000 {
        let (e, _, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut names = Vec::new();
        e.collect_names(&mut names);
        for name in names {
            *counts.entry(name).or_default() += 1;
        }
        if depth(&e) == 4 {
            depth_four += 1;
        }
    }
    let all = [
        "identity",
        "affine",
        "powi",
        "powf",
        "exp",
        "ln",
        "sin",
        "cos",
        "tanh",
        "sigmoid",
        "relu",
        "leaky_relu",
        "softplus",
    ];
    for name in all {
        let count = counts.get(name).copied().unwrap_or(0);
        assert!(
            count >= 50,
            "{name} appears in only {count} of 2000 trees: {counts:?}"
        );
    }
    assert!(
        depth_four >= 100,
        "only {depth_four} of 2000 trees reach depth 4"
    );
}

fn depth(e: &Expr) -> usize {
    match e {
        Expr::X | Expr::Const(_) => 0,
        Expr::Unary(_, inner) => 1 + depth(inner),
        Expr::Binary(_, left, right) => 1 + depth(left).max(depth(right)),
    }
}
