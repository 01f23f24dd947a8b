//! The one matrix product of the passes, $C \leftarrow A B$ or $C \leftarrow A B + C$, on
//! zero-copy views of the flat buffers.
//!
//! The products go through `faer`, on one thread unless the workspace asks for more (with the
//! `threads` feature): its kernels are as fast as
//! `matrixmultiply`'s (which `nalgebra` uses) at the sizes of this course, faster on small
//! shapes, and after the first call they allocate nothing (packing buffers are kept per
//! thread), which is what lets a training step run without touching the heap.
//! `nalgebra`'s own `gemm` would allocate a packing buffer on every call, and its fallback for
//! dimensions up to 5 indexes strided vectors past their end (`axcpy_uninit` passes a
//! slice's length as its element count).
//!
//! Transposes are free: a row-major $n_{\text{out}} \times n_{\text{in}}$ matrix read
//! column-major is its $n_{\text{in}} \times n_{\text{out}}$ transpose.

use faer::linalg::matmul::matmul;
use faer::reborrow::ReborrowMut;
use faer::{Accum, MatMut, MatRef, Par};

use crate::scalar::{Scalar, c};

/// A `rows × cols` matrix stored column by column (row stride 1, column stride `rows`).
pub(crate) fn col_major<T: Scalar>(data: &[T], rows: usize, cols: usize) -> MatRef<'_, T> {
    MatRef::from_column_major_slice(data, rows, cols)
}

/// A `rows × cols` matrix stored row by row (row stride `cols`, column stride 1).
pub(crate) fn row_major<T: Scalar>(data: &[T], rows: usize, cols: usize) -> MatRef<'_, T> {
    MatRef::from_row_major_slice(data, rows, cols)
}

/// Mutable [`col_major`].
pub(crate) fn col_major_mut<T: Scalar>(data: &mut [T], rows: usize, cols: usize) -> MatMut<'_, T> {
    MatMut::from_column_major_slice_mut(data, rows, cols)
}

/// Mutable [`row_major`].
pub(crate) fn row_major_mut<T: Scalar>(data: &mut [T], rows: usize, cols: usize) -> MatMut<'_, T> {
    MatMut::from_row_major_slice_mut(data, rows, cols)
}

/// A batch of `batch` samples with `rows` values each: column-major (sample after sample)
/// unless `feature_major` (feature after feature, see `Workspace`'s layouts).
pub(crate) fn batch_matrix<T: Scalar>(
    data: &[T],
    rows: usize,
    batch: usize,
    feature_major: bool,
) -> MatRef<'_, T> {
    if feature_major {
        row_major(data, rows, batch)
    } else {
        col_major(data, rows, batch)
    }
}

/// Mutable [`batch_matrix`].
pub(crate) fn batch_matrix_mut<T: Scalar>(
    data: &mut [T],
    rows: usize,
    batch: usize,
    feature_major: bool,
) -> MatMut<'_, T> {
    if feature_major {
        row_major_mut(data, rows, batch)
    } else {
        col_major_mut(data, rows, batch)
    }
}

/// Products with fewer multiply-adds than this run on one thread whatever the workspace
/// allows: below about 256³ sharing a product between threads was measured slower than one
/// thread (W3's largest product, 128 × 784 × 64, ran at 0.6 times the one-thread speed).
#[cfg(feature = "threads")]
const PARALLEL_MIN_WORK: usize = 1 << 24;

/// $C \leftarrow A B$, or $C \leftarrow A B + C$ when `accumulate` (without it, $C$ is not
/// read, so stale values cannot leak in), on up to `threads` threads.
///
/// # Panics
///
/// If the shapes do not fit (an internal invariant of the passes).
pub(crate) fn gemm<T: Scalar>(
    out: MatMut<'_, T>,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    accumulate: bool,
    threads: usize,
) {
    let accum = if accumulate {
        Accum::Add
    } else {
        Accum::Replace
    };
    #[cfg(feature = "threads")]
    let par = if threads > 1 && a.nrows() * a.ncols() * b.ncols() >= PARALLEL_MIN_WORK {
        Par::rayon(threads)
    } else {
        Par::Seq
    };
    #[cfg(not(feature = "threads"))]
    let par = {
        debug_assert_eq!(threads, 1, "more threads need the `threads` feature");
        Par::Seq
    };
    if matches!(par, Par::Seq) && a.ncols() >= BLOCK_MIN_DEPTH {
        // faer computes a column-major destination; a row-major one is the transpose.
        let (mut out, a, b) = if out.row_stride() == 1 {
            (out, a, b)
        } else {
            (out.transpose_mut(), b.transpose(), a.transpose())
        };
        let rows = out.nrows();
        let mut start = 0;
        while start < rows {
            let block = BLOCK_ROWS.min(rows - start);
            matmul(
                out.rb_mut().subrows_mut(start, block),
                accum,
                a.subrows(start, block),
                b,
                c::<T>(1.0),
                par,
            );
            start += block;
        }
    } else {
        matmul(out, accum, a, b, c::<T>(1.0), par);
    }
    pulp::Arch::new().dispatch(ClearUpperState);
}

/// Products at least this deep run on one thread in blocks of [`BLOCK_ROWS`] destination
/// rows (in the column-major orientation `faer` computes in).
///
/// For each four columns of the destination, `faer` sweeps the rows of $A$ over a depth of up
/// to 512; at W4's shapes (`f32`, depth 784 and 1024, 1024 rows) 256-row blocks ran at
/// 147-158 GFLOP/s where the whole product ran at 127-151. Each element is still the same
/// sum in the same order, so the result does not change. Shallow products (depth 256, the
/// weight gradients at batch 256) ran slower in blocks and are left whole.
const BLOCK_MIN_DEPTH: usize = 512;

/// The destination rows of one block of a deep product (see [`BLOCK_MIN_DEPTH`]).
const BLOCK_ROWS: usize = 256;

/// Leaves the CPU's vector registers in the clean state that plain SSE code expects.
///
/// `faer`'s AVX-512 kernels (hand-written assembly in `private-gemm-x86`) return without a
/// `vzeroupper`, and until one runs, every SSE instruction that follows (our element-wise
/// loops, the optimizer, `libm`'s `expf`) pays a merge penalty: on this machine the W2 step
/// ran 10 times slower. A function compiled for AVX2 that touches a 256-bit register ends
/// with a `vzeroupper` (the compiler inserts it before returning to non-AVX code); `pulp`
/// dispatches to one without `unsafe`.
struct ClearUpperState;

impl pulp::WithSimd for ClearUpperState {
    type Output = ();

    // Must be inlined into `pulp`'s AVX2 function: called out of line, the register would be
    // touched in plain code and no `vzeroupper` emitted.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) {
        std::hint::black_box(simd.splat_f32s(0.0));
    }
}
