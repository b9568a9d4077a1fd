#!/usr/bin/env python3
"""Writes the PyTorch reference for BatchNormPenaltyReferenceTest: bn_penalty_reference.safetensors.

BatchNorm with an L1 or L2 penalty on its output, as a fused aux loss computes it: every case
back-propagates L = sum(out * r) + w * mean(abs(out)) or + w * mean(square(out)), through
Keras's BatchNormalization (torch's BatchNorm2d on the permuted NHWC input, momentum 0.9 as in
make_norm_reference.py, epsilon 1e-3), in training (batch statistics) or in inference (moving ones).

Tensors (F32), for each case <name>: the inputs <name>.x, .r, .gamma, .beta, .mm0, .mv0, and
<name>.out, .penalty (the unweighted mean, shape [1]), .grad.x, .grad.gamma, .grad.beta.

Run with the system Python that has PyTorch: /usr/bin/python3 make_bn_penalty_reference.py
"""
import pathlib

import torch

from make_norm_reference import EPSILON, KERAS_MOMENTUM, uniform, write_safetensors

OUT = (pathlib.Path(__file__).resolve().parents[1]
       / "resources" / "dev" / "tapgrad" / "runtime" / "layers" / "bn_penalty_reference.safetensors")

WEIGHT = 0.37


def penalized(inputs, dtype, training, square):
    x = inputs["x"].to(dtype).clone().requires_grad_(True)
    c = x.shape[-1]
    bn = torch.nn.BatchNorm2d(c, eps=EPSILON, momentum=1 - KERAS_MOMENTUM).to(dtype)
    with torch.no_grad():
        bn.weight.copy_(inputs["gamma"].to(dtype))
        bn.bias.copy_(inputs["beta"].to(dtype))
        bn.running_mean.copy_(inputs["mm0"].to(dtype))
        bn.running_var.copy_(inputs["mv0"].to(dtype))
    bn.train(training)
    out = bn(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
    penalty = out.square().mean() if square else out.abs().mean()
    ((out * inputs["r"].to(dtype)).sum() + WEIGHT * penalty).backward()
    return {"out": out.detach(), "penalty": penalty.detach().reshape(1), "grad.x": x.grad,
            "grad.gamma": bn.weight.grad, "grad.beta": bn.bias.grad}


CASES = [
    # name, input shape, training, square
    ("abs_train", (3, 4, 5, 6), True, False),
    ("square_train", (3, 4, 5, 6), True, True),
    ("abs_infer", (2, 5, 3, 16), False, False),
    ("square_infer", (2, 5, 3, 16), False, True),
]


def main():
    g = torch.Generator().manual_seed(20261207)
    tensors = {}
    for name, shape, training, square in CASES:
        c = shape[-1]
        inputs = {"x": (uniform(g, -1, 1, *shape) * uniform(g, 0.5, 3, c) + uniform(g, -2, 2, c)).float(),
                  "gamma": uniform(g, 0.5, 1.5, c), "beta": uniform(g, -0.5, 0.5, c),
                  "mm0": uniform(g, -1, 1, c), "mv0": uniform(g, 0.5, 2, c)}
        inputs["r"] = torch.randn(*shape, generator=g, dtype=torch.float64).float()
        ref = penalized(inputs, torch.float64, training, square)
        single = penalized(inputs, torch.float32, training, square)
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
