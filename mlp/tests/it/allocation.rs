//! A training step allocates nothing on the heap once its buffers exist.

use allocation_counter::measure;
use mlp::{Activation, Loss, Mlp, Targets};
use optim::{Adam, AdamConfig, Sgd, SgdConfig};

/// W2's shape (64-32-10 tanh, softmax, batch 32) plus a full-width partial batch, and a deeper
/// network with every hidden activation and an MSE head, in f32 and f64: after two warm-up
/// steps (the optimizer sizes its state, the matrix kernels their per-thread packing buffers),
/// ten more steps, forward passes and gradients count zero allocations.
#[test]
fn training_steps_allocate_nothing_after_the_first() {
    fn check<T: mlp::Scalar>() {
        let mut net: Mlp<T> = Mlp::<T>::builder(64)
            .hidden(32, Activation::Tanh)
            .output(10, Activation::Softmax)
            .loss(Loss::SoftmaxCrossEntropy)
            .seed(3)
            .build()
            .unwrap();
        let inputs: Vec<T> = (0..64 * 32)
            .map(|i| T::cast(f64::from(i % 17) / 17.0))
            .collect();
        let labels: Vec<usize> = (0..32).map(|i| i % 10).collect();
        let mut ws = net.workspace(32).unwrap();
        let mut sgd: Sgd<T> = Sgd::new(SgdConfig {
            learning_rate: 0.1,
            momentum: 0.9,
            ..SgdConfig::default()
        })
        .unwrap();
        let mut grad = vec![T::cast(0.0); net.n_params()];
        let mut run = |net: &mut Mlp<T>| {
            net.train_step(&mut ws, &inputs, Targets::Labels(&labels), &mut sgd)
                .unwrap();
            // The last batch of an epoch is smaller: 5 samples.
            net.train_step(
                &mut ws,
                &inputs[..64 * 5],
                Targets::Labels(&labels[..5]),
                &mut sgd,
            )
            .unwrap();
            net.forward(&mut ws, &inputs).unwrap();
            net.loss_and_gradient(&mut ws, &inputs, Targets::Labels(&labels), &mut grad)
                .unwrap();
        };
        run(&mut net);
        run(&mut net);
        let info = measure(|| {
            for _ in 0..10 {
                run(&mut net);
            }
        });
        assert_eq!(
            info.count_total,
            0,
            "{} W2-shaped steps allocated: {info:?}",
            T::NAME
        );

        let mut deep: Mlp<T> = Mlp::<T>::builder(12)
            .hidden(9, Activation::Sigmoid)
            .hidden(8, Activation::Relu)
            .hidden(7, Activation::LeakyRelu { slope: 0.1 })
            .hidden(6, Activation::Softplus)
            .hidden(5, Activation::Identity)
            .output(3, Activation::Softmax)
            .loss(Loss::Mse)
            .l2(1e-3)
            .build()
            .unwrap();
        let inputs: Vec<T> = (0..12 * 20)
            .map(|i| T::cast(f64::from(i % 7) / 7.0 - 0.5))
            .collect();
        let targets: Vec<T> = (0..3 * 20_u32)
            .map(|i| T::cast(f64::from(i % 3) / 2.0))
            .collect();
        let mut ws = deep.workspace(20).unwrap();
        let mut adam: Adam<T> = Adam::new(AdamConfig::default()).unwrap();
        for _ in 0..2 {
            deep.train_step(&mut ws, &inputs, Targets::Dense(&targets), &mut adam)
                .unwrap();
        }
        let info = measure(|| {
            for _ in 0..10 {
                deep.train_step(&mut ws, &inputs, Targets::Dense(&targets), &mut adam)
                    .unwrap();
            }
        });
        assert_eq!(
            info.count_total,
            0,
            "{} deep steps allocated: {info:?}",
            T::NAME
        );
    }
    check::<f32>();
    check::<f64>();
}
