//! The single integration-test binary of `chain-rule`.

mod dual;
mod tape;
