//! The one matrix product of the passes, $C \leftarrow \alpha A B + \beta C$, on strided
//! views.
//!
//! Shapes with every dimension above 5 go to `nalgebra`'s `gemm`, which hands them to the
//! `matrixmultiply` kernels (packed, SIMD). Smaller shapes (a single output unit, a batch of
//! one) use the plain triple loop below: `nalgebra`'s own fallback for them indexes strided
//! vectors past their end (`axcpy_uninit` passes the slice length as the element count), which
//! the strided transposed views of the backward pass would hit.

use nalgebra::Dyn;

use crate::network::View;
use crate::scalar::{Scalar, c};

/// A mutable strided view.
pub(crate) type ViewMut<'a, T> = nalgebra::MatrixViewMut<'a, T, Dyn, Dyn, Dyn, Dyn>;

/// `nalgebra` sends a product to `matrixmultiply` only when all these dimensions exceed 5.
const SMALL_DIM: usize = 5;

/// $C \leftarrow A B + \beta C$; with $\beta = 0$, $C$ is not read (stale NaN cannot leak).
///
/// # Panics
///
/// If the shapes do not fit (an internal invariant of the passes).
pub(crate) fn gemm<T: Scalar>(out: &mut ViewMut<'_, T>, a: &View<'_, T>, b: &View<'_, T>, beta: T) {
    let (m, k) = a.shape();
    let n = b.ncols();
    assert!(
        b.nrows() == k && out.nrows() == m && out.ncols() == n,
        "matrix product shapes must fit"
    );
    if m > SMALL_DIM && k > SMALL_DIM && n > SMALL_DIM {
        out.gemm(c(1.0), a, b, beta);
        return;
    }
    let zero = c::<T>(0.0);
    for j in 0..n {
        for i in 0..m {
            let mut sum = zero;
            for p in 0..k {
                sum += a[(i, p)] * b[(p, j)];
            }
            let target = &mut out[(i, j)];
            *target = if beta == zero {
                sum
            } else {
                sum + beta * *target
            };
        }
    }
}
