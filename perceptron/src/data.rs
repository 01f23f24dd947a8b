//! Labelled data sets: the workspace's one table type, the two real data sets, seeded
//! stratified splits and standardisation.
//!
//! A [`Dataset`] is a table of `n_samples` rows, each with `n_features` finite `f64`
//! features and one class label in `0..n_classes`, plus the names of the features and of the
//! classes. It is checked once, when it is built, so every later computation can trust it.
//!
//! ```
//! use perceptron::data::{self, Standardizer};
//!
//! // Iris: setosa against the rest, 30 % held out, the scaling fitted on the training side.
//! let task = data::iris().one_vs_rest(0)?;
//! let (train, validation) = task.stratified_split(0.3, 7)?;
//! let scaler = Standardizer::fit(&train);
//! let (train, validation) = (scaler.transform(&train)?, scaler.transform(&validation)?);
//! assert_eq!(train.n_samples() + validation.n_samples(), 150);
//! assert_eq!(validation.labels().iter().filter(|&&label| label == 1).count(), 15);
//! # Ok::<(), perceptron::Error>(())
//! ```

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::Error;

/// A labelled table: row-major `f64` features, a class index per row, and names.
///
/// Invariants (checked by [`Dataset::new`], kept by every method): at least one sample and
/// one feature, every feature finite, every label below [`n_classes`](Self::n_classes),
/// one name per feature and per class.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    features: Vec<f64>,
    n_features: usize,
    labels: Vec<usize>,
    feature_names: Vec<String>,
    class_names: Vec<String>,
}

impl Dataset {
    /// Builds a data set from row-major `features` (row `i` is
    /// `features[i * n_features .. (i + 1) * n_features]`) and one label per row.
    /// The number of classes is `class_names.len()`.
    ///
    /// # Errors
    ///
    /// - [`Error::NoFeatures`] if `n_features` is 0; [`Error::EmptyDataset`] if there are no
    ///   rows;
    /// - [`Error::RaggedFeatures`] if `features.len()` is not a multiple of `n_features`;
    /// - [`Error::LabelCountMismatch`] unless there is one label per row;
    /// - [`Error::NameCountMismatch`] unless there is one feature name per feature, or if
    ///   there are no class names;
    /// - [`Error::NonFiniteFeature`] naming the row and column of the first NaN or infinity;
    /// - [`Error::LabelOutOfRange`] naming the row of the first label `>= n_classes`.
    pub fn new(
        features: Vec<f64>,
        n_features: usize,
        labels: Vec<usize>,
        feature_names: Vec<String>,
        class_names: Vec<String>,
    ) -> Result<Self, Error> {
        if n_features == 0 {
            return Err(Error::NoFeatures);
        }
        if features.is_empty() {
            return Err(Error::EmptyDataset);
        }
        if !features.len().is_multiple_of(n_features) {
            return Err(Error::RaggedFeatures {
                len: features.len(),
                n_features,
            });
        }
        let n_samples = features.len() / n_features;
        if labels.len() != n_samples {
            return Err(Error::LabelCountMismatch {
                samples: n_samples,
                labels: labels.len(),
            });
        }
        if feature_names.len() != n_features {
            return Err(Error::NameCountMismatch {
                names: "feature",
                expected: n_features,
                found: feature_names.len(),
            });
        }
        if class_names.is_empty() {
            return Err(Error::NameCountMismatch {
                names: "class",
                expected: labels.iter().max().map_or(1, |&max| max + 1),
                found: 0,
            });
        }
        if let Some(index) = features.iter().position(|x| !x.is_finite()) {
            return Err(Error::NonFiniteFeature {
                row: index / n_features,
                column: index % n_features,
                value: features[index],
            });
        }
        let n_classes = class_names.len();
        if let Some(row) = labels.iter().position(|&label| label >= n_classes) {
            return Err(Error::LabelOutOfRange {
                row,
                label: labels[row],
                n_classes,
            });
        }
        Ok(Self {
            features,
            n_features,
            labels,
            feature_names,
            class_names,
        })
    }

    /// Number of samples (rows).
    pub fn n_samples(&self) -> usize {
        self.labels.len()
    }

    /// Number of features per sample (columns).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of classes, `class_names().len()`; every label is below it.
    pub fn n_classes(&self) -> usize {
        self.class_names.len()
    }

    /// All features, row-major: `n_samples() * n_features()` values.
    pub fn features(&self) -> &[f64] {
        &self.features
    }

    /// The class index of every sample.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The features of sample `i`.
    ///
    /// # Panics
    ///
    /// If `i >= n_samples()` (an index bug in the caller, like slice indexing).
    pub fn row(&self, i: usize) -> &[f64] {
        assert!(
            i < self.n_samples(),
            "row {i} is outside 0..{} (the data set's samples)",
            self.n_samples()
        );
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// The rows in order, each a slice of `n_features()` values.
    pub fn rows(&self) -> std::slice::ChunksExact<'_, f64> {
        self.features.chunks_exact(self.n_features)
    }

    /// The name of every feature (e.g. `"petal length (cm)"`).
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The name of every class, indexed by label.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// How many samples each class has, indexed by label.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes()];
        for &label in &self.labels {
            counts[label] += 1;
        }
        counts
    }

    /// The same samples with only the listed feature columns, in the order listed
    /// (repeats allowed).
    ///
    /// # Errors
    ///
    /// [`Error::NoFeatures`] if `columns` is empty, [`Error::FeatureOutOfRange`] for an index
    /// `>= n_features()`.
    pub fn select_features(&self, columns: &[usize]) -> Result<Self, Error> {
        if columns.is_empty() {
            return Err(Error::NoFeatures);
        }
        if let Some(&index) = columns.iter().find(|&&c| c >= self.n_features) {
            return Err(Error::FeatureOutOfRange {
                index,
                n_features: self.n_features,
            });
        }
        let features = self
            .rows()
            .flat_map(|row| columns.iter().map(move |&c| row[c]))
            .collect();
        let feature_names = columns
            .iter()
            .map(|&c| self.feature_names[c].clone())
            .collect();
        Ok(Self {
            features,
            n_features: columns.len(),
            labels: self.labels.clone(),
            feature_names,
            class_names: self.class_names.clone(),
        })
    }

    /// The listed samples, in the order listed (repeats allowed), with all classes kept.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyDataset`] if `indices` is empty, [`Error::SampleOutOfRange`] for an
    /// index `>= n_samples()`.
    pub fn subset(&self, indices: &[usize]) -> Result<Self, Error> {
        if indices.is_empty() {
            return Err(Error::EmptyDataset);
        }
        if let Some(&index) = indices.iter().find(|&&i| i >= self.n_samples()) {
            return Err(Error::SampleOutOfRange {
                index,
                n_samples: self.n_samples(),
            });
        }
        let mut features = Vec::with_capacity(indices.len() * self.n_features);
        for &i in indices {
            features.extend_from_slice(self.row(i));
        }
        Ok(Self {
            features,
            n_features: self.n_features,
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            feature_names: self.feature_names.clone(),
            class_names: self.class_names.clone(),
        })
    }

    /// A binary task: label 1 for `positive_class`, 0 for every other class.
    /// The class names become `["not <name>", "<name>"]`.
    ///
    /// # Errors
    ///
    /// [`Error::ClassOutOfRange`] if `positive_class >= n_classes()`.
    pub fn one_vs_rest(&self, positive_class: usize) -> Result<Self, Error> {
        let name = self
            .class_names
            .get(positive_class)
            .ok_or(Error::ClassOutOfRange {
                class: positive_class,
                n_classes: self.n_classes(),
            })?;
        Ok(Self {
            features: self.features.clone(),
            n_features: self.n_features,
            labels: self
                .labels
                .iter()
                .map(|&label| usize::from(label == positive_class))
                .collect(),
            feature_names: self.feature_names.clone(),
            class_names: vec![format!("not {name}"), name.clone()],
        })
    }

    /// Only the samples of the listed classes, relabelled `0..classes.len()` in the order
    /// listed: `iris().only_classes(&[1, 2])` is versicolor (0) against virginica (1).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyDataset`] if `classes` is empty or none of the samples belongs to them,
    /// [`Error::ClassOutOfRange`] for a class `>= n_classes()`,
    /// [`Error::DuplicateClass`] if a class is listed twice.
    pub fn only_classes(&self, classes: &[usize]) -> Result<Self, Error> {
        let mut new_label = vec![None; self.n_classes()];
        for (position, &class) in classes.iter().enumerate() {
            let slot = new_label.get_mut(class).ok_or(Error::ClassOutOfRange {
                class,
                n_classes: self.n_classes(),
            })?;
            if slot.is_some() {
                return Err(Error::DuplicateClass(class));
            }
            *slot = Some(position);
        }
        let mut features = Vec::new();
        let mut labels = Vec::new();
        for (row, &label) in self.rows().zip(&self.labels) {
            if let Some(relabelled) = new_label[label] {
                features.extend_from_slice(row);
                labels.push(relabelled);
            }
        }
        if labels.is_empty() {
            return Err(Error::EmptyDataset);
        }
        Ok(Self {
            features,
            n_features: self.n_features,
            labels,
            feature_names: self.feature_names.clone(),
            class_names: classes
                .iter()
                .map(|&c| self.class_names[c].clone())
                .collect(),
        })
    }

    /// Splits into `(training, validation)`, keeping each class's share on both sides.
    ///
    /// For each class with $n_c$ samples, its indices are shuffled by a `ChaCha8` generator
    /// seeded with `seed` (one generator, classes in label order) and the first
    /// $\operatorname{round}(f \cdot n_c)$ go to validation, with $f$ the
    /// `validation_fraction`. Both sides keep the original row order, so the same seed gives
    /// the same split, bit for bit; shuffle during training, not here.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFraction`] unless `0 < validation_fraction < 1`;
    /// [`Error::EmptySplit`] if some class present in the data would get no sample on one
    /// side (e.g. a class of 2 samples with a fraction of 0.1).
    pub fn stratified_split(
        &self,
        validation_fraction: f64,
        seed: u64,
    ) -> Result<(Self, Self), Error> {
        if !(validation_fraction > 0.0 && validation_fraction < 1.0) {
            return Err(Error::InvalidFraction(validation_fraction));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut is_validation = vec![false; self.n_samples()];
        for class in 0..self.n_classes() {
            let mut members: Vec<usize> = (0..self.n_samples())
                .filter(|&i| self.labels[i] == class)
                .collect();
            if members.is_empty() {
                continue;
            }
            members.shuffle(&mut rng);
            let n_class = members.len();
            // `n_class` is far below 2^52, so the product and the rounding are exact enough
            // and the result fits a usize.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n_validation = (validation_fraction * n_class as f64).round() as usize;
            if n_validation == 0 || n_validation == n_class {
                return Err(Error::EmptySplit {
                    class,
                    class_samples: n_class,
                    side: if n_validation == 0 {
                        "validation"
                    } else {
                        "training"
                    },
                });
            }
            for &i in &members[..n_validation] {
                is_validation[i] = true;
            }
        }
        let (validation, training): (Vec<usize>, Vec<usize>) =
            (0..self.n_samples()).partition(|&i| is_validation[i]);
        Ok((self.subset(&training)?, self.subset(&validation)?))
    }
}

/// Standardisation: each feature shifted by its mean and divided by its standard deviation,
///
/// $$ x'_{ij} = \frac{x_{ij} - \mu_j}{s_j}, \quad \mu_j = \frac1n \sum_i x_{ij}, \quad
/// s_j = \sqrt{\frac1n \sum_i (x_{ij} - \mu_j)^2} $$
///
/// Plain text: `x'[i][j] = (x[i][j] - mean[j]) / scale[j]`, with the population standard
/// deviation (divided by n, as scikit-learn's `StandardScaler`).
/// A column with zero variance gets scale 1 (it becomes all zeros instead of NaN).
///
/// Fit it on the training split only and apply it to both sides: fitting on all the data
/// would leak the validation samples' statistics into training.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    means: Vec<f64>,
    scales: Vec<f64>,
}

/// Column `j`'s mean and standard deviation without overflow for any finite values: a running
/// mean $\mu \leftarrow \mu + (x - \mu)/k$, and $s = \lVert x_{\cdot j} - \mu \rVert / \sqrt n$
/// with the length computed by `gradient::magnitude_of`, which rescales squares that overflow.
/// Infinite only when a deviation itself exceeds `f64::MAX` (a column spanning more than the
/// whole `f64` range).
fn column_mean_and_std_scaled(data: &Dataset, j: usize) -> (f64, f64) {
    let mut mean = 0.0;
    for (k, row) in data.rows().enumerate() {
        mean += (row[j] - mean) / (k + 1) as f64;
    }
    let deviations = data.rows().map(|row| row[j] - mean);
    let n = data.n_samples() as f64;
    (mean, gradient::magnitude_of(deviations) / n.sqrt())
}

impl Standardizer {
    /// Computes every column's mean and standard deviation (two passes, so no cancellation
    /// from $E(x^2) - E(x)^2$).
    pub fn fit(data: &Dataset) -> Self {
        let n = data.n_samples() as f64;
        let mut means = vec![0.0; data.n_features()];
        for row in data.rows() {
            for (mean, &x) in means.iter_mut().zip(row) {
                *mean += x;
            }
        }
        for mean in &mut means {
            *mean /= n;
        }
        let mut scales = vec![0.0; data.n_features()];
        for row in data.rows() {
            for ((scale, &mean), &x) in scales.iter_mut().zip(&means).zip(row) {
                *scale += (x - mean) * (x - mean);
            }
        }
        for (j, (mean, scale)) in means.iter_mut().zip(&mut scales).enumerate() {
            let std = if mean.is_finite() && scale.is_finite() {
                (*scale / n).sqrt()
            } else {
                // Values beyond about 1e154 overflow the squares (or about 1e306 the sum):
                // this column again, without overflow (other columns keep their bits).
                let (robust_mean, robust_std) = column_mean_and_std_scaled(data, j);
                *mean = robust_mean;
                robust_std
            };
            *scale = if std > 0.0 { std } else { 1.0 };
        }
        Self { means, scales }
    }

    /// The column means $\mu_j$.
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// The column scales $s_j$ (standard deviations; 1 for a constant column).
    pub fn scales(&self) -> &[f64] {
        &self.scales
    }

    /// The standardised copy of `data` (labels and names unchanged).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if `data` has a different number of features than the data
    /// this was fitted on; [`Error::NonFiniteFeature`] naming the row and column if a
    /// standardised value overflows (a value of `data` more than about `f64::MAX` times the
    /// column's scale away from its mean).
    pub fn transform(&self, data: &Dataset) -> Result<Dataset, Error> {
        if data.n_features() != self.means.len() {
            return Err(Error::ShapeMismatch {
                expected: self.means.len(),
                found: data.n_features(),
            });
        }
        let mut out = data.clone();
        for row in out.features.chunks_exact_mut(self.means.len()) {
            self.transform_row(row);
        }
        if let Some(i) = out.features.iter().position(|x| !x.is_finite()) {
            return Err(Error::NonFiniteFeature {
                row: i / self.means.len(),
                column: i % self.means.len(),
                value: out.features[i],
            });
        }
        Ok(out)
    }

    /// Standardises one sample in place.
    ///
    /// # Panics
    ///
    /// If `row.len()` differs from the number of fitted features (a caller bug, like
    /// indexing out of bounds).
    pub fn transform_row(&self, row: &mut [f64]) {
        assert_eq!(
            row.len(),
            self.means.len(),
            "a row must have as many features as the standardizer was fitted on"
        );
        for ((x, &mean), &scale) in row.iter_mut().zip(&self.means).zip(&self.scales) {
            *x = (*x - mean) / scale;
        }
    }
}

/// Fisher's Iris: 150 flowers, 4 measurements in cm (sepal length, sepal width, petal
/// length, petal width), 3 classes of 50 (0 setosa, 1 versicolor, 2 virginica), in the UCI
/// file's order.
///
/// Setosa is linearly separable from the other two; versicolor and virginica overlap.
/// The file is embedded in the crate; see `perceptron/data/README.md` for its attribution.
pub fn iris() -> Dataset {
    parse_embedded(
        include_str!("../data/iris.csv"),
        &[
            "sepal length (cm)",
            "sepal width (cm)",
            "petal length (cm)",
            "petal width (cm)",
        ],
    )
}

/// Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 cell-nucleus measurements (mean,
/// standard error and worst value of 10 quantities), 2 classes (0 malignant: 212, 1 benign:
/// 357).
///
/// The features differ in scale by four orders of magnitude (area in the thousands,
/// fractal dimension below 0.1): standardise before training.
/// The file is embedded in the crate; see `perceptron/data/README.md` for its attribution.
pub fn breast_cancer() -> Dataset {
    const QUANTITIES: [&str; 10] = [
        "radius",
        "texture",
        "perimeter",
        "area",
        "smoothness",
        "compactness",
        "concavity",
        "concave points",
        "symmetry",
        "fractal dimension",
    ];
    let names: Vec<String> = ["mean", "error", "worst"]
        .iter()
        .flat_map(|kind| QUANTITIES.iter().map(move |q| format!("{kind} {q}")))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    parse_embedded(include_str!("../data/breast_cancer.csv"), &names)
}

/// Parses the shipped format: a header `ROWS,COLUMNS,class names...`, then one sample per
/// line, features first and the integer label last.
///
/// # Panics
///
/// If the embedded file does not parse: the files are fixed at compile time and the tests
/// load both, so this only fires if someone edits `data/`.
fn parse_embedded(text: &str, feature_names: &[&str]) -> Dataset {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = records
        .next()
        .and_then(Result::ok)
        .expect("embedded data file has a header line");
    let field = |i: usize| -> usize {
        header
            .get(i)
            .and_then(|s| s.parse().ok())
            .expect("embedded header starts with ROWS,COLUMNS")
    };
    let (n_rows, n_features) = (field(0), field(1));
    let class_names = header.iter().skip(2).map(str::to_owned).collect();
    let mut features = Vec::with_capacity(n_rows * n_features);
    let mut labels = Vec::with_capacity(n_rows);
    for record in records {
        let record = record.expect("embedded data file is valid CSV");
        assert_eq!(
            record.len(),
            n_features + 1,
            "embedded data row has the header's column count plus a label"
        );
        for value in record.iter().take(n_features) {
            features.push(value.parse().expect("embedded feature is a number"));
        }
        labels.push(
            record[n_features]
                .parse()
                .expect("embedded label is an integer"),
        );
    }
    assert_eq!(
        labels.len(),
        n_rows,
        "embedded data has the header's row count"
    );
    Dataset::new(
        features,
        n_features,
        labels,
        feature_names.iter().map(|&s| s.to_owned()).collect(),
        class_names,
    )
    .expect("embedded data set is valid")
}
