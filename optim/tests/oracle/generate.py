"""Oracle values for optim's tests, computed by PyTorch.

Run from the workspace root with a Python that has torch (the values in the repository
came from torch 2.15.0 on CPU):

    python optim/tests/oracle/generate.py > optim/tests/it/oracle_values.rs

The tests never run Python: they read the generated Rust file. Every optimizer is stepped
on the same small problem: parameters p0 = [1.0, -2.0, 0.5, 3.0] and the gradient of
f(p) = sum(0.5 * a * p^2 + c * p), that is g = a * p + c with a = [1, 10, 0.1, 3] and
c = [0.5, -1, 0.25, 0], evaluated in the parameters' dtype after every step.
"""

import math
import sys

import numpy as np
import torch

torch.set_num_threads(1)

P0 = [1.0, -2.0, 0.5, 3.0]
A = [1.0, 10.0, 0.1, 3.0]
C = [0.5, -1.0, 0.25, 0.0]
STEPS = 6

# name -> (constructor, keyword arguments); the Rust side builds the same from the name.
OPTIMIZERS = {
    "sgd_plain": (torch.optim.SGD, dict(lr=0.05)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    "sgd_dampening": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.5)),
    "sgd_nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_weight_decay": (torch.optim.SGD, dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    "sgd_maximize": (torch.optim.SGD, dict(lr=0.01, momentum=0.5, weight_decay=0.1, maximize=True)),
    "adagrad_plain": (torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad_all": (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-3)),
    "adagrad_maximize": (torch.optim.Adagrad, dict(lr=0.1, maximize=True)),
    "rmsprop_plain": (torch.optim.RMSprop, dict(lr=0.01)),
    "rmsprop_centered": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, centered=True)),
    "rmsprop_momentum": (torch.optim.RMSprop, dict(lr=0.01, momentum=0.9, eps=1e-3)),
    "rmsprop_all": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.8, eps=1e-2, weight_decay=0.1, momentum=0.5, centered=True)),
    "adam_plain": (torch.optim.Adam, dict(lr=0.1)),
    "adam_weight_decay": (torch.optim.Adam, dict(lr=0.1, weight_decay=0.1)),
    "adam_amsgrad": (torch.optim.Adam, dict(lr=0.1, betas=(0.9, 0.5), amsgrad=True)),
    "adam_betas": (torch.optim.Adam, dict(lr=0.1, betas=(0.3, 0.5), eps=1e-2)),
    "adam_maximize": (torch.optim.Adam, dict(lr=0.1, maximize=True)),
    "adamw_plain": (torch.optim.AdamW, dict(lr=0.1)),
    "adamw_decay": (torch.optim.AdamW, dict(lr=0.1, weight_decay=0.5, amsgrad=True, betas=(0.9, 0.5))),
}

# name -> (optimizer name, scheduler constructor, keyword arguments), for Scheduled runs.
SCHEDULED = {
    "sgd_momentum_step_lr": ("sgd_momentum", torch.optim.lr_scheduler.StepLR, dict(step_size=2, gamma=0.5)),
    "adam_one_cycle": ("adam_plain", torch.optim.lr_scheduler.OneCycleLR, dict(max_lr=0.2, total_steps=STEPS)),
}

SCHEDULE_STEPS = 30
BASE_LR = 0.1
SCHEDULES = {
    "constant_lr": (torch.optim.lr_scheduler.ConstantLR, dict(factor=1.0 / 3, total_iters=5)),
    "step_lr": (torch.optim.lr_scheduler.StepLR, dict(step_size=7, gamma=0.5)),
    "multi_step_lr": (torch.optim.lr_scheduler.MultiStepLR, dict(milestones=[4, 10, 10, 17], gamma=0.3)),
    "exponential_lr": (torch.optim.lr_scheduler.ExponentialLR, dict(gamma=0.9)),
    "cosine_annealing_lr": (torch.optim.lr_scheduler.CosineAnnealingLR, dict(T_max=12, eta_min=0.01)),
    "linear_lr": (torch.optim.lr_scheduler.LinearLR, dict(start_factor=0.25, end_factor=1.0, total_iters=8)),
    "one_cycle_lr": (torch.optim.lr_scheduler.OneCycleLR, dict(max_lr=1.0, total_steps=SCHEDULE_STEPS)),
    "one_cycle_lr_linear_three_phase": (torch.optim.lr_scheduler.OneCycleLR, dict(max_lr=1.0, total_steps=SCHEDULE_STEPS, pct_start=0.25, anneal_strategy="linear", three_phase=True, div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9)),
}

CLIP_VECTORS = [[3.0, -4.0, 0.0, 12.0], [0.1, -0.2, 0.05, 0.0], [1e-3, 2e-3, -5e-4, 1e-4]]
CLIP_CASES = [(2.0, 1.0), (2.0, 2.0), (2.0, math.inf), (13.0, 2.0), (0.5, 1.0)]


def gradient(p):
    a = torch.tensor(A, dtype=p.dtype)
    c = torch.tensor(C, dtype=p.dtype)
    return a * p.detach() + c


def trajectory(dtype, name, scheduled=None):
    ctor, kwargs = OPTIMIZERS[name]
    p = torch.tensor(P0, dtype=dtype, requires_grad=True)
    opt = ctor([p], foreach=False, **kwargs)
    sched = None
    if scheduled is not None:
        sched_ctor, sched_kwargs = scheduled
        sched = sched_ctor(opt, **sched_kwargs)
    rows = []
    for _ in range(STEPS):
        p.grad = gradient(p)
        opt.step()
        if sched is not None:
            sched.step()
        rows.append(p.detach().tolist())
    return rows


def schedule_values(name):
    ctor, kwargs = SCHEDULES[name]
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=BASE_LR, momentum=0.9)
    sched = ctor(opt, **kwargs)
    lrs, momenta = [], []
    for _ in range(SCHEDULE_STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    return lrs, momenta


def lit(x, dtype):
    """A Rust literal that parses to exactly the same float."""
    if dtype == torch.float32:
        text = str(np.float32(x))  # NumPy prints the shortest text that round-trips in f32.
        suffix = "_f32"
    else:
        text = repr(float(x))  # Python prints the shortest text that round-trips in f64.
        suffix = "_f64"
    if text in ("inf", "-inf", "nan"):
        raise ValueError(text)
    if "." not in text and "e" not in text:
        text += ".0"
    return text + suffix


def row(values, dtype):
    return "[" + ", ".join(lit(v, dtype) for v in values) + "]"


def emit_trajectories(out, dtype, ty):
    out.append(f"/// Parameters after each of {STEPS} steps, one row per step, in {ty}.")
    out.append(f"pub const TRAJECTORIES_{ty.upper()}: &[(&str, &[[{ty}; 4]])] = &[")
    for name in OPTIMIZERS:
        rows = trajectory(dtype, name)
        out.append(f'    ("{name}", &[')
        out.extend(f"        {row(r, dtype)}," for r in rows)
        out.append("    ]),")
    for name, (opt_name, sched_ctor, sched_kwargs) in SCHEDULED.items():
        rows = trajectory(dtype, opt_name, (sched_ctor, sched_kwargs))
        out.append(f'    ("{name}", &[')
        out.extend(f"        {row(r, dtype)}," for r in rows)
        out.append("    ]),")
    out.append("];")
    out.append("")


def emit_clipping(out, dtype, ty):
    out.append(f"/// `clip_grad_norm_` cases in {ty}.")
    out.append(f"pub const CLIP_NORM_{ty.upper()}: &[ClipCase<{ty}>] = &[")
    for v in CLIP_VECTORS:
        for max_norm, norm_type in CLIP_CASES:
            g = torch.tensor(v, dtype=dtype)
            p = torch.zeros(4, dtype=dtype, requires_grad=True)
            p.grad = g.clone()
            total = torch.nn.utils.clip_grad_norm_([p], max_norm, norm_type=norm_type, foreach=False)
            nt = "f64::INFINITY" if math.isinf(norm_type) else lit(norm_type, torch.float64)
            out.append(
                f"    ({row(v, dtype)}, {lit(max_norm, torch.float64)}, {nt}, {lit(total.item(), dtype)}, {row(p.grad.tolist(), dtype)}),"
            )
    out.append("];")
    out.append("")


def main():
    out = [
        "//! Oracle values generated by `optim/tests/oracle/generate.py` with",
        f"//! torch {torch.__version__} (CPU, single-tensor code path). Do not edit by hand: rerun",
        "//! `python optim/tests/oracle/generate.py > optim/tests/it/oracle_values.rs`.",
        "",
        "// Every literal is Python's or NumPy's shortest round-trip text, kept verbatim.",
        "#![allow(clippy::unreadable_literal)]",
        "",
        f"/// The starting parameters of every trajectory.",
        f"pub const P0: [f64; 4] = {row(P0, torch.float64)};",
        f"/// `a` in the gradient `g = a * p + c`.",
        f"pub const A: [f64; 4] = {row(A, torch.float64)};",
        f"/// `c` in the gradient `g = a * p + c`.",
        f"pub const C: [f64; 4] = {row(C, torch.float64)};",
        "",
    ]
    emit_trajectories(out, torch.float64, "f64")
    emit_trajectories(out, torch.float32, "f32")
    out.append(f"/// Base learning rate of the schedule runs.")
    out.append(f"pub const BASE_LR: f64 = {lit(BASE_LR, torch.float64)};")
    out.append(f"/// (name, learning rate before each of {SCHEDULE_STEPS} steps, momentum before each step).")
    out.append(f"pub const SCHEDULES: &[(&str, [f64; {SCHEDULE_STEPS}], [f64; {SCHEDULE_STEPS}])] = &[")
    for name in SCHEDULES:
        lrs, momenta = schedule_values(name)
        out.append(f'    ("{name}", {row(lrs, torch.float64)}, {row(momenta, torch.float64)}),')
    out.append("];")
    out.append("")
    out.append("/// (gradients, `max_norm`, `norm_type` (inf for the max norm), total norm, clipped gradients).")
    out.append("pub type ClipCase<T> = ([T; 4], f64, f64, T, [T; 4]);")
    out.append("")
    emit_clipping(out, torch.float64, "f64")
    emit_clipping(out, torch.float32, "f32")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
