#!/usr/bin/python3
"""PyTorch reference values for OpsReferenceTest: one safetensors file per table row.

Run with the system Python that has PyTorch 1.13:

    /usr/bin/python3 runtime/src/test/python/make_ops_reference.py

Each file under runtime/src/test/resources/dev/tapgrad/runtime/ops/<case>.safetensors holds
  x0, x1, ...   the op's tensor arguments (float32, drawn here; Java reads the same values),
  out           the op's result,
  r             a fixed cotangent shaped like out,
  grad0, ...    the gradient of sum(out * r) for each argument.
The reference is computed in float64 from the float32 inputs and stored as float32. The Keras
formulas (clip constants, normalisation) are written out with torch ops, so autograd gives
PyTorch's conventions at kinks (clamp passes the gradient on the closed interval; max/amax split it
among ties). Inputs are drawn away from kinks except in the rows named kink_*.
"""
import json
import os
import struct

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "tapgrad", "runtime", "ops")
EPS = 1e-7


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().reshape(-1).tolist()
        raw = struct.pack("<%df" % len(data), *data)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)


class Draw:
    """Deterministic float32 inputs for one case."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def uniform(self, shape, lo, hi):
        return (lo + (hi - lo) * torch.rand(shape, generator=self.g)).to(torch.float32)

    def signed(self, shape, lo=0.2, hi=2.0):
        """Magnitudes in [lo, hi] with random signs: away from 0."""
        sign = torch.where(torch.rand(shape, generator=self.g) < 0.5, -1.0, 1.0)
        return (sign * self.uniform(shape, lo, hi)).to(torch.float32)

    def positive(self, shape, lo=0.5, hi=2.0):
        return self.uniform(shape, lo, hi)

    def distinct(self, shape, spacing=0.15):
        """Values at least `spacing` apart, shuffled: no ties for max/min."""
        n = 1
        for d in shape:
            n *= d
        values = (torch.arange(n, dtype=torch.float64) - n / 2) * spacing
        return values[torch.randperm(n, generator=self.g)].reshape(shape).to(torch.float32)

    def probs(self, shape):
        """Rows of probabilities, each at least half of uniform: away from the clip at 1e-7, and
        with curvature small enough for finite differences with a step of 1e-2."""
        p = torch.softmax(torch.randn(shape, generator=self.g, dtype=torch.float64), -1)
        return (0.5 * p + 0.5 / shape[-1]).to(torch.float32)

    def away_from(self, shape, lo, hi, points, margin=0.1):
        out = self.uniform(shape, lo, hi).reshape(-1)
        for i in range(out.numel()):
            while min(abs(float(out[i]) - p) for p in points) < margin:
                out[i] = self.uniform((1,), lo, hi)[0]
        return out.reshape(shape)

    def randn(self, shape):
        return torch.randn(shape, generator=self.g).to(torch.float32)


def kl(t, p):
    t = t.clamp(EPS, 1)
    p = p.clamp(EPS, 1)
    return (t * torch.log(t / p)).sum(-1).mean()


def cce(t, p):
    q = p / p.sum(-1, keepdim=True)
    return -(t * torch.log(q.clamp(EPS, 1 - EPS))).sum(-1).mean()


def bce(t, p):
    """Keras 3's binary crossentropy on probabilities: clip to [eps, 1 - eps], no eps inside the logs."""
    c = p.clamp(EPS, 1 - EPS)
    return -(t * torch.log(c) + (1 - t) * torch.log(1 - c)).mean()


def scce(ids, p):
    """Keras's sparse categorical crossentropy on probabilities: the categorical one of one-hot rows."""
    k = ids.detach().reshape(-1).long()
    q = (p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)
    return -torch.log(q[torch.arange(q.shape[0]), k]).mean() + 0 * ids.sum()


def huber(t, p):
    return torch.nn.functional.huber_loss(p, t, delta=1.0)


def l2n(x, axis):
    return x * torch.rsqrt(torch.clamp_min((x * x).sum(axis, keepdim=True), 1e-12))


def cosine(a, b, axis):
    return (l2n(a, axis) * l2n(b, axis)).sum(axis)


def cases():
    """(name, function of float64 tensors, inputs drawn from a Draw)."""
    return [
        ("abs", torch.abs, lambda d: [d.signed((2, 3))]),
        ("square", torch.square, lambda d: [d.signed((2, 3))]),
        ("neg", torch.neg, lambda d: [d.signed((2, 3))]),
        ("scale", lambda x: 2.5 * x, lambda d: [d.signed((2, 2, 2))]),
        ("add_broadcast", torch.add, lambda d: [d.signed((2, 3)), d.signed((3,))]),
        ("sub_broadcast", torch.sub, lambda d: [d.signed((2, 3)), d.signed((2, 1))]),
        ("mul_broadcast", torch.mul, lambda d: [d.signed((2, 1)), d.signed((1, 3))]),
        ("sum", torch.sum, lambda d: [d.signed((2, 3))]),
        ("mean", torch.mean, lambda d: [d.signed((2, 3))]),
        ("exp", torch.exp, lambda d: [d.uniform((2, 3), -1.5, 1.5)]),
        ("log", torch.log, lambda d: [d.positive((2, 3))]),
        ("sqrt", torch.sqrt, lambda d: [d.positive((2, 3))]),
        ("pow_2_5", lambda x: torch.pow(x, 2.5), lambda d: [d.positive((2, 3))]),
        ("pow_neg_1_5", lambda x: torch.pow(x, -1.5), lambda d: [d.positive((2, 3))]),
        ("pow_3_signed", lambda x: torch.pow(x, 3.0), lambda d: [d.signed((2, 3))]),
        ("div_broadcast", torch.div, lambda d: [d.signed((2, 3)), d.signed((3,), 0.5, 2.0)]),
        ("clip", lambda x: torch.clamp(x, -0.5, 0.8), lambda d: [d.away_from((4, 5), -2.0, 2.0, [-0.5, 0.8])]),
        ("max", torch.max, lambda d: [d.distinct((2, 3))]),
        ("min", torch.min, lambda d: [d.distinct((2, 3))]),
        ("max_axis1", lambda x: torch.amax(x, 1), lambda d: [d.distinct((2, 3, 4))]),
        ("max_axis_neg1_keep", lambda x: torch.amax(x, -1, keepdim=True), lambda d: [d.distinct((2, 3, 4))]),
        ("min_axis0", lambda x: torch.amin(x, 0), lambda d: [d.distinct((3, 4))]),
        ("min_axis2_keep", lambda x: torch.amin(x, 2, keepdim=True), lambda d: [d.distinct((2, 3, 4))]),
        ("sum_axis0", lambda x: x.sum(0), lambda d: [d.signed((3, 4))]),
        ("sum_axis_neg1_keep", lambda x: x.sum(-1, keepdim=True), lambda d: [d.signed((2, 3, 4))]),
        ("mean_axis1", lambda x: x.mean(1), lambda d: [d.signed((2, 3, 4))]),
        ("mean_axis2_keep", lambda x: x.mean(2, keepdim=True), lambda d: [d.signed((2, 3, 4))]),
        ("softmax", lambda x: torch.softmax(x, -1), lambda d: [d.uniform((3, 5), -2.0, 2.0)]),
        ("softmax_rank3", lambda x: torch.softmax(x, -1), lambda d: [d.uniform((2, 3, 4), -2.0, 2.0)]),
        ("log_softmax", lambda x: torch.log_softmax(x, -1), lambda d: [d.uniform((2, 3, 4), -2.0, 2.0)]),
        ("expand_dims_1", lambda x: x.unsqueeze(1), lambda d: [d.signed((2, 3))]),
        ("expand_dims_neg1", lambda x: x.unsqueeze(-1), lambda d: [d.signed((2, 3))]),
        ("reshape_1", lambda x: x.reshape(-1), lambda d: [d.signed((2, 3))]),
        ("reshape_2", lambda x: x.reshape(-1, 12), lambda d: [d.signed((2, 3, 4))]),
        ("reshape_3", lambda x: x.reshape(2, -1, 4), lambda d: [d.signed((2, 12))]),
        ("transpose", lambda x: x.transpose(-1, -2), lambda d: [d.signed((2, 3, 4))]),
        ("transpose_2d", lambda x: x.transpose(-1, -2), lambda d: [d.signed((3, 5))]),
        ("matmul", torch.matmul, lambda d: [d.signed((3, 4)), d.signed((4, 5))]),
        ("matmul_batched", torch.matmul, lambda d: [d.signed((2, 3, 4)), d.signed((2, 4, 5))]),
        ("l2_normalize_1", lambda x: l2n(x, 1), lambda d: [d.signed((3, 4))]),
        ("l2_normalize_0", lambda x: l2n(x, 0), lambda d: [d.signed((3, 4))]),
        ("l2_normalize_neg1", lambda x: l2n(x, -1), lambda d: [d.signed((2, 3, 4))]),
        ("cosine_similarity", lambda a, b: cosine(a, b, 1), lambda d: [d.signed((3, 4)), d.signed((3, 4))]),
        ("cosine_similarity_broadcast", lambda a, b: cosine(a, b, -1),
         lambda d: [d.signed((4,)), d.signed((2, 3, 4))]),
        ("kl_divergence", kl, lambda d: [d.probs((4, 5)), d.probs((4, 5))]),
        ("kl_divergence_broadcast", kl, lambda d: [d.probs((5,)), d.probs((2, 3, 5))]),
        ("categorical_crossentropy", cce, lambda d: [d.probs((4, 5)), d.uniform((4, 5), 0.1, 1.0)]),
        ("categorical_crossentropy_onehot", cce,
         lambda d: [torch.eye(5)[torch.tensor([0, 3, 1, 4])].to(torch.float32), d.probs((4, 5))]),
        ("mse", lambda t, p: ((t - p) ** 2).mean(), lambda d: [d.signed((3, 4)), d.signed((3, 4))]),
        ("mse_broadcast", lambda t, p: ((t - p) ** 2).mean(), lambda d: [d.signed((4,)), d.signed((3, 4))]),
        # At kinks: checked against PyTorch only (finite differences do not apply there).
        ("kink_abs_zero", torch.abs, lambda d: [torch.tensor([0.0, -1.0, 2.0, -0.0])]),
        ("kink_max_ties", torch.max, lambda d: [torch.tensor([[1.0, 3.0], [3.0, 2.0]])]),
        ("kink_min_ties", torch.min, lambda d: [torch.tensor([[1.0, -3.0], [-3.0, -3.0]])]),
        ("kink_max_axis_ties", lambda x: torch.amax(x, 1), lambda d: [torch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])]),
        ("kink_min_axis_ties", lambda x: torch.amin(x, 0), lambda d: [torch.tensor([[1.0, 3.0, 3.0], [1.0, 0.0, 2.0]])]),
        ("kink_clip_boundary", lambda x: torch.clamp(x, -0.5, 0.5),
         lambda d: [torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0])]),
        ("kink_kl_clipped", kl, lambda d: [torch.tensor([[0.0, 0.3, 0.7]]), torch.tensor([[0.2, 0.0, 0.8]])]),
        ("kink_cce_clipped", cce, lambda d: [torch.tensor([[0.0, 1.0, 0.0]]), torch.tensor([[0.5, 0.5, 0.0]])]),
        ("kink_l2_normalize_zero_row", lambda x: l2n(x, 1), lambda d: [torch.tensor([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]])]),
        # issue 12's losses (appended, so the rows above keep their seeds)
        ("binary_crossentropy", bce, lambda d: [d.uniform((3, 4), 0.0, 1.0), d.uniform((3, 4), 0.05, 0.95)]),
        ("binary_crossentropy_broadcast", bce, lambda d: [d.uniform((4,), 0.0, 1.0), d.uniform((2, 3, 4), 0.05, 0.95)]),
        ("sparse_categorical_crossentropy", scce,
         lambda d: [torch.tensor([0.0, 3.0, 1.0, 4.0]), d.uniform((4, 5), 0.1, 1.0)]),
        ("sparse_categorical_crossentropy_column", scce,
         lambda d: [torch.tensor([[2.0], [0.0], [2.0]]), d.probs((3, 3))]),
        ("mean_absolute_error", lambda t, p: torch.nn.functional.l1_loss(p, t),
         lambda d: [d.signed((3, 4)), d.signed((3, 4))]),
        ("mean_absolute_error_broadcast", lambda t, p: torch.nn.functional.l1_loss(p, t.expand_as(p)),
         lambda d: [d.signed((4,)), d.signed((3, 4))]),
        ("huber", huber, lambda d: [d.signed((4, 5)), d.signed((4, 5))]),
        ("kink_mae_equal", lambda t, p: torch.nn.functional.l1_loss(p, t),
         lambda d: [torch.tensor([[1.0, 2.0, -1.0]]), torch.tensor([[1.0, 0.5, -1.0]])]),
        ("kink_bce_clipped", bce, lambda d: [torch.tensor([[1.0, 0.0, 1.0, 0.5]]), torch.tensor([[0.0, 1.0, 1.0, 0.3]])]),
        # issue 13's activation ops (appended): torch's functions, gelu exact (approximate='none', as
        # keras.activations.gelu's default approximate=False), leaky_relu with Keras's slope 0.2
        ("relu", torch.relu, lambda d: [d.signed((2, 3))]),
        ("sigmoid", torch.sigmoid, lambda d: [d.uniform((2, 3), -3.0, 3.0)]),
        ("tanh", torch.tanh, lambda d: [d.uniform((2, 3), -2.0, 2.0)]),
        ("softplus", F.softplus, lambda d: [d.uniform((2, 3), -3.0, 3.0)]),
        ("elu", F.elu, lambda d: [d.signed((2, 3))]),
        ("selu", F.selu, lambda d: [d.signed((2, 3))]),
        ("silu", F.silu, lambda d: [d.uniform((2, 3), -3.0, 3.0)]),
        ("gelu", F.gelu, lambda d: [d.uniform((2, 3), -3.0, 3.0)]),
        ("leaky_relu", lambda x: F.leaky_relu(x, 0.2), lambda d: [d.signed((2, 3))]),
        ("kink_relu_zero", torch.relu, lambda d: [torch.tensor([0.0, -1.0, 2.0, -0.0])]),
        ("kink_leaky_relu_zero", lambda x: F.leaky_relu(x, 0.2), lambda d: [torch.tensor([0.0, -1.0, 2.0, -0.0])]),
        ("kink_selu_zero", F.selu, lambda d: [torch.tensor([0.0, -1.0, 2.0, -0.0])]),
    ]


def torch_agrees():
    """Where nothing is clipped, PyTorch's own losses give the Keras formulas above."""
    d = Draw(7)
    t, p = d.uniform((3, 4), 0.0, 1.0).double(), d.uniform((3, 4), 0.05, 0.95).double()
    assert torch.allclose(bce(t, p), torch.nn.functional.binary_cross_entropy(p, t))
    ids, q = torch.tensor([0.0, 3.0, 1.0]), d.probs((3, 5)).double()
    assert torch.allclose(scce(ids, q), torch.nn.functional.nll_loss(torch.log(q), ids.long()))
    e = d.signed((4, 5)).double()
    assert torch.allclose(huber(torch.zeros_like(e), e),
                          torch.where(e.abs() <= 1, 0.5 * e * e, e.abs() - 0.5).mean())


def main():
    torch_agrees()
    os.makedirs(OUT, exist_ok=True)
    for seed, (name, fn, draw) in enumerate(cases()):
        d = Draw(1000 + seed)
        xs = [x.to(torch.float32) for x in draw(d)]
        args = [x.to(torch.float64).requires_grad_(True) for x in xs]
        out = fn(*args)
        r = d.randn(tuple(out.shape))
        (out * r.to(torch.float64)).sum().backward()
        tensors = {"x%d" % i: x for i, x in enumerate(xs)}
        tensors["out"] = out
        tensors["r"] = r
        for i, a in enumerate(args):
            # class ids take no gradient: their entry is zeros (the op's adjoint for them is empty)
            tensors["grad%d" % i] = a.grad if a.grad is not None else torch.zeros_like(a)
        write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors)
    print("wrote %d cases to %s" % (len(cases()), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
