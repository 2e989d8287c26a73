#!/usr/bin/env python3
"""A LeNet-style network (two conv blocks) trained in plain NumPy, as a speed baseline for gemmnet.

  OPENBLAS_NUM_THREADS=1 python3 bench/numpy_lenet.py --dtype float32 --epochs 2 --threads 1 [--limit 2000] [--json]

Recipe (as gemmnet's sequential() stack in bench/lib/gemmnet.js and examples/lenet.js):
28x28x1 -> conv 5x5, 8 filters, SAME, + bias -> ReLU -> 2x2 max pool (14x14x8)
-> conv 5x5, 16 filters, VALID, + bias -> ReLU -> 2x2 max pool (5x5x16)
-> flatten (NHWC, 400) -> 120 ReLU -> 84 ReLU -> 10, softmax cross-entropy.
Adam in TensorFlow's form (lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8),
batches of 64; Xavier normal weights (TensorFlow's fans for the convs) and
zero biases.

Both convolutions are im2col + one matmul (the second also needs its input
gradient: the column gradient is added back window offset by window offset);
max pooling reuses numpy_cnn.py's strided views of the 2x2 windows. As for
the CNN, an epoch covers the first 2,000 training images by default
(--limit) and the report extrapolates, labelled as such, to 8,000.
"""


import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import common
from numpy_cnn import max_pool_forward, max_pool_backward

K = 5
SIDE = 28
F1, F2 = 8, 16
P1 = SIDE // 2            # 14 after the first pool
C2 = P1 - K + 1           # 10: the second conv is VALID
P2 = C2 // 2              # 5
FLAT = P2 * P2 * F2       # 400
FC1, FC2, CLASSES = 120, 84, 10
BATCH = 64
LEARNING_RATE = 1e-3  # Adam's; its betas and epsilon are in common.py


def make_params(rng, dtype):
    params = {
        "W_c1": common.xavier(rng, (K, K, 1, F1), K * K, K * K * F1, dtype),
        "b_c1": np.zeros(F1, dtype),
        "W_c2": common.xavier(rng, (K, K, F1, F2), K * K * F1, K * K * F2, dtype),
        "b_c2": np.zeros(F2, dtype),
        "W_f1": common.xavier(rng, (FLAT, FC1), FLAT, FC1, dtype),
        "b_f1": np.zeros(FC1, dtype),
        "W_f2": common.xavier(rng, (FC1, FC2), FC1, FC2, dtype),
        "b_f2": np.zeros(FC2, dtype),
        "W_f3": common.xavier(rng, (FC2, CLASSES), FC2, CLASSES, dtype),
        "b_f3": np.zeros(CLASSES, dtype),
    }
    return params, common.adam_state(params)


def im2col(x, pad):
    """x (B, H, W, C) -> cols (B*Ho*Wo, K*K*C), one row per output pixel, ordered (kh, kw, cin)
    to match a weight (kh, kw, cin, F) flattened to (K*K*C, F). `pad` zeros on every side."""
    if pad:
        x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = sliding_window_view(x, (K, K), axis=(1, 2))  # (B, Ho, Wo, C, kh, kw)
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, K * K * x.shape[3])


def col2im_valid(dcols, b, side, c):
    """The adjoint of im2col(x, 0) for x (b, side, side, c): dcols (b*Ho*Wo, K*K*c) -> dx."""
    out = side - K + 1
    d = dcols.reshape(b, out, out, K, K, c)
    dx = np.zeros((b, side, side, c), dcols.dtype)
    for i in range(K):
        for j in range(K):
            dx[:, i:i + out, j:j + out] += d[:, :, :, i, j]
    return dx


def forward(params, x, matmul):
    b = len(x)
    cols1 = im2col(x.reshape(b, SIDE, SIDE, 1), (K - 1) // 2)          # (B*784, 25)
    a1 = matmul(cols1, params["W_c1"].reshape(-1, F1))                 # (B*784, 8)
    a1 += params["b_c1"]
    h1 = np.maximum(a1, 0)
    p1, m1 = max_pool_forward(h1.reshape(b, SIDE, SIDE, F1))           # (B, 14, 14, 8)
    cols2 = im2col(p1, 0)                                              # (B*100, 200)
    a2 = matmul(cols2, params["W_c2"].reshape(-1, F2))                 # (B*100, 16)
    a2 += params["b_c2"]
    h2 = np.maximum(a2, 0)
    p2, m2 = max_pool_forward(h2.reshape(b, C2, C2, F2))               # (B, 5, 5, 16)
    flat = p2.reshape(b, -1)                                           # (B, 400), NHWC order
    z1 = matmul(flat, params["W_f1"])
    z1 += params["b_f1"]
    g1 = np.maximum(z1, 0)
    z2 = matmul(g1, params["W_f2"])
    z2 += params["b_f2"]
    g2 = np.maximum(z2, 0)
    z = matmul(g2, params["W_f3"])
    z += params["b_f3"]
    return z, (cols1, a1, m1, cols2, a2, p2, m2, flat, z1, g1, z2, g2)


def step(params, adam, x, labels, matmul):
    """Forward, backward and Adam update on one batch; returns its loss.

    Matmuls per batch: 5 forward, 5 weight gradients, and the input gradients of fc3, fc2, fc1
    and conv2 (the images need none): 14 in all.
    """
    b = len(x)
    z, (cols1, a1, m1, cols2, a2, p2, m2, flat, z1, g1, z2, g2) = forward(params, x, matmul)
    loss, dz = common.softmax_cross_entropy(z, labels)

    grads = {"W_f3": matmul(g2.T, dz), "b_f3": dz.sum(axis=0)}
    dg2 = matmul(dz, params["W_f3"].T)
    dg2 *= z2 > 0
    grads["W_f2"] = matmul(g1.T, dg2)
    grads["b_f2"] = dg2.sum(axis=0)
    dg1 = matmul(dg2, params["W_f2"].T)
    dg1 *= z1 > 0
    grads["W_f1"] = matmul(flat.T, dg1)
    grads["b_f1"] = dg1.sum(axis=0)
    dflat = matmul(dg1, params["W_f1"].T)                              # (B, 400)
    dh2 = max_pool_backward(dflat.reshape(p2.shape), m2).reshape(-1, F2)
    dh2 *= a2 > 0
    grads["W_c2"] = matmul(cols2.T, dh2).reshape(params["W_c2"].shape)
    grads["b_c2"] = dh2.sum(axis=0)
    dcols2 = matmul(dh2, params["W_c2"].reshape(-1, F2).T)             # (B*100, 200)
    dp1 = col2im_valid(dcols2, b, P1, F1)                              # (B, 14, 14, 8)
    dh1 = max_pool_backward(dp1, m1).reshape(-1, F1)
    dh1 *= a1 > 0
    grads["W_c1"] = matmul(cols1.T, dh1).reshape(params["W_c1"].shape)
    grads["b_c1"] = dh1.sum(axis=0)

    adam_update(params, grads, adam)
    return loss


def adam_update(params, grads, adam):
    """Adam in TensorFlow's form, at this script's learning rate (common.adam_update)."""
    common.adam_update(params, grads, adam, LEARNING_RATE)


def predict(params, x, batch=500):
    out = []
    for i in range(0, len(x), batch):
        z, _ = forward(params, x[i:i + batch], lambda a, b: a @ b)
        out.append(z.argmax(axis=1))
    return np.concatenate(out)


def main():
    args = common.parse_args("lenet", default_limit=2000)
    common.report(args, "lenet", common.train(args, make_params, step, predict, BATCH))


if __name__ == "__main__":
    main()
