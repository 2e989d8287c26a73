#!/usr/bin/env python3
"""Gradient oracle for gemmnet's tests: loss and weight gradients in float64.

Usage:
  python3 test/reference/grads.py < request.json > response.json
  python3 test/reference/grads.py --self-test

Request, one JSON object on stdin (float arrays are base64 of little-endian
float32, the exact values the native code sees):
  { "model": "mlp" | "cnn" | "sequential",
    "options": { ... },                       # see below
    "weights": { name: { "data": b64, "shape": [...] } },
    "x": { "data": b64, "shape": [N, ...] },
    "labels": [int, ...] }

Response, one JSON object on stdout (gradients are base64 of little-endian
float64, same shapes as the weights):
  { "loss": float, "grads": { name: { "data": b64, "shape": [...] } } }

Models (every loss is the mean over the batch of softmax cross-entropy):
  mlp  x (N, I) -> relu(x W_h + b_h) -> W_o, b_o -> softmax.
       Weights W_h (I, H), b_h (H), W_o (H, C), b_o (C). No options used.
  cnn  x (N, H, W, Cin) -> conv k x k, SAME, stride 1 (W_conv (k, k, Cin, F),
       b_conv (F)) -> relu -> batch norm (no scale or shift, batch statistics)
       -> 2x2 max pool -> flatten NHWC -> W_fc1, b_fc1 -> relu -> W_fc2, b_fc2
       -> softmax. Options { filters, kernel, fc, classes, l2,
       batchNorm: { mode: "channel" | "batch", eps } }; batchNorm null or
       absent leaves the layer out. The loss adds l2/2 * (sum W_conv^2 +
       sum W_fc1^2 + sum W_fc2^2); biases carry no penalty. Dropout is not
       modelled, so keepProb, if given, must be 1.
  sequential  any stack, options { "architecture": model.architecture,
       "l2": lambda }: see stack.py. Dropout is not modelled (keepProb 1).

Errors go to stderr with exit status 1.
"""

import base64
import json
import sys

import numpy as np

import layers
import stack


# --- models -------------------------------------------------------------------

def mlp_loss_and_grads(weights, x, labels, options):
    """weights W_h (I, H), b_h (H), W_o (H, C), b_o (C); x (N, I)."""
    if options.get("l2", 0):
        raise ValueError("the MLP recipe has no l2 penalty; options.l2 must be 0")
    a = layers.dense_forward(x, weights["W_h"], weights["b_h"])
    h = layers.relu_forward(a)
    z = layers.dense_forward(h, weights["W_o"], weights["b_o"])
    loss, dz = layers.softmax_cross_entropy(z, labels)

    grads = {}
    dh, grads["W_o"], grads["b_o"] = layers.dense_backward(dz, h, weights["W_o"])
    da = layers.relu_backward(dh, a)
    _, grads["W_h"], grads["b_h"] = layers.dense_backward(da, x, weights["W_h"])
    return loss, grads


BN_AXES = {"channel": (0, 1, 2), "batch": (0,)}
L2_WEIGHTS = ("W_conv", "W_fc1", "W_fc2")


def cnn_loss_and_grads(weights, x, labels, options):
    """weights W_conv (k, k, Cin, F), b_conv, W_fc1 (Ho*Wo*F, fc), b_fc1,
    W_fc2 (fc, C), b_fc2; x (N, H, W, Cin) with Ho, Wo = H//2, W//2."""
    l2 = float(options.get("l2", 0))
    bn = options.get("batchNorm")
    n = x.shape[0]

    conv, xp = layers.conv2d_same_forward(x, weights["W_conv"], weights["b_conv"])
    act = layers.relu_forward(conv)
    if bn:
        normed, bn_cache = layers.batch_norm_forward(act, BN_AXES[bn["mode"]], bn["eps"])
    else:
        normed = act
    pooled, winner = layers.max_pool_2x2_forward(normed)
    flat = pooled.reshape(n, -1)  # NHWC order, as the native code flattens
    a1 = layers.dense_forward(flat, weights["W_fc1"], weights["b_fc1"])
    h1 = layers.relu_forward(a1)
    z = layers.dense_forward(h1, weights["W_fc2"], weights["b_fc2"])
    loss, dz = layers.softmax_cross_entropy(z, labels)
    loss += 0.5 * l2 * sum((weights[name] ** 2).sum() for name in L2_WEIGHTS)

    grads = {}
    dh1, grads["W_fc2"], grads["b_fc2"] = layers.dense_backward(dz, h1, weights["W_fc2"])
    da1 = layers.relu_backward(dh1, a1)
    dflat, grads["W_fc1"], grads["b_fc1"] = layers.dense_backward(da1, flat, weights["W_fc1"])
    dnormed = layers.max_pool_2x2_backward(dflat.reshape(pooled.shape), winner, normed.shape)
    if bn:
        dact = layers.batch_norm_backward(dnormed, bn_cache, BN_AXES[bn["mode"]])
    else:
        dact = dnormed
    dconv = layers.relu_backward(dact, conv)
    grads["W_conv"], grads["b_conv"] = layers.conv2d_same_backward(dconv, xp, weights["W_conv"])
    for name in L2_WEIGHTS:
        grads[name] += l2 * weights[name]
    return float(loss), grads


# --- checking a request -------------------------------------------------------

def expect_shape(weights, name, shape):
    if name not in weights:
        raise ValueError(f"missing weight {name}")
    if tuple(weights[name].shape) != tuple(shape):
        raise ValueError(f"{name} has shape {list(weights[name].shape)}, expected {list(shape)}")


def check_mlp(weights, x):
    if x.ndim != 2:
        raise ValueError(f"mlp input must be (N, I), got shape {list(x.shape)}")
    hidden = weights["W_h"].shape[1] if "W_h" in weights else None
    classes = weights["W_o"].shape[1] if "W_o" in weights else None
    expect_shape(weights, "W_h", (x.shape[1], hidden))
    expect_shape(weights, "b_h", (hidden,))
    expect_shape(weights, "W_o", (hidden, classes))
    expect_shape(weights, "b_o", (classes,))
    return classes


def check_cnn(weights, x, options):
    if x.ndim != 4:
        raise ValueError(f"cnn input must be NHWC (N, H, W, Cin), got shape {list(x.shape)}")
    for key in ("filters", "kernel", "fc", "classes"):
        if not isinstance(options.get(key), int) or options[key] < 1:
            raise ValueError(f"options.{key} must be a positive integer")
    if options.get("keepProb", 1) != 1:
        raise ValueError("dropout is not modelled: options.keepProb must be 1")
    bn = options.get("batchNorm")
    if bn:
        if bn.get("mode") not in BN_AXES:
            raise ValueError('options.batchNorm.mode must be "channel" or "batch"')
        if not isinstance(bn.get("eps"), (int, float)) or bn["eps"] <= 0:
            raise ValueError("options.batchNorm.eps must be a positive number")
    _, h, w, cin = x.shape
    f, k, fc, c = options["filters"], options["kernel"], options["fc"], options["classes"]
    expect_shape(weights, "W_conv", (k, k, cin, f))
    expect_shape(weights, "b_conv", (f,))
    expect_shape(weights, "W_fc1", ((h // 2) * (w // 2) * f, fc))
    expect_shape(weights, "b_fc1", (fc,))
    expect_shape(weights, "W_fc2", (fc, c))
    expect_shape(weights, "b_fc2", (c,))
    return c


MODELS = {"mlp": mlp_loss_and_grads, "cnn": cnn_loss_and_grads}


def evaluate(model, options, weights, x, labels):
    """Check the request, then return (loss, grads), all float64."""
    if model == "sequential":
        arch = options["architecture"]
        classes = arch["classes"]
        labels = np.asarray(labels)
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            raise ValueError(f"labels must lie in [0, {classes})")
        return stack.loss_and_grads(arch, float(options.get("l2", 0)), weights, x, labels.astype(np.int64))
    if model not in MODELS:
        raise ValueError(f'model must be "mlp", "cnn" or "sequential", got {model!r}')
    classes = check_mlp(weights, x) if model == "mlp" else check_cnn(weights, x, options)
    labels = np.asarray(labels)
    if labels.shape != (x.shape[0],):
        raise ValueError(f"got {labels.size} labels for a batch of {x.shape[0]}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in [0, {classes})")
    return MODELS[model](weights, x, labels.astype(np.int64), options)


# --- JSON in, JSON out --------------------------------------------------------

def decode(field, what):
    """{"data": base64 float32 LE, "shape": [...]} -> float64 array."""
    values = np.frombuffer(base64.b64decode(field["data"]), dtype="<f4")
    shape = tuple(field["shape"])
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{what}: {values.size} float32 values do not fill shape {list(shape)}")
    return values.reshape(shape).astype(np.float64)


def encode(array):
    """float64 array -> {"data": base64 float64 LE, "shape": [...]}."""
    array = np.ascontiguousarray(array, dtype="<f8")
    return {"data": base64.b64encode(array.tobytes()).decode("ascii"), "shape": list(array.shape)}


def answer(request):
    weights = {name: decode(field, name) for name, field in request["weights"].items()}
    x = decode(request["x"], "x")
    loss, grads = evaluate(request["model"], request.get("options") or {},
                           weights, x, request["labels"])
    return {"loss": float(loss), "grads": {name: encode(g) for name, g in grads.items()}}


def main(argv):
    if argv[1:] == ["--self-test"]:
        import self_test
        return self_test.run(evaluate, answer, encode)
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        response = answer(json.load(sys.stdin))
    except (ValueError, KeyError, TypeError) as error:
        kind = "missing field" if isinstance(error, KeyError) else "bad request"
        print(f"grads.py: {kind}: {error}", file=sys.stderr)
        return 1
    json.dump(response, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
