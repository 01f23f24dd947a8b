//! The matrix backward pass against central differences from `gradient`'s checker and
//! against reverse mode on the `chain_rule` tape, over random architectures, activations,
//! losses and batches; and the directional check on wider networks.

use approx::relative_eq;
use chain_rule::{Real, Tape};
use gradient::GradientChecker;
use mlp::{Activation, Loss, Mlp, Targets};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Threshold of the coordinate-wise check, in f64. The checker's floor makes coordinates
/// below its own uncertainty estimate absolute, so this is the relative error allowed for
/// well-resolved coordinates: central differences in f64 reach about 1e-10 relative on these
/// smooth losses of O(1) values, a real bug (sign, transpose, missing factor) gives 1e-2 or
/// more. 1e-6 sits between with four orders of magnitude on each side (see `gradient`'s
/// module docs).
const GRAD_TOL: f64 = 1e-6;

/// Every activation a hidden layer may use.
fn hidden_activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        Just(Activation::LeakyRelu { slope: 0.1 }),
        Just(Activation::Softplus),
    ]
}

/// An output layer and loss that fit together, including MSE through softmax and the two
/// kinds of softmax targets.
#[derive(Clone, Copy, Debug)]
enum Head {
    Mse(Activation),
    BinaryCrossEntropy,
    SoftmaxLabels,
    SoftmaxOneHot,
}

fn head() -> impl Strategy<Value = Head> {
    prop_oneof![
        hidden_activation().prop_map(Head::Mse),
        Just(Head::Mse(Activation::Softmax)),
        Just(Head::BinaryCrossEntropy),
        Just(Head::SoftmaxLabels),
        Just(Head::SoftmaxOneHot),
    ]
}

/// A random network spec: 1-4 hidden layers of width 1-8, a head, batch 1-5, a seed.
#[derive(Clone, Debug)]
struct Case {
    n_inputs: usize,
    hidden: Vec<(usize, Activation)>,
    n_outputs: usize,
    head: Head,
    batch: usize,
    l2: f64,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        1_usize..=6,
        prop::collection::vec((1_usize..=8, hidden_activation()), 1..=4),
        1_usize..=4,
        head(),
        1_usize..=5,
        prop_oneof![Just(0.0), 0.0..0.5],
        any::<u64>(),
    )
        .prop_map(|(n_inputs, hidden, n_outputs, head, batch, l2, seed)| {
            let n_outputs = match head {
                Head::SoftmaxLabels | Head::SoftmaxOneHot | Head::Mse(Activation::Softmax) => {
                    n_outputs.max(2)
                }
                _ => n_outputs,
            };
            Case {
                n_inputs,
                hidden,
                n_outputs,
                head,
                batch,
                l2,
                seed,
            }
        })
}

/// The network, inputs and targets of a case (targets as owned data).
struct Problem {
    net: Mlp<f64>,
    inputs: Vec<f64>,
    labels: Vec<usize>,
    dense: Vec<f64>,
    use_labels: bool,
}

fn problem(case: &Case) -> Problem {
    let (output, loss) = match case.head {
        Head::Mse(a) => (a, Loss::Mse),
        Head::BinaryCrossEntropy => (Activation::Sigmoid, Loss::BinaryCrossEntropy),
        Head::SoftmaxLabels | Head::SoftmaxOneHot => {
            (Activation::Softmax, Loss::SoftmaxCrossEntropy)
        }
    };
    let mut builder = Mlp::<f64>::builder(case.n_inputs)
        .seed(case.seed)
        .l2(case.l2);
    for &(width, activation) in &case.hidden {
        builder = builder.hidden(width, activation);
    }
    let mut net = builder
        .output(case.n_outputs, output)
        .loss(loss)
        .build()
        .expect("valid spec");
    let mut rng = ChaCha8Rng::seed_from_u64(case.seed ^ 0x5eed);
    // Non-zero biases, so that bias gradients are exercised away from the initial point.
    for layer in net.layers().to_vec() {
        for i in layer.biases_range() {
            net.params_mut()[i] = rng.random_range(-0.5..0.5);
        }
    }
    let inputs = (0..case.n_inputs * case.batch)
        .map(|_| rng.random_range(-2.0..2.0))
        .collect();
    let n_classes = case.n_outputs.max(2);
    let labels = (0..case.batch)
        .map(|_| rng.random_range(0..n_classes))
        .collect();
    let dense = match case.head {
        Head::Mse(_) => (0..case.n_outputs * case.batch)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect(),
        _ => (0..case.n_outputs * case.batch)
            .map(|_| rng.random_range(0.0..1.0))
            .collect(),
    };
    let use_labels = matches!(case.head, Head::SoftmaxLabels);
    Problem {
        net,
        inputs,
        labels,
        dense,
        use_labels,
    }
}

impl Problem {
    fn targets(&self) -> Targets<'_, f64> {
        if self.use_labels {
            Targets::Labels(&self.labels)
        } else {
            Targets::Dense(&self.dense)
        }
    }

    /// The objective at parameters `params` (the closure the checker differentiates).
    fn objective(&self, params: &[f64]) -> f64 {
        let mut net = self.net.clone();
        net.set_params(params).expect("same length");
        let mut ws = net
            .workspace(self.inputs.len() / net.n_inputs())
            .expect("batch > 0");
        net.loss(&mut ws, &self.inputs, self.targets())
            .expect("valid batch")
    }

    fn gradient(&self) -> (f64, Vec<f64>) {
        let mut ws = self
            .net
            .workspace(self.inputs.len() / self.net.n_inputs())
            .expect("batch > 0");
        let mut grad = vec![0.0; self.net.n_params()];
        let loss = self
            .net
            .loss_and_gradient(&mut ws, &self.inputs, self.targets(), &mut grad)
            .expect("valid batch");
        (loss, grad)
    }

    /// Whether a ReLU-like unit sits within `margin` of its kink, where central differences
    /// straddle the kink and mean nothing.
    fn near_kink(&self, margin: f64) -> bool {
        let mut ws = self
            .net
            .workspace(self.inputs.len() / self.net.n_inputs())
            .expect("batch > 0");
        self.net
            .forward(&mut ws, &self.inputs)
            .expect("valid batch");
        self.net.layers().iter().enumerate().any(|(l, layer)| {
            matches!(
                layer.activation(),
                Activation::Relu | Activation::LeakyRelu { .. }
            ) && ws.pre_activations(l).iter().any(|z| z.abs() < margin)
        })
    }
}

proptest! {
    #[test]
    fn backward_pass_matches_central_differences(case in case()) {
        let p = problem(&case);
        // A step of about 6e-6 times max(1, |x|) moves a pre-activation by far less than
        // 1e-3; units closer than that to a kink are skipped.
        prop_assume!(!p.near_kink(1e-3));
        let (loss, grad) = p.gradient();
        prop_assert!((loss - p.objective(p.net.params())).abs() <= 1e-12 * loss.abs().max(1.0));
        let report = GradientChecker::new(GRAD_TOL)
            .unwrap()
            .check(|x| p.objective(x), p.net.params(), &grad)
            .unwrap();
        prop_assert!(report.passed(), "{case:?}\n{report}");
    }
}

/// The same network written with scalars, one sample and one unit at a time, over any
/// [`Real`]: on the `chain_rule` tape it gives reverse-mode gradients that share no code with
/// the matrix backward pass (only `chain_rule::elementary`'s functions, through
/// `Activation::apply`).
fn scalar_objective<T: Real>(
    net: &Mlp<f64>,
    params: &[T],
    inputs: &[f64],
    labels: &[usize],
    dense: &[f64],
    use_labels: bool,
) -> T {
    let k_out = net.n_outputs();
    let batch = inputs.len() / net.n_inputs();
    let mut total = T::zero();
    for b in 0..batch {
        let mut a: Vec<T> = inputs[b * net.n_inputs()..(b + 1) * net.n_inputs()]
            .iter()
            .map(|&x| T::from_f64(x))
            .collect();
        let mut z = Vec::new();
        for layer in net.layers() {
            let w = &params[layer.weights_range()];
            let bias = &params[layer.biases_range()];
            z = (0..layer.n_outputs())
                .map(|i| {
                    let mut sum = bias[i];
                    for (j, &a_j) in a.iter().enumerate() {
                        sum += w[i * layer.n_inputs() + j] * a_j;
                    }
                    sum
                })
                .collect();
            a = match layer.activation() {
                Activation::Softmax => {
                    // exp(z - m) / sum: m is a constant (softmax does not depend on it).
                    let m = z
                        .iter()
                        .map(|v| v.to_f64())
                        .fold(f64::NEG_INFINITY, f64::max);
                    let e: Vec<T> = z.iter().map(|&v| (v - T::from_f64(m)).exp()).collect();
                    let s = e.iter().fold(T::zero(), |acc, &v| acc + v);
                    e.into_iter().map(|v| v / s).collect()
                }
                activation => z.iter().map(|&v| activation.apply(v)).collect(),
            };
        }
        let y = |k: usize| -> T {
            if use_labels {
                let l = labels[b];
                T::from_f64(if k_out == 1 {
                    l as f64
                } else if l == k {
                    1.0
                } else {
                    0.0
                })
            } else {
                T::from_f64(dense[b * k_out + k])
            }
        };
        total += match net.loss_kind() {
            Loss::Mse => (0..k_out).fold(T::zero(), |acc, k| {
                let r = a[k] - y(k);
                acc + T::from_f64(0.5) * r * r
            }),
            Loss::BinaryCrossEntropy => (0..k_out).fold(T::zero(), |acc, k| {
                acc + chain_rule::elementary::softplus(z[k]) - y(k) * z[k]
            }),
            Loss::SoftmaxCrossEntropy => {
                // -sum_k y_k ln softmax(z)_k, with ln softmax written as z_k - lse(z).
                let m = z
                    .iter()
                    .map(|v| v.to_f64())
                    .fold(f64::NEG_INFINITY, f64::max);
                let s = z
                    .iter()
                    .fold(T::zero(), |acc, &v| acc + (v - T::from_f64(m)).exp());
                let lse = T::from_f64(m) + s.ln();
                (0..k_out).fold(T::zero(), |acc, k| acc - y(k) * (z[k] - lse))
            }
        };
    }
    let mut penalty = T::zero();
    for layer in net.layers() {
        for &w in &params[layer.weights_range()] {
            penalty += w * w;
        }
    }
    total / T::from_f64(batch as f64) + T::from_f64(0.5 * net.l2()) * penalty
}

/// Reverse mode on the tape against the matrix backward pass. Both are exact up to rounding:
/// each gradient entry is a sum of at most a few hundred products of O(1) numbers, so the two
/// orders of summation differ by a few hundred ulps of the largest term at most; 1e-11
/// absolute (for entries near 0) or relative leaves a wide margin above that (about 1e-13)
/// and far below any real error.
const TAPE_TOL: f64 = 1e-11;

proptest! {
    #[test]
    fn backward_pass_matches_the_chain_rule_tape(case in case()) {
        let p = problem(&case);
        let (loss, grad) = p.gradient();
        let tape = Tape::new();
        let vars = tape.vars(p.net.params());
        let objective =
            scalar_objective(&p.net, &vars, &p.inputs, &p.labels, &p.dense, p.use_labels);
        let tape_grad = objective.backward().wrt_all(&vars);
        prop_assert!(relative_eq!(loss, objective.value(), epsilon = TAPE_TOL, max_relative = TAPE_TOL));
        for (i, (&g, &t)) in grad.iter().zip(&tape_grad).enumerate() {
            prop_assert!(
                relative_eq!(g, t, epsilon = TAPE_TOL, max_relative = TAPE_TOL),
                "parameter {i}: backward {g}, tape {t}\n{case:?}"
            );
        }
    }
}

/// Directional check for networks of hundreds to thousands of parameters and batches large
/// enough (8 to 24) that every product runs through the packed matrix kernels. Same
/// threshold as the coordinate check; 12 random directions each (a wrong entry of size e
/// changes a directional derivative by about e / sqrt(n), far above the checker's floor).
#[test]
fn backward_pass_matches_directional_differences_on_wide_networks() {
    let heads = [
        (Activation::Softmax, Loss::SoftmaxCrossEntropy),
        (Activation::Sigmoid, Loss::BinaryCrossEntropy),
        (Activation::Tanh, Loss::Mse),
        (Activation::Softmax, Loss::Mse),
    ];
    let hidden = [
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.05 },
        Activation::Softplus,
        Activation::Identity,
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let checker = GradientChecker::new(GRAD_TOL).unwrap();
    let mut n_checked = 0;
    for (case_index, &(output, loss)) in heads.iter().cycle().take(12).enumerate() {
        let n_inputs = rng.random_range(10..40);
        let widths = [rng.random_range(16..48), rng.random_range(8..32)];
        let n_outputs = rng.random_range(2..8);
        let batch = rng.random_range(8..25);
        let mut builder = Mlp::<f64>::builder(n_inputs)
            .seed(case_index as u64)
            .l2(0.01);
        for (l, &w) in widths.iter().enumerate() {
            builder = builder.hidden(w, hidden[(case_index + l) % hidden.len()]);
        }
        let net = builder
            .output(n_outputs, output)
            .loss(loss)
            .build()
            .unwrap();
        let case = Case {
            n_inputs,
            hidden: vec![],
            n_outputs,
            head: Head::SoftmaxLabels,
            batch,
            l2: 0.01,
            seed: case_index as u64,
        };
        let mut p = problem(&case);
        p.net = net;
        p.use_labels = loss == Loss::SoftmaxCrossEntropy;
        if p.near_kink(1e-4) {
            continue;
        }
        let (_, grad) = p.gradient();
        let report = checker
            .check_directions(
                |x| p.objective(x),
                p.net.params(),
                &grad,
                12,
                case_index as u64,
            )
            .unwrap();
        assert!(
            report.passed(),
            "case {case_index} ({} parameters)\n{report}",
            p.net.n_params()
        );
        n_checked += 1;
    }
    assert!(
        n_checked >= 10,
        "only {n_checked} cases were away from ReLU kinks"
    );
}
