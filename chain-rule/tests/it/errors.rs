//! Every error path: the typed error, what it names, and its message.

use chain_rule::composition::Chain;
use chain_rule::elementary::{self, Elementary};
use chain_rule::finite_difference::{self, Scheme};
use chain_rule::{Dual, Error};

#[test]
fn ln_and_powf_reject_their_domain_edges() {
    for x in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY] {
        assert!(
            matches!(elementary::ln(x), Err(Error::Domain { function: "ln", .. })),
            "ln({x})"
        );
        assert!(matches!(
            elementary::ln_derivative(x),
            Err(Error::Domain { function: "ln", .. })
        ));
        assert!(matches!(
            elementary::powf(x, 0.5),
            Err(Error::Domain {
                function: "powf",
                ..
            })
        ));
        assert!(matches!(
            elementary::powf_derivative(x, 2.0),
            Err(Error::Domain {
                function: "powf",
                ..
            })
        ));
    }
    assert_eq!(
        elementary::ln(-1.0),
        Err(Error::Domain {
            function: "ln",
            input: -1.0,
            domain: "x > 0"
        })
    );
    // Also through duals: the domain is checked on the value.
    assert!(elementary::ln(Dual::variable(-2.0)).is_err());
    for p in [f64::NAN, f64::INFINITY] {
        assert!(matches!(
            elementary::powf(2.0, p),
            Err(Error::InvalidParameter {
                function: "powf",
                parameter: "p",
                ..
            })
        ));
    }
}

#[test]
fn elementary_parameters_must_be_finite() {
    let cases = [
        (
            Elementary::Affine {
                a: f64::NAN,
                b: 0.0,
            },
            "a",
        ),
        (
            Elementary::Affine {
                a: 1.0,
                b: f64::INFINITY,
            },
            "b",
        ),
        (Elementary::Powf(f64::NAN), "p"),
        (
            Elementary::LeakyRelu {
                slope: f64::NEG_INFINITY,
            },
            "slope",
        ),
    ];
    for (f, name) in cases {
        match f.eval(1.0) {
            Err(Error::InvalidParameter { parameter, .. }) => assert_eq!(parameter, name),
            other => panic!("{f:?}: expected an invalid {name}, got {other:?}"),
        }
        assert!(f.derivative(1.0).is_err());
        assert!(matches!(
            Chain::new(vec![f]),
            Err(Error::InvalidParameter { .. })
        ));
    }
}

#[test]
fn chains_report_empty_non_finite_and_domain_errors() {
    assert_eq!(Chain::new(vec![]), Err(Error::EmptyChain));
    let chain = Chain::new(vec![Elementary::Affine { a: 1.0, b: -3.0 }, Elementary::Ln]).unwrap();
    assert!(matches!(
        chain.derive(f64::NAN),
        Err(Error::NonFinitePoint(_))
    ));
    assert!(matches!(
        chain.derive(f64::INFINITY),
        Err(Error::NonFinitePoint(_))
    ));
    // ln(x - 3) at x = 1: the inner value -2 is outside ln's domain; the error names it.
    let expected = Err(Error::Domain {
        function: "ln",
        input: -2.0,
        domain: "x > 0",
    });
    assert_eq!(chain.derive(1.0).map(|d| d.derivative()), expected.clone());
    assert_eq!(chain.eval(1.0), expected.clone());
    assert_eq!(chain.derivative(1.0), expected);
}

#[test]
fn a_chain_whose_inner_value_overflows_is_an_error_not_a_nan_derivative() {
    // ln(exp(x)) = x has derivative 1, but exp(1000) is inf in f64: the chain rule gave
    // ln'(inf) exp'(1000) = 0 * inf = NaN, returned as Ok.
    let chain = Chain::new(vec![Elementary::Exp, Elementary::Ln]).unwrap();
    let expected = Error::ChainOverflow {
        function: "exp",
        input: 1000.0,
        value: f64::INFINITY,
    };
    assert_eq!(
        chain.derive(1000.0).map(|d| d.derivative()),
        Err(expected.clone())
    );
    assert_eq!(chain.derivative(1000.0), Err(expected.clone()));
    assert_eq!(
        chain.derivative(Dual::variable(1000.0)).map(|d| d.value),
        Err(expected.clone())
    );
    assert_eq!(
        expected.to_string(),
        "exp is not finite in f64 at u = 1000 (got inf), so the chain rule has no finite answer there"
    );
    // exp(exp(x)) at 10: the inner value e^10 is finite, the outer exp of it is not.
    let twice = Chain::new(vec![Elementary::Exp, Elementary::Exp]).unwrap();
    assert!(matches!(
        twice.derive(10.0),
        Err(Error::ChainOverflow { function: "exp", input, .. }) if (input - 10.0_f64.exp()).abs() < 1e-9
    ));
    // Each factor 1e200 is finite; their product is not.
    let steep = Chain::new(vec![
        Elementary::Affine { a: 1e200, b: 0.0 },
        Elementary::Affine { a: 1e200, b: 0.0 },
    ])
    .unwrap();
    assert!(matches!(
        steep.derive(0.0),
        Err(Error::ChainOverflow {
            function: "the product of the local factors",
            ..
        })
    ));
    // Within range nothing changes: ln(exp(x)) at 700 has derivative 1.
    let at_700 = chain.derive(700.0).unwrap().derivative();
    assert!((at_700 - 1.0).abs() < 1e-12, "{at_700}");
    // An inner value may overflow when the derivative does not: sigmoid(x^2) at x = 1e200 has
    // u = inf and sigmoid'(inf) = 0, so the product 2e200 * 0 = 0, the limit of the true
    // derivative sigmoid'(x^2) 2x (which decays like 2x e^(-x^2)). Both ways agree on it.
    let squashed = Chain::new(vec![Elementary::Powi(2), Elementary::Sigmoid]).unwrap();
    let derivation = squashed.derive(1e200).unwrap();
    // Exact zeros and an exact infinity: compared by their bits.
    assert_eq!(derivation.derivative().to_bits(), 0.0_f64.to_bits());
    assert_eq!(
        derivation.inner_values()[1].to_bits(),
        f64::INFINITY.to_bits()
    );
    assert_eq!(
        squashed.derivative(1e200).map(f64::to_bits),
        Ok(0.0_f64.to_bits())
    );
}

#[test]
fn finite_differences_reject_bad_steps_points_and_values() {
    for scheme in Scheme::ALL {
        for h in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
            match scheme.estimate(f64::sin, 1.0, h) {
                Err(Error::InvalidStep(bad)) => assert_eq!(bad.to_bits(), h.to_bits()),
                other => panic!("{} with h = {h}: {other:?}", scheme.name()),
            }
        }
        assert!(matches!(
            scheme.estimate(f64::sin, f64::NAN, 1e-3),
            Err(Error::NonFinitePoint(_))
        ));
        assert!(matches!(
            scheme.derivative(f64::sin, f64::INFINITY),
            Err(Error::NonFinitePoint(_))
        ));
        assert_eq!(
            scheme.estimate(f64::sin, 1.0, 1e-20),
            Err(Error::StepVanishes { x: 1.0, h: 1e-20 })
        );
        // A function that is NaN beyond 1: every scheme first evaluates x + h = 1.001, and the
        // error says where.
        let broken = |t: f64| if t > 1.0 { f64::NAN } else { t };
        match scheme.estimate(broken, 1.0, 1e-3) {
            Err(Error::NonFiniteValue { x, value }) => {
                assert!((x - 1.001).abs() < 1e-12, "evaluated at {x}");
                assert!(value.is_nan());
            }
            other => panic!("{}: {other:?}", scheme.name()),
        }
    }
    assert!(finite_difference::forward(|_| f64::NAN, 0.0, 1e-3).is_err());
}

#[test]
fn messages_are_lowercase_without_full_stop() {
    let cases = [
        (
            Error::Domain {
                function: "ln",
                input: -1.0,
                domain: "x > 0",
            },
            "ln is defined for x > 0, got x = -1",
        ),
        (
            Error::InvalidParameter {
                function: "affine",
                parameter: "a",
                value: f64::NAN,
                allowed: "finite",
            },
            "affine a must be finite, got a = NaN",
        ),
        (Error::EmptyChain, "a chain needs at least one function"),
        (
            Error::InvalidStep(0.0),
            "step h must be finite and positive, got h = 0",
        ),
        (
            Error::StepVanishes { x: 1.0, h: 1e-20 },
            "step h = 0.00000000000000000001 vanishes next to x = 1 (x + h rounds to x)",
        ),
        (
            Error::NonFinitePoint(f64::INFINITY),
            "point x must be finite, got x = inf",
        ),
        (
            Error::NonFiniteValue {
                x: 0.0,
                value: f64::NEG_INFINITY,
            },
            "f is not finite at x = 0 (got -inf)",
        ),
    ];
    for (error, message) in cases {
        let text = error.to_string();
        assert_eq!(text, message);
        assert!(!text.ends_with('.'));
        assert!(text.starts_with(|c: char| !c.is_uppercase()));
    }
}
