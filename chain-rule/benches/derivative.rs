//! The derivative of a depth-8 composition by dual numbers, by the tape and by central
//! differences, next to one plain evaluation and the hand chain rule.
//!
//! Run with `cargo bench -p chain-rule`.

use std::hint::black_box;

use chain_rule::composition::Chain;
use chain_rule::elementary::{self, Elementary};
use chain_rule::finite_difference::Scheme;
use chain_rule::{Dual, Real, Tape};
use criterion::{Criterion, criterion_group, criterion_main};

/// y = cos(softplus(tanh(sigmoid(exp(sin((3x + 1)^2)))))): eight links, written once.
fn depth8<T: Real>(x: T) -> T {
    let u = T::from_f64(3.0) * x + T::one();
    let u = u.powi(2);
    let u = u.sin();
    let u = u.exp();
    let u = elementary::sigmoid(u);
    let u = elementary::tanh(u);
    let u = elementary::softplus(u);
    u.cos()
}

/// The same eight links as data, for the hand chain rule.
fn depth8_chain() -> Chain {
    Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
        Elementary::Sin,
        Elementary::Exp,
        Elementary::Sigmoid,
        Elementary::Tanh,
        Elementary::Softplus,
        Elementary::Cos,
    ])
    .expect("finite parameters")
}

fn derivative(c: &mut Criterion) {
    let x = 0.3;
    let chain = depth8_chain();
    let mut group = c.benchmark_group("depth-8 derivative");
    group.bench_function("value only (f64)", |b| b.iter(|| depth8(black_box(x))));
    group.bench_function("duals", |b| {
        b.iter(|| depth8(Dual::variable(black_box(x))).derivative);
    });
    group.bench_function("tape", |b| {
        b.iter(|| {
            let tape = Tape::with_capacity(16);
            let x_var = tape.var(black_box(x));
            depth8(x_var).backward().wrt(x_var)
        });
    });
    group.bench_function("central difference", |b| {
        b.iter(|| Scheme::Central.derivative(depth8, black_box(x)));
    });
    group.bench_function("chain rule by hand (Chain::derivative)", |b| {
        b.iter(|| chain.derivative(black_box(x)));
    });
    group.finish();
}

criterion_group!(benches, derivative);
criterion_main!(benches);
