//! Bad specs and bad data get typed errors that name what was wrong.

use mlp::{Activation, Error, Loss, Mlp, MlpBuilder, Targets};

fn build(builder: &MlpBuilder) -> Result<Mlp<f64>, Error> {
    builder.build::<f64>()
}

#[test]
fn inconsistent_specs_are_rejected_by_the_builder() {
    let ok = Mlp::<f64>::builder(2).hidden(3, Activation::Relu);
    assert_eq!(
        build(&Mlp::<f64>::builder(0).output(1, Activation::Sigmoid)),
        Err(Error::NoInputs)
    );
    assert_eq!(build(&ok.clone()), Err(Error::NoOutputLayer));
    assert_eq!(
        build(
            &ok.clone()
                .hidden(0, Activation::Tanh)
                .output(1, Activation::Identity)
        ),
        Err(Error::ZeroWidth { layer: 1 })
    );
    assert_eq!(
        build(
            &ok.clone()
                .output(1, Activation::Identity)
                .hidden(2, Activation::Tanh)
        ),
        Err(Error::LayerAfterOutput)
    );
    assert_eq!(
        build(
            &ok.clone()
                .hidden(4, Activation::Softmax)
                .output(2, Activation::Softmax)
        ),
        Err(Error::SoftmaxHidden { layer: 1 })
    );
    assert_eq!(
        build(&ok.clone().output(1, Activation::Softmax)),
        Err(Error::SoftmaxSingleOutput)
    );
    assert_eq!(
        build(
            &ok.clone()
                .output(3, Activation::Tanh)
                .loss(Loss::SoftmaxCrossEntropy)
        ),
        Err(Error::LossNeedsActivation {
            loss: "softmax_cross_entropy",
            expected: "softmax",
            found: "tanh"
        })
    );
    assert_eq!(
        build(
            &ok.clone()
                .output(1, Activation::Identity)
                .loss(Loss::BinaryCrossEntropy)
        ),
        Err(Error::LossNeedsActivation {
            loss: "binary_cross_entropy",
            expected: "sigmoid",
            found: "identity"
        })
    );
    assert!(matches!(
        build(&ok.clone().output(1, Activation::Sigmoid).l2(-0.1)),
        Err(Error::InvalidHyperparameter { name: "l2", .. })
    ));
    assert!(matches!(
        build(&ok.clone().output(1, Activation::Sigmoid).l2(f64::NAN)),
        Err(Error::InvalidHyperparameter { name: "l2", .. })
    ));
    assert!(matches!(
        build(
            &Mlp::<f64>::builder(2)
                .hidden(
                    3,
                    Activation::LeakyRelu {
                        slope: f64::INFINITY
                    }
                )
                .output(1, Activation::Sigmoid)
        ),
        Err(Error::InvalidHyperparameter {
            name: "leaky_relu slope",
            ..
        })
    ));
    // The default losses follow the output activation.
    let softmax = build(&ok.clone().output(3, Activation::Softmax)).unwrap();
    assert_eq!(softmax.loss_kind(), Loss::SoftmaxCrossEntropy);
    let sigmoid = build(&ok.clone().output(1, Activation::Sigmoid)).unwrap();
    assert_eq!(sigmoid.loss_kind(), Loss::BinaryCrossEntropy);
    let linear = build(&ok.output(2, Activation::Identity)).unwrap();
    assert_eq!(linear.loss_kind(), Loss::Mse);
}

/// A 3-input, 2-class softmax network and a workspace for 4 samples.
fn classifier() -> (Mlp<f64>, mlp::Workspace<f64>) {
    let net = Mlp::<f64>::builder(3)
        .hidden(4, Activation::Tanh)
        .output(2, Activation::Softmax)
        .build()
        .unwrap();
    let ws = net.workspace(4).unwrap();
    (net, ws)
}

#[test]
fn bad_batches_are_rejected_with_what_was_wrong() {
    let (net, mut ws) = classifier();
    let mut grad = vec![0.0; net.n_params()];
    let x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    let labels = [0, 1];
    let mut run = |inputs: &[f64], targets: Targets<'_, f64>, grad: &mut [f64]| {
        net.loss_and_gradient(&mut ws, inputs, targets, grad)
    };
    assert_eq!(
        run(&x[..5], Targets::Labels(&labels), &mut grad),
        Err(Error::InputLength {
            len: 5,
            n_inputs: 3
        })
    );
    assert_eq!(
        run(&[], Targets::Labels(&[]), &mut grad),
        Err(Error::EmptyBatch)
    );
    assert_eq!(
        run(&[0.0; 15], Targets::Labels(&[0; 5]), &mut grad),
        Err(Error::BatchTooLarge {
            batch: 5,
            capacity: 4
        })
    );
    let mut nan = x;
    nan[4] = f64::NAN;
    match run(&nan, Targets::Labels(&labels), &mut grad) {
        Err(Error::NonFiniteInput {
            sample: 1,
            feature: 1,
            value,
        }) => assert!(value.is_nan()),
        other => panic!("expected a non-finite input at sample 1, feature 1, got {other:?}"),
    }
    let mut inf = x;
    inf[2] = f64::NEG_INFINITY;
    assert_eq!(
        run(&inf, Targets::Labels(&labels), &mut grad),
        Err(Error::NonFiniteInput {
            sample: 0,
            feature: 2,
            value: f64::NEG_INFINITY
        })
    );
    assert_eq!(
        run(&x, Targets::Labels(&[0, 2]), &mut grad),
        Err(Error::LabelOutOfRange {
            sample: 1,
            label: 2,
            n_classes: 2
        })
    );
    assert_eq!(
        run(&x, Targets::Labels(&[0]), &mut grad),
        Err(Error::TargetLength {
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        run(&x, Targets::Dense(&[1.0, 0.0, 0.0]), &mut grad),
        Err(Error::TargetLength {
            expected: 4,
            found: 3
        })
    );
    // Three samples of two outputs: 6 targets expected (not 3 + 2).
    assert_eq!(
        run(
            &[0.1; 9],
            Targets::Dense(&[1.0, 0.0, 0.0, 1.0, 0.5]),
            &mut grad
        ),
        Err(Error::TargetLength {
            expected: 6,
            found: 5
        })
    );
    assert_eq!(
        run(&x, Targets::Dense(&[1.0, 0.0, 0.0, 1.5]), &mut grad),
        Err(Error::InvalidTarget {
            sample: 1,
            output: 1,
            value: 1.5,
            allowed: "in [0, 1]"
        })
    );
    assert_eq!(
        run(&x, Targets::Labels(&labels), &mut grad[1..]),
        Err(Error::ParameterLength {
            expected: grad.len(),
            found: grad.len() - 1
        })
    );
    assert!(run(&x, Targets::Labels(&labels), &mut grad).is_ok());
}

#[test]
fn a_workspace_of_another_network_is_rejected() {
    let (net, _) = classifier();
    let other = Mlp::<f64>::builder(3)
        .hidden(5, Activation::Tanh)
        .output(2, Activation::Softmax)
        .build()
        .unwrap();
    let mut ws = other.workspace(4).unwrap();
    assert_eq!(
        net.forward(&mut ws, &[0.0; 3]).err(),
        Some(Error::WorkspaceMismatch)
    );
    assert_eq!(net.workspace(0).err(), Some(Error::EmptyBatch));
    assert!(matches!(
        ws.set_threads(0),
        Err(Error::InvalidHyperparameter {
            name: "threads",
            ..
        })
    ));
    // Past MAX_THREADS, faer's division of a shared product's work took minutes.
    assert_eq!(
        ws.set_threads(mlp::workspace::MAX_THREADS + 1).err(),
        Some(Error::InvalidHyperparameter {
            name: "threads",
            value: 1025.0,
            allowed: if cfg!(feature = "threads") {
                "1 to 1024"
            } else {
                "1 (build mlp with the `threads` feature for more)"
            },
        })
    );
    assert_eq!(ws.set_threads(2).is_ok(), cfg!(feature = "threads"));
    assert_eq!(ws.threads(), if cfg!(feature = "threads") { 2 } else { 1 });
}

#[test]
fn mse_targets_may_be_any_finite_number_but_not_nan() {
    let net = Mlp::<f64>::builder(1)
        .output(1, Activation::Identity)
        .build()
        .unwrap();
    let mut ws = net.workspace(2).unwrap();
    assert!(
        net.loss(&mut ws, &[1.0, 2.0], Targets::Dense(&[-7.0, 30.0]))
            .is_ok()
    );
    assert_eq!(
        net.loss(&mut ws, &[1.0, 2.0], Targets::Dense(&[0.0, f64::NAN]))
            .err()
            .map(|e| e.to_string()),
        Some("target of sample 1, output 0 is NaN, must be finite".to_string())
    );
}

/// A 2-input network with one hidden layer and one identity output under MSE: an overflow
/// anywhere in it reaches the loss.
fn mse_net(hidden: usize, activation: Activation) -> Mlp<f64> {
    Mlp::<f64>::builder(2)
        .hidden(hidden, activation)
        .output(1, Activation::Identity)
        .loss(Loss::Mse)
        .build()
        .unwrap()
}

/// What a step stopped by a non-finite activation in `layer` returns.
fn activation_overflow_in<T>(layer: usize) -> Result<T, Error> {
    Err(Error::NonFinite {
        quantity: mlp::Quantity::Activation,
        layer: Some(layer),
    })
}

/// A step that produces non-finite numbers names the layer and changes nothing.
#[test]
fn a_diverging_step_is_stopped_with_the_layer_named() {
    let mut net = mse_net(3, Activation::Identity);
    let mut ws = net.workspace(1).unwrap();
    let mut sgd = optim::Sgd::<f64>::new(optim::SgdConfig::default()).unwrap();
    // A huge weight in layer 1 overflows its pre-activations to infinity.
    let first_weight = net.layers()[1].weights_range().start;
    net.params_mut()[first_weight] = f64::MAX;
    net.params_mut()[first_weight + 1] = f64::MAX;
    let before = net.params().to_vec();
    let result = net.train_step(&mut ws, &[1e10, 1e10], Targets::Dense(&[0.0]), &mut sgd);
    assert_eq!(result, activation_overflow_in(1));
    assert_eq!(net.params(), &before[..], "nothing is updated");
    assert_eq!(
        result.unwrap_err().to_string(),
        "non-finite activation in layer 1"
    );
}

/// A layer is named for an overflow in its pre-activations even when its activation saturates
/// and stays finite: $\tanh(+\infty) = 1$. Layer 0 overflows to $z = +\infty$ (two products
/// of `f64::MAX` by $10^{10}$), its tanh gives 1, layer 1 multiplies that 1 by `f64::MAX` and
/// stays finite, and only the squared error overflows. The first non-finite quantity is layer
/// 0's pre-activation, so the step names layer 0; a scan that needed both $z$ and $a$ to be
/// non-finite would find no layer and blame the loss.
#[test]
fn a_layer_whose_activation_saturates_is_named_for_its_overflowing_pre_activation() {
    let mut net = mse_net(1, Activation::Tanh);
    let mut ws = net.workspace(3).unwrap();
    assert_eq!(ws.batch(), 0, "no forward pass yet");
    // Layer 0: W = (MAX, MAX), b = 0; layer 1: W = (MAX), b = 0.
    let params = [f64::MAX, f64::MAX, 0.0, f64::MAX, 0.0];
    net.set_params(&params).unwrap();
    let x = [1e10, 1e10];
    let output = net.forward(&mut ws, &x).unwrap()[(0, 0)];
    assert_eq!(
        output.to_bits(),
        f64::MAX.to_bits(),
        "tanh(inf) = 1, times MAX"
    );
    assert_eq!(ws.batch(), 1);
    assert_eq!(
        ws.pre_activations(0)[(0, 0)].to_bits(),
        f64::INFINITY.to_bits()
    );
    assert_eq!(ws.activations(0)[(0, 0)].to_bits(), 1.0_f64.to_bits());
    assert_eq!(ws.non_finite_layer(), Some(0));
    let mut sgd = optim::Sgd::<f64>::new(optim::SgdConfig::default()).unwrap();
    assert_eq!(
        net.train_step(&mut ws, &x, Targets::Dense(&[0.0]), &mut sgd),
        activation_overflow_in(0)
    );
    assert_eq!(net.params(), &params[..], "nothing is updated");
    // `batch` is the sample count of the last forward pass, whatever the capacity.
    net.forward(&mut ws, &[0.0; 6]).unwrap();
    assert_eq!(ws.batch(), 3);
    net.forward(&mut ws, &[0.0; 4]).unwrap();
    assert_eq!(ws.batch(), 2);
    assert_eq!(ws.non_finite_layer(), None);
}

#[test]
fn messages_are_lowercase_without_a_full_stop() {
    let errors = [
        Error::NoInputs,
        Error::ZeroWidth { layer: 2 },
        Error::SoftmaxHidden { layer: 0 },
        Error::BatchTooLarge {
            batch: 5,
            capacity: 4,
        },
        Error::NonFiniteInput {
            sample: 3,
            feature: 7,
            value: f64::NAN,
        },
        Error::LabelOutOfRange {
            sample: 0,
            label: 9,
            n_classes: 3,
        },
        Error::UnknownVersion {
            found: 9,
            supported: 1,
        },
    ];
    for e in errors {
        let message = e.to_string();
        assert!(message.starts_with(|c: char| c.is_lowercase()), "{message}");
        assert!(!message.ends_with('.'), "{message}");
    }
    assert_eq!(
        Error::NonFiniteInput {
            sample: 3,
            feature: 7,
            value: f64::NAN
        }
        .to_string(),
        "input of sample 3, feature 7 is NaN (not finite)"
    );
}

/// `evaluate` and `predict_labels` take any number of samples and run them through the
/// workspace a capacity-sized chunk at a time; an error must still name the sample by its
/// index in the caller's data, not in the chunk. Ten samples through a workspace of 4 are
/// chunks 0..4, 4..8 and 8..10, so sample 9 is the second sample of the third chunk.
#[test]
fn errors_of_chunked_passes_name_the_sample_in_the_whole_data() {
    let (net, mut ws) = classifier();
    assert_eq!(ws.capacity(), 4);
    let n_samples = 10;
    let x: Vec<f64> = (0..3 * n_samples).map(|i| f64::from(i) * 0.01).collect();
    let labels = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0];
    assert!(net.evaluate(&mut ws, &x, &labels).is_ok());
    assert_eq!(net.predict_labels(&mut ws, &x).map(|l| l.len()), Ok(10));

    let mut nan = x.clone();
    nan[9 * 3 + 2] = f64::NAN;
    for result in [
        net.predict_labels(&mut ws, &nan).map(|_| ()),
        net.evaluate(&mut ws, &nan, &labels).map(|_| ()),
        net.accuracy(&mut ws, &nan, &labels).map(|_| ()),
    ] {
        match result {
            Err(Error::NonFiniteInput {
                sample: 9,
                feature: 2,
                value,
            }) => assert!(value.is_nan()),
            other => panic!("expected a non-finite input at sample 9, feature 2, got {other:?}"),
        }
    }
    let mut inf = x.clone();
    inf[5 * 3] = f64::INFINITY;
    assert_eq!(
        net.evaluate(&mut ws, &inf, &labels),
        Err(Error::NonFiniteInput {
            sample: 5,
            feature: 0,
            value: f64::INFINITY
        })
    );

    let mut bad_labels = labels;
    bad_labels[6] = 2;
    assert_eq!(
        net.evaluate(&mut ws, &x, &bad_labels),
        Err(Error::LabelOutOfRange {
            sample: 6,
            label: 2,
            n_classes: 2
        })
    );
}

#[test]
fn widths_whose_parameters_no_buffer_holds_are_refused_not_a_panic() {
    // 2^33 outputs of 2^33 + 1 columns overflow usize: this panicked on the multiplication.
    let error =
        build(&Mlp::<f64>::builder(1 << 33).output(1 << 33, Activation::Identity)).unwrap_err();
    assert_eq!(
        error,
        Error::TooManyParameters {
            layer: 0,
            n_inputs: 1 << 33,
            n_outputs: 1 << 33
        }
    );
    assert_eq!(
        error.to_string(),
        "layer 0 (8589934592 inputs, 8589934592 outputs) brings the parameter count past what one buffer can hold"
    );
    // n_inputs + 1 overflowed too.
    assert!(matches!(
        build(&Mlp::<f64>::builder(usize::MAX).output(2, Activation::Identity)),
        Err(Error::TooManyParameters { layer: 0, .. })
    ));
    // Each layer's count fits in usize, but together their 2^60 + 2 f64s exceed isize::MAX
    // bytes, the most one allocation can hold: the error names the layer that tips it over.
    assert_eq!(
        build(
            &Mlp::<f64>::builder(1)
                .hidden(1 << 58, Activation::Relu)
                .output(2, Activation::Identity)
        ),
        Err(Error::TooManyParameters {
            layer: 1,
            n_inputs: 1 << 58,
            n_outputs: 2
        })
    );
}

#[test]
fn parameters_or_buffers_the_allocator_refuses_are_an_error_not_an_abort() {
    // 2^56 + 1 hidden units: about 2^58 f64s, under isize::MAX bytes (2^63) but past every
    // machine's address space, so the allocation fails. It aborted the process.
    assert_eq!(
        build(
            &Mlp::<f64>::builder(1)
                .hidden(1 << 56, Activation::Relu)
                .output(2, Activation::Identity)
        ),
        Err(Error::TooManyParameters {
            layer: 1,
            n_inputs: 1 << 56,
            n_outputs: 2
        })
    );
    let net = build(&Mlp::<f32>::builder(3).output(2, Activation::Identity)).unwrap();
    // Capacities whose buffers overflow usize (2 × usize::MAX), exceed isize::MAX bytes
    // (2 × 2^62 f32s) or the address space (2 × 2^56 f32s): the first panicked on the
    // multiplication, the others aborted.
    for capacity in [usize::MAX, 1 << 62, 1 << 56] {
        assert_eq!(
            net.workspace(capacity).err(),
            Some(Error::WorkspaceTooLarge { capacity })
        );
    }
    assert_eq!(
        Error::WorkspaceTooLarge { capacity: 1 << 56 }.to_string(),
        "the buffers of a workspace for 72057594037927936 samples cannot be allocated"
    );
    assert!(net.workspace(1000).is_ok());
}

#[test]
fn a_saved_network_with_a_corrupted_width_is_an_error_before_anything_is_allocated() {
    let net = Mlp::<f64>::builder(2)
        .hidden(3, Activation::Tanh)
        .output(1, Activation::Sigmoid)
        .build::<f64>()
        .unwrap();
    let json = net.to_json().unwrap();
    // A width of 2^40 fits usize, so this tried to allocate 26 TB for the parameters and
    // aborted the process before it could compare their count with the file's 13.
    let huge = json.replace("{\"n_outputs\":3,", "{\"n_outputs\":1099511627776,");
    let error = Mlp::<f64>::from_json(&huge).unwrap_err();
    assert_eq!(
        error,
        Error::ParameterLength {
            // 2^40 (2 + 1) in the first layer, 2^40 + 1 in the output layer.
            expected: 4 * 1_099_511_627_776 + 1,
            found: 13
        }
    );
    assert!(error.to_string().contains("found 13"), "{error}");
    // Widths whose product overflows usize panicked on the multiplication.
    let overflow = json
        .replace("\"n_inputs\":2,", "\"n_inputs\":8589934592,")
        .replace("{\"n_outputs\":3,", "{\"n_outputs\":8589934592,");
    assert_eq!(
        Mlp::<f64>::from_json(&overflow),
        Err(Error::TooManyParameters {
            layer: 0,
            n_inputs: 1 << 33,
            n_outputs: 1 << 33
        })
    );
}

#[test]
fn set_params_refuses_non_finite_values_and_names_their_layer() {
    let mut net = Mlp::<f64>::builder(2)
        .hidden(3, Activation::Tanh)
        .output(1, Activation::Sigmoid)
        .build::<f64>()
        .unwrap();
    let before = net.params().to_vec();
    // Layer 0 holds 3 x (2 + 1) = 9 parameters; index 10 is in the output layer.
    for (index, value, layer) in [(0, f64::NAN, 0), (10, f64::INFINITY, 1)] {
        let mut params = before.clone();
        params[index] = value;
        // This was accepted, and every output and loss was then NaN without an error.
        let error = net.set_params(&params).unwrap_err();
        assert_eq!(
            error,
            Error::NonFinite {
                quantity: mlp::Quantity::Parameter,
                layer: Some(layer)
            }
        );
        assert_eq!(
            error.to_string(),
            format!("non-finite parameter in layer {layer}")
        );
        assert_eq!(net.params(), &before[..], "the parameters are unchanged");
    }
}

#[test]
fn dense_targets_for_zero_outputs_describe_no_samples_instead_of_dividing_by_zero() {
    // This panicked with "attempt to calculate the remainder with a divisor of zero".
    assert_eq!(Targets::Dense(&[1.0_f64, 2.0]).n_samples(0), None);
    assert_eq!(Targets::Dense(&[1.0_f64, 2.0]).n_samples(2), Some(1));
    assert_eq!(Targets::Dense(&[1.0_f64, 2.0, 3.0]).n_samples(2), None);
}

/// The L2 factor's range is "finite and >= 0": the infinities are refused like NaN and
/// negative numbers, with the value and the range in the error.
#[test]
fn an_infinite_l2_factor_is_rejected_by_the_builder() {
    for lambda in [f64::INFINITY, f64::NEG_INFINITY] {
        let builder = Mlp::<f64>::builder(2)
            .output(1, Activation::Sigmoid)
            .l2(lambda);
        assert_eq!(
            build(&builder),
            Err(Error::InvalidHyperparameter {
                name: "l2",
                value: lambda,
                allowed: "finite and >= 0"
            })
        );
    }
}

/// A second output layer is a layer after the output, like a hidden one.
#[test]
fn a_second_output_layer_is_rejected_by_the_builder() {
    let twice = Mlp::<f64>::builder(2)
        .output(3, Activation::Tanh)
        .output(1, Activation::Sigmoid);
    assert_eq!(build(&twice), Err(Error::LayerAfterOutput));
}
