#!/usr/bin/python3
"""PyTorch reference for the `vae` sample (issue 13 item 5) and VaeReferenceTest.

The model, its initial weights and the recipe are the Java test's:
  784 -> enc Dense 256 relu -> zMean Dense 2, zLogVar Dense 2 (both from enc)
      -> z = zMean + exp(0.5 zLogVar) * N(0, 1)  (the Sampling layer)
      -> dec Dense 256 relu -> out Dense 784 sigmoid
  reconstruction (the main loss) = 784 * Keras binary crossentropy (clipped to [1e-7, 1 - 1e-7], mean
      over pixels), i.e. the sum over pixels of the Keras VAE example, averaged over the batch;
  kl (the aux loss on the taps zMean, zLogVar) = mean over the batch of
      -0.5 * sum_j (1 + zLogVar - zMean^2 - exp(zLogVar)), as the Keras VAE example;
  ELBO (negative, per example, in nats) = reconstruction + kl.
  Adam with Keras's defaults (lr 1e-3, betas 0.9/0.999, epsilon 1e-7), batch 100, 3 epochs on the
  first 2000 images of the bundled Fashion-MNIST training subset; after each epoch both terms on
  the first 500 test images (with sampling noise, as Keras evaluates a VAE).

Initial weights: Keras's glorot uniform kernels (in, out) and zero biases, drawn here once and written
to samples/src/test/resources/dev/tapgrad/reference/Vae/initial.safetensors under Tapgrad's names,
which the Java test loads. The noise and the batch order cannot be the same in both (each draws its
own), so the script trains RUNS times with different seeds and writes the mean of each epoch's
terms and their spread to vae_elbo.json: the Java run must land within a few percent of the mean.

Run from the repository root: /usr/bin/python3 samples/src/test/python/make_vae_reference.py
"""
import gzip
import json
import math
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_reference import write_safetensors  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
DATA = os.path.join(ROOT, "samples", "src", "main", "resources", "dev", "tapgrad", "samples", "fashion-mnist")
OUT = os.path.join(ROOT, "samples", "src", "test", "resources", "dev", "tapgrad", "reference", "Vae")
TRAIN, VAL, EPOCHS, BATCH, LR, RUNS = 2000, 500, 3, 100, 1e-3, 5
PIXELS, HIDDEN, LATENT, EPS = 784, 256, 2, 1e-7
LAYERS = [("enc", PIXELS, HIDDEN), ("zMean", HIDDEN, LATENT), ("zLogVar", HIDDEN, LATENT),
          ("dec", LATENT, HIDDEN), ("out", HIDDEN, PIXELS)]


def images(name, n):
    raw = gzip.open(os.path.join(DATA, name + ".gz")).read()
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    assert magic == 2051 and rows == 28 and cols == 28 and count >= n
    pixels = np.frombuffer(raw[16:16 + n * 784], dtype=np.uint8).astype(np.float32) / np.float32(255)
    return torch.from_numpy(pixels.reshape(n, 784))


def glorot(rng, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


def terms(w, x, gen):
    h = torch.relu(x @ w["enc.kernel"] + w["enc.bias"])
    mean = h @ w["zMean.kernel"] + w["zMean.bias"]
    log_var = h @ w["zLogVar.kernel"] + w["zLogVar.bias"]
    z = mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape, generator=gen)
    d = torch.relu(z @ w["dec.kernel"] + w["dec.bias"])
    p = torch.sigmoid(d @ w["out.kernel"] + w["out.bias"]).clamp(EPS, 1 - EPS)
    bce = -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).mean()
    kl = (-0.5 * (1 + log_var - mean ** 2 - torch.exp(log_var)).sum(1)).mean()
    return PIXELS * bce, kl


def train(initial, x, val, seed):
    gen = torch.Generator().manual_seed(seed)
    w = {k: torch.tensor(v, requires_grad=True) for k, v in initial.items()}
    opt = torch.optim.Adam(w.values(), lr=LR, betas=(0.9, 0.999), eps=1e-7)
    history = []
    for _ in range(EPOCHS):
        order = torch.randperm(x.shape[0], generator=gen)
        for b in range(0, x.shape[0], BATCH):
            batch = x[order[b:b + BATCH]]
            rec, kl = terms(w, batch, gen)
            opt.zero_grad()
            (rec + kl).backward()
            opt.step()
        with torch.no_grad():
            rec, kl = terms(w, val, gen)
        history.append({"reconstruction": float(rec), "kl": float(kl), "elbo": float(rec + kl)})
    return history


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(13)
    initial = {}
    for name, fan_in, fan_out in LAYERS:
        initial[name + ".kernel"] = glorot(rng, fan_in, fan_out)
        initial[name + ".bias"] = np.zeros(fan_out, dtype=np.float32)
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "initial.safetensors"), list(initial.items()))
    x = images("train-images-idx3-ubyte", TRAIN)
    val = images("t10k-images-idx3-ubyte", VAL)
    runs = [train(initial, x, val, seed) for seed in range(RUNS)]
    summary = {"recipe": {"train": TRAIN, "validation": VAL, "epochs": EPOCHS, "batch_size": BATCH, "lr": LR,
                          "runs": RUNS, "torch": torch.__version__}, "epochs": []}
    for e in range(EPOCHS):
        epoch = {}
        for key in ("reconstruction", "kl", "elbo"):
            values = [r[e][key] for r in runs]
            epoch[key] = float(np.mean(values))
            epoch[key + "_spread"] = float(np.max(values) - np.min(values))
        summary["epochs"].append(epoch)
        print("epoch %d: elbo %.2f (spread %.2f) = reconstruction %.2f + kl %.2f"
              % (e + 1, epoch["elbo"], epoch["elbo_spread"], epoch["reconstruction"], epoch["kl"]))
    with open(os.path.join(OUT, "vae_elbo.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
