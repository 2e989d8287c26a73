#!/usr/bin/env python3
"""The course's MLP trained in plain NumPy, as a speed baseline for gemmnet.

  OPENBLAS_NUM_THREADS=1 python3 bench/numpy_mlp.py --dtype float32 --epochs 2 --threads 1 [--json]

Recipe (the course's): 784 -> 1000 ReLU -> 10, softmax cross-entropy, Xavier
normal weights and zero biases, batches of 100, momentum
    v = gamma * v + lr * grad;  W -= v      (lr 0.01, gamma 0.9, v starts at 1e-5)
and a fresh shuffle every epoch. Every array stays in the chosen dtype.
"""

import numpy as np

import common

HIDDEN, CLASSES = 1000, 10
BATCH = 100
LEARNING_RATE, MOMENTUM, VELOCITY_START = 0.01, 0.9, 1e-5


def make_params(rng, dtype):
    inputs = 28 * 28
    params = {
        "W_h": common.xavier(rng, (inputs, HIDDEN), inputs, HIDDEN, dtype),
        "b_h": np.zeros(HIDDEN, dtype),
        "W_o": common.xavier(rng, (HIDDEN, CLASSES), HIDDEN, CLASSES, dtype),
        "b_o": np.zeros(CLASSES, dtype),
    }
    velocity = {name: np.full_like(p, VELOCITY_START) for name, p in params.items()}
    return params, velocity


def step(params, velocity, x, labels, matmul):
    """Forward, backward and momentum update on one batch; returns its loss.

    x (B, 784), labels (B). Per batch: five matmuls, two forward and three
    backward (the input gradient is not needed).
    """
    W_h, b_h, W_o, b_o = params["W_h"], params["b_h"], params["W_o"], params["b_o"]

    a = matmul(x, W_h)                 # (B, 1000)
    a += b_h
    h = np.maximum(a, 0)
    z = matmul(h, W_o)                 # (B, 10)
    z += b_o
    loss, dz = common.softmax_cross_entropy(z, labels)

    grads = {"W_o": matmul(h.T, dz), "b_o": dz.sum(axis=0)}
    dh = matmul(dz, W_o.T)             # (B, 1000)
    dh *= a > 0                        # ReLU backward
    grads["W_h"] = matmul(x.T, dh)
    grads["b_h"] = dh.sum(axis=0)

    for name, p in params.items():
        v = velocity[name]
        v *= MOMENTUM
        v += LEARNING_RATE * grads[name]
        p -= v
    return loss


def predict(params, x):
    h = np.maximum(x @ params["W_h"] + params["b_h"], 0)
    return (h @ params["W_o"] + params["b_o"]).argmax(axis=1)


def main():
    args = common.parse_args("mlp")
    common.report(args, "mlp", common.train(args, make_params, step, predict, BATCH))


if __name__ == "__main__":
    main()
