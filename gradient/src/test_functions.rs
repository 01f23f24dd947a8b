//! Classic test functions with exact, hand-derived gradients and Hessians.
//!
//! Each function is a [`ScalarFunction`] (so forward mode, reverse mode and differences can be
//! run on it) and a [`TestFunction`]: its gradient and Hessian are also written out by hand,
//! and its minima are documented.
//! The hand-written derivatives are the independent oracle the automatic ones are tested
//! against, and the landscapes the optimizers of later chapters are tested on.
//!
//! | function | $n$ | minimum | minimiser | why it is hard |
//! |---|---|---|---|---|
//! | [`Quadratic`] | any | $c - \tfrac12 b^\top S^{-1} b$ | $-S^{-1}b$, $S = A + A^\top$ | condition number of $S$ |
//! | [`Rosenbrock`] | $\ge 2$ | 0 | $(1, \dots, 1)$ | a long curved valley |
//! | [`Beale`] | 2 | 0 | $(3, 0.5)$ | flat plateaus, sharp ridges |
//! | [`Himmelblau`] | 2 | 0 | four points | several minima |
//! | [`Booth`] | 2 | 0 | $(1, 3)$ | none (a tilted quadratic bowl) |
//! | [`LogSumExp`] | $\ge 1$ | none | none | unbounded below, a smooth max |
//!
//! All of them take plain `&[f64]` slices:
//!
//! ```
//! use gradient::ScalarFunction;
//! use gradient::test_functions::{Rosenbrock, TestFunction};
//!
//! let f = Rosenbrock::new(3)?;
//! let x = f.starting_point(); // (-1.2, 1, -1.2)
//! let value = f.value(&x)?;
//! let mut grad = vec![0.0; 3];
//! f.gradient_into(&x, &mut grad)?;
//! let hessian = f.hessian(&x)?; // a nalgebra DMatrix<f64>
//! assert!(value > 0.0 && hessian.nrows() == 3);
//! assert_eq!(f.minimizers(), vec![vec![1.0; 3]]);
//! # Ok::<(), gradient::Error>(())
//! ```

use chain_rule::Real;
use nalgebra::{DMatrix, DVector};

use crate::error::{Argument, Error, check_finite_slice, check_length};
use crate::function::{ScalarFunction, check_point};

/// A function whose gradient and Hessian are known in closed form, with known minima.
///
/// Implementors write the two formulas ([`gradient_formula`](Self::gradient_formula),
/// [`hessian_formula`](Self::hessian_formula)) for a point of the right length; the provided
/// methods [`gradient_into`](Self::gradient_into), [`gradient`](Self::gradient) and
/// [`hessian`](Self::hessian) check the input first.
pub trait TestFunction: ScalarFunction {
    /// A short name, for messages and tables (`"rosenbrock"`).
    fn name(&self) -> &'static str;

    /// Writes the exact gradient $\nabla f(x)$ into `grad`.
    ///
    /// Unchecked: assumes `x` and `grad` have [`dimension`](ScalarFunction::dimension)
    /// entries; use [`gradient_into`](Self::gradient_into) from outside.
    fn gradient_formula(&self, x: &[f64], grad: &mut [f64]);

    /// The exact Hessian $\nabla^2 f(x)$, symmetric.
    ///
    /// Unchecked like [`gradient_formula`](Self::gradient_formula); use
    /// [`hessian`](Self::hessian) from outside.
    fn hessian_formula(&self, x: &[f64]) -> DMatrix<f64>;

    /// The global minimisers, exact where they are known in closed form and to about 15
    /// digits otherwise (Himmelblau: the nearest `f64`); empty if there is none (log-sum-exp, an indefinite
    /// quadratic).
    fn minimizers(&self) -> Vec<Vec<f64>>;

    /// The global minimum value, `None` if the function is unbounded below.
    fn minimum(&self) -> Option<f64>;

    /// The customary starting point for an optimizer in the literature.
    fn starting_point(&self) -> Vec<f64>;

    /// Writes the exact gradient $\nabla f(x)$ into `grad`.
    ///
    /// # Errors
    ///
    /// As for [`ScalarFunction::value`], and [`Error::LengthMismatch`] naming
    /// [`Argument::Output`] if `grad` has the wrong length.
    fn gradient_into(&self, x: &[f64], grad: &mut [f64]) -> Result<(), Error> {
        check_point(self.dimension(), x)?;
        check_length(Argument::Output, grad.len(), self.dimension())?;
        self.gradient_formula(x, grad);
        Ok(())
    }

    /// The exact gradient $\nabla f(x)$ in a new vector.
    ///
    /// # Errors
    ///
    /// As for [`ScalarFunction::value`].
    fn gradient(&self, x: &[f64]) -> Result<Vec<f64>, Error> {
        let mut grad = vec![0.0; self.dimension()];
        self.gradient_into(x, &mut grad)?;
        Ok(grad)
    }

    /// The exact Hessian $\nabla^2 f(x)$.
    ///
    /// # Errors
    ///
    /// As for [`ScalarFunction::value`].
    fn hessian(&self, x: &[f64]) -> Result<DMatrix<f64>, Error> {
        check_point(self.dimension(), x)?;
        Ok(self.hessian_formula(x))
    }
}

/// The quadratic form $f(x) = x^\top A x + b^\top x + c$ with any square $A$.
///
/// $$ \nabla f(x) = (A + A^\top)\,x + b, \qquad \nabla^2 f = A + A^\top $$
///
/// Plain text: `grad f(x) = (A + A^T) x + b`, `hess f = A + A^T` (constant).
/// Only the symmetric part $S = A + A^\top$ matters for the derivatives.
/// When $S$ is positive definite the unique minimiser is $x^\ast = -S^{-1} b$ and the minimum
/// is $f(x^\ast) = c - \tfrac12 b^\top S^{-1} b$ (as $x^\top A x = \tfrac12 x^\top S x$); otherwise there is none (`minimizers` is
/// empty).
/// The difficulty of a quadratic for gradient descent is the condition number of $S$, the
/// ratio of its largest to its smallest eigenvalue: see [`Quadratic::ill_conditioned`].
#[derive(Debug, Clone, PartialEq)]
pub struct Quadratic {
    a: DMatrix<f64>,
    b: DVector<f64>,
    c: f64,
}

impl Quadratic {
    /// The quadratic form with matrix `a` ($n \times n$), linear term `b` ($n$) and constant
    /// `c`.
    ///
    /// # Errors
    ///
    /// [`Error::NotSquare`] if `a` is not square, [`Error::EmptyPoint`] if it is $0 \times 0$,
    /// [`Error::LengthMismatch`] naming [`Argument::LinearTerm`] if `b` does not have $n$
    /// entries, [`Error::NonFinite`] naming [`Argument::Matrix`] (row-major index),
    /// [`Argument::LinearTerm`] or [`Argument::Constant`] if an entry is not finite.
    pub fn new(a: DMatrix<f64>, b: DVector<f64>, c: f64) -> Result<Self, Error> {
        let (rows, cols) = a.shape();
        if rows != cols {
            return Err(Error::NotSquare { rows, cols });
        }
        if rows == 0 {
            return Err(Error::EmptyPoint);
        }
        let row_major: Vec<f64> = a.transpose().iter().copied().collect();
        check_finite_slice(Argument::Matrix, &row_major, rows * cols)?;
        check_finite_slice(Argument::LinearTerm, b.as_slice(), rows)?;
        check_finite_slice(Argument::Constant, &[c], 1)?;
        Ok(Self { a, b, c })
    }

    /// The axis-aligned bowl $f(x) = \tfrac12 \sum_i \lambda_i x_i^2$ whose Hessian
    /// $\operatorname{diag}(\lambda_1, \dots, \lambda_n)$ has condition number exactly
    /// `condition_number` $= \kappa$.
    ///
    /// The eigenvalues are spaced evenly on a log scale from 1 to $\kappa$:
    ///
    /// $$ \lambda_i = \kappa^{i/(n-1)}, \quad i = 0, \dots, n-1 $$
    ///
    /// Plain text: `lambda_i = kappa^(i / (n - 1))`.
    /// The minimum is 0 at the origin.
    /// Gradient descent with step $1/\lambda_{\max}$ shrinks the error along the flattest axis
    /// only by the factor $1 - 1/\kappa$ per step, which is what makes it slow.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDimension`] if `n < 2` (one eigenvalue has no ratio),
    /// [`Error::InvalidConditionNumber`] if `condition_number` is not finite or is below 1.
    pub fn ill_conditioned(n: usize, condition_number: f64) -> Result<Self, Error> {
        if n < 2 {
            return Err(Error::InvalidDimension {
                function: "ill-conditioned quadratic",
                minimum: 2,
                found: n,
            });
        }
        if !(condition_number.is_finite() && condition_number >= 1.0) {
            return Err(Error::InvalidConditionNumber(condition_number));
        }
        let last = (n - 1) as f64;
        let half_lambdas = DVector::from_fn(n, |i, _| 0.5 * condition_number.powf(i as f64 / last));
        Self::new(
            DMatrix::from_diagonal(&half_lambdas),
            DVector::zeros(n),
            0.0,
        )
    }

    /// The matrix $A$.
    pub fn a(&self) -> &DMatrix<f64> {
        &self.a
    }

    /// The linear term $b$.
    pub fn b(&self) -> &DVector<f64> {
        &self.b
    }

    /// The constant $c$.
    pub fn c(&self) -> f64 {
        self.c
    }

    /// The unique minimiser $-S^{-1} b$ when $S = A + A^\top$ is positive definite.
    fn minimizer(&self) -> Option<DVector<f64>> {
        let s = &self.a + self.a.transpose();
        let cholesky = s.cholesky()?;
        Some(-cholesky.solve(&self.b))
    }
}

impl ScalarFunction for Quadratic {
    fn dimension(&self) -> usize {
        self.b.len()
    }

    /// $x^\top A x + b^\top x + c = \sum_i x_i \big(\sum_j a_{ij} x_j + b_i\big) + c$.
    fn eval<T: Real>(&self, x: &[T]) -> T {
        let mut total = T::from_f64(self.c);
        for (i, &x_i) in x.iter().enumerate() {
            let mut row = T::from_f64(self.b[i]);
            for (j, &x_j) in x.iter().enumerate() {
                row += T::from_f64(self.a[(i, j)]) * x_j;
            }
            total += x_i * row;
        }
        total
    }
}

impl TestFunction for Quadratic {
    fn name(&self) -> &'static str {
        "quadratic"
    }

    fn gradient_formula(&self, x: &[f64], grad: &mut [f64]) {
        let x = DVector::from_column_slice(x);
        let g = (&self.a + self.a.transpose()) * x + &self.b;
        grad.copy_from_slice(g.as_slice());
    }

    fn hessian_formula(&self, _x: &[f64]) -> DMatrix<f64> {
        &self.a + self.a.transpose()
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        self.minimizer()
            .map(|x| vec![x.as_slice().to_vec()])
            .unwrap_or_default()
    }

    fn minimum(&self) -> Option<f64> {
        self.minimizer().map(|x| self.eval(x.as_slice()))
    }

    /// $(1, \dots, 1)$.
    fn starting_point(&self) -> Vec<f64> {
        vec![1.0; self.dimension()]
    }
}

/// The Rosenbrock function in $n \ge 2$ dimensions (the "extended" form, a chain of
/// valleys):
///
/// $$ f(x) = \sum_{i=0}^{n-2} \Big[ 100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2 \Big] $$
///
/// Plain text: `f(x) = sum_{i=0}^{n-2} 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2`.
///
/// Gradient (the first bracket only for $i < n-1$, the second only for $i > 0$):
///
/// $$ \frac{\partial f}{\partial x_i} = \big[-400\,x_i (x_{i+1} - x_i^2) - 2(1 - x_i)\big] + \big[200\,(x_i - x_{i-1}^2)\big] $$
///
/// Plain text: `df/dx[i] = [-400 x[i] (x[i+1] - x[i]^2) - 2 (1 - x[i])] + [200 (x[i] - x[i-1]^2)]`.
///
/// The Hessian is tridiagonal: $H_{ii} = (1200 x_i^2 - 400 x_{i+1} + 2) + 200$, the first
/// part only for $i < n-1$ and the second only for $i > 0$, and
/// $H_{i,i+1} = H_{i+1,i} = -400\,x_i$.
///
/// The global minimum is $f = 0$ at $(1, \dots, 1)$, at the bottom of a narrow curved valley
/// (along $x_{i+1} = x_i^2$) in which gradient descent crawls.
/// For $4 \le n \le 7$ there is also a local minimum near $(-1, 1, \dots, 1)$.
/// The customary start is $(-1.2, 1, -1.2, 1, \dots)$.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rosenbrock {
    n: usize,
}

impl Rosenbrock {
    /// Rosenbrock's function in `n` dimensions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDimension`] if `n < 2` (the sum would be empty).
    pub fn new(n: usize) -> Result<Self, Error> {
        if n < 2 {
            return Err(Error::InvalidDimension {
                function: "rosenbrock",
                minimum: 2,
                found: n,
            });
        }
        Ok(Self { n })
    }
}

impl ScalarFunction for Rosenbrock {
    fn dimension(&self) -> usize {
        self.n
    }

    fn eval<T: Real>(&self, x: &[T]) -> T {
        let hundred = T::from_f64(100.0);
        let one = T::one();
        let mut total = T::zero();
        for pair in x.windows(2) {
            let valley = pair[1] - pair[0] * pair[0];
            let offset = one - pair[0];
            total += hundred * valley * valley + offset * offset;
        }
        total
    }
}

impl TestFunction for Rosenbrock {
    fn name(&self) -> &'static str {
        "rosenbrock"
    }

    fn gradient_formula(&self, x: &[f64], grad: &mut [f64]) {
        let n = self.n;
        for i in 0..n {
            let mut g = 0.0;
            if i + 1 < n {
                g += -400.0 * x[i] * (x[i + 1] - x[i] * x[i]) - 2.0 * (1.0 - x[i]);
            }
            if i > 0 {
                g += 200.0 * (x[i] - x[i - 1] * x[i - 1]);
            }
            grad[i] = g;
        }
    }

    fn hessian_formula(&self, x: &[f64]) -> DMatrix<f64> {
        let n = self.n;
        let mut h = DMatrix::zeros(n, n);
        for i in 0..n {
            if i + 1 < n {
                h[(i, i)] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
                h[(i, i + 1)] = -400.0 * x[i];
                h[(i + 1, i)] = -400.0 * x[i];
            }
            if i > 0 {
                h[(i, i)] += 200.0;
            }
        }
        h
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        vec![vec![1.0; self.n]]
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }

    /// $(-1.2, 1, -1.2, 1, \dots)$.
    fn starting_point(&self) -> Vec<f64> {
        (0..self.n)
            .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
            .collect()
    }
}

/// Beale's function of two variables:
///
/// $$ f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2 $$
///
/// Plain text: `f(x, y) = t1^2 + t2^2 + t3^2` with `t1 = 1.5 - x + x y`,
/// `t2 = 2.25 - x + x y^2`, `t3 = 2.625 - x + x y^3`.
/// With $t_k = c_k - x + x y^k$ and $\partial t_k/\partial x = y^k - 1$,
/// $\partial t_k/\partial y = k x y^{k-1}$:
///
/// $$ \frac{\partial f}{\partial x} = 2\sum_k t_k (y^k - 1), \qquad \frac{\partial f}{\partial y} = 2\sum_k t_k\, k x y^{k-1} $$
///
/// Plain text: `df/dx = 2 sum_k t_k (y^k - 1)`, `df/dy = 2 sum_k t_k k x y^(k-1)`.
/// The Hessian follows by the product rule (see the source).
/// The minimum is 0 at $(3, 0.5)$; the customary start is $(1, 1)$.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Beale;

/// The constants $c_1, c_2, c_3$ of Beale's function.
const BEALE_C: [f64; 3] = [1.5, 2.25, 2.625];

impl ScalarFunction for Beale {
    fn dimension(&self) -> usize {
        2
    }

    fn eval<T: Real>(&self, v: &[T]) -> T {
        let (x, y) = (v[0], v[1]);
        let mut y_power = T::one();
        let mut total = T::zero();
        for c in BEALE_C {
            y_power *= y;
            let t = T::from_f64(c) - x + x * y_power;
            total += t * t;
        }
        total
    }
}

impl TestFunction for Beale {
    fn name(&self) -> &'static str {
        "beale"
    }

    fn gradient_formula(&self, v: &[f64], grad: &mut [f64]) {
        let (x, y) = (v[0], v[1]);
        let (mut gx, mut gy) = (0.0, 0.0);
        for (k, c) in (1..=3).zip(BEALE_C) {
            let t = c - x + x * y.powi(k);
            gx += 2.0 * t * (y.powi(k) - 1.0);
            gy += 2.0 * t * f64::from(k) * x * y.powi(k - 1);
        }
        grad[0] = gx;
        grad[1] = gy;
    }

    /// Differentiating the gradient's terms once more:
    /// $\partial^2 f/\partial x^2 = 2\sum_k (y^k - 1)^2$,
    /// $\partial^2 f/\partial x \partial y = 2\sum_k \big[k x y^{k-1}(y^k - 1) + t_k\, k y^{k-1}\big]$,
    /// $\partial^2 f/\partial y^2 = 2\sum_k \big[(k x y^{k-1})^2 + t_k\, k (k-1) x y^{k-2}\big]$.
    fn hessian_formula(&self, v: &[f64]) -> DMatrix<f64> {
        let (x, y) = (v[0], v[1]);
        let (mut hxx, mut hxy, mut hyy) = (0.0, 0.0, 0.0);
        for (k, c) in (1..=3).zip(BEALE_C) {
            let kf = f64::from(k);
            let t = c - x + x * y.powi(k);
            // The partials of t_k: (dt/dx, dt/dy).
            let dt = [y.powi(k) - 1.0, kf * x * y.powi(k - 1)];
            hxx += 2.0 * dt[0] * dt[0];
            hxy += 2.0 * (dt[1] * dt[0] + t * kf * y.powi(k - 1));
            let second = if k >= 2 {
                kf * (kf - 1.0) * x * y.powi(k - 2)
            } else {
                0.0
            };
            hyy += 2.0 * (dt[1] * dt[1] + t * second);
        }
        DMatrix::from_row_slice(2, 2, &[hxx, hxy, hxy, hyy])
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        vec![vec![3.0, 0.5]]
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }

    fn starting_point(&self) -> Vec<f64> {
        vec![1.0, 1.0]
    }
}

/// Himmelblau's function of two variables:
///
/// $$ f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2 $$
///
/// Plain text: `f(x, y) = p^2 + q^2` with `p = x^2 + y - 11`, `q = x + y^2 - 7`.
///
/// $$ \nabla f = \begin{pmatrix} 4xp + 2q \\ 2p + 4yq \end{pmatrix}, \qquad \nabla^2 f = \begin{pmatrix} 12x^2 + 4y - 42 & 4(x + y) \\ 4(x + y) & 4x + 12y^2 - 26 \end{pmatrix} $$
///
/// Plain text: `grad f = (4 x p + 2 q, 2 p + 4 y q)`,
/// `hess f = [[12 x^2 + 4 y - 42, 4 (x + y)], [4 (x + y), 4 x + 12 y^2 - 26]]`.
/// Four global minima, all with value 0: $(3, 2)$ exactly, and three more where both
/// brackets vanish, roots of a quartic, given to the nearest `f64` (from 40-digit Newton
/// iterations) by
/// [`minimizers`](TestFunction::minimizers).
/// The customary start is $(0, 0)$.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Himmelblau;

impl ScalarFunction for Himmelblau {
    fn dimension(&self) -> usize {
        2
    }

    fn eval<T: Real>(&self, v: &[T]) -> T {
        let (x, y) = (v[0], v[1]);
        let p = x * x + y - T::from_f64(11.0);
        let q = x + y * y - T::from_f64(7.0);
        p * p + q * q
    }
}

impl TestFunction for Himmelblau {
    fn name(&self) -> &'static str {
        "himmelblau"
    }

    fn gradient_formula(&self, v: &[f64], grad: &mut [f64]) {
        let (x, y) = (v[0], v[1]);
        let p = x * x + y - 11.0;
        let q = x + y * y - 7.0;
        grad[0] = 4.0 * x * p + 2.0 * q;
        grad[1] = 2.0 * p + 4.0 * y * q;
    }

    fn hessian_formula(&self, v: &[f64]) -> DMatrix<f64> {
        let (x, y) = (v[0], v[1]);
        let hxy = 4.0 * (x + y);
        DMatrix::from_row_slice(
            2,
            2,
            &[
                12.0 * x * x + 4.0 * y - 42.0,
                hxy,
                hxy,
                4.0 * x + 12.0 * y * y - 26.0,
            ],
        )
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        vec![
            vec![3.0, 2.0],
            vec![-2.805_118_086_952_745, 3.131_312_518_250_573],
            vec![-3.779_310_253_377_747, -3.283_185_991_286_169_6],
            vec![3.584_428_340_330_491_7, -1.848_126_526_964_403_6],
        ]
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }

    fn starting_point(&self) -> Vec<f64> {
        vec![0.0, 0.0]
    }
}

/// Booth's function of two variables, a tilted quadratic bowl:
///
/// $$ f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2 $$
///
/// Plain text: `f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2`.
///
/// $$ \nabla f = \begin{pmatrix} 10x + 8y - 34 \\ 8x + 10y - 38 \end{pmatrix}, \qquad \nabla^2 f = \begin{pmatrix} 10 & 8 \\ 8 & 10 \end{pmatrix} $$
///
/// Plain text: `grad f = (10x + 8y - 34, 8x + 10y - 38)`, `hess f = [[10, 8], [8, 10]]`
/// (eigenvalues 18 and 2, condition number 9).
/// The minimum is 0 at $(1, 3)$; the customary start is $(0, 0)$.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Booth;

impl ScalarFunction for Booth {
    fn dimension(&self) -> usize {
        2
    }

    fn eval<T: Real>(&self, v: &[T]) -> T {
        let (x, y) = (v[0], v[1]);
        let two = T::from_f64(2.0);
        let first = x + two * y - T::from_f64(7.0);
        let second = two * x + y - T::from_f64(5.0);
        first * first + second * second
    }
}

impl TestFunction for Booth {
    fn name(&self) -> &'static str {
        "booth"
    }

    fn gradient_formula(&self, v: &[f64], grad: &mut [f64]) {
        let (x, y) = (v[0], v[1]);
        grad[0] = 10.0 * x + 8.0 * y - 34.0;
        grad[1] = 8.0 * x + 10.0 * y - 38.0;
    }

    fn hessian_formula(&self, _v: &[f64]) -> DMatrix<f64> {
        DMatrix::from_row_slice(2, 2, &[10.0, 8.0, 8.0, 10.0])
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        vec![vec![1.0, 3.0]]
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }

    fn starting_point(&self) -> Vec<f64> {
        vec![0.0, 0.0]
    }
}

/// Log-sum-exp, the smooth maximum, in $n \ge 1$ dimensions:
///
/// $$ f(x) = \ln \sum_i e^{x_i} = m + \ln \sum_i e^{x_i - m}, \quad m = \max_i x_i $$
///
/// Plain text: `f(x) = ln(sum_i exp(x[i])) = m + ln(sum_i exp(x[i] - m))`; the shifted form
/// never overflows, since every exponent is at most 0.
/// Its gradient is the softmax $p$ and its Hessian the softmax's covariance:
///
/// $$ \nabla f = p, \quad p_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad \nabla^2 f = \operatorname{diag}(p) - p\,p^\top $$
///
/// Plain text: `grad f = p = softmax(x)`, `hess f = diag(p) - p p^T`.
/// It is convex but has no minimum: $f(x - t\mathbf 1) = f(x) - t$ goes to $-\infty$.
/// The customary start is the origin, where $f = \ln n$ and $p = (1/n, \dots, 1/n)$.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogSumExp {
    n: usize,
}

impl LogSumExp {
    /// Log-sum-exp of `n` variables.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDimension`] if `n == 0`.
    pub fn new(n: usize) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::InvalidDimension {
                function: "log-sum-exp",
                minimum: 1,
                found: n,
            });
        }
        Ok(Self { n })
    }

    /// The softmax $p$ at `x`, computed with the max shift.
    fn softmax(x: &[f64]) -> Vec<f64> {
        let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = x.iter().map(|&x_i| (x_i - m).exp()).collect();
        let total: f64 = exps.iter().sum();
        exps.into_iter().map(|e| e / total).collect()
    }
}

impl ScalarFunction for LogSumExp {
    fn dimension(&self) -> usize {
        self.n
    }

    /// The shift $m$ enters as a constant: the exact derivative of
    /// $m + \ln\sum_i e^{x_i - m}$ does not depend on $m$, so treating it as constant loses
    /// nothing.
    fn eval<T: Real>(&self, x: &[T]) -> T {
        let m = x
            .iter()
            .map(|x_i| x_i.to_f64())
            .fold(f64::NEG_INFINITY, f64::max);
        let shift = T::from_f64(m);
        let mut total = T::zero();
        for &x_i in x {
            total += (x_i - shift).exp();
        }
        shift + total.ln()
    }
}

impl TestFunction for LogSumExp {
    fn name(&self) -> &'static str {
        "log-sum-exp"
    }

    fn gradient_formula(&self, x: &[f64], grad: &mut [f64]) {
        grad.copy_from_slice(&Self::softmax(x));
    }

    fn hessian_formula(&self, x: &[f64]) -> DMatrix<f64> {
        let p = DVector::from_vec(Self::softmax(x));
        DMatrix::from_diagonal(&p) - &p * p.transpose()
    }

    fn minimizers(&self) -> Vec<Vec<f64>> {
        Vec::new()
    }

    fn minimum(&self) -> Option<f64> {
        None
    }

    fn starting_point(&self) -> Vec<f64> {
        vec![0.0; self.n]
    }
}
