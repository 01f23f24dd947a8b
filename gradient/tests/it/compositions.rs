//! Random compositions of many variables: forward mode, reverse mode, the hand chain rule and
//! central differences agree; the directional derivative reads the gradient correctly.

use gradient::ScalarFunction;
use proptest::prelude::*;

use crate::expr::composition_and_point;
use crate::{CHECK_THRESHOLD, ROUNDING, assert_within};

proptest! {
    #[test]
    fn forward_and_reverse_mode_match_the_chain_rule_by_hand((f, x) in composition_and_point()) {
        let hand = f.expr.hand(&x);
        let forward = gradient::forward_gradient(&f, &x).unwrap();
        let reverse = gradient::reverse_gradient(&f, &x).unwrap();
        for i in 0..f.n {
            let tolerance = ROUNDING * hand.abs_grad[i];
            assert_within(forward[i], hand.grad[i], tolerance, "forward vs hand");
            assert_within(reverse[i], hand.grad[i], tolerance, "reverse vs hand");
            assert_within(forward[i], reverse[i], 2.0 * tolerance, "forward vs reverse");
        }
        // The value too: the generic eval on f64 is the hand value.
        assert_within(f.value(&x).unwrap(), hand.value, ROUNDING * hand.abs_value, "value");
    }

    #[test]
    fn central_differences_agree_with_reverse_mode((f, x) in composition_and_point()) {
        let reverse = gradient::reverse_gradient(&f, &x).unwrap();
        let checker = f.expr.hand(&x).checker(CHECK_THRESHOLD);
        let report = checker.check(|v: &[f64]| f.eval(v), &x, &reverse).unwrap();
        prop_assert!(report.passed(), "{report}");
        let directions = checker.check_directions(|v: &[f64]| f.eval(v), &x, &reverse, 8, 7).unwrap();
        prop_assert!(directions.passed(), "{directions}");
        // central_gradient is the same difference D(h) the checker reports.
        let central = gradient::central_gradient(&f, &x).unwrap();
        for (c, comparison) in central.iter().zip(report.comparisons()) {
            assert_within(*c, comparison.numeric, 0.0, "central_gradient vs checker");
        }
    }

    #[test]
    fn the_slope_along_the_gradient_is_its_magnitude((f, x) in composition_and_point()) {
        // ∇f · (∇f / |∇f|) = |∇f|: the directional derivative along the gradient (one dual pass
        // seeded with u = g/|g|) equals the gradient's length. The dual pass sums
        // ∂f/∂x_i u_i, each entry off by ROUNDING·abs_grad_i, so the sum is off by at most
        // ROUNDING·Σ abs_grad_i |u_i|; |g| itself is off by ROUNDING·|abs_grad|.
        let hand = f.expr.hand(&x);
        let g = gradient::reverse_gradient(&f, &x).unwrap();
        let length = gradient::magnitude(&g);
        if length == 0.0 {
            prop_assert!(gradient::directional_derivative(&f, &x, &g).is_err());
        } else {
            let slope = gradient::directional_derivative(&f, &x, &g).unwrap();
            let scale: f64 = hand.abs_grad.iter().zip(&g).map(|(s, g_i)| s * g_i.abs() / length).sum::<f64>()
                + gradient::magnitude(&hand.abs_grad);
            assert_within(slope, length, ROUNDING * scale, "slope along the gradient");
        }
    }

    #[test]
    fn the_directional_derivative_is_the_dot_product(
        (f, x) in composition_and_point(),
        raw in proptest::collection::vec(-1.0..1.0f64, 6),
    ) {
        // ∇f · u for u = raw / |raw|, against the hand gradient dotted with u.
        let direction = &raw[..f.n];
        prop_assume!(gradient::magnitude(direction) > 1e-3);
        let u = gradient::unit_direction(direction).unwrap();
        let hand = f.expr.hand(&x);
        let expected: f64 = hand.grad.iter().zip(&u).map(|(g, u_i)| g * u_i).sum();
        let scale: f64 = hand.abs_grad.iter().zip(&u).map(|(s, u_i)| s * u_i.abs()).sum();
        let slope = gradient::directional_derivative(&f, &x, direction).unwrap();
        assert_within(slope, expected, ROUNDING * scale, "directional derivative");
    }

    #[test]
    fn the_unit_direction_has_length_one(v in proptest::collection::vec(-1e3..1e3f64, 1..=8)) {
        prop_assume!(gradient::magnitude(&v) > 0.0);
        let u = gradient::unit_direction(&v).unwrap();
        // Each u_i = v_i / |v| is rounded once (relative ε/2) after |v| (a few ε): the squared
        // length is 1 within a few ε times n.
        assert_within(gradient::magnitude(&u), 1.0, 8.0 * v.len() as f64 * f64::EPSILON, "|u|");
        for (u_i, v_i) in u.iter().zip(&v) {
            prop_assert!(u_i * v_i >= 0.0, "u must point the same way as v");
        }
    }
}
