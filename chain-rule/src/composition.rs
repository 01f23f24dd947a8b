//! The chain rule by hand: compose $n$ elementary functions and multiply their local
//! derivatives, with every intermediate quantity kept.
//!
//! A chain $y = f_n(f_{n-1}(\cdots f_1(x)))$ names its inner values
//! $u_0 = x$, $u_k = f_k(u_{k-1})$, $y = u_n$.
//! The chain rule says the derivative is the product of the local factors:
//!
//! $$ \frac{dy}{dx} = \prod_{k=1}^{n} \frac{du_k}{du_{k-1}} = \prod_{k=1}^{n} f_k'(u_{k-1}) $$
//!
//! Plain text: `dy/dx = du_n/du_(n-1) * ... * du_2/du_1 * du_1/dx`, each factor evaluated at the
//! inner value that feeds it.
//! For $n = 2$ this is the familiar $\frac{dy}{dx} = \frac{dy}{du}\frac{du}{dx}$.
//!
//! [`Derivation`] keeps every $u_k$ and every factor, and its `Display` prints the steps of the
//! course's worked example: find each local derivative, apply the chain rule, plug in, and
//! substitute the inner functions back in terms of $x$.

use std::fmt;

use crate::elementary::{Elementary, Formula, Precedence};
use crate::{Error, Real};

/// A composition $f_n \circ \cdots \circ f_1$ of elementary functions, innermost first.
///
/// # Example
///
/// ```
/// use chain_rule::composition::Chain;
/// use chain_rule::elementary::Elementary;
///
/// // y = u², u = 3x + 1.
/// let chain = Chain::new(vec![Elementary::Affine { a: 3.0, b: 1.0 }, Elementary::Powi(2)])?;
/// let steps = chain.derive(2.0)?;
/// approx::assert_relative_eq!(steps.inner_values(), &[2.0, 7.0, 49.0][..]); // x, u, y
/// approx::assert_relative_eq!(steps.local_factors(), &[3.0, 14.0][..]); // du/dx, dy/du
/// approx::assert_relative_eq!(steps.derivative(), 42.0); // 14 · 3
/// # Ok::<(), chain_rule::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    functions: Vec<Elementary>,
}

/// The chain rule worked out at one point: every inner value, every local factor and their
/// product.
///
/// Made by [`Chain::derive`]. `Display` prints the steps; a precision, as in `{:.4}`, applies
/// to every number printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    chain: Chain,
    inner_values: Vec<f64>,
    local_factors: Vec<f64>,
    derivative: f64,
}

impl Chain {
    /// The composition of `functions`, innermost first: `[f_1, f_2]` is $f_2(f_1(x))$.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyChain`] if `functions` is empty; [`Error::InvalidParameter`] if a
    /// function's parameter is not finite.
    pub fn new(functions: Vec<Elementary>) -> Result<Self, Error> {
        if functions.is_empty() {
            return Err(Error::EmptyChain);
        }
        for function in &functions {
            function.validate()?;
        }
        Ok(Self { functions })
    }

    /// The functions, innermost first.
    pub fn functions(&self) -> &[Elementary] {
        &self.functions
    }

    /// The number $n$ of functions composed.
    pub fn len(&self) -> usize {
        self.functions.len()
    }

    /// Always `false`: a chain has at least one function.
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
    }

    /// The value $y = f_n(\cdots f_1(x))$, in any [`Real`]: on [`Dual`](crate::Dual) or
    /// [`Var`](crate::Var) this differentiates the chain automatically.
    ///
    /// # Errors
    ///
    /// [`Error::Domain`] if an inner value leaves the domain of the function it feeds.
    pub fn eval<T: Real>(&self, x: T) -> Result<T, Error> {
        self.functions
            .iter()
            .try_fold(x, |u, function| function.eval(u))
    }

    /// The derivative $dy/dx$ by the chain rule: the product of the local factors
    /// $f_k'(u_{k-1})$, in any [`Real`].
    ///
    /// # Errors
    ///
    /// As [`Chain::eval`], and [`Error::ChainOverflow`] as for [`Chain::derive`] (judged on
    /// the `f64` value of each quantity).
    pub fn derivative<T: Real>(&self, x: T) -> Result<T, Error> {
        let mut u = x;
        let mut product = T::one();
        for function in &self.functions {
            product *= function.derivative(u)?;
            u = function.eval(u)?;
        }
        if product.to_f64().is_finite() {
            Ok(product)
        } else {
            Err(self.overflow(x)?)
        }
    }

    /// Work the chain rule out at `x`, keeping every intermediate quantity.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinitePoint`] if `x` is not finite; [`Error::Domain`] if an inner value
    /// leaves the domain of the function it feeds; [`Error::ChainOverflow`] if the
    /// derivative is not finite, naming the first function whose local factor or value is
    /// not finite in `f64` and its input (`exp` beyond 709.8, say), or else the product of
    /// the factors: `ln(exp(x))` at `x = 1000` would otherwise report the derivative
    /// $0 \cdot \infty$ = NaN instead of 1. An infinite inner value whose chain still has a
    /// finite derivative (a sigmoid of $x^2$ at $x = 10^{200}$: $0$) is not an error, since
    /// that derivative is the limit the IEEE arithmetic computes.
    pub fn derive(&self, x: f64) -> Result<Derivation, Error> {
        if !x.is_finite() {
            return Err(Error::NonFinitePoint(x));
        }
        let mut inner_values = Vec::with_capacity(self.len() + 1);
        let mut local_factors = Vec::with_capacity(self.len());
        inner_values.push(x);
        let mut u = x;
        for function in &self.functions {
            local_factors.push(function.derivative(u)?);
            u = function.eval(u)?;
            inner_values.push(u);
        }
        let derivative: f64 = local_factors.iter().product();
        if !derivative.is_finite() {
            return Err(self.overflow(x)?);
        }
        Ok(Derivation {
            chain: self.clone(),
            inner_values,
            local_factors,
            derivative,
        })
    }

    /// Why the derivative at `x` is not finite (only called when it is not, so the cost of
    /// the checks stays off the path that succeeds): the first function, in order, whose
    /// local factor or value is not finite, with its input, or else the product. (The walk
    /// repeats the pass that just succeeded, so its own errors cannot occur; they pass through.)
    fn overflow<T: Real>(&self, x: T) -> Result<Error, Error> {
        let mut u = x;
        let mut product = T::one();
        for function in &self.functions {
            let (factor, next) = (function.derivative(u)?, function.eval(u)?);
            for value in [factor, next] {
                if !value.to_f64().is_finite() {
                    return Ok(Error::ChainOverflow {
                        function: function.name(),
                        input: u.to_f64(),
                        value: value.to_f64(),
                    });
                }
            }
            product *= factor;
            u = next;
        }
        Ok(Error::ChainOverflow {
            function: "the product of the local factors",
            input: x.to_f64(),
            value: product.to_f64(),
        })
    }

    /// The names used when printing: `x`, the inner variables, then `y`.
    ///
    /// Like the article: one inner variable is $u$; two are $v$ (inner) and $u$; three are
    /// $w, v, u$; more are $u_1, \dots, u_{n-1}$.
    pub fn variable_names(&self) -> Vec<String> {
        let n_inner = self.len() - 1;
        let mut names = vec!["x".to_string()];
        if n_inner <= 3 {
            names.extend(
                ["w", "v", "u"][3 - n_inner..]
                    .iter()
                    .map(|s| (*s).to_string()),
            );
        } else {
            names.extend((1..=n_inner).map(|k| format!("u{k}")));
        }
        names.push("y".to_string());
        names
    }

    /// The whole chain as one formula in $x$, for example `(3x + 1)^2`.
    pub fn formula(&self) -> String {
        self.formulas_in_x()
            .pop()
            .map(|f| f.text)
            .unwrap_or_default()
    }

    /// $u_0 = x, u_1, \dots, u_n$ as formulas in $x$.
    fn formulas_in_x(&self) -> Vec<Formula> {
        let mut formulas = vec![Formula::atom("x".to_string())];
        for function in &self.functions {
            let inner = &formulas[formulas.len() - 1];
            let next = function.formula_expr(inner);
            formulas.push(next);
        }
        formulas
    }
}

impl Derivation {
    /// The chain that was differentiated.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// $u_0 = x, u_1, \dots, u_n = y$: the value entering each function, then the output.
    pub fn inner_values(&self) -> &[f64] {
        &self.inner_values
    }

    /// The local factors $du_k/du_{k-1} = f_k'(u_{k-1})$ for $k = 1, \dots, n$.
    pub fn local_factors(&self) -> &[f64] {
        &self.local_factors
    }

    /// The point $x$.
    pub fn x(&self) -> f64 {
        self.inner_values[0]
    }

    /// The output $y = u_n$.
    pub fn output(&self) -> f64 {
        self.inner_values[self.inner_values.len() - 1]
    }

    /// $dy/dx$, the product of the local factors.
    pub fn derivative(&self) -> f64 {
        self.derivative
    }
}

impl fmt::Display for Derivation {
    /// Prints the steps, for `y = u^2, u = 3x + 1` at `x = 2`:
    ///
    /// ```text
    /// y = u^2, u = 3x + 1
    /// step 1: find du/dx = 3
    /// step 2: find dy/du = 2u
    /// step 3: apply the chain rule: dy/dx = dy/du · du/dx
    /// step 4: plug in what we found: dy/dx = 2u · 3
    /// step 5: replace u with its function of x: dy/dx = 2(3x + 1) · 3
    /// at x = 2: u = 7, y = 49
    ///   du/dx = 3, dy/du = 14
    ///   dy/dx = 14 · 3 = 42
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let functions = self.chain.functions();
        let names = self.chain.variable_names();
        let n = functions.len();
        let precision = f.precision();
        let number = |value: f64| match precision {
            Some(precision) => format!("{value:.precision$}"),
            None => value.to_string(),
        };
        let ratio = |k: usize| format!("d{}/d{}", names[k + 1], names[k]);

        // The definitions, outermost first, as the article writes them.
        let definitions: Vec<String> = (0..n)
            .rev()
            .map(|k| format!("{} = {}", names[k + 1], functions[k].formula(&names[k])))
            .collect();
        writeln!(f, "{}", definitions.join(", "))?;

        // One step per local derivative, innermost first.
        for k in 0..n {
            writeln!(
                f,
                "step {}: find {} = {}",
                k + 1,
                ratio(k),
                functions[k].derivative_formula(&names[k])
            )?;
        }
        let ratios: Vec<String> = (0..n).rev().map(ratio).collect();
        writeln!(
            f,
            "step {}: apply the chain rule: dy/dx = {}",
            n + 1,
            ratios.join(" · ")
        )?;
        let factors_in_names: Vec<String> = (0..n)
            .rev()
            .map(|k| {
                functions[k]
                    .derivative_formula_expr(&Formula::parse(&names[k]))
                    .wrapped(Precedence::Product)
            })
            .collect();
        writeln!(
            f,
            "step {}: plug in what we found: dy/dx = {}",
            n + 2,
            factors_in_names.join(" · ")
        )?;
        if n > 1 {
            let in_x = self.chain.formulas_in_x();
            let factors_in_x: Vec<String> = (0..n)
                .rev()
                .map(|k| {
                    functions[k]
                        .derivative_formula_expr(&in_x[k])
                        .wrapped(Precedence::Product)
                })
                .collect();
            let inner_names = names[1..n].iter().rev().cloned().collect::<Vec<_>>();
            writeln!(
                f,
                "step {}: replace {} with {} of x: dy/dx = {}",
                n + 3,
                inner_names.join(", "),
                if n == 2 {
                    "its function"
                } else {
                    "their functions"
                },
                factors_in_x.join(" · ")
            )?;
        }

        // The numbers.
        let values: Vec<String> = (1..=n)
            .map(|k| format!("{} = {}", names[k], number(self.inner_values[k])))
            .collect();
        writeln!(f, "at x = {}: {}", self.x(), values.join(", "))?;
        let factors: Vec<String> = (0..n)
            .map(|k| format!("{} = {}", ratio(k), number(self.local_factors[k])))
            .collect();
        writeln!(f, "  {}", factors.join(", "))?;
        let product: Vec<String> = (0..n)
            .rev()
            .map(|k| number(self.local_factors[k]))
            .collect();
        write!(
            f,
            "  dy/dx = {} = {}",
            product.join(" · "),
            number(self.derivative)
        )
    }
}
