//! # The course, compiled
//!
//! Every chapter of the book in `docs/src/` is a module of this crate, its text the module's
//! documentation, so `cargo test -p docs` compiles and runs every Rust code block of the course
//! as a doctest: the course cannot drift from the code. `build.rs` expands mdBook's
//! `{{#include}}` and `{{#rustdoc_include}}` directives first, exactly as mdBook does.
//!
//! Read the course as a book with `cargo xtask book` (then open `docs/book/index.html`).

// The chapters are mdBook markdown, rendered by mdBook; rustdoc is only here to run their code.
// Their links point at other chapters and their math uses `[`, `]`, `<` and `>` freely, which
// rustdoc would otherwise read as intra-doc links and HTML tags.
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::bare_urls
)]
// For the same reason clippy's rules for doc comments do not apply to the chapters' prose:
// `x_i` inside `$…$` is math, not code to put in backticks; lists follow mdBook's rendering;
// a demo included whole from `examples/` keeps its `fn main`.
#![allow(
    clippy::doc_markdown,
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::needless_doctest_main
)]

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));

#[cfg(test)]
mod chapter;
