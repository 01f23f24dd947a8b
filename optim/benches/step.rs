//! One optimizer `step` at 10³, 10⁵ and 10⁶ parameters, in f32 and f64, against the
//! machine's memory bandwidth measured in the same run.
//!
//!     cargo bench -p optim --bench step
//!
//! An optimizer step reads and writes every parameter and state value once and does a few
//! flops per value, so it is memory-bound: the figure of merit is bytes moved per second
//! (parameters, gradients and state, each read and written value counted once), compared
//! with a plain copy. Criterion reports each benchmark's throughput in bytes per second; at
//! the end this binary reads criterion's estimates back and prints one table with
//! nanoseconds per parameter, GB/s and the fraction of copy bandwidth.
//!
//! Two copies are measured: one of the same size as one 10⁶-parameter f64 array (the data
//! an optimizer step touches at that size stays, mostly, in a large last-level cache between
//! steps, 32 MiB on this project's machine, so this is the like-for-like reference), and a
//! large one of 256 MiB per buffer (main memory, the "machine's memory bandwidth").

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use num_traits::Float;
use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, Rmsprop,
    RmspropConfig, Sgd, SgdConfig,
};

/// Parameter counts benchmarked.
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

/// One benchmarked rule: its name, how many values of `T` one step moves per parameter
/// (reads plus writes of parameters, gradients and state), and a constructor.
struct Rule<T> {
    name: &'static str,
    values_moved: usize,
    build: fn() -> Box<dyn Optimizer<T>>,
}

fn rules<T: Float + 'static>() -> Vec<Rule<T>> {
    vec![
        // Reads p, g; writes p.
        Rule {
            name: "sgd",
            values_moved: 3,
            build: || Box::new(Sgd::new(SgdConfig::default()).unwrap()),
        },
        // Reads p, g, b; writes p, b.
        Rule {
            name: "sgd_momentum",
            values_moved: 5,
            build: || {
                Box::new(
                    Sgd::new(SgdConfig {
                        momentum: 0.9,
                        ..SgdConfig::default()
                    })
                    .unwrap(),
                )
            },
        },
        Rule {
            name: "sgd_nesterov",
            values_moved: 5,
            build: || {
                Box::new(
                    Sgd::new(SgdConfig {
                        momentum: 0.9,
                        nesterov: true,
                        ..SgdConfig::default()
                    })
                    .unwrap(),
                )
            },
        },
        // Reads p, g, s; writes p, s.
        Rule {
            name: "adagrad",
            values_moved: 5,
            build: || Box::new(Adagrad::new(AdagradConfig::default()).unwrap()),
        },
        // Reads p, g, v; writes p, v.
        Rule {
            name: "rmsprop",
            values_moved: 5,
            build: || Box::new(Rmsprop::new(RmspropConfig::default()).unwrap()),
        },
        // Reads p, g, m, v; writes p, m, v.
        Rule {
            name: "adam",
            values_moved: 7,
            build: || Box::new(Adam::new(AdamConfig::default()).unwrap()),
        },
        Rule {
            name: "adamw",
            values_moved: 7,
            build: || Box::new(AdamW::new(AdamWConfig::default()).unwrap()),
        },
    ]
}

fn bench_steps<T: Float + 'static>(c: &mut Criterion, type_name: &str) {
    let mut group = c.benchmark_group(format!("step_{type_name}"));
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    for rule in rules::<T>() {
        for &n in &SIZES {
            let mut params = vec![T::from(0.5).unwrap(); n];
            // Gradients of both signs and several sizes, all finite.
            let grads: Vec<T> = (0..n)
                .map(|i| T::from(((i % 17) as f64 - 8.0) * 1e-3).unwrap())
                .collect();
            let mut optimizer = (rule.build)();
            // The first step creates the state; the benchmark measures steps after it.
            optimizer.step(&mut params, &grads).unwrap();
            let bytes = rule.values_moved * n * std::mem::size_of::<T>();
            group.throughput(Throughput::Bytes(bytes as u64));
            group.bench_with_input(BenchmarkId::new(rule.name, n), &n, |b, _| {
                b.iter(|| {
                    optimizer
                        .step(black_box(&mut params), black_box(&grads))
                        .unwrap();
                });
            });
        }
    }
    group.finish();
}

/// Copy sizes in bytes per buffer: one 10⁶-parameter f64 array, and a large copy.
const COPY_BYTES: [usize; 2] = [8_000_000, 256 << 20];

fn bench_copy(c: &mut Criterion) {
    let mut group = c.benchmark_group("memcpy");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    for &bytes in &COPY_BYTES {
        let source = vec![1.0_f64; bytes / 8];
        let mut destination = vec![0.0_f64; bytes / 8];
        // A copy reads the source and writes the destination: twice its size moved.
        group.throughput(Throughput::Bytes(2 * bytes as u64));
        group.bench_with_input(BenchmarkId::new("copy", bytes), &bytes, |b, _| {
            b.iter(|| destination.copy_from_slice(black_box(&source)));
        });
    }
    group.finish();
}

/// Where criterion keeps its results (the same rule criterion follows, falling back to the
/// `target` directory that holds this benchmark's executable).
fn criterion_home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(target).join("criterion"));
    }
    // target/<profile>/deps/step-<hash>
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// Criterion's estimate of one iteration, in nanoseconds (the slope when it has one).
fn estimate_ns(home: &std::path::Path, group: &str, function: &str, value: usize) -> Option<f64> {
    let path = home
        .join(group)
        .join(function)
        .join(value.to_string())
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("slope")
        .and_then(|s| s.get("point_estimate"))
        .and_then(serde_json::Value::as_f64)
        .or_else(|| json["mean"]["point_estimate"].as_f64())
}

fn print_table() {
    let Some(home) = criterion_home() else { return };
    let copy_gbs: Vec<Option<f64>> = COPY_BYTES
        .iter()
        .map(|&bytes| estimate_ns(&home, "memcpy", "copy", bytes).map(|ns| 2.0 * bytes as f64 / ns))
        .collect();
    let (Some(cached), Some(large)) = (copy_gbs[0], copy_gbs[1]) else {
        return;
    };
    println!();
    println!(
        "copy bandwidth: {cached:.1} GB/s at 8 MB (cache-resident), {large:.1} GB/s at 256 MiB (main memory)"
    );
    println!();
    println!(
        "| rule | type | parameters | ns/parameter | GB/s | % of 8 MB copy | % of 256 MiB copy |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (type_name, size) in [("f32", 4), ("f64", 8)] {
        for rule in rules::<f64>() {
            for &n in &SIZES {
                let group = format!("step_{type_name}");
                let Some(ns) = estimate_ns(&home, &group, rule.name, n) else {
                    continue;
                };
                let gbs = (rule.values_moved * n * size) as f64 / ns;
                println!(
                    "| {} | {type_name} | {n} | {:.3} | {gbs:.1} | {:.0} % | {:.0} % |",
                    rule.name,
                    ns / n as f64,
                    100.0 * gbs / cached,
                    100.0 * gbs / large,
                );
            }
        }
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench_copy(&mut criterion);
    bench_steps::<f32>(&mut criterion, "f32");
    bench_steps::<f64>(&mut criterion, "f64");
    criterion.final_summary();
    // `cargo bench` passes `--bench`; `cargo test --benches` runs each benchmark once without it.
    if std::env::args().any(|arg| arg == "--bench") {
        print_table();
    }
}
