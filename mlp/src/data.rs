//! The data sets of the multilayer chapters: XOR, two moons, spirals and handwritten digits.
//!
//! Each returns a [`Dataset`] of the `perceptron` crate (row-major `f64` features, one class
//! index per sample), so the same splitting and standardising code serves every chapter. The
//! generators are seeded with a ChaCha generator: the same arguments give the same points,
//! bit for bit, on every machine. Iris with its 3 classes is `perceptron::data::iris()`.
//!
//! | data set | samples | features | classes | what it teaches |
//! | --- | --- | --- | --- | --- |
//! | [`xor`] | 4 | 2 | 2 | no line separates it: a hidden layer is needed |
//! | [`moons`] | `n` | 2 | 2 | a curved boundary |
//! | [`spirals`] | `n_per_class · n_classes` | 2 | `n_classes` | a linear model gets about a third right |
//! | [`digits`] | 1797 | 64 (8×8 pixels, 0 to 16) | 10 | a real data set |

// LaTeX in the docs (`$x_1$`) and names like ChaCha read as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

use std::f64::consts::PI;
use std::fmt;
use std::io::Read;

use flate2::read::GzDecoder;
use perceptron::data::Dataset;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// The digits file, compressed, embedded at compile time (see `data/README.md`).
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../data/digits.csv.gz");

/// Side of a digit image: each sample is `DIGIT_SIDE × DIGIT_SIDE` pixels, row-major.
pub const DIGIT_SIDE: usize = 8;

/// What can go wrong when generating or parsing a data set.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The noise level must be finite and non-negative.
    InvalidNoise(f64),
    /// Too few samples were asked for (every class needs at least `minimum`).
    TooFewSamples {
        /// What was asked for.
        requested: usize,
        /// The smallest allowed value.
        minimum: usize,
    },
    /// Too few classes were asked for.
    TooFewClasses {
        /// What was asked for.
        requested: usize,
        /// The smallest allowed value.
        minimum: usize,
    },
    /// More samples were asked for than memory can hold (their two coordinates and label).
    TooManySamples {
        /// What was asked for (for the spirals, points per class times classes, which can
        /// overflow `usize`).
        requested: u128,
    },
    /// The compressed digits file could not be decompressed.
    Decompress(String),
    /// A line of a CSV file could not be read or has the wrong shape.
    Csv {
        /// Line number, from 1.
        line: usize,
        /// What was wrong with it.
        reason: String,
    },
    /// The values were read but do not make a valid data set.
    Dataset(perceptron::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidNoise(noise) => {
                write!(f, "noise must be finite and >= 0, found {noise}")
            }
            Self::TooFewSamples { requested, minimum } => write!(
                f,
                "at least {minimum} samples are needed, found {requested}"
            ),
            Self::TooFewClasses { requested, minimum } => write!(
                f,
                "at least {minimum} classes are needed, found {requested}"
            ),
            Self::TooManySamples { requested } => {
                write!(f, "{requested} samples do not fit in memory")
            }
            Self::Decompress(reason) => write!(f, "cannot decompress the data: {reason}"),
            Self::Csv { line, reason } => write!(f, "line {line}: {reason}"),
            Self::Dataset(error) => write!(f, "invalid data set: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Dataset(error) => Some(error),
            _ => None,
        }
    }
}

impl From<perceptron::Error> for Error {
    fn from(error: perceptron::Error) -> Self {
        Self::Dataset(error)
    }
}

/// The four points of exclusive or: $y = x_1 \oplus x_2$.
///
/// | $x_1$ | $x_2$ | class |
/// | --- | --- | --- |
/// | 0 | 0 | 0 |
/// | 0 | 1 | 1 |
/// | 1 | 0 | 1 |
/// | 1 | 1 | 0 |
///
/// No line separates the two classes, so a perceptron cannot learn it and a network with a
/// hidden layer can.
///
/// # Panics
/// Never: the four points are a valid data set (a test builds it).
///
/// ```
/// let xor = mlp::data::xor();
/// assert_eq!(xor.n_samples(), 4);
/// assert_eq!(xor.labels(), &[0, 1, 1, 0]);
/// ```
pub fn xor() -> Dataset {
    let features = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    Dataset::new(
        features,
        2,
        vec![0, 1, 1, 0],
        names(&["x1", "x2"]),
        names(&["0", "1"]),
    )
    .expect("the four XOR points are a valid data set")
}

/// Two interleaving half circles, as scikit-learn's `make_moons`.
///
/// The first $n_0 = \lfloor n/2 \rfloor$ points (class 0) lie on the upper unit half circle,
/// the other $n_1 = n - n_0$ (class 1) on a lower one shifted right and up, at evenly spaced
/// angles $t_i = \pi i / (m - 1)$, $i = 0, \dots, m - 1$, for $m = n_0$ and $m = n_1$
/// respectively:
///
/// $$ x^{(0)}_i = (\cos t_i,\ \sin t_i), \qquad x^{(1)}_i = (1 - \cos t_i,\ \tfrac12 - \sin t_i) $$
///
/// Plain text: `class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t)`. Then Gaussian
/// noise with standard deviation `noise` is added to every coordinate (drawn in sample
/// order, first coordinate first). Unlike scikit-learn the samples are not shuffled: class 0
/// comes first (training shuffles anyway).
///
/// # Errors
/// [`Error::TooFewSamples`] if `n < 2` (each moon needs a point), [`Error::InvalidNoise`]
/// unless `noise` is finite and `>= 0`, [`Error::TooManySamples`] if `n` points do not fit in
/// memory.
///
/// ```
/// let moons = mlp::data::moons(100, 0.1, 7)?;
/// assert_eq!((moons.n_samples(), moons.n_features(), moons.n_classes()), (100, 2, 2));
/// # Ok::<(), mlp::data::Error>(())
/// ```
pub fn moons(n: usize, noise: f64, seed: u64) -> Result<Dataset, Error> {
    check_noise(noise)?;
    if n < 2 {
        return Err(Error::TooFewSamples {
            requested: n,
            minimum: 2,
        });
    }
    let n_outer = n / 2;
    let n_inner = n - n_outer;
    let (mut features, mut labels) = sample_buffers(n as u128)?;
    for (label, count) in [(0, n_outer), (1, n_inner)] {
        for t in linspace(PI, count) {
            if label == 0 {
                features.extend([t.cos(), t.sin()]);
            } else {
                features.extend([1.0 - t.cos(), 0.5 - t.sin()]);
            }
            labels.push(label);
        }
    }
    add_noise(&mut features, noise, seed);
    Ok(Dataset::new(
        features,
        2,
        labels,
        names(&["x1", "x2"]),
        names(&["upper moon", "lower moon"]),
    )?)
}

/// Interleaved spiral arms, one per class, as in Stanford's CS231n notes.
///
/// Class $j$ has `n_per_class` points at radii $r_i = i / (N - 1)$ growing evenly from 0 to
/// 1 and angles $t_i = 4j + 4 r_i + \varepsilon_i$ (in radians), with
/// $\varepsilon_i \sim \mathcal N(0, \text{noise}^2)$:
///
/// $$ x_i = (r_i \sin t_i,\ r_i \cos t_i) $$
///
/// Plain text: `r = i / (N - 1); t = 4 * j + 4 * r + noise * randn(); x = (r sin t, r cos t)`.
/// CS231n uses `noise = 0.2` with 3 classes of 100 points: a linear classifier reaches about
/// 49 % on it and a network with one hidden layer of 100 ReLU units about 98 %. The noise
/// is drawn class by class, in sample order.
///
/// # Errors
/// [`Error::TooFewSamples`] if `n_per_class < 2` (a spiral needs two points),
/// [`Error::TooFewClasses`] if `n_classes < 2`, [`Error::InvalidNoise`] unless `noise` is
/// finite and `>= 0`, [`Error::TooManySamples`] if the points do not fit in memory.
///
/// ```
/// let spirals = mlp::data::spirals(100, 3, 0.2, 0)?;
/// assert_eq!((spirals.n_samples(), spirals.n_classes()), (300, 3));
/// # Ok::<(), mlp::data::Error>(())
/// ```
pub fn spirals(
    n_per_class: usize,
    n_classes: usize,
    noise: f64,
    seed: u64,
) -> Result<Dataset, Error> {
    check_noise(noise)?;
    if n_per_class < 2 {
        return Err(Error::TooFewSamples {
            requested: n_per_class,
            minimum: 2,
        });
    }
    if n_classes < 2 {
        return Err(Error::TooFewClasses {
            requested: n_classes,
            minimum: 2,
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut features, mut labels) = sample_buffers(n_per_class as u128 * n_classes as u128)?;
    for class in 0..n_classes {
        let start = 4.0 * class as f64;
        for r in linspace(1.0, n_per_class) {
            let epsilon: f64 = StandardNormal.sample(&mut rng);
            let t = start + 4.0 * r + noise * epsilon;
            features.extend([r * t.sin(), r * t.cos()]);
            labels.push(class);
        }
    }
    let class_names: Vec<String> = (0..n_classes).map(|j| format!("arm {j}")).collect();
    Ok(Dataset::new(
        features,
        2,
        labels,
        names(&["x1", "x2"]),
        class_names,
    )?)
}

/// The 1797 handwritten digits of the UCI "Optical Recognition of Handwritten Digits" data set
/// (the one scikit-learn ships as `load_digits`).
///
/// Each sample is an 8×8 image, row-major (feature `8 r + c` is row `r`, column `c`, named
/// `"r{r}c{c}"`), with integer pixel values from 0 (white) to 16 (black); the class is the
/// digit 0 to 9 (classes named `"0"` to `"9"`). The values are not scaled: fit a
/// `perceptron::data::Standardizer` on the training split, or divide by 16.
///
/// The file is embedded in the crate and decompressed in memory; nothing is read from disk.
///
/// # Panics
/// Never for the shipped file: a test parses it. A panic would mean the embedded file was
/// corrupted, an invariant of the build.
///
/// ```
/// let digits = mlp::data::digits();
/// assert_eq!((digits.n_samples(), digits.n_features(), digits.n_classes()), (1797, 64, 10));
/// ```
pub fn digits() -> Dataset {
    let mut csv = Vec::new();
    GzDecoder::new(DIGITS_CSV_GZ)
        .read_to_end(&mut csv)
        .expect("the embedded digits file decompresses");
    parse_digits_csv(&csv).expect("the embedded digits file is a valid data set")
}

/// Parses digits in the embedded file's format: no header, one sample per line, 64 pixel
/// values then the digit 0 to 9, separated by commas.
///
/// # Errors
/// [`Error::Csv`] naming the line of a row that is not 65 fields, or whose field is not a
/// number or whose label is not an integer from 0 to 9; [`Error::Dataset`] if the rows do not
/// form a valid data set (no rows, a non-finite pixel).
pub fn parse_digits_csv(csv: &[u8]) -> Result<Dataset, Error> {
    const N_FEATURES: usize = DIGIT_SIDE * DIGIT_SIDE;
    const N_CLASSES: usize = 10;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv);
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 1;
        let record = record.map_err(|error| Error::Csv {
            line,
            reason: error.to_string(),
        })?;
        if record.len() != N_FEATURES + 1 {
            return Err(Error::Csv {
                line,
                reason: format!(
                    "expected {} fields (64 pixels and a label), found {}",
                    N_FEATURES + 1,
                    record.len()
                ),
            });
        }
        for (column, field) in record.iter().take(N_FEATURES).enumerate() {
            let value: f64 = field.trim().parse().map_err(|_| Error::Csv {
                line,
                reason: format!("pixel {column} is not a number: {field:?}"),
            })?;
            features.push(value);
        }
        let field = record[N_FEATURES].trim();
        let label: usize = field
            .parse()
            .ok()
            .filter(|&label| label < N_CLASSES)
            .ok_or_else(|| Error::Csv {
                line,
                reason: format!("the label must be a digit from 0 to 9, found {field:?}"),
            })?;
        labels.push(label);
    }
    let feature_names = (0..N_FEATURES)
        .map(|i| format!("r{}c{}", i / DIGIT_SIDE, i % DIGIT_SIDE))
        .collect();
    let class_names = (0..N_CLASSES).map(|digit| digit.to_string()).collect();
    Ok(Dataset::new(
        features,
        N_FEATURES,
        labels,
        feature_names,
        class_names,
    )?)
}

/// Empty buffers with room for the coordinates and labels of `requested` points in the
/// plane, or [`Error::TooManySamples`] if they overflow or the allocator refuses them.
fn sample_buffers(requested: u128) -> Result<(Vec<f64>, Vec<usize>), Error> {
    let too_many = Error::TooManySamples { requested };
    let n = usize::try_from(requested).map_err(|_| too_many.clone())?;
    let mut features = Vec::new();
    let mut labels = Vec::new();
    n.checked_mul(2)
        .and_then(|len| features.try_reserve_exact(len).ok())
        .and_then(|()| labels.try_reserve_exact(n).ok())
        .ok_or(too_many)?;
    Ok((features, labels))
}

/// `count` evenly spaced values from 0 to `end` inclusive (NumPy's `linspace(0, end, count)`):
/// $\text{end} \cdot i / (\text{count} - 1)$, exactly 0 first and exactly `end` last (the
/// quotient is exactly 1 there), and 0 alone when `count` is 1.
fn linspace(end: f64, count: usize) -> impl Iterator<Item = f64> {
    let last = count.saturating_sub(1).max(1) as f64;
    (0..count).map(move |i| end * (i as f64 / last))
}

/// Adds independent Gaussian noise of standard deviation `noise` to every value, in order.
fn add_noise(values: &mut [f64], noise: f64, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for value in values {
        let epsilon: f64 = StandardNormal.sample(&mut rng);
        *value += noise * epsilon;
    }
}

fn check_noise(noise: f64) -> Result<(), Error> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidNoise(noise))
    }
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_string()).collect()
}
