//! `cargo xtask <TASK>`: the command line of the project tasks (see the library's docs, or
//! `cargo xtask --help`).

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use xtask::{bench, book, ci, doc, plots, quotes, results};

/// Project tasks for the backpropagation course.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Draw every course figure into docs/src/figures/ (PNG), deterministically.
    Plots {
        /// Draw only the figure with this name.
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
        /// List the registered figures and exit.
        #[arg(long, conflicts_with_all = ["only", "check"])]
        list: bool,
        /// Write nothing; fail if a figure file differs from what the code draws.
        #[arg(long)]
        check: bool,
    },
    /// Draw the figures, then build the course book from docs/ into docs/book/.
    Book,
    /// Build the workspace API docs with KaTeX math (cargo doc --workspace --no-deps).
    Doc {
        /// Open the docs in a browser when built.
        #[arg(long)]
        open: bool,
    },
    /// Run the workspace criterion benchmarks.
    Bench {
        /// Benchmark only this package.
        #[arg(short, long, value_name = "PACKAGE")]
        package: Option<String>,
        /// Arguments passed to criterion, for example a benchmark name filter.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Train the networks behind the course's results and print their tables with the seeds.
    Results,
    /// Run the examples and `results` and draw the figures in memory; fail if a number the course
    /// quotes from them is stale.
    Quotes,
    /// Run the CI gate: exactly what .ci/run does.
    Ci,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match cli.task {
        Task::Plots { only, list, check } => {
            if list {
                plots::list();
                Ok(())
            } else {
                plots::run(only.as_deref(), check)
            }
        }
        Task::Book => book::run(),
        Task::Doc { open } => doc::run(open),
        Task::Bench { package, args } => bench::run(package.as_deref(), &args),
        Task::Results => results::run(),
        Task::Quotes => quotes::run(),
        Task::Ci => ci::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reports a command-line error; for an unknown or missing task, lists the tasks too. `--help`
/// and `--version` print and succeed.
fn usage_error(error: &clap::Error) -> ExitCode {
    if !error.use_stderr() {
        // --help or --version: print to stdout and succeed.
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let _ = error.print();
    // (A missing task already prints the whole help.)
    if matches!(
        error.kind(),
        ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand
    ) {
        eprintln!();
        eprintln!("{}", Cli::command().render_long_help());
    }
    ExitCode::from(2)
}
