"""Oracle values for mlp's `Mlp::loss_and_gradient`, computed by PyTorch autograd.

Run from the workspace root with a Python that has torch and mpmath (the values in the
repository came from the torch version named in the generated file's header, on CPU):

    python mlp/tests/oracle/generate.py > mlp/tests/it/oracle_values.rs

The tests never run Python: they read the generated Rust file, which rustfmt leaves as it
is. Every network is small and fixed: its parameters and inputs come from the integer
formula `pattern` below (multiples of 1/8 and 1/4, times a power of two per layer), except
the large-logit networks, which are written out in `CASES` like every target. The script
checks that every value is exact in f32, so the f32 tests build the same networks, and
that no ReLU or leaky ReLU input lies within 1/32 of the kink.

The torch side is written from mlp's documented definitions, not from its code:
- Layout (`mlp/src/network.rs`, `Mlp::params`, `Layer::weights_range`, `biases_range`):
  layer after layer, the weights row-major n_out x n_in, which is exactly `nn.Linear`'s
  `weight` (out x in) flattened, then the n_out biases (`nn.Linear`'s `bias`).
- Layer l: z = W a + b, a = activation(z) (`mlp/src/activation.rs`): identity, sigmoid,
  tanh, ReLU, leaky ReLU (z for z > 0, else slope * z, with the slope given explicitly:
  mlp has no default, torch's is 0.01), softplus ln(1 + e^z) (`F.softplus`, whose linear
  branch above z = 20 no case reaches), softmax at the output.
- Batches (`mlp/src/backprop.rs`): inputs sample after sample, so torch's B x n_in rows;
  dense targets likewise B x K.
- Losses (`mlp/src/loss.rs`, docs/src/backprop-matrix.md), each a mean over the B samples:
  `Loss::Mse` is half the squared error summed over the outputs, `F.mse_loss(reduction=
  "sum") / (2 B)`; `Loss::BinaryCrossEntropy` sums softplus(z) - y z over the outputs of a
  sigmoid layer, `F.binary_cross_entropy_with_logits(reduction="sum") / B` (a label l on one
  output is y = l); `Loss::SoftmaxCrossEntropy` is lse(z) sum(y) - y . z,
  `F.cross_entropy(reduction="sum") / B` with class indices or with probabilities.
- L2 (`Mlp::l2`, `MlpBuilder::l2`): lambda / 2 times the sum of the squares of every weight
  of every layer, not the biases, added once to the batch's mean loss.

The gradient is `torch.autograd.grad` of that objective in float64 on one thread. The loss
value written out is the exact objective, evaluated with mpmath at 60 digits from the same
parameters: torch's float64 `F.cross_entropy` rounds a confident sample's
ln(1 + e^-40) ~ 4e-18 to 0, so it cannot judge mlp's stable form; where torch's own value
is off by more than the tolerance the file says so in a comment.

Next to each gradient entry the file gives its magnitude, the scale the tests' tolerance
is relative to: the same backward pass run on absolute values, with every difference
replaced by the sum of its terms' magnitudes and the forward pass's errors carried along
(see `magnitudes`, and `mlp/tests/it/oracle.rs` for how the tolerance follows from it).
"""

import sys

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
mpmath.mp.dps = 60
DTYPE = torch.float64

# A case: name, a sentence for the Rust file, n_inputs, layers [(width, activation)], loss,
# l2, its parameters and inputs, and its targets. Parameters are either ("pattern", salt,
# [scale per layer]) or written out per layer as (W row by row, b); inputs are
# ("pattern", batch) or written out per sample. Targets are ("labels", [...]),
# ("dense", [[...] per sample]), or ("confident", None) for targets that agree with the
# network: the label of the largest logit, or 1 where a logit is positive, else 0.
LEAKY = ("leaky_relu", 0.0625)
LARGE_BCE = [
    ([[1.5, 0.5], [-0.5, 1.5], [1.0, -1.0]], [0.0, 0.25, 0.5]),
    ([[-18.0, -30.0, 10.0], [22.0, -2.0, 28.0]], [-5.0, 4.0]),
]
LARGE_SOFTMAX = [
    ([[1.0, 0.5], [-0.5, 1.0], [0.75, -1.0]], [0.375, 0.5, -0.125]),
    ([[10.0, -8.0, 14.0], [-32.0, 14.0, -28.0], [28.0, -8.0, -14.0]], [-2.0, 6.0, 5.0]),
]
LARGE_INPUTS = [[1.0, 0.5], [-1.5, 1.0], [0.5, -1.5]]
CASES = [
    ("identity_mse_one_sample", "A linear network, MSE, one sample.",
     2, [(3, "identity"), (2, "identity")], "mse", 0.0, ("pattern", 1, [1, 1]), ("pattern", 1),
     ("dense", [[0.5, -1.25]])),
    ("sigmoid_tanh_mse_l2", "Sigmoid hidden layer, tanh output, MSE and L2, four samples.",
     3, [(4, "sigmoid"), (2, "tanh")], "mse", 0.125, ("pattern", 2, [2, 1]), ("pattern", 4),
     ("dense", [[0.5, -0.25], [0.0, 0.75], [-0.5, 0.25], [1.0, -1.0]])),
    ("tanh_bce_labels", "Tanh hidden layer, one sigmoid output, labels 0/1, three samples.",
     3, [(4, "tanh"), (1, "sigmoid")], "bce", 0.0, ("pattern", 3, [2, 2]), ("pattern", 3),
     ("labels", [1, 0, 1])),
    ("relu_softmax_labels_l2", "ReLU hidden layer, softmax over 3 classes, labels, L2.",
     2, [(4, "relu"), (3, "softmax")], "softmax", 0.0625, ("pattern", 4, [2, 2]), ("pattern", 4),
     ("labels", [2, 0, 1, 2])),
    ("leaky_relu_softmax_one_hot", "Leaky ReLU (slope 1/16) hidden layer, softmax, one-hot targets.",
     3, [(3, LEAKY), (3, "softmax")], "softmax", 0.0, ("pattern", 5, [2, 2]), ("pattern", 3),
     ("dense", [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])),
    ("softplus_softmax_soft", "Softplus hidden layer, softmax over 4, soft targets (one sums to 1/2).",
     2, [(3, "softplus"), (4, "softmax")], "softmax", 0.0, ("pattern", 6, [2, 2]), ("pattern", 3),
     ("dense", [[0.25, 0.25, 0.5, 0.0], [0.125, 0.625, 0.0, 0.25], [0.0, 0.5, 0.0, 0.0]])),
    ("tanh_relu_bce_soft_l2", "Two hidden layers (tanh, ReLU), two sigmoid outputs, soft targets, L2.",
     3, [(4, "tanh"), (3, "relu"), (2, "sigmoid")], "bce", 0.125, ("pattern", 12, [2, 2, 2]), ("pattern", 3),
     ("dense", [[1.0, 0.25], [0.0, 0.75], [0.5, 1.0]])),
    ("softplus_leaky_mse_one_sample", "Two hidden layers (softplus, leaky ReLU), MSE, L2, one sample.",
     2, [(3, "softplus"), (3, LEAKY), (2, "identity")], "mse", 0.0625, ("pattern", 12, [2, 2, 2]), ("pattern", 1),
     ("dense", [[0.75, -0.5]])),
    ("tanh_softmax_mse", "MSE on a softmax output (its Jacobian in the backward pass).",
     2, [(3, "tanh"), (3, "softmax")], "mse", 0.0, ("pattern", 9, [2, 2]), ("pattern", 2),
     ("dense", [[0.0, 1.0, 0.0], [0.5, 0.25, 0.25]])),
    ("large_logits_bce", "Logits of 27 to 46 in size, right and wrong, binary cross-entropy.",
     2, [(3, "tanh"), (2, "sigmoid")], "bce", 0.0, LARGE_BCE, LARGE_INPUTS,
     ("dense", [[1.0, 1.0], [0.0, 1.0], [0.25, 1.0]])),
    ("large_logits_bce_confident", "The same network, every target right.",
     2, [(3, "tanh"), (2, "sigmoid")], "bce", 0.0, LARGE_BCE, LARGE_INPUTS,
     ("confident", None)),
    ("large_logits_softmax", "Logit gaps of 33 to 50, one label right and two wrong, softmax.",
     2, [(3, "relu"), (3, "softmax")], "softmax", 0.0, LARGE_SOFTMAX, LARGE_INPUTS,
     ("labels", [2, 0, 1])),
    ("large_logits_softmax_confident", "The same network, every label right.",
     2, [(3, "relu"), (3, "softmax")], "softmax", 0.0, LARGE_SOFTMAX, LARGE_INPUTS,
     ("confident", None)),
]


def pattern(n, salt, denominator):
    """n fixed values (k - 6) / denominator, k a hash of the index and salt in 0..13."""
    return [((i * i * 3 + i * 7 + salt * 5) % 13 - 6) / denominator for i in range(n)]


def act_name(act):
    return act[0] if isinstance(act, tuple) else act


def torch_act(act, z):
    name = act_name(act)
    if name == "identity":
        return z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return F.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, negative_slope=act[1])
    if name == "softplus":
        return F.softplus(z)
    if name == "softmax":
        return F.softmax(z, dim=1)
    raise ValueError(name)


def mp_act(act, column):
    """The exact activation of one sample's column (a list of mpf)."""
    name = act_name(act)
    if name == "softmax":
        exps = [mpmath.exp(z) for z in column]
        total = mpmath.fsum(exps)
        return [e / total for e in exps]
    f = {
        "identity": lambda z: z,
        "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
        "tanh": mpmath.tanh,
        "relu": lambda z: z if z > 0 else mpmath.mpf(0),
        "leaky_relu": lambda z: z if z > 0 else act[1] * z,
        "softplus": lambda z: mpmath.log1p(mpmath.exp(z)),
    }[name]
    return [f(z) for z in column]


class Network:
    def __init__(self, n_inputs, layers, params):
        """`nn.Linear` layers holding `params`: ("pattern", salt, scales) or [(W, b)]."""
        self.layers = layers
        self.linears = []
        fan_in = n_inputs
        for index, (width, _) in enumerate(layers):
            if params[0] == "pattern":
                _, salt, scales = params
                values = [v * scales[index] for v in pattern(width * (fan_in + 1), salt * 3 + index, 8)]
                weight, bias = values[: width * fan_in], values[width * fan_in :]
            else:
                weight = [w for row in params[index][0] for w in row]
                bias = params[index][1]
            linear = torch.nn.Linear(fan_in, width, dtype=DTYPE)
            with torch.no_grad():
                linear.weight.copy_(torch.tensor(weight, dtype=DTYPE).reshape(width, fan_in))
                linear.bias.copy_(torch.tensor(bias, dtype=DTYPE))
            self.linears.append(linear)
            fan_in = width

    def flat_params(self):
        """mlp's layout: per layer, `weight` row-major (out x in), then `bias`."""
        out = []
        for linear in self.linears:
            out += linear.weight.detach().flatten().tolist() + linear.bias.detach().tolist()
        return out

    def forward(self, x):
        """Every layer's z and a, as torch tensors (B x width)."""
        zs, acts = [], []
        a = x
        for linear, (_, act) in zip(self.linears, self.layers):
            z = linear(a)
            a = torch_act(act, z)
            zs.append(z)
            acts.append(a)
        return zs, acts


def data_loss(loss, z, a, y, labels):
    """mlp's mean loss over the batch, from torch's own functions."""
    batch = z.shape[0]
    if loss == "mse":
        return F.mse_loss(a, y, reduction="sum") / (2 * batch)
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / batch
    if labels is not None and z.shape[1] > 1:
        return F.cross_entropy(z, torch.tensor(labels), reduction="sum") / batch
    return F.cross_entropy(z, y, reduction="sum") / batch


def penalty(net, l2):
    return l2 / 2 * sum((linear.weight**2).sum() for linear in net.linears)


def exact_objective(net, loss, l2, x, y):
    """The objective with mpmath at 60 digits (the parameters and inputs are exact)."""
    total = mpmath.mpf(0)
    for sample, target in zip(x.tolist(), y.tolist()):
        a = [mpmath.mpf(v) for v in sample]
        z = a
        for linear, (_, act) in zip(net.linears, net.layers):
            w = linear.weight.detach().tolist()
            b = linear.bias.detach().tolist()
            z = [mpmath.fsum([mpmath.mpf(wij) * aj for wij, aj in zip(row, a)]) + bi for row, bi in zip(w, b)]
            a = mp_act(act, z)
        t = [mpmath.mpf(v) for v in target]
        if loss == "mse":
            total += mpmath.fsum([(ai - ti) ** 2 for ai, ti in zip(a, t)]) / 2
        elif loss == "bce":
            total += mpmath.fsum([mpmath.log1p(mpmath.exp(zi)) - ti * zi for zi, ti in zip(z, t)])
        else:
            lse = mpmath.log(mpmath.fsum([mpmath.exp(zi) for zi in z]))
            total += mpmath.fsum([ti * (lse - zi) for zi, ti in zip(z, t)])
    total /= len(x)
    squares = mpmath.fsum([mpmath.mpf(w) ** 2 for linear in net.linears for w in linear.weight.detach().flatten().tolist()])
    return total + mpmath.mpf(l2) / 2 * squares


def derivatives(act, z):
    """sigma'(z) and sigma''(z) element by element, by autograd (softmax: not used)."""
    z = z.detach().clone().requires_grad_(True)
    first = torch.autograd.grad(torch_act(act, z).sum(), z, create_graph=True)[0]
    if not first.requires_grad:  # ReLU-like: sigma' is piecewise constant.
        return first.detach(), torch.zeros_like(z)
    second = torch.autograd.grad(first.sum(), z)[0]
    return first.detach(), second


def value_magnitude(act, a, f32):
    """What an activation's value errs relative to: |a|, but in f32 max(a, 1/2) for the
    sigmoid, because mlp's f32 sigmoid (1/2 + tanh(z/2)/2) is accurate to a few epsilon
    absolute, not relative."""
    if f32 and act_name(act) == "sigmoid":
        return torch.clamp(a.abs(), min=0.5)
    return a.abs()


def derivative_magnitude(act, a, d1, f32):
    """What sigma' errs relative to: 1 + a^2 for tanh (torch, and mlp in f32, compute
    1 - a^2 from the output), |a| (1 + a) for the sigmoid (a (1 - a) from the output; in
    f32 |a| is max(a, 1/2)), else |sigma'|."""
    name = act_name(act)
    if name == "tanh":
        return 1 + a**2
    if name == "sigmoid":
        return value_magnitude(act, a, f32) * (1 + a)
    if name == "identity":
        return torch.ones_like(a)
    return d1.abs()


def magnitudes(net, loss, l2, x, y, zs, acts, z_hessian, f32):
    """Per parameter (mlp's layout) and for the loss, the scale of its rounding error.

    Forward, P^l bounds the terms of z^l and (times a count of epsilons) its error:
    P^l = |W^l| A^(l-1) + |b^l|, with A^0 = |x| and A^l = |a^l| + |sigma'(z^l)| P^l.
    Backward, D^l bounds the terms of delta^l and its error: at the output, the terms of
    mlp's delta^L formula plus |d delta^L / d z^L| P^L (the loss's Hessian in the logits,
    by autograd), then D^l = (|W^(l+1)|^T D^(l+1)) * (|sigma'(z^l)| + |sigma''(z^l)| P^l).
    The weight gradient's scale is D^l (A^(l-1))^T + lambda |W^l|, the bias's the sum of
    D^l over the batch.
    """
    batch = x.shape[0]
    a_mag = [x.abs()]
    p_mag = []
    for linear, (_, act), z, a in zip(net.linears, net.layers, zs, acts):
        p = a_mag[-1] @ linear.weight.detach().abs().T + linear.bias.detach().abs()
        p_mag.append(p)
        d1, _ = derivatives(act, z) if act_name(act) != "softmax" else (torch.zeros_like(z), None)
        a_mag.append(value_magnitude(act, a.detach(), f32) + d1.abs() * p)
    z, a = zs[-1].detach(), acts[-1].detach()
    out_act = net.layers[-1][1]
    if loss == "softmax":
        delta_terms = (a * y.abs().sum(dim=1, keepdim=True) + y.abs()) / batch
    elif act_name(out_act) == "softmax":  # MSE through softmax's Jacobian.
        g = (a.abs() + y.abs()) / batch
        delta_terms = a * (g + (a * g).sum(dim=1, keepdim=True))
    else:
        delta_terms = (value_magnitude(out_act, a, f32) + y.abs()) / batch
        if loss == "mse":
            d1, _ = derivatives(out_act, z)
            delta_terms = delta_terms * derivative_magnitude(out_act, a, d1, f32)
    propagated = (z_hessian.abs() @ p_mag[-1].flatten()).reshape(z.shape)
    d_mag = delta_terms + propagated
    grads, weight_grads = [], []
    for l in reversed(range(len(net.linears))):
        w = net.linears[l].weight.detach()
        weight_grads.append((d_mag.T @ a_mag[l] + l2 * w.abs()).flatten().tolist() + d_mag.sum(dim=0).tolist())
        if l > 0:
            act = net.layers[l - 1][1]
            d1, d2 = derivatives(act, zs[l - 1])
            local = derivative_magnitude(act, acts[l - 1].detach(), d1, f32) + d2.abs() * p_mag[l - 1]
            d_mag = (d_mag @ w.abs()) * local
    for g in reversed(weight_grads):
        grads += g
    # The loss: its terms are never negative in mlp's forms, so they are their own scale,
    # except MSE's residuals a - y (|r| (|a| + |y|) per output); plus the logits' errors
    # through dL/dz = delta^L; plus the penalty.
    delta = torch.autograd.functional.jacobian(lambda zz: data_loss(loss, zz, torch_act(out_act, zz), y, None), z)
    loss_mag = data_loss(loss, z, a, y, None).item() + (delta.abs() * p_mag[-1]).sum().item()
    if loss == "mse":
        loss_mag += ((a - y).abs() * (value_magnitude(out_act, a, f32) + y.abs())).sum().item() / batch
    loss_mag += penalty(net, l2).item()
    return grads, loss_mag


def run_case(case):
    name, doc, n_inputs, layers, loss, l2, params, inputs, (kind, targets) = case
    net = Network(n_inputs, layers, params)
    if inputs[0] == "pattern":
        inputs = pattern(inputs[1] * n_inputs, params[1] + 100, 4)
    x = torch.tensor(inputs, dtype=DTYPE).reshape(-1, n_inputs)
    zs, acts = net.forward(x)
    for (_, act), z in zip(layers[:-1], zs):
        if act_name(act) in ("relu", "leaky_relu"):
            assert z.abs().min() >= 1 / 32, f"{name}: a ReLU input within 1/32 of the kink"
            assert 0 < (z > 0).sum() < z.numel(), f"{name}: a ReLU layer all on or all off"
        if act_name(act) == "softplus":
            assert z.max() < 20, f"{name}: softplus input in F.softplus's linear branch"
    z_out = zs[-1].detach()
    n_outputs = layers[-1][0]
    if kind == "confident":
        kind = "labels"
        if n_outputs == 1:
            targets = (z_out[:, 0] > 0).long().tolist()
        elif loss == "bce":
            kind, targets = "dense", (z_out > 0).to(DTYPE).tolist()
        else:
            targets = z_out.argmax(dim=1).tolist()
    labels = targets if kind == "labels" else None
    if kind == "labels":
        y = F.one_hot(torch.tensor(labels), n_outputs).to(DTYPE) if n_outputs > 1 else torch.tensor(labels, dtype=DTYPE)[:, None]
    else:
        y = torch.tensor(targets, dtype=DTYPE)
    for v in net.flat_params() + x.flatten().tolist() + y.flatten().tolist():
        assert float(np.float32(v)) == v, f"{name}: {v} is not exact in f32"

    params = [p for linear in net.linears for p in (linear.weight, linear.bias)]
    objective = data_loss(loss, zs[-1], acts[-1], y, labels) + penalty(net, l2)
    grad = torch.autograd.grad(objective, params)
    flat_grad = []
    for g_w, g_b in zip(grad[0::2], grad[1::2]):
        flat_grad += g_w.flatten().tolist() + g_b.tolist()

    out_act = layers[-1][1]
    hessian = torch.autograd.functional.hessian(
        lambda zz: data_loss(loss, zz.reshape(z_out.shape), torch_act(out_act, zz.reshape(z_out.shape)), y, None),
        z_out.flatten(),
    )
    grad_mag, loss_mag = magnitudes(net, loss, l2, x, y, zs, acts, hessian, f32=False)
    grad_mag_f32, loss_mag_f32 = magnitudes(net, loss, l2, x, y, zs, acts, hessian, f32=True)
    exact = exact_objective(net, loss, l2, x, y)
    torch_error = abs(mpmath.mpf(objective.item()) - exact)
    note = None
    if torch_error > 16 * sys.float_info.epsilon * loss_mag:
        note = f"torch's float64 objective here is {objective.item()!r}, {float(torch_error / exact):.2g} of it off."
    return dict(
        name=name, doc=doc, n_inputs=n_inputs, layers=layers, loss=loss, l2=l2, x=x.flatten().tolist(),
        kind=kind, targets=targets, exact=float(exact), loss_mag=loss_mag, params=net.flat_params(),
        grad=flat_grad, grad_mag=grad_mag, grad_mag_f32=grad_mag_f32, loss_mag_f32=loss_mag_f32, note=note, max_logit=z_out.abs().max().item(),
    )


def lit(x):
    """Python's shortest round-trip text of an f64, as a Rust literal."""
    text = repr(float(x))
    if text in ("inf", "-inf", "nan"):
        raise ValueError(text)
    if "." not in text and "e" not in text:
        text += ".0"
    return text


def scale(x):
    """A magnitude rounded up to two significant digits (it bounds an error, so up)."""
    if x == 0:
        return "0.0"
    text = f"{x:.1e}"
    if float(text) < x:
        mantissa, exponent = text.split("e")
        text = f"{float(mantissa) + 0.1:.1f}e{exponent}"
    return lit(float(text))


def rust_activation(act):
    name = act_name(act)
    if name == "leaky_relu":
        return f"Activation::LeakyRelu {{ slope: {lit(act[1])} }}"
    return "Activation::" + {
        "identity": "Identity",
        "sigmoid": "Sigmoid",
        "tanh": "Tanh",
        "relu": "Relu",
        "softplus": "Softplus",
        "softmax": "Softmax",
    }[name]


RUST_LOSS = {"mse": "Loss::Mse", "bce": "Loss::BinaryCrossEntropy", "softmax": "Loss::SoftmaxCrossEntropy"}


def array(out, indent, prefix, items, suffix):
    """`prefix[items]suffix` as rustfmt lays it out (max_width 100, array_width 60): on one
    line if it fits, else one item per line, or lines filled with short items (10 or fewer
    characters each)."""
    pad = " " * indent
    one_line = "[" + ", ".join(items) + "]"
    if len(one_line) <= 60 and indent + len(prefix) + len(one_line) + len(suffix) <= 100:
        out.append(pad + prefix + one_line + suffix)
        return
    out.append(pad + prefix + "[")
    inner = pad + "    "
    if all(len(item) <= 10 for item in items):
        line = ""
        for item in items:
            candidate = (line + " " if line else inner) + item + ","
            if len(candidate) > 100:
                out.append(line)
                candidate = inner + item + ","
            line = candidate
        out.append(line)
    else:
        out.extend(f"{inner}{item}," for item in items)
    out.append(pad + "]" + suffix)


def emit_case(out, c):
    out.append(f"    // {c['doc']}")
    out.append(f"    // Objective {c['exact']:.3g}, largest |z| at the output {c['max_logit']:.3g}.")
    if c["note"]:
        out.append(f"    // {c['note']}")
    out.append("    Case {")
    out.append(f'        name: "{c["name"]}",')
    out.append(f"        n_inputs: {c['n_inputs']},")
    array(out, 8, "layers: &", [f"({width}, {rust_activation(act)})" for width, act in c["layers"]], ",")
    out.append(f"        loss: {RUST_LOSS[c['loss']]},")
    out.append(f"        l2: {lit(c['l2'])},")
    array(out, 8, "inputs: &", [lit(v) for v in c["x"]], ",")
    if c["kind"] == "labels":
        array(out, 8, "targets: Target::Labels(&", [str(int(v)) for v in c["targets"]], "),")
    else:
        array(out, 8, "targets: Target::Dense(&", [lit(v) for row in c["targets"] for v in row], "),")
    out.append(f"        objective: {lit(c['exact'])},")
    out.append(f"        objective_magnitude: ({scale(c['loss_mag'])}, {scale(c['loss_mag_f32'])}),")
    out.append("        entries: &[")
    for p, g, m, m32 in zip(c["params"], c["grad"], c["grad_mag"], c["grad_mag_f32"]):
        out.append(f"            ({lit(p)}, {lit(g)}, {scale(m)}, {scale(m32)}),")
    out.append("        ],")
    out.append("    },")


def main():
    results = [run_case(case) for case in CASES]
    out = [
        "//! Oracle values generated by `mlp/tests/oracle/generate.py` with",
        f"//! torch {torch.__version__} (CPU, float64, one thread) and mpmath {mpmath.__version__}. Do not edit by hand:",
        "//! rerun `python mlp/tests/oracle/generate.py > mlp/tests/it/oracle_values.rs`.",
        "",
        "// Every literal is Python's shortest round-trip text, kept verbatim.",
        "#![allow(clippy::unreadable_literal)]",
        "",
        "use mlp::{Activation, Loss};",
        "",
        "/// The targets of a case, as `mlp::Targets` takes them.",
        "pub enum Target {",
        "    /// A class index per sample.",
        "    Labels(&'static [usize]),",
        "    /// K numbers per sample, sample after sample.",
        "    Dense(&'static [f64]),",
        "}",
        "",
        "/// One fixed network and batch, and what the oracle computed for it.",
        "pub struct Case {",
        "    /// What the case is called in failure messages.",
        "    pub name: &'static str,",
        "    /// Inputs per sample.",
        "    pub n_inputs: usize,",
        "    /// Width and activation of every layer, the output layer last.",
        "    pub layers: &'static [(usize, Activation)],",
        "    /// The loss.",
        "    pub loss: Loss,",
        "    /// The L2 factor lambda.",
        "    pub l2: f64,",
        "    /// The batch, sample after sample.",
        "    pub inputs: &'static [f64],",
        "    /// The targets.",
        "    pub targets: Target,",
        "    /// The exact objective (mean loss plus penalty), from mpmath at 60 digits.",
        "    pub objective: f64,",
        "    /// The scale of the objective's rounding error in f64 and in f32 (see",
        "    /// `generate.py`'s `magnitudes`), rounded up to two digits.",
        "    pub objective_magnitude: (f64, f64),",
        "    /// Per parameter, in mlp's layout: its value, torch's gradient, and the scale of the",
        "    /// gradient's rounding error in f64 and in f32, rounded up to two digits.",
        "    pub entries: &'static [(f64, f64, f64, f64)],",
        "}",
        "",
        "/// Every case, in the order of `generate.py`'s `CASES`.",
        "pub const CASES: &[Case] = &[",
    ]
    for c in results:
        emit_case(out, c)
    out.append("];")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
