#!/usr/bin/env python3
"""Writes the PyTorch references for the activations ELU, SELU, SILU, SOFTPLUS and LEAKY_RELU
(ActivationsReferenceTest: activations_reference.safetensors) and for Embedding and Gru
(GruLayersTest: gru_reference.safetensors).

Activations: torch's F.elu, F.selu, F.silu, F.softplus and F.leaky_relu(x, 0.2) (Keras's
leaky_relu slope) on inputs that include the kinks (0) and large magnitudes, with the gradient of
L = sum(out * r): the derivative at a kink is whatever torch's backward gives there.

Embedding: F.embedding with repeated ids, so that its weight gradient (a scatter-add) sums rows.

Gru: Keras's GRU with reset_after=True through torch.nn.GRU(batch_first=True). Keras holds kernel
(in, 3u), recurrent_kernel (u, 3u), bias (2, 3u) = [input bias; recurrent bias] with gate blocks
z, r, h; torch holds weight_ih (3u, in), weight_hh (3u, u), bias_ih, bias_hh with gate blocks r, z,
n. Both compute n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and h' = (1 - z) n + z h, so the
map is a reordering of blocks and a transpose; keras_gru below writes Keras's equations out by
hand and must agree with torch, which pins the mapping itself.

Every reference runs in float64 from float32 inputs; the float32 torch run must agree with it.
Run with the system Python that has PyTorch: /usr/bin/python3 make_text_reference.py
"""
import json
import pathlib
import struct

import torch
import torch.nn.functional as F

RES = pathlib.Path(__file__).resolve().parents[1] / "resources" / "dev" / "tapgrad" / "runtime"
ACT_OUT = RES / "kernel" / "math" / "activations_reference.safetensors"
GRU_OUT = RES / "layers" / "gru_reference.safetensors"


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
    print("wrote", path, path.stat().st_size, "bytes")


def uniform(g, scale, *shape):
    return ((torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1) * scale).float()


def agree(name, ref, single):
    for key, value in ref.items():
        err = (single[key].double() - value).abs().max().item()
        assert err <= 1e-5 * value.abs().max().item() + 1e-7, (name, key, err)


ACTIVATIONS = {
    "ELU": F.elu,
    "SELU": F.selu,
    "SILU": F.silu,
    "SOFTPLUS": F.softplus,
    "LEAKY_RELU": lambda x: F.leaky_relu(x, 0.2),
}


def activations(g):
    special = torch.tensor([0.0, -0.0, 1e-3, -1e-3, 25.0, -25.0, 40.0, -40.0, 3.0, -3.0, 0.5, -0.5])
    x = torch.cat([special, uniform(g, 4.0, 36)]).reshape(6, 8)
    r = torch.randn(6, 8, generator=g, dtype=torch.float64).float()
    tensors = {"x": x, "r": r}
    for name, f in ACTIVATIONS.items():
        result = {}
        for dtype in (torch.float64, torch.float32):
            xx = x.to(dtype).clone().requires_grad_(True)
            out = f(xx)
            (out * r.to(dtype)).sum().backward()
            result[dtype] = {"out": out.detach(), "grad": xx.grad}
        agree(name, result[torch.float64], result[torch.float32])
        tensors[name + ".out"] = result[torch.float64]["out"]
        tensors[name + ".grad"] = result[torch.float64]["grad"]
    # The kinks as torch's backward takes them: ELU's slope at 0 is 1, SELU's scale·alpha, LEAKY_RELU's 0.2.
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    F.selu(z).sum().backward()
    assert abs(z.grad.item() - 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717) < 1e-12
    z.grad = None
    F.leaky_relu(z, 0.2).sum().backward()
    assert z.grad.item() == 0.2
    write_safetensors(ACT_OUT, tensors)


def embedding(g, tensors):
    vocabulary, units = 7, 5
    ids = torch.tensor([[0, 3, 3, 6], [2, 0, 3, 1], [6, 6, 5, 4]], dtype=torch.int64)
    weight = uniform(g, 0.05, vocabulary, units)
    r = torch.randn(3, 4, units, generator=g, dtype=torch.float64).float()
    w = weight.double().clone().requires_grad_(True)
    out = F.embedding(ids, w)
    (out * r.double()).sum().backward()
    tensors.update({"emb.ids": ids.float(), "emb.embeddings": weight, "emb.r": r,
                    "emb.out": out.detach(), "emb.grad.embeddings": w.grad})


def keras_gru(x, kernel, rk, bias, sequences):
    """Keras's GRU (reset_after=True) written out: gates z, r, h; h_0 = 0."""
    u = rk.shape[0]
    h = torch.zeros(x.shape[0], u, dtype=x.dtype)
    outs = []
    for t in range(x.shape[1]):
        xp = x[:, t] @ kernel + bias[0]
        hp = h @ rk + bias[1]
        z = torch.sigmoid(xp[:, :u] + hp[:, :u])
        r = torch.sigmoid(xp[:, u:2 * u] + hp[:, u:2 * u])
        hh = torch.tanh(xp[:, 2 * u:] + r * hp[:, 2 * u:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return torch.stack(outs, 1) if sequences else h


def keras_to_torch(m, u):
    """Columns z, r, h of a Keras (n, 3u) matrix to torch's rows r, z, n: (3u, n)."""
    return torch.cat([m[..., u:2 * u], m[..., :u], m[..., 2 * u:]], -1).transpose(-1, -2) if m.dim() == 2 \
        else torch.cat([m[u:2 * u], m[:u], m[2 * u:]])


def torch_to_keras(m, u):
    """torch's rows r, z, n (3u, n) back to Keras's columns z, r, h (n, 3u); a vector alike."""
    if m.dim() == 2:
        m = m.transpose(0, 1)
    return torch.cat([m[..., u:2 * u], m[..., :u], m[..., 2 * u:]], -1)


def run_gru(inputs, sequences, dtype):
    x = inputs["x"].to(dtype).clone().requires_grad_(True)
    kernel, rk, bias = inputs["kernel"], inputs["recurrent_kernel"], inputs["bias"]
    u = rk.shape[0]
    gru = torch.nn.GRU(kernel.shape[0], u, batch_first=True).to(dtype)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(keras_to_torch(kernel.to(dtype), u))
        gru.weight_hh_l0.copy_(keras_to_torch(rk.to(dtype), u))
        gru.bias_ih_l0.copy_(keras_to_torch(bias[0].to(dtype), u))
        gru.bias_hh_l0.copy_(keras_to_torch(bias[1].to(dtype), u))
    seq, h_n = gru(x)
    out = seq if sequences else h_n[0]
    (out * inputs["r"].to(dtype)).sum().backward()
    with torch.no_grad():
        mine = keras_gru(x.detach(), kernel.to(dtype), rk.to(dtype), bias.to(dtype), sequences)
        assert (mine - out).abs().max().item() < (1e-12 if dtype == torch.float64 else 1e-5), "mapping"
    return {
        "out": out.detach(), "grad.x": x.grad,
        "grad.kernel": torch_to_keras(gru.weight_ih_l0.grad, u),
        "grad.recurrent_kernel": torch_to_keras(gru.weight_hh_l0.grad, u),
        "grad.bias": torch.stack([torch_to_keras(gru.bias_ih_l0.grad, u), torch_to_keras(gru.bias_hh_l0.grad, u)]),
    }


def gru(g, tensors):
    for name, (b, steps, features, units, sequences) in {
        "gru_seq": (3, 5, 4, 6, True),
        "gru_last": (2, 7, 3, 4, False),
        "gru_parts": (37, 4, 3, 5, True),
    }.items():
        inputs = {
            "x": uniform(g, 1.0, b, steps, features),
            "kernel": uniform(g, 0.7, features, 3 * units),
            "recurrent_kernel": uniform(g, 0.7, units, 3 * units),
            "bias": uniform(g, 0.4, 2, 3 * units),
        }
        out_shape = (b, steps, units) if sequences else (b, units)
        inputs["r"] = torch.randn(*out_shape, generator=g, dtype=torch.float64).float()
        ref = run_gru(inputs, sequences, torch.float64)
        agree(name, ref, run_gru(inputs, sequences, torch.float32))
        for key, value in list(inputs.items()) + list(ref.items()):
            tensors[name + "." + key] = value


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(20261206)
    activations(g)
    tensors = {}
    embedding(g, tensors)
    gru(g, tensors)
    write_safetensors(GRU_OUT, tensors)


if __name__ == "__main__":
    main()
