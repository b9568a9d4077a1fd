#!/usr/bin/env python3
"""Writes the PyTorch reference for OptimizerReferenceTest: optim_reference.json.

Five steps of torch.optim on one float32 parameter of shape (2, 3), with a gradient drawn per step
(no zeros), recording the weights after every step. Each case sets torch's options to the formula
Tapgrad follows (Keras's):
- SGD momentum / Nesterov (dampening 0): Keras's velocity v = m*v - lr*g is torch's buffer times
  -lr, so the weights agree for a constant rate.
- AdamW: torch decays w by lr*wd before the Adam step, as Keras does; weight decay 0.004 is Keras's
  default. Keras adds eps to sqrt(v) outside the bias correction, torch inside, so both sides use a
  negligible eps (1e-30) and the formulas then coincide.
- RMSprop (alpha = Keras's rho): Keras adds eps under the square root, torch outside it; again
  eps 1e-30 on both sides. With momentum, torch's buf = mu*buf + g/sqrt(v) and w -= lr*buf is
  Keras's b = mu*b + lr*g/sqrt(v), w -= b for a constant rate.

Run with the system Python that has PyTorch: /usr/bin/python3 make_optim_reference.py
"""
import json
import pathlib

import torch

OUT = (pathlib.Path(__file__).resolve().parent.parent / "resources" / "dev" / "tapgrad" / "runtime" / "optim"
       / "optim_reference.json")
STEPS = 5


def run(name, make, w0, grads):
    p = torch.nn.Parameter(w0.clone())
    opt = make([p])
    after = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        after.append(p.detach().reshape(-1).tolist())
    return {"name": name, "w0": w0.reshape(-1).tolist(), "grads": [g.reshape(-1).tolist() for g in grads],
            "after": after}


def main():
    gen = torch.Generator().manual_seed(7)
    w0 = torch.randn(2, 3, generator=gen, dtype=torch.float32)
    grads = []
    for _ in range(STEPS):
        g = torch.randn(2, 3, generator=gen, dtype=torch.float32)
        g = torch.where(g.abs() < 1e-3, torch.full_like(g, 0.01), g)
        grads.append(g)
    cases = [
        run("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), w0, grads),
        run("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True), w0, grads),
        run("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-30, weight_decay=0.004),
            w0, grads),
        run("adamw_strong_decay", lambda ps: torch.optim.AdamW(ps, lr=0.05, betas=(0.8, 0.99), eps=1e-30,
                                                               weight_decay=0.5), w0, grads),
        run("rmsprop", lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-30), w0, grads),
        run("rmsprop_momentum", lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.8, eps=1e-30, momentum=0.5),
            w0, grads),
    ]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
