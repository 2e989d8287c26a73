"""Self-test of the gradient oracle: `python3 test/reference/grads.py --self-test`.

The oracle's hand-derived gradients are compared with central finite
differences of its own loss, in float64, on small random cases covering both
models, both batch-norm modes, no batch norm, l2 on and off, an even kernel
and odd image sizes. A tensor's error is
    max |analytic - numeric| / max(max |analytic|, max |numeric|)
and the test fails (exit status 1) if any exceeds TOLERANCE. It also checks
that a max-pool tie goes to the first maximum, that the JSON path returns
exactly what a direct call computes and that a malformed request is refused.
"""

import numpy as np

# Central differences err by about STEP^2 * (third derivative) + 1e-16 / STEP.
# Batch norm over a handful of values curves sharply, so the step is small.
STEP = 1e-6
TOLERANCE = 1e-6


def mlp_case(rng, n=5, inputs=7, hidden=6, classes=4):
    weights = {
        "W_h": rng.normal(0, 0.5, (inputs, hidden)),
        "b_h": rng.normal(0, 0.1, hidden),
        "W_o": rng.normal(0, 0.5, (hidden, classes)),
        "b_o": rng.normal(0, 0.1, classes),
    }
    x = rng.normal(0, 1, (n, inputs))
    return "mlp", {}, weights, x, rng.integers(0, classes, n)


def cnn_case(rng, bn_mode, l2, n=4, h=6, w=6, cin=1, k=3, filters=3, fc=5, classes=4,
             eps=1e-5):
    options = {"filters": filters, "kernel": k, "fc": fc, "classes": classes, "l2": l2,
               "batchNorm": {"mode": bn_mode, "eps": eps} if bn_mode else None}
    flat = (h // 2) * (w // 2) * filters
    weights = {
        "W_conv": rng.normal(0, 0.5, (k, k, cin, filters)),
        "b_conv": rng.normal(0, 0.1, filters),
        "W_fc1": rng.normal(0, 1 / np.sqrt(flat), (flat, fc)),
        "b_fc1": rng.normal(0, 0.1, fc),
        "W_fc2": rng.normal(0, 1 / np.sqrt(fc), (fc, classes)),
        "b_fc2": rng.normal(0, 0.1, classes),
    }
    x = rng.random((n, h, w, cin))  # pixel-like values in [0, 1)
    return "cnn", options, weights, x, rng.integers(0, classes, n)


def cases():
    rng = np.random.default_rng(521)
    return [
        ("mlp", mlp_case(rng)),
        ("cnn channel-bn", cnn_case(rng, "channel", 0.0)),
        ("cnn channel-bn l2", cnn_case(rng, "channel", 0.1)),
        ("cnn channel-bn eps=1e-9", cnn_case(rng, "channel", 0.0, eps=1e-9)),
        ("cnn batch-bn", cnn_case(rng, "batch", 0.0)),
        ("cnn batch-bn l2", cnn_case(rng, "batch", 0.1)),
        ("cnn no-bn k=2 7x5x2 l2", cnn_case(rng, None, 0.05, h=7, w=5, cin=2, k=2)),
    ]


def numeric_gradient(evaluate, model, options, weights, x, labels, name):
    """Central differences of the loss with respect to every entry of weights[name]."""
    w = weights[name]
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        saved = w[i]
        w[i] = saved + STEP
        plus, _ = evaluate(model, options, weights, x, labels)
        w[i] = saved - STEP
        minus, _ = evaluate(model, options, weights, x, labels)
        w[i] = saved
        grad[i] = (plus - minus) / (2 * STEP)
    return grad


def relative_error(analytic, numeric):
    scale = max(np.abs(analytic).max(), np.abs(numeric).max())
    return 0.0 if scale == 0 else np.abs(analytic - numeric).max() / scale


def check_json_path(answer, encode, evaluate, case):
    """The JSON path must give exactly what a direct call on the float32 values gives."""
    import base64

    def encode32(a):
        a = np.ascontiguousarray(a, dtype="<f4")
        return {"data": base64.b64encode(a.tobytes()).decode("ascii"), "shape": list(a.shape)}

    model, options, weights, x, labels = case
    request = {"model": model, "options": options,
               "weights": {k: encode32(v) for k, v in weights.items()},
               "x": encode32(x), "labels": [int(v) for v in labels]}
    response = answer(request)
    rounded = {k: v.astype(np.float32).astype(np.float64) for k, v in weights.items()}
    loss, grads = evaluate(model, options, rounded, x.astype(np.float32).astype(np.float64), labels)
    same = response["loss"] == loss and all(
        response["grads"][k] == encode(g) for k, g in grads.items())

    request["weights"]["W_fc2" if model == "cnn" else "W_o"]["shape"] = [1, 2]
    try:
        answer(request)
        refused = False
    except ValueError:
        refused = True
    return same, refused


def ties_go_first():
    """Finite differences cannot see where a tie sends the gradient; check it directly.

    One 2x2 window holding [[1, 3], [3, 3]] must send everything to the
    top-right 3, the first maximum in row-major order.
    """
    import layers
    y = np.array([[1.0, 3.0], [3.0, 3.0]]).reshape(1, 2, 2, 1)
    out, winner = layers.max_pool_2x2_forward(y)
    dy = layers.max_pool_2x2_backward(np.ones((1, 1, 1, 1)), winner, y.shape)
    return out.item() == 3.0 and dy.reshape(4).tolist() == [0.0, 1.0, 0.0, 0.0]


def run(evaluate, answer, encode):
    worst = 0.0
    if not ties_go_first():
        print("max pool: a tie is not sent to the first maximum")
        worst = float("inf")
    for title, case in cases():
        model, options, weights, x, labels = case
        loss, grads = evaluate(model, options, weights, x, labels)
        errors = []
        for name in sorted(weights):
            numeric = numeric_gradient(evaluate, model, options, weights, x, labels, name)
            errors.append((name, relative_error(grads[name], numeric)))
        worst = max([worst] + [e for _, e in errors])
        print(f"{title:26s} loss {loss:.6f}  " +
              "  ".join(f"{name} {error:.1e}" for name, error in errors))

    all_cases = cases()
    for title, case in (all_cases[0], all_cases[2]):
        same, refused = check_json_path(answer, encode, evaluate, case)
        print(f"{title:26s} JSON path {'identical' if same else 'DIFFERS'}, "
              f"bad shape {'refused' if refused else 'ACCEPTED'}")
        if not (same and refused):
            worst = float("inf")

    passed = worst <= TOLERANCE
    print(f"max relative error {worst:.2e} (tolerance {TOLERANCE:.0e}): "
          f"{'pass' if passed else 'FAIL'}")
    return 0 if passed else 1
