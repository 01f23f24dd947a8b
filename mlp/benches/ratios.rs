//! The targets of issue 5 that are ratios of two timings, measured interleaved.
//!
//!     cargo bench -p mlp --bench ratios
//!     cargo bench -p mlp --bench ratios -- layouts    # the sections whose name has `layouts`
//!
//! Criterion (`benches/workloads.rs`) measures one benchmark after the other for seconds
//! each, and a shared machine's speed drifts between them: on this project's machine `faer`'s
//! $1024 \times 1024$ product ran at 213 GFLOP/s in one run and at 240 in the next, so a
//! ratio of two criterion medians taken minutes apart can be off by as much. Here the two
//! sides of each ratio alternate in short rounds, the ratio is taken within each round, and
//! the median over the rounds is printed with its range:
//!
//! - W4 (784-1024-1024-10 ReLU, batch 256, SGD), one thread: the GEMM throughput of the
//!   step's matrix products (replayed alone, as in `workloads.rs`) and of the whole training
//!   step, each over `faer`'s own rate on a $1024 \times 1024$ product; and that product's
//!   rate over the core's multiply-add peak.
//! - W4, one thread, product by product: each of the step's products at its GEMM rate over
//!   the 1024² product's, timed inside the replayed sequence (the previous product's data in
//!   the caches) and repeated alone (its own data in the caches), to show where the step's
//!   products lose throughput.
//! - W4, one thread, the layout of $\delta$ in each hidden layer's weight gradient
//!   $\nabla W = \delta A_{\text{prev}}^\top$: the product's time with $\delta$ stored sample
//!   by sample over its time with $\delta$ feature by feature (why the workspace copies it,
//!   see `Workspace`), and that copy's time by `faer`'s `copy_from` and by the workspace's
//!   tiled `mlp::matmul::copy_to_feature_major`, in milliseconds and as a ratio.
//! - W5: backward time over forward time, $(t_{\text{forward+backward}} - t_{\text{forward}})
//!   / t_{\text{forward}}$, at the W4 and W2 shapes (the forward time leaves out the loss).
//!
//! Each in `f32` and `f64`. Plain `main`, no criterion: the output is the table.

// Workload names (ReLU, Adam) in the docs are prose, not code.
#![allow(clippy::doc_markdown)]

mod shared;

use std::hint::black_box;
use std::time::Instant;

use faer::{MatMut, MatRef};
use mlp::matmul::{batch_matrix, copy_to_feature_major, gemm};
use mlp::{Mlp, Scalar, Targets};
use shared::{Square, StepProducts, W2, W4, W4Step, Workload, data, peak};

/// Rounds per ratio; the median of this many is stable to about a per cent here.
const ROUNDS: usize = 31;

fn main() {
    // `cargo bench` passes `--bench`; any other argument picks the sections whose name
    // contains it.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let sections: [(&str, fn()); 10] = [
        ("W4 throughput f32", w4_throughput::<f32>),
        ("W4 throughput f64", w4_throughput::<f64>),
        ("W4 products f32", w4_products::<f32>),
        ("W4 products f64", w4_products::<f64>),
        ("W4 layouts f32", w4_delta_layouts::<f32>),
        ("W4 layouts f64", w4_delta_layouts::<f64>),
        ("W5 at W4 f32", || backward_over_forward::<f32>(&W4, 4)),
        ("W5 at W4 f64", || backward_over_forward::<f64>(&W4, 2)),
        ("W5 at W2 f32", || backward_over_forward::<f32>(&W2, 2000)),
        ("W5 at W2 f64", || backward_over_forward::<f64>(&W2, 1000)),
    ];
    let chosen: Vec<(&str, fn())> = sections
        .into_iter()
        .filter(|(name, _)| {
            filters.is_empty() || filters.iter().any(|filter| name.contains(filter.as_str()))
        })
        .collect();
    if chosen.is_empty() {
        eprintln!(
            "no section's name contains {filters:?}; the sections are: {}",
            sections.map(|(name, _)| name).join(", ")
        );
        std::process::exit(2);
    }
    println!("{:50} type  median   min     max", "ratio");
    for (_, run) in chosen {
        run();
    }
}

/// Seconds per call of `f`, over `repeats` calls.
fn seconds(repeats: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..repeats {
        f();
    }
    start.elapsed().as_secs_f64() / repeats as f64
}

/// Prints the median, smallest and largest of `ratios`.
fn report(name: &str, type_name: &str, mut ratios: Vec<f64>) {
    ratios.sort_by(f64::total_cmp);
    println!(
        "{name:50} {type_name:5} {:6.3}  {:6.3}  {:6.3}",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// W4 on one thread: the step's products, the whole step and the backend's 1024² product,
/// alternating; and the multiply-add peak.
fn w4_throughput<T: Scalar>() {
    let W4Step {
        mut net,
        inputs,
        labels,
        mut ws,
        mut optimizer,
    } = W4Step::<T>::new();
    let mut products = StepProducts::new(&W4, &net, &mut ws, &inputs);
    let mut square = Square::<T>::new();
    let reference_flops = square.flops() as f64;
    let step_flops = W4.step_flops() as f64;
    // Warm up every side (packing buffers, page faults, the optimizer's first step).
    for _ in 0..3 {
        square.run();
        products.run(1);
        net.train_step(&mut ws, &inputs, Targets::Labels(&labels), &mut optimizer)
            .expect("finite");
    }
    let (mut of_products, mut of_step, mut of_peak) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let reference_rate = reference_flops / seconds(3, || square.run());
        let products_rate = step_flops / seconds(3, || products.run(1));
        let step_rate = step_flops
            / seconds(3, || {
                black_box(
                    net.train_step(&mut ws, &inputs, Targets::Labels(&labels), &mut optimizer)
                        .expect("finite"),
                );
            });
        let peak_rate = peak::flops::<T>() as f64
            / seconds(20, || {
                black_box(peak::run::<T>());
            });
        of_products.push(products_rate / reference_rate);
        of_step.push(step_rate / reference_rate);
        of_peak.push(reference_rate / peak_rate);
    }
    report(
        "W4 step's products / faer 1024^2 (1 thread)",
        T::NAME,
        of_products,
    );
    report("W4 whole step / faer 1024^2 (1 thread)", T::NAME, of_step);
    report("faer 1024^2 / multiply-add peak", T::NAME, of_peak);
}

/// W4 on one thread, each product of the step over the 1024² rate: timed in the step's order,
/// and repeated alone, in alternating rounds.
fn w4_products<T: Scalar>() {
    let W4Step {
        net,
        inputs,
        mut ws,
        ..
    } = W4Step::<T>::new();
    let mut products = StepProducts::new(&W4, &net, &mut ws, &inputs);
    let mut square = Square::<T>::new();
    let order = products.order();
    for _ in 0..3 {
        square.run();
        products.run(1);
    }
    let mut in_sequence = vec![Vec::new(); order.len()];
    let mut alone = vec![Vec::new(); order.len()];
    for _ in 0..ROUNDS {
        let reference_rate = square.flops() as f64 / seconds(3, || square.run());
        let mut sequence_seconds = vec![0.0; order.len()];
        for _ in 0..3 {
            for (i, &product) in order.iter().enumerate() {
                sequence_seconds[i] += seconds(1, || products.run_one(product, 1)) / 3.0;
            }
        }
        for (i, &product) in order.iter().enumerate() {
            let flops = products.flops(product) as f64;
            in_sequence[i].push(flops / sequence_seconds[i] / reference_rate);
            let t = seconds(3, || products.run_one(product, 1));
            alone[i].push(flops / t / reference_rate);
        }
    }
    for ((product, in_sequence), alone) in order.iter().zip(in_sequence).zip(alone) {
        report(
            &format!("W4 {product:?} in the step / faer 1024^2"),
            T::NAME,
            in_sequence,
        );
        report(
            &format!("W4 {product:?} alone / faer 1024^2"),
            T::NAME,
            alone,
        );
    }
}

/// W4 on one thread, each hidden layer's weight gradient with its $\delta$ sample-major and
/// feature-major, and the copy from one layout to the other by `faer` and by the tiled loop,
/// alternating.
fn w4_delta_layouts<T: Scalar>() {
    let W4Step {
        net,
        inputs,
        mut ws,
        ..
    } = W4Step::<T>::new();
    net.forward(&mut ws, &inputs).expect("valid batch");
    let batch = W4.batch;
    let filled = |len: usize, seed: usize| -> Vec<T> {
        (0..len)
            .map(|i| T::cast((((i + seed) * 7 % 13) as f64) / 13.0 - 0.4))
            .collect()
    };
    for l in 0..W4.widths.len() - 2 {
        let (n_in, n_out) = (W4.widths[l], W4.widths[l + 1]);
        // The previous layer's activations in the layout the library stores them in.
        let prev_feature_major = l > 0 && ws.activations(l - 1).strides().0 != 1;
        let a_prev = if l == 0 {
            inputs.clone()
        } else {
            filled(n_in * batch, 1)
        };
        let delta = filled(n_out * batch, 2);
        let mut delta_fm = vec![T::cast(0.0); n_out * batch];
        copy_to_feature_major(&delta, n_out, batch, &mut delta_fm);
        let mut grad_w = vec![T::cast(0.0); n_out * n_in];
        let mut product = |delta: &[T], feature_major: bool| {
            gemm(
                MatMut::from_row_major_slice_mut(&mut grad_w, n_out, n_in),
                batch_matrix(delta, n_out, batch, feature_major),
                batch_matrix(&a_prev, n_in, batch, prev_feature_major).transpose(),
                false,
                1,
            );
        };
        let mut copy_target = vec![T::cast(0.0); n_out * batch];
        for _ in 0..3 {
            product(&delta, false);
            product(&delta_fm, true);
        }
        let (mut sample_ms, mut feature_ms, mut of_products) = (Vec::new(), Vec::new(), Vec::new());
        let (mut faer_ms, mut tiled_ms, mut of_copies) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let t_sample = seconds(3, || product(&delta, false));
            let t_feature = seconds(3, || product(&delta_fm, true));
            let t_faer = seconds(10, || {
                MatMut::from_row_major_slice_mut(&mut copy_target, n_out, batch)
                    .copy_from(MatRef::from_column_major_slice(&delta, n_out, batch));
                black_box(&copy_target);
            });
            let t_tiled = seconds(10, || {
                copy_to_feature_major(&delta, n_out, batch, &mut copy_target);
                black_box(&copy_target);
            });
            sample_ms.push(t_sample * 1e3);
            feature_ms.push(t_feature * 1e3);
            of_products.push(t_sample / t_feature);
            faer_ms.push(t_faer * 1e3);
            tiled_ms.push(t_tiled * 1e3);
            of_copies.push(t_faer / t_tiled);
        }
        let layer = l + 1;
        for (name, values) in [
            (
                format!("W4 grad_w_{layer}, delta sample-major (ms)"),
                sample_ms,
            ),
            (
                format!("W4 grad_w_{layer}, delta feature-major (ms)"),
                feature_ms,
            ),
            (
                format!("W4 grad_w_{layer}: sample-major / feature-major"),
                of_products,
            ),
            (
                format!("W4 delta_{layer} copy, faer copy_from (ms)"),
                faer_ms,
            ),
            (format!("W4 delta_{layer} copy, tiled (ms)"), tiled_ms),
            (format!("W4 delta_{layer} copy: faer / tiled"), of_copies),
        ] {
            report(&name, T::NAME, values);
        }
    }
}

/// W5 at a workload's shape: (forward + backward - forward) / forward, alternating.
fn backward_over_forward<T: Scalar>(workload: &Workload, repeats: usize) {
    let net: Mlp<T> = workload.network();
    let (inputs, labels) = data::<T>(workload.widths[0], workload.batch, 10);
    let mut ws = net.workspace(workload.batch).expect("batch > 0");
    let mut grad = vec![T::cast(0.0); net.n_params()];
    net.forward(&mut ws, &inputs).expect("valid batch");
    let mut ratios = Vec::new();
    for _ in 0..ROUNDS {
        let t_forward = seconds(repeats, || {
            net.forward(&mut ws, &inputs).expect("valid batch");
        });
        let t_both = seconds(repeats, || {
            black_box(
                net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)
                    .expect("valid batch"),
            );
        });
        ratios.push((t_both - t_forward) / t_forward);
    }
    report(
        &format!("W5 at {}: backward / forward", workload.name),
        T::NAME,
        ratios,
    );
}
