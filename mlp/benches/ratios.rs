//! The targets of issue 5 that are ratios of two timings, measured interleaved.
//!
//!     cargo bench -p mlp --bench ratios
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
//! - W5: backward time over forward time, $(t_{\text{forward+backward}} - t_{\text{forward}})
//!   / t_{\text{forward}}$, at the W4 and W2 shapes (the forward time leaves out the loss).
//!
//! Each in `f32` and `f64`. Plain `main`, no criterion: the output is the table.

// Workload names (ReLU, Adam) in the docs are prose, not code.
#![allow(clippy::doc_markdown)]

mod shared;

use std::hint::black_box;
use std::time::Instant;

use mlp::{Mlp, Scalar, Targets};
use shared::{Square, StepProducts, W2, W4, W4Step, Workload, data, peak};

/// Rounds per ratio; the median of this many is stable to about a per cent here.
const ROUNDS: usize = 31;

fn main() {
    println!("ratio                                        type  median   min     max");
    w4_throughput::<f32>();
    w4_throughput::<f64>();
    backward_over_forward::<f32>(&W4, 4);
    backward_over_forward::<f64>(&W4, 2);
    backward_over_forward::<f32>(&W2, 2000);
    backward_over_forward::<f64>(&W2, 1000);
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
        "{name:44} {type_name:5} {:6.3}  {:6.3}  {:6.3}",
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
