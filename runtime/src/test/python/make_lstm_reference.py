#!/usr/bin/env python3
"""Writes the PyTorch reference for LstmTest: lstm_reference.safetensors.

A Keras-layout LSTM (kernel (F, 4u), recurrent_kernel (u, 4u), bias (4u), gates i, f, c, o) is
converted to torch.nn.LSTM: weight_ih = kernel^T, weight_hh = recurrent_kernel^T (torch's gate
order i, f, g, o is Keras's), bias_ih = bias, bias_hh = 0. It runs on x (B, T, F) and
back-propagates L = sum(out * R), once with the whole output sequence (Keras
return_sequences=True) and once with the last step only.

Inputs and weights are float32 values; the reference runs in float64, so the expected values are
the exact results rounded once to float32. The script checks that float32 PyTorch agrees with them
to well within the Java test's tolerance.

Tensors (all F32): kernel, recurrent_kernel, bias, x, then for mode in {seq, last}: <mode>.r,
<mode>.out, <mode>.grad.kernel, <mode>.grad.recurrent_kernel, <mode>.grad.bias, <mode>.grad.x.

Run with the system Python that has PyTorch: /usr/bin/python3 make_lstm_reference.py
"""
import json
import pathlib
import struct

import torch

B, T, F, U = 3, 5, 2, 4
OUT = (pathlib.Path(__file__).resolve().parents[1]
       / "resources" / "dev" / "tapgrad" / "runtime" / "layers" / "lstm_reference.safetensors")


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


def run(kernel, recurrent, bias, x, r, sequences, dtype):
    """out and the gradients of sum(out * r), in Keras layouts."""
    lstm = torch.nn.LSTM(F, U, batch_first=True).to(dtype)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(kernel.to(dtype).T)
        lstm.weight_hh_l0.copy_(recurrent.to(dtype).T)
        lstm.bias_ih_l0.copy_(bias.to(dtype))
        lstm.bias_hh_l0.zero_()
    xx = x.to(dtype).clone().requires_grad_(True)
    out, _ = lstm(xx)
    if not sequences:
        out = out[:, -1]
    (out * r.to(dtype)).sum().backward()
    return {
        "out": out.detach(),
        "grad.kernel": lstm.weight_ih_l0.grad.T,
        "grad.recurrent_kernel": lstm.weight_hh_l0.grad.T,
        # bias_ih and bias_hh enter z the same way, so either gradient is Keras's bias gradient.
        "grad.bias": lstm.bias_ih_l0.grad,
        "grad.x": xx.grad,
    }


def main():
    g = torch.Generator().manual_seed(20240611)

    def uniform(scale, *shape):
        return ((torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1) * scale).float()

    kernel = uniform(0.9, F, 4 * U)
    recurrent = uniform(0.7, U, 4 * U)
    bias = uniform(0.6, 4 * U)
    x = uniform(1.0, B, T, F)
    tensors = {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias, "x": x}
    for mode, sequences, r_shape in (("seq", True, (B, T, U)), ("last", False, (B, U))):
        r = torch.randn(*r_shape, generator=g, dtype=torch.float64).float()
        ref = run(kernel, recurrent, bias, x, r, sequences, torch.float64)
        single = run(kernel, recurrent, bias, x, r, sequences, torch.float32)
        for name, value in ref.items():
            err = (single[name].double() - value).abs().max().item()
            assert err <= 1e-5 * value.abs().max().item() + 1e-7, (mode, name, err)
        tensors[mode + ".r"] = r
        for name, value in ref.items():
            tensors[mode + "." + name] = value
    write_safetensors(OUT, tensors)
    print("wrote", OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
