//! The matrix backward pass against central differences from `gradient`'s checker, over
//! random architectures, activations, losses and batches.

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
