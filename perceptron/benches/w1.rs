//! Workload W1 (`../shared/peers/README.md`): a 4 → 1 sigmoid neuron, ½·MSE, online SGD with
//! learning rate 0.1, 100 epochs over Iris setosa against versicolor (100 samples, raw cm
//! features, fixed order), from zero weights. Reported per sample: time / 10 000.
//!
//! Run with `cargo bench -p perceptron --bench w1`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use optim::{Optimizer, Sgd, SgdConfig};
use perceptron::{FixedNeuron, Loss, Neuron, data};

const EPOCHS: usize = 100;
const LEARNING_RATE: f64 = 0.1;

fn w1_data() -> (Vec<[f64; 4]>, Vec<f64>) {
    let iris = data::iris()
        .only_classes(&[0, 1])
        .expect("iris has setosa and versicolor");
    let inputs = iris.rows().map(|r| [r[0], r[1], r[2], r[3]]).collect();
    let targets = iris.labels().iter().map(|&label| label as f64).collect();
    (inputs, targets)
}

fn w1(c: &mut Criterion) {
    let (inputs, targets) = w1_data();
    let samples = (EPOCHS * inputs.len()) as u64;
    let mut group = c.benchmark_group("w1");
    group.throughput(Throughput::Elements(samples));
    group.bench_function("fixed_neuron_whole_training", |b| {
        b.iter(|| {
            let mut neuron = FixedNeuron::<4>::zeros();
            neuron
                .train_sgd(
                    black_box(&inputs),
                    black_box(&targets),
                    LEARNING_RATE,
                    EPOCHS,
                    Loss::HalfSquaredError,
                )
                .expect("w1 trains");
            neuron
        });
    });
    group.sample_size(10);
    let flat: Vec<f64> = inputs.iter().flatten().copied().collect();
    group.bench_function("neuron_and_optim_sgd_whole_training", |b| {
        b.iter(|| {
            let mut neuron = Neuron::zeros(4).expect("4 inputs");
            let mut sgd = Sgd::new(SgdConfig {
                learning_rate: LEARNING_RATE,
                ..SgdConfig::default()
            })
            .expect("valid config");
            for _ in 0..EPOCHS {
                for (x, y) in flat.chunks_exact(4).zip(&targets) {
                    let gradient = neuron
                        .gradient(x, std::slice::from_ref(y), Loss::HalfSquaredError)
                        .expect("valid sample");
                    sgd.step(neuron.params_mut(), gradient.as_slice())
                        .expect("finite gradient");
                }
            }
            neuron
        });
    });
    group.finish();
}

fn online_step(c: &mut Criterion) {
    let (inputs, targets) = w1_data();
    let mut group = c.benchmark_group("online_step");
    group.throughput(Throughput::Elements(1));
    let mut neuron = FixedNeuron::<4>::zeros();
    group.bench_function("fixed_neuron_sgd_step", |b| {
        b.iter(|| {
            neuron
                .sgd_step(
                    black_box(&inputs[50]),
                    black_box(targets[50]),
                    LEARNING_RATE,
                    Loss::HalfSquaredError,
                )
                .expect("finite step");
        });
    });
    group.finish();
}

criterion_group!(benches, w1, online_step);
criterion_main!(benches);
