//! The elementary functions a chain is built from, each next to its derivative.
//!
//! Every function is generic over [`Real`], so it runs on `f32` and `f64` in the hot loops of
//! later crates, and on [`Dual`](crate::Dual) and [`Var`](crate::Var) to be differentiated
//! automatically; the hand-written `*_derivative` next to it is what those are tested
//! against.
//! All are `#[inline]`, allocate nothing and are stable for every finite input: sigmoid,
//! tanh and softplus return finite, accurate values at $x = \pm 1000$ (where a naive
//! $1/(1 + e^{-x})$ or $\ln(1 + e^x)$ would overflow).
//!
//! The partial functions [`ln`] and [`powf`] return [`Error::Domain`] outside their domain
//! instead of NaN.
//! At the kink $x = 0$ the ReLU-like derivatives follow `PyTorch`: [`relu_derivative`] is 0
//! there and [`leaky_relu_derivative`] is the slope.
//!
//! [`tanh_derivative_from_output`] and [`sigmoid_derivative_from_output`] give the same
//! derivatives from the function's value $a$ instead of $x$ ($1 - a^2$ and $a(1 - a)$), the
//! form a backward pass uses when it has stored $a$; they lose relative accuracy in the tails.
//! [`crate::fast`] has `f32` forms of tanh and the sigmoid that the compiler vectorises, for
//! the same hot loops.
//!
//! [`Elementary`] describes one of these functions as data, for [`crate::composition`], for
//! printing formulas and for random expression trees in the tests.

use std::fmt;

use crate::{Error, Real};

/// The identity $f(x) = x$.
#[inline]
pub fn identity<T: Real>(x: T) -> T {
    x
}

/// $\frac{d}{dx} x = 1$.
#[inline]
pub fn identity_derivative<T: Real>(_x: T) -> T {
    T::one()
}

/// The affine map $f(x) = a x + b$.
#[inline]
pub fn affine<T: Real>(x: T, a: T, b: T) -> T {
    a * x + b
}

/// $\frac{d}{dx}(a x + b) = a$.
#[inline]
pub fn affine_derivative<T: Real>(_x: T, a: T) -> T {
    a
}

/// The integer power $f(x) = x^n$.
#[inline]
pub fn powi<T: Real>(x: T, n: i32) -> T {
    x.powi(n)
}

/// $\frac{d}{dx} x^n = n x^{n-1}$ (and 0 for $n = 0$, also at $x = 0$).
#[inline]
pub fn powi_derivative<T: Real>(x: T, n: i32) -> T {
    match n {
        0 => T::zero(),
        _ => T::from_f64(f64::from(n)) * crate::dual::power_minus_one(x, n),
    }
}

/// The real power $f(x) = x^p$, defined here for $x > 0$.
///
/// # Errors
///
/// [`Error::Domain`] if $x \le 0$ or $x$ is NaN (a real power of a negative number is not
/// real for most $p$); [`Error::InvalidParameter`] if $p$ is not finite.
#[inline]
pub fn powf<T: Real>(x: T, p: T) -> Result<T, Error> {
    check_powf(x, p)?;
    Ok(x.powf(p))
}

/// $\frac{d}{dx} x^p = p x^{p-1}$, for $x > 0$.
///
/// # Errors
///
/// As [`powf`].
#[inline]
pub fn powf_derivative<T: Real>(x: T, p: T) -> Result<T, Error> {
    check_powf(x, p)?;
    Ok(p * x.powf(p - T::one()))
}

/// The exponential $f(x) = e^x$ (overflows to infinity above $x \approx 709.78$ in `f64`, as
/// the true value does not fit).
#[inline]
pub fn exp<T: Real>(x: T) -> T {
    x.exp()
}

/// $\frac{d}{dx} e^x = e^x$.
#[inline]
pub fn exp_derivative<T: Real>(x: T) -> T {
    x.exp()
}

/// The natural logarithm $f(x) = \ln x$, for $x > 0$.
///
/// # Errors
///
/// [`Error::Domain`] if $x \le 0$ or $x$ is NaN.
#[inline]
pub fn ln<T: Real>(x: T) -> Result<T, Error> {
    check_positive("ln", x)?;
    Ok(x.ln())
}

/// $\frac{d}{dx} \ln x = 1/x$, for $x > 0$.
///
/// # Errors
///
/// As [`ln`].
#[inline]
pub fn ln_derivative<T: Real>(x: T) -> Result<T, Error> {
    check_positive("ln", x)?;
    Ok(T::one() / x)
}

/// $f(x) = \sin x$.
#[inline]
pub fn sin<T: Real>(x: T) -> T {
    x.sin()
}

/// $\frac{d}{dx} \sin x = \cos x$.
#[inline]
pub fn sin_derivative<T: Real>(x: T) -> T {
    x.cos()
}

/// $f(x) = \cos x$.
#[inline]
pub fn cos<T: Real>(x: T) -> T {
    x.cos()
}

/// $\frac{d}{dx} \cos x = -\sin x$.
#[inline]
pub fn cos_derivative<T: Real>(x: T) -> T {
    -x.sin()
}

/// The hyperbolic tangent $f(x) = \tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}$, in $(-1, 1)$.
#[inline]
pub fn tanh<T: Real>(x: T) -> T {
    x.tanh()
}

/// $\frac{d}{dx} \tanh x = 1 - \tanh^2 x = \operatorname{sech}^2 x$.
///
/// Computed as $\frac{4 e}{(1 + e)^2}$ with $e = e^{-2|x|}$, which is the same number
/// ($\operatorname{sech} x = \frac{2}{e^x + e^{-x}}$) but keeps its relative accuracy in the
/// tails: at $x = 20$, $1 - \tanh^2 x$ would subtract two numbers that agree to 17 digits.
/// The formula is even in $x$, so differentiating it (for $\tanh''$) is also right at 0.
#[inline]
pub fn tanh_derivative<T: Real>(x: T) -> T {
    let e = (T::from_f64(-2.0) * x.abs()).exp();
    let one_plus_e = T::one() + e;
    T::from_f64(4.0) * e / (one_plus_e * one_plus_e)
}

/// $\tanh'$ in terms of the function's value: $1 - a^2$, given $a = \tanh x$.
///
/// $$ \frac{d}{dx} \tanh x = 1 - \tanh^2 x = 1 - a^2 $$
///
/// Plain text: `d tanh(x)/dx = 1 - a^2` with `a = tanh(x)`.
/// The backward pass of a network has $a$ stored from the forward pass, so this costs one
/// multiplication and one subtraction and no exponential; it is what `PyTorch`'s
/// `tanh_backward` computes.
///
/// Accuracy: an error $\delta a$ in $a$ becomes an error of about $2|a|\,\delta a$ in the
/// result, plus two roundings.
/// That is small next to 1, but not next to the result in the tails: $1 - a^2$ subtracts two
/// nearly equal numbers there, and the relative error grows like $\sinh^2 x$.
/// In `f64`, $\tanh 20$ rounds to exactly 1, so this returns 0 where [`tanh_derivative`]
/// returns $4e^{-40} \approx 1.7 \times 10^{-17}$.
/// Use [`tanh_derivative`] when $x$ is at hand and the tails matter.
///
/// ```
/// use chain_rule::elementary::{tanh, tanh_derivative, tanh_derivative_from_output};
///
/// let x = 0.5_f64;
/// let by_output = tanh_derivative_from_output(tanh(x));
/// assert!((by_output - tanh_derivative(x)).abs() < 1e-15);
/// ```
#[inline]
pub fn tanh_derivative_from_output<T: Real>(a: T) -> T {
    T::one() - a * a
}

// ANCHOR: sigmoid
/// The logistic sigmoid $\sigma(x) = \frac{1}{1 + e^{-x}}$, in $(0, 1)$.
///
/// Computed as $1/(1 + e^{-x})$ for $x \ge 0$ and as $e^x/(1 + e^x)$ for $x < 0$, so the
/// exponential never overflows (at $x = -1000$ the naive form would compute $1/(1 + \infty)$,
/// harmless, but $e^{1000}/(1 + e^{1000})$ would be $\infty/\infty$ = NaN).
/// Both branches are the same smooth function, so differentiating through either (with duals
/// or the tape) gives the true derivative, also at $x = 0$.
#[inline]
pub fn sigmoid<T: Real>(x: T) -> T {
    if x >= T::zero() {
        T::one() / (T::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

/// $\sigma'(x) = \sigma(x)\,(1 - \sigma(x)) = \sigma(x)\,\sigma(-x)$.
///
/// From $\sigma = (1 + e^{-x})^{-1}$: $\sigma' = e^{-x} (1 + e^{-x})^{-2} = \sigma \cdot \frac{e^{-x}}{1 + e^{-x}} = \sigma (1 - \sigma)$.
/// Computed as $\frac{e}{(1 + e)^2}$ with $e = e^{-|x|}$ (the formula is even in $x$): one
/// exponential, no overflow, and full relative accuracy in both tails; for large positive
/// $x$, $\sigma(1 - \sigma)$ would compute $1 - \sigma$ as a difference of nearly equal
/// numbers.
#[inline]
pub fn sigmoid_derivative<T: Real>(x: T) -> T {
    let e = (-x.abs()).exp();
    let one_plus_e = T::one() + e;
    e / (one_plus_e * one_plus_e)
}

// ANCHOR_END: sigmoid

/// $\sigma'$ in terms of the function's value: $a(1 - a)$, given $a = \sigma(x)$.
///
/// $$ \sigma'(x) = \sigma(x)\,(1 - \sigma(x)) = a(1 - a) $$
///
/// Plain text: `sigmoid'(x) = a (1 - a)` with `a = sigmoid(x)`.
/// This is the factor $\hat y(1 - \hat y)$ of the perceptron's gradient: the backward pass
/// has $a$ stored from the forward pass, so it costs a subtraction and a multiplication and no
/// exponential; it is what `PyTorch`'s `sigmoid_backward` computes.
///
/// Accuracy: an error $\delta a$ in $a$ becomes an error of about $|1 - 2a|\,\delta a$ in the
/// result, plus two roundings.
/// For $x \ll 0$ that is fine ($a$ is small and $1 - a$ exact), but for $x \gg 0$ the factor
/// $1 - a$ subtracts two nearly equal numbers and the relative error grows like $e^{x}$:
/// in `f64`, $\sigma(40)$ rounds to exactly 1 and this returns 0 where
/// [`sigmoid_derivative`] returns $e^{-40} \approx 4.2 \times 10^{-18}$.
/// Use [`sigmoid_derivative`] when $x$ is at hand and the tails matter.
///
/// ```
/// use chain_rule::elementary::{sigmoid, sigmoid_derivative, sigmoid_derivative_from_output};
///
/// let x = 0.5_f64;
/// let by_output = sigmoid_derivative_from_output(sigmoid(x));
/// assert!((by_output - sigmoid_derivative(x)).abs() < 1e-15);
/// ```
#[inline]
pub fn sigmoid_derivative_from_output<T: Real>(a: T) -> T {
    a * (T::one() - a)
}

/// The rectifier $\operatorname{relu}(x) = \max(x, 0)$; NaN stays NaN, as in `PyTorch`, so a
/// diverged value is not hidden behind a 0.
#[inline]
pub fn relu<T: Real>(x: T) -> T {
    // `x <= 0` is false for NaN, which then passes through; `x > 0` would turn it into 0.
    if x <= T::zero() { T::zero() } else { x }
}

/// $\operatorname{relu}'(x) = 1$ for $x > 0$, else 0 (0 at the kink, as in `PyTorch`).
#[inline]
pub fn relu_derivative<T: Real>(x: T) -> T {
    if x > T::zero() { T::one() } else { T::zero() }
}

/// The leaky rectifier: $x$ for $x > 0$, else $\text{slope} \cdot x$.
#[inline]
pub fn leaky_relu<T: Real>(x: T, slope: T) -> T {
    if x > T::zero() { x } else { slope * x }
}

/// The derivative of [`leaky_relu`]: 1 for $x > 0$, else `slope` (the slope at the kink, as
/// in `PyTorch`).
#[inline]
pub fn leaky_relu_derivative<T: Real>(x: T, slope: T) -> T {
    if x > T::zero() { T::one() } else { slope }
}

// ANCHOR: softplus
/// The softplus $\operatorname{softplus}(x) = \ln(1 + e^x)$, a smooth ReLU.
///
/// Computed as $x + \ln(1 + e^{-x})$ for $x > 0$ and as $\ln(1 + e^x)$ otherwise (with an
/// accurate $\ln(1 + \cdot)$), so $e^x$ never overflows, $\operatorname{softplus}(1000) = 1000$,
/// and small values keep their digits: $\operatorname{softplus}(-40) \approx e^{-40} \approx
/// 4.25 \cdot 10^{-18}$, where $\ln(1 + e^x)$ written out rounds $1 + e^{-40}$ to 1 and gives 0.
/// Both branches are the same smooth function, so automatic differentiation through them is
/// exact, also at 0.
#[inline]
pub fn softplus<T: Real>(x: T) -> T {
    if x > T::zero() {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

// ANCHOR_END: softplus

/// $\operatorname{softplus}'(x) = \frac{e^x}{1 + e^x} = \sigma(x)$.
#[inline]
pub fn softplus_derivative<T: Real>(x: T) -> T {
    sigmoid(x)
}

/// One elementary function as data: what [`crate::composition::Chain`] composes, what the
/// steps print, what random expression trees are made of.
///
/// [`Elementary::eval`] and [`Elementary::derivative`] call the functions of this module.
/// Parameters are `f64`; they must be finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Elementary {
    /// $x$ (see [`identity`]).
    Identity,
    /// $a x + b$ (see [`affine`]).
    Affine {
        /// The slope $a$.
        a: f64,
        /// The offset $b$.
        b: f64,
    },
    /// $x^n$ (see [`powi`]).
    Powi(i32),
    /// $x^p$ for $x > 0$ (see [`powf`]).
    Powf(f64),
    /// $e^x$ (see [`exp`]).
    Exp,
    /// $\ln x$ for $x > 0$ (see [`ln`]).
    Ln,
    /// $\sin x$ (see [`sin`]).
    Sin,
    /// $\cos x$ (see [`cos`]).
    Cos,
    /// $\tanh x$ (see [`tanh`]).
    Tanh,
    /// $\sigma(x)$ (see [`sigmoid`]).
    Sigmoid,
    /// $\max(x, 0)$ (see [`relu`]).
    Relu,
    /// $x$ or $\text{slope} \cdot x$ (see [`leaky_relu`]).
    LeakyRelu {
        /// The slope for $x \le 0$.
        slope: f64,
    },
    /// $\ln(1 + e^x)$ (see [`softplus`]).
    Softplus,
}

impl Elementary {
    /// The function's name, as used in messages (`"sigmoid"`, `"leaky_relu"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Affine { .. } => "affine",
            Self::Powi(_) => "powi",
            Self::Powf(_) => "powf",
            Self::Exp => "exp",
            Self::Ln => "ln",
            Self::Sin => "sin",
            Self::Cos => "cos",
            Self::Tanh => "tanh",
            Self::Sigmoid => "sigmoid",
            Self::Relu => "relu",
            Self::LeakyRelu { .. } => "leaky_relu",
            Self::Softplus => "softplus",
        }
    }

    /// Where the function is defined, as a condition on `x` (`"all x"` or `"x > 0"`).
    pub fn domain(self) -> &'static str {
        match self {
            Self::Ln | Self::Powf(_) => "x > 0",
            _ => "all x",
        }
    }

    /// The point where the function is continuous but not differentiable, if any
    /// (`Some(0.0)` for ReLU and leaky ReLU).
    pub fn kink(self) -> Option<f64> {
        match self {
            Self::Relu | Self::LeakyRelu { .. } => Some(0.0),
            _ => None,
        }
    }

    /// Check the parameters: $a$, $b$, $p$ and the slope must be finite.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the parameter.
    pub fn validate(self) -> Result<(), Error> {
        let check = |parameter: &'static str, value: f64| {
            if value.is_finite() {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    function: self.name(),
                    parameter,
                    value,
                    allowed: "finite",
                })
            }
        };
        match self {
            Self::Affine { a, b } => check("a", a).and(check("b", b)),
            Self::Powf(p) => check("p", p),
            Self::LeakyRelu { slope } => check("slope", slope),
            _ => Ok(()),
        }
    }

    /// The function's value $f(x)$.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a non-finite parameter, [`Error::Domain`] for $x$
    /// outside the domain of [`ln`] or [`powf`].
    #[inline]
    pub fn eval<T: Real>(self, x: T) -> Result<T, Error> {
        self.validate()?;
        Ok(match self {
            Self::Identity => identity(x),
            Self::Affine { a, b } => affine(x, T::from_f64(a), T::from_f64(b)),
            Self::Powi(n) => powi(x, n),
            Self::Powf(p) => powf(x, T::from_f64(p))?,
            Self::Exp => exp(x),
            Self::Ln => ln(x)?,
            Self::Sin => sin(x),
            Self::Cos => cos(x),
            Self::Tanh => tanh(x),
            Self::Sigmoid => sigmoid(x),
            Self::Relu => relu(x),
            Self::LeakyRelu { slope } => leaky_relu(x, T::from_f64(slope)),
            Self::Softplus => softplus(x),
        })
    }

    /// The derivative $f'(x)$, from the hand-written `*_derivative` functions.
    ///
    /// # Errors
    ///
    /// As [`Elementary::eval`].
    #[inline]
    pub fn derivative<T: Real>(self, x: T) -> Result<T, Error> {
        self.validate()?;
        Ok(match self {
            Self::Identity => identity_derivative(x),
            Self::Affine { a, .. } => affine_derivative(x, T::from_f64(a)),
            Self::Powi(n) => powi_derivative(x, n),
            Self::Powf(p) => powf_derivative(x, T::from_f64(p))?,
            Self::Exp => exp_derivative(x),
            Self::Ln => ln_derivative(x)?,
            Self::Sin => sin_derivative(x),
            Self::Cos => cos_derivative(x),
            Self::Tanh => tanh_derivative(x),
            Self::Sigmoid => sigmoid_derivative(x),
            Self::Relu => relu_derivative(x),
            Self::LeakyRelu { slope } => leaky_relu_derivative(x, T::from_f64(slope)),
            Self::Softplus => softplus_derivative(x),
        })
    }

    /// The formula $f(\text{arg})$ as text, for example `"(3x + 1)^2"` for `Powi(2)` applied
    /// to `"3x + 1"`; parentheses are added where precedence needs them.
    pub fn formula(self, arg: &str) -> String {
        self.formula_expr(&Formula::parse(arg)).text
    }

    /// The derivative's formula $f'(\text{arg})$ as text, for example `"2(3x + 1)"` for
    /// `Powi(2)` applied to `"3x + 1"`.
    ///
    /// `step(u)` stands for 1 if $u > 0$, else 0.
    pub fn derivative_formula(self, arg: &str) -> String {
        self.derivative_formula_expr(&Formula::parse(arg)).text
    }

    pub(crate) fn formula_expr(self, u: &Formula) -> Formula {
        match self {
            Self::Identity => u.clone(),
            Self::Affine { a, b } => {
                let scaled = Formula::scaled(a, u);
                if b == 0.0 {
                    scaled
                } else if a == 0.0 {
                    Formula::number(b)
                } else if b < 0.0 {
                    Formula::sum(format!("{} - {}", scaled.text, -b))
                } else {
                    Formula::sum(format!("{} + {b}", scaled.text))
                }
            }
            Self::Powi(n) => Formula::power(u, &n.to_string()),
            Self::Powf(p) => Formula::power(u, &p.to_string()),
            Self::Exp => Formula::call("exp", u),
            Self::Ln => Formula::call("ln", u),
            Self::Sin => Formula::call("sin", u),
            Self::Cos => Formula::call("cos", u),
            Self::Tanh => Formula::call("tanh", u),
            Self::Sigmoid => Formula::call("sigmoid", u),
            Self::Relu => Formula::call("relu", u),
            Self::LeakyRelu { slope } => Formula::atom(format!("leaky_relu({}, {slope})", u.text)),
            Self::Softplus => Formula::atom(format!("ln(1 + exp({}))", u.text)),
        }
    }

    pub(crate) fn derivative_formula_expr(self, u: &Formula) -> Formula {
        match self {
            Self::Identity | Self::Powi(1) => Formula::number(1.0),
            Self::Affine { a, .. } => Formula::number(a),
            Self::Powi(0) => Formula::number(0.0),
            Self::Powi(2) => Formula::scaled(2.0, u),
            Self::Powi(n) => Formula::scaled(
                f64::from(n),
                &Formula::power(u, &(i64::from(n) - 1).to_string()),
            ),
            Self::Powf(p) => Formula::scaled(p, &Formula::power(u, &(p - 1.0).to_string())),
            Self::Exp => Formula::call("exp", u),
            Self::Ln => Formula::product(format!("1/{}", u.wrapped(Precedence::Atom))),
            Self::Sin => Formula::call("cos", u),
            Self::Cos => Formula::product(format!("-sin({})", u.text)),
            Self::Tanh => Formula::sum(format!("1 - tanh({})^2", u.text)),
            Self::Sigmoid => Formula::product(format!("sigmoid({0})(1 - sigmoid({0}))", u.text)),
            Self::Relu => Formula::call("step", u),
            Self::LeakyRelu { slope } => {
                Formula::atom(format!("(1 if {} > 0, else {slope})", u.text))
            }
            Self::Softplus => Formula::call("sigmoid", u),
        }
    }
}

impl fmt::Display for Elementary {
    /// The formula in `x`, for example `3x + 1` or `sin(x)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formula("x"))
    }
}

#[inline]
fn check_positive<T: Real>(function: &'static str, x: T) -> Result<(), Error> {
    // `!(x > 0)` rather than `x <= 0` so that NaN is rejected too.
    if x > T::zero() {
        Ok(())
    } else {
        Err(Error::Domain {
            function,
            input: x.to_f64(),
            domain: "x > 0",
        })
    }
}

#[inline]
fn check_powf<T: Real>(x: T, p: T) -> Result<(), Error> {
    let p = p.to_f64();
    if !p.is_finite() {
        return Err(Error::InvalidParameter {
            function: "powf",
            parameter: "p",
            value: p,
            allowed: "finite",
        });
    }
    check_positive("powf", x)
}

/// How tightly a formula binds, to decide where parentheses go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Precedence {
    /// `a + b`, `a - b`.
    Sum,
    /// `2u`, `-sin(u)`, `1/u`, `a · b`.
    Product,
    /// `u^2`.
    Power,
    /// `x`, `7`, `sin(u)`, `( ... )`.
    Atom,
}

/// A formula as text with its precedence.
#[derive(Clone, Debug)]
pub(crate) struct Formula {
    pub(crate) text: String,
    pub(crate) precedence: Precedence,
}

impl Formula {
    /// Guess the precedence of plain text: a name or number is an atom, anything else is
    /// treated as a sum (the safe choice: it gets parenthesised when needed).
    pub(crate) fn parse(text: &str) -> Self {
        let is_atom = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        Self {
            text: text.to_string(),
            precedence: if is_atom {
                Precedence::Atom
            } else {
                Precedence::Sum
            },
        }
    }

    pub(crate) fn atom(text: String) -> Self {
        Self {
            text,
            precedence: Precedence::Atom,
        }
    }

    fn sum(text: String) -> Self {
        Self {
            text,
            precedence: Precedence::Sum,
        }
    }

    pub(crate) fn product(text: String) -> Self {
        Self {
            text,
            precedence: Precedence::Product,
        }
    }

    fn number(value: f64) -> Self {
        if value < 0.0 {
            Self::product(value.to_string())
        } else {
            Self::atom(value.to_string())
        }
    }

    fn call(name: &str, u: &Self) -> Self {
        Self::atom(format!("{name}({})", u.text))
    }

    fn power(u: &Self, exponent: &str) -> Self {
        Self {
            text: format!("{}^{exponent}", u.wrapped(Precedence::Atom)),
            precedence: Precedence::Power,
        }
    }

    /// `c·u` written `cu`: `3x`, `2(3x + 1)`, `-x`, `u` for `c = 1`.
    fn scaled(c: f64, u: &Self) -> Self {
        // Compare the printed text, not the float: a coefficient printed as `1` is dropped.
        let coefficient = match c.to_string().as_str() {
            "1" => String::new(),
            "-1" => "-".to_string(),
            other => other.to_string(),
        };
        if coefficient.is_empty() {
            return u.clone();
        }
        // A number right before a number would merge digits: write `2·3` instead.
        let u_text = u.wrapped(Precedence::Power);
        let separator = if u_text.starts_with(|c: char| c.is_ascii_digit()) && coefficient != "-" {
            "·"
        } else {
            ""
        };
        Self::product(format!("{coefficient}{separator}{u_text}"))
    }

    /// The text, in parentheses if it binds less tightly than `needed`.
    pub(crate) fn wrapped(&self, needed: Precedence) -> String {
        if self.precedence < needed {
            format!("({})", self.text)
        } else {
            self.text.clone()
        }
    }
}
