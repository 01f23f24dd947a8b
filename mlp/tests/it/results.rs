//! The course's results that train in a few seconds, asserted (the digits median and the
//! XOR success rate over 100 seeds are printed by `cargo xtask results`).

use std::ops::Range;

use mlp::train::recipes;

/// The band the linear softmax recipe's training accuracy on the spirals must fall in, and
/// where its two ends come from.
///
/// A linear softmax classifier cuts the plane into three convex wedges, so on three interleaved
/// arms it gets about half the points right, how many depending on where the noise puts the
/// points near the centre. Trained with the settings of `recipes::spirals_linear` on 200 draws
/// of the spirals (data seeds 0 to 199, 3 arms of 100 points, noise 0.2) it scored a mean of
/// `LINEAR_SPIRALS_MEAN`, standard deviation `LINEAR_SPIRALS_SD`, from 48.7 % to 56.0 %;
/// `CS231n`'s 49 % on its own draw and the 53.3 % of the crate's result tables (data seed 0,
/// which the recipe uses; 53.7 % at convergence, and the same for every initial seed, since
/// the objective is convex) lie inside. The band is that mean plus or minus 4 standard
/// deviations, 46.6 % to 58.2 %.
///
/// It catches a broken linear model: chance is 1/3 with a standard error of
/// `sqrt((1/3) (2/3) / 300)` = 2.7 points, and the lower end is 4.9 of those above it (the
/// untrained seed-0 network scores 7.3 % on this draw). It catches an accidentally
/// non-linear one: the 2-100-3 `ReLU` network of `recipes::spirals_mlp` already reaches 98 %
/// after the linear recipe's 200 epochs, 40 points above the upper end.
const LINEAR_SPIRALS_BAND: Range<f64> = LINEAR_SPIRALS_MEAN
    - LINEAR_SPIRALS_BAND_SDS * LINEAR_SPIRALS_SD
    ..LINEAR_SPIRALS_MEAN + LINEAR_SPIRALS_BAND_SDS * LINEAR_SPIRALS_SD;

/// Mean training accuracy of the linear spirals recipe over 200 draws of the data (see
/// `LINEAR_SPIRALS_BAND`).
const LINEAR_SPIRALS_MEAN: f64 = 0.524;

/// Standard deviation of that accuracy over the 200 draws.
const LINEAR_SPIRALS_SD: f64 = 0.0144;

/// Half-width of the band in standard deviations: a draw of the data lands outside with
/// probability 6e-5 (normal tails), while chance and a non-linear model are far outside.
const LINEAR_SPIRALS_BAND_SDS: f64 = 4.0;

type TestResult = Result<(), recipes::Error>;

#[test]
fn xor_is_solved_by_every_seed_with_eight_hidden_units() -> TestResult {
    for seed in 0..10 {
        let outcome = recipes::xor(8, seed)?;
        assert!(
            outcome.train.accuracy > 0.99,
            "seed {seed}: {:?}",
            outcome.train
        );
    }
    Ok(())
}

/// Two hidden sigmoid units can represent XOR, but gradient descent from some initial
/// weights gets stuck with 2 of 4 points right and the other two at an output of 0.5 (a
/// loss of about ln 2 / 2; 21 of the first 100 seeds): the known lesson. Among the first 20
/// seeds both happen.
#[test]
fn xor_with_two_hidden_units_depends_on_the_seed() -> TestResult {
    let solved: Vec<bool> = (0..20)
        .map(|seed| recipes::xor(2, seed).map(|o| o.train.accuracy > 0.99))
        .collect::<Result<_, _>>()?;
    assert!(solved.iter().any(|&s| s), "no seed solved XOR");
    assert!(solved.iter().any(|&s| !s), "every seed solved XOR");
    Ok(())
}

#[test]
fn moons_are_fitted_exactly_by_two_hidden_layers_of_sixteen() -> TestResult {
    for seed in 0..3 {
        let outcome = recipes::moons(seed)?;
        assert!(
            (outcome.train.accuracy - 1.0).abs() < f64::EPSILON,
            "seed {seed}: {:?}",
            outcome.train
        );
    }
    Ok(())
}

/// The contrast of Stanford's `CS231n` notes: no line separates three interleaved spirals, a
/// hidden layer does. The linear model's band is derived at `LINEAR_SPIRALS_BAND`.
#[test]
fn spirals_need_a_hidden_layer() -> TestResult {
    let linear = recipes::spirals_linear(0)?;
    assert!(
        LINEAR_SPIRALS_BAND.contains(&linear.train.accuracy),
        "linear: {:?}, outside {LINEAR_SPIRALS_BAND:?}",
        linear.train
    );
    let mlp = recipes::spirals_mlp(0)?;
    assert!(mlp.train.accuracy >= 0.98, "mlp: {:?}", mlp.train);
    Ok(())
}

#[test]
fn iris_test_accuracy_is_at_least_95_percent() -> TestResult {
    let accuracies: Vec<f64> = (0..5)
        .map(|seed| recipes::iris(seed).map(|o| o.test.expect("a test split").accuracy))
        .collect::<Result<_, _>>()?;
    assert!(recipes::median(&accuracies) >= 0.95, "{accuracies:?}");
    Ok(())
}

#[test]
fn digits_test_accuracy_is_at_least_97_5_percent() -> TestResult {
    let accuracies: Vec<f64> = (0..5)
        .map(|seed| recipes::digits(seed).map(|o| o.test.expect("a test split").accuracy))
        .collect::<Result<_, _>>()?;
    assert!(recipes::median(&accuracies) >= 0.975, "{accuracies:?}");
    Ok(())
}

/// The digits split scales both sides with the training side's statistics only: each side is
/// exactly (to the bit) the raw split's side transformed by a `Standardizer` fitted on the raw
/// training side, and refitting on the scaled training side gives means of 0 and scales of 1.
///
/// A computed mean of $n$ values is within about $n \cdot 2^{-53} \max |x|$ of the exact one;
/// the 1258 scaled training values of a column are at most 35.5 in size (a pixel that is
/// almost always 0), so that is $5 \times 10^{-12}$, and $10^{-11}$ bounds the means and, by
/// the same two-pass sums, the scales (a constant column is scaled to 0s, whose scale is 1 by
/// convention); measured: $1.1 \times 10^{-15}$ and $1.9 \times 10^{-14}$. A scaler fitted on
/// all 1797 images, or on each side separately, or a held-out side left unscaled fails the
/// comparison with the raw split.
#[test]
fn the_digits_split_is_scaled_with_the_training_sides_statistics() {
    use perceptron::data::Standardizer;
    let (train, test) = recipes::digits_split(0).unwrap();
    // The recipe's split: 30 % held out, stratified, with the recipe's seed.
    let (raw_train, raw_test) = mlp::data::digits().stratified_split(0.3, 0).unwrap();
    let scaler = Standardizer::fit(&raw_train);
    let bits = |data: &perceptron::data::Dataset| -> Vec<u64> {
        data.features().iter().map(|v| v.to_bits()).collect()
    };
    assert_eq!(bits(&train), bits(&scaler.transform(&raw_train).unwrap()));
    assert_eq!(bits(&test), bits(&scaler.transform(&raw_test).unwrap()));
    assert_eq!(train.labels(), raw_train.labels());
    assert_eq!(test.labels(), raw_test.labels());
    let largest = |values: &[f64], target: f64| {
        values
            .iter()
            .fold(0.0_f64, |m, &v| m.max((v - target).abs()))
    };
    let refit = Standardizer::fit(&train);
    assert!(largest(refit.means(), 0.0) < 1e-11, "{:?}", refit.means());
    assert!(largest(refit.scales(), 1.0) < 1e-11, "{:?}", refit.scales());
}

/// The real-data recipes train and test on their own seed's split: the outcome holds the
/// 70/30 stratified split of that seed, standardised with the training side's statistics,
/// and its test result is the trained network evaluated on the held-out side (which differs
/// from the training result: the held-out loss is not the training loss). A seed other than
/// 0 tells the recipe's seed from a fixed one.
#[test]
fn real_data_recipes_test_on_the_held_out_side_of_their_seeds_split() -> TestResult {
    use perceptron::data::{Dataset, Standardizer};
    let seed = 3;
    let bits =
        |data: &Dataset| -> Vec<u64> { data.features().iter().map(|v| v.to_bits()).collect() };
    let check = |outcome: &recipes::Outcome, train: &Dataset, test: &Dataset| -> TestResult {
        let test_data = outcome.test_data.as_ref().expect("a test split");
        assert_eq!(bits(&outcome.train_data), bits(train));
        assert_eq!(outcome.train_data.labels(), train.labels());
        assert_eq!(bits(test_data), bits(test));
        assert_eq!(test_data.labels(), test.labels());
        // The same evaluation of the same network on the same data: equal to the bit.
        let evaluation = mlp::train::evaluate(&outcome.net, test)?;
        assert_eq!(outcome.test, Some(evaluation));
        // The history evaluated the training side in chunks of the batch size, `evaluate` in
        // chunks of 256: the same at most 1258 positive per-sample losses summed in another
        // order, within `(n - 1) eps` (2.8e-13) of each other; accuracies count exactly.
        let train_evaluation = mlp::train::evaluate(&outcome.net, train)?;
        approx::assert_relative_eq!(
            outcome.train.loss,
            train_evaluation.loss,
            max_relative = 1e-12
        );
        approx::assert_relative_eq!(outcome.train.accuracy, train_evaluation.accuracy);
        assert!((evaluation.loss - outcome.train.loss).abs() > 0.0);
        Ok(())
    };
    let (train, test) = recipes::digits_split(seed)?;
    check(&recipes::digits(seed)?, &train, &test)?;
    let (raw_train, raw_test) =
        perceptron::data::iris().stratified_split(recipes::TEST_FRACTION, seed)?;
    let scaler = Standardizer::fit(&raw_train);
    let (train, test) = (scaler.transform(&raw_train)?, scaler.transform(&raw_test)?);
    assert_eq!(test.n_samples(), 45);
    check(&recipes::iris(seed)?, &train, &test)
}
