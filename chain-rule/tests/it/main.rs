//! The single integration-test binary of `chain-rule`.

mod composition;
mod dual;
mod elementary;
mod errors;
mod expression;
mod finite_difference;
mod support;
mod tape;
