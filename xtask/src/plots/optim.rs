//! Figures of the chapter "Optimizers" (`docs/src/optimizers.md`).
//!
//! - `optimizers-quadratic-paths` and `optimizers-rosenbrock-paths`: the iterates of SGD,
//!   momentum, Nesterov, AdaGrad, RMSprop and Adam from one starting point, over the contours
//!   of an ill-conditioned quadratic and of Rosenbrock's function.
//! - `optimizers-quadratic-loss` and `optimizers-rosenbrock-loss`: the loss of the same runs
//!   against the step, on a log scale.
//! - `optimizers-schedules`: the learning rate of each schedule over 100 steps.
//!
//! Every run is deterministic (no randomness at all), so the figures are the same every time.

use ::optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, CosineAnnealingLr, ExponentialLr, LinearLr,
    MultiStepLr, OneCycleConfig, OneCycleLr, Optimizer, Rmsprop, RmspropConfig, Schedule, Sgd,
    SgdConfig, StepLr,
};
use gradient::ScalarFunction;
use gradient::test_functions::{Quadratic, Rosenbrock, TestFunction};

use super::charts::{ContourPlot, Levels, LineChart, Series, Spot};
use super::frame::Legend;
use super::style::{self, Axis, Scale};
use super::{Canvas, Figure};
use crate::workspace::Result;

/// The paths of six optimizers over the ill-conditioned quadratic.
pub const QUADRATIC_PATHS: Figure = Figure {
    name: "optimizers-quadratic-paths",
    chapter: "optimizers",
    description: "f = (x² + 25y²)/2: paths of SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam",
    draw: quadratic_paths,
};

/// The loss of the same runs, log scale.
pub const QUADRATIC_LOSS: Figure = Figure {
    name: "optimizers-quadratic-loss",
    chapter: "optimizers",
    description: "f = (x² + 25y²)/2: loss against step for the six optimizers (log scale)",
    draw: quadratic_loss,
};

/// The paths of six optimizers over Rosenbrock's function.
pub const ROSENBROCK_PATHS: Figure = Figure {
    name: "optimizers-rosenbrock-paths",
    chapter: "optimizers",
    description: "Rosenbrock from (-1.5, 2): paths of SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam",
    draw: rosenbrock_paths,
};

/// The loss of the same runs, log scale.
pub const ROSENBROCK_LOSS: Figure = Figure {
    name: "optimizers-rosenbrock-loss",
    chapter: "optimizers",
    description: "Rosenbrock from (-1.5, 2): loss against step for the six optimizers (log scale)",
    draw: rosenbrock_loss,
};

/// The learning-rate schedules.
pub const SCHEDULES: Figure = Figure {
    name: "optimizers-schedules",
    chapter: "optimizers",
    description: "learning rate against step for each schedule, base rate 0.1, 100 steps",
    draw: schedules,
};

/// One optimizer run: a legend name and the optimizer.
type Run = (&'static str, Box<dyn Optimizer<f64>>);

/// The condition number of the quadratic: 25 times steeper across than along.
const CONDITION: f64 = 25.0;
/// Where every quadratic run starts.
const QUADRATIC_START: [f64; 2] = [-4.5, 1.5];
/// Steps of every quadratic run.
const QUADRATIC_STEPS: usize = 50;

/// The six optimizers on the quadratic $f = (x^2 + 25 y^2)/2$, whose curvatures are 1 and 25.
/// Gradient descent is stable below $2/25 = 0.08$; at 0.07 it zig-zags across the valley. The
/// momentum runs use a smaller rate, 0.05, yet move along the valley faster (their effective
/// step there is $\gamma/(1 - \mu) \approx 0.17$); the adaptive ones take a rate in parameter
/// units.
fn quadratic_runs() -> Result<Vec<Run>> {
    Ok(vec![
        ("SGD, lr 0.07", sgd(0.07, 0.0, false)?),
        ("momentum 0.7, lr 0.05", sgd(0.05, 0.7, false)?),
        ("Nesterov 0.7, lr 0.05", sgd(0.05, 0.7, true)?),
        ("AdaGrad, lr 1", adagrad(1.0)?),
        ("RMSprop, lr 0.05", rmsprop(0.05)?),
        ("Adam, lr 0.2", adam(0.2)?),
    ])
}

/// Where every Rosenbrock run starts.
const ROSENBROCK_START: [f64; 2] = [-1.5, 2.0];
/// Steps of every Rosenbrock run.
const ROSENBROCK_STEPS: usize = 2000;

/// The six optimizers on Rosenbrock's function. Its curvature across the valley is 2092 at the
/// start (the Hessian's largest eigenvalue), so a step there is stable only below
/// $2/2092 \approx 9.6 \times 10^{-4}$, just below the $10^{-3}$ of plain gradient descent, which
/// the valley's flatter parts tolerate. The rates of the others are tuned to reach the
/// minimum (or come close) within 2000 steps.
fn rosenbrock_runs() -> Result<Vec<Run>> {
    Ok(vec![
        ("SGD, lr 1e-3", sgd(1e-3, 0.0, false)?),
        ("momentum 0.9, lr 1e-3", sgd(1e-3, 0.9, false)?),
        ("Nesterov 0.9, lr 1e-3", sgd(1e-3, 0.9, true)?),
        ("AdaGrad, lr 0.5", adagrad(0.5)?),
        ("RMSprop, lr 5e-3", rmsprop(5e-3)?),
        ("Adam, lr 0.05", adam(0.05)?),
    ])
}

fn sgd(learning_rate: f64, momentum: f64, nesterov: bool) -> Result<Box<dyn Optimizer<f64>>> {
    Ok(Box::new(Sgd::new(SgdConfig {
        learning_rate,
        momentum,
        nesterov,
        ..SgdConfig::default()
    })?))
}

fn adagrad(learning_rate: f64) -> Result<Box<dyn Optimizer<f64>>> {
    Ok(Box::new(Adagrad::new(AdagradConfig {
        learning_rate,
        ..AdagradConfig::default()
    })?))
}

fn rmsprop(learning_rate: f64) -> Result<Box<dyn Optimizer<f64>>> {
    Ok(Box::new(Rmsprop::new(RmspropConfig {
        learning_rate,
        ..RmspropConfig::default()
    })?))
}

fn adam(learning_rate: f64) -> Result<Box<dyn Optimizer<f64>>> {
    Ok(Box::new(Adam::new(AdamConfig {
        learning_rate,
        ..AdamConfig::default()
    })?))
}

/// The iterates and losses of one run: `points[0]` is the start, `losses[k]` the loss at
/// `points[k]`.
struct Trajectory {
    points: Vec<(f64, f64)>,
    losses: Vec<f64>,
}

/// Runs `optimizer` on `f` from `start` for `steps` steps with the exact gradient.
fn trajectory<F: TestFunction>(
    f: &F,
    optimizer: &mut dyn Optimizer<f64>,
    start: [f64; 2],
    steps: usize,
) -> Result<Trajectory> {
    let mut theta = start;
    let mut grad = [0.0; 2];
    let mut points = vec![(theta[0], theta[1])];
    let mut losses = vec![f.value(&theta)?];
    for _ in 0..steps {
        f.gradient_into(&theta, &mut grad)?;
        optimizer.step(&mut theta, &grad)?;
        points.push((theta[0], theta[1]));
        losses.push(f.value(&theta)?);
    }
    Ok(Trajectory { points, losses })
}

fn quadratic() -> Result<Quadratic> {
    Ok(Quadratic::ill_conditioned(2, CONDITION)?)
}

fn rosenbrock() -> Result<Rosenbrock> {
    Ok(Rosenbrock::new(2)?)
}

/// Every run's trajectory on `f`, with its name.
fn all_trajectories<F: TestFunction>(
    f: &F,
    runs: Vec<Run>,
    start: [f64; 2],
    steps: usize,
) -> Result<Vec<(&'static str, Trajectory)>> {
    runs.into_iter()
        .map(|(name, mut optimizer)| Ok((name, trajectory(f, optimizer.as_mut(), start, steps)?)))
        .collect()
}

/// Draws the paths over $[-5, 5] \times [-2, 2]$ with contours at $f = 0.5, 2, 5, 10, 20$.
///
/// # Errors
///
/// A test-function, optimizer or drawing error.
pub fn quadratic_paths(canvas: &Canvas) -> Result<()> {
    let f = quadratic()?;
    let runs = all_trajectories(&f, quadratic_runs()?, QUADRATIC_START, QUADRATIC_STEPS)?;
    let mut plot = ContourPlot::new(
        "f(x, y) = (x² + 25 y²) / 2: 50 steps from (-4.5, 1.5)",
        Axis::linear("x").range(-5.0, 5.0),
        Axis::linear("y").range(-2.0, 2.0),
        |x, y| f.eval(&[x, y]),
    )
    .levels(Levels::Values(vec![0.5, 2.0, 5.0, 10.0, 20.0, 40.0]))
    .legend(Legend::LowerRight);
    for (index, (name, run)) in runs.into_iter().enumerate() {
        plot = with_path(plot, name, run, index);
    }
    plot.spot(Spot::new((0.0, 0.0), "minimum").colour(style::GREY))
        .draw(canvas)
}

/// Draws the loss of the quadratic runs against the step.
///
/// # Errors
///
/// A test-function, optimizer or drawing error.
pub fn quadratic_loss(canvas: &Canvas) -> Result<()> {
    let f = quadratic()?;
    let runs = all_trajectories(&f, quadratic_runs()?, QUADRATIC_START, QUADRATIC_STEPS)?;
    loss_chart(
        "f(x, y) = (x² + 25 y²) / 2: loss against step",
        runs,
        canvas,
    )
}

/// Draws the paths over $[-2, 2] \times [-1, 3]$, shaded and spaced on a log scale of f so
/// that the narrow curved valley shows.
///
/// # Errors
///
/// A test-function, optimizer or drawing error.
pub fn rosenbrock_paths(canvas: &Canvas) -> Result<()> {
    let f = rosenbrock()?;
    let runs = all_trajectories(&f, rosenbrock_runs()?, ROSENBROCK_START, ROSENBROCK_STEPS)?;
    let mut plot = ContourPlot::new(
        "Rosenbrock 100 (y − x²)² + (1 − x)²: 2000 steps from (-1.5, 2)",
        Axis::linear("x").range(-2.0, 2.0),
        Axis::linear("y").range(-1.0, 3.0),
        |x, y| f.eval(&[x, y]),
    )
    .value_scale(Scale::Log)
    .levels(Levels::Count(14))
    .legend(Legend::LowerRight);
    for (index, (name, run)) in runs.into_iter().enumerate() {
        plot = with_path(plot, name, run, index);
    }
    plot.spot(Spot::new((1.0, 1.0), "minimum (1, 1)").colour(style::GREY))
        .draw(canvas)
}

/// Draws the loss of the Rosenbrock runs against the step.
///
/// # Errors
///
/// A test-function, optimizer or drawing error.
pub fn rosenbrock_loss(canvas: &Canvas) -> Result<()> {
    let f = rosenbrock()?;
    let runs = all_trajectories(&f, rosenbrock_runs()?, ROSENBROCK_START, ROSENBROCK_STEPS)?;
    loss_chart("Rosenbrock from (-1.5, 2): loss against step", runs, canvas)
}

/// Adds a run's path in the `index`-th palette colour, with a dot where it ended.
fn with_path<'f>(
    plot: ContourPlot<'f>,
    name: &'static str,
    run: Trajectory,
    index: usize,
) -> ContourPlot<'f> {
    let colour = style::colour(index);
    let end = run.points[run.points.len() - 1];
    plot.path(Series::line(name, run.points).colour(colour))
        .spot(Spot::new(end, "").colour(colour))
}

/// One line per run, loss (log scale) against step, in the runs' path colours.
fn loss_chart(title: &str, runs: Vec<(&'static str, Trajectory)>, canvas: &Canvas) -> Result<()> {
    let mut chart = LineChart::new(title, Axis::linear("step"), Axis::log("loss f(θ)"))
        .legend(Legend::LowerLeft);
    for (index, (name, run)) in runs.into_iter().enumerate() {
        let points = (0..).map(f64::from).zip(run.losses).collect();
        chart = chart.series(Series::line(name, points).colour(style::colour(index)));
    }
    chart.draw(canvas)
}

/// The base learning rate of the schedules figure.
const BASE_LR: f64 = 0.1;

/// Draws every schedule's rate at steps 0 to 99 with base rate 0.1.
///
/// # Errors
///
/// A schedule error (none: the settings are in range) or a drawing error.
pub fn schedules(canvas: &Canvas) -> Result<()> {
    let schedules: Vec<(&str, Box<dyn Schedule>)> = vec![
        ("StepLr(30, 0.5)", Box::new(StepLr::new(30, 0.5)?)),
        (
            "MultiStepLr([40, 70], 0.3)",
            Box::new(MultiStepLr::new(vec![40, 70], 0.3)?),
        ),
        ("ExponentialLr(0.97)", Box::new(ExponentialLr::new(0.97)?)),
        (
            "CosineAnnealingLr(100, 0)",
            Box::new(CosineAnnealingLr::new(100, 0.0)?),
        ),
        (
            "LinearLr(0.1, 1, 20)",
            Box::new(LinearLr::new(0.1, 1.0, 20)?),
        ),
        (
            "OneCycleLr(0.1, 100)",
            Box::new(OneCycleLr::new(OneCycleConfig {
                max_lr: BASE_LR,
                total_steps: 100,
                ..OneCycleConfig::default()
            })?),
        ),
    ];
    let mut chart = LineChart::new(
        "Learning-rate schedules, base rate 0.1",
        Axis::linear("step t"),
        Axis::linear("learning rate").range(0.0, 0.2),
    )
    .legend(Legend::UpperRight);
    for (name, schedule) in &schedules {
        let points = (0..100_u32)
            .map(|t| (f64::from(t), schedule.learning_rate(BASE_LR, u64::from(t))))
            .collect();
        chart = chart.series(Series::line(*name, points));
    }
    chart.draw(canvas)
}
