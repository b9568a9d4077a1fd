#!/usr/bin/python3
"""PyTorch reference values for the DESIGN §1 cases 2 to 6 and for DAG wiring, in small sizes.

Run from the repository root (needs Debian's python3-torch, i.e. PyTorch 1.13, and numpy):

    /usr/bin/python3 samples/src/test/python/make_case_references.py

It is the companion of make_reference.py (whose helpers it imports: safetensors I/O, the Keras
crossentropy and MSE, the test's error criterion) and writes the same four files per model into
samples/src/test/resources/dev/tapgrad/reference/<Model>/, for the models PriorLstm, DiverseMlp,
RegularizedClassifier, WeightLoss, HelperLoss, ResidualDag, PooledCnn, SeqConv, TextGru and NormCnn of
samples/src/test/java/dev/tapgrad/reference/ (checked by PyTorchReferenceCasesTest):

  weights.safetensors   exactly the model's parameters in Keras layouts: Dense kernel (in, units),
                        bias (units); Lstm kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u),
                        gates i, f, c, o
  batch.safetensors     `x` and `y`
  expected.safetensors  `grad.<layer>.<param>`: gradient of the TOTAL loss (main + sum weight*aux)
  expected.json         total loss, every term (unweighted), and the self-checks below

The Keras formulas are spelled out in torch (they are Tapgrad's, see LossOps/LossKernels):
  klDivergence(t, p)        mean over rows of sum_last_axis(T * log(T / P)), T = clip(t, 1e-7, 1),
                            P = clip(p, 1e-7, 1); rows are all leading axes of the broadcast shape
  l2Normalize(x, axis)      x * rsqrt(max(sum(x^2, axis), 1e-12))  (not F.normalize, whose floor
                            is on the norm, not its square)
  categoricalCrossentropy   rows normalised, clipped to [1e-7, 1 - 1e-7], -sum(y log c), mean
The LSTM is torch.nn.LSTM's op on the Keras weights (weight_ih = kernel^T, weight_hh =
recurrent_kernel^T, torch's gate order i, f, g, o is Keras's i, f, c, o, bias_ih = bias, bias_hh =
0), called so that autograd carries the gradient straight back to the Keras-layout tensors.

Pooling in Keras semantics: MaxPool2D pads SAME with -inf, AvgPool2D SAME divides by the count of
real positions (TensorFlow's avg_pool, torch's count_include_pad=False), both with TensorFlow's
asymmetric padding; GlobalMaxPool1D is torch's adaptive_max_pool1d; Conv1D is Conv2D over a height
of 1 with the Keras kernel (k, in, out) as (1, k, in, out). A max-pooling draw is discarded when a
window's largest two values lie within 1e-3 (the finite differences would cross the tie).

Pass model names to rebuild only those: make_case_references.py PooledCnn SeqConv.

Checks, as in make_reference.py: everything runs in float32 and in float64 on the same
(float32-valued) weights and inputs; float64 is stored, and float32 must agree with it under the
Java test's criterion |g32 - g64| <= max(1e-4 |g64|, 1e-6). Independently of torch, a plain numpy
float64 forward per model (the LSTM as a loop over steps from the Keras equations, the DAG layer by
layer) must give the same total loss, and its central finite differences must match every stored
gradient entry.

Re-draws: each model draws from its own numpy RandomState. A draw is discarded (and the next one
from the same RandomState taken) if a relu unit is dead for the whole batch (its weights' gradients
would be trivially zero), if a relu pre-activation or an argument of abs (an activation, or
a kernel entry for the L1 weight loss) lies within 1e-3 of 0, a squared row norm under l2Normalize
is below 1e-3 (far from Keras's 1e-12 floor), a softmax probability is near the clamp bounds of the
crossentropy or the KL divergence, or the float32/float64 check fails. The count goes into
expected.json ("redraws"), so the output is deterministic.
"""

import json
import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_reference as ref  # noqa: E402  (the shared helpers; importing it runs nothing)

OUT = ref.OUT
EPS = ref.EPS
KINK_MARGIN = ref.KINK_MARGIN
REL_TOL = ref.REL_TOL
NORM_MARGIN = 1e-3


# ---- ops in Keras semantics (torch) ---------------------------------------------------------

def kl_divergence(t, p):
    t = torch.clamp(t, EPS, 1)
    p = torch.clamp(p, EPS, 1)
    return (t * torch.log(t / p)).sum(dim=-1).mean()


def l2_normalize(x, axis):
    return x * torch.rsqrt(torch.clamp((x * x).sum(dim=axis, keepdim=True), min=1e-12))


def lstm_sequences(x, kernel, recurrent, bias):
    """Keras LSTM(return_sequences=True) on x (B, T, F); (B, T, units). It calls torch.lstm, the op
    behind torch.nn.LSTM, with the weights as a list, so autograd reaches the Keras-layout tensors
    (torch.nn.utils.stateless.functional_call does not reach nn.LSTM's cached flat weights in 1.13);
    the output is asserted equal to an nn.LSTM module holding copies of the same weights."""
    units = recurrent.shape[0]
    h0 = torch.zeros(1, x.shape[0], units, dtype=x.dtype)
    weights = [kernel.T, recurrent.T, bias, torch.zeros_like(bias)]  # weight_ih, weight_hh, bias_ih, bias_hh
    out, _, _ = torch.lstm(x, (h0, h0), weights, True, 1, 0.0, False, False, True)
    module = torch.nn.LSTM(kernel.shape[0], units, batch_first=True).to(x.dtype)
    with torch.no_grad():
        for name, value in zip(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"], weights):
            getattr(module, name).copy_(value)
        assert torch.equal(module(x)[0], out), "torch.lstm and nn.LSTM disagree"
    return out


# ---- the same in numpy float64, written independently ---------------------------------------

def np_relu(v):
    return np.maximum(v, 0)


def np_sigmoid(v):
    return 1 / (1 + np.exp(-v))


def np_lstm(x, k, r, b):
    """The Keras equations, one step at a time: z = x_t k + h r + b split i, f, c, o."""
    bsz, steps, _ = x.shape
    u = r.shape[0]
    h = np.zeros((bsz, u))
    c = np.zeros((bsz, u))
    out = np.zeros((bsz, steps, u))
    for t in range(steps):
        z = x[:, t, :] @ k + h @ r + b
        i, f, g, o = np_sigmoid(z[:, :u]), np_sigmoid(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), np_sigmoid(z[:, 3 * u:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out[:, t, :] = h
    return out


def np_kl(t, p):
    t = np.clip(t, EPS, 1)
    p = np.clip(p, EPS, 1)
    return np.mean(np.sum(t * np.log(t / p), axis=-1))


def np_l2_normalize(x, axis):
    return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), 1e-12))


# ---- the models (mirror the Java classes exactly) -------------------------------------------
# forward(p, x) -> (prediction, taps); terms(y, pred, taps, p) -> every term, unweighted, main
# first; taps may list "relu_pre", "abs_args", "sq_norms" (tensors to keep away from kinks) and
# "probs" (probabilities to keep away from the clamp bounds).

def one_hot(classes):
    return lambda rng, batch: np.eye(classes)[rng.randint(0, classes, size=batch)]


class PriorLstm:
    """@Model(input = {6, 2}, loss = MSE); lstm Lstm 4 units returnSequences, out Dense 1 (per time
    step); prior (tap lstm, weight 0.5) = klDivergence(TARGET, softmax(lstm)),
    TARGET = (0.1f, 0.2f, 0.3f, 0.4f)."""
    name = "PriorLstm"
    seed = 4004
    batch = 3
    input_shape = (6, 2)
    main = "mse"
    aux = [("prior", 0.5)]
    params = [("lstm.kernel", (2, 16)), ("lstm.recurrent_kernel", (4, 16)), ("lstm.bias", (16,)),
              ("out.kernel", (4, 1)), ("out.bias", (1,))]
    target = np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)  # Java's float literals

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 6, 1))

    @staticmethod
    def forward(p, x):
        lstm = lstm_sequences(x, p["lstm.kernel"], p["lstm.recurrent_kernel"], p["lstm.bias"])
        out = ref.dense(lstm, p["out.kernel"], p["out.bias"])
        return out, {"lstm": lstm, "probs": torch.softmax(lstm, dim=-1)}

    @classmethod
    def terms(cls, y, pred, taps, p):
        target = torch.tensor(cls.target, dtype=pred.dtype)
        return {"mse": ref.mse(y, pred), "prior": kl_divergence(target, taps["probs"])}

    @classmethod
    def np_total(cls, w, x, y):
        lstm = np_lstm(x, w["lstm.kernel"], w["lstm.recurrent_kernel"], w["lstm.bias"])
        out = lstm @ w["out.kernel"] + w["out.bias"]
        return np.mean((y - out) ** 2) + 0.5 * np_kl(cls.target.astype(np.float64), ref.np_softmax(lstm))


class DiverseMlp:
    """@Model(input = {5}, loss = MSE); hidden Dense 6 relu, out Dense 1; diversity (tap hidden,
    weight 0.1) = mean(matmul(unit, transpose(unit))) with unit = l2Normalize(hidden, 1)."""
    name = "DiverseMlp"
    seed = 5005
    batch = 6
    input_shape = (5,)
    main = "mse"
    aux = [("diversity", 0.1)]
    params = [("hidden.kernel", (5, 6)), ("hidden.bias", (6,)), ("out.kernel", (6, 1)), ("out.bias", (1,))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 1))

    @staticmethod
    def forward(p, x):
        z1 = ref.dense(x, p["hidden.kernel"], p["hidden.bias"])
        hidden = torch.relu(z1)
        out = ref.dense(hidden, p["out.kernel"], p["out.bias"])
        return out, {"relu_pre": [z1], "hidden": hidden, "sq_norms": [(hidden * hidden).sum(dim=1)]}

    @staticmethod
    def terms(y, pred, taps, p):
        unit = l2_normalize(taps["hidden"], 1)
        return {"mse": ref.mse(y, pred), "diversity": (unit @ unit.T).mean()}

    @staticmethod
    def np_total(w, x, y):
        hidden = np_relu(x @ w["hidden.kernel"] + w["hidden.bias"])
        out = hidden @ w["out.kernel"] + w["out.bias"]
        unit = np_l2_normalize(hidden, 1)
        return np.mean((y - out) ** 2) + 0.1 * np.mean(unit @ unit.T)


class Classifier:
    """The layers shared by cases 4, 5 and 6: input 8, hidden Dense 6 relu, intermediate Dense 5
    relu, out Dense 3 softmax; one-hot labels."""
    batch = 8
    input_shape = (8,)
    params = [("hidden.kernel", (8, 6)), ("hidden.bias", (6,)),
              ("intermediate.kernel", (6, 5)), ("intermediate.bias", (5,)),
              ("out.kernel", (5, 3)), ("out.bias", (3,))]
    labels = staticmethod(one_hot(3))

    @staticmethod
    def forward(p, x):
        z1 = ref.dense(x, p["hidden.kernel"], p["hidden.bias"])
        z2 = ref.dense(torch.relu(z1), p["intermediate.kernel"], p["intermediate.bias"])
        intermediate = torch.relu(z2)
        out = torch.softmax(ref.dense(intermediate, p["out.kernel"], p["out.bias"]), dim=-1)
        return out, {"relu_pre": [z1, z2], "intermediate": intermediate, "probs": out}

    @staticmethod
    def np_layers(w, x):
        intermediate = np_relu(np_relu(x @ w["hidden.kernel"] + w["hidden.bias"]) @ w["intermediate.kernel"]
                               + w["intermediate.bias"])
        return intermediate, ref.np_softmax(intermediate @ w["out.kernel"] + w["out.bias"])


class RegularizedClassifier(Classifier):
    """@Model(input = {8}, metrics = ACCURACY), the Classifier layers; @Loss loss(yTrue, yPred,
    @Tap("intermediate") act) = categoricalCrossentropy(yTrue, yPred) + 0.1 * mean(abs(act))."""
    name = "RegularizedClassifier"
    seed = 6006
    main = "loss"
    aux = []

    @staticmethod
    def terms(y, pred, taps, p):
        return {"loss": ref.categorical_crossentropy(y, pred) + 0.1 * taps["intermediate"].abs().mean()}

    @classmethod
    def np_total(cls, w, x, y):
        intermediate, out = cls.np_layers(w, x)
        return ref.np_cce(y, out) + 0.1 * np.mean(np.abs(intermediate))


class WeightLoss(Classifier):
    """@Model(input = {8}, loss = CATEGORICAL_CROSSENTROPY), the Classifier layers; l1 (tap
    intermediate.kernel, weight 0.1) = sum(abs(kernel)); biasSquare (tap out.bias, weight 0.2) =
    sum(square(b))."""
    name = "WeightLoss"
    seed = 7007
    main = "categorical_crossentropy"
    aux = [("l1", 0.1), ("biasSquare", 0.2)]

    @classmethod
    def forward(cls, p, x):
        out, taps = Classifier.forward(p, x)
        taps["abs_args"] = [p["intermediate.kernel"]]
        return out, taps

    @staticmethod
    def terms(y, pred, taps, p):
        return {"categorical_crossentropy": ref.categorical_crossentropy(y, pred),
                "l1": p["intermediate.kernel"].abs().sum(),
                "biasSquare": (p["out.bias"] ** 2).sum()}

    @classmethod
    def np_total(cls, w, x, y):
        _, out = cls.np_layers(w, x)
        return (ref.np_cce(y, out) + 0.1 * np.sum(np.abs(w["intermediate.kernel"]))
                + 0.2 * np.sum(w["out.bias"] ** 2))


class HelperLoss(Classifier):
    """@Model(input = {8}, loss = CATEGORICAL_CROSSENTROPY), the Classifier layers; reg (tap
    intermediate, weight 0.1) = meanSquare(act), a static helper returning mean(square(a))."""
    name = "HelperLoss"
    seed = 8008
    main = "categorical_crossentropy"
    aux = [("reg", 0.1)]

    @staticmethod
    def terms(y, pred, taps, p):
        return {"categorical_crossentropy": ref.categorical_crossentropy(y, pred),
                "reg": (taps["intermediate"] ** 2).mean()}

    @classmethod
    def np_total(cls, w, x, y):
        intermediate, out = cls.np_layers(w, x)
        return ref.np_cce(y, out) + 0.1 * np.mean(intermediate ** 2)


class ResidualDag:
    """@Model(input = {6}, loss = MSE); a Dense 8 tanh, b Dense 8 tanh (reads a), skip = Add(a, b),
    joined = Concatenate(skip, input), out Dense 3; both (taps a and skip, weight 0.2) =
    mean(square(a)) + mean(abs(s))."""
    name = "ResidualDag"
    seed = 9009
    batch = 5
    input_shape = (6,)
    main = "mse"
    aux = [("both", 0.2)]
    params = [("a.kernel", (6, 8)), ("a.bias", (8,)), ("b.kernel", (8, 8)), ("b.bias", (8,)),
              ("out.kernel", (14, 3)), ("out.bias", (3,))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 3))

    @staticmethod
    def forward(p, x):
        a = torch.tanh(ref.dense(x, p["a.kernel"], p["a.bias"]))
        b = torch.tanh(ref.dense(a, p["b.kernel"], p["b.bias"]))
        skip = a + b
        joined = torch.cat([skip, x], dim=-1)
        out = ref.dense(joined, p["out.kernel"], p["out.bias"])
        return out, {"a": a, "skip": skip, "abs_args": [skip]}

    @staticmethod
    def terms(y, pred, taps, p):
        return {"mse": ref.mse(y, pred), "both": (taps["a"] ** 2).mean() + taps["skip"].abs().mean()}

    @staticmethod
    def np_total(w, x, y):
        a = np.tanh(x @ w["a.kernel"] + w["a.bias"])
        b = np.tanh(a @ w["b.kernel"] + w["b.bias"])
        skip = a + b
        joined = np.concatenate([skip, x], axis=-1)
        out = joined @ w["out.kernel"] + w["out.bias"]
        return np.mean((y - out) ** 2) + 0.2 * (np.mean(a ** 2) + np.mean(np.abs(skip)))


def pool2d(x, kind, pool, strides, padding):
    """Keras MaxPooling2D / AveragePooling2D on NHWC x (see the module docstring for SAME)."""
    t = x.permute(0, 3, 1, 2)
    pads = (0, 0, 0, 0)
    if padding == "SAME":
        top, bottom = ref.same_pad(x.shape[1], pool[0], strides[0])
        left, right = ref.same_pad(x.shape[2], pool[1], strides[1])
        pads = (left, right, top, bottom)
    if kind == "max":
        y = torch.nn.functional.max_pool2d(torch.nn.functional.pad(t, pads, value=-float("inf")), pool, strides)
    else:
        area = pool[0] * pool[1]
        total = torch.nn.functional.avg_pool2d(torch.nn.functional.pad(t, pads), pool, strides) * area
        ones = torch.nn.functional.pad(torch.ones_like(t[:1, :1]), pads)
        y = total / (torch.nn.functional.avg_pool2d(ones, pool, strides) * area)
    return y.permute(0, 2, 3, 1)


def np_pool2d(x, kind, pool, strides, padding):
    bsz, h, w, c = x.shape
    (ph, pw), (sh, sw) = pool, strides
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        top, left = max((oh - 1) * sh + ph - h, 0) // 2, max((ow - 1) * sw + pw - w, 0) // 2
    else:
        oh, ow, top, left = (h - ph) // sh + 1, (w - pw) // sw + 1, 0, 0
    out = np.zeros((bsz, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, r1 = max(i * sh - top, 0), min(i * sh - top + ph, h)
            c0, c1 = max(j * sw - left, 0), min(j * sw - left + pw, w)
            win = x[:, r0:r1, c0:c1, :]
            out[:, i, j, :] = win.max(axis=(1, 2)) if kind == "max" else win.mean(axis=(1, 2))
    return out


def window_gaps(x, pool, strides):
    """The smallest gap between the largest two values of any VALID window of NHWC x (torch, float64)."""
    t = x.permute(0, 3, 1, 2)
    u = torch.nn.functional.unfold(t.reshape(-1, 1, t.shape[2], t.shape[3]), pool, stride=strides)
    top2 = u.topk(2, dim=1).values
    return top2[:, 0] - top2[:, 1]


class PooledCnn:
    """@Model(input = {6, 6, 2}, loss = MSE); conv1 Conv2D 3 filters 3x3 SAME tanh, pool1 MaxPool2D
    (Keras defaults: pool 2, strides 2, VALID), conv2 Conv2D 4 filters 2x2 tanh, pool2 AvgPool2D
    pool 2 strides 1 SAME, flat, out Dense 3; pooled (tap pool1, weight 0.3) = mean(square(pool1))."""
    name = "PooledCnn"
    seed = 9101
    batch = 4
    input_shape = (6, 6, 2)
    main = "mse"
    aux = [("pooled", 0.3)]
    params = [("conv1.kernel", (3, 3, 2, 3)), ("conv1.bias", (3,)), ("conv2.kernel", (2, 2, 3, 4)),
              ("conv2.bias", (4,)), ("out.kernel", (16, 3)), ("out.bias", (3,))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 3))

    @staticmethod
    def forward(p, x):
        c1 = torch.tanh(ref.conv2d(x, p["conv1.kernel"], p["conv1.bias"], (1, 1), "SAME"))
        p1 = pool2d(c1, "max", (2, 2), (2, 2), "VALID")
        c2 = torch.tanh(ref.conv2d(p1, p["conv2.kernel"], p["conv2.bias"], (1, 1), "VALID"))
        p2 = pool2d(c2, "avg", (2, 2), (1, 1), "SAME")
        out = ref.dense(ref.flatten(p2), p["out.kernel"], p["out.bias"])
        return out, {"pool1": p1, "max_gaps": [window_gaps(c1, (2, 2), (2, 2))]}

    @staticmethod
    def terms(y, pred, taps, p):
        return {"mse": ref.mse(y, pred), "pooled": (taps["pool1"] ** 2).mean()}

    @staticmethod
    def np_total(w, x, y):
        c1 = np.tanh(ref.np_conv_nhwc(x, w["conv1.kernel"], w["conv1.bias"], (1, 1), "SAME"))
        p1 = np_pool2d(c1, "max", (2, 2), (2, 2), "VALID")
        c2 = np.tanh(ref.np_conv_nhwc(p1, w["conv2.kernel"], w["conv2.bias"], (1, 1), "VALID"))
        p2 = np_pool2d(c2, "avg", (2, 2), (1, 1), "SAME")
        out = p2.reshape(p2.shape[0], -1) @ w["out.kernel"] + w["out.bias"]
        return np.mean((y - out) ** 2) + 0.3 * np.mean(p1 ** 2)


class SeqConv:
    """@Model(input = {24}, loss = MSE); seq Reshape {8, -1} (to (8, 3)), conv Conv1D 4 filters
    kernel 3 strides 2 SAME tanh, pool GlobalMaxPool1D, out Dense 2; peak (tap pool, weight 0.5) =
    mean(square(pool))."""
    name = "SeqConv"
    seed = 9102
    batch = 5
    input_shape = (24,)
    main = "mse"
    aux = [("peak", 0.5)]
    params = [("conv.kernel", (3, 3, 4)), ("conv.bias", (4,)), ("out.kernel", (4, 2)), ("out.bias", (2,))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 2))

    @staticmethod
    def forward(p, x):
        seq = x.reshape(x.shape[0], 1, 8, 3)                  # (B, 1, steps, channels): a Conv2D of height 1
        kernel = p["conv.kernel"].reshape(1, 3, 3, 4)
        conv = torch.tanh(ref.conv2d(seq, kernel, p["conv.bias"], (1, 2), "SAME"))[:, 0]  # (B, 4, 4)
        pool = torch.nn.functional.adaptive_max_pool1d(conv.permute(0, 2, 1), 1).flatten(1)
        out = ref.dense(pool, p["out.kernel"], p["out.bias"])
        top2 = conv.topk(2, dim=1).values
        return out, {"pool": pool, "max_gaps": [top2[:, 0] - top2[:, 1]]}

    @staticmethod
    def terms(y, pred, taps, p):
        return {"mse": ref.mse(y, pred), "peak": (taps["pool"] ** 2).mean()}

    @staticmethod
    def np_total(w, x, y):
        seq = x.reshape(x.shape[0], 1, 8, 3)
        conv = np.tanh(ref.np_conv_nhwc(seq, w["conv.kernel"].reshape(1, 3, 3, 4), w["conv.bias"], (1, 2), "SAME"))[:, 0]
        pool = conv.max(axis=1)
        out = pool @ w["out.kernel"] + w["out.bias"]
        return np.mean((y - out) ** 2) + 0.5 * np.mean(pool ** 2)


def keras_gru_to_torch(m, u):
    """Keras's gate columns z, r, h to torch's rows r, z, n: a (n, 3u) matrix to (3u, n), a (3u,) vector alike."""
    m = torch.cat([m[..., u:2 * u], m[..., :u], m[..., 2 * u:]], -1)
    return m.T if m.dim() == 2 else m


def gru_last(x, kernel, recurrent, bias):
    """Keras GRU(reset_after=True) on x (B, T, F), the last h (B, units), through torch.gru (the op
    behind torch.nn.GRU) with the Keras weights reordered to torch's gates (bias[0] is bias_ih,
    bias[1] bias_hh: torch's n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) is Keras's reset_after),
    so autograd reaches the Keras-layout tensors; asserted equal to an nn.GRU module."""
    u = recurrent.shape[0]
    h0 = torch.zeros(1, x.shape[0], u, dtype=x.dtype)
    weights = [keras_gru_to_torch(kernel, u), keras_gru_to_torch(recurrent, u),
               keras_gru_to_torch(bias[0], u), keras_gru_to_torch(bias[1], u)]
    out, _ = torch.gru(x, h0, weights, True, 1, 0.0, False, False, True)
    module = torch.nn.GRU(kernel.shape[0], u, batch_first=True).to(x.dtype)
    with torch.no_grad():
        for name, value in zip(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"], weights):
            getattr(module, name).copy_(value)
        diff = (module(x)[0] - out).abs().max().item()
        assert diff <= (1e-15 if x.dtype == torch.float64 else 1e-6), ("torch.gru and nn.GRU disagree", diff)
    return out[:, -1]


def np_gru_last(x, k, r, b):
    """The Keras equations, one step at a time: blocks z, r, h of x_t k + b[0] and h r + b[1]."""
    u = r.shape[0]
    h = np.zeros((x.shape[0], u))
    for t in range(x.shape[1]):
        xp = x[:, t, :] @ k + b[0]
        hp = h @ r + b[1]
        z = np_sigmoid(xp[:, :u] + hp[:, :u])
        rr = np_sigmoid(xp[:, u:2 * u] + hp[:, u:2 * u])
        hh = np.tanh(xp[:, 2 * u:] + rr * hp[:, 2 * u:])
        h = z * h + (1 - z) * hh
    return h


class TextGru:
    """@Model(input = {6}, loss = MSE); tokens Embedding vocabulary 9 units 4, gru Gru 5 units (last
    step), out Dense 1 sigmoid; activity (tap gru, weight 0.2) = mean(square(gru)). The input is
    token ids (with repeats, so the embeddings' gradient sums rows)."""
    name = "TextGru"
    seed = 1212
    batch = 5
    input_shape = (6,)
    main = "mse"
    aux = [("activity", 0.2)]
    params = [("tokens.embeddings", (9, 4)), ("gru.kernel", (4, 15)), ("gru.recurrent_kernel", (5, 15)),
              ("gru.bias", (2, 15)), ("out.kernel", (5, 1)), ("out.bias", (1,))]

    @staticmethod
    def inputs(rng, batch):
        return rng.randint(0, 9, size=(batch, 6))

    @staticmethod
    def labels(rng, batch):
        return rng.uniform(size=(batch, 1))

    @staticmethod
    def forward(p, x):
        emb = p["tokens.embeddings"][x.long()]
        gru = gru_last(emb, p["gru.kernel"], p["gru.recurrent_kernel"], p["gru.bias"])
        out = torch.sigmoid(ref.dense(gru, p["out.kernel"], p["out.bias"]))
        return out, {"gru": gru}

    @staticmethod
    def terms(y, pred, taps, p):
        return {"mse": ref.mse(y, pred), "activity": (taps["gru"] ** 2).mean()}

    @staticmethod
    def np_total(w, x, y):
        emb = w["tokens.embeddings"][x.astype(np.int64)]
        gru = np_gru_last(emb, w["gru.kernel"], w["gru.recurrent_kernel"], w["gru.bias"])
        out = np_sigmoid(gru @ w["out.kernel"] + w["out.bias"])
        return np.mean((y - out) ** 2) + 0.2 * np.mean(gru ** 2)


class NormCnn:
    """@Model(input = {4, 4, 2}, loss = MSE); conv1 Conv2D 3 filters 3x3 SAME tanh, bn BatchNorm
    (Keras defaults), flat, ln LayerNorm (epsilon 1e-3), out Dense 3; gammaSize (tap bn.gamma,
    weight 0.2) = sum(square(gamma)). gradients() runs the training forward, so BatchNorm uses the
    batch's mean and biased variance (torch's batch_norm with training=True); the moving statistics
    in weights.safetensors (state, not trained) must not matter."""
    name = "NormCnn"
    seed = 9103
    batch = 5
    input_shape = (4, 4, 2)
    main = "mse"
    aux = [("gammaSize", 0.2)]
    params = [("conv1.kernel", (3, 3, 2, 3)), ("conv1.bias", (3,)), ("bn.gamma", (3,)), ("bn.beta", (3,)),
              ("ln.gamma", (48,)), ("ln.beta", (48,)), ("out.kernel", (48, 3)), ("out.bias", (3,))]
    state = [("bn.moving_mean", np.array([0.5, -1.0, 2.0], dtype=np.float32)),
             ("bn.moving_variance", np.array([3.0, 0.25, 1.5], dtype=np.float32))]

    @staticmethod
    def labels(rng, batch):
        return rng.normal(size=(batch, 3))

    @staticmethod
    def forward(p, x):
        c1 = torch.tanh(ref.conv2d(x, p["conv1.kernel"], p["conv1.bias"], (1, 1), "SAME"))
        bn = torch.nn.functional.batch_norm(c1.permute(0, 3, 1, 2), None, None, p["bn.gamma"], p["bn.beta"],
                                            training=True, eps=1e-3).permute(0, 2, 3, 1)
        ln = torch.nn.functional.layer_norm(ref.flatten(bn), (48,), p["ln.gamma"], p["ln.beta"], eps=1e-3)
        return ref.dense(ln, p["out.kernel"], p["out.bias"]), {}

    @staticmethod
    def terms(y, pred, taps, p):
        return {"mse": ref.mse(y, pred), "gammaSize": (p["bn.gamma"] ** 2).sum()}

    @staticmethod
    def np_total(w, x, y):
        c1 = np.tanh(ref.np_conv_nhwc(x, w["conv1.kernel"], w["conv1.bias"], (1, 1), "SAME"))
        mean = c1.mean(axis=(0, 1, 2))
        var = ((c1 - mean) ** 2).mean(axis=(0, 1, 2))
        bn = w["bn.gamma"] * (c1 - mean) / np.sqrt(var + 1e-3) + w["bn.beta"]
        flat = bn.reshape(bn.shape[0], -1)
        rm = flat.mean(axis=1, keepdims=True)
        rv = ((flat - rm) ** 2).mean(axis=1, keepdims=True)
        ln = w["ln.gamma"] * (flat - rm) / np.sqrt(rv + 1e-3) + w["ln.beta"]
        out = ln @ w["out.kernel"] + w["out.bias"]
        return np.mean((y - out) ** 2) + 0.2 * np.sum(w["bn.gamma"] ** 2)

MODELS = [PriorLstm, DiverseMlp, RegularizedClassifier, WeightLoss, HelperLoss, ResidualDag, PooledCnn, SeqConv,
          TextGru, NormCnn]


# ---- evaluation -----------------------------------------------------------------------------

def draw(m, rng):
    """One draw of weights, inputs and labels, already rounded to float32: kernels (recurrent ones
    too) N(0, 0.5^2), biases N(0, 0.1^2), normalisation gammas N(1, 0.1^2), x N(0, 1)."""
    weights = {}
    for name, shape in m.params:
        scale = 0.5 if name.endswith("kernel") else 0.1
        centre = 1.0 if name.endswith("gamma") else 0.0  # normalisation scales start at 1 in Keras
        weights[name] = (centre + rng.normal(size=shape) * scale).astype(np.float32)
    # Token ids for a model that reads them (TextGru), standard normal values otherwise.
    x = (m.inputs(rng, m.batch) if hasattr(m, "inputs") else rng.normal(size=(m.batch,) + m.input_shape)).astype(np.float32)
    y = m.labels(rng, m.batch).astype(np.float32)
    return weights, x, y


def evaluate(m, weights, x, y, dtype):
    p = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in weights.items()}
    xt = torch.tensor(x, dtype=dtype)
    yt = torch.tensor(y, dtype=dtype)
    pred, taps = m.forward(p, xt)
    terms = m.terms(yt, pred, taps, p)
    assert list(terms) == [m.main] + [name for name, _ in m.aux], list(terms)
    total = terms[m.main]
    for name, weight in m.aux:
        total = total + weight * terms[name]
    total.backward()
    grads = {k: p[k].grad.detach().numpy().astype(np.float64) for k, _ in m.params}
    detached = {k: [t.detach() for t in v] if isinstance(v, list) else v.detach() for k, v in taps.items()}
    return float(total), {k: float(v) for k, v in terms.items()}, grads, detached


def problems(m, taps64, check):
    why = []
    for z in taps64.get("relu_pre", []):
        near = int((z.abs() < KINK_MARGIN).sum())
        if near:
            why.append(f"{near} relu pre-activation(s) within {KINK_MARGIN} of 0")
        dead = int((z <= 0).all(dim=0).sum())
        if dead:
            why.append(f"{dead} relu unit(s) dead for the whole batch")
    for v in taps64.get("abs_args", []):
        near = int((v.abs() < KINK_MARGIN).sum())
        if near:
            why.append(f"{near} argument(s) of abs within {KINK_MARGIN} of 0")
    for n in taps64.get("sq_norms", []):
        low = int((n < NORM_MARGIN).sum())
        if low:
            why.append(f"{low} squared row norm(s) under l2Normalize below {NORM_MARGIN}")
    for g in taps64.get("max_gaps", []):
        near = int((g < KINK_MARGIN).sum())
        if near:
            why.append(f"{near} max-pooling window(s) whose largest two values lie within {KINK_MARGIN}")
    if "probs" in taps64:
        pr = taps64["probs"]
        if float(pr.min()) < 1e3 * EPS or float(pr.max()) > 1 - 1e3 * EPS:
            why.append("a softmax probability near the clamp bounds")
    if check > REL_TOL:
        why.append(f"float32 vs float64 error {check:.3g} > {REL_TOL}")
    return why


def np_check(m, weights, x, y, loss64, grads64, h=1e-6):
    """(relative difference of the numpy loop forward's loss, worst finite-difference error in the
    test's criterion)."""
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    x, y = x.astype(np.float64), y.astype(np.float64)
    loss_err = abs(m.np_total(w, x, y) - loss64) / abs(loss64)
    worst = 0.0
    for k in w:
        fd = np.zeros_like(w[k])
        for idx in np.ndindex(w[k].shape):
            keep = w[k][idx]
            w[k][idx] = keep + h
            up = m.np_total(w, x, y)
            w[k][idx] = keep - h
            down = m.np_total(w, x, y)
            w[k][idx] = keep
            fd[idx] = (up - down) / (2 * h)
        worst = max(worst, ref.rel_err(fd, grads64[k]))
    return loss_err, worst


def build(m):
    rng = np.random.RandomState(m.seed)
    redraws = 0
    while True:
        weights, x, y = draw(m, rng)
        loss32, terms32, grads32, _ = evaluate(m, weights, x, y, torch.float32)
        loss64, terms64, grads64, taps64 = evaluate(m, weights, x, y, torch.float64)
        check = max([ref.rel_err(grads32[k], grads64[k]) for k in grads64]
                    + [ref.rel_err(loss32, loss64)] + [ref.rel_err(terms32[k], terms64[k]) for k in terms64])
        why = problems(m, taps64, check)
        if not why:
            break
        print(f"  {m.name}: re-drawing ({'; '.join(why)})")
        redraws += 1
        if redraws > 100:
            raise SystemExit(f"{m.name}: no acceptable draw in 100 tries")
    np_loss_err, fd_err = np_check(m, weights, x, y, loss64, grads64)
    assert np_loss_err < 1e-12, f"{m.name}: numpy forward disagrees with torch: {np_loss_err}"
    assert fd_err < 1e-5, f"{m.name}: finite differences disagree with torch: {fd_err}"

    d = os.path.join(OUT, m.name)
    os.makedirs(d, exist_ok=True)
    # a model's state (BatchNorm's moving statistics) is in its checkpoint too, but has no gradient
    ref.write_safetensors(os.path.join(d, "weights.safetensors"),
                          [(k, weights[k]) for k, _ in m.params] + list(getattr(m, "state", [])))
    ref.write_safetensors(os.path.join(d, "batch.safetensors"), [("x", x), ("y", y)])
    ref.write_safetensors(os.path.join(d, "expected.safetensors"),
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
    back = ref.read_safetensors(os.path.join(d, "weights.safetensors"))
    assert list(back) == [k for k, _ in m.params] + [k for k, _ in getattr(m, "state", [])]
    for k, _ in m.params:
        assert np.array_equal(back[k], weights[k])
    g = ref.read_safetensors(os.path.join(d, "expected.safetensors"))

    weights_of = dict(m.aux)
    print(f"{m.name}: loss {loss64:.10g} = " + " + ".join(
        f"{k} {v:.10g}" if k == m.main else f"{weights_of[k]}*{k} {v:.10g}" for k, v in terms64.items()))
    margins = []
    if taps64.get("relu_pre"):
        relu = torch.cat([z.flatten() for z in taps64["relu_pre"]])
        margins.append(f"relu active {int((relu > 0).sum())}/{relu.numel()}, min |pre-act| {float(relu.abs().min()):.3g}")
    if taps64.get("abs_args"):
        margins.append(f"min |abs arg| {min(float(v.abs().min()) for v in taps64['abs_args']):.3g}")
    if taps64.get("sq_norms"):
        margins.append(f"min squared row norm {min(float(n.min()) for n in taps64['sq_norms']):.3g}")
    print(f"  redraws {redraws}; {'; '.join(margins + [''])}f32-vs-f64 {check:.3g}; "
          f"numpy loop forward {np_loss_err:.2g}; finite differences {fd_err:.2g}")
    for k, v in g.items():
        print(f"  {k:30s} {str(tuple(v.shape)):10s} |g| max {np.abs(v).max():.4g} min {np.abs(v).min():.3g}"
              f" zeros {int((v == 0).sum())}")


def main():
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    wanted = sys.argv[1:]
    for m in MODELS:
        if not wanted or m.name in wanted:
            build(m)


if __name__ == "__main__":
    main()
