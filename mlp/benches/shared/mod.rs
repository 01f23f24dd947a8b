//! What the benchmarks share: the reference workloads of `shared/peers/`, their data, the
//! replay of a W4 step's matrix products, and a core's multiply-add peak.

// Each benchmark binary uses part of this module.
#![allow(dead_code)]

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};
use mlp::matmul::{batch_matrix, batch_matrix_mut, gemm};
use mlp::{Activation, Loss, Mlp, Scalar, Workspace};
use optim::{Sgd, SgdConfig};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A workload: layer widths (input first), hidden activation, batch size.
pub struct Workload {
    pub name: &'static str,
    pub widths: &'static [usize],
    pub hidden: Activation,
    pub batch: usize,
}

pub const W2: Workload = Workload {
    name: "W2",
    widths: &[64, 32, 10],
    hidden: Activation::Tanh,
    batch: 32,
};
pub const W3: Workload = Workload {
    name: "W3",
    widths: &[784, 128, 10],
    hidden: Activation::Relu,
    batch: 64,
};
pub const W4: Workload = Workload {
    name: "W4",
    widths: &[784, 1024, 1024, 10],
    hidden: Activation::Relu,
    batch: 256,
};

/// Samples in the digits data set (W2's epoch).
pub const DIGITS_SAMPLES: usize = 1797;

impl Workload {
    pub fn network<T: Scalar>(&self) -> Mlp<T> {
        let mut builder = Mlp::<T>::builder(self.widths[0]).seed(42);
        for &w in &self.widths[1..self.widths.len() - 1] {
            builder = builder.hidden(w, self.hidden);
        }
        builder
            .output(self.widths[self.widths.len() - 1], Activation::Softmax)
            .loss(Loss::SoftmaxCrossEntropy)
            .build()
            .expect("valid workload")
    }

    /// Floating-point operations of one training step: forward `2 B n_in n_out` per layer,
    /// the weight gradient as much again, and `delta` propagation for every layer but the
    /// first (no gradient flows into the data).
    pub fn step_flops(&self) -> u64 {
        let layers: Vec<(usize, usize)> = self.widths.windows(2).map(|w| (w[0], w[1])).collect();
        let per_product = |&(n_in, n_out): &(usize, usize)| 2 * self.batch * n_in * n_out;
        let forward: usize = layers.iter().map(per_product).sum();
        let propagate: usize = layers[1..].iter().map(per_product).sum();
        (2 * forward + propagate) as u64
    }
}

/// Uniform inputs in [0, 1) and labels below `n_classes`, seeded.
pub fn data<T: Scalar>(
    n_inputs: usize,
    n_samples: usize,
    n_classes: usize,
) -> (Vec<T>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let inputs = (0..n_inputs * n_samples)
        .map(|_| T::cast(rng.random_range(0.0..1.0)))
        .collect();
    let labels = (0..n_samples)
        .map(|_| rng.random_range(0..n_classes))
        .collect();
    (inputs, labels)
}

/// W4 as the peers run it: the initial network, one batch of inputs and labels, a workspace
/// for it, and SGD with learning rate 0.01.
pub struct W4Step<T: Scalar> {
    pub net: Mlp<T>,
    pub inputs: Vec<T>,
    pub labels: Vec<usize>,
    pub ws: Workspace<T>,
    pub optimizer: Sgd<T>,
}

impl<T: Scalar> W4Step<T> {
    pub fn new() -> Self {
        let net = W4.network::<T>();
        let (inputs, labels) = data::<T>(784, W4.batch, 10);
        let ws = net.workspace(W4.batch).expect("batch > 0");
        let optimizer = Sgd::new(SgdConfig {
            learning_rate: 0.01,
            ..SgdConfig::default()
        })
        .expect("valid learning rate");
        Self {
            net,
            inputs,
            labels,
            ws,
            optimizer,
        }
    }
}

/// The backend's own rate: $C = A B$ at $1024 \times 1024$ by `faer` on one thread, all
/// three column-major and preallocated.
pub struct Square<T> {
    pub n: usize,
    pub a: Vec<T>,
    pub b: Vec<T>,
    pub out: Vec<T>,
}

impl<T: Scalar> Square<T> {
    /// $A_{ij} = ((7i + 3j) \bmod 11) / 11$ and $B = A^\top$.
    pub fn new() -> Self {
        let n = 1024;
        let entry = |i: usize, j: usize| T::cast(((i * 7 + j * 3) % 11) as f64 / 11.0);
        let a = (0..n * n).map(|k| entry(k % n, k / n)).collect();
        let b = (0..n * n).map(|k| entry(k / n, k % n)).collect();
        Self {
            n,
            a,
            b,
            out: vec![T::cast(0.0); n * n],
        }
    }

    /// Floating-point operations of one product.
    pub fn flops(&self) -> u64 {
        2 * (self.n as u64).pow(3)
    }

    /// One product with `faer`.
    pub fn run(&mut self) {
        let n = self.n;
        matmul(
            MatMut::from_column_major_slice_mut(&mut self.out, n, n),
            Accum::Replace,
            MatRef::from_column_major_slice(&self.a, n, n),
            MatRef::from_column_major_slice(&self.b, n, n),
            T::cast(1.0),
            Par::Seq,
        );
    }
}

/// The matrix products of one training step and nothing else, back to back, with the step's
/// shapes and memory layouts, through `mlp::matmul::gemm`, the function the passes call: for
/// each layer $Z \mathrel{+}= W A_{\text{prev}}$ (onto the bias), then from the output down
/// $\nabla W = \delta A_{\text{prev}}^\top$ and, above the first layer,
/// $\delta_{\text{prev}} = W^\top \delta$. Each layer's layout (sample-major or
/// feature-major) is read from the workspace's views after a forward pass, so the products
/// follow the library. Its flop/s is the step's GEMM throughput.
pub struct StepProducts<T> {
    batch: usize,
    /// `(n_in, n_out)` per layer.
    shapes: Vec<(usize, usize)>,
    /// Per layer: whether its batch matrices are feature-major.
    feature_major: Vec<bool>,
    /// Per layer: whether its weight gradient reads its `delta` feature-major (stored so, or
    /// copied so by the workspace, see `Workspace::copies_delta`).
    grad_delta_feature_major: Vec<bool>,
    inputs: Vec<T>,
    weights: Vec<Vec<T>>,
    grad_w: Vec<Vec<T>>,
    z: Vec<Vec<T>>,
    delta: Vec<Vec<T>>,
}

impl<T: Scalar> StepProducts<T> {
    pub fn new(workload: &Workload, net: &Mlp<T>, ws: &mut Workspace<T>, inputs: &[T]) -> Self {
        let batch = workload.batch;
        net.forward(ws, inputs).expect("valid batch");
        let shapes: Vec<(usize, usize)> =
            workload.widths.windows(2).map(|w| (w[0], w[1])).collect();
        let feature_major: Vec<bool> = (0..shapes.len())
            .map(|l| ws.activations(l).strides().0 != 1)
            .collect();
        let grad_delta_feature_major = (0..shapes.len())
            .map(|l| feature_major[l] || ws.copies_delta(l))
            .collect();
        let filled = |len: usize| -> Vec<T> {
            (0..len)
                .map(|i| T::cast(((i * 7 % 13) as f64) / 13.0 - 0.4))
                .collect()
        };
        Self {
            batch,
            feature_major,
            grad_delta_feature_major,
            inputs: inputs.to_vec(),
            weights: shapes.iter().map(|&(i, o)| filled(i * o)).collect(),
            grad_w: shapes.iter().map(|&(i, o)| filled(i * o)).collect(),
            z: shapes.iter().map(|&(_, o)| filled(o * batch)).collect(),
            delta: shapes.iter().map(|&(_, o)| filled(o * batch)).collect(),
            shapes,
        }
    }

    /// The step's products in the order a step runs them: each layer's forward product, then
    /// from the output down its weight gradient and (above the first layer) its `delta`
    /// propagation.
    pub fn order(&self) -> Vec<StepProduct> {
        let n_layers = self.shapes.len();
        let mut order: Vec<StepProduct> = (0..n_layers).map(StepProduct::Forward).collect();
        for l in (0..n_layers).rev() {
            order.push(StepProduct::WeightGradient(l));
            if l > 0 {
                order.push(StepProduct::Propagate(l));
            }
        }
        order
    }

    /// Floating-point operations of one product: `2 B n_in n_out` for each kind.
    pub fn flops(&self, product: StepProduct) -> u64 {
        let (n_in, n_out) = self.shapes[product.layer()];
        (2 * self.batch * n_in * n_out) as u64
    }

    pub fn run(&mut self, threads: usize) {
        for product in self.order() {
            self.run_one(product, threads);
        }
    }

    pub fn run_one(&mut self, product: StepProduct, threads: usize) {
        let b = self.batch;
        let l = product.layer();
        let (n_in, n_out) = self.shapes[l];
        let prev_fm = l > 0 && self.feature_major[l - 1];
        match product {
            StepProduct::Forward(_) => {
                let (before, after) = self.z.split_at_mut(l);
                let a_prev = if l == 0 {
                    &self.inputs[..]
                } else {
                    &before[l - 1][..]
                };
                gemm(
                    batch_matrix_mut(&mut after[0], n_out, b, self.feature_major[l]),
                    MatRef::from_row_major_slice(&self.weights[l], n_out, n_in),
                    batch_matrix(a_prev, n_in, b, prev_fm),
                    true,
                    threads,
                );
            }
            StepProduct::WeightGradient(_) => {
                let a_prev = if l == 0 {
                    &self.inputs[..]
                } else {
                    &self.z[l - 1][..]
                };
                let delta_fm = self.grad_delta_feature_major[l];
                gemm(
                    MatMut::from_row_major_slice_mut(&mut self.grad_w[l], n_out, n_in),
                    batch_matrix(&self.delta[l], n_out, b, delta_fm),
                    batch_matrix(a_prev, n_in, b, prev_fm).transpose(),
                    false,
                    threads,
                );
            }
            StepProduct::Propagate(_) => {
                let (lower, upper) = self.delta.split_at_mut(l);
                gemm(
                    batch_matrix_mut(&mut lower[l - 1], n_in, b, prev_fm),
                    MatRef::from_row_major_slice(&self.weights[l], n_out, n_in).transpose(),
                    batch_matrix(&upper[0], n_out, b, self.feature_major[l]),
                    false,
                    threads,
                );
            }
        }
    }
}

/// One matrix product of a training step, by layer (0 is the first).
#[derive(Clone, Copy, Debug)]
pub enum StepProduct {
    /// $Z \mathrel{+}= W A_{\text{prev}}$.
    Forward(usize),
    /// $\nabla W = \delta A_{\text{prev}}^\top$.
    WeightGradient(usize),
    /// $\delta_{\text{prev}} = W^\top \delta$.
    Propagate(usize),
}

impl StepProduct {
    pub fn layer(self) -> usize {
        match self {
            Self::Forward(l) | Self::WeightGradient(l) | Self::Propagate(l) => l,
        }
    }

    /// A short name for the bench: `forward_1`, `grad_w_1`, `propagate_1` (layers from 1).
    pub fn name(self) -> String {
        match self {
            Self::Forward(l) => format!("forward_{}", l + 1),
            Self::WeightGradient(l) => format!("grad_w_{}", l + 1),
            Self::Propagate(l) => format!("propagate_{}", l + 1),
        }
    }
}

/// The floating-point peak of one core: chains of fused multiply-adds, enough of them
/// independent to hide the instruction's latency, in the widest vectors the CPU has
/// (`pulp` 0.22 reaches AVX-512 on stable Rust; 0.21, which `faer` and `optim` use, stops at
/// AVX2). A matrix product can at best approach it.
pub mod peak {
    use std::hint::black_box;

    use mlp::Scalar;
    use pulp_avx512::{Simd, WithSimd};

    /// Independent accumulators: at least latency (4 cycles) times throughput (2 per cycle)
    /// on current x86 cores, and few enough for AVX2's 16 registers.
    const CHAINS: usize = 12;

    /// Multiply-adds per chain in one run.
    const STEPS: usize = 20_000;

    /// Floating-point operations of one run (a multiply-add counts two).
    pub fn flops<T: Scalar>() -> u64 {
        let lanes = match pulp_avx512::Arch::new() {
            pulp_avx512::Arch::V4(_) => 64,
            pulp_avx512::Arch::V3(_) => 32,
            _ => size_of::<T>(),
        } / size_of::<T>();
        (2 * CHAINS * STEPS * lanes) as u64
    }

    /// One run; returns a sum of the results so nothing is optimised away.
    pub fn run<T: Scalar>() -> f64 {
        if size_of::<T>() == 4 {
            pulp_avx512::Arch::new().dispatch(Fma32)
        } else {
            pulp_avx512::Arch::new().dispatch(Fma64)
        }
    }

    /// $x \leftarrow x (1 - 2^{-20}) + 2^{-20}$ stays at 1: finite and normal throughout
    /// (both constants are exact in `f32` and `f64`).
    const EPS_32: f32 = 1.0 / 1_048_576.0;
    const EPS_64: f64 = 1.0 / 1_048_576.0;

    /// The chains in one element type: the same loop for `f32` and `f64`, through that
    /// type's `pulp` operations.
    macro_rules! fma_chains {
        ($name:ident, $eps:expr, $splat:ident, $mul_add:ident, $add:ident, $reduce:ident) => {
            struct $name;

            impl WithSimd for $name {
                type Output = f64;

                // Must be compiled inside pulp's AVX-512 (or AVX2) function, not called from
                // it.
                #[allow(clippy::inline_always)]
                #[inline(always)]
                fn with_simd<S: Simd>(self, simd: S) -> f64 {
                    // Opaque to the compiler, which would otherwise compute the constant
                    // result itself.
                    let a = simd.$splat(black_box(1.0 - $eps));
                    let b = simd.$splat(black_box($eps));
                    let mut acc = [simd.$splat(black_box(1.0)); CHAINS];
                    for _ in 0..STEPS {
                        for x in &mut acc {
                            *x = simd.$mul_add(*x, a, b);
                        }
                    }
                    let sum = acc.iter().fold(simd.$splat(0.0), |s, &x| simd.$add(s, x));
                    f64::from(simd.$reduce(sum))
                }
            }
        };
    }

    fma_chains!(
        Fma32,
        EPS_32,
        splat_f32s,
        mul_add_e_f32s,
        add_f32s,
        reduce_sum_f32s
    );
    fma_chains!(
        Fma64,
        EPS_64,
        splat_f64s,
        mul_add_e_f64s,
        add_f64s,
        reduce_sum_f64s
    );
}
