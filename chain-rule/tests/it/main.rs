//! The single integration-test binary of `chain-rule`.

mod composition;
mod conveniences;
mod dual;
mod elementary;
mod errors;
mod expression;
mod fast;
mod finite_difference;
mod real;
mod support;
mod tape;
