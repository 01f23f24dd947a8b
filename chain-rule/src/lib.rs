//! # The chain rule
//!
//! How does a small change in $x$ travel through $y = g(f(x))$?
//!
//! Through the intermediate $u = f(x)$: a nudge $\Delta x$ moves $u$ by about
//! $\frac{du}{dx}\Delta x$, and that moves $y$ by about $\frac{dy}{du}$ times as much.
//! The rates multiply:
//!
//! $$ \frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx} $$
//!
//! Plain text: `dy/dx = dy/du * du/dx`, with `dy/du` evaluated at `u = f(x)`.
//! A longer chain $x \to v \to u \to y$ multiplies one more factor,
//! $\frac{dy}{dx} = \frac{dy}{du}\frac{du}{dv}\frac{dv}{dx}$; a neural network is such a chain,
//! hundreds of links long, and backpropagation is this product computed cleverly.
//!
//! This crate computes the same derivative four independent ways, and its tests make them agree:
//!
//! 1. **By hand**, as the article does ([`composition`]): list the links, find each local
//!    derivative ([`elementary`]), multiply, substitute back. [`composition::Derivation`]
//!    keeps every inner value $u_k$ and every factor $du_k/du_{k-1}$ and prints the steps.
//! 2. **By finite differences** ([`finite_difference`]): $\frac{f(x+h) - f(x-h)}{2h}$, slow
//!    and approximate but independent of any derivative formula.
//! 3. **Forward mode** ([`Dual`]): numbers $a + b\varepsilon$ with $\varepsilon^2 = 0$ carry
//!    the derivative along with the value, applying the chain rule at every operation.
//! 4. **Reverse mode** ([`Tape`]): record the operations, then walk them backwards once,
//!    multiplying local derivatives from the output in. This is backpropagation.
//!
//! Everything numeric is written once over the trait [`Real`], so the same function runs on
//! `f32`, `f64`, [`Dual`] and the tape's [`Var`].
//!
//! ```
//! use chain_rule::composition::Chain;
//! use chain_rule::elementary::Elementary;
//! use chain_rule::{Dual, Real, Tape};
//!
//! // y = u², u = 3x + 1 at x = 2: du/dx = 3, dy/du = 2u = 14, dy/dx = 42.
//! let chain = Chain::new(vec![Elementary::Affine { a: 3.0, b: 1.0 }, Elementary::Powi(2)])?;
//! let by_hand = chain.derive(2.0)?.derivative();
//!
//! // The same function written over any Real.
//! fn y<T: Real>(x: T) -> T {
//!     (T::from_f64(3.0) * x + T::one()).powi(2)
//! }
//! let by_duals = y(Dual::variable(2.0)).derivative;
//! let tape = Tape::new();
//! let x = tape.var(2.0);
//! let by_tape = y(x).backward().wrt(x);
//!
//! for d in [by_hand, by_duals, by_tape] {
//!     assert!((d - 42.0).abs() < 1e-12);
//! }
//! # Ok::<(), chain_rule::Error>(())
//! ```
//!
//! Run `cargo run -p chain-rule --example article` to see the steps printed, and
//! `cargo test -p chain-rule` to watch the four methods agree on random expression trees.
//!
//! Next chapter: [`gradient`](../gradient/index.html), functions of many variables.

// LaTeX in the docs (`$v_i$`, `$\partial$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

// The scalar everything is written over.
pub mod real;

// The links of a chain, each with its derivative.
pub mod elementary;

// Vectorisable f32 tanh and sigmoid for the hot loops of later crates.
pub mod fast;

// The chain rule by hand.
pub mod composition;

// The independent numerical check.
pub mod finite_difference;

// Forward mode.
pub mod dual;

// Reverse mode.
pub mod tape;

// What can go wrong.
pub mod error;

pub use dual::Dual;
pub use error::Error;
pub use real::Real;
pub use tape::{Gradients, Tape, Var};
