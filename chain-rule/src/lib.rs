//! # The chain rule
//!
//! How does a small change in $x$ travel through $y = g(f(x))$?
//! Through the intermediate $u = f(x)$: first $x$ moves $u$, then $u$ moves $y$, and the rates
//! multiply:
//!
//! $$ \frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx} $$
//!
//! Plain text: `dy/dx = dy/du * du/dx`.
//!
//! Scalars are written generically over [`Real`], so one function runs on `f64`, on
//! [`Dual`] numbers (forward mode) and on [`Tape`] variables (reverse mode).

// LaTeX in the docs (`$v_i$`, `$\partial$`) reads as unquoted code to this lint.
#![allow(clippy::doc_markdown)]

pub mod composition;
pub mod dual;
pub mod elementary;
pub mod error;
pub mod finite_difference;
pub mod real;
pub mod tape;

pub use dual::Dual;
pub use error::Error;
pub use real::Real;
pub use tape::{Gradients, Tape, Var};
