//! Bad input gets a typed error naming the culprit, never a panic or a silent NaN.

use chain_rule::Real;
use gradient::article::ArticleFunction;
use gradient::test_functions::{LogSumExp, Quadratic, Rosenbrock, TestFunction};
use gradient::{Argument, Error, GradientChecker, Probe, ScalarFunction};
use nalgebra::{DMatrix, DVector};

/// ln(x): NaN for x < 0, so any gradient of it there is meaningless.
struct Log;

impl ScalarFunction for Log {
    fn dimension(&self) -> usize {
        1
    }
    fn eval<T: Real>(&self, x: &[T]) -> T {
        x[0].ln()
    }
}

#[test]
fn a_point_of_the_wrong_length_names_both_lengths() {
    let expected = Error::LengthMismatch {
        argument: Argument::Point,
        expected: 2,
        found: 3,
    };
    let x = [1.0, 2.0, 3.0];
    assert_eq!(
        gradient::forward_gradient(&ArticleFunction, &x),
        Err(expected.clone())
    );
    assert_eq!(
        gradient::reverse_gradient(&ArticleFunction, &x),
        Err(expected.clone())
    );
    assert_eq!(
        gradient::central_gradient(&ArticleFunction, &x),
        Err(expected.clone())
    );
    assert_eq!(
        gradient::hessian(&ArticleFunction, &x).unwrap_err(),
        expected
    );
    assert_eq!(ArticleFunction.value(&x), Err(expected.clone()));
    assert_eq!(ArticleFunction.gradient(&x), Err(expected.clone()));
    assert_eq!(expected.to_string(), "point has 3 entries, expected 2");
    assert_eq!(
        ArticleFunction.value(&[]),
        Err(Error::LengthMismatch {
            argument: Argument::Point,
            expected: 2,
            found: 0,
        })
    );
}

#[test]
fn a_non_finite_entry_is_named_by_its_index() {
    let error = Error::NonFinite {
        argument: Argument::Point,
        index: 1,
        value: f64::INFINITY,
    };
    assert_eq!(
        gradient::forward_gradient(&ArticleFunction, &[1.0, f64::INFINITY]),
        Err(error.clone())
    );
    assert_eq!(
        error.to_string(),
        "point entry 1 is inf, expected a finite number"
    );
    let nan = gradient::reverse_gradient(&ArticleFunction, &[f64::NAN, 1.0]).unwrap_err();
    assert!(
        matches!(nan, Error::NonFinite { argument: Argument::Point, index: 0, value } if value.is_nan())
    );
    assert_eq!(
        nan.to_string(),
        "point entry 0 is NaN, expected a finite number"
    );
}

#[test]
fn directions_are_checked() {
    let x = [1.0, 2.0];
    assert_eq!(
        gradient::directional_derivative(&ArticleFunction, &x, &[0.0, 0.0]),
        Err(Error::ZeroDirection {
            argument: Argument::Direction
        })
    );
    assert_eq!(
        Error::ZeroDirection {
            argument: Argument::Direction
        }
        .to_string(),
        "direction is the zero vector and has no direction"
    );
    assert_eq!(
        gradient::directional_derivative(&ArticleFunction, &x, &[1.0]),
        Err(Error::LengthMismatch {
            argument: Argument::Direction,
            expected: 2,
            found: 1
        })
    );
    assert!(matches!(
        gradient::directional_derivative(&ArticleFunction, &x, &[1.0, f64::NAN]),
        Err(Error::NonFinite {
            argument: Argument::Direction,
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        gradient::hessian_vector_product(&ArticleFunction, &x, &[f64::NEG_INFINITY, 0.0]),
        Err(Error::NonFinite {
            argument: Argument::Direction,
            index: 0,
            ..
        })
    ));
    assert_eq!(
        gradient::unit_direction(&[]),
        Err(Error::ZeroDirection {
            argument: Argument::Direction
        })
    );
}

#[test]
fn long_and_short_directions_keep_their_length_instead_of_overflowing_to_zero() {
    // Squares of 1e200 overflow and squares of 1e-170 underflow; the length must not. Before,
    // (1e200, 1e200) had length inf, so its unit direction was (0, 0) and the directional
    // derivative a silent 0, and (1e-170, 1e-170) was refused as the zero vector.
    let root_half = 0.5_f64.sqrt();
    for scale in [1e200, 1e-170] {
        let v = [scale, scale];
        let length = gradient::magnitude(&v);
        assert!(
            (length / (2.0_f64.sqrt() * scale) - 1.0).abs() < 4.0 * f64::EPSILON,
            "|v| = {length}"
        );
        let u = gradient::unit_direction(&v).unwrap();
        assert!(
            u.iter()
                .all(|u_i| (u_i - root_half).abs() < 4.0 * f64::EPSILON),
            "{u:?}"
        );
        // The article's gradient at (1, 1) is (8, 4): the slope along (1, 1)/√2 is 12/√2.
        let slope = gradient::directional_derivative(&ArticleFunction, &[1.0, 1.0], &v).unwrap();
        assert!((slope - 12.0 * root_half).abs() < 1e-13, "slope {slope}");
    }
    // Unequal entries on the rescaled path: 3a and 4a with a = 2^664 (whose square overflows)
    // or 2^-600 (whose square underflows) have the length 5a bit for bit, since 3a / 4a = 3/4,
    // its square, 1 + 9/16, the root 5/4 and 4a · 5/4 are all exact.
    for a in [2.0_f64.powi(664), 2.0_f64.powi(-600)] {
        let length = gradient::magnitude(&[3.0 * a, 4.0 * a]);
        assert_eq!(
            length.to_bits(),
            (5.0 * a).to_bits(),
            "|(3a, 4a)| = {length}"
        );
    }
    assert!(gradient::magnitude(&[f64::INFINITY, 1.0]).is_infinite());
    assert!(gradient::magnitude(&[1e200, f64::NAN]).is_nan());
    assert_eq!(
        gradient::unit_direction(&[0.0, 0.0]),
        Err(Error::ZeroDirection {
            argument: Argument::Direction
        })
    );
}

#[test]
fn steps_must_be_finite_and_positive() {
    for h in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
        let error =
            gradient::central_gradient_with_step(&ArticleFunction, &[1.0, 2.0], h).unwrap_err();
        assert!(matches!(error, Error::InvalidStep(v) if v.to_bits() == h.to_bits()));
        assert!(GradientChecker::new(1e-6).unwrap().with_step(h).is_err());
    }
    assert_eq!(
        Error::InvalidStep(-0.1).to_string(),
        "step must be finite and positive, got -0.1"
    );
    // A fixed step below the spacing of floats next to a coordinate cannot move it.
    let error =
        gradient::central_gradient_with_step(&ArticleFunction, &[1.0, 2.0], 1e-20).unwrap_err();
    assert_eq!(
        error,
        Error::StepVanishes {
            probe: Probe::Coordinate(0),
            x: 1.0,
            h: 1e-20
        }
    );
    assert_eq!(
        error.to_string(),
        "step 1e-20 vanishes next to 1 while stepping along coordinate 0 (x + h rounds to x)"
    );
    let checker = GradientChecker::new(1e-6)
        .unwrap()
        .with_step(1e-20)
        .unwrap();
    assert!(matches!(
        checker.check(|v: &[f64]| v[0], &[3.0], &[1.0]),
        Err(Error::StepVanishes {
            probe: Probe::Coordinate(0),
            ..
        })
    ));
}

#[test]
fn checker_settings_are_validated() {
    for t in [0.0, -1e-6, 1.0, 2.0, f64::NAN] {
        assert!(matches!(
            GradientChecker::new(t),
            Err(Error::InvalidThreshold(_))
        ));
    }
    assert_eq!(
        Error::InvalidThreshold(1.5).to_string(),
        "threshold must be finite and in (0, 1), got 1.5"
    );
    let checker = GradientChecker::new(1e-6).unwrap();
    assert_eq!(checker.with_floor(-1.0), Err(Error::InvalidFloor(-1.0)));
    assert!(checker.with_floor(f64::NAN).is_err());
    assert!(checker.with_floor(0.0).is_ok());
}

#[test]
fn checker_inputs_are_validated() {
    let checker = GradientChecker::new(1e-6).unwrap();
    let f = |v: &[f64]| v.iter().sum::<f64>();
    assert_eq!(
        checker.check(f, &[1.0, 2.0], &[1.0]),
        Err(Error::LengthMismatch {
            argument: Argument::ClaimedGradient,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        Error::LengthMismatch {
            argument: Argument::ClaimedGradient,
            expected: 2,
            found: 1
        }
        .to_string(),
        "claimed gradient has 1 entries, expected 2"
    );
    assert!(matches!(
        checker.check(f, &[1.0, 2.0], &[1.0, f64::NAN]),
        Err(Error::NonFinite {
            argument: Argument::ClaimedGradient,
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        checker.check(f, &[1.0, f64::NAN], &[1.0, 1.0]),
        Err(Error::NonFinite {
            argument: Argument::Point,
            index: 1,
            ..
        })
    ));
    assert_eq!(checker.check(f, &[], &[]), Err(Error::EmptyPoint));
    assert_eq!(
        checker.check_directions(f, &[1.0], &[1.0], 0, 1),
        Err(Error::NoDirections)
    );
    assert_eq!(
        Error::NoDirections.to_string(),
        "directional check needs at least one direction"
    );
}

#[test]
fn a_function_that_returns_nan_is_reported_with_where() {
    // ln at 1e-7: the probe 1e-7 - h (h ≈ 6e-6) is negative, where ln is NaN.
    let checker = GradientChecker::new(1e-6).unwrap();
    let error = checker
        .check(|v: &[f64]| v[1].ln(), &[0.5, 1e-7], &[0.0, 1e7])
        .unwrap_err();
    assert!(
        matches!(error, Error::NonFiniteValue { probe: Probe::Coordinate(1), value } if value.is_nan())
    );
    assert_eq!(
        error.to_string(),
        "function returned NaN while stepping along coordinate 1"
    );
    let error = checker
        .check_directions(|v: &[f64]| v[0].ln(), &[1e-7], &[1e7], 4, 0)
        .unwrap_err();
    assert!(matches!(
        error,
        Error::NonFiniteValue {
            probe: Probe::Direction(0),
            ..
        }
    ));
    // Automatic differentiation at a point where f itself is NaN.
    let error = gradient::forward_gradient(&Log, &[-1.0]).unwrap_err();
    assert!(matches!(
        error,
        Error::NonFiniteValue {
            probe: Probe::Point,
            ..
        }
    ));
    assert_eq!(error.to_string(), "function returned NaN at the point");
    assert!(gradient::reverse_gradient(&Log, &[-1.0]).is_err());
    assert!(gradient::hessian(&Log, &[-1.0]).is_err());
    assert!(gradient::directional_derivative(&Log, &[-1.0], &[1.0]).is_err());
    assert!(matches!(
        gradient::central_gradient(&Log, &[1e-7]),
        Err(Error::NonFiniteValue {
            probe: Probe::Coordinate(0),
            ..
        })
    ));
}

#[test]
fn test_functions_refuse_dimensions_they_are_not_defined_in() {
    assert_eq!(
        Rosenbrock::new(1),
        Err(Error::InvalidDimension {
            function: "rosenbrock",
            minimum: 2,
            found: 1
        })
    );
    assert_eq!(
        Rosenbrock::new(1).unwrap_err().to_string(),
        "rosenbrock needs at least 2 dimensions, got 1"
    );
    assert!(LogSumExp::new(0).is_err());
    assert!(Quadratic::ill_conditioned(1, 10.0).is_err());
    for kappa in [0.5, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            Quadratic::ill_conditioned(3, kappa),
            Err(Error::InvalidConditionNumber(_))
        ));
    }
    assert_eq!(
        Quadratic::new(DMatrix::zeros(2, 3), DVector::zeros(2), 0.0),
        Err(Error::NotSquare { rows: 2, cols: 3 })
    );
    assert_eq!(
        Error::NotSquare { rows: 2, cols: 3 }.to_string(),
        "matrix a is 2x3, expected a square matrix"
    );
    assert_eq!(
        Quadratic::new(DMatrix::zeros(2, 2), DVector::zeros(3), 0.0),
        Err(Error::LengthMismatch {
            argument: Argument::LinearTerm,
            expected: 2,
            found: 3
        })
    );
    let mut a = DMatrix::zeros(2, 2);
    a[(1, 0)] = f64::NAN;
    assert!(matches!(
        Quadratic::new(a, DVector::zeros(2), 0.0),
        Err(Error::NonFinite {
            argument: Argument::Matrix,
            index: 2,
            ..
        })
    ));
    assert!(matches!(
        Quadratic::new(DMatrix::zeros(2, 2), DVector::zeros(2), f64::NAN),
        Err(Error::NonFinite {
            argument: Argument::Constant,
            ..
        })
    ));
    assert_eq!(
        Quadratic::new(DMatrix::zeros(0, 0), DVector::zeros(0), 0.0),
        Err(Error::EmptyPoint)
    );
}

#[test]
fn an_output_slice_of_the_wrong_length_is_an_error() {
    let mut grad = [0.0; 3];
    assert_eq!(
        ArticleFunction.gradient_into(&[1.0, 2.0], &mut grad),
        Err(Error::LengthMismatch {
            argument: Argument::Output,
            expected: 2,
            found: 3
        })
    );
}

#[test]
fn every_message_is_lowercase_without_a_full_stop() {
    let errors = [
        Error::LengthMismatch {
            argument: Argument::Output,
            expected: 1,
            found: 2,
        },
        Error::NonFinite {
            argument: Argument::Matrix,
            index: 0,
            value: f64::NAN,
        },
        Error::EmptyPoint,
        Error::ZeroDirection {
            argument: Argument::Direction,
        },
        Error::InvalidStep(0.0),
        Error::InvalidThreshold(0.0),
        Error::InvalidFloor(-1.0),
        Error::NoDirections,
        Error::NonFiniteValue {
            probe: Probe::Point,
            value: f64::INFINITY,
        },
        Error::InvalidDimension {
            function: "log-sum-exp",
            minimum: 1,
            found: 0,
        },
        Error::NotSquare { rows: 1, cols: 2 },
        Error::InvalidConditionNumber(0.5),
        Error::StepVanishes {
            probe: Probe::Direction(2),
            x: 0.0,
            h: 1e-300,
        },
        Error::FiniteDifference(chain_rule::Error::EmptyChain),
    ];
    for error in errors {
        let text = error.to_string();
        let first = text.chars().next().unwrap();
        assert!(first.is_lowercase(), "{text}");
        assert!(!text.ends_with('.'), "{text}");
    }
}
