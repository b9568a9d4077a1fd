#!/usr/bin/python3
"""PyTorch reference values for LogitsLossesTest: the main losses of @Model(fromLogits = true).

Run with the system Python that has PyTorch 1.13:

    /usr/bin/python3 runtime/src/test/python/make_logits_reference.py

Writes runtime/src/test/resources/dev/tapgrad/runtime/loss/logits.safetensors with, per case,
  <case>.y      the labels (one-hot or soft rows, class ids, or binary targets),
  <case>.z      the logits,
  <case>.loss   the loss, shape (1,),
  <case>.grad   its gradient for the logits.
PyTorch's own losses on logits are Keras's (TensorFlow's softmax_cross_entropy_with_logits,
sparse_softmax_cross_entropy_with_logits and sigmoid_cross_entropy_with_logits, averaged over the
batch): F.cross_entropy with probability targets, with class ids, and
F.binary_cross_entropy_with_logits. Computed in float64 from float32 inputs, stored as float32.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_ops_reference import Draw, write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "tapgrad", "runtime", "loss")


def cases():
    d = Draw(4242)
    return [
        ("categorical", d.probs((4, 5)), d.uniform((4, 5), -3.0, 3.0),
         lambda y, z: F.cross_entropy(z, y)),
        ("sparse", torch.tensor([0.0, 3.0, 1.0, 4.0]), d.uniform((4, 5), -3.0, 3.0),
         lambda y, z: F.cross_entropy(z, y.long())),
        ("binary", d.uniform((3, 4), 0.0, 1.0), d.uniform((3, 4), -4.0, 4.0),
         lambda y, z: F.binary_cross_entropy_with_logits(z, y)),
        # large logits: the stable forms give finite values and gradients where exp would overflow in float
        ("binary_extreme", torch.tensor([[0.0, 1.0, 1.0, 0.0]]), torch.tensor([[-100.0, 100.0, -30.0, 30.0]]),
         lambda y, z: F.binary_cross_entropy_with_logits(z, y)),
        ("categorical_extreme", torch.tensor([[0.0, 1.0, 0.0]]), torch.tensor([[1000.0, -1000.0, 0.0]]),
         lambda y, z: F.cross_entropy(z, y)),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors = {}
    for name, y, z, fn in cases():
        z64 = z.to(torch.float64).requires_grad_(True)
        loss = fn(y.to(torch.float64), z64)
        loss.backward()
        tensors[name + ".y"] = y
        tensors[name + ".z"] = z
        tensors[name + ".loss"] = loss.detach().reshape(1)
        tensors[name + ".grad"] = z64.grad
    write_safetensors(os.path.join(OUT, "logits.safetensors"), tensors)
    print("wrote %d cases to %s" % (len(cases()), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
