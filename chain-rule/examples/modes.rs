//! One function, every way to differentiate it: forward and reverse mode, three finite
//! differences, and a second derivative by nesting duals.
//!
//! Run with `cargo run -p chain-rule --example modes`.

use chain_rule::dual::second_derivative;
use chain_rule::elementary::{sigmoid, tanh};
use chain_rule::finite_difference::Scheme;
use chain_rule::{Dual, Real, Tape};

// ANCHOR: function
/// f(x) = tanh(x) · σ(2x) + x², written once over any `Real`.
fn f<T: Real>(x: T) -> T {
    tanh(x) * sigmoid(T::from_f64(2.0) * x) + x.powi(2)
}
// ANCHOR_END: function

/// A function of two inputs, g(a, b) = a·b + sin(a), for the cost comparison below.
fn g<T: Real>(a: T, b: T) -> T {
    a * b + a.sin()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let x = 0.5;

    // ANCHOR: forward
    // Forward mode: seed x with derivative 1 and read the ε part of the result.
    let y = f(Dual::variable(x));
    println!("f({x}) = {:.12}", y.value);
    println!("forward mode (duals)   f'({x}) = {:.12}", y.derivative);
    // ANCHOR_END: forward

    // ANCHOR: reverse
    // Reverse mode: record the operations, then walk them backwards from the output.
    let tape = Tape::new();
    let x_var = tape.var(x);
    let y_var = f(x_var);
    let grads = y_var.backward();
    println!(
        "reverse mode (tape)    f'({x}) = {:.12}  ({} nodes recorded)",
        grads.wrt(x_var),
        tape.len()
    );
    // ANCHOR_END: reverse

    // ANCHOR: differences
    // Finite differences with each scheme's rule-of-thumb step.
    for scheme in Scheme::ALL {
        let estimate = scheme.derivative(f, x)?;
        println!(
            "{:<10} difference  f'({x}) = {estimate:.12}  (h = {:.1e}, error O(h^{}))",
            scheme.name(),
            scheme.step(x),
            scheme.order()
        );
    }
    // ANCHOR_END: differences

    // ANCHOR: second
    // Nesting duals: x + ε1 + ε2, and the ε1ε2 coefficient is f''(x).
    let f2 = second_derivative(f, x);
    let f2_check = Scheme::Central.derivative(|t| f(Dual::variable(t)).derivative, x)?;
    println!("nested duals           f''({x}) = {f2:.12}");
    println!("difference of f'       f''({x}) = {f2_check:.12}");
    // ANCHOR_END: second

    // ANCHOR: cost
    // Two inputs: one backward pass gives both partial derivatives; forward mode needs one
    // pass per input (seed a, then seed b).
    let (a, b) = (1.0, 2.0);
    let tape = Tape::new();
    let (a_var, b_var) = (tape.var(a), tape.var(b));
    let grads = g(a_var, b_var).backward();
    let by_duals = [
        g(Dual::variable(a), Dual::constant(b)).derivative,
        g(Dual::constant(a), Dual::variable(b)).derivative,
    ];
    println!("g(a, b) = ab + sin(a) at (1, 2): ∂g/∂a = b + cos(a), ∂g/∂b = a");
    println!(
        "  tape, one backward pass: ({:.12}, {:.12})",
        grads.wrt(a_var),
        grads.wrt(b_var)
    );
    println!(
        "  duals, two forward passes: ({:.12}, {:.12})",
        by_duals[0], by_duals[1]
    );
    // ANCHOR_END: cost
    Ok(())
}
