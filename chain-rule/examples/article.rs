//! The article's worked example, step by step: find du/dx, find dy/du, multiply, substitute
//! back; then one more link in the chain, and three independent checks of the result.
//!
//! Run with `cargo run -p chain-rule --example article`.

use chain_rule::composition::Chain;
use chain_rule::elementary::Elementary;
use chain_rule::finite_difference::Scheme;
use chain_rule::{Dual, Real, Tape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: two_level
    // y = u², u = 3x + 1, listed innermost first.
    let two_level = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
    ])?;
    let steps = two_level.derive(2.0)?;
    println!("{steps}");
    // ANCHOR_END: two_level

    println!();

    // ANCHOR: three_level
    // One more link: y = sin(u), u = v², v = 3x + 1.
    let three_level = Chain::new(vec![
        Elementary::Affine { a: 3.0, b: 1.0 },
        Elementary::Powi(2),
        Elementary::Sin,
    ])?;
    let steps = three_level.derive(0.0)?;
    println!("{steps:.6}");
    // ANCHOR_END: three_level

    println!();

    // ANCHOR: checks
    // The same derivative three more ways, from one generic function that never mentions
    // derivatives: the chain rule is applied by the number type.
    let x = 0.0;
    let by_hand = steps.derivative();
    let by_duals = three_level_generic(Dual::variable(x)).derivative;
    let tape = Tape::new();
    let x_var = tape.var(x);
    let by_tape = three_level_generic(x_var).backward().wrt(x_var);
    let by_differences = Scheme::Central.derivative(three_level_generic, x)?;
    println!("dy/dx at x = {x}:");
    println!("  chain rule by hand   {by_hand:.12}");
    println!("  dual numbers         {by_duals:.12}");
    println!("  tape (reverse mode)  {by_tape:.12}");
    println!("  central difference   {by_differences:.12}");
    println!("  exact, 6 cos(1)      {:.12}", 6.0 * 1.0_f64.cos());
    // ANCHOR_END: checks
    Ok(())
}

// ANCHOR: generic
/// y = sin((3x + 1)²), written once for every number type.
fn three_level_generic<T: Real>(x: T) -> T {
    let v = T::from_f64(3.0) * x + T::one();
    let u = v.powi(2);
    u.sin()
}
// ANCHOR_END: generic
