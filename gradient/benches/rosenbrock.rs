//! The cheap gradient principle, measured: the gradient of Rosenbrock's function in
//! $n = 2 \dots 1000$ dimensions by forward mode, reverse mode and central differences,
//! each against the cost of one evaluation of $f$.
//!
//! Run with `cargo bench -p gradient --bench rosenbrock` (or `cargo xtask bench -p gradient`).
//! After criterion's own output it prints the table of cost(gradient) / cost(f) from the
//! median times criterion saved (the median, because on a shared machine a few slow outliers
//! can move a mean by tens of percent); reverse mode should stay near a constant while
//! forward mode and differences grow like $n$.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, criterion_group};
use gradient::ScalarFunction;
use gradient::test_functions::{Rosenbrock, TestFunction};

/// The dimensions measured.
const DIMENSIONS: [usize; 5] = [2, 10, 100, 300, 1000];

/// The criterion group, also the folder its estimates are saved in.
const GROUP: &str = "rosenbrock";

/// The measured ways: `value` is the cost of $f$ itself, the unit of the ratios.
const METHODS: [&str; 4] = ["value", "forward", "reverse", "central"];

fn rosenbrock(c: &mut Criterion) {
    let mut group = c.benchmark_group(GROUP);
    for n in DIMENSIONS {
        let f = Rosenbrock::new(n).expect("every benchmarked dimension is at least 2");
        let x = f.starting_point();
        group.bench_with_input(BenchmarkId::new("value", n), &x, |b, x| {
            b.iter(|| f.value(black_box(x)));
        });
        group.bench_with_input(BenchmarkId::new("forward", n), &x, |b, x| {
            b.iter(|| gradient::forward_gradient(&f, black_box(x)));
        });
        group.bench_with_input(BenchmarkId::new("reverse", n), &x, |b, x| {
            b.iter(|| gradient::reverse_gradient(&f, black_box(x)));
        });
        group.bench_with_input(BenchmarkId::new("central", n), &x, |b, x| {
            b.iter(|| gradient::central_gradient(&f, black_box(x)));
        });
    }
    group.finish();
}

criterion_group!(benches, rosenbrock);

fn main() {
    benches();
    let criterion = Criterion::default().configure_from_args();
    criterion.final_summary();
    print_ratios();
}

/// Prints cost(gradient) / cost(f) for every dimension whose estimates criterion saved.
fn print_ratios() {
    let dir = criterion_dir().join(GROUP);
    let mut rows = Vec::new();
    for n in DIMENSIONS {
        let times: Option<Vec<f64>> = METHODS
            .iter()
            .map(|method| median_nanoseconds(&dir.join(method).join(n.to_string())))
            .collect();
        if let Some(times) = times {
            rows.push((n, times));
        }
    }
    if rows.is_empty() {
        return;
    }
    println!("\ncost(gradient) / cost(f) for Rosenbrock (median times from criterion)\n");
    println!("| n | f | forward | reverse | central |");
    println!("|---:|---:|---:|---:|---:|");
    for (n, times) in rows {
        let value = times[0];
        println!(
            "| {n} | {} | {:.1} | {:.1} | {:.1} |",
            format_time(value),
            times[1] / value,
            times[2] / value,
            times[3] / value
        );
    }
}

/// Where criterion saves its results, by its own rule: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

/// The median time in nanoseconds saved in `<dir>/new/estimates.json`, if there is one.
fn median_nanoseconds(dir: &std::path::Path) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join("new").join("estimates.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// A time in nanoseconds with a readable unit.
fn format_time(nanoseconds: f64) -> String {
    if nanoseconds < 1e3 {
        format!("{nanoseconds:.0} ns")
    } else if nanoseconds < 1e6 {
        format!("{:.1} µs", nanoseconds / 1e3)
    } else {
        format!("{:.1} ms", nanoseconds / 1e6)
    }
}
