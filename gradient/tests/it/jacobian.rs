//! Jacobians of random vector functions by forward and reverse mode, against the chain rule
//! by hand, and a golden Jacobian.

use approx::assert_relative_eq;
use chain_rule::Real;
use gradient::VectorFunction;
use nalgebra::DMatrix;
use proptest::prelude::*;

use crate::expr::compositions_and_point;
use crate::{ROUNDING, assert_within};

proptest! {
    #[test]
    fn forward_and_reverse_jacobians_match_the_chain_rule_by_hand((f, x) in compositions_and_point()) {
        let forward = gradient::jacobian(&f, &x).unwrap();
        let reverse = gradient::jacobian_reverse(&f, &x).unwrap();
        prop_assert_eq!(forward.shape(), (f.exprs.len(), f.n));
        prop_assert_eq!(reverse.shape(), (f.exprs.len(), f.n));
        for (i, expr) in f.exprs.iter().enumerate() {
            // Row i is the gradient of output i.
            let hand = expr.hand(&x);
            for j in 0..f.n {
                let tolerance = ROUNDING * hand.abs_grad[j];
                assert_within(forward[(i, j)], hand.grad[j], tolerance, "forward jacobian");
                assert_within(reverse[(i, j)], hand.grad[j], tolerance, "reverse jacobian");
            }
        }
    }
}

/// Polar to Cartesian coordinates, (r, θ) ↦ (r cos θ, r sin θ).
struct Polar;

impl VectorFunction for Polar {
    fn input_dimension(&self) -> usize {
        2
    }
    fn output_dimension(&self) -> usize {
        2
    }
    fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
        vec![x[0] * x[1].cos(), x[0] * x[1].sin()]
    }
}

#[test]
fn the_polar_jacobian_is_the_textbook_one() {
    // J = [[cos θ, -r sin θ], [sin θ, r cos θ]]; at r = 2, θ = π/6 (cos = √3/2, sin = 1/2):
    // [[√3/2, -1], [1/2, √3]], and det J = r = 2 (the area factor of polar coordinates).
    let x = [2.0, std::f64::consts::FRAC_PI_6];
    let half_root3 = 3.0_f64.sqrt() / 2.0;
    let expected = DMatrix::from_row_slice(2, 2, &[half_root3, -1.0, 0.5, 2.0 * half_root3]);
    for j in [
        gradient::jacobian(&Polar, &x).unwrap(),
        gradient::jacobian_reverse(&Polar, &x).unwrap(),
    ] {
        // One sin or cos (1 ulp) times r, and π/6 itself rounded: a few ε.
        assert_relative_eq!(
            j,
            expected,
            epsilon = 4.0 * f64::EPSILON,
            max_relative = 4.0 * f64::EPSILON
        );
        assert_relative_eq!(j.determinant(), 2.0, max_relative = 8.0 * f64::EPSILON);
    }
}

/// A reference to a vector function is the same function: same dimensions, same values.
#[test]
fn a_vector_function_by_reference_is_the_same_function() {
    // Method calls on a reference auto-deref to `Polar`'s own impl; naming the type `&Polar`
    // goes through the blanket impl for references, as generic code does.
    assert_eq!(<&Polar as VectorFunction>::input_dimension(&&Polar), 2);
    assert_eq!(<&Polar as VectorFunction>::output_dimension(&&Polar), 2);
    let x = [2.0, std::f64::consts::FRAC_PI_6];
    let values = <&Polar as VectorFunction>::values(&&Polar, &x).unwrap();
    assert_eq!(values.len(), 2);
    // r cos θ and r sin θ: π/6 rounded (which moves sin by under half an ulp of 1/2), one
    // rounded cos or sin, the exact factor r = 2, and √3 rounded: under 2 ε.
    assert_relative_eq!(values[0], 3.0_f64.sqrt(), max_relative = 2.0 * f64::EPSILON);
    assert_relative_eq!(values[1], 1.0, max_relative = 2.0 * f64::EPSILON);
    let direct = Polar.values(&x).unwrap();
    let bits = |v: &[f64]| v.iter().map(|v_i| v_i.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&values), bits(&direct));
}

/// A function that breaks its promise: says 3 outputs, returns 2.
struct Liar;

impl VectorFunction for Liar {
    fn input_dimension(&self) -> usize {
        1
    }
    fn output_dimension(&self) -> usize {
        3
    }
    fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
        vec![x[0], x[0]]
    }
}

#[test]
#[should_panic(expected = "VectorFunction::eval returned 2 values but output_dimension() is 3")]
fn a_function_returning_the_wrong_number_of_outputs_is_a_bug_named_in_the_panic() {
    let _ = gradient::jacobian(&Liar, &[1.0]);
}
