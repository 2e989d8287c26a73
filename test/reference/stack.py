"""Float64 reference for sequential() stacks: every layer type, forward and hand-written backward,
walked in the order the network's `architecture` lists them.

The stack is given as gemmnet describes it (model.architecture): input shape, and per layer its
type, options (config) and the names of its weights by role. Training mode throughout: batch norm
uses the batch's statistics; dropout is not modelled (its keepProb must be 1).
"""

import numpy as np

import layers as ref


def same_split(inp, k, s):
    """TensorFlow's SAME padding: output ceil(inp / s), the extra row/column at the bottom/right."""
    out = -(-inp // s)
    total = max((out - 1) * s + k - inp, 0)
    return out, total // 2, total - total // 2


def conv2d_forward(x, W, b, stride, padding):
    """x (N, H, W, C), W (kh, kw, C, F) -> (N, OH, OW, F), any stride, SAME or VALID."""
    n, h, w, _ = x.shape
    kh, kw, _, f = W.shape
    if padding == "same":
        oh, top, bottom = same_split(h, kh, stride)
        ow, left, right = same_split(w, kw, stride)
    else:
        oh, top, bottom = (h - kh) // stride + 1, 0, 0
        ow, left, right = (w - kw) // stride + 1, 0, 0
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out = np.zeros((n, oh, ow, f))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :]
            out += patch @ W[i, j]
    return out + b, (xp, (top, left, h, w), oh, ow)


def conv2d_backward(dout, cache, W, stride):
    xp, (top, left, h, w), oh, ow = cache
    kh, kw = W.shape[:2]
    dW = np.zeros_like(W)
    dxp = np.zeros_like(xp)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + stride * (oh - 1) + 1, stride)
            cols = slice(j, j + stride * (ow - 1) + 1, stride)
            dW[i, j] = np.einsum("nhwc,nhwf->cf", xp[:, rows, cols, :], dout)
            dxp[:, rows, cols, :] += dout @ W[i, j].T
    return dxp[:, top:top + h, left:left + w, :], dW, dout.sum(axis=(0, 1, 2))


def pool_taps(x, size, stride):
    n, h, w, c = x.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    for i in range(size):
        for j in range(size):
            yield i, j, x[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :]


def max_pool_forward(x, size, stride):
    """Taps in row-major order; a later tap wins only when strictly greater (the first maximum)."""
    best = None
    where = None
    for i, j, v in pool_taps(x, size, stride):
        if best is None:
            best, where = v.copy(), np.zeros(v.shape, dtype=np.int64)
        else:
            better = v > best
            best = np.where(better, v, best)
            where = np.where(better, i * size + j, where)
    return best, where


def max_pool_backward(dout, where, x_shape, size, stride):
    dx = np.zeros(x_shape)
    oh, ow = dout.shape[1:3]
    for i in range(size):
        for j in range(size):
            rows = slice(i, i + stride * (oh - 1) + 1, stride)
            cols = slice(j, j + stride * (ow - 1) + 1, stride)
            dx[:, rows, cols, :] += dout * (where == i * size + j)
    return dx


def avg_pool_forward(x, size, stride):
    return sum(v for _, _, v in pool_taps(x, size, stride)) / (size * size)


def avg_pool_backward(dout, x_shape, size, stride):
    dx = np.zeros(x_shape)
    oh, ow = dout.shape[1:3]
    for i in range(size):
        for j in range(size):
            dx[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :] += dout / (size * size)
    return dx


ACTIVATIONS = {
    "relu": (lambda x, a: np.maximum(x, 0), lambda x, y, a: (x > 0).astype(np.float64)),
    "leakyRelu": (lambda x, a: np.where(x > 0, x, a * x), lambda x, y, a: np.where(x > 0, 1.0, a)),
    "tanh": (lambda x, a: np.tanh(x), lambda x, y, a: 1 - y * y),
    "sigmoid": (lambda x, a: 1 / (1 + np.exp(-x)), lambda x, y, a: y * (1 - y)),
}


def bn_axes(cfg, ndim):
    return tuple(range(ndim - 1)) if cfg["mode"] == "channel" else (0,)


def loss_and_grads(arch, l2, weights, x, labels):
    """arch: model.architecture; weights by name; x (N, *input). Returns (loss, grads by name)."""
    n = x.shape[0]
    h = x.reshape((n, *arch["input"]))
    caches = []
    for layer in arch["layers"]:
        cfg, names, t = layer["config"], layer["weights"], layer["type"]
        inp = h
        if t == "dense":
            h = ref.dense_forward(h, weights[names["W"]], weights[names["b"]])
            caches.append(inp)
        elif t == "conv2d":
            h, cache = conv2d_forward(h, weights[names["W"]], weights[names["b"]], cfg["stride"], cfg["padding"])
            caches.append(cache)
        elif t == "maxPool2d":
            h, where = max_pool_forward(h, cfg["size"], cfg["stride"])
            caches.append((inp.shape, where))
        elif t == "avgPool2d":
            h = avg_pool_forward(h, cfg["size"], cfg["stride"])
            caches.append(inp.shape)
        elif t == "batchNorm":
            xhat, cache = ref.batch_norm_forward(h, bn_axes(cfg, h.ndim), cfg["eps"])
            caches.append((xhat, cache))
            h = xhat
            if cfg["affine"]:
                shape = (-1,) if cfg["mode"] == "channel" else xhat.shape[1:]
                h = xhat * weights[names["gamma"]].reshape(shape) + weights[names["beta"]].reshape(shape)
        elif t == "dropout":
            if cfg["keepProb"] != 1:
                raise ValueError(f"{layer['name']}: dropout is not modelled; keepProb must be 1")
            caches.append(None)
        elif t in ACTIVATIONS:
            h = ACTIVATIONS[t][0](inp, cfg.get("alpha", 0))
            caches.append((inp, h))
        elif t == "flatten":
            h = h.reshape(n, -1)
            caches.append(inp.shape)
        else:
            raise ValueError(f"unknown layer type {t!r}")

    loss, d = ref.softmax_cross_entropy(h, labels)
    grads = {}
    for layer, cache in zip(reversed(arch["layers"]), reversed(caches)):
        cfg, names, t = layer["config"], layer["weights"], layer["type"]
        if t == "dense":
            d, grads[names["W"]], grads[names["b"]] = ref.dense_backward(d, cache, weights[names["W"]])
        elif t == "conv2d":
            d, grads[names["W"]], grads[names["b"]] = conv2d_backward(d, cache, weights[names["W"]], cfg["stride"])
        elif t == "maxPool2d":
            d = max_pool_backward(d, cache[1], cache[0], cfg["size"], cfg["stride"])
        elif t == "avgPool2d":
            d = avg_pool_backward(d, cache, cfg["size"], cfg["stride"])
        elif t == "batchNorm":
            xhat, bn_cache = cache
            axes = bn_axes(cfg, xhat.ndim)
            if cfg["affine"]:
                shape = (-1,) if cfg["mode"] == "channel" else xhat.shape[1:]
                size = weights[names["gamma"]].size
                grads[names["gamma"]] = (d * xhat).sum(axis=axes).reshape(size)
                grads[names["beta"]] = d.sum(axis=axes).reshape(size)
                d = d * weights[names["gamma"]].reshape(shape)
            d = ref.batch_norm_backward(d, bn_cache, axes)
        elif t in ACTIVATIONS:
            inp, out = cache
            d = d * ACTIVATIONS[t][1](inp, out, cfg.get("alpha", 0))
        elif t == "flatten":
            d = d.reshape(cache)
    for layer in arch["layers"]:
        if "W" in layer["weights"]:
            name = layer["weights"]["W"]
            loss += 0.5 * l2 * (weights[name] ** 2).sum()
            grads[name] = grads[name] + l2 * weights[name]
    return float(loss), grads
