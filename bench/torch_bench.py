#!/usr/bin/env python3
"""The course's MLP and CNN, and a LeNet-style net, in PyTorch, as a peer of gemmnet in the benchmark.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py --threads 2 --parts mlp,cnn,predict --json

Same recipes and initialisation as numpy_mlp.py / numpy_cnn.py (and gemmnet's mlp() / cnn()):

- MLP 784 -> 1000 ReLU -> 10, softmax cross-entropy, Xavier normal weights (std sqrt(2 / (fan_in +
  fan_out))) and zero biases, batch 100, momentum  v = gamma v + lr g;  W -= v  (lr 0.01, gamma 0.9,
  v starting at 1e-5), written out by hand because torch.optim.SGD's momentum is another formula.
- CNN conv 3x3x32 SAME + bias -> ReLU -> batch norm per channel (no affine, eps 1e-9, running
  averages with gemmnet's momentum 0.99, i.e. torch's 0.01) -> 2x2 max pool -> FC 784 ReLU -> FC 10,
  torch.optim.Adam(lr 1e-4), batch 32; conv fans as TensorFlow's (9 in, 9*32 out). Gradients by
  autograd. Layout is torch's NCHW (the flatten order only permutes FC1's rows).
- LeNet-style (as numpy_lenet.py and the bench's sequential() stack): conv 5x5x8 padding 2 -> ReLU ->
  2x2 max pool -> conv 5x5x16 valid -> ReLU -> 2x2 max pool -> 400 -> 120 ReLU -> 84 ReLU -> 10,
  torch.optim.Adam(lr 1e-3), batch 64; Xavier normal with TensorFlow's conv fans, zero biases.

Threads: torch.set_num_threads(--threads) for torch's own (OpenMP) kernels; the OpenBLAS that
torch's matmuls call has threads of its own, set by OPENBLAS_NUM_THREADS before Python starts.

Parts: `mlp`, `cnn` and `lenet` time training epochs (shuffle outside the timer); `predict` times
inference under torch.inference_mode() at batches of --predict-batches. One JSON line with --json.
"""

import argparse
import ctypes
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import common

LR_MLP, GAMMA, V0 = 0.01, 0.9, 1e-5


def xavier(gen, shape, fan_in, fan_out):
    return torch.randn(*shape, generator=gen) * math.sqrt(2.0 / (fan_in + fan_out))


class MLP:
    def __init__(self, gen):
        self.W_h = xavier(gen, (784, 1000), 784, 1000).requires_grad_()
        self.b_h = torch.zeros(1000, requires_grad=True)
        self.W_o = xavier(gen, (1000, 10), 1000, 10).requires_grad_()
        self.b_o = torch.zeros(10, requires_grad=True)
        self.params = [self.W_h, self.b_h, self.W_o, self.b_o]
        self.v = [torch.full_like(p, V0) for p in self.params]

    def forward(self, x):
        h = torch.relu(torch.addmm(self.b_h, x, self.W_h))
        return torch.addmm(self.b_o, h, self.W_o)

    def step(self, x, y):
        loss = F.cross_entropy(self.forward(x), y)
        for p in self.params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p, v in zip(self.params, self.v):
                v.mul_(GAMMA).add_(p.grad, alpha=LR_MLP)
                p.sub_(v)
        return loss.item()


class CNN:
    def __init__(self, gen):
        self.W_conv = xavier(gen, (32, 1, 3, 3), 9, 9 * 32).requires_grad_()
        self.b_conv = torch.zeros(32, requires_grad=True)
        self.W_fc1 = xavier(gen, (784, 6272), 6272, 784).requires_grad_()
        self.b_fc1 = torch.zeros(784, requires_grad=True)
        self.W_fc2 = xavier(gen, (10, 784), 784, 10).requires_grad_()
        self.b_fc2 = torch.zeros(10, requires_grad=True)
        self.params = [self.W_conv, self.b_conv, self.W_fc1, self.b_fc1, self.W_fc2, self.b_fc2]
        self.running_mean = torch.zeros(32)
        self.running_var = torch.ones(32)
        self.opt = torch.optim.Adam(self.params, lr=1e-4, betas=(0.9, 0.999), eps=1e-8)

    def forward(self, x, training):
        h = F.conv2d(x.view(-1, 1, 28, 28), self.W_conv, self.b_conv, padding=1)
        h = F.batch_norm(torch.relu(h), self.running_mean, self.running_var, None, None,
                         training=training, momentum=0.01, eps=1e-9)
        h = F.max_pool2d(h, 2)
        h = torch.relu(F.linear(h.flatten(1), self.W_fc1, self.b_fc1))
        return F.linear(h, self.W_fc2, self.b_fc2)

    def step(self, x, y):
        loss = F.cross_entropy(self.forward(x, True), y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


class LeNet:
    """conv 5x5x8 SAME (padding 2) -> ReLU -> 2x2 max pool -> conv 5x5x16 VALID -> ReLU -> 2x2 max pool
    -> flatten (400) -> 120 ReLU -> 84 ReLU -> 10; torch.optim.Adam(lr 1e-3), batch 64."""

    def __init__(self, gen):
        self.W_c1 = xavier(gen, (8, 1, 5, 5), 25, 25 * 8).requires_grad_()
        self.b_c1 = torch.zeros(8, requires_grad=True)
        self.W_c2 = xavier(gen, (16, 8, 5, 5), 25 * 8, 25 * 16).requires_grad_()
        self.b_c2 = torch.zeros(16, requires_grad=True)
        self.W_f1 = xavier(gen, (120, 400), 400, 120).requires_grad_()
        self.b_f1 = torch.zeros(120, requires_grad=True)
        self.W_f2 = xavier(gen, (84, 120), 120, 84).requires_grad_()
        self.b_f2 = torch.zeros(84, requires_grad=True)
        self.W_f3 = xavier(gen, (10, 84), 84, 10).requires_grad_()
        self.b_f3 = torch.zeros(10, requires_grad=True)
        self.params = [self.W_c1, self.b_c1, self.W_c2, self.b_c2, self.W_f1, self.b_f1,
                       self.W_f2, self.b_f2, self.W_f3, self.b_f3]
        self.opt = torch.optim.Adam(self.params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)

    def forward(self, x):
        # One channel: the NHWC rows are already NCHW. Flattening NCHW only permutes FC1's rows.
        h = F.max_pool2d(torch.relu(F.conv2d(x.view(-1, 1, 28, 28), self.W_c1, self.b_c1, padding=2)), 2)
        h = F.max_pool2d(torch.relu(F.conv2d(h, self.W_c2, self.b_c2)), 2)
        h = torch.relu(F.linear(h.flatten(1), self.W_f1, self.b_f1))
        h = torch.relu(F.linear(h, self.W_f2, self.b_f2))
        return F.linear(h, self.W_f3, self.b_f3)

    def step(self, x, y):
        loss = F.cross_entropy(self.forward(x), y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


def train(model, x, y, batch, epochs, gen):
    seconds, cpu, losses = [], [], []
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        xs, ys = x[order].contiguous(), y[order].contiguous()
        total = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(xs), batch):
            total += model.step(xs[i:i + batch], ys[i:i + batch]) * len(xs[i:i + batch])
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        losses.append(total / len(xs))
    return {"samples": len(x), "epoch_seconds": seconds, "epoch_cpu_seconds": cpu, "train_loss": losses}


def predict_rate(fn, x, batch, budget):
    """Images per second of fn on batches of `batch` rows: best of three stretches of budget/3 s."""
    xb = x[:batch].contiguous()
    with torch.inference_mode():
        for _ in range(3):
            fn(xb)
        best = 0.0
        for _ in range(3):
            n, t0 = 0, time.perf_counter()
            while True:
                fn(xb)
                n += batch
                dt = time.perf_counter() - t0
                if dt >= budget / 3:
                    break
            best = max(best, n / dt)
    return best


def openblas_info():
    """The OpenBLAS torch's process has loaded (from /proc/self/maps) and the kernel it picked."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded and initialised
    paths = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            p = line.split()[-1]
            if ("openblas" in p or "libblas" in p) and p.startswith("/") and p not in paths:
                paths.append(p)
    paths.sort(key=lambda p: "libopenblas" not in p)
    for p in paths:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        out = {"library": os.path.realpath(p)}
        for key, name in (("core", "openblas_get_corename"), ("config", "openblas_get_config")):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                out[key] = fn().decode()
        get = getattr(lib, "openblas_get_num_threads", None)
        if get is not None:
            out["threads"] = get()
        if "core" in out:
            return out
    return {"library": paths[0] if paths else None, "core": None}


def main():
    ap = argparse.ArgumentParser(description="The course's MLP and CNN in PyTorch, timed.")
    ap.add_argument("--data", default=common.DEFAULT_DATA)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    ap.add_argument("--parts", default="mlp,cnn,predict")
    ap.add_argument("--mlp-epochs", type=int, default=3, help="MLP epochs after one warm-up epoch")
    ap.add_argument("--cnn-epochs", type=int, default=1, help="CNN epochs after a warm-up on 320 samples")
    ap.add_argument("--cnn-limit", type=int, default=2000, help="CNN epoch on the first N samples")
    ap.add_argument("--lenet-epochs", type=int, default=1, help="LeNet epochs after a warm-up on 320 samples")
    ap.add_argument("--lenet-limit", type=int, default=2000, help="LeNet epoch on the first N samples")
    ap.add_argument("--predict-batches", default="1,32,1000")
    ap.add_argument("--predict-budget", type=float, default=1.5, help="seconds per predict measurement")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    gen = torch.Generator().manual_seed(args.seed)
    parts = set(args.parts.split(","))

    if os.path.isfile(args.data):
        x, y, _, _ = common.load_split(args.data, np.float32, common.TRAIN_SIZE)
        data = "notMNIST-10k"
    else:  # timing only: random images of the same shape
        x = np.random.default_rng(0).random((common.TRAIN_SIZE, 784), dtype=np.float32)
        y = np.arange(common.TRAIN_SIZE) % 10
        data = "random images (notMNIST-10k.npz not found)"
    x, y = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y.astype(np.int64))

    out = {"impl": "pytorch", "torch": torch.__version__, "threads": args.threads,
           "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "data": data,
           "blas": openblas_info(), "config": torch.__config__.show(),
           "parallel": torch.__config__.parallel_info(), "mkldnn": torch.backends.mkldnn.is_available()}
    if "mlp" in parts:
        m = MLP(gen)
        train(m, x, y, 100, 1, gen)  # warm-up epoch
        out["mlp"] = train(m, x, y, 100, args.mlp_epochs, gen)
    if "cnn" in parts:
        m = CNN(gen)
        train(m, x[:320], y[:320], 32, 1, gen)  # warm-up
        n = min(args.cnn_limit, len(x))
        out["cnn"] = train(m, x[:n], y[:n], 32, args.cnn_epochs, gen)
    if "lenet" in parts:
        m = LeNet(gen)
        warm = train(m, x[:320], y[:320], 64, 1, gen)  # warm-up
        n = min(args.lenet_limit, len(x))
        out["lenet"] = train(m, x[:n], y[:n], 64, args.lenet_epochs, gen)
        out["lenet"]["warmup_loss"] = warm["train_loss"][0]
    if "predict" in parts:
        mlp, cnn = MLP(gen), CNN(gen)
        batches = [int(b) for b in args.predict_batches.split(",")]
        out["predict"] = {
            # Softmax probabilities, as gemmnet's predict() returns them.
            "mlp": {b: predict_rate(lambda t: torch.softmax(mlp.forward(t), 1), x, b, args.predict_budget)
                    for b in batches},
            "cnn": {b: predict_rate(lambda t: torch.softmax(cnn.forward(t, False), 1), x, b, args.predict_budget)
                    for b in batches},
        }
    if args.json:
        print(json.dumps(out))
    else:
        json.dump(out, sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
