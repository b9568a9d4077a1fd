#!/usr/bin/python3
"""PyTorch reference values for CustomLayerTest (custom layers: resources/custom/*.java).

Run with the system Python that has PyTorch 1.13:

    /usr/bin/python3 dsl-processor/src/test/python/make_custom_layer_reference.py

For each model it writes, under dsl-processor/src/test/resources/custom/,
  <model>.safetensors            the weights, named layer.param in Keras layouts (Dense kernel
                                 (in, out)); the Java test loads them with the generated load()
  <model>_reference.safetensors  x, y, the total loss and grad.<layer.param> for every weight.
The models are written out with torch ops from the Java sources (Swish: h = x·kernel + bias,
h·sigmoid(h); Gate: a + exp(0.5·b)·scale), MSE as Keras (mean over every element), and the aux
loss 0.01·Σ kernel² of SwishNet; PyTorch's autograd gives the gradients, in float64 from the
float32 values, stored as float32.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "custom")


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


def draw(g, *shape):
    return (torch.rand(shape, generator=g) * 2 - 1).to(torch.float32)


def save(name, weights, x, y, total):
    for w in weights.values():
        w.grad = None
    total.backward()
    write_safetensors(os.path.join(OUT, name + ".safetensors"), weights)
    ref = {"x": x, "y": y, "loss": total.detach().reshape(())}
    for k, w in weights.items():
        ref["grad." + k] = w.grad
    write_safetensors(os.path.join(OUT, name + "_reference.safetensors"), ref)


def leaf(t):
    return t.to(torch.float64).requires_grad_(True)


def swish_net():
    g = torch.Generator().manual_seed(11)
    w = {"swish.kernel": leaf(draw(g, 4, 3)), "swish.bias": leaf(draw(g, 3) * 0.5),
         "out.kernel": leaf(draw(g, 3, 2)), "out.bias": leaf(draw(g, 2) * 0.5)}
    x, y = draw(g, 5, 4) * 2, draw(g, 5, 2)
    h = x.double() @ w["swish.kernel"] + w["swish.bias"]
    s = h * torch.sigmoid(h)
    out = s @ w["out.kernel"] + w["out.bias"]
    total = torch.mean((out - y.double()) ** 2) + 0.01 * torch.sum(w["swish.kernel"] ** 2)
    save("swish_net", w, x, y, total)


def gate_net():
    g = torch.Generator().manual_seed(12)
    w = {"a.kernel": leaf(draw(g, 4, 3)), "a.bias": leaf(draw(g, 3) * 0.5),
         "b.kernel": leaf(draw(g, 4, 3)), "b.bias": leaf(draw(g, 3) * 0.5),
         "gate.scale": leaf(draw(g, 3) + 1.5)}
    x, y = draw(g, 5, 4) * 2, draw(g, 5, 3)
    a = x.double() @ w["a.kernel"] + w["a.bias"]
    b = x.double() @ w["b.kernel"] + w["b.bias"]
    out = a + torch.exp(0.5 * b) * w["gate.scale"]
    total = torch.mean((out - y.double()) ** 2)
    save("gate_net", w, x, y, total)


if __name__ == "__main__":
    swish_net()
    gate_net()
