//! The batch split between threads (`src/parallel.rs`, the `threads` feature): every loss
//! and both kinds of targets, in both float types, give the one-thread loss and gradient to
//! within rounding, and a non-finite activation in the second thread's part of the batch is
//! still named. `.ci/run` runs these with `--features threads`.

// Subscripts in the math ($S_j$, $w_j$) are not code.
#![allow(clippy::doc_markdown)]

use mlp::{Activation, Error, Loss, Mlp, MlpBuilder, Quantity, Scalar, Targets};

/// A network's widths and the batch the tests run it on.
#[derive(Clone, Copy)]
struct Shape {
    n_inputs: usize,
    hidden: usize,
    batch: usize,
}

/// 300 inputs, 200 hidden units, 10 outputs: 62 210 parameters, so a batch of 301 is above
/// the split's threshold of $2^{24}$ parameter-samples and is split into parts of 151 and
/// 150 samples (an odd batch, so the parts' weights $B_k / B$ differ).
const SPLIT: Shape = Shape {
    n_inputs: 300,
    hidden: 200,
    batch: 301,
};

/// 784 inputs, 1024 hidden units: a batch of 31 is too small to split (fewer than 16
/// samples per thread), but the first layer's forward product and weight gradient have
/// $31 \cdot 784 \cdot 1024 \approx 2.5 \cdot 10^7$ multiply-adds, above the $2^{24}$ from
/// which `faer` shares a product between the threads.
const SHARED: Shape = Shape {
    n_inputs: 784,
    hidden: 1024,
    batch: 31,
};

/// Large enough that counting the L2 term twice, or not at all, moves weight gradients by
/// far more than the tolerance (see `two_threads_agree_with_one`).
const L2: f64 = 1e-2;

fn builder(
    shape: Shape,
    hidden: Activation,
    output: Activation,
    loss: Loss,
    l2: f64,
) -> MlpBuilder {
    Mlp::<f64>::builder(shape.n_inputs)
        .hidden(shape.hidden, hidden)
        .output(10, output)
        .loss(loss)
        .l2(l2)
        .seed(21)
}

fn inputs<T: Scalar>(shape: Shape) -> Vec<T> {
    (0..shape.n_inputs * shape.batch)
        .map(|i| T::cast((i as f64 * 0.013).cos()))
        .collect()
}

/// Dense targets in $[0, 1]$ that differ from sample to sample, so that a part reading
/// another part's targets gets other numbers; rows of one-hot vectors for softmax.
fn dense<T: Scalar>(batch: usize, one_hot: bool) -> Vec<T> {
    (0..10 * batch)
        .map(|i| {
            let (sample, k) = (i / 10, i % 10);
            let y = if one_hot {
                f64::from(u8::from(k == (sample * 7) % 10))
            } else {
                ((sample * 3 + k) % 5) as f64 / 4.0
            };
            T::cast(y)
        })
        .collect()
}

/// Compares the two-thread loss and gradient with the one-thread ones, entry by entry.
///
/// Both runs compute the same terms; only the order of the sums differs: split, the batch
/// sum of a gradient entry becomes two sums (151 and 150 terms) recombined with weights
/// $B_k / B$; shared, `faer` may block a product's sums differently; and either way the
/// forward products may sum the fan-in $n_{in}$ in another order.
/// A sum of $n$ terms computed in any order errs from the exact one by at most
/// $(n - 1)\,u \sum |x_i|$ ($u$ the unit roundoff, half of `EPSILON`), so the two runs differ
/// by at most about $2 (B + n_{in})\,u\,S_j$, where $S_j$ is the mean over the batch of the
/// per-sample gradient's magnitude, plus $\lambda |w_j|$ for a weight (the L2 term is added
/// in each part and recombined). The tolerance doubles that: $4 (B + n_{in})\,u\,S_j$, a
/// relative $1.4 \cdot 10^{-4}$ of $S_j$ in f32 and $2.7 \cdot 10^{-13}$ in f64 for the split
/// batch. A part reading another part's targets or inputs, weights not summing to 1, or the
/// L2 term counted once per part, changes entries by a sizeable fraction of $S_j$ (the last
/// by $\lambda |w_j|$, up to $10^{-3}$ here, where the f32 tolerance is about $10^{-5}$).
fn two_threads_agree_with_one<T: Scalar>(shape: Shape, builder: &MlpBuilder, one_hot: bool) {
    let net: Mlp<T> = builder.build().unwrap();
    let (n_in, batch) = (shape.n_inputs, shape.batch);
    let x = inputs::<T>(shape);
    let labels: Vec<usize> = (0..batch).map(|i| (i * 7) % 10).collect();
    let y = dense::<T>(batch, one_hot);
    let targets = |from: usize, n: usize| {
        if net.loss_kind() == Loss::SoftmaxCrossEntropy && !one_hot {
            Targets::Labels(&labels[from..from + n])
        } else {
            Targets::Dense(&y[from * 10..(from + n) * 10])
        }
    };
    let mut ws = net.workspace(batch).unwrap();
    let mut one = vec![T::cast(0.0); net.n_params()];
    let loss_one = net
        .loss_and_gradient(&mut ws, &x, targets(0, batch), &mut one)
        .unwrap();
    ws.set_threads(2).unwrap();
    let mut two = vec![T::cast(0.0); net.n_params()];
    let loss_two = net
        .loss_and_gradient(&mut ws, &x, targets(0, batch), &mut two)
        .unwrap();

    // S_j: the per-sample gradients of the same network without its L2 term, one by one.
    let plain: Mlp<T> = builder.clone().l2(0.0).build().unwrap();
    assert_eq!(
        plain.params(),
        net.params(),
        "l2 does not change the initialisation"
    );
    let mut ws1 = plain.workspace(1).unwrap();
    let mut per_sample = vec![T::cast(0.0); net.n_params()];
    let mut scale = vec![0.0_f64; net.n_params()];
    for b in 0..batch {
        plain
            .loss_and_gradient(
                &mut ws1,
                &x[b * n_in..(b + 1) * n_in],
                targets(b, 1),
                &mut per_sample,
            )
            .unwrap();
        for (s, g) in scale.iter_mut().zip(&per_sample) {
            *s += g.widen().abs() / batch as f64;
        }
    }
    for layer in net.layers() {
        for j in layer.weights_range() {
            scale[j] += net.l2() * net.params()[j].widen().abs();
        }
    }
    let u = T::EPSILON / 2.0;
    let rel = 4.0 * (batch + n_in) as f64 * u;
    let what = format!(
        "{:?} ({} targets) in {}, batch {batch}",
        net.loss_kind(),
        if one_hot { "one-hot" } else { "its" },
        core::any::type_name::<T>()
    );
    let (l1, l2) = (loss_one.widen(), loss_two.widen());
    assert!((l1 - l2).abs() <= rel * l1, "{what}: loss {l1} vs {l2}");
    for (j, ((a, b), s)) in one.iter().zip(&two).zip(&scale).enumerate() {
        let (a, b) = (a.widen(), b.widen());
        assert!(
            (a - b).abs() <= rel * s,
            "{what}: parameter {j}: one thread {a}, two {b}, S_j {s}"
        );
    }
}

#[test]
fn two_threads_give_the_one_thread_loss_and_gradient_for_every_loss_and_target() {
    let cases = [
        (Activation::Softmax, Loss::SoftmaxCrossEntropy, false),
        (Activation::Softmax, Loss::SoftmaxCrossEntropy, true),
        (Activation::Sigmoid, Loss::BinaryCrossEntropy, false),
        (Activation::Identity, Loss::Mse, false),
    ];
    for (output, loss, one_hot) in cases {
        let b = builder(SPLIT, Activation::Tanh, output, loss, L2);
        two_threads_agree_with_one::<f64>(SPLIT, &b, one_hot);
        two_threads_agree_with_one::<f32>(SPLIT, &b, one_hot);
    }
}

#[test]
fn two_threads_sharing_each_large_product_give_the_one_thread_gradient() {
    let b = builder(
        SHARED,
        Activation::Relu,
        Activation::Softmax,
        Loss::SoftmaxCrossEntropy,
        L2,
    );
    two_threads_agree_with_one::<f64>(SHARED, &b, false);
    two_threads_agree_with_one::<f32>(SHARED, &b, false);
}

/// An f32 ReLU network and a split batch whose sample 200, in the second part (samples
/// 151..301), has inputs of `f32::MAX / 2`: finite, so they pass the input check, but they
/// overflow the first layer's pre-activations, and the loss is NaN. With its labels.
fn overflowing_second_part() -> (Mlp<f32>, Vec<f32>, Vec<usize>) {
    let net: Mlp<f32> = builder(
        SPLIT,
        Activation::Relu,
        Activation::Softmax,
        Loss::SoftmaxCrossEntropy,
        0.0,
    )
    .build()
    .unwrap();
    let mut x = inputs::<f32>(SPLIT);
    let bad = 200;
    x[bad * SPLIT.n_inputs..(bad + 1) * SPLIT.n_inputs].fill(f32::MAX / 2.0);
    let labels: Vec<usize> = (0..SPLIT.batch).map(|i| i % 10).collect();
    (net, x, labels)
}

/// The overflow in the second part is named as with one thread (the helpers' workspaces are
/// scanned): the first layer's activations, and no parameter is updated.
#[test]
fn a_non_finite_activation_in_the_second_part_is_named() {
    let (net, x, labels) = overflowing_second_part();
    for threads in [1, 2] {
        let mut net = net.clone();
        let mut ws = net.workspace(SPLIT.batch).unwrap();
        ws.set_threads(threads).unwrap();
        let mut sgd = optim::Sgd::new(optim::SgdConfig::default()).unwrap();
        let before = net.params().to_vec();
        let err = net
            .train_step(&mut ws, &x, Targets::Labels(&labels), &mut sgd)
            .unwrap_err();
        assert_eq!(
            err,
            Error::NonFinite {
                quantity: Quantity::Activation,
                layer: Some(0),
            },
            "{threads} threads"
        );
        assert_eq!(net.params(), &before[..], "nothing updated");
    }
}

/// After a split step whose second part overflowed, a forward pass that is not split (a
/// smaller batch) is the workspace's last forward pass: `non_finite_layer` must not report
/// the helpers' stale activations from the step before.
#[test]
fn a_later_unsplit_forward_pass_forgets_the_parts_of_the_last_split() {
    let (mut net, x, labels) = overflowing_second_part();
    let mut ws = net.workspace(SPLIT.batch).unwrap();
    ws.set_threads(2).unwrap();
    let mut sgd = optim::Sgd::new(optim::SgdConfig::default()).unwrap();
    assert!(
        net.train_step(&mut ws, &x, Targets::Labels(&labels), &mut sgd)
            .is_err()
    );
    assert_eq!(ws.non_finite_layer(), Some(0), "the overflow is seen");
    // Ten finite samples: too few to split.
    net.forward(&mut ws, &x[..10 * SPLIT.n_inputs]).unwrap();
    assert_eq!(ws.non_finite_layer(), None, "the last pass was finite");
}

/// The largest thread count, far beyond what a batch can use, makes no more helpers than the
/// split can run (at least 16 samples per part: 18 parts of the 301-sample batch), so it
/// asks for no more memory than 18 threads and gives their gradient, bit for bit. Before,
/// each extra thread got a workspace whether or not it could run.
#[test]
fn more_threads_than_the_batch_can_use_give_the_largest_useful_split() {
    let net: Mlp<f32> = builder(
        SPLIT,
        Activation::Tanh,
        Activation::Softmax,
        Loss::SoftmaxCrossEntropy,
        0.0,
    )
    .build()
    .unwrap();
    let x = inputs::<f32>(SPLIT);
    let labels: Vec<usize> = (0..SPLIT.batch).map(|i| i % 10).collect();
    let gradient = |threads: usize| {
        let mut ws = net.workspace(SPLIT.batch).unwrap();
        ws.set_threads(threads).unwrap();
        let mut grad = vec![0.0_f32; net.n_params()];
        let loss = net
            .loss_and_gradient(&mut ws, &x, Targets::Labels(&labels), &mut grad)
            .unwrap();
        let output = net.forward(&mut ws, &x).unwrap().into_owned();
        (loss, grad, output)
    };
    let (loss, grad, output) = gradient(mlp::workspace::MAX_THREADS);
    let (loss_18, grad_18, _) = gradient(SPLIT.batch / 16);
    let (_, grad_17, _) = gradient(SPLIT.batch / 16 - 1);
    assert_eq!(loss.to_bits(), loss_18.to_bits());
    assert!(
        grad.iter()
            .zip(&grad_18)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    assert!(
        grad.iter()
            .zip(&grad_17)
            .any(|(a, b)| a.to_bits() != b.to_bits()),
        "17 parts sum in another order"
    );
    assert!(
        output.iter().all(|a| a.is_finite()),
        "the shared forward products ran"
    );
    // The memory: each extra thread gets one helper workspace of H bytes (about 630 kB here,
    // the part of a batch of 151 samples), and the vector holding the helpers grows by a few
    // hundred bytes more, under 1 % of H. So the bytes `set_threads` asks for, over those of
    // one helper, round to the number of helpers: 17 for 18 threads, and for MAX_THREADS
    // exactly as many bytes as for 18; one thread asks for nothing.
    let bytes = |threads: usize| {
        let mut ws = net.workspace(SPLIT.batch).unwrap();
        allocation_counter::measure(|| ws.set_threads(threads).unwrap()).bytes_total
    };
    let one_helper = bytes(2);
    assert!(one_helper > 100_000, "one helper: {one_helper} bytes");
    assert_eq!(bytes(1), 0);
    #[allow(clippy::cast_precision_loss)] // byte counts far below 2^52
    let helpers = (bytes(SPLIT.batch / 16) as f64 / one_helper as f64).round();
    assert_eq!(
        helpers.to_bits(),
        17.0_f64.to_bits(),
        "helpers for 18 threads"
    );
    assert_eq!(bytes(mlp::workspace::MAX_THREADS), bytes(SPLIT.batch / 16));
}
