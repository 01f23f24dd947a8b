//! The reference workloads of `shared/peers/` (W2, W3, W4, W5), in f32 and f64.
//!
//!     cargo bench -p mlp --bench workloads
//!     cargo bench -p mlp --bench workloads -- W2     # one workload
//!
//! - W2: 64-32-10 tanh, softmax cross-entropy, batch 32, SGD lr 0.1; a full epoch in fixed
//!   order over digits-shaped random data (1797 × 64), reported in samples per second.
//! - W3: 784-128-10 ReLU, softmax cross-entropy, batch 64, Adam; one epoch over 60 000
//!   synthetic samples, in samples per second.
//! - W4: 784-1024-1024-10 ReLU, softmax cross-entropy, batch 256, SGD lr 0.01; one training
//!   step, with its throughput stated in floating-point operations (criterion's "elem/s" is
//!   flop/s); `step_products` runs the step's matrix products alone (same shapes, layouts and
//!   blocks, no element-wise work), whose flop/s is the step's GEMM throughput; `product_*`
//!   runs each of those products alone, repeated (warm caches); next to them a plain
//!   1024 × 1024 product into a preallocated matrix by the matrix-product backend itself
//!   (`faer`, one thread), by `nalgebra` (`matrixmultiply`) for comparison, and `fma_peak`,
//!   independent fused multiply-adds in the widest vectors the core has: the most any
//!   product can reach.
//! - W5: `forward` and `loss_and_gradient` (forward + backward) at the W2 and W4 shapes; the
//!   backward/forward ratio is `(fwd_bwd - forward) / forward` of the medians.
//!
//! Everything runs on one thread; with `--features threads`, W4 also runs on two (the step
//! splits its batch between them, see `src/parallel.rs`; `step_products_*_2threads` lets
//! `faer` share each product between two threads instead, for comparison):
//!
//!     cargo bench -p mlp --features threads --bench workloads -- W4
//!
//! # Measured (2026-11-28, this project's 2-core AVX-512 machine)
//!
//! Criterion medians. W2 and W3 at 17:37-17:42 UTC (`cargo bench -p mlp --bench workloads`,
//! then `shared/peers/bench_peers.py --only W2,W3 --repeats 3`); W4 and W5 at 18:38-18:43
//! (`... --bench workloads -- 'W4|W5_W4'`, then `--features threads ... -- W4`, then
//! `bench_peers.py --only W4,W5 --repeats 3`). The machine is shared and its speed drifts by
//! up to 20 % within an hour, so W4 and W5 give both runs and ratios are taken within one
//! run. `f32`, samples per second:
//!
//! | workload | mlp | JAX `jit`, 1 core | JAX, XLA's threads | PyTorch eager | NumPy | scikit-learn |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | W2 epoch, 1 thread | 3.67 M | 2.73 M | 2.41 M | 180 k | 898 k | 428 k |
//! | W3 epoch, 1 thread | 143 k | 180 k | 172 k | 49 k | 49 k | 57 k |
//! | W3, `flush_subnormals` | 176 k (186-187 k in two runs just before) | | | | | |
//! | W4 step, 1 thread | 15.0-15.3 k | 15.0 k | | 14.4 k | 14.2 k | |
//! | W4 step, 2 threads | 22.7 k | | 28.1 k | 24.2 k | 24.2 k | |
//!
//! `f64`: W2 1.00 M, W3 96 k (flushing changes nothing: an `f64` moment needs about 6700
//! decays by 0.9 to become subnormal, the epoch has 938 steps), W4 6.5 k on one thread
//! and 10.0 k on two (PyTorch 7.4 k and 13.5 k, NumPy 6.8 k and 11.6 k).
//!
//! Against the targets of issue 5:
//!
//! - W2, at least JAX compiling the whole epoch: **met**, 1.34 times JAX on one core; 20
//!   times PyTorch, 8.6 times scikit-learn (the issue hoped for 10).
//! - W3, at least JAX on one core: **met only with `AdamConfig::flush_subnormals`** (0.98-1.04
//!   of JAX), which is XLA's arithmetic on CPU; with PyTorch's arithmetic (the default) 0.79.
//!   On this data (uniform inputs, random labels) every ReLU unit dies within a few hundred
//!   steps (every peer's loss ends at ln 10 too), the gradients of their weights are exactly
//!   0, and Adam's first moment decays by 0.9 per step into the subnormal range, where x86
//!   arithmetic is slow; XLA flushes subnormals to zero. With flushing, 30 % of the epoch is
//!   Adam's element loop, bound by its two divisions and one square root per parameter
//!   (PyTorch's formula, kept for bit-exact agreement), and 45 % is in `faer`'s kernels.
//! - W4, one thread, the step's GEMM throughput at least the backend's own 1024² rate: **not
//!   met**. The step's products alone ran at 0.90 and 0.95 of `faer`'s 1024² product
//!   (149/165 and 159/168 GFLOP/s), the whole step at 0.87 in both runs (2.45 GFLOP of true
//!   work; the peers' nominal 2.86 GFLOP would give 17 % more). The gap is in `faer`'s
//!   kernels at these shapes: the weight gradients are only 256 deep, and a 256-row panel
//!   runs a 64-row kernel after two 96-row ones. PyTorch reached 0.89 of its own 1024² rate,
//!   NumPy 0.93. The step itself is as fast as JAX's on one core and faster than PyTorch's.
//! - W4, two threads, at least 0.9 of the best of PyTorch and NumPy: **met**, 22.7 k against
//!   24.2 k for both (0.94); 1.00 at 17:51, when the peers ran slower. Letting `faer` share
//!   each product between the threads instead of splitting the batch gave the same step time
//!   within noise in `f32` and a 10 % slower one in `f64`, in an interleaved comparison
//!   earlier the same day.
//! - W5, backward at most 1.65 times forward at W4: **not reliably met**, 1.63 and 1.74
//!   (`f32`), 1.94 and 1.86 (`f64`); before the first layer's `δ` was copied feature-major
//!   for its weight gradient, 1.82-1.93 (`f32`, 17:47-17:54). The ideal flop ratio is 1.56.
//!   In the second run the backward pass took 10.5 ms, about NumPy's 10.2, and the forward
//!   6.0 ms against NumPy's 6.9: the forward products are 784 and 1024 deep, the weight
//!   gradients 256. PyTorch measured 1.76, NumPy 1.48 (both include the loss in the forward
//!   time, 2560 logits). At W2 `mlp` measures 1.02 (`f32`) and 0.76 (`f64`).
//! - No heap allocation inside a training step: **met** (`tests/it/allocation.rs`).
//!
//! Tried for W4 and W5 and measured no better: every layer feature-major, transposed copies
//! of the other layers' `δ`, other block sizes, `f64` feature-major layers.

// Workload names (ReLU, Adam) in the docs are prose, not code.
#![allow(clippy::doc_markdown)]

mod shared;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput};
use faer::Par;
use mlp::{Mlp, Scalar, Targets, Workspace};
use nalgebra::DMatrix;
use optim::{Adam, AdamConfig, Optimizer, Sgd, SgdConfig};
use shared::{DIGITS_SAMPLES, StepProducts, W2, W3, W4, Workload, data, peak};

/// Trains a fresh copy of `net` for one epoch over `inputs` in fixed order.
fn epoch<T: Scalar, O: Optimizer<T>>(
    mut net: Mlp<T>,
    ws: &mut Workspace<T>,
    optimizer: &mut O,
    inputs: &[T],
    labels: &[usize],
) -> Mlp<T> {
    let batch = ws.capacity();
    let width = inputs.len() / labels.len();
    for (x, y) in inputs.chunks(width * batch).zip(labels.chunks(batch)) {
        black_box(
            net.train_step(ws, x, Targets::Labels(y), optimizer)
                .expect("finite"),
        );
    }
    net
}

/// W2: one epoch over 1797 samples from the initial network each time (repeating epochs on
/// one network would drift into saturated softmax outputs, whose subnormal numbers are slow
/// on every CPU and never occur in the peers' 20-epoch run).
fn bench_w2<T: Scalar>(c: &mut Criterion) {
    let net = W2.network::<T>();
    let (inputs, labels) = data::<T>(64, DIGITS_SAMPLES, 10);
    let mut ws = net.workspace(W2.batch).expect("batch > 0");
    let mut optimizer: Sgd<T> = Sgd::new(SgdConfig {
        learning_rate: 0.1,
        ..SgdConfig::default()
    })
    .expect("valid learning rate");
    let mut group = c.benchmark_group("W2");
    group.throughput(Throughput::Elements(DIGITS_SAMPLES as u64));
    group.bench_function(format!("epoch_{}", T::NAME), |b| {
        b.iter_batched(
            || net.clone(),
            |fresh| epoch(fresh, &mut ws, &mut optimizer, &inputs, &labels),
            BatchSize::SmallInput,
        );
    });
    group.finish();
    passes(c, &W2, &net);
}

/// W3: one epoch of Adam over 60 000 synthetic samples, as the peers run it, from the
/// initial network and a fresh optimizer each time.
fn bench_w3<T: Scalar>(c: &mut Criterion) {
    const SAMPLES: usize = 60_000;
    let net = W3.network::<T>();
    let (inputs, labels) = data::<T>(784, SAMPLES, 10);
    let mut ws = net.workspace(W3.batch).expect("batch > 0");
    // `flush_subnormals` stores Adam's moments below the smallest normal number as 0, as XLA
    // does on CPU (JAX's figure); off, as in PyTorch, is the default.
    let adam = |flush_subnormals: bool| -> Adam<T> {
        Adam::new(AdamConfig {
            learning_rate: 1e-3,
            flush_subnormals,
            ..AdamConfig::default()
        })
        .expect("valid Adam")
    };
    let mut group = c.benchmark_group("W3");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(SAMPLES as u64));
    for (suffix, flush) in [("", false), ("_flush", true)] {
        group.bench_function(format!("epoch_{}{suffix}", T::NAME), |b| {
            b.iter_batched(
                || (net.clone(), adam(flush)),
                |(fresh, mut optimizer)| epoch(fresh, &mut ws, &mut optimizer, &inputs, &labels),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn bench_w4<T: Scalar>(c: &mut Criterion) {
    let net = W4.network::<T>();
    let (inputs, labels) = data::<T>(784, W4.batch, 10);
    let mut ws = net.workspace(W4.batch).expect("batch > 0");
    let mut optimizer: Sgd<T> = Sgd::new(SgdConfig {
        learning_rate: 0.01,
        ..SgdConfig::default()
    })
    .expect("valid learning rate");
    let mut group = c.benchmark_group("W4");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(W4.step_flops()));
    group.bench_function(format!("step_{}", T::NAME), |b| {
        b.iter_batched_ref(
            || net.clone(),
            |fresh| {
                black_box(
                    fresh
                        .train_step(&mut ws, &inputs, Targets::Labels(&labels), &mut optimizer)
                        .expect("finite"),
                )
            },
            BatchSize::LargeInput,
        );
    });
    // With the `threads` feature: the same step on two threads.
    #[cfg(feature = "threads")]
    {
        ws.set_threads(2).expect("threads feature on");
        group.bench_function(format!("step_{}_2threads", T::NAME), |b| {
            b.iter_batched_ref(
                || net.clone(),
                |fresh| {
                    black_box(
                        fresh
                            .train_step(&mut ws, &inputs, Targets::Labels(&labels), &mut optimizer)
                            .expect("finite"),
                    )
                },
                BatchSize::LargeInput,
            );
        });
        ws.set_threads(1).expect("one thread is always allowed");
    }
    // The step's matrix products alone, as the passes call them (see `StepProducts`).
    let mut products = StepProducts::new(&W4, &net, &mut ws, &inputs);
    group.bench_function(format!("step_products_{}", T::NAME), |b| {
        b.iter(|| products.run(Par::Seq));
    });
    #[cfg(feature = "threads")]
    group.bench_function(format!("step_products_{}_2threads", T::NAME), |b| {
        b.iter(|| products.run(Par::rayon(2)));
    });
    // Each product alone, repeated (its operands stay in cache between repeats, unlike in
    // the step, where each product finds the others' data in its caches).
    for product in products.order() {
        group.throughput(Throughput::Elements(products.flops(product)));
        group.bench_function(format!("product_{}_{}", product.name(), T::NAME), |b| {
            b.iter(|| products.run_one(product, Par::Seq));
        });
    }
    // The core's peak: independent fused multiply-adds in the widest vectors it has.
    group.throughput(Throughput::Elements(peak::flops::<T>()));
    group.bench_function(format!("fma_peak_{}", T::NAME), |b| {
        b.iter(peak::run::<T>);
    });
    // The backend's own rate: C = A B at 1024 x 1024, into a preallocated C.
    let n = 1024;
    let a = DMatrix::<T>::from_fn(n, n, |i, j| T::cast(((i * 7 + j * 3) % 11) as f64 / 11.0));
    let b_mat = a.transpose();
    let mut out = DMatrix::<T>::zeros(n, n);
    group.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    group.bench_function(format!("nalgebra_gemm_1024_{}", T::NAME), |b| {
        b.iter(|| out.gemm(T::cast(1.0), &a, &b_mat, T::cast(0.0)));
    });
    let (a_slice, b_slice) = (a.as_slice(), b_mat.as_slice());
    group.bench_function(format!("faer_gemm_1024_{}", T::NAME), |b| {
        b.iter(|| {
            faer::linalg::matmul::matmul(
                faer::MatMut::from_column_major_slice_mut(out.as_mut_slice(), n, n),
                faer::Accum::Replace,
                faer::MatRef::from_column_major_slice(a_slice, n, n),
                faer::MatRef::from_column_major_slice(b_slice, n, n),
                T::cast(1.0),
                faer::Par::Seq,
            );
        });
    });
    group.finish();
    passes(c, &W4, &net);
}

/// W5: forward alone and forward + backward at a workload's shape.
fn passes<T: Scalar>(c: &mut Criterion, workload: &Workload, net: &Mlp<T>) {
    let (inputs, labels) = data::<T>(workload.widths[0], workload.batch, 10);
    let mut ws = net.workspace(workload.batch).expect("batch > 0");
    let mut grad = vec![T::cast(0.0); net.n_params()];
    let mut group = c.benchmark_group(format!("W5_{}", workload.name));
    if workload.batch > 100 {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(6));
    }
    group.throughput(Throughput::Elements(workload.batch as u64));
    group.bench_function(format!("forward_{}", T::NAME), |b| {
        b.iter(|| {
            net.forward(&mut ws, &inputs).expect("valid batch");
        });
    });
    group.bench_function(format!("fwd_bwd_{}", T::NAME), |b| {
        b.iter(|| {
            black_box(
                net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)
                    .expect("valid batch"),
            )
        });
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench_w2::<f32>(&mut c);
    bench_w2::<f64>(&mut c);
    bench_w3::<f32>(&mut c);
    bench_w3::<f64>(&mut c);
    bench_w4::<f32>(&mut c);
    bench_w4::<f64>(&mut c);
    c.final_summary();
}
