//! Finding NaN and infinities fast.

use crate::scalar::{Scalar, c};

/// Index of the first NaN or infinite value, found without a branch per element.
///
/// `x * 0` is `±0` for finite `x` and NaN for NaN and `±inf`, so the sum of `x * 0` is NaN
/// exactly when some value is non-finite. Independent partial sums let the compiler vectorise
/// the scan; the slow search for the index runs only when there is something to report.
pub(crate) fn first_non_finite<T: Scalar>(values: &[T]) -> Option<usize> {
    const LANES: usize = 16;
    let zero = c::<T>(0.0);
    let mut partial = [zero; LANES];
    let chunks = values.chunks_exact(LANES);
    let remainder = chunks.remainder();
    for chunk in chunks {
        for lane in 0..LANES {
            partial[lane] += chunk[lane] * zero;
        }
    }
    let mut total = remainder.iter().fold(zero, |sum, &x| sum + x * zero);
    for lane in partial {
        total += lane;
    }
    if num_traits::Float::is_nan(total) {
        values
            .iter()
            .position(|&x| !num_traits::Float::is_finite(x))
    } else {
        None
    }
}
