//! Finite differences: the derivative estimated from function values alone, the independent
//! check every analytic derivative in the course is tested against.
//!
//! Taylor's theorem gives each scheme's *truncation* error, which shrinks with the step $h$:
//!
//! $$ f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6} f'''(x) + \tfrac{h^4}{24} f^{(4)}(x) \pm \tfrac{h^5}{120} f^{(5)}(x) + \cdots $$
//!
//! Plain text: `f(x ± h) = f ± h f' + h²/2 f'' ± h³/6 f''' + h⁴/24 f'''' ± h⁵/120 f''''' + ...`.
//!
//! Each value $f(x \pm h)$ is also rounded, with a relative error up to the machine epsilon
//! $\varepsilon \approx 2.2 \times 10^{-16}$ (`f64::EPSILON`); dividing the difference by $h$
//! magnifies that *round-off* error as $\varepsilon |f| / h$, which grows as $h$ shrinks.
//! The total error is smallest where the two balance:
//!
//! | scheme | formula | truncation | round-off | best $h$ | best error |
//! |---|---|---|---|---|---|
//! | [`forward`] | $\frac{f(x+h) - f(x)}{h}$ | $\frac{h}{2}\lvert f''\rvert$ | $\frac{2\varepsilon\lvert f\rvert}{h}$ | $\sim\varepsilon^{1/2} \approx 1.5 \times 10^{-8}$ | $\sim\varepsilon^{1/2}$ |
//! | [`central`] | $\frac{f(x+h) - f(x-h)}{2h}$ | $\frac{h^2}{6}\lvert f'''\rvert$ | $\frac{\varepsilon\lvert f\rvert}{h}$ | $\sim\varepsilon^{1/3} \approx 6 \times 10^{-6}$ | $\sim\varepsilon^{2/3} \approx 4 \times 10^{-11}$ |
//! | [`richardson`] | $\frac{4 D(h/2) - D(h)}{3}$ | $\frac{h^4}{480}\lvert f^{(5)}\rvert$ | $\frac{3\varepsilon\lvert f\rvert}{h}$ | $\sim\varepsilon^{1/5} \approx 7 \times 10^{-4}$ | $\sim\varepsilon^{4/5} \approx 3 \times 10^{-13}$ |
//!
//! Here $D(h)$ is the central difference.
//! In general an order-$p$ scheme has error $E(h) \approx C h^p + \varepsilon |f| / h$, minimised
//! at $h^\ast \propto \varepsilon^{1/(p+1)}$, where $E(h^\ast) \propto \varepsilon^{p/(p+1)}$.
//! [`Scheme::step`] applies this rule, scaled by $\max(|x|, 1)$ so the step stays
//! meaningful next to large $x$.

use crate::Error;

/// A finite-difference scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// $\frac{f(x+h) - f(x)}{h}$, error $O(h)$.
    Forward,
    /// $\frac{f(x+h) - f(x-h)}{2h}$, error $O(h^2)$.
    Central,
    /// Richardson-extrapolated central difference $\frac{4 D(h/2) - D(h)}{3}$, error $O(h^4)$.
    Richardson,
}

impl Scheme {
    /// Every scheme, least accurate first.
    pub const ALL: [Self; 3] = [Self::Forward, Self::Central, Self::Richardson];

    /// The scheme's name in lowercase (`"forward"`, `"central"`, `"richardson"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Central => "central",
            Self::Richardson => "richardson",
        }
    }

    /// The order $p$ of the truncation error $O(h^p)$: 1, 2 or 4.
    pub fn order(self) -> i32 {
        match self {
            Self::Forward => 1,
            Self::Central => 2,
            Self::Richardson => 4,
        }
    }

    /// The rule-of-thumb step $h = \varepsilon^{1/(p+1)} \max(|x|, 1)$ that balances truncation
    /// and round-off for an order-$p$ scheme, with $\varepsilon$ = `f64::EPSILON`.
    ///
    /// The step is then rounded so that $x + h$ is exactly representable (`(x + h) - x`),
    /// which removes one source of round-off: the step used is the step divided by.
    /// It assumes $f$ and its derivatives are of comparable size (scale $f$ or $x$ first if not).
    ///
    /// $$ h^\ast = \varepsilon^{1/(p+1)} \max(\lvert x \rvert, 1) $$
    ///
    /// Plain text: `h = eps^(1/(p+1)) * max(|x|, 1)`: about `1.5e-8`, `6.1e-6` and `7.4e-4` at
    /// `x = 1` for forward, central and Richardson.
    pub fn step(self, x: f64) -> f64 {
        let p = f64::from(self.order());
        let h = f64::EPSILON.powf(1.0 / (p + 1.0)) * x.abs().max(1.0);
        (x + h) - x
    }

    /// The scheme's estimate of $f'(x)$ with step $h$.
    ///
    /// # Errors
    ///
    /// As [`forward`], [`central`] and [`richardson`].
    pub fn estimate(self, f: impl FnMut(f64) -> f64, x: f64, h: f64) -> Result<f64, Error> {
        match self {
            Self::Forward => forward(f, x, h),
            Self::Central => central(f, x, h),
            Self::Richardson => richardson(f, x, h),
        }
    }

    /// The scheme's estimate of $f'(x)$ with the step from [`Scheme::step`].
    ///
    /// # Errors
    ///
    /// As [`Scheme::estimate`].
    pub fn derivative(self, f: impl FnMut(f64) -> f64, x: f64) -> Result<f64, Error> {
        if !x.is_finite() {
            return Err(Error::NonFinitePoint(x));
        }
        self.estimate(f, x, self.step(x))
    }
}

/// The forward difference $\frac{f(x+h) - f(x)}{h} = f'(x) + \frac{h}{2} f''(x) + O(h^2)$.
///
/// Two evaluations; truncation error $O(h)$; best $h \approx \sqrt\varepsilon\,\max(|x|, 1)$.
///
/// # Errors
///
/// [`Error::NonFinitePoint`] if `x` is not finite; [`Error::InvalidStep`] if `h` is not finite
/// and positive; [`Error::StepVanishes`] if $x + h$ or $x - h$ rounds to $x$;
/// [`Error::NonFiniteValue`]
/// if `f` returns a non-finite value.
///
/// # Example
///
/// ```
/// use chain_rule::finite_difference::forward;
///
/// // f(x) = x², f'(3) = 6; the truncation error is exactly h f''/2 = h.
/// let estimate = forward(|x| x * x, 3.0, 1e-3)?;
/// assert!((estimate - 6.001).abs() < 1e-9);
/// # Ok::<(), chain_rule::Error>(())
/// ```
pub fn forward(mut f: impl FnMut(f64) -> f64, x: f64, h: f64) -> Result<f64, Error> {
    check(x, h)?;
    Ok((value(&mut f, x + h)? - value(&mut f, x)?) / h)
}

/// The central difference $\frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4)$.
///
/// The even terms of the two Taylor series cancel, which is why one more evaluation's worth
/// of symmetry buys a whole order.
/// Two evaluations; truncation error $O(h^2)$; best $h \approx \varepsilon^{1/3}\max(|x|, 1)$.
///
/// # Errors
///
/// As [`forward`].
///
/// # Example
///
/// ```
/// use chain_rule::finite_difference::central;
///
/// // f(x) = x³, f'(2) = 12; the truncation error is exactly h² f'''/6 = h².
/// let estimate = central(|x| x * x * x, 2.0, 1e-3)?;
/// assert!((estimate - (12.0 + 1e-6)).abs() < 1e-9);
/// # Ok::<(), chain_rule::Error>(())
/// ```
pub fn central(mut f: impl FnMut(f64) -> f64, x: f64, h: f64) -> Result<f64, Error> {
    check(x, h)?;
    Ok((value(&mut f, x + h)? - value(&mut f, x - h)?) / (2.0 * h))
}

/// Richardson extrapolation of the central difference $D$:
///
/// $$ R(h) = \frac{4 D(h/2) - D(h)}{3} = f'(x) - \frac{h^4}{480} f^{(5)}(x) + O(h^6) $$
///
/// Plain text: `R(h) = (4 D(h/2) - D(h)) / 3`. Since $D(h) = f' + c h^2 + O(h^4)$ with
/// $c = f'''/6$, the combination cancels the $h^2$ term.
/// Four evaluations; truncation error $O(h^4)$; best $h \approx \varepsilon^{1/5}\max(|x|, 1)$.
///
/// # Errors
///
/// As [`central`], for $h$ and $h/2$.
///
/// # Example
///
/// ```
/// use chain_rule::finite_difference::richardson;
///
/// // A cubic has f''''' = 0: Richardson is exact up to rounding, even with a large h.
/// let estimate = richardson(|x| x * x * x, 2.0, 0.5)?;
/// assert!((estimate - 12.0).abs() < 1e-12);
/// # Ok::<(), chain_rule::Error>(())
/// ```
pub fn richardson(mut f: impl FnMut(f64) -> f64, x: f64, h: f64) -> Result<f64, Error> {
    let coarse = central(&mut f, x, h)?;
    let fine = central(&mut f, x, h / 2.0)?;
    Ok((4.0 * fine - coarse) / 3.0)
}

fn check(x: f64, h: f64) -> Result<(), Error> {
    if !x.is_finite() {
        return Err(Error::NonFinitePoint(x));
    }
    // `!(h > 0)` rather than `h <= 0` so that NaN is rejected too.
    if !(h.is_finite() && h > 0.0) {
        return Err(Error::InvalidStep(h));
    }
    if (x + h) - x == 0.0 || x - (x - h) == 0.0 {
        return Err(Error::StepVanishes { x, h });
    }
    Ok(())
}

fn value(f: &mut impl FnMut(f64) -> f64, x: f64) -> Result<f64, Error> {
    let y = f(x);
    if y.is_finite() {
        Ok(y)
    } else {
        Err(Error::NonFiniteValue { x, value: y })
    }
}
