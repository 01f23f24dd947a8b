//! Hessians of random compositions by nested duals: they match the second-order chain rule by
//! hand, in both seeding orders (symmetry), each row is the derivative of the gradient
//! (checked against central differences of reverse mode), and Hessian-vector products agree.

use gradient::GradientChecker;
use proptest::prelude::*;

use crate::expr::composition_and_point;
use crate::{CHECK_THRESHOLD, ROUNDING, assert_within};

proptest! {
    #[test]
    fn the_hessian_matches_the_second_order_chain_rule_by_hand((f, x) in composition_and_point()) {
        let hand = f.expr.hand(&x);
        let h = gradient::hessian(&f, &x).unwrap();
        for i in 0..f.n {
            for j in 0..f.n {
                assert_within(h[(i, j)], hand.hess[i][j], ROUNDING * hand.abs_hess[i][j], "H_ij");
            }
        }
    }

    #[test]
    fn the_hessian_is_symmetric_in_both_seeding_orders((f, x) in composition_and_point()) {
        // `hessian` computes H_ij for j ≥ i with ε1 on x_i and ε2 on x_j, and mirrors it.
        // Column j of `hessian_vector_product(e_j)` puts ε1 on x_i and ε2 on x_j for every i,
        // so below the diagonal it computes the other order. Schwarz: both equal the hand
        // Hessian, which is symmetric by construction of its formulas.
        let hand = f.expr.hand(&x);
        let h = gradient::hessian(&f, &x).unwrap();
        for j in 0..f.n {
            let mut e_j = vec![0.0; f.n];
            e_j[j] = 1.0;
            let column = gradient::hessian_vector_product(&f, &x, &e_j).unwrap();
            for i in 0..f.n {
                assert_within(column[i], hand.hess[i][j], ROUNDING * hand.abs_hess[i][j], "H_ij, other order");
                assert_within(h[(i, j)], h[(j, i)], 0.0, "mirrored entries");
            }
        }
    }

    #[test]
    fn the_hessian_vector_product_is_h_times_v(
        (f, x) in composition_and_point(),
        v in proptest::collection::vec(-1.0..1.0f64, 6),
    ) {
        let v = &v[..f.n];
        let hand = f.expr.hand(&x);
        let hv = gradient::hessian_vector_product(&f, &x, v).unwrap();
        for i in 0..f.n {
            let expected: f64 = (0..f.n).map(|j| hand.hess[i][j] * v[j]).sum();
            let scale: f64 = (0..f.n).map(|j| hand.abs_hess[i][j] * v[j].abs()).sum();
            assert_within(hv[i], expected, ROUNDING * scale, "(Hv)_i");
        }
    }

    #[test]
    fn each_hessian_row_is_the_derivative_of_the_gradient((f, x) in composition_and_point()) {
        // Row i of H is ∇(∂f/∂x_i): check it like any gradient, with ∂f/∂x_i by reverse mode
        // as the function. As in `Hand::checker`, the floor carries what the test knows about
        // rounding: ∂f/∂x_i rounds by ROUNDING · abs_grad_i (doubled for the probes at
        // x ± 2h), so its difference by that over h = ε^(1/3); the claimed row by ROUNDING of
        // its largest abs_hess.
        let h = gradient::hessian(&f, &x).unwrap();
        let hand = f.expr.hand(&x);
        for i in 0..f.n {
            let difference = ROUNDING * 2.0 * hand.abs_grad[i] / f64::EPSILON.cbrt();
            let claimed = ROUNDING * hand.abs_hess[i].iter().fold(0.0_f64, |m, s| m.max(*s));
            let checker = GradientChecker::new(CHECK_THRESHOLD)
                .unwrap()
                .with_floor((difference + claimed) / CHECK_THRESHOLD)
                .unwrap();
            let partial = |v: &[f64]| gradient::reverse_gradient(&f, v).unwrap()[i];
            let row: Vec<f64> = h.row(i).iter().copied().collect();
            let report = checker.check(partial, &x, &row).unwrap();
            prop_assert!(report.passed(), "row {i} of the hessian:\n{report}");
        }
    }
}
