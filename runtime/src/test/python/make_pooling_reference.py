#!/usr/bin/env python3
"""Writes the PyTorch reference for PoolingLayersTest: pooling_reference.safetensors.

Keras semantics through torch, channels last: an NHWC (or N, steps, C) input is permuted to torch's
NCHW (N, C, steps), run, and permuted back. TensorFlow's SAME padding is asymmetric (the odd pixel
at the bottom/right), which torch's symmetric `padding` cannot say, so SAME pads explicitly with
F.pad: with -inf for max pooling (padding is never the max), and for average pooling the sum over
a zero-padded window divided by the count of real positions (a padded ones tensor pooled the same
way) — TensorFlow's avg_pool, torch's count_include_pad=False. Conv1D maps Keras's kernel (k, in,
out) to torch's weight (out, in, k).

Every case back-propagates L = sum(out * r). Inputs hold values on a coarse grid (multiples of
1/4) so that max-pooling windows contain ties: the reference pins torch's routing of a tied max
(the gradient goes to the first maximum in window order, rows then columns), checked below.

Inputs and weights are float32 values; the reference runs in float64 and the float32 torch run
must agree with it well within the Java test's tolerance.

Tensors (F32): for each case <name>: <name>.x, <name>.r, <name>.out, <name>.grad.x and, for
Conv1D, <name>.kernel, <name>.bias, <name>.grad.kernel, <name>.grad.bias.

Run with the system Python that has PyTorch: /usr/bin/python3 make_pooling_reference.py
"""
import json
import math
import pathlib
import struct

import torch
import torch.nn.functional as F

OUT = (pathlib.Path(__file__).resolve().parents[1]
       / "resources" / "dev" / "tapgrad" / "runtime" / "layers" / "pooling_reference.safetensors")


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


def same_pads(size, k, s):
    """TensorFlow's SAME: (before, after) with the odd one after."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def pool2d(x, kind, pool, strides, padding):
    """Keras MaxPooling2D / AveragePooling2D on NHWC x."""
    t = x.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = same_pads(x.shape[1], pool[0], strides[0])
        left, right = same_pads(x.shape[2], pool[1], strides[1])
        pads = (left, right, top, bottom)
    else:
        pads = (0, 0, 0, 0)
    if kind == "max":
        y = F.max_pool2d(F.pad(t, pads, value=-math.inf), pool, strides)
    else:
        total = F.avg_pool2d(F.pad(t, pads), pool, strides) * (pool[0] * pool[1])
        ones = torch.ones_like(t[:1, :1])
        count = F.avg_pool2d(F.pad(ones, pads), pool, strides) * (pool[0] * pool[1])
        y = total / count
    return y.permute(0, 2, 3, 1)


def conv1d(x, kernel, bias, stride, padding, act):
    """Keras Conv1D on (N, steps, C) x with kernel (k, in, out)."""
    t = x.permute(0, 2, 1)
    if padding == "same":
        t = F.pad(t, same_pads(x.shape[1], kernel.shape[0], stride))
    y = F.conv1d(t, kernel.permute(2, 1, 0), bias, stride=stride).permute(0, 2, 1)
    return {"linear": y, "relu": torch.relu(y), "tanh": torch.tanh(y)}[act]


def grid(g, *shape):
    """Values on multiples of 1/4 in [-2, 2]: exact in float32, with ties inside pooling windows."""
    return (torch.randint(-8, 9, shape, generator=g) / 4.0).float()


def uniform(g, scale, *shape):
    return ((torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1) * scale).float()


CASES = [
    # name, input shape, function of (x, params) -> out, params
    ("max_valid", (2, 5, 7, 3), lambda x, p: pool2d(x, "max", (2, 3), (2, 2), "valid"), {}),
    ("max_same", (2, 5, 7, 3), lambda x, p: pool2d(x, "max", (3, 3), (2, 2), "same"), {}),
    ("max_default", (2, 4, 6, 2), lambda x, p: pool2d(x, "max", (2, 2), (2, 2), "valid"), {}),
    ("avg_valid", (2, 5, 7, 3), lambda x, p: pool2d(x, "avg", (2, 3), (1, 2), "valid"), {}),
    ("avg_same", (2, 5, 7, 3), lambda x, p: pool2d(x, "avg", (3, 2), (2, 3), "same"), {}),
    ("gavg2d", (2, 3, 4, 5), lambda x, p: x.mean(dim=(1, 2)), {}),
    ("gmax2d", (2, 3, 4, 5), lambda x, p: F.adaptive_max_pool2d(x.permute(0, 3, 1, 2), 1).flatten(1), {}),
    ("gavg1d", (3, 6, 4), lambda x, p: x.mean(dim=1), {}),
    ("gmax1d", (3, 6, 4), lambda x, p: F.adaptive_max_pool1d(x.permute(0, 2, 1), 1).flatten(1), {}),
    ("reshape", (2, 3, 4, 2), lambda x, p: x.reshape(2, 6, 4), {}),
    ("conv1d_valid", (2, 9, 3), lambda x, p: conv1d(x, p["kernel"], p["bias"], 2, "valid", "tanh"), {"k": 3, "out": 4}),
    ("conv1d_same", (2, 8, 3), lambda x, p: conv1d(x, p["kernel"], p["bias"], 1, "same", "relu"), {"k": 4, "out": 5}),
]


def first_max_routing():
    """torch's pooling sends a tied max's gradient to the first maximum in window order.

    The global max poolings follow torch's adaptive_max_pool (one window over every position), not
    amax/TensorFlow's reduce_max, which split a tie's gradient evenly; with real data ties have
    measure zero, and one rule for every max layer is what the tests pin.
    """
    x = torch.tensor([[[[1.0, 2.0], [2.0, 2.0]]]], dtype=torch.float64, requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.flatten().tolist() == [0, 1, 0, 0], x.grad
    y = torch.tensor([[[1.0, 3.0, 3.0]]], dtype=torch.float64, requires_grad=True)
    F.adaptive_max_pool1d(y, 1).sum().backward()
    assert y.grad.flatten().tolist() == [0, 1, 0], y.grad


def run(name, shape, f, spec, tensors_in, dtype):
    x = tensors_in["x"].to(dtype).clone().requires_grad_(True)
    params = {k: v.to(dtype).clone().requires_grad_(True) for k, v in tensors_in.items() if k in ("kernel", "bias")}
    out = f(x, params)
    (out * tensors_in["r"].to(dtype)).sum().backward()
    result = {"out": out.detach(), "grad.x": x.grad}
    for k, v in params.items():
        result["grad." + k] = v.grad
    return result


def main():
    g = torch.Generator().manual_seed(20261206)
    first_max_routing()
    tensors = {}
    for name, shape, f, spec in CASES:
        inputs = {"x": grid(g, *shape) if not name.startswith("conv1d") else uniform(g, 1.0, *shape)}
        if spec:
            inputs["kernel"] = uniform(g, 0.6, spec["k"], shape[2], spec["out"])
            inputs["bias"] = uniform(g, 0.3, spec["out"])
        with torch.no_grad():
            out_shape = f(inputs["x"].double(), {k: v.double() for k, v in inputs.items()}).shape
        inputs["r"] = torch.randn(*out_shape, generator=g, dtype=torch.float64).float()
        ref = run(name, shape, f, spec, inputs, torch.float64)
        single = run(name, shape, f, spec, inputs, torch.float32)
        for key, value in ref.items():
            err = (single[key].double() - value).abs().max().item()
            assert err <= 1e-5 * value.abs().max().item() + 1e-7, (name, key, err)
        for key, value in inputs.items():
            tensors[name + "." + key] = value
        for key, value in ref.items():
            tensors[name + "." + key] = value
    write_safetensors(OUT, tensors)
    print("wrote", OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
