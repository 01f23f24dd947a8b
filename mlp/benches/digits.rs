//! Whole training on the digits: [`mlp::train::recipes::digits`], the chapter 5 result, from
//! the untrained network to the last of its 100 epochs (1257 training samples in batches of
//! 32, Adam, f64, one thread), including the evaluation of both sides of the split after
//! every epoch that the history records.
//!
//!     cargo bench -p mlp --bench digits
//!
//! For comparison, scikit-learn's `MLPClassifier` with the same network and schedule
//! (`hidden_layer_sizes=(128,)`, `solver="adam"`, `learning_rate_init=1e-3`,
//! `batch_size=32`, `max_iter=100`, `tol=0`, `n_iter_no_change=100`, so all 100 epochs
//! run) on a stratified 70/30 split of the same data, standardised; its `fit` evaluates only
//! the training loss. The script is in the doc comment of `digits_training` below.
//!
//! # Measured (2026-12-02, the course's 2-core AMD EPYC machine, 21:52 UTC)
//!
//! | | time for 100 epochs | test accuracy |
//! | --- | --- | --- |
//! | `recipes::digits(0)`, f64, one thread | 280 ms (criterion median) | see `cargo xtask results` |
//! | scikit-learn 1.9.1 `MLPClassifier`, f64, one BLAS thread | 0.93-1.37 s (7 runs) | 0.980 |
//!
//! The course's network trains 3.3 to 4.9 times faster while also evaluating both sides of
//! the split after every epoch. (On 2026-11-28, on the machine before: 427 ms against
//! 1.09-1.12 s.)

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode};
use mlp::train::recipes;

/// The recipe with seed 0 (its test accuracy is in `cargo xtask results`).
///
/// scikit-learn, timed with `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
/// ~/.cache/backprop-peers/bin/python script.py`:
///
/// ```text
/// import time, numpy as np
/// from sklearn.datasets import load_digits
/// from sklearn.model_selection import train_test_split
/// from sklearn.preprocessing import StandardScaler
/// from sklearn.neural_network import MLPClassifier
/// x, y = load_digits(return_X_y=True)
/// xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)
/// s = StandardScaler().fit(xtr); xtr, xte = s.transform(xtr), s.transform(xte)
/// for _ in range(5):
///     m = MLPClassifier((128,), solver="adam", learning_rate_init=1e-3, batch_size=32,
///                       max_iter=100, tol=0, n_iter_no_change=100, alpha=1e-3, random_state=0)
///     t = time.perf_counter(); m.fit(xtr, ytr); print(time.perf_counter() - t, m.score(xte, yte))
/// ```
fn digits_training(c: &mut Criterion) {
    let mut group = c.benchmark_group("digits");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("recipe_100_epochs_f64", |b| {
        b.iter(|| black_box(recipes::digits(black_box(0)).expect("the recipe trains")));
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    digits_training(&mut criterion);
    criterion.final_summary();
}
