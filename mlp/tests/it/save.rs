//! Saving and loading: bit-identical outputs, typed errors for damaged files, atomic saves.

use std::path::PathBuf;

use mlp::{Activation, Error, Loss, Mlp, Quantity};

fn network<T: mlp::Scalar>() -> Mlp<T> {
    Mlp::<T>::builder(5)
        .hidden(7, Activation::Tanh)
        .hidden(6, Activation::LeakyRelu { slope: 0.03 })
        .output(3, Activation::Softmax)
        .loss(Loss::SoftmaxCrossEntropy)
        .l2(1e-4)
        .seed(11)
        .build()
        .unwrap()
}

fn inputs<T: mlp::Scalar>() -> Vec<T> {
    (0..5 * 9)
        .map(|i| T::cast((f64::from(i) * 0.37).sin()))
        .collect()
}

/// A fresh directory under the target directory's temp area, removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("mlp-save-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_loaded_network_gives_bit_identical_outputs() {
    fn check<T: mlp::Scalar>() {
        let net = network::<T>();
        let back = Mlp::<T>::from_json(&net.to_json().unwrap()).unwrap();
        assert_eq!(back, net);
        let (before, after) = (
            net.predict(&inputs()).unwrap(),
            back.predict(&inputs()).unwrap(),
        );
        for (a, b) in before.iter().zip(after.iter()) {
            assert_eq!(a.widen().to_bits(), b.widen().to_bits());
        }
        let mut buffer = Vec::new();
        net.write_json(&mut buffer).unwrap();
        assert_eq!(Mlp::<T>::read_json(&buffer[..]).unwrap(), net);
    }
    check::<f32>();
    check::<f64>();
}

#[test]
fn save_writes_atomically_and_load_reads_it_back() {
    let dir = TempDir::new("atomic");
    let path = dir.0.join("net.json");
    let net = network::<f64>();
    net.save(&path).unwrap();
    assert_eq!(Mlp::<f64>::load(&path).unwrap(), net);
    // Overwriting leaves exactly the one file, no temporary beside it.
    network::<f64>().save(&path).unwrap();
    let names: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("net.json")]);
    // A save into a missing directory fails with the path named and writes nothing.
    let missing = dir.0.join("no-such-dir").join("net.json");
    match net.save(&missing) {
        Err(Error::Io { path, .. }) => assert!(path.contains("no-such-dir"), "{path}"),
        other => panic!("expected an io error, got {other:?}"),
    }
    assert!(matches!(Mlp::<f64>::load(&missing), Err(Error::Io { .. })));
    // A network with a NaN parameter is refused before anything is written.
    let mut broken = net.clone();
    let index = broken.layers()[2].biases_range().start;
    broken.params_mut()[index] = f64::NAN;
    assert_eq!(
        broken.save(&path),
        Err(Error::NonFinite {
            quantity: Quantity::Parameter,
            layer: Some(2)
        })
    );
    assert_eq!(
        Mlp::<f64>::load(&path).unwrap(),
        net,
        "the old file is intact"
    );
}

#[test]
fn damaged_files_are_typed_errors() {
    let json = network::<f64>().to_json().unwrap();
    // Truncated: cut in the middle of the parameters.
    let truncated = &json[..json.len() / 2];
    assert!(matches!(
        Mlp::<f64>::from_json(truncated),
        Err(Error::Format { .. })
    ));
    assert!(matches!(
        Mlp::<f64>::from_json("not json"),
        Err(Error::Format { .. })
    ));
    // Another version.
    let future = json.replace("\"version\":1", "\"version\":7");
    assert_eq!(
        Mlp::<f64>::from_json(&future),
        Err(Error::UnknownVersion {
            found: 7,
            supported: 1
        })
    );
    // Another element type.
    assert_eq!(
        Mlp::<f32>::from_json(&json),
        Err(Error::ScalarMismatch {
            saved: "f64".to_string(),
            requested: "f32"
        })
    );
    // Wrong shapes: the first hidden layer made one unit wider than its parameters: that unit
    // needs 5 weights and a bias, and the next layer 6 more weights (one per output).
    let wider = json.replace("{\"n_outputs\":7,", "{\"n_outputs\":8,");
    assert!(matches!(
        Mlp::<f64>::from_json(&wider),
        Err(Error::ParameterLength { found, expected }) if expected == found + 5 + 1 + 6
    ));
    // An inconsistent architecture is the builder's error.
    let hidden_softmax = json.replace("\"activation\":\"Tanh\"", "\"activation\":\"Softmax\"");
    assert_eq!(
        Mlp::<f64>::from_json(&hidden_softmax),
        Err(Error::SoftmaxHidden { layer: 0 })
    );
    // Non-finite numbers: JSON writers store NaN as null; 1e999 does not parse as f64.
    let start = json.find("\"params\":[").unwrap() + "\"params\":[".len();
    let end = start + json[start..].find(',').unwrap();
    let with_null = format!("{}null{}", &json[..start], &json[end..]);
    assert_eq!(
        Mlp::<f64>::from_json(&with_null),
        Err(Error::NonFinite {
            quantity: Quantity::Parameter,
            layer: Some(0)
        })
    );
    let with_overflow = format!("{}1e999{}", &json[..start], &json[end..]);
    assert!(matches!(
        Mlp::<f64>::from_json(&with_overflow),
        Err(Error::Format { .. })
    ));
}

/// The names in a directory, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Threads of one process saving to one path must not share a temporary file: with a name
/// made of the process id alone, one thread truncates and rewrites the file another is about
/// to rename, and the other's rename then fails (its file is gone) or installs a file still
/// being written. Every save must succeed and the file must be one of the two networks.
#[test]
fn threads_saving_to_one_path_do_not_collide() {
    let dir = TempDir::new("threads");
    let path = dir.0.join("net.json");
    let nets = [network::<f64>(), {
        let mut other = network::<f64>();
        other.params_mut()[0] += 1.0;
        other
    }];
    let start = std::sync::Barrier::new(nets.len());
    std::thread::scope(|scope| {
        for net in &nets {
            let (path, start) = (&path, &start);
            scope.spawn(move || {
                start.wait();
                for round in 0..40 {
                    net.save(path)
                        .unwrap_or_else(|e| panic!("save {round} failed: {e}"));
                }
            });
        }
    });
    let loaded = Mlp::<f64>::load(&path).unwrap();
    assert!(nets.contains(&loaded));
    assert_eq!(names_in(&dir.0), ["net.json"]);
}

/// A save whose final rename fails (the target is a directory) is an error naming the target,
/// and removes its temporary file.
#[test]
fn a_failed_rename_is_an_error_and_leaves_no_temporary_file() {
    let dir = TempDir::new("rename");
    let target = dir.0.join("net.json");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), "not a network").unwrap();
    match network::<f64>().save(&target) {
        Err(Error::Io { path, message }) => {
            assert_eq!(path, target.display().to_string());
            assert!(!message.is_empty());
        }
        other => panic!(
            "expected an io error naming {}, got {other:?}",
            target.display()
        ),
    }
    assert_eq!(names_in(&dir.0), ["net.json"]);
    assert_eq!(names_in(&target), ["keep"]);
}

/// A save replaces the file instead of rewriting it: whoever holds the old file (here a hard
/// link to it, which shares its contents) still reads the whole old network, while the path
/// now holds the whole new one. A save that wrote into the target itself would change what
/// both names read, and a crash in the middle would leave a half-written file.
#[test]
fn a_save_replaces_the_file_instead_of_rewriting_it() {
    let dir = TempDir::new("replace");
    let path = dir.0.join("net.json");
    let old = network::<f64>();
    old.save(&path).unwrap();
    let link = dir.0.join("old.json");
    std::fs::hard_link(&path, &link).unwrap();
    let mut new = network::<f64>();
    new.params_mut()[0] += 1.0;
    new.save(&path).unwrap();
    assert_eq!(Mlp::<f64>::load(&path).unwrap(), new);
    assert_eq!(
        Mlp::<f64>::load(&link).unwrap(),
        old,
        "the old file is untouched"
    );
    assert_eq!(names_in(&dir.0), ["net.json", "old.json"]);
}

/// What the damaged-files test leaves out: a file of another format, and a non-finite
/// parameter in a later layer (the error names that layer).
#[test]
fn other_formats_and_non_finite_parameters_anywhere_are_typed_errors() {
    let json = network::<f64>().to_json().unwrap();
    let other = json.replacen("\"format\":\"mlp\"", "\"format\":\"onnx\"", 1);
    assert_ne!(other, json);
    match Mlp::<f64>::from_json(&other) {
        Err(Error::Format { message }) => assert!(message.contains("onnx"), "{message}"),
        other => panic!("expected a format error, got {other:?}"),
    }
    // The last parameter is the output layer's (layer 2) last bias.
    let last_param = |json: &str, value: &str| {
        let end = json.rfind(']').unwrap();
        let start = json[..end].rfind(',').unwrap() + 1;
        format!("{}{value}{}", &json[..start], &json[end..])
    };
    assert_eq!(
        Mlp::<f64>::from_json(&last_param(&json, "null")),
        Err(Error::NonFinite {
            quantity: Quantity::Parameter,
            layer: Some(2)
        })
    );
    // In an f32 file, 1e30 is a parameter and 1e39, beyond f32's range, a format error (as
    // 1e999 in an f64 file): the JSON reader refuses it before the finiteness check.
    let json32 = network::<f32>().to_json().unwrap();
    assert!(Mlp::<f32>::from_json(&last_param(&json32, "1e30")).is_ok());
    match Mlp::<f32>::from_json(&last_param(&json32, "1e39")) {
        Err(Error::Format { message }) => assert!(message.contains("out of range"), "{message}"),
        other => panic!("expected a format error, got {other:?}"),
    }
}
