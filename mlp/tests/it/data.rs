//! The data sets: shapes, the generators' geometry without noise, the noise's size, seeding,
//! and the errors.

use std::f64::consts::TAU;

use approx::{assert_abs_diff_eq, assert_relative_eq};
use mlp::data::{self, Error};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

/// The standard normals the generators draw for their noise, in order: a `ChaCha8` generator
/// seeded with `seed`, as documented.
fn redrawn_standard_normals(seed: u64) -> impl Iterator<Item = f64> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    std::iter::repeat_with(move || StandardNormal.sample(&mut rng))
}

/// Noiseless moon points are `(cos t, sin t)` or `(1 - cos t, 0.5 - sin t)`, each
/// coordinate within an ulp or two of its exact value (`libm`'s `cos` and `sin` are within
/// an ulp; one subtraction rounds once more), where an ulp of numbers below 2 is at most
/// `2 eps`. The checks square two coordinates and add them (a relative error of twice each
/// coordinate's, then one more rounding), or compare a coordinate with its exact value, so
/// each is off by at most about `8 eps` from 1; `16 eps` leaves a factor of 2. A point on the
/// wrong circle or a shifted centre is off by `1e-2` or more.
const GEOMETRY_TOL: f64 = 16.0 * f64::EPSILON;

/// How many standard errors a sampled statistic may stray from its expected value. A correct
/// generator exceeds 5 with probability 6e-7 (two-sided normal tail), so a failure is a bug,
/// not bad luck; the smallest bugs the noise test must catch (noise on one coordinate only,
/// `0.1 / sqrt(2)` overall, or a variance passed as a standard deviation, `sqrt(0.1)`) are off
/// by 29 % and more, about 37 standard errors of the standard deviation below.
const STANDARD_ERRORS: f64 = 5.0;

/// Angles of the noiseless spirals against `t = 4 j + 4 r`, absolute, in radians: 16 `eps`
/// (3.6e-15).
///
/// The test computes `t`, `r` and the rounding of `4 j + 4 r` exactly as the generator does,
/// so they agree to the bit; the rest, with `eps = f64::EPSILON`, a correctly rounded operation
/// erring by `eps / 2` relative and glibc's `sin`, `cos` and `atan2` by under 1 ulp (at most
/// `eps` relative):
/// - `x = r sin t`, `y = r cos t`: 1.5 `eps` relative each, which turns the point by at most
///   `|sin t cos t| (|dx/x| + |dy/y|) <= 1.5 eps`;
/// - `atan2` on `[-pi, pi]`: 1 ulp of at most 4, 2 `eps`;
/// - `angle - t`, up to `pi + 12` in size: half an ulp of 16, 4 `eps`;
/// - `rem_euclid(TAU)`: the `+ TAU` rounds within `[0, 2 pi)` (2 `eps`), and `TAU` is `2 pi`
///   rounded (1.1 `eps` off) taken up to 3 times (3.3 `eps`);
/// - `TAU - turn`: its rounding and `TAU`'s error again (1 + 1.1 `eps`).
///
/// Together 14.9 `eps`, so 16. A wrong angle (sine and cosine swapped, arms `2 pi / 3` apart,
/// a missing factor 4) is off by a sizeable fraction of a radian.
const ANGLE_TOL: f64 = 16.0 * f64::EPSILON;

#[test]
fn xor_is_the_truth_table_of_exclusive_or() {
    let xor = data::xor();
    assert_eq!(
        (xor.n_samples(), xor.n_features(), xor.n_classes()),
        (4, 2, 2)
    );
    for i in 0..4 {
        let row = xor.row(i);
        // Inputs are exactly 0 or 1, so the class is 1 exactly when they differ.
        let expected = usize::from((row[0] - row[1]).abs() > 0.5);
        assert_eq!(xor.labels()[i], expected, "row {i}: {row:?}");
    }
    assert_eq!(xor.features(), &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
}

#[test]
fn noiseless_moons_lie_on_their_half_circles() -> Result<(), Error> {
    // 7 points: floor(7/2) = 3 on the upper moon, 4 on the lower one.
    let moons = data::moons(7, 0.0, 1)?;
    assert_eq!(moons.labels(), &[0, 0, 0, 1, 1, 1, 1]);
    for i in 0..7 {
        let [x, y] = [moons.row(i)[0], moons.row(i)[1]];
        if moons.labels()[i] == 0 {
            // (cos t, sin t): unit circle around (0, 0), upper half.
            assert_relative_eq!(x * x + y * y, 1.0, epsilon = GEOMETRY_TOL);
            assert!(y >= -GEOMETRY_TOL);
        } else {
            // (1 - cos t, 0.5 - sin t): unit circle around (1, 0.5), lower half.
            assert_relative_eq!(
                (x - 1.0).powi(2) + (y - 0.5).powi(2),
                1.0,
                epsilon = GEOMETRY_TOL
            );
            assert!(y <= 0.5 + GEOMETRY_TOL);
        }
    }
    // The ends of each moon are at t = 0 and t = pi: (1, 0), (-1, 0); (0, 0.5), (2, 0.5).
    assert_abs_diff_eq!(moons.row(0), &[1.0, 0.0][..], epsilon = GEOMETRY_TOL);
    assert_abs_diff_eq!(moons.row(2), &[-1.0, 0.0][..], epsilon = GEOMETRY_TOL);
    assert_abs_diff_eq!(moons.row(3), &[0.0, 0.5][..], epsilon = GEOMETRY_TOL);
    assert_abs_diff_eq!(moons.row(6), &[2.0, 0.5][..], epsilon = GEOMETRY_TOL);
    // The middle of the 4-point lower moon is at t = pi/3: (1 - 1/2, 0.5 - sqrt(3)/2).
    assert_abs_diff_eq!(
        moons.row(4),
        &[0.5, 0.5 - 3.0_f64.sqrt() / 2.0][..],
        epsilon = GEOMETRY_TOL
    );
    Ok(())
}

/// The noise added is the difference from the noiseless points (exactly `sigma` times each
/// normal draw, up to an ulp of the point). Over `m = 2 * 4000` independent draws the sample
/// mean has standard error `sigma / sqrt(m)` = 0.0011, and the sample standard deviation a
/// relative standard error of `1 / sqrt(2 (m - 1))` = 0.0079; each may stray by
/// `STANDARD_ERRORS` of those (0.0056 and 4.0 %).
#[test]
fn moons_noise_has_the_requested_standard_deviation() -> Result<(), Error> {
    let sigma = 0.1;
    let noiseless = data::moons(4000, 0.0, 3)?;
    let noisy = data::moons(4000, sigma, 3)?;
    let differences: Vec<f64> = noisy
        .features()
        .iter()
        .zip(noiseless.features())
        .map(|(a, b)| a - b)
        .collect();
    let m = differences.len() as f64;
    let mean = differences.iter().sum::<f64>() / m;
    let std = (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt();
    let mean_tol = STANDARD_ERRORS * sigma / m.sqrt();
    assert!(
        mean.abs() < mean_tol,
        "mean of the noise {mean}, allowed {mean_tol}"
    );
    let std_tol = STANDARD_ERRORS / (2.0 * (m - 1.0)).sqrt();
    assert_relative_eq!(std, sigma, max_relative = std_tol);
    Ok(())
}

/// The moons' noise is `noise · ε` added to each coordinate, the ε drawn from a `ChaCha8`
/// generator seeded with `seed`, one standard normal per coordinate in sample order, first
/// coordinate first, as documented: redrawing them here, each noisy coordinate is the noiseless
/// one `a` plus `b = noise · ε`. Tolerance: the sum `a + b` is rounded once, so it is within
/// `ε_f64 |a + b|` of the exact sum, whichever way it is computed (`a + b` or a fused
/// multiply-add); `2 ε_f64 (|a| + |b|)` covers that with room. Noise of the opposite sign misses
/// by `2 |b|`, about 0.2 here, and noise drawn in another order by as much.
#[test]
fn moons_noise_is_added_to_each_coordinate_in_sample_order() -> Result<(), Error> {
    let (n, noise, seed) = (31, 0.1, 5);
    let clean = data::moons(n, 0.0, seed)?;
    let perturbed = data::moons(n, noise, seed)?;
    let coordinates = clean.features().iter().zip(perturbed.features());
    for (k, ((a, x), epsilon)) in coordinates.zip(redrawn_standard_normals(seed)).enumerate() {
        let b = noise * epsilon;
        let tolerance = 2.0 * f64::EPSILON * (a.abs() + b.abs());
        assert!(
            (x - (a + b)).abs() <= tolerance,
            "sample {}, coordinate {}: {x} vs {a} + {b}",
            k / 2,
            k % 2
        );
    }
    Ok(())
}

#[test]
fn noiseless_spirals_follow_their_arms() -> Result<(), Error> {
    let (n_per_class, n_classes) = (5, 3);
    let spirals = data::spirals(n_per_class, n_classes, 0.0, 9)?;
    assert_eq!(spirals.n_samples(), 15);
    assert_eq!(spirals.n_classes(), 3);
    for class in 0..n_classes {
        for i in 0..n_per_class {
            let index = class * n_per_class + i;
            assert_eq!(spirals.labels()[index], class);
            let [x, y] = [spirals.row(index)[0], spirals.row(index)[1]];
            // Radius i / (N - 1), angle t = 4 j + 4 r measured from the y axis: (r sin t, r cos t).
            let r = i as f64 / (n_per_class - 1) as f64;
            assert_relative_eq!(x.hypot(y), r, epsilon = GEOMETRY_TOL);
            if i > 0 {
                let t = 4.0 * class as f64 + 4.0 * r;
                let angle = x.atan2(y);
                // Compare angles modulo a full turn.
                let turn = (angle - t).rem_euclid(TAU);
                assert!(
                    turn.min(TAU - turn) <= ANGLE_TOL,
                    "class {class} point {i}: {angle} vs {t}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn spiral_noise_only_turns_points() -> Result<(), Error> {
    // The noise perturbs the angle, never the radius.
    let clean = data::spirals(50, 2, 0.0, 4)?;
    let noisy = data::spirals(50, 2, 0.3, 4)?;
    let mut moved = 0;
    for i in 0..100 {
        let (a, b) = (clean.row(i), noisy.row(i));
        assert_relative_eq!(a[0].hypot(a[1]), b[0].hypot(b[1]), epsilon = GEOMETRY_TOL);
        if (a[0] - b[0]).abs() > 1e-6 {
            moved += 1;
        }
    }
    // Every point but the two centres (radius 0) moves.
    assert_eq!(moved, 98);
    Ok(())
}

/// The spiral noise is added to the angle, t = 4j + 4r + noise · ε, with the ε drawn from a
/// `ChaCha8` generator seeded with `seed`, one standard normal per sample, class by class, as
/// documented: redrawing them here and reading each point's angle back with `atan2(x_1, x_2)`
/// gives t modulo 2π. The test computes t with the generator's operations in its order, so
/// [`ANGLE_TOL`]'s derivation holds as long as |angle − t| < 16 (its half ulp of 16), which
/// |t| + π < 16 ensures (asserted). Noise of the opposite sign misses by 2 · 0.2 |ε|.
#[test]
fn spiral_noise_is_added_to_the_angle_in_sample_order() -> Result<(), Error> {
    let (n, classes, noise, seed) = (20_usize, 3_usize, 0.2, 9);
    let spirals = data::spirals(n, classes, noise, seed)?;
    let mut epsilons = redrawn_standard_normals(seed);
    for j in 0..classes {
        for i in 0..n {
            let epsilon = epsilons.next().expect("an endless sequence");
            if i == 0 {
                continue; // radius 0: the centre has no angle
            }
            #[allow(clippy::cast_precision_loss)] // small counts
            let (r, start) = (i as f64 / (n - 1) as f64, 4.0 * j as f64);
            let t = start + 4.0 * r + noise * epsilon;
            assert!(t.abs() + std::f64::consts::PI < 16.0, "t = {t}");
            let x = spirals.row(j * n + i);
            let angle = x[0].atan2(x[1]);
            let turn = (angle - t).rem_euclid(TAU);
            assert!(
                turn.min(TAU - turn) <= ANGLE_TOL,
                "class {j}, sample {i}: angle {angle}, t {t}"
            );
        }
    }
    Ok(())
}

#[test]
fn same_seed_same_points_other_seed_other_points() -> Result<(), Error> {
    let a = data::moons(50, 0.2, 11)?;
    let b = data::moons(50, 0.2, 11)?;
    let c = data::moons(50, 0.2, 12)?;
    assert!(
        a.features()
            .iter()
            .zip(b.features())
            .all(|(x, y)| x.to_bits() == y.to_bits())
    );
    assert!(
        a.features()
            .iter()
            .zip(c.features())
            .any(|(x, y)| x.to_bits() != y.to_bits())
    );
    let a = data::spirals(20, 4, 0.2, 5)?;
    let b = data::spirals(20, 4, 0.2, 5)?;
    let c = data::spirals(20, 4, 0.2, 6)?;
    assert!(
        a.features()
            .iter()
            .zip(b.features())
            .all(|(x, y)| x.to_bits() == y.to_bits())
    );
    assert!(
        a.features()
            .iter()
            .zip(c.features())
            .any(|(x, y)| x.to_bits() != y.to_bits())
    );
    Ok(())
}

#[test]
fn generators_refuse_bad_arguments() {
    assert_eq!(
        data::moons(1, 0.1, 0).err(),
        Some(Error::TooFewSamples {
            requested: 1,
            minimum: 2
        })
    );
    // Two samples is the least: one per moon, both at t = 0, (1, 0) and (1 - 1, 1/2 - 0).
    let two = data::moons(2, 0.0, 0).expect("one point per moon");
    assert_eq!(two.labels(), [0, 1]);
    let bits = |v: &[f64]| v.iter().map(|v_i| v_i.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(two.features()), bits(&[1.0, 0.0, 0.0, 0.5]));
    assert!(matches!(data::moons(10, -0.1, 0), Err(Error::InvalidNoise(v)) if v < 0.0));
    assert!(matches!(data::moons(10, f64::NAN, 0), Err(Error::InvalidNoise(v)) if v.is_nan()));
    assert!(matches!(
        data::spirals(10, 3, f64::INFINITY, 0),
        Err(Error::InvalidNoise(_))
    ));
    assert_eq!(
        data::spirals(1, 3, 0.1, 0).err(),
        Some(Error::TooFewSamples {
            requested: 1,
            minimum: 2
        })
    );
    assert_eq!(
        data::spirals(10, 1, 0.1, 0).err(),
        Some(Error::TooFewClasses {
            requested: 1,
            minimum: 2
        })
    );
    assert_eq!(
        Error::InvalidNoise(-0.5).to_string(),
        "noise must be finite and >= 0, found -0.5"
    );
    // Sizes whose buffers overflow (2 × usize::MAX coordinates, 2^80 points) panicked, and
    // 2^58 points (2^62 bytes of coordinates, past any address space) aborted.
    assert_eq!(
        data::moons(usize::MAX, 0.1, 0).err(),
        Some(Error::TooManySamples {
            requested: u128::from(u64::MAX)
        })
    );
    assert_eq!(
        data::moons(1 << 58, 0.1, 0).err(),
        Some(Error::TooManySamples { requested: 1 << 58 })
    );
    assert_eq!(
        data::spirals(1 << 40, 1 << 40, 0.1, 0).err(),
        Some(Error::TooManySamples { requested: 1 << 80 })
    );
    assert_eq!(
        Error::TooManySamples { requested: 1 << 80 }.to_string(),
        "1208925819614629174706176 samples do not fit in memory"
    );
}

#[test]
fn digits_are_the_uci_test_set() {
    let digits = data::digits();
    assert_eq!(
        (digits.n_samples(), digits.n_features(), digits.n_classes()),
        (1797, 64, 10)
    );
    // Class counts and the pixel total, read from the file with
    // `zcat digits.csv.gz | awk -F, '{print $NF}' | sort | uniq -c` and
    // `awk -F, '{for(i=1;i<=64;i++) s+=$i} END {print s}'`.
    let mut counts = [0; 10];
    for &label in digits.labels() {
        counts[label] += 1;
    }
    assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    let total: f64 = digits.features().iter().sum();
    assert_abs_diff_eq!(total, 561_718.0);
    assert!(
        digits
            .features()
            .iter()
            .all(|&p| (0.0..=16.0).contains(&p) && p.fract() == 0.0)
    );
    // The first image is a 0 (its first row: 0,0,5,13,9,1,0,0), the last an 8.
    assert_eq!(
        &digits.row(0)[..8],
        &[0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
    );
    assert_eq!(digits.labels()[0], 0);
    assert_eq!(digits.labels()[1796], 8);
    assert_eq!(digits.feature_names()[9], "r1c1");
    assert_eq!(digits.class_names()[7], "7");
    // The file is mixed: every whole batch of 32 consecutive images holds all ten digits
    // (chapter 5's shuffling exercise says so).
    for (index, batch) in digits.labels().chunks_exact(32).enumerate() {
        let mut seen = [false; 10];
        for &label in batch {
            seen[label] = true;
        }
        assert!(seen.iter().all(|&s| s), "batch {index} misses a digit");
    }
}

#[test]
fn digit_parser_names_the_bad_line() {
    let row = |label: &str| format!("{}{label}\n", "1,".repeat(64));
    let good = row("3");
    let parsed = data::parse_digits_csv(good.as_bytes()).expect("one valid row");
    assert_eq!(parsed.labels(), &[3]);

    let short = format!("{good}1,2,3\n");
    assert!(matches!(
        data::parse_digits_csv(short.as_bytes()),
        Err(Error::Csv { line: 2, ref reason }) if reason.contains("found 3")
    ));
    let bad_label = format!("{good}{}", row("10"));
    assert!(matches!(
        data::parse_digits_csv(bad_label.as_bytes()),
        Err(Error::Csv { line: 2, .. })
    ));
    let not_a_number = format!("{}x,{}", "1,".repeat(10), "1,".repeat(53) + "4\n");
    assert!(matches!(
        data::parse_digits_csv(not_a_number.as_bytes()),
        Err(Error::Csv { line: 1, ref reason }) if reason.contains("pixel 10")
    ));
    let nan_pixel = format!("NaN,{}", "1,".repeat(63) + "4\n");
    let err = data::parse_digits_csv(nan_pixel.as_bytes()).expect_err("a NaN pixel");
    assert!(matches!(err, Error::Dataset(_)));
    // The data set's own error is the source, and its message follows "invalid data set: ".
    let source = std::error::Error::source(&err).expect("the data set's error");
    assert_eq!(err.to_string(), format!("invalid data set: {source}"));
    assert!(matches!(
        data::parse_digits_csv(b""),
        Err(Error::Dataset(_))
    ));
}

proptest::proptest! {
    /// Any valid size, noise and seed gives the promised shape: `n` points split
    /// `floor(n/2)` / `n - floor(n/2)` for the moons, `n_per_class` per arm for the spirals,
    /// spiral radii within `[0, 1]` whatever the noise (it only turns points).
    #[test]
    fn generators_have_the_promised_shape(
        n in 2_usize..300,
        n_classes in 2_usize..6,
        noise in 0.0..1.0_f64,
        seed in proptest::prelude::any::<u64>(),
    ) {
        let moons = data::moons(n, noise, seed).expect("valid arguments");
        proptest::prop_assert_eq!(moons.n_samples(), n);
        let ones = moons.labels().iter().filter(|&&label| label == 1).count();
        proptest::prop_assert_eq!(ones, n - n / 2);

        let n_per_class = n / 2 + 1;
        let spirals = data::spirals(n_per_class, n_classes, noise, seed).expect("valid arguments");
        proptest::prop_assert_eq!(spirals.n_samples(), n_per_class * n_classes);
        proptest::prop_assert_eq!(spirals.n_classes(), n_classes);
        for class in 0..n_classes {
            let count = spirals.labels().iter().filter(|&&label| label == class).count();
            proptest::prop_assert_eq!(count, n_per_class);
        }
        for row in spirals.rows() {
            proptest::prop_assert!(row[0].hypot(row[1]) <= 1.0 + GEOMETRY_TOL);
        }
    }
}

/// The spirals' angle noise has the requested standard deviation, and each arm draws its
/// own. With one seed the noisy and the noiseless spirals draw the same normals (the
/// noiseless one multiplies them by 0), so a point's turn from its noiseless place, wrapped
/// into `(-pi, pi]`, is exactly its `noise * epsilon` up to the angle roundings of
/// `ANGLE_TOL` (negligible here); with `noise = 0.2` a wrap would need a draw beyond 15
/// standard deviations. The centres (radius 0) have no angle and are left out, which leaves
/// `m = 2 * 2000` draws: as in the moons test the mean may stray by `STANDARD_ERRORS` standard
/// errors `sigma / sqrt(m)` (0.016) and the standard deviation by `STANDARD_ERRORS` relative
/// standard errors `1 / sqrt(2 (m - 1))` (5.6 %). The sample correlation of two independent
/// arms' 2000 draws has standard error `1 / sqrt(2000)` = 0.022, so it may stray from 0 by
/// `STANDARD_ERRORS` of those (0.11); arms drawing the same normals would correlate fully.
/// A variance passed as the standard deviation (0.04) is off by 80 %.
#[test]
fn spiral_angle_noise_has_the_requested_standard_deviation_on_every_arm() -> Result<(), Error> {
    let (n_per_class, sigma) = (2001, 0.2);
    let clean = data::spirals(n_per_class, 2, 0.0, 8)?;
    let noisy = data::spirals(n_per_class, 2, sigma, 8)?;
    let turn = |i: usize| {
        let (a, b) = (clean.row(i), noisy.row(i));
        let turn = (b[0].atan2(b[1]) - a[0].atan2(a[1])).rem_euclid(TAU);
        if turn > TAU / 2.0 { turn - TAU } else { turn }
    };
    let arms: Vec<Vec<f64>> = (0..2)
        .map(|arm| {
            (1..n_per_class)
                .map(|i| turn(arm * n_per_class + i))
                .collect()
        })
        .collect();
    let all: Vec<f64> = arms.concat();
    let m = all.len() as f64;
    let mean = all.iter().sum::<f64>() / m;
    let std = (all.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt();
    let mean_tol = STANDARD_ERRORS * sigma / m.sqrt();
    assert!(
        mean.abs() < mean_tol,
        "mean turn {mean}, allowed {mean_tol}"
    );
    let std_tol = STANDARD_ERRORS / (2.0 * (m - 1.0)).sqrt();
    assert_relative_eq!(std, sigma, max_relative = std_tol);

    let n = arms[0].len() as f64;
    let centred = |arm: &[f64]| -> Vec<f64> {
        let mean = arm.iter().sum::<f64>() / n;
        arm.iter().map(|v| v - mean).collect()
    };
    let (first, second) = (centred(&arms[0]), centred(&arms[1]));
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let correlation = dot(&first, &second) / (dot(&first, &first) * dot(&second, &second)).sqrt();
    let correlation_tol = STANDARD_ERRORS / n.sqrt();
    assert!(
        correlation.abs() < correlation_tol,
        "correlation of the arms' noise {correlation}, allowed {correlation_tol}"
    );
    Ok(())
}
