"""Shared parts of the NumPy benchmarks (numpy_mlp.py, numpy_cnn.py).

Command line, the notMNIST data with the course's split, the training loop
with its timing, a matmul that counts floating-point operations, softmax
cross-entropy, and the report (readable lines, or one JSON line with --json).

BLAS threads are not set here: the caller sets OPENBLAS_NUM_THREADS in the
environment before Python starts, and passes the same number as --threads so
it is recorded in the report.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np

import contention

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO, "..", "shared", "data", "notmnist", "notMNIST-10k.npz")
SPLIT_SEED = 521   # the course's np.random.seed(521) shuffle
TRAIN_SIZE = 8000  # the first 8,000 shuffled images train, the next 1,000 validate
VALID_SIZE = 1000
FULL_EPOCH = TRAIN_SIZE


def parse_args(model, default_limit=None):
    parser = argparse.ArgumentParser(
        description=f"Train the course's {model.upper()} on notMNIST in NumPy and time each epoch.")
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="notMNIST-10k.npz (default: ../shared/data/notmnist/ beside the repo)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads, recorded only: set OPENBLAS_NUM_THREADS to match")
    parser.add_argument("--limit", type=int, default=default_limit,
                        help="train on the first N training images "
                             f"(default: {default_limit or TRAIN_SIZE})")
    parser.add_argument("--seed", type=int, default=0, help="seed for the initial weights and shuffles")
    parser.add_argument("--json", action="store_true", help="print one JSON line on stdout; the epoch log goes to stderr")
    parser.add_argument("--alternate-busy", metavar="JSON", type=json.loads, default=None,
                        help="a command as a JSON list, e.g. '[\"node\", \"-e\", \"for(;;){}\"]': after the "
                             "first epoch, every second epoch runs with it competing for a core")
    args = parser.parse_args()
    if args.epochs < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--epochs and --limit must be at least 1")
    if not os.path.isfile(args.data):
        parser.error(f"no data at {args.data}; pass the path of notMNIST-10k.npz with --data")
    args.limit = min(args.limit or TRAIN_SIZE, TRAIN_SIZE)
    if args.threads is None and os.environ.get("OPENBLAS_NUM_THREADS", "").isdigit():
        args.threads = int(os.environ["OPENBLAS_NUM_THREADS"])
    args.dtype = np.dtype(args.dtype)
    return args


def load_split(path, dtype, limit):
    """Images scaled to [0, 1] as (N, 784) rows of `dtype`, labels as int64.

    Returns (x_train, y_train, x_valid, y_valid), the training part cut to
    its first `limit` images.
    """
    with np.load(path) as data:
        images, labels = data["images"], data["labels"]
    x = (images.reshape(len(images), -1) / 255.0).astype(dtype)
    y = labels.astype(np.int64)
    np.random.seed(SPLIT_SEED)
    order = np.arange(len(x))
    np.random.shuffle(order)
    train, valid = order[:limit], order[TRAIN_SIZE:TRAIN_SIZE + VALID_SIZE]
    return x[train], y[train], x[valid], y[valid]


class FlopCounter:
    """matmul that adds 2*M*N*K to a running total: the work a BLAS gemm does."""

    def __init__(self):
        self.flops = 0

    def __call__(self, a, b):
        # a (M, K), b (K, N) -> (M, N)
        self.flops += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        return a @ b


def softmax_cross_entropy(z, labels):
    """Mean cross-entropy of softmax(z) and its gradient, in z's dtype.

    z (B, C), labels (B) -> (loss as a Python float, dz (B, C))
    """
    b = z.shape[0]
    rows = np.arange(b)
    e = np.exp(z - z.max(axis=1, keepdims=True))  # exp cannot overflow
    total = e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - np.log(e[rows, labels])))
    dz = e / total
    dz[rows, labels] -= 1
    dz /= b
    return loss, dz


def train(args, make_params, step, predict, batch_size):
    """Run the epochs; return a dict of per-epoch lists: wall `seconds`,
    `cpu_seconds` (all threads: above the wall time when BLAS threads run,
    or spin while they wait for work), `other_cores` (see contention.py),
    `busy` (whether a busy process competed) and mean training `losses`;
    and `flops` per epoch and the validation `accuracy` at the end.

    `make_params(rng, dtype)` returns (params, optimizer state) as dicts of
    arrays; `step(params, state, xb, yb, matmul)` does forward, backward and
    update on one batch and returns its loss; `predict(params, x)` returns
    class indices. Each epoch shuffles the training set
    first, outside the timer, so the timer sees only the training pass.
    Afterwards the parameters are checked to still be of the chosen dtype.
    """
    x, y, x_valid, y_valid = load_split(args.data, args.dtype, args.limit)
    rng = np.random.default_rng(args.seed)
    params, state = make_params(rng, args.dtype)
    matmul = FlopCounter()
    seconds, cpu_seconds, other_cores, busy_epochs, losses = [], [], [], [], []
    for epoch in range(args.epochs):
        order = rng.permutation(len(x))
        xs, ys = x[order], y[order]
        matmul.flops = 0
        loss_sum = 0.0
        busy = args.alternate_busy is not None and epoch > 0 and epoch % 2 == 0
        competitor = contention.Competitor(args.alternate_busy) if busy else None
        load = contention.Load(competitor)
        start, cpu_start = time.perf_counter(), time.process_time()
        for i in range(0, len(xs), batch_size):
            xb, yb = xs[i:i + batch_size], ys[i:i + batch_size]
            loss_sum += step(params, state, xb, yb, matmul) * len(xb)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)  # all of the process's threads
        other_cores.append(load.stop())
        busy_epochs.append(busy)
        if competitor:
            competitor.stop()
        losses.append(loss_sum / len(xs))
        log(args, epoch, seconds[-1], losses[-1], matmul.flops, len(xs))
    for name, p in params.items():
        if p.dtype != args.dtype:
            raise RuntimeError(f"{name} drifted to {p.dtype} while training in {args.dtype}")
    accuracy = float((predict(params, x_valid) == y_valid).mean())
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "other_cores": other_cores, "busy": busy_epochs,
            "losses": losses, "flops": matmul.flops, "accuracy": accuracy}


def blas_info():
    """The BLAS NumPy runs and the kernel it picked on this CPU, or None when it cannot be asked.

    NumPy's wheels bundle scipy-openblas; loading it again by path returns the library already
    loaded, so the answer is the one the running NumPy uses.
    """
    import ctypes
    import glob
    try:  # threadpoolctl, where installed, names the BLAS and its kernel
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            if lib.get("internal_api") == "openblas" and lib.get("architecture"):
                return {"core": lib["architecture"], "config": f"OpenBLAS {lib.get('version')} ({lib.get('filepath')})"}
    except ImportError:
        pass
    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    candidates = glob.glob(os.path.join(libs, "*openblas*"))
    # A NumPy linked to the system's OpenBLAS (Debian's python3-numpy): the libraries this process has loaded.
    np.ones((8, 8)) @ np.ones((8, 8))
    with open("/proc/self/maps") as maps:
        for line in maps:
            p = line.split()[-1]
            if p.startswith("/") and ("openblas" in p or "libblas" in p) and p not in candidates:
                candidates.append(p)
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        info = {}
        for key, names in (("core", ("scipy_openblas_get_corename64_", "openblas_get_corename")),
                           ("config", ("scipy_openblas_get_config64_", "openblas_get_config"))):
            for name in names:
                fn = getattr(lib, name, None)
                if fn is not None:
                    fn.restype = ctypes.c_char_p
                    info[key] = fn().decode()
                    break
        if info:
            return info
    return None


def xavier(rng, shape, fan_in, fan_out, dtype):
    """Normal with std sqrt(2 / (fan_in + fan_out)); drawn in float64 so both dtypes start alike."""
    return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), shape).astype(dtype)


def log(args, epoch, seconds, loss, flops, samples):
    line = (f"epoch {epoch + 1}: train loss {loss:.4f}, {seconds:.3f} s, "
            f"{flops / seconds / 1e9:.1f} GFLOP/s")
    if samples != FULL_EPOCH:
        line += (f" (measured on {samples} images; "
                 f"{seconds * FULL_EPOCH / samples:.3f} s per {FULL_EPOCH} extrapolated)")
    print(line, file=sys.stderr if args.json else sys.stdout, flush=True)


def report(args, model, run):
    seconds, flops, accuracy = run["seconds"], run["flops"], run["accuracy"]
    samples = args.limit
    result = {
        "impl": "numpy",
        "model": model,
        "dtype": args.dtype.name,
        "threads": args.threads,
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "samples_per_epoch": samples,
        "blas": blas_info(),
        "epoch_seconds": seconds,
        "epoch_cpu_seconds": run["cpu_seconds"],
        "epoch_other_cores": run["other_cores"],  # cores other processes kept busy, per epoch
        "epoch_busy": run["busy"],                # whether a busy process competed in that epoch
        "best_epoch_seconds": min(seconds),
        "train_loss": run["losses"],
        "valid_accuracy": accuracy,
        "gflop_per_epoch": flops / 1e9,
    }
    if samples != FULL_EPOCH:
        # Measured on `samples` images; scaled linearly to a full 8,000-image epoch.
        scale = FULL_EPOCH / samples
        result["extrapolated_epoch_seconds_per_8000"] = [s * scale for s in seconds]
        result["extrapolated_best_epoch_seconds_per_8000"] = min(seconds) * scale
        result["extrapolated_gflop_per_8000"] = flops / 1e9 * scale
    if args.json:
        print(json.dumps(result))
    else:
        best = min(seconds)
        print(f"{model} {args.dtype.name}, threads {args.threads}: best epoch {best:.3f} s "
              f"on {samples} images, {flops / 1e9:.2f} GFLOP per epoch, "
              f"validation accuracy {accuracy:.3f}")
        if samples != FULL_EPOCH:
            print(f"extrapolated to {FULL_EPOCH} images: {best * FULL_EPOCH / samples:.3f} s per epoch")


# --- Adam, shared by the CNN and LeNet-style scripts -------------------------
BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8


def adam_state(params):
    """Adam's moments, and one scratch array per parameter (see adam_update)."""
    return {"t": 0,
            "m": {name: np.zeros_like(p) for name, p in params.items()},
            "v": {name: np.zeros_like(p) for name, p in params.items()},
            "scratch": {name: np.empty_like(p) for name, p in params.items()}}


def adam_update(params, grads, adam, learning_rate):
    """Adam in TensorFlow's form: the bias corrections fold into the step size.

    Every pass writes into a scratch array kept per parameter: fresh
    temporaries the size of W_fc1 (6272 x 784) would cost a page fault per
    4 KiB on every step.
    """
    adam["t"] += 1
    t = adam["t"]
    step_size = learning_rate * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)  # a Python float
    for name, p in params.items():
        g, m, v, s = grads[name], adam["m"][name], adam["v"][name], adam["scratch"][name]
        np.multiply(g, 1 - BETA1, out=s)   # m = beta1 m + (1 - beta1) g
        m *= BETA1
        m += s
        np.multiply(g, g, out=s)           # v = beta2 v + (1 - beta2) g^2
        s *= 1 - BETA2
        v *= BETA2
        v += s
        np.sqrt(v, out=s)                  # p -= step_size m / (sqrt(v) + eps)
        s += ADAM_EPS
        np.divide(m, s, out=s)
        s *= step_size
        p -= s
