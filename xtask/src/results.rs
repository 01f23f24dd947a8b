//! `cargo xtask results`: trains the networks behind the course's quoted results and prints
//! one Markdown table per result, with the seeds, so anybody can reproduce a number.
//!
//! Every run comes from `mlp::train::recipes` (the same functions the integration tests
//! assert and the figures draw), so the printed table, the tests and the chapters cannot
//! drift apart. Below each table it says whether the course's target is met, and the task
//! fails if one is missed. Writes nothing.

use std::ops::Range;
use std::time::Instant;

use mlp::train::recipes::{self, Outcome};

use crate::workspace::Result;

/// Seeds of the XOR success-rate table.
pub const XOR_SEEDS: Range<u64> = 0..100;
/// Hidden widths of the XOR table.
pub const XOR_WIDTHS: [usize; 4] = [2, 3, 4, 8];
/// Seeds of every other table (initial weights, shuffling and, for real data, the split).
pub const SEEDS: Range<u64> = 0..5;

/// Trains every recipe and prints its table.
///
/// # Errors
///
/// If a recipe fails (it never does for the shipped settings).
pub fn run() -> Result<()> {
    let start = Instant::now();
    let mut met = xor_table()?;
    met &= per_seed_table(
        "Two moons (100 points, noise 0.1, data seed 0), 2-16-16-1 ReLU, Adam 0.01, batch 10, 500 epochs",
        "training accuracy",
        recipes::moons,
        |o| o.train.accuracy,
        Some(1.0),
    )?;
    // The course quotes "about 49 %" (CS231n's draw of the spirals): a comparison, not a target.
    met &= per_seed_table(
        "Spirals (3 × 100, noise 0.2, data seed 0), linear softmax, full-batch SGD 1.0, L2 1e-3, 200 epochs",
        "training accuracy",
        recipes::spirals_linear,
        |o| o.train.accuracy,
        None,
    )?;
    met &= per_seed_table(
        "Spirals (3 × 100, noise 0.2, data seed 0), 2-100-3 ReLU, full-batch SGD 1.0, L2 1e-3, 10000 epochs",
        "training accuracy",
        recipes::spirals_mlp,
        |o| o.train.accuracy,
        Some(0.98),
    )?;
    met &= per_seed_table(
        "Digits, stratified 70/30 split, 64-128-10 ReLU, L2 1e-3, Adam 1e-3, batch 32, 100 epochs",
        "test accuracy",
        recipes::digits,
        test_accuracy,
        Some(0.975),
    )?;
    met &= per_seed_table(
        "Iris (3 classes), stratified 70/30 split, 4-16-3 tanh, Adam 0.01, batch 16, 200 epochs",
        "test accuracy",
        recipes::iris,
        test_accuracy,
        Some(0.95),
    )?;
    println!("all results in {:.1} s", start.elapsed().as_secs_f64());
    if met {
        Ok(())
    } else {
        Err("a result missed the course's target (see MISSED above)".into())
    }
}

/// The XOR success rate over [`XOR_SEEDS`] for each hidden width; the target is every seed
/// solved by the widest.
fn xor_table() -> Result<bool> {
    println!(
        "## XOR, 2-h-1 sigmoid, binary cross-entropy, full-batch SGD 2.0, 5000 epochs, seeds {}..{}\n",
        XOR_SEEDS.start, XOR_SEEDS.end
    );
    println!("| hidden units | solved (4/4 right) | unsolved seeds |");
    let mut widest_solved = 0.0;
    println!("| --- | --- | --- |");
    for width in XOR_WIDTHS {
        let mut unsolved = Vec::new();
        for seed in XOR_SEEDS {
            if recipes::xor(width, seed)?.train.accuracy < 0.99 {
                unsolved.push(seed);
            }
        }
        let n = XOR_SEEDS.end - XOR_SEEDS.start;
        println!(
            "| {width} | {} / {n} | {} |",
            n - unsolved.len() as u64,
            list(&unsolved)
        );
        widest_solved = (n - unsolved.len() as u64) as f64 / n as f64;
    }
    println!();
    Ok(report_target(
        "share of seeds the widest network solves",
        widest_solved,
        1.0,
    ))
}

/// One row per seed of [`SEEDS`] and the median.
fn per_seed_table(
    title: &str,
    measure: &str,
    recipe: fn(u64) -> std::result::Result<Outcome, recipes::Error>,
    value: fn(&Outcome) -> f64,
    target: Option<f64>,
) -> Result<bool> {
    println!("## {title}\n");
    println!("| seed | {measure} | final training loss | seconds |");
    println!("| --- | --- | --- | --- |");
    let mut values = Vec::new();
    for seed in SEEDS {
        let start = Instant::now();
        let outcome = recipe(seed)?;
        let v = value(&outcome);
        values.push(v);
        println!(
            "| {seed} | {:.2} % | {:.4} | {:.1} |",
            100.0 * v,
            outcome.train.loss,
            start.elapsed().as_secs_f64()
        );
    }
    let median = recipes::median(&values);
    println!("| median | {:.2} % | | |\n", 100.0 * median);
    Ok(match target {
        Some(target) => report_target(&format!("median {measure}"), median, target),
        None => true,
    })
}

/// Prints whether `value` reaches the course's `target` and returns whether it does.
fn report_target(what: &str, value: f64, target: f64) -> bool {
    let met = value >= target;
    println!(
        "target: {what} >= {:.1} %: {}\n",
        100.0 * target,
        if met { "met" } else { "MISSED" }
    );
    met
}

fn test_accuracy(outcome: &Outcome) -> f64 {
    outcome.test.map_or(f64::NAN, |test| test.accuracy)
}

/// `seeds` as a short comma-separated list ("none" when empty).
fn list(seeds: &[u64]) -> String {
    if seeds.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<String> = seeds.iter().take(12).map(u64::to_string).collect();
    if seeds.len() > shown.len() {
        format!("{}, … ({} in all)", shown.join(", "), seeds.len())
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn seed_lists_are_shortened_after_twelve() {
        assert_eq!(list(&[]), "none");
        assert_eq!(list(&[3, 5]), "3, 5");
        let many: Vec<u64> = (0..20).collect();
        assert_eq!(
            list(&many),
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (20 in all)"
        );
    }
}
