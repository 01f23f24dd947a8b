//! The element loops, compiled for the widest vector instructions the CPU has.

/// An optimizer's element loop over all parameters, with its per-step scalars.
///
/// `run` must be `#[inline(always)]`, and so must everything it calls per element: only code
/// inlined into [`vectorized`]'s dispatch target is compiled with the wider instructions.
pub(crate) trait ElementLoop {
    fn run(self);
}

/// Runs `element_loop` inside a function compiled for AVX2 when the CPU has it (dispatched
/// at run time by `pulp`, without `unsafe`), or as plain code otherwise.
///
/// The results are bit-identical on every path: the loops use only `+`, `-`, `*`, `/`,
/// `sqrt` and comparisons, each correctly rounded at any vector width, and Rust never fuses
/// a multiply and an add into one FMA on its own. The default x86-64 target has only SSE2
/// (4 lanes of f32); AVX2 doubles the lanes, which matters most for Adam's and RMSprop's
/// division and square root per element.
#[inline]
pub(crate) fn vectorized<L: ElementLoop>(element_loop: L) {
    pulp::Arch::new().dispatch(Dispatch(element_loop));
}

struct Dispatch<L>(L);

impl<L: ElementLoop> pulp::WithSimd for Dispatch<L> {
    type Output = ();

    #[allow(clippy::inline_always)] // Must be compiled inside pulp's AVX2 function.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        self.0.run();
    }
}
