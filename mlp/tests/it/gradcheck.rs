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

/// Threshold of the coordinate-wise (and directional) check, in f64.
///
/// What it decides: the checker passes entry `i` when `|a - n| <= max(eta, GRAD_TOL *
/// max(|a|, |n|))`, where `n = D(h)` is the central difference and `eta = |D(h) - D(2h)| + 16
/// eps max|f| / h` its own bound on `n`'s error (the floor is `eta / GRAD_TOL`). A correct
/// gradient passes whenever `eta` holds, whatever the threshold; the threshold is the smallest
/// relative error a wrong entry must have to fail, on the entries the difference resolves
/// better than that (`|a| > eta / GRAD_TOL`).
///
/// Lower limit, the difference's own relative accuracy. The step is `h = eps^(1/3) max(1,
/// |x|)`, 6.1e-6 for `|x| <= 1` and at most 3e-5 (parameters reach about 5 here), so the
/// error is truncation `h^2 |f'''| / 6 <= 2.1e-9` plus rounding `eps |f| / h <= 5e-10` for the
/// losses this strategy builds (`|f|` and `|f'''|` measured up to 14): 2.6e-9 absolute, or
/// 2.6e-7 relative to the entries of 1e-2 to 1 where a bug shows. A threshold below that would
/// put those entries under the floor and leave the verdict to `eta` alone.
///
/// Upper limit, the smallest error of a real bug: the mutations this file must catch (a
/// transposed weight view, a dropped activation derivative, one sample's bias gradient) are
/// off by factors (their worst entries had relative errors of 0.75 to 2 when tried), and a
/// slip of one percent (a factor 1.01) is off by 1e-2.
///
/// 1e-6 lies between, 4 times above the lower limit and 1e4 below the upper one. Measured over
/// 300 cases of this strategy: correct gradients reach relative errors of at most 7e-8 and
/// `|a - n| / eta` of at most 0.26.
const GRAD_TOL: f64 = 1e-6;

/// How close to its kink a ReLU-like pre-activation may be before the coordinate check skips
/// the case. The checker evaluates at `x_i +- h` and `x_i +- 2h` with `h = eps^(1/3) max(1,
/// |x_i|)`, so a pre-activation moves by up to `2h |dz/dx_i|`. For a weight of its own layer
/// `dz/dx_i` is the input or activation the weight multiplies (inputs within 2, activations
/// measured up to 10), for a bias 1, and each layer further down multiplies the move by a
/// weight times a derivative, about 1 or less. A parameter of size at most 1 (`h = 6.1e-6`)
/// thus moves a unit by at most `2 * 6.1e-6 * 10 = 1.2e-4`, and even the largest (about 5,
/// `h = 3e-5`) times the largest activation by `6e-4`; measured over 300 cases, at most 8e-5
/// for ReLU-like units (1.2e-4 for any unit). 1e-3 is above the worst combination and 8 times
/// the largest move measured: a unit this far from its kink keeps its side on every probe.
const KINK_MARGIN: f64 = 1e-3;

/// The same margin for the directional check on wide networks, smaller because a direction
/// spreads its step over every parameter. The probe moves the parameters by `t u` with
/// `|t| <= 2h` (`h = eps^(1/3) max(1, max |x_i|)`, 6.1e-6 to 6.6e-6 here) and `u` uniform on
/// the unit sphere of dimension `n >= 988` (the smallest of the seeded networks). A
/// pre-activation moves by `t (g . u)` with `g` its gradient with respect to the parameters,
/// and `g . u` is close to normal with standard deviation `|g| / sqrt(n)`: `|g|` is `|(x, 1)|`
/// in the first layer and grows with the fan-in below it (measured at most 14), so one
/// standard deviation of the move is `2h * 14 / sqrt(988) = 5.9e-6` (measured per case 4.4e-6
/// at most). Over the about 1e4 draws of a case (1000 units times samples, 12 directions) the
/// largest is about 4 standard deviations, 2.4e-5 (measured: 1.5e-5); 1e-4 is 4 times that, 17
/// standard deviations. (A direction along `g` would move it by `2h |g| = 1.8e-4`, but the
/// directions are random, not chosen against the network.)
const DIRECTION_KINK_MARGIN: f64 = 1e-4;

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
        prop_assume!(!p.near_kink(KINK_MARGIN));
        let (loss, grad) = p.gradient();
        // The loss `loss_and_gradient` reports is the function the checker differentiates, to
        // the bit: both run `forward_unchecked`, `output_delta` and `penalty` on the same
        // parameters, inputs and batch size, so the same operations in the same order, and
        // faer picks its kernels by shape and stride, not by where the buffers sit. Any
        // difference would mean the two paths compute different sums (measured: identical in
        // all cases of a `PROPTEST_CASES=3000` run).
        let objective = p.objective(p.net.params());
        prop_assert!(
            loss.to_bits() == objective.to_bits(),
            "loss_and_gradient {loss:e}, loss {objective:e}"
        );
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

/// The directional check of `net`'s backward pass on `problem`'s data for its widths
/// (`batch` samples, labels or dense targets, drawn from `seed`): 12 random directions drawn
/// from `seed`, at the coordinate check's threshold. `None` when a unit sits within
/// `DIRECTION_KINK_MARGIN` of a kink (of a rectifier), where differences do not measure the
/// derivative.
fn directional_check(
    net: Mlp<f64>,
    batch: usize,
    seed: u64,
    use_labels: bool,
) -> Option<gradient::GradientReport> {
    let case = Case {
        n_inputs: net.n_inputs(),
        hidden: vec![],
        n_outputs: net.n_outputs(),
        head: Head::SoftmaxLabels,
        batch,
        l2: 0.01,
        seed,
    };
    let mut p = problem(&case);
    p.net = net;
    p.use_labels = use_labels;
    if p.near_kink(DIRECTION_KINK_MARGIN) {
        return None;
    }
    let (_, grad) = p.gradient();
    let checker = GradientChecker::new(GRAD_TOL).unwrap();
    Some(
        checker
            .check_directions(|x| p.objective(x), p.net.params(), &grad, 12, seed)
            .unwrap(),
    )
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
        let n_params = net.n_params();
        let use_labels = loss == Loss::SoftmaxCrossEntropy;
        let Some(report) = directional_check(net, batch, case_index as u64, use_labels) else {
            continue;
        };
        assert!(
            report.passed(),
            "case {case_index} ({n_params} parameters)\n{report}"
        );
        n_checked += 1;
    }
    assert!(
        n_checked >= 10,
        "only {n_checked} cases were away from ReLU kinks"
    );
}

/// The same directional check on networks whose hidden layers are wide enough (256 and
/// more) that the workspace copies their $\delta$ feature-major for the weight gradients
/// (`Workspace::copies_delta`): the copied path is checked against differences, not only
/// against another layout.
#[test]
fn backward_pass_matches_directional_differences_where_deltas_are_copied() {
    for (case_index, hidden) in [[300, 9], [9, 260], [256, 270]].into_iter().enumerate() {
        let (n_inputs, n_outputs, batch) = (12, 3, 10);
        let mut builder = Mlp::<f64>::builder(n_inputs)
            .seed(case_index as u64)
            .l2(0.01);
        for &w in &hidden {
            builder = builder.hidden(w, Activation::Tanh);
        }
        let net = builder
            .output(n_outputs, Activation::Softmax)
            .loss(Loss::SoftmaxCrossEntropy)
            .build()
            .unwrap();
        let ws = net.workspace(batch).unwrap();
        for (l, &w) in hidden.iter().enumerate() {
            assert_eq!(ws.copies_delta(l), w >= 256, "layer {l} of {hidden:?}");
        }
        let n_params = net.n_params();
        let report =
            directional_check(net, batch, case_index as u64, true).expect("tanh has no kink");
        assert!(
            report.passed(),
            "hidden {hidden:?} ({n_params} parameters)\n{report}"
        );
    }
}
