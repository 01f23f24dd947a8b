//! The data sets: shapes, checks that name what is wrong, splits and standardisation.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use perceptron::Error;
use perceptron::data::{self, Dataset, Standardizer};
use proptest::prelude::*;

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// A 3 × 2 table with labels 0, 1, 1 and two classes.
fn small() -> Dataset {
    Dataset::new(
        vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        2,
        vec![0, 1, 1],
        names("f", 2),
        names("c", 2),
    )
    .expect("valid table")
}

#[test]
fn iris_has_fishers_shape_and_first_row() {
    let iris = data::iris();
    assert_eq!(iris.n_samples(), 150);
    assert_eq!(iris.n_features(), 4);
    assert_eq!(iris.class_names(), ["setosa", "versicolor", "virginica"]);
    assert_eq!(iris.class_counts(), [50, 50, 50]);
    assert_eq!(iris.feature_names()[2], "petal length (cm)");
    // The first UCI row: 5.1, 3.5, 1.4, 0.2, setosa (parsed from the same decimal text).
    assert_eq!(iris.row(0), [5.1, 3.5, 1.4, 0.2]);
    assert_eq!(iris.labels()[0], 0);
    // Row 100 is the first virginica: 6.3, 3.3, 6.0, 2.5.
    assert_eq!(iris.row(100), [6.3, 3.3, 6.0, 2.5]);
    assert_eq!(iris.labels()[100], 2);
}

#[test]
fn breast_cancer_has_the_uci_shape_and_class_counts() {
    let cancer = data::breast_cancer();
    assert_eq!(cancer.n_samples(), 569);
    assert_eq!(cancer.n_features(), 30);
    assert_eq!(cancer.class_names(), ["malignant", "benign"]);
    // UCI: 212 malignant, 357 benign.
    assert_eq!(cancer.class_counts(), [212, 357]);
    assert_eq!(cancer.feature_names()[0], "mean radius");
    assert_eq!(cancer.feature_names()[29], "worst fractal dimension");
    assert_relative_eq!(cancer.row(0)[0], 17.99);
}

#[test]
fn new_names_the_row_and_column_of_a_non_finite_feature() {
    let mut features = vec![0.0; 6];
    features[5] = f64::NAN;
    let err = Dataset::new(features, 2, vec![0, 0, 1], names("f", 2), names("c", 2));
    assert!(matches!(
        err,
        Err(Error::NonFiniteFeature { row: 2, column: 1, value }) if value.is_nan()
    ));
    let mut features = vec![0.0; 6];
    features[2] = f64::NEG_INFINITY;
    let err = Dataset::new(features, 2, vec![0, 0, 1], names("f", 2), names("c", 2))
        .expect_err("infinite feature");
    assert_eq!(err.to_string(), "feature at row 1, column 0 is -inf");
}

#[test]
fn new_refuses_bad_shapes_with_both_sizes() {
    let table = |features: Vec<f64>, n, labels: Vec<usize>, f: usize, c: usize| {
        Dataset::new(features, n, labels, names("f", f), names("c", c))
    };
    assert_eq!(table(vec![], 2, vec![], 2, 2), Err(Error::EmptyDataset));
    assert_eq!(table(vec![1.0], 0, vec![0], 0, 2), Err(Error::NoFeatures));
    assert_eq!(
        table(vec![1.0; 5], 2, vec![0, 0], 2, 2),
        Err(Error::RaggedFeatures {
            len: 5,
            n_features: 2
        })
    );
    assert_eq!(
        table(vec![1.0; 4], 2, vec![0], 2, 2),
        Err(Error::LabelCountMismatch {
            samples: 2,
            labels: 1
        })
    );
    assert_eq!(
        table(vec![1.0; 4], 2, vec![0, 1], 3, 2),
        Err(Error::NameCountMismatch {
            names: "feature",
            expected: 2,
            found: 3
        })
    );
    assert_eq!(
        table(vec![1.0; 4], 2, vec![0, 2], 2, 2),
        Err(Error::LabelOutOfRange {
            row: 1,
            label: 2,
            n_classes: 2
        })
    );
    assert!(matches!(
        table(vec![1.0; 4], 2, vec![0, 1], 2, 0),
        Err(Error::NameCountMismatch {
            names: "class",
            found: 0,
            ..
        })
    ));
}

#[test]
fn select_subset_and_class_views_keep_rows_labels_and_names_together() -> Result<(), Error> {
    let table = small();
    let swapped = table.select_features(&[1, 0])?;
    assert_eq!(swapped.features(), [2.0, 1.0, 4.0, 3.0, 6.0, 5.0]);
    assert_eq!(swapped.feature_names(), ["f1", "f0"]);
    assert_eq!(
        table.select_features(&[2]),
        Err(Error::FeatureOutOfRange {
            index: 2,
            n_features: 2
        })
    );
    assert_eq!(table.select_features(&[]), Err(Error::NoFeatures));

    let picked = table.subset(&[2, 0])?;
    assert_eq!(picked.features(), [5.0, 6.0, 1.0, 2.0]);
    assert_eq!(picked.labels(), [1, 0]);
    assert_eq!(
        table.subset(&[3]),
        Err(Error::SampleOutOfRange {
            index: 3,
            n_samples: 3
        })
    );
    assert_eq!(table.subset(&[]), Err(Error::EmptyDataset));

    let iris = data::iris();
    let setosa = iris.one_vs_rest(0)?;
    assert_eq!(setosa.class_names(), ["not setosa", "setosa"]);
    assert_eq!(setosa.class_counts(), [100, 50]);
    assert_eq!(setosa.labels()[0], 1);
    assert_eq!(setosa.labels()[149], 0);
    assert_eq!(
        iris.one_vs_rest(3),
        Err(Error::ClassOutOfRange {
            class: 3,
            n_classes: 3
        })
    );

    // Virginica listed first becomes label 0.
    let pair = iris.only_classes(&[2, 1])?;
    assert_eq!(pair.n_samples(), 100);
    assert_eq!(pair.class_names(), ["virginica", "versicolor"]);
    assert_eq!(pair.row(0), iris.row(50));
    assert_eq!(pair.labels()[0], 1);
    assert_eq!(pair.labels()[50], 0);
    assert_eq!(iris.only_classes(&[1, 1]), Err(Error::DuplicateClass(1)));
    assert_eq!(iris.only_classes(&[]), Err(Error::EmptyDataset));
    Ok(())
}

#[test]
fn stratified_split_keeps_class_shares_and_is_seeded() -> Result<(), Error> {
    let iris = data::iris();
    let (train, validation) = iris.stratified_split(0.2, 42)?;
    // round(0.2 · 50) = 10 of each class held out.
    assert_eq!(validation.class_counts(), [10, 10, 10]);
    assert_eq!(train.class_counts(), [40, 40, 40]);
    // Every row ends up on exactly one side: compare the multisets of rows.
    let mut all: Vec<Vec<u64>> = train
        .rows()
        .chain(validation.rows())
        .map(|r| r.iter().map(|x| x.to_bits()).collect())
        .collect();
    let mut original: Vec<Vec<u64>> = iris
        .rows()
        .map(|r| r.iter().map(|x| x.to_bits()).collect())
        .collect();
    all.sort();
    original.sort();
    assert_eq!(all, original);
    // Same seed, same split; another seed, another split.
    assert_eq!(iris.stratified_split(0.2, 42)?, (train, validation.clone()));
    assert_ne!(iris.stratified_split(0.2, 43)?.1, validation);
    Ok(())
}

#[test]
fn stratified_split_refuses_fractions_and_empty_sides() {
    let table = small();
    for fraction in [0.0, 1.0, -0.5, f64::NAN] {
        assert!(matches!(
            table.stratified_split(fraction, 0),
            Err(Error::InvalidFraction(_))
        ));
    }
    // Class 0 has one sample: it cannot be on both sides.
    assert_eq!(
        table.stratified_split(0.5, 0),
        Err(Error::EmptySplit {
            class: 0,
            class_samples: 1,
            side: "training"
        })
    );
    assert_eq!(
        table.stratified_split(0.1, 0),
        Err(Error::EmptySplit {
            class: 0,
            class_samples: 1,
            side: "validation"
        })
    );
}

#[test]
fn standardizer_matches_hand_computed_statistics() -> Result<(), Error> {
    // Column 0: 1, 3, 5 -> mean 3, population variance (4 + 0 + 4) / 3 = 8/3.
    // Column 1: constant 2 -> mean 2, scale 1 (not 0), so it becomes 0 rather than NaN.
    let table = Dataset::new(
        vec![1.0, 2.0, 3.0, 2.0, 5.0, 2.0],
        2,
        vec![0, 1, 0],
        names("f", 2),
        names("c", 2),
    )?;
    let scaler = Standardizer::fit(&table);
    assert_relative_eq!(scaler.means()[0], 3.0);
    assert_relative_eq!(scaler.scales()[0], (8.0_f64 / 3.0).sqrt());
    assert_relative_eq!(scaler.scales()[1], 1.0);
    let standardized = scaler.transform(&table)?;
    assert_relative_eq!(standardized.row(0)[0], -2.0 / (8.0_f64 / 3.0).sqrt());
    assert_abs_diff_eq!(standardized.row(1)[0], 0.0);
    assert_abs_diff_eq!(standardized.row(2)[1], 0.0);
    assert_eq!(standardized.labels(), table.labels());
    assert_eq!(
        scaler.transform(&data::iris()),
        Err(Error::ShapeMismatch {
            expected: 2,
            found: 4
        })
    );
    Ok(())
}

/// Standardising never overflows on finite data: a column of ±1e200 and ±3e200, whose
/// squares overflow `f64`, still gets its mean (0) and standard deviation,
/// $\sqrt{(1 + 1 + 9 + 9)/4} \cdot 10^{200} = \sqrt 5 \cdot 10^{200}$, while an ordinary column
/// next to it keeps the bits the plain computation gives. A value far outside the fitted
/// range is refused by name instead of becoming infinite.
#[test]
fn standardizing_huge_values_does_not_overflow() -> Result<(), Error> {
    let (big, small) = ([1e200, -1e200, 3e200, -3e200], [1.0, 2.0, 4.0, 8.0]);
    let features: Vec<f64> = big.iter().zip(&small).flat_map(|(&b, &s)| [b, s]).collect();
    let table = Dataset::new(features, 2, vec![0; 4], names("f", 2), names("c", 1))?;
    let scaler = Standardizer::fit(&table);
    // The running mean takes 4 steps of a subtraction, a division and an addition, each
    // within half an ulp of values up to 3e200, so it is within 4 * 3 * eps * 3e200 of 0; a
    // deviation, its division by the largest, the square, the sum of 4 and the root add a
    // few eps more relative to the standard deviation: 16 eps bounds both.
    let eps = f64::EPSILON;
    assert!(
        scaler.means()[0].abs() <= 16.0 * eps * 3e200,
        "{}",
        scaler.means()[0]
    );
    assert_relative_eq!(
        scaler.scales()[0],
        5.0_f64.sqrt() * 1e200,
        max_relative = 16.0 * eps
    );
    let alone = Dataset::new(small.to_vec(), 1, vec![0; 4], names("f", 1), names("c", 1))?;
    let plain = Standardizer::fit(&alone);
    assert_eq!(scaler.means()[1].to_bits(), plain.means()[0].to_bits());
    assert_eq!(scaler.scales()[1].to_bits(), plain.scales()[0].to_bits());
    let standardized = scaler.transform(&table)?;
    assert_relative_eq!(
        standardized.row(2)[0],
        3.0 / 5.0_f64.sqrt(),
        max_relative = 64.0 * eps
    );

    // Fitted on 0 and 0.5 (mean 0.25, scale 0.25), -1.7e308 standardises to -6.8e308,
    // beyond f64::MAX.
    let tight = Dataset::new(vec![0.0, 0.5], 1, vec![0; 2], names("f", 1), names("c", 1))?;
    let far = Dataset::new(
        vec![0.25, -1.7e308],
        1,
        vec![0; 2],
        names("f", 1),
        names("c", 1),
    )?;
    assert!(matches!(
        Standardizer::fit(&tight).transform(&far),
        Err(Error::NonFiniteFeature { row: 1, column: 0, value }) if value.is_infinite()
    ));
    Ok(())
}

/// The overflow-safe path on a column whose mean is not 0: a = 2^664 ≈ 1.2e200 (a² overflows)
/// times 1, 3, 5 and 7. Every step of the running mean is exact on these (a, a + 2a/2 = 2a,
/// 2a + 3a/3 = 3a, 3a + 4a/4 = 4a: powers of two times small integers), so the mean is
/// 4a bit for bit, and the deviations -3a, -a, a, 3a are exact too. Their length, rescaled by
/// the largest (3a), rounds the quotient 1/3, four squares, their sum, the root and the
/// product back: about 4 ε, and halving by √4 = 2 is exact, so the scale is √5 a within 8 ε.
/// The standardised 5a is then the exact a over that scale, one rounding more.
#[test]
fn standardizing_huge_values_finds_a_mean_away_from_zero() -> Result<(), Error> {
    let a = 2.0_f64.powi(664);
    let column = [a, 3.0 * a, 5.0 * a, 7.0 * a];
    let table = Dataset::new(column.to_vec(), 1, vec![0; 4], names("f", 1), names("c", 1))?;
    let scaler = Standardizer::fit(&table);
    assert_eq!(scaler.means()[0].to_bits(), (4.0 * a).to_bits());
    let eps = f64::EPSILON;
    assert_relative_eq!(
        scaler.scales()[0],
        5.0_f64.sqrt() * a,
        max_relative = 8.0 * eps
    );
    let standardized = scaler.transform(&table)?;
    assert_relative_eq!(
        standardized.row(2)[0],
        1.0 / 5.0_f64.sqrt(),
        max_relative = 9.0 * eps
    );
    Ok(())
}

/// Two passes, so no cancellation: the scale of c + d does not depend on c. With
/// d_k = (c + sin k) - c, exact by Sterbenz's lemma (both within a factor 2 of each other), the
/// shifted and unshifted columns differ by exactly c. For the shifted one the mean, a sum of
/// 20 values near c over 20, is off by at most δ = 20 ε (c + 1) (19 additions, each within
/// half an ulp of a partial sum below 20 (c + 1)); each deviation x - mean is then exact
/// (Sterbenz again) but shifted by δ, which raises the variance to s² + δ², so the scale by
/// δ² / 2s; the 20 squares and their sum round by 10 ε relative, the root halves that, and
/// the centred side's deviations round by half an ulp each. Each side: 10 ε + δ² / 2s²
/// relative, so twice that bounds the difference. One pass, Σ x² / n - mean², would lose
/// about ε c² / s² relative here, which is more than the whole scale at c = 1e8.
#[test]
fn standardizing_does_not_depend_on_where_a_column_sits() -> Result<(), Error> {
    const N: u32 = 20;
    for c in [1e3_f64, 1e6, 1e8] {
        let shifted: Vec<f64> = (0..N).map(|k| c + f64::from(k).sin()).collect();
        let centred: Vec<f64> = shifted.iter().map(|x| x - c).collect();
        let fit = |column: Vec<f64>| -> Result<Standardizer, Error> {
            let n = column.len();
            let table = Dataset::new(column, 1, vec![0; n], names("f", 1), names("c", 1))?;
            Ok(Standardizer::fit(&table))
        };
        let (far, near) = (fit(shifted)?, fit(centred)?);
        let s = near.scales()[0];
        let eps = f64::EPSILON;
        let delta = f64::from(N) * eps * (c + 1.0);
        let bound = 2.0 * (10.0 * eps + delta * delta / (2.0 * s * s));
        assert_relative_eq!(far.scales()[0], s, epsilon = 0.0, max_relative = bound);
    }
    Ok(())
}

/// A value that overflows when standardised is named by its row and column, in a table of
/// more than one column (row = index / width, column = index % width).
#[test]
fn an_overflowing_standardized_value_names_its_row_and_column() -> Result<(), Error> {
    // Both columns fitted on 0 and 0.5: mean 0.25, scale 0.25.
    let tight = Dataset::new(
        vec![0.0, 0.0, 0.5, 0.5],
        2,
        vec![0; 2],
        names("f", 2),
        names("c", 1),
    )?;
    let mut values = vec![0.25; 6];
    values[5] = -1.7e308;
    let far = Dataset::new(values, 2, vec![0; 3], names("f", 2), names("c", 1))?;
    assert!(matches!(
        Standardizer::fit(&tight).transform(&far),
        Err(Error::NonFiniteFeature { row: 2, column: 1, value }) if value.is_infinite()
    ));
    Ok(())
}

proptest! {
    /// Fitted on any table, the transformed training columns have mean 0 and standard
    /// deviation 1 (or are all 0 when constant). Tolerance: each column sums at most 40 values
    /// of size up to ~1e3 / scale, so rounding stays far below 1e-9 relative.
    #[test]
    fn standardized_columns_have_zero_mean_and_unit_variance(
        n_features in 1usize..=5,
        n_samples in 2usize..=40,
        seed in any::<u64>(),
    ) {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let features: Vec<f64> = (0..n_features * n_samples)
            .map(|_| rng.random_range(-1000.0..1000.0))
            .collect();
        let table = Dataset::new(
            features, n_features, vec![0; n_samples], names("f", n_features), names("c", 1),
        ).expect("valid");
        let scaled = Standardizer::fit(&table).transform(&table).expect("same shape");
        for j in 0..n_features {
            let column: Vec<f64> = scaled.rows().map(|r| r[j]).collect();
            let mean = column.iter().sum::<f64>() / n_samples as f64;
            let var = column.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n_samples as f64;
            prop_assert!(mean.abs() < 1e-12);
            prop_assert!((var - 1.0).abs() < 1e-9);
        }
    }
}
