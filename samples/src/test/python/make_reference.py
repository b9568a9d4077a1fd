#!/usr/bin/python3
"""Independent PyTorch reference values for Tapgrad's generated gradients.

Run from the repository root (needs Debian's python3-torch, i.e. PyTorch 1.13, and numpy):

    /usr/bin/python3 samples/src/test/python/make_reference.py

(The `python3` of a pyenv on PATH may have no torch; use the system one.)

For each model in samples/src/test/java/dev/tapgrad/reference/ it writes, into
samples/src/test/resources/dev/tapgrad/reference/<Model>/:

  weights.safetensors   exactly the model's parameters, `<layer>.kernel` / `<layer>.bias`, Keras
                        layouts (Dense kernel (in, units); Conv2D kernel (kh, kw, in, filters))
  batch.safetensors     `x` (batch first, images NHWC) and `y`
  expected.safetensors  `grad.<layer>.<param>`: gradient of the TOTAL loss (main + sum weight*aux)
                        for every parameter, Keras layouts, stored as F32
  expected.json         total loss, every term (unweighted), torch version, float32/float64 check

Everything is computed twice, in float32 and in float64 on the same (float32-valued) weights and
inputs. The float64 results are what is stored (values in the JSON at full precision, gradients
rounded once to float32); the float32 run is a sanity check that must agree with them under the
same criterion the Java test uses: |g32 - g64| <= max(1e-4 * |g64|, 1e-6) elementwise.
Independently of torch, a plain numpy float64 forward written with loops straight from the Keras/TF
definitions (NHWC, TF SAME padding, (h, w, c) flatten) must give the same total loss, and its central
finite differences must match every stored gradient entry; both errors go into expected.json.

Re-draws: each model draws from its own numpy RandomState. If a draw puts a relu pre-activation
within 1e-3 of 0 (the kink: float32 rounding could flip its side), or a softmax probability near
the crossentropy clamp bounds (1e-7, 1 - 1e-7), or fails the float32/float64 check, the draw is
discarded and the next one from the same RandomState is taken. The number of discarded draws is
recorded in expected.json ("redraws"), so the output is deterministic.

The files are small and committed; CI only reads them (it has no PyTorch).
"""

import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

# this file is <root>/samples/src/test/python/make_reference.py
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
OUT = os.path.join(ROOT, "samples", "src", "test", "resources", "dev", "tapgrad", "reference")

KINK_MARGIN = 1e-3
REL_TOL = 1e-4
ABS_FLOOR = 1e-6
EPS = 1e-7  # Keras backend epsilon, the crossentropy clamp


# ---- safetensors, by hand -------------------------------------------------------------------

def write_safetensors(path, tensors):
    """tensors: list of (name, np.ndarray); written as F32, little-endian, packed in list order."""
    header = {}
    blobs = []
    offset = 0
    for name, arr in tensors:
        a = np.ascontiguousarray(arr, dtype="<f4")
        raw = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    out = {}
    for name, meta in header.items():
        b, e = meta["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(meta["shape"])
    return out


# ---- layers in Keras semantics --------------------------------------------------------------

def dense(x, kernel, bias):
    return x @ kernel + bias


def same_pad(size, k, s):
    """TensorFlow SAME: out = ceil(in / s), total = max((out - 1) * s + k - in, 0), extra at the end."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def conv2d(x_nhwc, kernel, bias, strides, padding):
    """x (B, H, W, C), kernel (kh, kw, C, F), bias (F) -> pre-activation (B, OH, OW, F)."""
    kh, kw = kernel.shape[0], kernel.shape[1]
    sh, sw = strides
    x = x_nhwc.permute(0, 3, 1, 2)                      # NCHW
    if padding == "SAME":
        top, bottom = same_pad(x.shape[2], kh, sh)
        left, right = same_pad(x.shape[3], kw, sw)
        x = F.pad(x, (left, right, top, bottom))
    w = kernel.permute(3, 2, 0, 1)                      # (F, C, kh, kw); conv2d is cross-correlation, as TF
    y = F.conv2d(x, w, bias=bias, stride=(sh, sw))
    return y.permute(0, 2, 3, 1)                        # back to NHWC


def flatten(x_nhwc):
    return x_nhwc.reshape(x_nhwc.shape[0], -1)          # (h, w, c) order, as Keras Flatten on NHWC


def categorical_crossentropy(y, p):
    q = p / p.sum(dim=-1, keepdim=True)
    c = torch.clamp(q, EPS, 1 - EPS)
    return (-(y * torch.log(c)).sum(dim=-1)).mean()


def mse(y, p):
    return ((y - p) ** 2).mean()


# ---- the three models (mirror the Java classes exactly) -------------------------------------

class TinyCnn:
    """@Model(input = {6, 6, 2}, loss = CATEGORICAL_CROSSENTROPY); conv1 3x3x3 relu VALID, Flatten,
    Dense 4 softmax; @AuxLoss(tap = "conv1", weight = 0.5) sparsity = mean(abs(conv1))."""
    name = "TinyCnn"
    seed = 1001
    batch = 5
    input_shape = (6, 6, 2)
    main = "categorical_crossentropy"
    aux = [("sparsity", 0.5)]
    params = [("conv1.kernel", (3, 3, 2, 3)), ("conv1.bias", (3,)),
              ("out.kernel", (48, 4)), ("out.bias", (4,))]

    @staticmethod
    def labels(rng, batch):
        return np.eye(4)[rng.randint(0, 4, size=batch)]

    @staticmethod
    def forward(p, x):
        z1 = conv2d(x, p["conv1.kernel"], p["conv1.bias"], (1, 1), "VALID")
        conv1 = torch.relu(z1)
        out = torch.softmax(dense(flatten(conv1), p["out.kernel"], p["out.bias"]), dim=-1)
        return out, {"relu_pre": [z1], "conv1": conv1, "probs": out}

    @staticmethod
    def aux_values(t):
        return {"sparsity": t["conv1"].abs().mean()}


class StridedCnn:
    """@Model(input = {7, 5, 3}, loss = MSE); conv1 4 filters, kernel {3, 2}, strides 2, SAME, relu,
    Flatten, Dense 3 linear; energy (tap conv1, weight 0.1) = mean(square(conv1)) + 0.5 *
    sum(conv1 * conv1); centered (tap out, weight 2.0) = mean(square(out - (-out)))."""
    name = "StridedCnn"
    seed = 2002
    batch = 4
    input_shape = (7, 5, 3)
    main = "mse"
    aux = [("energy", 0.1), ("centered", 2.0)]
    # SAME with stride 2: H 7 -> 4 (pad 1 top, 1 bottom), W 5 -> 3 (pad 0 left, 1 right)
    params = [("conv1.kernel", (3, 2, 3, 4)), ("conv1.bias", (4,)),
              ("out.kernel", (4 * 3 * 4, 3)), ("out.bias", (3,))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 3))

    @staticmethod
    def forward(p, x):
        z1 = conv2d(x, p["conv1.kernel"], p["conv1.bias"], (2, 2), "SAME")
        conv1 = torch.relu(z1)
        out = dense(flatten(conv1), p["out.kernel"], p["out.bias"])
        return out, {"relu_pre": [z1], "conv1": conv1, "out": out}

    @staticmethod
    def aux_values(t):
        c, o = t["conv1"], t["out"]
        return {"energy": (c ** 2).mean() + 0.5 * (c * c).sum(),
                "centered": ((o - (-o)) ** 2).mean()}


class TwoDense:
    """@Model(input = {5}, loss = CATEGORICAL_CROSSENTROPY); hidden Dense 6 relu, out Dense 3
    softmax; l2 (tap hidden, weight 0.3) = mean(square(hidden))."""
    name = "TwoDense"
    seed = 3003
    batch = 8
    input_shape = (5,)
    main = "categorical_crossentropy"
    aux = [("l2", 0.3)]
    params = [("hidden.kernel", (5, 6)), ("hidden.bias", (6,)),
              ("out.kernel", (6, 3)), ("out.bias", (3,))]

    @staticmethod
    def labels(rng, batch):
        return np.eye(3)[rng.randint(0, 3, size=batch)]

    @staticmethod
    def forward(p, x):
        z1 = dense(x, p["hidden.kernel"], p["hidden.bias"])
        hidden = torch.relu(z1)
        out = torch.softmax(dense(hidden, p["out.kernel"], p["out.bias"]), dim=-1)
        return out, {"relu_pre": [z1], "hidden": hidden, "probs": out}

    @staticmethod
    def aux_values(t):
        return {"l2": (t["hidden"] ** 2).mean()}


MODELS = [TinyCnn, StridedCnn, TwoDense]


# ---- an independent numpy float64 forward, loops straight from the Keras/TF definitions --------
# It shares nothing with the torch path above (no permutes, no F.pad, no F.conv2d), so agreeing with
# it checks the layout conventions; central finite differences on it check every gradient entry.

def np_conv_nhwc(x, k, b, strides, padding):
    bsz, h, w, c = x.shape
    kh, kw, _, f = k.shape
    sh, sw = strides
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        top = max((oh - 1) * sh + kh - h, 0) // 2
        left = max((ow - 1) * sw + kw - w, 0) // 2
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        top = left = 0
    out = np.zeros((bsz, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            for di in range(kh):
                for dj in range(kw):
                    r, s = i * sh + di - top, j * sw + dj - left
                    if 0 <= r < h and 0 <= s < w:       # outside: the zero padding
                        out[:, i, j, :] += x[:, r, s, :] @ k[di, dj]
    return out + b


def np_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_cce(y, p):
    q = np.clip(p / p.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
    return np.mean(-np.sum(y * np.log(q), axis=-1))


def np_total(m, w, x, y):
    relu = lambda v: np.maximum(v, 0)
    if m is TinyCnn:
        conv1 = relu(np_conv_nhwc(x, w["conv1.kernel"], w["conv1.bias"], (1, 1), "VALID"))
        out = np_softmax(conv1.reshape(len(x), -1) @ w["out.kernel"] + w["out.bias"])
        return np_cce(y, out) + 0.5 * np.mean(np.abs(conv1))
    if m is StridedCnn:
        conv1 = relu(np_conv_nhwc(x, w["conv1.kernel"], w["conv1.bias"], (2, 2), "SAME"))
        out = conv1.reshape(len(x), -1) @ w["out.kernel"] + w["out.bias"]
        energy = np.mean(conv1 ** 2) + 0.5 * np.sum(conv1 * conv1)
        centered = np.mean((out + out) ** 2)
        return np.mean((y - out) ** 2) + 0.1 * energy + 2.0 * centered
    if m is TwoDense:
        hidden = relu(x @ w["hidden.kernel"] + w["hidden.bias"])
        out = np_softmax(hidden @ w["out.kernel"] + w["out.bias"])
        return np_cce(y, out) + 0.3 * np.mean(hidden ** 2)
    raise ValueError(m)


def np_check(m, weights, x, y, loss64, grads64, h=1e-6):
    """Returns (relative loss difference, worst finite-difference error in the test's criterion)."""
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    x, y = x.astype(np.float64), y.astype(np.float64)
    loss_err = abs(np_total(m, w, x, y) - loss64) / abs(loss64)
    worst = 0.0
    for k in w:
        fd = np.zeros_like(w[k])
        for idx in np.ndindex(w[k].shape):
            keep = w[k][idx]
            w[k][idx] = keep + h
            up = np_total(m, w, x, y)
            w[k][idx] = keep - h
            down = np_total(m, w, x, y)
            w[k][idx] = keep
            fd[idx] = (up - down) / (2 * h)
        worst = max(worst, rel_err(fd, grads64[k]))
    return loss_err, worst


# ---- evaluation -----------------------------------------------------------------------------

def draw(m, rng):
    """One draw of weights, inputs and labels, already rounded to float32."""
    weights = {}
    for name, shape in m.params:
        scale = 0.5 if name.endswith(".kernel") else 0.1
        weights[name] = (rng.normal(size=shape) * scale).astype(np.float32)
    x = rng.normal(size=(m.batch,) + m.input_shape).astype(np.float32)
    y = m.labels(rng, m.batch).astype(np.float32)
    return weights, x, y


def evaluate(m, weights, x, y, dtype):
    p = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in weights.items()}
    xt = torch.tensor(x, dtype=dtype)
    yt = torch.tensor(y, dtype=dtype)
    pred, taps = m.forward(p, xt)
    terms = {m.main: categorical_crossentropy(yt, pred) if m.main == "categorical_crossentropy" else mse(yt, pred)}
    aux = m.aux_values(taps)
    total = terms[m.main]
    for name, weight in m.aux:
        terms[name] = aux[name]
        total = total + weight * aux[name]
    total.backward()
    grads = {k: p[k].grad.detach().numpy().astype(np.float64) for k, _ in m.params}
    return (float(total), {k: float(v) for k, v in terms.items()}, grads,
            {k: [t.detach() for t in v] if k == "relu_pre" else v.detach() for k, v in taps.items()})


def rel_err(a, e):
    """The Java test's criterion, as a ratio: <= 1 passes at REL_TOL with ABS_FLOOR."""
    a, e = np.asarray(a, dtype=np.float64), np.asarray(e, dtype=np.float64)
    return float(np.max(np.abs(a - e) / np.maximum(REL_TOL * np.abs(e), ABS_FLOOR))) * REL_TOL


def problems(m, taps64, check):
    why = []
    for z in taps64["relu_pre"]:
        near = int((z.abs() < KINK_MARGIN).sum())
        if near:
            why.append(f"{near} relu pre-activation(s) within {KINK_MARGIN} of 0")
    if "probs" in taps64:
        pr = taps64["probs"]
        if float(pr.min()) < 1e3 * EPS or float(pr.max()) > 1 - 1e3 * EPS:
            why.append("a softmax probability near the crossentropy clamp")
    if check > REL_TOL:
        why.append(f"float32 vs float64 error {check:.3g} > {REL_TOL}")
    return why


def build(m):
    rng = np.random.RandomState(m.seed)
    redraws = 0
    while True:
        weights, x, y = draw(m, rng)
        loss32, terms32, grads32, _ = evaluate(m, weights, x, y, torch.float32)
        loss64, terms64, grads64, taps64 = evaluate(m, weights, x, y, torch.float64)
        check = max([rel_err(grads32[k], grads64[k]) for k in grads64]
                    + [rel_err(loss32, loss64)] + [rel_err(terms32[k], terms64[k]) for k in terms64])
        why = problems(m, taps64, check)
        if not why:
            break
        print(f"  {m.name}: re-drawing ({'; '.join(why)})")
        redraws += 1
        if redraws > 100:
            raise SystemExit(f"{m.name}: no acceptable draw in 100 tries")
    assert check <= REL_TOL
    np_loss_err, fd_err = np_check(m, weights, x, y, loss64, grads64)
    assert np_loss_err < 1e-12, f"{m.name}: numpy forward disagrees with torch: {np_loss_err}"
    assert fd_err < 1e-5, f"{m.name}: finite differences disagree with torch: {fd_err}"

    d = os.path.join(OUT, m.name)
    os.makedirs(d, exist_ok=True)
    write_safetensors(os.path.join(d, "weights.safetensors"), [(k, weights[k]) for k, _ in m.params])
    write_safetensors(os.path.join(d, "batch.safetensors"), [("x", x), ("y", y)])
    write_safetensors(os.path.join(d, "expected.safetensors"),
                      [("grad." + k, grads64[k].astype(np.float32)) for k, _ in m.params])
    summary = {
        "model": m.name,
        "loss": loss64,
        "terms": terms64,
        "aux_weights": {name: w for name, w in m.aux},
        "torch_version": torch.__version__,
        "numpy_seed": m.seed,
        "redraws": redraws,
        "float64_check_max_rel_err": check,
        "numpy_loop_forward_rel_err": np_loss_err,
        "finite_difference_max_rel_err": fd_err,
    }
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    # Read back what was written and confirm it round-trips.
    back = read_safetensors(os.path.join(d, "weights.safetensors"))
    assert list(back) == [k for k, _ in m.params]
    for k, _ in m.params:
        assert np.array_equal(back[k], weights[k])
    g = read_safetensors(os.path.join(d, "expected.safetensors"))

    relu = torch.cat([z.flatten() for z in taps64["relu_pre"]])
    print(f"{m.name}: loss {loss64:.10g} = " + " + ".join(
        f"{k} {v:.10g}" if k == m.main else f"{dict(m.aux)[k]}*{k} {v:.10g}" for k, v in terms64.items()))
    print(f"  redraws {redraws}; relu active {int((relu > 0).sum())}/{relu.numel()}, "
          f"min |pre-act| {float(relu.abs().min()):.3g}; f32-vs-f64 {check:.3g}; "
          f"numpy loop forward {np_loss_err:.2g}; finite differences {fd_err:.2g}")
    for k, v in g.items():
        print(f"  {k:22s} {str(tuple(v.shape)):14s} |g| max {np.abs(v).max():.4g} min {np.abs(v).min():.3g}"
              f" zeros {int((v == 0).sum())}")


def main():
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    for m in MODELS:
        build(m)


if __name__ == "__main__":
    main()
