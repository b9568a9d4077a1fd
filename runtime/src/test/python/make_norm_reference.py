#!/usr/bin/env python3
"""Writes the PyTorch reference for NormLayersTest: norm_reference.safetensors.

Keras semantics through torch, channels last: BatchNorm normalises the last axis, so an NHWC
input is permuted to torch's NCHW for nn.BatchNorm2d (and a (N, C) input goes to nn.BatchNorm1d
as is), run, and permuted back. Keras's momentum m is torch's 1 - m; epsilon is the same.

Where torch differs from Keras the script says so and writes Keras's value: torch updates
running_var with the unbiased batch variance, Keras 3 with the biased one (the variance its
ops.moments returns, the one it also normalises with), so <case>.moving_variance is computed here
from the batch, in float64; torch's running_mean update is Keras's and is taken from torch.

LayerNorm is nn.LayerNorm over the last axis with eps 1e-3 (Keras's default).

Every case back-propagates L = sum(out * r). Inputs and weights are float32 values; the
reference runs in float64 and the float32 torch run must agree with it well within the Java
test's tolerance.

Tensors (F32), for each case <name>: <name>.x, .r, .gamma, .beta, .out, .grad.x, .grad.gamma,
.grad.beta and, for BatchNorm, .moving_mean and .moving_variance before the step (.mm0, .mv0) and
after it (.moving_mean, .moving_variance; unchanged in inference).

Run with the system Python that has PyTorch: /usr/bin/python3 make_norm_reference.py
"""
import json
import pathlib
import struct

import torch

OUT = (pathlib.Path(__file__).resolve().parents[1]
       / "resources" / "dev" / "tapgrad" / "runtime" / "layers" / "norm_reference.safetensors")

KERAS_MOMENTUM = 0.9
EPSILON = 1e-3


def write_safetensors(path, tensors):
    """The safetensors format by hand: u64 LE header length, JSON header padded to 8, LE float32 data."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().flatten().tolist()
        blob = struct.pack("<%df" % len(data), *data)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def uniform(g, lo, hi, *shape):
    return (lo + torch.rand(*shape, generator=g, dtype=torch.float64) * (hi - lo)).float()


def batch_norm(inputs, dtype, training):
    """Keras BatchNormalization(axis=-1, momentum=0.9, epsilon=1e-3) through nn.BatchNorm1d/2d."""
    x = inputs["x"].to(dtype).clone().requires_grad_(True)
    c = x.shape[-1]
    bn = (torch.nn.BatchNorm2d if x.dim() == 4 else torch.nn.BatchNorm1d)(
        c, eps=EPSILON, momentum=1 - KERAS_MOMENTUM).to(dtype)
    with torch.no_grad():
        bn.weight.copy_(inputs["gamma"].to(dtype))
        bn.bias.copy_(inputs["beta"].to(dtype))
        bn.running_mean.copy_(inputs["mm0"].to(dtype))
        bn.running_var.copy_(inputs["mv0"].to(dtype))
    bn.train(training)
    if x.dim() == 4:
        out = bn(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
    else:
        out = bn(x)
    (out * inputs["r"].to(dtype)).sum().backward()
    result = {"out": out.detach(), "grad.x": x.grad, "grad.gamma": bn.weight.grad, "grad.beta": bn.bias.grad,
              "moving_mean": bn.running_mean.detach().clone()}
    if training:
        rows = x.detach().reshape(-1, c).double()
        biased = rows.var(dim=0, unbiased=False)
        unbiased_torch = inputs["mv0"].double() * KERAS_MOMENTUM + rows.var(dim=0, unbiased=True) * (1 - KERAS_MOMENTUM)
        # torch's running_var is the unbiased update; Keras's is the biased one, written instead
        assert (bn.running_var.double() - unbiased_torch).abs().max() < 1e-5
        result["moving_variance"] = inputs["mv0"].double() * KERAS_MOMENTUM + biased * (1 - KERAS_MOMENTUM)
    else:
        result["moving_variance"] = bn.running_var.detach().clone()
    return result


def layer_norm(inputs, dtype, training):
    x = inputs["x"].to(dtype).clone().requires_grad_(True)
    ln = torch.nn.LayerNorm(x.shape[-1], eps=EPSILON).to(dtype)
    with torch.no_grad():
        ln.weight.copy_(inputs["gamma"].to(dtype))
        ln.bias.copy_(inputs["beta"].to(dtype))
    out = ln(x)
    (out * inputs["r"].to(dtype)).sum().backward()
    return {"out": out.detach(), "grad.x": x.grad, "grad.gamma": ln.weight.grad, "grad.beta": ln.bias.grad}


CASES = [
    # name, input shape, layer, training
    ("bn_train_nhwc", (3, 4, 5, 6), batch_norm, True),
    ("bn_train_vec", (7, 5), batch_norm, True),
    ("bn_infer_nhwc", (3, 4, 5, 6), batch_norm, False),
    ("ln_seq", (3, 4, 6), layer_norm, True),
    ("ln_vec", (5, 8), layer_norm, True),
]


def main():
    g = torch.Generator().manual_seed(20261206)
    tensors = {}
    for name, shape, layer, training in CASES:
        c = shape[-1]
        # an offset and a scale per feature, so that normalising does something visible
        inputs = {"x": (uniform(g, -1, 1, *shape) * uniform(g, 0.5, 3, c) + uniform(g, -2, 2, c)).float(),
                  "gamma": uniform(g, 0.5, 1.5, c), "beta": uniform(g, -0.5, 0.5, c)}
        if layer is batch_norm:
            inputs["mm0"] = uniform(g, -1, 1, c)
            inputs["mv0"] = uniform(g, 0.5, 2, c)
        inputs["r"] = torch.randn(*shape, generator=g, dtype=torch.float64).float()
        ref = layer(inputs, torch.float64, training)
        single = layer(inputs, torch.float32, training)
        for key, value in ref.items():
            err = (single[key].double() - value.double()).abs().max().item()
            assert err <= 1e-5 * value.abs().max().item() + 1e-6, (name, key, err)
        for key, value in inputs.items():
            tensors[name + "." + key] = value
        for key, value in ref.items():
            tensors[name + "." + key] = value
    write_safetensors(OUT, tensors)
    print("wrote", OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
