//! `Mlp::loss_and_gradient` against `PyTorch` autograd: the objective and every gradient entry
//! of small fixed networks, in `f64` and `f32`, against the values `tests/oracle/generate.py`
//! recorded from torch in float64 (see `oracle_values.rs` for the versions, and the script's
//! docstring for the definitions of mlp it mirrors). The objective is compared with its exact
//! value, which the script computes with mpmath.

use mlp::{Activation, Loss, Mlp, Scalar, Targets};

use crate::oracle_values::{CASES, Case, Target};

/// The tolerance, in units of the type's machine epsilon $\varepsilon$ times each quantity's
/// magnitude $M$ (the script's `magnitudes`, rounded up): $|\text{ours} - \text{oracle}|
/// \le 128\,\varepsilon M$.
///
/// $M$ is the quantity recomputed with every term replaced by its absolute value and every
/// difference by the sum of its terms' magnitudes, with the forward pass's errors carried
/// along (through $|\sigma'|$, $|\sigma''|$ and the loss's Hessian in the logits). To first
/// order, a computed value then errs by at most $c\,u\,M$, where $u = \varepsilon / 2$ is the
/// unit roundoff and $c$ the number of roundings on the longest path from the parameters to
/// it, each counted in units of $u$: a sum of $n$ products $n$ (here $n \le 5$), `exp`,
/// `ln_1p` and `tanh` 2 (within an ulp), `f32`'s `tanh_f32` 8 and `sigmoid_f32` 9 of
/// $\max(\sigma, \frac12)$ (their documented $4\varepsilon$ and $4.5\varepsilon$), softmax 7,
/// $1 - a^2$ from an `f32` tanh 18.
/// Forward: at most 5 + 9 per layer, 42 for three layers. The output's $\delta^L$: at most 15
/// (MSE through softmax's Jacobian). Backward: per hidden layer 4 for $W^\top \delta$, 18 for
/// $\sigma'$, 1 for the product, so 46 for two. The weight gradient: 4 for the batch sum and
/// 2 for $\lambda W$. In all $c \le 110$, $55\varepsilon$; the objective's path is shorter.
/// In `f32` torch's float64 error is negligible; in `f64` torch rounds about as often as
/// `mlp` (its $1 - a^2$ and $a(1 - a)$ come from the stored output, like `mlp`'s `f32`), so
/// the two may differ by twice as much. 128 covers both.
///
/// Measured worst, in units of $\varepsilon M$: gradient 0.79 in `f64` and 0.62 in `f32`,
/// objective 0.23 and 0.16; relative to the entries themselves (outside the two
/// `*_confident` cases) $6.9 \cdot 10^{-15}$ in `f64` and $9.7 \cdot 10^{-6}$ in `f32`.
/// A wrong formula changes an entry by a fair fraction of its value, while
/// $128\,\varepsilon M$ is $2.8 \cdot 10^{-14} M$ in `f64` and $1.5 \cdot 10^{-5} M$ in
/// `f32`; a transposed weight gradient, a dropped $\sigma'$, a bias gradient of the first
/// sample only, the penalty without its $\frac12$ or on the biases, $2 \lambda W$, a
/// flipped softmax $\delta^L$ or softmax Jacobian, a $\delta^L$ without its $\frac1B$ and
/// a leaky slope of 0.01 were each tried and fail by $10^4$ to $10^{15}\,\varepsilon M$.
/// Where the logits are confidently right (the two `*_confident` cases) the gradient entries
/// are differences like $\sigma(34) - 1$, far below their $M$, so there the gradient is
/// checked only loosely. The objective, $7 \cdot 10^{-13}$ and $2 \cdot 10^{-15}$, has an
/// $M$ of 80 and 210 times its size, so a naive form fails: $\ln(1 + x)$ for mlp's `ln_1p`
/// in the softmax loss gives 0 in `f32` and is $1.3 \cdot 10^{-3}$ off in `f64`, as torch's
/// own float64 `F.cross_entropy` is (its `F.binary_cross_entropy_with_logits` is
/// $2.3 \cdot 10^{-4}$ off in the other case).
const ORACLE_EPS: f64 = 128.0;

/// The network of a case, with the case's parameters, in `T`.
fn network<T: Scalar>(case: &Case) -> Mlp<T> {
    let (&(n_outputs, output), hidden) = case.layers.split_last().expect("a case has layers");
    let mut builder = Mlp::<T>::builder(case.n_inputs);
    for &(width, activation) in hidden {
        builder = builder.hidden(width, activation);
    }
    let mut net = builder
        .output(n_outputs, output)
        .loss(case.loss)
        .l2(case.l2)
        .build::<T>()
        .unwrap();
    assert_eq!(net.n_params(), case.entries.len(), "{}", case.name);
    net.set_params(&exactly::<T>(case.entries.iter().map(|e| e.0)))
        .unwrap();
    net
}

/// The values in `T`, which must hold them exactly (the script chose them so), so that the
/// `f32` network is the same function as the `f64` one.
fn exactly<T: Scalar>(values: impl Iterator<Item = f64>) -> Vec<T> {
    values
        .map(|x| {
            let cast = T::cast(x);
            assert_eq!(
                cast.widen().to_bits(),
                x.to_bits(),
                "{x} is not exact in {}",
                T::NAME
            );
            cast
        })
        .collect()
}

/// Runs every case in `T` and checks the objective and every gradient entry against
/// [`ORACLE_EPS`]; a failure says how many $\varepsilon M$ it is off.
fn check_every_case<T: Scalar>() {
    let f32 = T::NAME == "f32";
    for case in CASES {
        let net = network::<T>(case);
        let inputs = exactly::<T>(case.inputs.iter().copied());
        let dense;
        let targets = match case.targets {
            Target::Labels(labels) => Targets::Labels(labels),
            Target::Dense(values) => {
                dense = exactly::<T>(values.iter().copied());
                Targets::Dense(&dense)
            }
        };
        let mut ws = net.workspace(inputs.len() / case.n_inputs).unwrap();
        let mut grad = vec![T::cast(0.0); net.n_params()];
        let objective = net
            .loss_and_gradient(&mut ws, &inputs, targets, &mut grad)
            .unwrap()
            .widen();

        let (m64, m32) = case.objective_magnitude;
        let scale = T::EPSILON * if f32 { m32 } else { m64 };
        let error = (objective - case.objective).abs() / scale;
        assert!(
            error <= ORACLE_EPS,
            "{} in {}: objective {objective:e}, exact {:e} ({error:.1} eps M)",
            case.name,
            T::NAME,
            case.objective,
        );

        for (j, (&ours, &(_, torch, m64, m32))) in grad.iter().zip(case.entries).enumerate() {
            let scale = T::EPSILON * if f32 { m32 } else { m64 };
            let difference = (ours.widen() - torch).abs();
            assert!(
                difference <= ORACLE_EPS * scale,
                "{} in {}, parameter {j}: ours {ours}, torch {torch} ({:.1} eps M)",
                case.name,
                T::NAME,
                difference / scale,
            );
        }
    }
}

#[test]
fn every_case_agrees_with_torch_in_f64() {
    check_every_case::<f64>();
}

#[test]
fn every_case_agrees_with_torch_in_f32() {
    check_every_case::<f32>();
}

/// What the cases must go on covering, so that trimming `generate.py` cannot quietly drop a
/// code path: every hidden activation, every loss with labels and with dense targets, MSE on
/// a softmax output, L2, two hidden layers, batches of 1 and of at least 3, and logits of 27
/// and more.
#[test]
fn the_cases_cover_every_activation_loss_and_shape() {
    let hidden = |case: &Case| case.layers[..case.layers.len() - 1].to_vec();
    let has_hidden = |f: &dyn Fn(Activation) -> bool| {
        CASES
            .iter()
            .any(|case| hidden(case).iter().any(|&(_, a)| f(a)))
    };
    assert!(has_hidden(&|a| a == Activation::Identity));
    assert!(has_hidden(&|a| a == Activation::Sigmoid));
    assert!(has_hidden(&|a| a == Activation::Tanh));
    assert!(has_hidden(&|a| a == Activation::Relu));
    assert!(has_hidden(&|a| matches!(a, Activation::LeakyRelu { .. })));
    assert!(has_hidden(&|a| a == Activation::Softplus));
    let has = |f: &dyn Fn(&Case) -> bool| CASES.iter().any(f);
    let labels = |case: &Case| matches!(case.targets, Target::Labels(_));
    let batch = |case: &Case| case.inputs.len() / case.n_inputs;
    let output = |case: &Case| case.layers[case.layers.len() - 1].1;
    for loss in [
        Loss::Mse,
        Loss::BinaryCrossEntropy,
        Loss::SoftmaxCrossEntropy,
    ] {
        assert!(has(&|c| c.loss == loss && !labels(c)), "{loss:?} dense");
    }
    assert!(has(&|c| c.loss == Loss::BinaryCrossEntropy && labels(c)));
    assert!(has(&|c| c.loss == Loss::SoftmaxCrossEntropy && labels(c)));
    assert!(has(
        &|c| c.loss == Loss::Mse && output(c) == Activation::Softmax
    ));
    assert!(has(&|c| c.l2 > 0.0));
    assert!(has(&|c| hidden(c).len() >= 2));
    assert!(has(&|c| batch(c) == 1));
    assert!(has(&|c| batch(c) >= 3));
    assert!(has(
        &|c| c.name.starts_with("large_logits") && c.objective < 1e-12
    ));
}
