#!/usr/bin/env python3
"""The course's CNN trained in plain NumPy, as a speed baseline for gemmnet.

  OPENBLAS_NUM_THREADS=1 python3 bench/numpy_cnn.py --dtype float32 --epochs 2 --threads 1 [--limit 2000] [--json]

Recipe: 28x28x1 -> conv 3x3, 32 filters, SAME, + bias -> ReLU -> batch norm
per channel (batch statistics, no scale or shift, eps 1e-9) -> 2x2 max pool
-> flatten (NHWC) -> 784 ReLU -> 10, softmax cross-entropy. Adam (lr 1e-4,
beta1 0.9, beta2 0.999, eps 1e-8), batches of 32, no dropout, no l2; Xavier
normal weights (TensorFlow's fans for the conv) and zero biases.

The convolution is im2col + one matmul; max pooling works on strided views of
the 2x2 windows. NumPy is slow at this, so by default an epoch covers only
the first 2,000 training images (--limit); the report gives the measured
time and, labelled as such, the time extrapolated to 8,000 images.
"""


import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import common

KERNEL, FILTERS, FC, CLASSES = 3, 32, 784, 10
SIDE, POOLED = 28, 14
BN_EPS = 1e-9
BATCH = 32
LEARNING_RATE = 1e-4  # Adam's; its betas and epsilon are in common.py


def make_params(rng, dtype):
    flat = POOLED * POOLED * FILTERS
    taps = KERNEL * KERNEL
    params = {
        "W_conv": common.xavier(rng, (KERNEL, KERNEL, 1, FILTERS), taps, taps * FILTERS, dtype),
        "b_conv": np.zeros(FILTERS, dtype),
        "W_fc1": common.xavier(rng, (flat, FC), flat, FC, dtype),
        "b_fc1": np.zeros(FC, dtype),
        "W_fc2": common.xavier(rng, (FC, CLASSES), FC, CLASSES, dtype),
        "b_fc2": np.zeros(CLASSES, dtype),
    }
    return params, common.adam_state(params)


# --- layers: forward beside backward ------------------------------------------

def im2col(x):
    """x (B, 28, 28, 1) -> cols (B*28*28, 3*3*1), one row per output pixel.

    Row (b, i, j) holds the SAME-padded 3x3 patch centred on (i, j), ordered
    (kh, kw, cin) to match W_conv (kh, kw, cin, F) flattened to (9, F).
    """
    pad = (KERNEL - 1) // 2
    xp = np.pad(x, ((0, 0), (pad, KERNEL - 1 - pad), (pad, KERNEL - 1 - pad), (0, 0)))
    windows = sliding_window_view(xp, (KERNEL, KERNEL), axis=(1, 2))  # (B, 28, 28, cin, kh, kw)
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, KERNEL * KERNEL * x.shape[3])


def batch_norm_forward(h):
    # h (rows, C): every row is one pixel of one image; statistics per channel.
    mean = h.mean(axis=0)
    centered = h - mean
    inv_std = 1 / np.sqrt((centered * centered).mean(axis=0) + BN_EPS)
    return centered * inv_std, inv_std


def batch_norm_backward(dy, y, inv_std):
    # Full backward through the batch mean and variance.
    return inv_std * (dy - dy.mean(axis=0) - y * (dy * y).mean(axis=0))


def max_pool_forward(y):
    """y (B, 28, 28, C) -> out (B, 14, 14, C) and masks of each window's winner.

    The four corners of every window are strided views. Ties go to the first
    maximum in row-major order, as in TensorFlow (after ReLU and batch norm
    whole windows often hold the same value).
    """
    corners = (y[:, 0::2, 0::2], y[:, 0::2, 1::2], y[:, 1::2, 0::2], y[:, 1::2, 1::2])
    out = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    masks, taken = [], np.zeros(out.shape, bool)
    for corner in corners:
        wins = (corner == out) & ~taken
        taken |= wins
        masks.append(wins)
    return out, masks


def max_pool_backward(dout, masks):
    # dout (B, 14, 14, C) -> dy (B, 28, 28, C)
    b, h, w, c = dout.shape
    dy = np.empty((b, 2 * h, 2 * w, c), dout.dtype)
    dy[:, 0::2, 0::2] = dout * masks[0]
    dy[:, 0::2, 1::2] = dout * masks[1]
    dy[:, 1::2, 0::2] = dout * masks[2]
    dy[:, 1::2, 1::2] = dout * masks[3]
    return dy


# --- one training step ----------------------------------------------------------

def step(params, adam, x, labels, matmul):
    """Forward, backward and Adam update on one batch; returns its loss.

    x (B, 784). Per batch: eight matmuls, three forward (conv, fc1, fc2) and
    five backward (weight and input of fc2 and fc1, weight of the conv; the
    images need no gradient).
    """
    b = len(x)
    W_conv = params["W_conv"].reshape(-1, FILTERS)                  # (9, 32)

    cols = im2col(x.reshape(b, SIDE, SIDE, 1))                      # (B*784, 9)
    conv = matmul(cols, W_conv)                                     # (B*784, 32)
    conv += params["b_conv"]
    act = np.maximum(conv, 0)
    normed, inv_std = batch_norm_forward(act)
    pooled, masks = max_pool_forward(normed.reshape(b, SIDE, SIDE, FILTERS))
    flat = pooled.reshape(b, -1)                                    # (B, 6272), NHWC order
    a1 = matmul(flat, params["W_fc1"])                              # (B, 784)
    a1 += params["b_fc1"]
    h1 = np.maximum(a1, 0)
    z = matmul(h1, params["W_fc2"])                                 # (B, 10)
    z += params["b_fc2"]
    loss, dz = common.softmax_cross_entropy(z, labels)

    grads = {"W_fc2": matmul(h1.T, dz), "b_fc2": dz.sum(axis=0)}
    dh1 = matmul(dz, params["W_fc2"].T)
    dh1 *= a1 > 0
    grads["W_fc1"] = matmul(flat.T, dh1)
    grads["b_fc1"] = dh1.sum(axis=0)
    dflat = matmul(dh1, params["W_fc1"].T)                          # (B, 6272)
    dnormed = max_pool_backward(dflat.reshape(pooled.shape), masks)
    dact = batch_norm_backward(dnormed.reshape(-1, FILTERS), normed, inv_std)
    dact *= conv > 0
    grads["W_conv"] = matmul(cols.T, dact).reshape(params["W_conv"].shape)
    grads["b_conv"] = dact.sum(axis=0)

    adam_update(params, grads, adam)
    return loss


def adam_update(params, grads, adam):
    """Adam in TensorFlow's form, at this script's learning rate (common.adam_update)."""
    common.adam_update(params, grads, adam, LEARNING_RATE)


def predict(params, x, batch=500):
    """Class indices; batch norm uses each evaluation batch's own statistics,
    as the course's graph does (it keeps no moving averages)."""
    out = []
    for i in range(0, len(x), batch):
        xb = x[i:i + batch]
        b = len(xb)
        conv = im2col(xb.reshape(b, SIDE, SIDE, 1)) @ params["W_conv"].reshape(-1, FILTERS)
        normed, _ = batch_norm_forward(np.maximum(conv + params["b_conv"], 0))
        pooled, _ = max_pool_forward(normed.reshape(b, SIDE, SIDE, FILTERS))
        h1 = np.maximum(pooled.reshape(b, -1) @ params["W_fc1"] + params["b_fc1"], 0)
        out.append((h1 @ params["W_fc2"] + params["b_fc2"]).argmax(axis=1))
    return np.concatenate(out)


def main():
    args = common.parse_args("cnn", default_limit=2000)
    common.report(args, "cnn", common.train(args, make_params, step, predict, BATCH))


if __name__ == "__main__":
    main()
