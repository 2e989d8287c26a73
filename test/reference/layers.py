"""Float64 reference layers for gemmnet's gradient tests.

Each layer's forward sits next to its backward. The forward returns its output
and whatever the backward needs; the backward returns gradients. Everything is
plain NumPy, written for clarity rather than speed, and deliberately done a
different way from the native kernels (direct sums over kernel offsets instead
of im2col, the textbook step-by-step batch-norm backward) so that a shared
mistake is unlikely.

Shapes follow gemmnet: batch-major, images NHWC, conv weights HWIO.
"""

import numpy as np


# --- dense ------------------------------------------------------------------

def dense_forward(x, W, b):
    # x (N, I), W (I, O), b (O) -> (N, O)
    return x @ W + b


def dense_backward(dout, x, W):
    # dout (N, O) -> dx (N, I), dW (I, O), db (O)
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


# --- ReLU -------------------------------------------------------------------

def relu_forward(a):
    return np.maximum(a, 0.0)


def relu_backward(dout, a):
    # The derivative at exactly 0 is taken as 0, as TensorFlow does.
    return dout * (a > 0)


# --- softmax cross-entropy --------------------------------------------------

def softmax_cross_entropy(z, labels):
    """Mean over the batch of -log softmax(z)[label], and its gradient.

    z (N, C), labels (N) ints -> (loss, dz (N, C))
    """
    n = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)  # exp cannot overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, labels].mean()
    dz = np.exp(log_probs)
    dz[rows, labels] -= 1.0
    return loss, dz / n


# --- convolution, stride 1, TensorFlow SAME padding -------------------------

def same_padding(k):
    """(before, after) padding for SAME with stride 1: the odd pixel goes after."""
    total = k - 1
    return total // 2, total - total // 2


def conv2d_same_forward(x, W, b):
    """x (N, H, W, Cin), W (kh, kw, Cin, F), b (F) -> out (N, H, W, F), padded x.

    out[n, i, j, :] = b + sum over (di, dj) of xp[n, i+di, j+dj, :] @ W[di, dj]
    where xp is x zero-padded as TensorFlow's SAME does.
    """
    n, h, w, _ = x.shape
    kh, kw, _, f = W.shape
    (top, bottom), (left, right) = same_padding(kh), same_padding(kw)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out = np.broadcast_to(b, (n, h, w, f)).copy()
    for di in range(kh):
        for dj in range(kw):
            out += xp[:, di:di + h, dj:dj + w, :] @ W[di, dj]
    return out, xp


def conv2d_same_backward(dout, xp, W):
    """dout (N, H, W, F), padded input xp -> dW (kh, kw, Cin, F), db (F).

    The input gradient is not computed: in gemmnet's CNN the conv reads the
    images themselves, which have no gradient.
    """
    n, h, w, f = dout.shape
    kh, kw, cin, _ = W.shape
    dout_rows = dout.reshape(n * h * w, f)
    dW = np.zeros_like(W)
    for di in range(kh):
        for dj in range(kw):
            patch = xp[:, di:di + h, dj:dj + w, :].reshape(n * h * w, cin)
            dW[di, dj] = patch.T @ dout_rows
    return dW, dout_rows.sum(axis=0)


# --- batch norm without scale or shift, training mode -----------------------

def batch_norm_forward(h, axes, eps):
    """y = (h - mean) / sqrt(var + eps), statistics over `axes` of this batch.

    The variance is the biased one (divide by the count), as tf.nn.moments.
    Returns y and the cache for the backward.
    """
    mean = h.mean(axis=axes, keepdims=True)
    centered = h - mean
    var = (centered ** 2).mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centered * inv_std, (centered, var, inv_std)


def batch_norm_backward(dy, cache, axes):
    """Full backward: through y itself, the variance and the mean.

    With m values per statistic, c = h - mean, s = var + eps:
      dvar  = sum(dy * c) * (-1/2) * s^(-3/2)
      dmean = -sum(dy) / sqrt(s) + dvar * sum(-2 c) / m   (the last sum is 0,
                                                          kept for the record)
      dh    = dy / sqrt(s) + dvar * 2 c / m + dmean / m
    """
    centered, var, inv_std = cache
    m = dy.size // inv_std.size
    dvar = (dy * centered).sum(axis=axes, keepdims=True) * -0.5 * inv_std ** 3
    dmean = (-(dy * inv_std).sum(axis=axes, keepdims=True)
             + dvar * (-2.0 * centered).sum(axis=axes, keepdims=True) / m)
    return dy * inv_std + dvar * 2.0 * centered / m + dmean / m


# --- 2x2 max pool, stride 2, VALID ------------------------------------------

def max_pool_2x2_forward(y):
    """y (N, H, W, C) -> out (N, H//2, W//2, C) and the winner of each window.

    A trailing odd row or column is dropped (VALID). Windows are read in
    row-major order (top-left, top-right, bottom-left, bottom-right) and
    argmax keeps the first maximum, so ties go where TensorFlow sends them.
    """
    n, h, w, c = y.shape
    ho, wo = h // 2, w // 2
    windows = (y[:, :2 * ho, :2 * wo, :]
               .reshape(n, ho, 2, wo, 2, c)
               .transpose(0, 1, 3, 5, 2, 4)
               .reshape(n, ho, wo, c, 4))
    winner = windows.argmax(axis=-1)
    out = np.take_along_axis(windows, winner[..., None], axis=-1)[..., 0]
    return out, winner


def max_pool_2x2_backward(dout, winner, y_shape):
    """dout (N, H//2, W//2, C) -> dy (N, H, W, C), all of it to each winner."""
    n, ho, wo, c = dout.shape
    dwindows = (np.arange(4) == winner[..., None]) * dout[..., None]
    dy = np.zeros(y_shape)
    dy[:, :2 * ho, :2 * wo, :] = (dwindows
                                  .reshape(n, ho, wo, c, 2, 2)
                                  .transpose(0, 1, 4, 2, 5, 3)
                                  .reshape(n, 2 * ho, 2 * wo, c))
    return dy
