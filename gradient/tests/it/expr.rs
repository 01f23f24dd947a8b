//! Random compositions of many variables: expression trees over `+`, `-`, `*`, a safe
//! division, and six smooth elementary functions, written once over `Real`.
//!
//! Every operation is defined and smooth on all of R (division is `a / (1 + b^2)`, the
//! exponential only sees `tanh(u)` in (-1, 1)), so no input can leave a domain or hit a kink.
//! Depth is at most 4 and leaves lie in [-2, 2], which keeps values below about 2^16.
//!
//! Besides the generic `eval`, `hand` differentiates the tree twice by the chain rule written
//! out by hand, an oracle independent of duals and the tape:
//!
//! - first order: d(u ∘ v) = u'(v) dv, d(ab) = b da + a db;
//! - second order: H(u ∘ v) = u'(v) H_v + u''(v) ∇v ∇vᵀ, H(ab) = b H_a + a H_b + ∇a ∇bᵀ + ∇b ∇aᵀ.
//!
//! Alongside each quantity it carries a *rounding scale*: the same sums with every term
//! replaced by a bound on its absolute value. A value, gradient or Hessian entry computed as a
//! sum of products is off by a few ulps of its scale, however much the terms cancel. For a
//! local slope such as `cos(u)` the bound is `1 + |u|` rather than `|cos(u)|`: the slope is
//! evaluated at a `u` that is itself off by a few ulps of |u|, and near a zero of the slope that
//! absolute error is all there is.

use chain_rule::Real;
use gradient::{GradientChecker, ScalarFunction, VectorFunction};
use proptest::prelude::*;

/// A smooth elementary function of one variable.
#[derive(Debug, Clone, Copy)]
pub enum Unary {
    Sin,
    Cos,
    Tanh,
    /// `exp(tanh(u))`, bounded so nesting cannot overflow.
    ExpTanh,
    /// `u^2`.
    Square,
    /// `sqrt(1 + u^2)`.
    Hypot,
    /// `1 / (1 + u^2)`: the denominator of the safe division.
    Reciprocal,
}

/// An expression in the variables `x[0..n]`.
#[derive(Debug, Clone)]
pub enum Expr {
    Var(usize),
    Const(f64),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    /// `a / (1 + b^2)`.
    Div(Box<Expr>, Box<Expr>),
    Unary(Unary, Box<Expr>),
}

impl Unary {
    fn apply<T: Real>(self, u: T) -> T {
        match self {
            Self::Sin => u.sin(),
            Self::Cos => u.cos(),
            Self::Tanh => u.tanh(),
            Self::ExpTanh => u.tanh().exp(),
            Self::Square => u.powi(2),
            Self::Hypot => (T::one() + u * u).sqrt(),
            Self::Reciprocal => T::one() / (T::one() + u * u),
        }
    }

    /// The first and second derivatives, written out by hand.
    fn derivatives(self, u: f64) -> (f64, f64) {
        match self {
            Self::Sin => (u.cos(), -u.sin()),
            Self::Cos => (-u.sin(), -u.cos()),
            Self::Tanh => {
                // t' = 1 - t², t'' = -2t(1 - t²).
                let t = u.tanh();
                (1.0 - t * t, -2.0 * t * (1.0 - t * t))
            }
            Self::ExpTanh => {
                // (e^t)' = e^t t', (e^t)'' = e^t (t'² + t'').
                let t = u.tanh();
                let (d1, d2) = (1.0 - t * t, -2.0 * t * (1.0 - t * t));
                (t.exp() * d1, t.exp() * (d1 * d1 + d2))
            }
            Self::Square => (2.0 * u, 2.0),
            Self::Hypot => {
                // s = √(1 + u²): s' = u/s, s'' = 1/s³.
                let s = (1.0 + u * u).sqrt();
                (u / s, 1.0 / (s * s * s))
            }
            Self::Reciprocal => {
                // r = 1/(1 + u²): r' = -2u r², r'' = (6u² - 2) r³.
                let r = 1.0 / (1.0 + u * u);
                (-2.0 * u * r * r, (6.0 * u * u - 2.0) * r * r * r)
            }
        }
    }

    /// Bounds on the size and rounding of the first and second derivatives at `u`, where
    /// `abs_u` bounds |u| and its rounding: each is at most its largest value plus the next
    /// derivative's largest value times `abs_u` (|f'|, |f''|, |f'''| are at most 1 for sin and
    /// cos; 1, 0.8, 2 for tanh; e·(1, 2, 4) for e^tanh; 2|u|, 2, 0 for the square; 1, 1, 1 for
    /// the hypotenuse; 0.7, 2, 5 for the reciprocal).
    fn scales(self, u: f64, abs_u: f64) -> (f64, f64) {
        let e = std::f64::consts::E;
        match self {
            Self::Sin | Self::Cos | Self::Hypot => (1.0 + abs_u, 1.0 + abs_u),
            Self::Tanh => (1.0 + abs_u, 1.0 + 2.0 * abs_u),
            Self::ExpTanh => (e * (1.0 + 2.0 * abs_u), e * (2.0 + 4.0 * abs_u)),
            Self::Square => (2.0 * u.abs().max(abs_u), 2.0),
            Self::Reciprocal => (1.0 + 2.0 * abs_u, 2.0 + 5.0 * abs_u),
        }
    }
}

/// Value, gradient, Hessian and their rounding scales for a subtree.
pub struct Hand {
    pub value: f64,
    pub abs_value: f64,
    pub grad: Vec<f64>,
    pub abs_grad: Vec<f64>,
    pub hess: Vec<Vec<f64>>,
    pub abs_hess: Vec<Vec<f64>>,
}

impl Hand {
    fn leaf(n: usize, value: f64, variable: Option<usize>) -> Self {
        let mut grad = vec![0.0; n];
        if let Some(i) = variable {
            grad[i] = 1.0;
        }
        Hand {
            value,
            abs_value: value.abs(),
            abs_grad: grad.clone(),
            grad,
            hess: vec![vec![0.0; n]; n],
            abs_hess: vec![vec![0.0; n]; n],
        }
    }

    /// `a ± b`.
    fn sum(a: &Hand, b: &Hand, sign: f64) -> Hand {
        let n = a.grad.len();
        Hand {
            value: a.value + sign * b.value,
            abs_value: a.abs_value + b.abs_value,
            grad: (0..n).map(|i| a.grad[i] + sign * b.grad[i]).collect(),
            abs_grad: (0..n).map(|i| a.abs_grad[i] + b.abs_grad[i]).collect(),
            hess: matrix(n, |i, j| a.hess[i][j] + sign * b.hess[i][j]),
            abs_hess: matrix(n, |i, j| a.abs_hess[i][j] + b.abs_hess[i][j]),
        }
    }

    /// `a b`: ∇ = b ∇a + a ∇b, H = b H_a + a H_b + ∇a ∇bᵀ + ∇b ∇aᵀ.
    fn product(a: &Hand, b: &Hand) -> Hand {
        let n = a.grad.len();
        let (sa, sb) = (a.abs_value, b.abs_value);
        Hand {
            value: a.value * b.value,
            abs_value: sa * sb,
            grad: (0..n)
                .map(|i| b.value * a.grad[i] + a.value * b.grad[i])
                .collect(),
            abs_grad: (0..n)
                .map(|i| sb * a.abs_grad[i] + sa * b.abs_grad[i])
                .collect(),
            hess: matrix(n, |i, j| {
                b.value * a.hess[i][j]
                    + a.value * b.hess[i][j]
                    + a.grad[i] * b.grad[j]
                    + b.grad[i] * a.grad[j]
            }),
            abs_hess: matrix(n, |i, j| {
                sb * a.abs_hess[i][j]
                    + sa * b.abs_hess[i][j]
                    + a.abs_grad[i] * b.abs_grad[j]
                    + b.abs_grad[i] * a.abs_grad[j]
            }),
        }
    }

    /// `op(a)`: ∇ = op' ∇a, H = op' H_a + op'' ∇a ∇aᵀ.
    fn compose(op: Unary, a: &Hand) -> Hand {
        let n = a.grad.len();
        let (d1, d2) = op.derivatives(a.value);
        let (s1, s2) = op.scales(a.value, a.abs_value);
        let value = op.apply(a.value);
        Hand {
            value,
            abs_value: value.abs() + s1 * a.abs_value,
            grad: a.grad.iter().map(|g| d1 * g).collect(),
            abs_grad: a.abs_grad.iter().map(|g| s1 * g).collect(),
            hess: matrix(n, |i, j| d1 * a.hess[i][j] + d2 * a.grad[i] * a.grad[j]),
            abs_hess: matrix(n, |i, j| {
                s1 * a.abs_hess[i][j] + s2 * a.abs_grad[i] * a.abs_grad[j]
            }),
        }
    }

    /// A gradient checker that knows how this tree rounds.
    ///
    /// The checker's own round-off estimate assumes f's values are accurate to a few dozen
    /// ulps of |f|. A random tree can be a small difference of large terms, such as
    /// (c - x) + (x - c'), whose rounding is a few ulps of `abs_value` instead; and the claimed
    /// gradient carries its own rounding, `ROUNDING · abs_grad`. The floor tells the checker
    /// both: below it the comparison is absolute with tolerance `threshold · floor`, which is
    /// then the sum of
    /// - the difference's round-off: `ROUNDING` of `abs_value` (doubled, since the probes at
    ///   x ± 2h can be larger than at x), over the smallest step h = ε^(1/3);
    /// - the claimed gradient's rounding.
    pub fn checker(&self, threshold: f64) -> GradientChecker {
        let h = f64::EPSILON.cbrt();
        let difference = crate::ROUNDING * 2.0 * self.abs_value / h;
        let claimed = crate::ROUNDING * self.abs_grad.iter().fold(0.0_f64, |m, s| m.max(*s));
        GradientChecker::new(threshold)
            .unwrap()
            .with_floor((difference + claimed) / threshold)
            .unwrap()
    }
}

fn matrix(n: usize, entry: impl Fn(usize, usize) -> f64) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| entry(i, j)).collect())
        .collect()
}

impl Expr {
    pub fn eval<T: Real>(&self, x: &[T]) -> T {
        match self {
            Self::Var(i) => x[*i],
            Self::Const(c) => T::from_f64(*c),
            Self::Add(a, b) => a.eval(x) + b.eval(x),
            Self::Sub(a, b) => a.eval(x) - b.eval(x),
            Self::Mul(a, b) => a.eval(x) * b.eval(x),
            Self::Div(a, b) => {
                let denominator = b.eval(x);
                a.eval(x) / (T::one() + denominator * denominator)
            }
            Self::Unary(op, a) => op.apply(a.eval(x)),
        }
    }

    /// The chain rule by hand, to second order; `a / (1 + b²)` is `a · r(b)` with
    /// r(u) = 1/(1 + u²).
    pub fn hand(&self, x: &[f64]) -> Hand {
        let n = x.len();
        match self {
            Self::Var(i) => Hand::leaf(n, x[*i], Some(*i)),
            Self::Const(c) => Hand::leaf(n, *c, None),
            Self::Add(a, b) => Hand::sum(&a.hand(x), &b.hand(x), 1.0),
            Self::Sub(a, b) => Hand::sum(&a.hand(x), &b.hand(x), -1.0),
            Self::Mul(a, b) => Hand::product(&a.hand(x), &b.hand(x)),
            Self::Div(a, b) => {
                Hand::product(&a.hand(x), &Hand::compose(Unary::Reciprocal, &b.hand(x)))
            }
            Self::Unary(op, a) => Hand::compose(*op, &a.hand(x)),
        }
    }
}

/// A random composition of `n` variables: a [`ScalarFunction`].
#[derive(Debug, Clone)]
pub struct Composition {
    pub n: usize,
    pub expr: Expr,
}

impl ScalarFunction for Composition {
    fn dimension(&self) -> usize {
        self.n
    }
    fn eval<T: Real>(&self, x: &[T]) -> T {
        self.expr.eval(x)
    }
}

/// Several random compositions of the same `n` variables: a [`VectorFunction`].
#[derive(Debug, Clone)]
pub struct Compositions {
    pub n: usize,
    pub exprs: Vec<Expr>,
}

impl VectorFunction for Compositions {
    fn input_dimension(&self) -> usize {
        self.n
    }
    fn output_dimension(&self) -> usize {
        self.exprs.len()
    }
    fn eval<T: Real>(&self, x: &[T]) -> Vec<T> {
        self.exprs.iter().map(|e| e.eval(x)).collect()
    }
}

fn unary() -> impl Strategy<Value = Unary> {
    prop_oneof![
        Just(Unary::Sin),
        Just(Unary::Cos),
        Just(Unary::Tanh),
        Just(Unary::ExpTanh),
        Just(Unary::Square),
        Just(Unary::Hypot),
    ]
}

/// Expression trees in `n` variables, depth at most 4.
pub fn expr(n: usize) -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        3 => (0..n).prop_map(Expr::Var),
        1 => (-2.0..2.0f64).prop_map(Expr::Const),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Add(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Sub(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Mul(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Div(Box::new(a), Box::new(b))),
            (unary(), inner).prop_map(|(op, a)| Expr::Unary(op, Box::new(a))),
        ]
    })
}

/// A random composition of 1 to 6 variables and a point in [-2, 2]^n.
pub fn composition_and_point() -> impl Strategy<Value = (Composition, Vec<f64>)> {
    (1..=6usize).prop_flat_map(|n| {
        (
            expr(n).prop_map(move |expr| Composition { n, expr }),
            proptest::collection::vec(-2.0..2.0f64, n),
        )
    })
}

/// 1 to 4 random compositions of 1 to 6 variables and a point in [-2, 2]^n.
pub fn compositions_and_point() -> impl Strategy<Value = (Compositions, Vec<f64>)> {
    (1..=6usize, 1..=4usize).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(expr(n), m).prop_map(move |exprs| Compositions { n, exprs }),
            proptest::collection::vec(-2.0..2.0f64, n),
        )
    })
}
