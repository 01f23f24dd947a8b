//! Saving and loading a network as JSON, with a format version.
//!
//! The file holds the architecture (inputs, each layer's width and activation, the loss, the
//! L2 factor), the element type and the flat parameter buffer:
//!
//! ```text
//! {"format":"mlp","version":1,"scalar":"f32","n_inputs":64,
//!  "layers":[{"n_outputs":32,"activation":"Tanh"},...],"loss":"SoftmaxCrossEntropy",
//!  "l2":0.0,"params":[...]}
//! ```
//!
//! Numbers are written in their shortest exact decimal form and parsed back exactly (`serde_json`'s
//! `float_roundtrip`), so a loaded network has bit-identical parameters and outputs.
//! Loading checks everything a hand-edited or damaged file could get wrong and returns a typed
//! [`Error`]: truncated or malformed JSON ([`Error::Format`]), another version
//! ([`Error::UnknownVersion`]), another element type ([`Error::ScalarMismatch`]), an
//! inconsistent architecture (the builder's errors) or parameter count
//! ([`Error::ParameterLength`]), and non-finite parameters ([`Error::NonFinite`]).
//!
//! [`Mlp::save`] is the crate's one piece of file I/O, kept here so that a save can never leave
//! a half-written file behind: it writes a temporary file next to the target, flushes it to
//! disk and renames it over the target (a rename within one directory is atomic).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::{Error, Quantity};
use crate::loss::Loss;
use crate::network::Mlp;
use crate::scalar::Scalar;

/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const FORMAT_NAME: &str = "mlp";

/// Calls of [`Mlp::save`] so far in this process: part of each temporary file's name.
static SAVE_CALLS: AtomicU64 = AtomicU64::new(0);

#[derive(Serialize, Deserialize)]
struct SavedLayer {
    n_outputs: usize,
    activation: Activation,
}

#[derive(Serialize)]
struct Saved<'a, T> {
    format: &'static str,
    version: u32,
    scalar: &'static str,
    n_inputs: usize,
    layers: Vec<SavedLayer>,
    loss: Loss,
    l2: f64,
    params: &'a [T],
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct Loaded<T> {
    scalar: String,
    n_inputs: usize,
    layers: Vec<SavedLayer>,
    loss: Loss,
    l2: f64,
    // `null` is how JSON writers store NaN and infinities: read it, then refuse it by name.
    params: Vec<Option<T>>,
}

impl<T: Scalar> Mlp<T> {
    /// The network as a JSON string (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] naming the layer of a NaN or infinite parameter (it could not be
    /// read back).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(&self.saved()?).map_err(|e| Error::Format {
            message: e.to_string(),
        })
    }

    /// Writes the network as JSON to `writer`.
    ///
    /// # Errors
    ///
    /// As [`Mlp::to_json`], and [`Error::Io`] if writing fails.
    pub fn write_json<W: Write>(&self, writer: W) -> Result<(), Error> {
        serde_json::to_writer(writer, &self.saved()?).map_err(|e| Error::Io {
            path: "<writer>".to_string(),
            message: e.to_string(),
        })
    }

    /// The saved form, refusing non-finite parameters.
    fn saved(&self) -> Result<Saved<'_, T>, Error> {
        if let Some(layer) = self.non_finite_layer(&self.params)? {
            return Err(Error::NonFinite {
                quantity: Quantity::Parameter,
                layer: Some(layer),
            });
        }
        let saved = Saved {
            format: FORMAT_NAME,
            version: FORMAT_VERSION,
            scalar: T::NAME,
            n_inputs: self.n_inputs,
            layers: self
                .layers
                .iter()
                .map(|l| SavedLayer {
                    n_outputs: l.n_outputs(),
                    activation: l.activation(),
                })
                .collect(),
            loss: self.loss,
            l2: self.l2,
            params: &self.params,
        };
        Ok(saved)
    }

    /// Reads a network from a JSON string written by [`Mlp::to_json`].
    ///
    /// # Errors
    ///
    /// See the [module docs](self).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let format_error = |e: serde_json::Error| Error::Format {
            message: e.to_string(),
        };
        let header: Header = serde_json::from_str(json).map_err(format_error)?;
        if header.format != FORMAT_NAME {
            return Err(Error::Format {
                message: format!(
                    "format is \"{}\", expected \"{FORMAT_NAME}\"",
                    header.format
                ),
            });
        }
        if header.version != FORMAT_VERSION {
            return Err(Error::UnknownVersion {
                found: header.version,
                supported: FORMAT_VERSION,
            });
        }
        let loaded: Loaded<T> = serde_json::from_str(json).map_err(format_error)?;
        if loaded.scalar != T::NAME {
            return Err(Error::ScalarMismatch {
                saved: loaded.scalar,
                requested: T::NAME,
            });
        }
        let widths: Vec<(usize, Activation)> = loaded
            .layers
            .iter()
            .map(|l| (l.n_outputs, l.activation))
            .collect();
        // The spec and its parameter count are checked before the buffer is allocated: a
        // corrupted width must not make `from_spec` allocate terabytes.
        let expected =
            crate::network::validate_spec(loaded.n_inputs, &widths, loaded.loss, loaded.l2)?;
        if loaded.params.len() != expected {
            return Err(Error::ParameterLength {
                expected,
                found: loaded.params.len(),
            });
        }
        let mut net = Self::from_spec(loaded.n_inputs, &widths, loaded.loss, loaded.l2)?;
        for (i, value) in loaded.params.iter().enumerate() {
            match value {
                Some(v) if num_traits::Float::is_finite(*v) => net.params[i] = *v,
                _ => {
                    return Err(Error::NonFinite {
                        quantity: Quantity::Parameter,
                        layer: net
                            .layers
                            .iter()
                            .position(|l| l.params_range().contains(&i)),
                    });
                }
            }
        }
        Ok(net)
    }

    /// Reads a network written by [`Mlp::write_json`] from `reader`.
    ///
    /// # Errors
    ///
    /// As [`Mlp::from_json`], and [`Error::Io`] if reading fails.
    pub fn read_json<R: Read>(mut reader: R) -> Result<Self, Error> {
        let mut json = String::new();
        reader.read_to_string(&mut json).map_err(|e| Error::Io {
            path: "<reader>".to_string(),
            message: e.to_string(),
        })?;
        Self::from_json(&json)
    }

    /// Saves the network to `path` atomically: a temporary file in the same directory
    /// (`.<name>.tmp-<process id>-<call number>`, its own for every call, so threads saving
    /// to one path do not collide) is written, flushed to disk and renamed over `path`, so
    /// `path` always holds either the old file or one complete new one.
    ///
    /// # Errors
    ///
    /// As [`Mlp::to_json`], and [`Error::Io`] naming the path if writing or renaming fails
    /// (the temporary file is removed).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let json = self.to_json()?;
        let file_name = path.file_name().ok_or_else(|| Error::Io {
            path: path.display().to_string(),
            message: "not a file path".to_string(),
        })?;
        // The process id keeps other processes' saves apart, the counter this process's
        // threads: each call writes its own temporary file.
        let call = SAVE_CALLS.fetch_add(1, Ordering::Relaxed);
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(".tmp-{}-{call}", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let io_error = |p: &Path, e: std::io::Error| Error::Io {
            path: p.display().to_string(),
            message: e.to_string(),
        };
        let write = || -> std::io::Result<()> {
            let mut file = fs::File::create(&temp)?;
            file.write_all(json.as_bytes())?;
            file.sync_all()
        };
        if let Err(e) = write() {
            // Best effort: the error that matters is the write's.
            let _ = fs::remove_file(&temp);
            return Err(io_error(&temp, e));
        }
        fs::rename(&temp, path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error(path, e)
        })
    }

    /// Loads a network saved by [`Mlp::save`].
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the path if it cannot be read, then as [`Mlp::from_json`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let json = fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_json(&json)
    }
}
