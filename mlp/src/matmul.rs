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
pub fn batch_matrix<T: Scalar>(
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
pub fn batch_matrix_mut<T: Scalar>(
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

/// Copies a `rows × batch` matrix from sample-major storage (column after column, as the
/// passes keep $\delta$) into feature-major storage (row after row), 16 × 16 entries at a
/// time so that both sides stay within a few cache lines while a tile is copied.
///
/// A plain copy, exact to the bit. For W4's $1024 \times 256$ first-layer $\delta$ on this
/// project's machine, `faer`'s `copy_from` between the two layouts took 0.57-0.64 ms and this
/// loop 0.15-0.22 ms in `f32`, 0.10-0.12 ms in `f64` (`cargo bench -p mlp --bench ratios --
/// layouts`, 2026-12-03). `Workspace` copies that $\delta$ so before its weight gradient.
///
/// # Panics
///
/// If either slice is shorter than `rows * batch`.
pub fn copy_to_feature_major<T: Scalar>(
    sample_major: &[T],
    rows: usize,
    batch: usize,
    feature_major: &mut [T],
) {
    const TILE: usize = 16;
    let (sample_major, feature_major) = (
        &sample_major[..rows * batch],
        &mut feature_major[..rows * batch],
    );
    for first_sample in (0..batch).step_by(TILE) {
        let samples = first_sample..(first_sample + TILE).min(batch);
        for first_row in (0..rows).step_by(TILE) {
            let end_row = (first_row + TILE).min(rows);
            for sample in samples.clone() {
                let column = &sample_major[sample * rows + first_row..sample * rows + end_row];
                for (row, &value) in (first_row..).zip(column) {
                    feature_major[row * batch + sample] = value;
                }
            }
        }
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
pub fn gemm<T: Scalar>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random<T: Scalar>(rng: &mut ChaCha8Rng, len: usize) -> Vec<T> {
        (0..len).map(|_| c(rng.random_range(-1.0..1.0))).collect()
    }

    /// A deep product is the product and `faer`'s unblocked result to the bit, in both
    /// destination layouts, replacing or accumulating; and the two layouts give the same bits.
    fn deep_product_is_the_product<T: Scalar>((rows, depth, cols): (usize, usize, usize)) {
        assert!(depth >= BLOCK_MIN_DEPTH);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let a = random::<T>(&mut rng, rows * depth);
        let b = random::<T>(&mut rng, depth * cols);
        // The starting destination, sample-major (column-major), and laid out either way.
        let start = random::<T>(&mut rng, rows * cols);
        let start_in = |row_major: bool| -> Vec<T> {
            if row_major {
                (0..rows * cols)
                    .map(|k| start[(k % cols) * rows + k / cols])
                    .collect()
            } else {
                start.clone()
            }
        };
        for accumulate in [false, true] {
            let mut by_layout = Vec::new();
            for destination_row_major in [false, true] {
                let (a, b) = (row_major(&a, rows, depth), col_major(&b, depth, cols));
                let mut ours = start_in(destination_row_major);
                gemm(
                    batch_matrix_mut(&mut ours, rows, cols, destination_row_major),
                    a,
                    b,
                    accumulate,
                    1,
                );
                let case = format!(
                    "{rows} x {depth} x {cols} (row-major destination: {destination_row_major}, accumulate: {accumulate})"
                );
                let mut whole = start_in(destination_row_major);
                let accum = if accumulate {
                    Accum::Add
                } else {
                    Accum::Replace
                };
                matmul(
                    batch_matrix_mut(&mut whole, rows, cols, destination_row_major),
                    accum,
                    a,
                    b,
                    c::<T>(1.0),
                    Par::Seq,
                );
                assert!(
                    ours.iter()
                        .zip(&whole)
                        .all(|(x, y)| x.widen().to_bits() == y.widen().to_bits()),
                    "{case}: differs from faer's whole product"
                );
                // Each entry is a sum of depth + 1 terms (the products and the start value),
                // which any summation order computes within (depth + 1) eps
                // times the sum of their magnitudes (to first order). The f64 reference is
                // within the same bound with f64's eps, so the two differ by at most twice the
                // bound in T's eps; a wrong block offset is off by whole terms.
                let eps = <T as num_traits::Float>::epsilon().widen();
                let terms = (depth + 1) as f64;
                let dst = batch_matrix(&ours, rows, cols, destination_row_major);
                for i in 0..rows {
                    for j in 0..cols {
                        let mut exact = if accumulate {
                            start[j * rows + i].widen()
                        } else {
                            0.0
                        };
                        let mut magnitude = exact.abs();
                        for k in 0..depth {
                            let term = a[(i, k)].widen() * b[(k, j)].widen();
                            exact += term;
                            magnitude += term.abs();
                        }
                        let bound = 2.0 * terms * eps * magnitude;
                        assert!(
                            (dst[(i, j)].widen() - exact).abs() <= bound,
                            "{case}, entry ({i}, {j}): {} against {exact}, bound {bound}",
                            dst[(i, j)].widen()
                        );
                    }
                }
                by_layout.push((destination_row_major, ours));
            }
            // The destination's layout changes no bit (the workspace's layouts rely on it).
            let [(false, sample_major), (true, feature_major)] = &by_layout[..] else {
                unreachable!("one result per layout");
            };
            let (sm, fm) = (
                batch_matrix(sample_major, rows, cols, false),
                batch_matrix(feature_major, rows, cols, true),
            );
            for i in 0..rows {
                for j in 0..cols {
                    assert_eq!(
                        sm[(i, j)].widen().to_bits(),
                        fm[(i, j)].widen().to_bits(),
                        "{rows} x {depth} x {cols} (accumulate: {accumulate}): entry ({i}, {j}) depends on the layout"
                    );
                }
            }
        }
    }

    /// A weight gradient $\delta A^\top$ gets the same bits whether $\delta$ is read
    /// sample-major or from its feature-major copy (what `Workspace` copies it for), at the
    /// shapes the copy is made for (at least 256 rows) and a deep one.
    fn delta_layout_changes_no_bit<T: Scalar>((n_out, n_in, batch): (usize, usize, usize)) {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let delta = random::<T>(&mut rng, n_out * batch);
        let a_prev = random::<T>(&mut rng, n_in * batch);
        let mut delta_fm = vec![c::<T>(0.0); n_out * batch];
        copy_to_feature_major(&delta, n_out, batch, &mut delta_fm);
        let grad = |delta: MatRef<'_, T>| {
            let mut out = vec![c::<T>(0.0); n_out * n_in];
            gemm(
                row_major_mut(&mut out, n_out, n_in),
                delta,
                col_major(&a_prev, n_in, batch).transpose(),
                false,
                1,
            );
            out
        };
        let (sample_major, feature_major) = (
            grad(col_major(&delta, n_out, batch)),
            grad(row_major(&delta_fm, n_out, batch)),
        );
        for (k, (x, y)) in sample_major.iter().zip(&feature_major).enumerate() {
            assert_eq!(
                x.widen().to_bits(),
                y.widen().to_bits(),
                "{n_out} x {n_in}, batch {batch}: entry {k} depends on delta's layout"
            );
        }
    }

    #[test]
    fn the_delta_copy_changes_no_bit_of_the_weight_gradient() {
        for shape in [(256, 9, 7), (300, 37, 64), (520, 600, 256)] {
            delta_layout_changes_no_bit::<f32>(shape);
            delta_layout_changes_no_bit::<f64>(shape);
        }
    }

    /// The tiled copy puts every entry where the feature-major layout reads it, for shapes
    /// with whole tiles, partial tiles in either direction, and a single row or sample; and
    /// it writes nothing past `rows * batch`.
    #[test]
    fn copy_to_feature_major_moves_every_entry_to_its_place() {
        for (rows, batch) in [
            (1, 1),
            (1, 40),
            (40, 1),
            (16, 16),
            (17, 15),
            (33, 7),
            (1024, 19),
        ] {
            let n = rows * batch;
            let sample_major: Vec<f32> = (0..n).map(|k| k as f32).collect();
            let mut feature_major = vec![-1.0_f32; n + 3];
            copy_to_feature_major(&sample_major, rows, batch, &mut feature_major);
            let src = col_major(&sample_major, rows, batch);
            let dst = row_major(&feature_major[..n], rows, batch);
            for i in 0..rows {
                for j in 0..batch {
                    assert_eq!(
                        dst[(i, j)].to_bits(),
                        src[(i, j)].to_bits(),
                        "{rows} x {batch}: entry ({i}, {j})"
                    );
                }
            }
            assert!(
                feature_major[n..]
                    .iter()
                    .all(|&v| v.to_bits() == (-1.0_f32).to_bits()),
                "{rows} x {batch}: wrote past the end"
            );
        }
    }

    /// 600 rows: two whole blocks of `BLOCK_ROWS` and a partial one in the column-major
    /// orientation; 7 columns, so that a row-major destination's transpose has few rows and
    /// runs whole; depth 600 and 1024, past `BLOCK_MIN_DEPTH` and one or two of `faer`'s
    /// 512-deep sweeps.
    #[test]
    fn deep_products_in_blocks_are_the_product_with_the_same_bits_in_either_layout() {
        const { assert!(600 > 2 * BLOCK_ROWS && 600 >= BLOCK_MIN_DEPTH) };
        for depth in [600, 1024] {
            deep_product_is_the_product::<f32>((600, depth, 7));
            deep_product_is_the_product::<f64>((600, depth, 7));
        }
    }
}
