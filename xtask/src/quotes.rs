//! `cargo xtask quotes`: checks that every number the course quotes from a program's output is
//! what that program prints now.
//!
//! The chapters quote what the examples and `cargo xtask results` print, and what the figures
//! of `cargo xtask plots` write in their titles and legends: a loss, an epoch, a row of a
//! table, a whole printed block, an accuracy in a caption. The examples run in the tests and
//! in CI, and `plots --check` compares the figures' pixels, but nothing compared their numbers
//! with the prose, so a change to a recipe or a seed could leave a stale number behind.
//! [`SOURCES`] lists each quote: the program, a regular expression for the printed lines (its
//! groups capture the numbers), and the text the file must contain with those numbers put in.
//! The task runs every program once, checks every quote, and lists every quote that no longer
//! holds, with what the program printed.
//!
//! Whitespace is compared loosely (any run of spaces and line breaks matches any other), so a
//! printed table may be quoted with its columns aligned or as one line of prose. A figure is
//! drawn in memory (nothing is written) and its output is the text it draws, one piece per
//! line. Numbers a caption reads off a curve (a loss "below 0.1 by epoch 30") are not
//! covered, nor are benchmark timings; numbers written literally in a quote's `says` are
//! matched, not checked.
//!
//! Writes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use regex::{Captures, Regex};

use crate::plots;
use crate::workspace::{self, Result};

/// A program whose output the course quotes.
#[derive(Clone, Copy, Debug)]
pub enum Program {
    /// `cargo run -p <package> --example <name>`.
    Example {
        /// The package (its directory in the workspace).
        package: &'static str,
        /// The example's name.
        name: &'static str,
    },
    /// `cargo xtask results`, run as this same binary's `results` task.
    Results,
    /// The text a figure of `cargo xtask plots` draws (its titles, labels and legends), one
    /// piece per line; drawn in memory, nothing is written.
    Figure {
        /// The figure's name (`cargo xtask plots --list`).
        name: &'static str,
    },
}

impl Program {
    /// The command a reader types to see the output.
    pub fn command_line(self) -> String {
        match self {
            Program::Example { package, name } => {
                format!("cargo run -p {package} --example {name}")
            }
            Program::Results => "cargo xtask results".to_string(),
            Program::Figure { name } => format!("cargo xtask plots --only {name}"),
        }
    }

    /// Runs the program (draws the figure) and returns what it printed on standard output (the
    /// text it drew).
    fn output(self) -> Result<String> {
        let mut command = match self {
            Program::Figure { name } => return plots::drawn_text(name),
            Program::Example { package, name } => {
                let mut command = workspace::cargo();
                command.args(["run", "--quiet", "-p", package, "--example", name]);
                command
            }
            Program::Results => {
                let mut command = Command::new(std::env::current_exe()?);
                command.arg("results").current_dir(workspace::root());
                command
            }
        };
        let output = command
            .output()
            .map_err(|error| format!("could not start `{}`: {error}", self.command_line()))?;
        if !output.status.success() {
            return Err(format!(
                "`{}` failed ({}):\n{}",
                self.command_line(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(String::from_utf8(output.stdout)
            .map_err(|_| format!("`{}` printed invalid UTF-8", self.command_line()))?)
    }
}

/// One quote: where it is, what the program prints, and what the file says.
#[derive(Clone, Copy, Debug)]
pub struct Quote {
    /// The quoting file, from the workspace root.
    pub file: &'static str,
    /// A regular expression over the program's output; its groups capture the numbers.
    pub printed: &'static str,
    /// The text the file contains, with placeholders for the captures: `<i>` is group `i` as
    /// printed (`<0>` the whole match); `<i:.d>` is it rounded again to `d` decimals, half
    /// away from zero on the printed digits (a printed `0.1169543` quoted as `0.11695`, or
    /// `9.90e-3` as `0.0099`); `<i-j>` and
    /// `<i-j:.d>` stand for groups `i` to `j`, which must all read the same (five seeds with
    /// one accuracy).
    pub says: &'static str,
}

/// A program and the quotes of its output.
#[derive(Clone, Copy, Debug)]
pub struct Source {
    /// The program.
    pub program: Program,
    /// What the course quotes from its output.
    pub quotes: &'static [Quote],
}

const CHAIN_RULE: &str = "docs/src/chain-rule.md";
const GRADIENT: &str = "docs/src/gradient.md";
const PERCEPTRON: &str = "docs/src/perceptron.md";
const BACKPROP_MATRIX: &str = "docs/src/backprop-matrix.md";
const TRAINING: &str = "docs/src/training.md";
const OPTIMIZERS: &str = "docs/src/optimizers.md";

/// A pattern for a per-seed table of `cargo xtask results`: its heading (`$heading`, a
/// pattern for the line), the header rows, and seeds 0 to 4 with each seed's percentage as
/// groups 1 to 5, followed by the pattern `$after`, if any.
macro_rules! seed_rows {
    ($heading:literal $(, $after:literal)?) => {
        concat!(
            $heading,
            r"\n\n.*\n.*\n\| 0 \| (\S+) %.*\n\| 1 \| (\S+) %.*\n\| 2 \| (\S+) %.*\n\| 3 \| (\S+) %.*\n\| 4 \| (\S+) %",
            $($after)?
        )
    };
}

/// Every quote of the course, by the program that prints it.
pub const SOURCES: &[Source] = &[
    Source {
        program: Program::Example {
            package: "chain-rule",
            name: "article",
        },
        quotes: &[
            Quote {
                file: CHAIN_RULE,
                printed: r"(?m)^y = u\^2, u = 3x \+ 1$(?:\n.*){8}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: CHAIN_RULE,
                printed: r"at x = 2: u = (\d+), y = \d+\n *du/dx = (\d+), dy/du = (\d+)\n *dy/dx = \d+ · \d+ = (\d+)",
                says: r"At $x = 2$: $u = <1>$, $\frac{dy}{du} = <3>$, and $\frac{dy}{dx} = <3> \cdot <2> = <4>$.",
            },
            Quote {
                file: CHAIN_RULE,
                printed: r"exact, 6 cos\(1\) +(\S+)",
                says: r"$\frac{dy}{dx} = 6\cos 1 \approx <1:.4>$",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "gradient",
            name: "article",
        },
        quotes: &[
            Quote {
                file: GRADIENT,
                printed: r"t = 0\.1 *: f rises by (\S+), \|∇f\| t = (\S+)\n.*t = 0\.01 *: f rises by (\S+), \|∇f\| t = (\S+)\n.*t = 0\.001: f rises by (\S+), \|∇f\| t = (\S+)",
                says: r"The rises are $<1:.4>$, $<3:.5>$ and $<5:.6>$ for $t = 0.1$, $0.01$ and $0.001$, against $|\nabla f|\,t = <2:.4>$, $<4:.5>$ and $<6:.6>$",
            },
            Quote {
                file: GRADIENT,
                printed: r"best of 1000 directions: slope (\S+) at (\S+) rad; the gradient points at (\S+) rad",
                says: r"The best of them climbs at $<1>$, in the direction $<2-3>$ radians",
            },
            Quote {
                file: GRADIENT,
                printed: r"∇f by central differences: +(\(\S+ \S+\))",
                says: r"On the article's function they give $<1>$",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "gradient",
            name: "gradient_check",
        },
        quotes: &[
            Quote {
                file: GRADIENT,
                printed: r"worst: coordinate 1 with relative error (\S+),",
                says: r"a coordinate 1 % off fails ($e \approx <1:.4>$)",
            },
            Quote {
                file: GRADIENT,
                printed: r"of 8 directions above threshold \S+ \(seed 42\), (\d+) evaluations",
                says: "in <1> evaluations instead of 20 000",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "perceptron",
            name: "walkthrough",
        },
        quotes: &[
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^inputs x = .*(?:\n.*){6}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^Step 2: loss(?:\n.*){1}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^Step 3: .*(?:\n.*){8}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^Step 4: .*(?:\n.*){6}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^Training on setosa vs rest.*(?:\n.*){7}(?:\n\n|\n?\z)",
                says: "<0>",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "perceptron",
            name: "tasks",
        },
        quotes: &[
            Quote {
                file: PERCEPTRON,
                printed: r"(?m)^task +loss.*(?:\n.*){6}(?:\n\n|\n?\z)",
                says: "<0>",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"versicolor vs virginica +squared error +(\S+)% +(\S+)%",
                says: "reaches <1> % on its own training flowers but <2> %",
            },
            Quote {
                file: PERCEPTRON,
                printed: r"benign vs malignant +squared error +\S+% +(\S+)%\n.*benign vs malignant +cross-entropy +\S+% +(\S+)%",
                says: "reaches <2>-<1> % held out",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "mlp",
            name: "xor",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"(?s)^.*\S",
            says: "<0>",
        }],
    },
    Source {
        program: Program::Example {
            package: "mlp",
            name: "digits",
        },
        quotes: &[
            Quote {
                file: TRAINING,
                printed: r"initial loss (\S+),",
                says: "This network starts at <1> (`cargo run -p mlp --example digits`)",
            },
            Quote {
                file: TRAINING,
                printed: r"initial loss (\S+),.*accuracy (\S+) %\nlogit variance (\S+), mean lse\(z\) - mean z (\S+), mean z_y - mean z (\S+)",
                says: r"Here $s^2$ is <3> on average, which predicts 3.20; the measured mean is <4> (at this spread the second order is only close). The second term averages 0 for a network that knows nothing, but this seed's random network happens to favour the true class a little (<2:.0> % right, where chance is 10 %): $z_y$ lies <5> above $\bar z$ on average, and $<4> - <5> \approx <1>$",
            },
            Quote {
                file: TRAINING,
                printed: r"stopped after (\d+) epochs, best epoch (\d+): validation loss \S+, accuracy (\S+) %\n.*\ntest accuracy (\S+) %",
                says: "The run above stops after <1> epochs, keeps epoch <2> (validation accuracy <3> %), and then gets <4> % of the held-out test images right.",
            },
            Quote {
                file: TRAINING,
                printed: r"stopped after (\d+) epochs, best epoch (\d+)",
                says: "Early stopping with patience 10 ran <1> epochs and kept epoch <2>.",
            },
            Quote {
                file: TRAINING,
                printed: r"update / weight per layer: (.+)",
                says: "(the example prints `<1>` for its two layers, at the epoch it keeps)",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "optim",
            name: "ravine",
        },
        quotes: &[
            Quote {
                file: OPTIMIZERS,
                printed: r"gradient descent: loss below 1e-8 after (\d+) steps\nmomentum 0\.8: loss below 1e-8 after (\d+) steps\nnesterov 0\.8: loss below 1e-8 after (\d+) steps",
                says: "It prints <1> steps for gradient descent, <2> for momentum 0.8 and <3> for Nesterov.",
            },
            Quote {
                file: OPTIMIZERS,
                printed: r"nesterov at (\S+): gradient \d+ is inf",
                says: "push it to <1> and it diverges until the gradient overflows",
            },
        ],
    },
    Source {
        program: Program::Example {
            package: "optim",
            name: "adaptive",
        },
        quotes: &[Quote {
            file: OPTIMIZERS,
            printed: r"t = 1: m = (\S+), m / \(1 - beta1\^t\) = (\S+)\n.*= (\S+)\n.*= (\S+)\n.*= (\S+)\n.*= (\S+)\n",
            says: r"$m$ creeps up from <1:.1> while $\hat m$ is <2-6:.0> from the first step",
        }],
    },
    Source {
        program: Program::Figure {
            name: "gradient-contours",
        },
        quotes: &[Quote {
            file: GRADIENT,
            printed: r"∇f = \((\d+), (\d+)\), \|∇f\| ≈ \S+\n\(1, 2\), f = (\d+)",
            says: r"the point (1, 2) with its gradient (<1>, <2>) drawn in orange, perpendicular to the contour f = <3>",
        }],
    },
    Source {
        program: Program::Figure {
            name: "perceptron-boundary",
        },
        quotes: &[Quote {
            file: PERCEPTRON,
            printed: r"epoch 0: (\d+) % right(?:\n.*)*\nepoch 100: (\d+) % right",
            says: r"through the versicolor cloud with <1> % right, turns, and settles on a falling diagonal between the two clouds with <2> % right",
        }],
    },
    Source {
        program: Program::Figure {
            name: "perceptron-loss",
        },
        quotes: &[Quote {
            file: PERCEPTRON,
            printed: r"training, (\S+) at epoch 40\b(?s:.*)validation, (\S+) at epoch 40\b",
            says: r"both falling steadily from 0.25 to <1> (training) and <2> (validation) at epoch 40",
        }],
    },
    Source {
        program: Program::Figure {
            name: "training-digits-loss",
        },
        quotes: &[Quote {
            file: TRAINING,
            printed: r"training, (\S+) at epoch 100\b(?s:.*)held out \(30 %\), (\S+) at epoch 100\b",
            says: r"the training loss keeps falling to <1:.3> while the held-out loss is below 0.1 by epoch 30 and only reaches <2:.2> by epoch 100",
        }],
    },
    Source {
        program: Program::Figure {
            name: "training-digits-accuracy",
        },
        quotes: &[Quote {
            file: TRAINING,
            printed: r"training, (\S+) % at epoch 100\b(?s:.*)held out \(30 %\), (\S+) % at epoch 100\b",
            says: r"training reaches <1> %, held out levels off near <2:.1> %",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-xor-linear",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"XOR, no hidden layer: (\d+) % of training points right",
            says: r"<1> % of the training points right, two of the four](figures/backprop-matrix-xor-linear.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-xor-mlp",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"XOR, 2-8-1 sigmoid: (\d+) % of training points right",
            says: r"<1> % of the training points right](figures/backprop-matrix-xor-mlp.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-moons-linear",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"Two moons, no hidden layer: (\d+) % of training points right",
            says: r"<1> % of the training points right](figures/backprop-matrix-moons-linear.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-moons-mlp",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"Two moons, 2-16-16-1 ReLU: (\d+) % of training points right",
            says: r"<1> % of the training points right](figures/backprop-matrix-moons-mlp.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-spirals-linear",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"Spirals, linear softmax: (\d+) % of training points right",
            says: r"<1> % of the training points right](figures/backprop-matrix-spirals-linear.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-spirals-mlp",
        },
        quotes: &[Quote {
            file: BACKPROP_MATRIX,
            printed: r"Spirals, 2-100-3 ReLU: (\d+) % of training points right",
            says: r"<1> % of the training points right](figures/backprop-matrix-spirals-mlp.png)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "backprop-matrix-gradcheck",
        },
        quotes: &[
            Quote {
                file: BACKPROP_MATRIX,
                printed: r"all (\d+) parameters \(worst (\S+)\)",
                says: r"for the <1> parameters of a random 4-8-8-3 network: all between 1e-13 and 1e-7 (worst <2>)",
            },
            Quote {
                file: BACKPROP_MATRIX,
                printed: r"all (\d+) parameters",
                says: r"The figure does the same for all <1> parameters",
            },
        ],
    },
    Source {
        program: Program::Figure {
            name: "training-digits-confusion",
        },
        quotes: &[Quote {
            file: TRAINING,
            printed: r"Held-out digits: (\d+) of (\d+) wrong",
            says: r"on the held-out 30 %: almost everything on the diagonal, <1> of <2> wrong",
        }],
    },
    Source {
        program: Program::Figure {
            name: "training-landscape-slice",
        },
        quotes: &[Quote {
            file: TRAINING,
            printed: r"(\S+) at the centre, at most (\S+) at radius 0\.5",
            says: r"raises the loss only a little, from <1> to at most <2> (the figure's title)",
        }],
    },
    Source {
        program: Program::Figure {
            name: "training-vanishing-sigmoid",
        },
        quotes: &[
            Quote {
                file: TRAINING,
                printed: r"\((\d+) % after 40 epochs\)",
                says: r"flat over 40 epochs, and accuracy stays at <1> %",
            },
            Quote {
                file: TRAINING,
                printed: r"output layer, (\S+) at epoch 40",
                says: r"from the output layer (<1:.1>)",
            },
            Quote {
                file: TRAINING,
                printed: r"hidden layer 1, (\S+) at epoch 40",
                says: r"down to the first hidden layer (<1:.3>)",
            },
        ],
    },
    Source {
        program: Program::Figure {
            name: "training-vanishing-relu",
        },
        quotes: &[
            Quote {
                file: TRAINING,
                printed: r"\((\d+) % after 40 epochs\)",
                says: r"which fall as the network learns; accuracy reaches <1> %",
            },
            Quote {
                file: TRAINING,
                printed: r"hidden layer 1, (\S+) at epoch 40(?s:.*)output layer, (\S+) at epoch 40",
                says: r"(at epoch 40, <1> in the first hidden layer and <2> in the output layer)",
            },
        ],
    },
    Source {
        program: Program::Results,
        quotes: &[
            Quote {
                file: BACKPROP_MATRIX,
                printed: r"\| 2 \| (\d+) / (\d+) \| .*\((\d+) in all\) \|\n\| 3 \| (\d+) / \d+ \|.*\n\| 4 \| (\d+) / \d+ \|.*\n\| 8 \| (\d+) / \d+ \|",
                says: "4/4 right for <1> of <2> seeds (0 to 99) | | XOR | 2-3-1, 2-4-1, 2-8-1 sigmoid | the same | <4>, <5> and <6> of <2> seeds |",
            },
            Quote {
                file: BACKPROP_MATRIX,
                printed: r"\| 2 \| \d+ / (\d+) \| .*\((\d+) in all\) \|",
                says: "(<2> of the first <1> seeds,",
            },
            Quote {
                file: BACKPROP_MATRIX,
                printed: seed_rows!(r"## Two moons.*"),
                says: "| <1-5:.0> % for seeds 0 to 4 |",
            },
            Quote {
                file: BACKPROP_MATRIX,
                printed: seed_rows!(r"## Spirals.*linear softmax.*"),
                says: "| <1-5:.1> % for seeds 0 to 4 |",
            },
            Quote {
                file: BACKPROP_MATRIX,
                printed: seed_rows!(r"## Spirals.*2-100-3 ReLU.*"),
                says: "| <1-5:.1> % for seeds 0 to 4 |",
            },
            Quote {
                file: TRAINING,
                printed: seed_rows!(r"## Digits.*", r".*\n\| median \| (\S+) %"),
                says: "| 0 to 4 | <1>, <2>, <3>, <4>, <5> % | <6> % |",
            },
            Quote {
                file: TRAINING,
                printed: seed_rows!(r"## Iris.*", r".*\n\| median \| (\S+) %"),
                says: "| 0 to 4 | <1>, <2>, <3>, <4>, <5> % | <6> % |",
            },
        ],
    },
];

/// Runs every program of [`SOURCES`] (draws every figure) and checks every quote.
///
/// # Errors
///
/// If a program fails, a file cannot be read, or any quote no longer holds (all of them are
/// listed, each with the program's command and what it printed).
pub fn run() -> Result<()> {
    let mut failures = Vec::new();
    let mut files = BTreeMap::new();
    for quote in SOURCES.iter().flat_map(|source| source.quotes) {
        if !files.contains_key(quote.file) {
            let text = fs::read_to_string(workspace::root().join(quote.file))
                .map_err(|error| format!("{}: {error}", quote.file))?;
            files.insert(quote.file, text);
        }
    }
    let mut checked = 0;
    for source in SOURCES {
        let command_line = source.program.command_line();
        eprintln!("quotes of `{command_line}`");
        let output = source.program.output()?;
        for quote in source.quotes {
            checked += 1;
            if let Err(message) = check(quote, &output, &files[quote.file]) {
                failures.push(format!("{}, from `{command_line}`: {message}", quote.file));
            }
        }
    }
    if failures.is_empty() {
        println!(
            "{checked} quotes in {} files match what {} examples, tasks and figures print or draw",
            files.len(),
            SOURCES.len()
        );
        Ok(())
    } else {
        Err(format!(
            "{} of {checked} quotes no longer match the programs' output:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        )
        .into())
    }
}

/// Checks one quote against a program's `output` and the quoting file's `text`.
///
/// # Errors
///
/// A message naming what is wrong: the output no longer has the quoted lines, the quoted
/// groups differ where they must agree, or the file does not contain the expected text.
pub fn check(quote: &Quote, output: &str, text: &str) -> std::result::Result<(), String> {
    let printed = Regex::new(quote.printed)
        .map_err(|error| format!("the pattern `{}` is invalid: {error}", quote.printed))?;
    let captures = printed.captures(output).ok_or_else(|| {
        format!(
            "nothing in the output matches `{}` any more; the output is:\n{output}",
            quote.printed
        )
    })?;
    let expected = fill(quote.says, &captures)?;
    if squeeze(text).contains(&squeeze(&expected)) {
        Ok(())
    } else {
        Err(format!(
            "the file should say\n    {}\nbut does not; the program printed\n    {}",
            squeeze(&expected),
            squeeze(&captures[0])
        ))
    }
}

/// `says` with its placeholders replaced from `captures` (see [`Quote::says`]).
fn fill(says: &str, captures: &Captures<'_>) -> std::result::Result<String, String> {
    let placeholder = Regex::new(r"<(\d+)(?:-(\d+))?(?::\.(\d+))?>")
        .map_err(|error| format!("the placeholder pattern is invalid: {error}"))?;
    let mut filled = String::new();
    let mut last = 0;
    for found in placeholder.captures_iter(says) {
        let whole = found.get(0).ok_or("a match has a whole")?;
        filled.push_str(&says[last..whole.start()]);
        last = whole.end();
        let first: usize = found[1]
            .parse()
            .map_err(|_| format!("bad group in `{}`", whole.as_str()))?;
        let end: usize = match found.get(2) {
            Some(end) => end
                .as_str()
                .parse()
                .map_err(|_| format!("bad group in `{}`", whole.as_str()))?,
            None => first,
        };
        let decimals: Option<usize> = match found.get(3) {
            Some(d) => Some(
                d.as_str()
                    .parse()
                    .map_err(|_| format!("bad decimals in `{}`", whole.as_str()))?,
            ),
            None => None,
        };
        if end < first {
            return Err(format!(
                "`{}` names groups in decreasing order",
                whole.as_str()
            ));
        }
        let mut values = Vec::new();
        for group in first..=end {
            let printed = captures
                .get(group)
                .ok_or_else(|| {
                    format!(
                        "`{}` names group {group}, which did not match",
                        whole.as_str()
                    )
                })?
                .as_str();
            values.push(match decimals {
                None => printed.to_string(),
                Some(d) => round_half_up(printed, d).ok_or_else(|| {
                    format!(
                        "`{}`: the printed `{printed}` is not a number",
                        whole.as_str()
                    )
                })?,
            });
        }
        if values.iter().any(|v| *v != values[0]) {
            return Err(format!(
                "`{}` quotes one value for groups {first} to {end}, but they print {}",
                whole.as_str(),
                values.join(", ")
            ));
        }
        filled.push_str(&values[0]);
    }
    filled.push_str(&says[last..]);
    Ok(filled)
}

/// The decimal number `printed` (`-12.345`, `9.90e-3`) rounded to `decimals` places the way
/// people round what they read, on its printed digits: half away from zero. `0.125` and
/// `0.145` to two places are `0.13` and `0.15`, where Rust's `{:.2}` gives `0.12` (it rounds
/// ties to even) and `0.14` (it rounds the nearest `f64`, just below 0.145). `None` if
/// `printed` is not such a number, or its exponent is beyond a thousand.
fn round_half_up(printed: &str, decimals: usize) -> Option<String> {
    let (negative, unsigned) = match printed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, printed.strip_prefix('+').unwrap_or(printed)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // The value is `digits` × 10^(exponent − fraction's length); keep `decimals` places.
    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    // Printed numbers are f64s: an exponent beyond a thousand is not one, and would ask for
    // that many zeros.
    if exponent.unsigned_abs() > 1000 || decimals > 1000 {
        return None;
    }
    let shift = exponent + i64::try_from(decimals).ok()? - i64::try_from(fraction.len()).ok()?;
    if shift >= 0 {
        digits.extend(std::iter::repeat_n(0, usize::try_from(shift).ok()?));
    } else {
        let dropped = usize::try_from(-shift).ok()?;
        let round_up = dropped <= digits.len() && digits[digits.len() - dropped] >= 5;
        digits.truncate(digits.len().saturating_sub(dropped));
        if round_up {
            let mut carry = true;
            for digit in digits.iter_mut().rev() {
                *digit += 1;
                carry = *digit == 10;
                if !carry {
                    break;
                }
                *digit = 0;
            }
            if carry {
                digits.insert(0, 1);
            }
        }
    }
    // At least one digit before the point, then strip the leading zeros in front of it.
    while digits.len() < decimals + 1 {
        digits.insert(0, 0);
    }
    let point = digits.len() - decimals;
    let first = digits[..point - 1].iter().take_while(|&&d| d == 0).count();
    let text: String = digits[first..point]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let places: String = digits[point..]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let sign = if negative && digits.iter().any(|&d| d != 0) {
        "-"
    } else {
        ""
    };
    Some(if decimals == 0 {
        format!("{sign}{text}")
    } else {
        format!("{sign}{text}.{places}")
    })
}

/// `text` with every run of whitespace turned into one space and none at the ends.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::{Quote, SOURCES, check};
    use crate::workspace;

    const OUTPUT: &str = "loss 0.1169543 after 40 epochs\nseed 0: 53.33 %\nseed 1: 53.33 %\n";

    fn quote(printed: &'static str, says: &'static str) -> Quote {
        Quote {
            file: "test.md",
            printed,
            says,
        }
    }

    #[test]
    fn every_quote_names_a_file_that_exists_and_a_valid_pattern() {
        for quote in SOURCES.iter().flat_map(|source| source.quotes) {
            assert!(
                workspace::root().join(quote.file).is_file(),
                "{}",
                quote.file
            );
            assert!(Regex::new(quote.printed).is_ok(), "{}", quote.printed);
        }
    }

    #[test]
    fn a_quote_with_the_printed_numbers_holds_and_a_changed_number_does_not() {
        let q = quote(
            r"loss (\S+) after (\d+) epochs",
            "after <2> epochs the loss is <1:.5>",
        );
        assert_eq!(
            check(&q, OUTPUT, "So after 40 epochs the loss is 0.11695."),
            Ok(())
        );
        // Rounded again to five decimals: 0.11695, not 0.11696 or the printed digits.
        assert!(check(&q, OUTPUT, "after 40 epochs the loss is 0.11696").is_err());
        assert!(check(&q, OUTPUT, "after 41 epochs the loss is 0.11695").is_err());
    }

    #[test]
    fn rounding_again_is_half_away_from_zero_on_the_printed_digits() {
        let cases = [
            ("0.125", 2, "0.13"), // `{:.2}` gives 0.12: ties to even
            ("0.145", 2, "0.15"), // `{:.2}` gives 0.14: the nearest f64 is below 0.145
            ("0.1169543", 5, "0.11695"),
            ("-2.5", 0, "-3"),
            ("9.995", 2, "10.00"),
            ("99.96", 1, "100.0"),
            ("9.90e-3", 4, "0.0099"),
            ("1.25E2", 0, "125"),
            ("-0.0004", 3, "0.000"),
            ("0.0004", 0, "0"),
            ("5e-1", 0, "1"),
            ("+7", 2, "7.00"),
            (".5", 1, "0.5"),
            ("0012.30", 1, "12.3"),
        ];
        for (printed, decimals, expected) in cases {
            assert_eq!(
                super::round_half_up(printed, decimals).as_deref(),
                Some(expected),
                "{printed} to {decimals}"
            );
        }
        for not_a_number in [
            "",
            "-",
            ".",
            "1.2.3",
            "1e",
            "abc",
            "1,5",
            "NaN",
            "1e9223372036854775807",
            "1e-9223372036854775808",
            "1e100000000000",
        ] {
            assert_eq!(
                super::round_half_up(not_a_number, 2),
                None,
                "{not_a_number}"
            );
        }
    }

    #[test]
    fn whitespace_and_line_breaks_compare_loosely() {
        let q = quote(r"(?m)^loss.*\nseed 0.*", "<0>");
        assert_eq!(
            check(
                &q,
                OUTPUT,
                "```text\nloss   0.1169543 after 40\n  epochs seed 0: 53.33 %\n```"
            ),
            Ok(())
        );
    }

    #[test]
    fn a_range_of_groups_must_print_one_value() {
        let q = quote(
            r"seed 0: (\S+) %\nseed 1: (\S+) %",
            "<1-2:.1> % for both seeds",
        );
        assert_eq!(check(&q, OUTPUT, "53.3 % for both seeds"), Ok(()));
        let differing = "loss 1 after 1 epochs\nseed 0: 53.33 %\nseed 1: 60.00 %\n";
        let error = check(&q, differing, "53.3 % for both seeds").unwrap_err();
        assert!(error.contains("53.3, 60.0"), "{error}");
    }

    #[test]
    fn output_without_the_quoted_lines_is_an_error_that_shows_the_output() {
        let q = quote(r"accuracy (\S+) %", "<1> %");
        let error = check(&q, OUTPUT, "53.33 %").unwrap_err();
        assert!(
            error.contains("accuracy") && error.contains("after 40 epochs"),
            "{error}"
        );
    }
}
