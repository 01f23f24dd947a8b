//! Reverse mode: a tape records every operation, then `backward` walks it once, output to
//! inputs, and hands back the derivative of the output with respect to every variable.
//!
//! Each recorded node $v_i$ stores its (at most two) parents $v_j$ and the local partial
//! derivatives $\partial v_i / \partial v_j$, evaluated during the forward pass.
//! `backward` sets the adjoint of the output to $\bar y = 1$ and, in reverse order of creation,
//! pushes each node's adjoint to its parents:
//!
//! $$ \bar v_j \mathrel{+}= \bar v_i \, \frac{\partial v_i}{\partial v_j} $$
//!
//! Plain text: `grad[j] += grad[i] * dv_i/dv_j`. This is the chain rule read from the outside
//! in, and the `+=` is the multivariable chain rule: a node used twice receives one
//! contribution per use.
//! The adjoints live in a fresh vector created by each call, so calling `backward` twice, or on
//! another output of the same tape, never double-counts.

use std::cell::RefCell;
use std::fmt;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::Real;
use crate::dual::power_minus_one;

/// A computation graph of scalar operations, recorded as they are performed.
///
/// Create input variables with [`Tape::var`], compute with them like with `f64` (they implement
/// [`Real`]), then call [`Var::backward`] on the result.
/// Values and partial derivatives are stored as `f64`.
///
/// # Example
///
/// ```
/// use chain_rule::{Real, Tape};
///
/// // f(x, y) = x y + sin(x): df/dx = y + cos(x), df/dy = x.
/// let tape = Tape::new();
/// let x = tape.var(0.5);
/// let y = tape.var(2.0);
/// let f = x * y + x.sin();
/// let grads = f.backward();
/// assert!((grads.wrt(x) - (2.0 + 0.5_f64.cos())).abs() < 1e-15);
/// assert!((grads.wrt(y) - 0.5).abs() < 1e-15);
/// ```
#[derive(Debug, Default)]
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
}

/// A scalar on a [`Tape`] (or a constant that needs no tape), usable wherever a [`Real`] is.
///
/// A `Var` is a cheap copyable handle: its value, and where it sits on its tape.
/// Constants made with [`Real::from_f64`] are not recorded at all; an operation between a
/// constant and a variable records one node on the variable's tape.
///
/// Equality and ordering compare values only, like the trait [`Real`] asks.
///
/// # Panics
///
/// An arithmetic operation between variables of two different tapes panics: one graph cannot
/// span two tapes, so this is a bug in the caller, not a condition to handle.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    tape: Option<&'t Tape>,
    index: usize,
    value: f64,
}

/// The derivatives of one output with respect to every variable of its tape, from
/// [`Var::backward`].
///
/// Read them by variable with [`Gradients::wrt`].
#[derive(Clone, Debug)]
pub struct Gradients<'t> {
    tape: Option<&'t Tape>,
    adjoints: Vec<f64>,
}

/// One recorded operation: its parents and $\partial v_i / \partial v_{parent}$ for each.
/// A variable (leaf) has no parents; a unary operation has one.
#[derive(Clone, Copy, Debug)]
struct Node {
    parents: [usize; 2],
    partials: [f64; 2],
    n_parents: u8,
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty tape with room for `capacity` nodes before it reallocates (one node per
    /// variable and per operation).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nodes: RefCell::new(Vec::with_capacity(capacity)),
        }
    }

    /// A new input variable with value `value`, recorded as a leaf of the graph.
    pub fn var(&self, value: f64) -> Var<'_> {
        let index = self.push(Node {
            parents: [0, 0],
            partials: [0.0, 0.0],
            n_parents: 0,
        });
        Var {
            tape: Some(self),
            index,
            value,
        }
    }

    /// Several input variables at once, one per value, in order.
    pub fn vars(&self, values: &[f64]) -> Vec<Var<'_>> {
        values.iter().map(|&value| self.var(value)).collect()
    }

    /// Number of recorded nodes (variables and operations).
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether nothing has been recorded yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.borrow().is_empty()
    }

    /// Forget every recorded node so the tape's memory can be reused.
    ///
    /// Taking `&mut self` means no [`Var`] of this tape can still be alive.
    pub fn clear(&mut self) {
        self.nodes.get_mut().clear();
    }

    fn push(&self, node: Node) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }
}

impl<'t> Var<'t> {
    /// The value computed in the forward pass.
    #[inline]
    pub fn value(self) -> f64 {
        self.value
    }

    /// Whether this is a constant (made by [`Real::from_f64`], or computed from constants only),
    /// which sits on no tape.
    #[inline]
    pub fn is_constant(self) -> bool {
        self.tape.is_none()
    }

    /// The derivative of `self` with respect to every variable recorded before it.
    ///
    /// Walks the tape once from this node down to the first, accumulating
    /// $\bar v_j \mathrel{+}= \bar v_i\,\partial v_i/\partial v_j$ into a vector created for
    /// this call only: nothing carries over between calls.
    /// The cost is proportional to the number of nodes, whatever the number of inputs.
    pub fn backward(self) -> Gradients<'t> {
        let Some(tape) = self.tape else {
            return Gradients {
                tape: None,
                adjoints: Vec::new(),
            };
        };
        let nodes = tape.nodes.borrow();
        let mut adjoints = vec![0.0; self.index + 1];
        adjoints[self.index] = 1.0;
        for i in (0..=self.index).rev() {
            let node = nodes[i];
            let adjoint = adjoints[i];
            for k in 0..usize::from(node.n_parents) {
                adjoints[node.parents[k]] += adjoint * node.partials[k];
            }
        }
        Gradients {
            tape: Some(tape),
            adjoints,
        }
    }

    /// Record `value = op(self)` with $\partial\,\text{value} / \partial\,\text{self}$ = `partial`.
    #[inline]
    fn unary(self, value: f64, partial: f64) -> Self {
        match self.tape {
            None => constant(value),
            Some(tape) => Self::recorded(tape, [self.index, 0], [partial, 0.0], 1, value),
        }
    }

    /// Record `value = op(self, rhs)` with partials `d_self`, `d_rhs`.
    ///
    /// # Panics
    ///
    /// If `self` and `rhs` live on two different tapes: one graph cannot span two tapes.
    #[inline]
    fn binary(self, rhs: Self, value: f64, d_self: f64, d_rhs: f64) -> Self {
        match (self.tape, rhs.tape) {
            (None, None) => constant(value),
            (Some(tape), None) => Self::recorded(tape, [self.index, 0], [d_self, 0.0], 1, value),
            (None, Some(tape)) => Self::recorded(tape, [rhs.index, 0], [d_rhs, 0.0], 1, value),
            (Some(tape), Some(other)) => {
                assert!(
                    std::ptr::eq(tape, other),
                    "invariant broken: an operation mixes variables from two different tapes"
                );
                Self::recorded(tape, [self.index, rhs.index], [d_self, d_rhs], 2, value)
            }
        }
    }

    #[inline]
    fn recorded(
        tape: &'t Tape,
        parents: [usize; 2],
        partials: [f64; 2],
        n_parents: u8,
        value: f64,
    ) -> Self {
        let index = tape.push(Node {
            parents,
            partials,
            n_parents,
        });
        Var {
            tape: Some(tape),
            index,
            value,
        }
    }
}

impl<'t> Gradients<'t> {
    /// $\partial y / \partial v$: the derivative of the output with respect to `var`.
    ///
    /// It is 0 for a constant, and for a variable created after the output (which the output
    /// cannot depend on).
    ///
    /// # Panics
    ///
    /// If `var` belongs to a different tape than the output: such a variable is not in this
    /// graph, and asking for it is a bug in the caller.
    pub fn wrt(&self, var: Var<'t>) -> f64 {
        match (self.tape, var.tape) {
            (_, None) | (None, Some(_)) => 0.0,
            (Some(tape), Some(other)) => {
                assert!(
                    std::ptr::eq(tape, other),
                    "invariant broken: gradient asked for a variable of another tape"
                );
                self.adjoints.get(var.index).copied().unwrap_or(0.0)
            }
        }
    }

    /// The derivatives with respect to each of `vars`, in order (for gradients of
    /// $f: \mathbb R^n \to \mathbb R$).
    ///
    /// # Panics
    ///
    /// As [`Gradients::wrt`], if a variable belongs to another tape.
    pub fn wrt_all(&self, vars: &[Var<'t>]) -> Vec<f64> {
        vars.iter().map(|&var| self.wrt(var)).collect()
    }
}

#[inline]
fn constant<'t>(value: f64) -> Var<'t> {
    Var {
        tape: None,
        index: 0,
        value,
    }
}

impl fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tape {
            Some(_) => write!(
                f,
                "Var {{ value: {:?}, index: {} }}",
                self.value, self.index
            ),
            None => write!(f, "Var {{ value: {:?}, constant }}", self.value),
        }
    }
}

impl fmt::Display for Var<'_> {
    /// Writes the value, passing on any precision.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl PartialEq for Var<'_> {
    /// Compares values only.
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialOrd for Var<'_> {
    /// Orders by value only.
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl Add for Var<'_> {
    type Output = Self;
    /// $z = a + b$: $\partial z/\partial a = 1$, $\partial z/\partial b = 1$.
    #[inline]
    fn add(self, rhs: Self) -> Self {
        self.binary(rhs, self.value + rhs.value, 1.0, 1.0)
    }
}

impl Sub for Var<'_> {
    type Output = Self;
    /// $z = a - b$: $\partial z/\partial a = 1$, $\partial z/\partial b = -1$.
    #[inline]
    fn sub(self, rhs: Self) -> Self {
        self.binary(rhs, self.value - rhs.value, 1.0, -1.0)
    }
}

impl Mul for Var<'_> {
    type Output = Self;
    /// $z = a b$: $\partial z/\partial a = b$, $\partial z/\partial b = a$.
    #[inline]
    fn mul(self, rhs: Self) -> Self {
        self.binary(rhs, self.value * rhs.value, rhs.value, self.value)
    }
}

impl Div for Var<'_> {
    type Output = Self;
    /// $z = a / b$: $\partial z/\partial a = 1/b$, $\partial z/\partial b = -a/b^2$.
    #[inline]
    fn div(self, rhs: Self) -> Self {
        let quotient = self.value / rhs.value;
        // -a / b^2 written as -(a/b) / b.
        self.binary(rhs, quotient, 1.0 / rhs.value, -quotient / rhs.value)
    }
}

impl Neg for Var<'_> {
    type Output = Self;
    /// $z = -a$: $\partial z/\partial a = -1$.
    #[inline]
    fn neg(self) -> Self {
        self.unary(-self.value, -1.0)
    }
}

impl AddAssign for Var<'_> {
    #[inline]
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

impl SubAssign for Var<'_> {
    #[inline]
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}

impl MulAssign for Var<'_> {
    #[inline]
    fn mul_assign(&mut self, rhs: Self) {
        *self = *self * rhs;
    }
}

impl DivAssign for Var<'_> {
    #[inline]
    fn div_assign(&mut self, rhs: Self) {
        *self = *self / rhs;
    }
}

impl Real for Var<'_> {
    #[inline]
    fn from_f64(x: f64) -> Self {
        constant(x)
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self.value
    }
    #[inline]
    fn exp(self) -> Self {
        let e = self.value.exp();
        self.unary(e, e)
    }
    #[inline]
    fn ln(self) -> Self {
        self.unary(self.value.ln(), 1.0 / self.value)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        self.unary(self.value.ln_1p(), 1.0 / (1.0 + self.value))
    }
    #[inline]
    fn sin(self) -> Self {
        self.unary(self.value.sin(), self.value.cos())
    }
    #[inline]
    fn cos(self) -> Self {
        self.unary(self.value.cos(), -self.value.sin())
    }
    #[inline]
    fn tanh(self) -> Self {
        // sech²(x) = 1 - tanh²(x), computed accurately in the tails.
        self.unary(
            self.value.tanh(),
            crate::elementary::tanh_derivative(self.value),
        )
    }
    #[inline]
    fn sqrt(self) -> Self {
        let s = self.value.sqrt();
        self.unary(s, 1.0 / (2.0 * s))
    }
    #[inline]
    fn abs(self) -> Self {
        let sign = if self.value > 0.0 {
            1.0
        } else if self.value < 0.0 {
            -1.0
        } else {
            0.0
        };
        self.unary(self.value.abs(), sign)
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        let slope = match n {
            0 => 0.0,
            _ => f64::from(n) * power_minus_one(self.value, n),
        };
        self.unary(self.value.powi(n), slope)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        let power = self.value.powf(p.value);
        let d_base = p.value * self.value.powf(p.value - 1.0);
        // x^p ln(x) only where x > 0 (see `Real::powf`).
        let d_exponent = if self.value > 0.0 {
            power * self.value.ln()
        } else {
            0.0
        };
        self.binary(p, power, d_base, d_exponent)
    }
}
