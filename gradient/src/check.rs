//! The gradient checker: is a claimed gradient right?
//!
//! Every later chapter derives gradients by hand (a neuron's backward pass, a network's
//! backpropagation) and proves them here, against central differences of the function
//! itself, which need nothing but the ability to evaluate it.
//! The checker takes the function as a closure on a flat parameter slice, so any model can be
//! checked: flatten its parameters, rebuild the model inside the closure, return the loss.
//!
//! # Two modes
//!
//! - [`GradientChecker::check`] compares every coordinate: $4n$ evaluations of $f$.
//! - [`GradientChecker::check_directions`] compares directional derivatives
//!   $\nabla f \cdot u$ along a few random unit directions $u$: $4k$ evaluations for $k$
//!   directions, whatever $n$ is. A wrong coordinate shows up in almost every random
//!   direction (it changes $\nabla f \cdot u$ by its error times $u_i$, and $u_i$ is almost
//!   never tiny), so a network with thousands of parameters is checked in a few dozen
//!   evaluations.
//!
//! # The comparison
//!
//! For each coordinate (or direction) the report holds the claimed value $a$, the central
//! difference $n$, and the relative error
//!
//! $$ e = \frac{|a - n|}{\max(|a|,\ |n|,\ \text{floor})} $$
//!
//! Plain text: `e = |a - n| / max(|a|, |n|, floor)`.
//! The check passes when every $e$ is at most the threshold the caller states.
//!
//! **The zero case.** A relative error means nothing when the true value is 0: the difference
//! then returns rounding noise such as $10^{-11}$, the claimed value is $0$, and
//! $|a - n| / \max(|a|, |n|) = 1$.
//! So the denominator never drops below a `floor`, the smallest magnitude the difference can
//! resolve to the requested relative accuracy:
//!
//! $$ \text{floor} = \max\!\Big(\text{user floor},\ \frac{\eta}{\text{threshold}}\Big) $$
//!
//! Plain text: `floor = max(user_floor, eta / threshold)`, where $\eta$ is the estimated
//! absolute error of the difference (below).
//! Below the floor the comparison becomes absolute: $e \le$ threshold exactly when
//! $|a - n| \le \eta$, that is when the claimed value is as close as the difference can tell.
//! If $a = n$ exactly (both 0 included), $e = 0$.
//!
//! **The uncertainty $\eta$** of a central difference $D(h)$ has two parts: truncation,
//! $h^2 f'''/6$, and round-off, about $\varepsilon |f| / h$ (each of the two values of $f$ is
//! rounded by a few units of $\varepsilon |f|$ and the difference is divided by $2h$).
//! The checker measures the first by also computing $D(2h)$, whose truncation error is four
//! times larger, and bounds the second from the largest $|f|$ it saw:
//!
//! $$ \eta = |D(h) - D(2h)| + 16\,\varepsilon\,\frac{\max|f|}{h} $$
//!
//! Plain text: `eta = |D(h) - D(2h)| + 16 eps max|f| / h`.
//! $D(h) - D(2h) \approx -3 h^2 f'''/6$ is three times the truncation error of $D(h)$, a
//! built-in safety factor.
//! The round-off part assumes each value of $f$ is accurate to 16 ulps of $|f|$, true for
//! losses that sum or average many well-scaled terms.
//! If $f$ is a small difference of much larger terms (say $f = (c - x) + (x - c')$ with
//! $|c - x| \gg |f|$), its values round relative to those terms instead: state the scale
//! with [`GradientChecker::with_floor`].
//!
//! **The step.** Coordinate $i$ uses $h_i = \varepsilon^{1/3} \max(1, |x_i|)$
//! ($\varepsilon^{1/3} \approx 6.1 \times 10^{-6}$), the step that balances truncation
//! ($\propto h^2$) against round-off ($\propto 1/h$) for a central difference, scaled with
//! the coordinate so that a parameter of size 1000 is not stepped by a relative
//! $10^{-9}$, and rounded so that $x_i + h_i$ is exact: the step-size rule of
//! `chain_rule::finite_difference`, whose `central` computes every difference here.
//! A direction uses $h = \varepsilon^{1/3} \max(1, \max_i |x_i|)$.
//! [`GradientChecker::with_step`] fixes $h$ instead.
//!
//! **The threshold.** In `f64` a central difference is typically accurate to a relative
//! $10^{-10}$; a real bug (a wrong sign, a missing factor 2, an off-by-one in an index) gives
//! $e \ge 10^{-2}$. A threshold of $10^{-6}$ sits between the two with four orders of
//! magnitude to spare on each side; a missing factor as small as 1.01 still fails it.
//!
//! ```
//! use gradient::GradientChecker;
//!
//! // f(x, y) = 3x² + 2xy + y², the article's function; its gradient is (6x + 2y, 2x + 2y).
//! let f = |v: &[f64]| 3.0 * v[0] * v[0] + 2.0 * v[0] * v[1] + v[1] * v[1];
//! let checker = GradientChecker::new(1e-6)?;
//!
//! let right = checker.check(f, &[1.0, 2.0], &[10.0, 6.0])?;
//! assert!(right.passed(), "{right}");
//!
//! let wrong_sign = checker.check(f, &[1.0, 2.0], &[10.0, -6.0])?;
//! assert!(!wrong_sign.passed());
//! assert_eq!(wrong_sign.worst().index, 1);
//! # Ok::<(), gradient::Error>(())
//! ```

use std::fmt;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::error::{Argument, Error, Probe, check_finite_slice, check_step};
use crate::numeric;

/// How many units of $\varepsilon \max|f| / h$ the round-off part of $\eta$ counts.
///
/// Each value of $f$ is rounded by a few ulps of $|f|$, more for long sums (a sum of $m$
/// terms in `f64` typically carries $\sqrt m$ ulps); the quotient $(f_+ - f_-)/(2h)$ then
/// carries at most $\varepsilon |f| / h$ per ulp. 16 covers sums of a few hundred terms.
const ROUNDOFF_ULPS: f64 = 16.0;

/// Checks a claimed gradient against central differences of the function.
///
/// Build it once with the threshold your test states, then call [`check`](Self::check) (every
/// coordinate) or [`check_directions`](Self::check_directions) (random directions).
/// The [module docs](self) derive the comparison, the floor, the step and the threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientChecker {
    threshold: f64,
    floor: f64,
    step: Option<f64>,
}

impl GradientChecker {
    /// A checker that fails when any relative error exceeds `threshold`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidThreshold`] unless $0 <$ `threshold` $< 1$ (a relative error of 1 or
    /// more means the values do not even agree in sign or magnitude).
    pub fn new(threshold: f64) -> Result<Self, Error> {
        if !(threshold.is_finite() && threshold > 0.0 && threshold < 1.0) {
            return Err(Error::InvalidThreshold(threshold));
        }
        Ok(Self {
            threshold,
            floor: 0.0,
            step: None,
        })
    }

    /// Raises the floor of the relative error's denominator to at least `floor`, in the
    /// gradient's own units: coordinates smaller than this are compared absolutely, with
    /// tolerance `threshold * floor`.
    ///
    /// The default is 0: the checker's own estimate $\eta / \text{threshold}$ alone.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFloor`] unless `floor` is finite and non-negative.
    pub fn with_floor(self, floor: f64) -> Result<Self, Error> {
        if !(floor.is_finite() && floor >= 0.0) {
            return Err(Error::InvalidFloor(floor));
        }
        Ok(Self { floor, ..self })
    }

    /// Uses the fixed step `h` for every coordinate and direction instead of the relative rule
    /// $h_i = \varepsilon^{1/3}\max(1, |x_i|)$.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidStep`] unless `h` is finite and positive.
    pub fn with_step(self, h: f64) -> Result<Self, Error> {
        check_step(h)?;
        Ok(Self {
            step: Some(h),
            ..self
        })
    }

    /// The threshold the relative errors are compared with.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Compares `claimed` with the central difference of `f` at `x`, coordinate by
    /// coordinate ($4n$ evaluations of `f`: $D(h)$ and $D(2h)$ for each coordinate).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyPoint`] if `x` is empty; [`Error::LengthMismatch`] naming
    /// [`Argument::ClaimedGradient`] (with both lengths) if `claimed` and `x` differ in
    /// length; [`Error::NonFinite`] naming the argument and index of a NaN or infinite entry;
    /// [`Error::NonFiniteValue`] if `f` returns NaN or an infinity at a probed point;
    /// [`Error::StepVanishes`] if a fixed step ([`with_step`](Self::with_step)) is too small
    /// next to a coordinate.
    pub fn check(
        &self,
        mut f: impl FnMut(&[f64]) -> f64,
        x: &[f64],
        claimed: &[f64],
    ) -> Result<GradientReport, Error> {
        check_inputs(x, claimed)?;
        let mut probe_point = x.to_vec();
        let mut comparisons = Vec::with_capacity(x.len());
        for (i, (&x_i, &a)) in x.iter().zip(claimed).enumerate() {
            let h = self.step.unwrap_or_else(|| numeric::step(x_i));
            let mut largest = 0.0_f64;
            let mut along = |t: f64| {
                probe_point[i] = t;
                let value = f(&probe_point);
                largest = largest.max(value.abs());
                value
            };
            let estimate = estimate(&mut along, x_i, h, Probe::Coordinate(i))?;
            probe_point[i] = x_i;
            comparisons.push(self.compare(i, a, h, estimate, largest));
        }
        Ok(GradientReport {
            mode: CheckMode::Coordinates,
            threshold: self.threshold,
            evaluations: 4 * x.len(),
            comparisons,
        })
    }

    /// Compares $a \cdot u$ with the central difference of $t \mapsto f(x + t u)$ along
    /// `count` random unit directions $u$ ($4 \cdot$ `count` evaluations of `f`, whatever
    /// the dimension).
    ///
    /// The directions are Gaussian vectors normalised to length 1, so uniform on the sphere,
    /// drawn from a `ChaCha8` generator seeded with `seed`: the same seed gives the same
    /// directions and a bit-identical report.
    ///
    /// # Errors
    ///
    /// As for [`check`](Self::check), and [`Error::NoDirections`] if `count` is 0.
    pub fn check_directions(
        &self,
        mut f: impl FnMut(&[f64]) -> f64,
        x: &[f64],
        claimed: &[f64],
        count: usize,
        seed: u64,
    ) -> Result<GradientReport, Error> {
        check_inputs(x, claimed)?;
        if count == 0 {
            return Err(Error::NoDirections);
        }
        let scale = x.iter().fold(0.0_f64, |m, x_i| m.max(x_i.abs()));
        let h = self.step.unwrap_or_else(|| numeric::step(scale));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut probe_point = x.to_vec();
        let mut comparisons = Vec::with_capacity(count);
        for k in 0..count {
            let u = random_unit_vector(&mut rng, x.len());
            let a: f64 = claimed.iter().zip(&u).map(|(g, u_i)| g * u_i).sum();
            let mut largest = 0.0_f64;
            let mut along = |t: f64| {
                for ((p, &x_i), &u_i) in probe_point.iter_mut().zip(x).zip(&u) {
                    *p = x_i + t * u_i;
                }
                let value = f(&probe_point);
                largest = largest.max(value.abs());
                value
            };
            let estimate = estimate(&mut along, 0.0, h, Probe::Direction(k))?;
            comparisons.push(self.compare(k, a, h, estimate, largest));
        }
        Ok(GradientReport {
            mode: CheckMode::Directions { seed },
            threshold: self.threshold,
            evaluations: 4 * count,
            comparisons,
        })
    }

    /// One row of the report: the floor and relative error for claimed `a`.
    fn compare(
        &self,
        index: usize,
        a: f64,
        h: f64,
        estimate: Estimate,
        largest: f64,
    ) -> Comparison {
        let numeric = estimate.at_h;
        let uncertainty =
            (estimate.at_h - estimate.at_2h).abs() + ROUNDOFF_ULPS * f64::EPSILON * largest / h;
        let floor = self.floor.max(uncertainty / self.threshold);
        Comparison {
            index,
            claimed: a,
            numeric,
            step: h,
            uncertainty,
            floor,
            relative_error: relative_error(a, numeric, floor),
        }
    }
}

/// Checks `claimed` against central differences of `f` at `x`, coordinate by coordinate:
/// shorthand for [`GradientChecker::new`]`(threshold)?.`[`check`](GradientChecker::check)`(…)`.
///
/// # Errors
///
/// As for [`GradientChecker::new`] and [`GradientChecker::check`].
///
/// # Example
///
/// ```
/// // f(w) = Σ w_i², gradient 2w.
/// let f = |w: &[f64]| w.iter().map(|w_i| w_i * w_i).sum::<f64>();
/// let w = [0.5, -1.0, 2.0];
/// let report = gradient::check_gradient(f, &w, &[1.0, -2.0, 4.0], 1e-6)?;
/// assert!(report.passed(), "{report}");
/// # Ok::<(), gradient::Error>(())
/// ```
pub fn check_gradient(
    f: impl FnMut(&[f64]) -> f64,
    x: &[f64],
    claimed: &[f64],
    threshold: f64,
) -> Result<GradientReport, Error> {
    GradientChecker::new(threshold)?.check(f, x, claimed)
}

/// The relative error $|a - n| / \max(|a|, |n|, \text{floor})$, and 0 when $a = n$ (which
/// covers $a = n = 0$ with a zero floor).
///
/// # Example
///
/// ```
/// use gradient::relative_error;
///
/// assert!((relative_error(1.01, 1.0, 0.0) - 0.01 / 1.01).abs() < 1e-15);
/// assert!(relative_error(0.0, 0.0, 0.0).abs() < f64::MIN_POSITIVE);
/// // Below the floor the error is absolute, in units of the floor.
/// assert!((relative_error(1e-12, 0.0, 1e-4) - 1e-8).abs() < 1e-20);
/// ```
// ANCHOR: relative_error
pub fn relative_error(a: f64, n: f64, floor: f64) -> f64 {
    let difference = (a - n).abs();
    if difference == 0.0 {
        return 0.0;
    }
    difference / a.abs().max(n.abs()).max(floor)
}
// ANCHOR_END: relative_error

/// Which comparisons a [`GradientReport`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckMode {
    /// One comparison per coordinate, $\partial f / \partial x_i$.
    Coordinates,
    /// One comparison per random unit direction $u$, $\nabla f \cdot u$.
    Directions {
        /// The seed the directions were drawn with.
        seed: u64,
    },
}

/// One comparison of a claimed derivative with its central difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The coordinate $i$, or the number $k$ of the direction.
    pub index: usize,
    /// The claimed value $a$: $a_i$, or $a \cdot u$ for a direction.
    pub claimed: f64,
    /// The central difference $n = D(h)$.
    pub numeric: f64,
    /// The step $h$ used.
    pub step: f64,
    /// The estimated absolute error $\eta$ of `numeric`.
    pub uncertainty: f64,
    /// The floor of the denominator, $\max(\text{user floor}, \eta / \text{threshold})$.
    pub floor: f64,
    /// $|a - n| / \max(|a|, |n|, \text{floor})$.
    pub relative_error: f64,
}

/// The outcome of a gradient check: every comparison, the worst one, pass or fail.
///
/// Its `Display` is written for a failing test: `assert!(report.passed(), "{report}")` prints
/// the verdict, the worst comparison with its values, and a table of the worst rows.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientReport {
    mode: CheckMode,
    threshold: f64,
    evaluations: usize,
    comparisons: Vec<Comparison>,
}

impl GradientReport {
    /// Whether every relative error is at most the threshold.
    pub fn passed(&self) -> bool {
        self.comparisons
            .iter()
            .all(|c| c.relative_error <= self.threshold)
    }

    /// The comparison with the largest relative error (the first one on ties).
    ///
    /// # Panics
    ///
    /// Never: a report holds at least one comparison, since the checker refuses empty points
    /// and zero directions.
    pub fn worst(&self) -> &Comparison {
        self.comparisons
            .iter()
            .reduce(|worst, c| {
                if c.relative_error > worst.relative_error {
                    c
                } else {
                    worst
                }
            })
            .expect("a gradient report holds at least one comparison")
    }

    /// The largest relative error.
    pub fn max_relative_error(&self) -> f64 {
        self.worst().relative_error
    }

    /// Every comparison, in coordinate (or direction) order.
    pub fn comparisons(&self) -> &[Comparison] {
        &self.comparisons
    }

    /// The comparisons above the threshold.
    pub fn failures(&self) -> impl Iterator<Item = &Comparison> {
        self.comparisons
            .iter()
            .filter(|c| c.relative_error > self.threshold)
    }

    /// The threshold the report was judged against.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// How many times the function was evaluated.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// Coordinates or directions.
    pub fn mode(&self) -> CheckMode {
        self.mode
    }
}

/// At most this many rows in a report's table: the worst ones.
const DISPLAY_ROWS: usize = 10;

impl fmt::Display for GradientReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.mode {
            CheckMode::Coordinates => "coordinate",
            CheckMode::Directions { .. } => "direction",
        };
        let worst = self.worst();
        let failures = self.failures().count();
        let verdict = if failures == 0 { "passed" } else { "failed" };
        write!(
            f,
            "gradient check {verdict}: {failures} of {} {label}s above threshold {:.1e}",
            self.comparisons.len(),
            self.threshold
        )?;
        if let CheckMode::Directions { seed } = self.mode {
            write!(f, " (seed {seed})")?;
        }
        writeln!(f, ", {} evaluations", self.evaluations)?;
        writeln!(
            f,
            "worst: {label} {} with relative error {:.2e}, claimed {:.9e}, numeric {:.9e}",
            worst.index, worst.relative_error, worst.claimed, worst.numeric
        )?;
        writeln!(
            f,
            "{label:>10} {:>17} {:>17} {:>10} {:>10}",
            "claimed", "numeric", "rel. error", "floor"
        )?;
        let mut rows: Vec<&Comparison> = self.comparisons.iter().collect();
        rows.sort_by(|p, q| q.relative_error.total_cmp(&p.relative_error));
        for c in rows.iter().take(DISPLAY_ROWS) {
            let mark = if c.relative_error > self.threshold {
                "  fail"
            } else {
                ""
            };
            writeln!(
                f,
                "{:>10} {:>17.9e} {:>17.9e} {:>10.2e} {:>10.2e}{mark}",
                c.index, c.claimed, c.numeric, c.relative_error, c.floor
            )?;
        }
        if rows.len() > DISPLAY_ROWS {
            writeln!(
                f,
                "{:>10} more {label}s with smaller errors",
                rows.len() - DISPLAY_ROWS
            )?;
        }
        Ok(())
    }
}

/// The two central differences the checker computes along one line.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    /// $D(h)$.
    at_h: f64,
    /// $D(2h)$.
    at_2h: f64,
}

/// $D(h)$ and $D(2h)$ of $t \mapsto$ `along(t)` at `t`.
fn estimate(
    along: &mut impl FnMut(f64) -> f64,
    t: f64,
    h: f64,
    probe: Probe,
) -> Result<Estimate, Error> {
    Ok(Estimate {
        at_h: numeric::central(&mut *along, t, h, probe)?,
        at_2h: numeric::central(&mut *along, t, 2.0 * h, probe)?,
    })
}

/// Checks the point and the claimed gradient.
fn check_inputs(x: &[f64], claimed: &[f64]) -> Result<(), Error> {
    if x.is_empty() {
        return Err(Error::EmptyPoint);
    }
    check_finite_slice(Argument::Point, x, x.len())?;
    check_finite_slice(Argument::ClaimedGradient, claimed, x.len())
}

/// A direction uniform on the unit sphere: a standard Gaussian vector, normalised.
fn random_unit_vector(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    loop {
        let v: Vec<f64> = (0..n).map(|_| StandardNormal.sample(&mut *rng)).collect();
        let norm = v.iter().map(|v_i| v_i * v_i).sum::<f64>().sqrt();
        // A Gaussian vector is zero with probability 0; the loop only guards the invariant.
        if norm > 0.0 {
            return v.into_iter().map(|v_i| v_i / norm).collect();
        }
    }
}
