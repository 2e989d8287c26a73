// The forward pass the demo page runs in the browser, over the same layer descriptions the ONNX
// exporter encodes. Each function is self-contained (no imports, no outside names) because the page
// embeds its source text; the tests run the very same functions in Node against model.predict.
import type { NetworkSpec } from '../export/specs';

/** Softmax probabilities, n * classes, for n samples of x (NHWC images or feature rows). */
export function forwardNetwork(spec: NetworkSpec, x: Float32Array, n: number): Float32Array {
  function windowOutput(inp: number, k: number, stride: number, padding: string): { out: number; before: number } {
    const out = padding === 'same' ? Math.ceil(inp / stride) : Math.floor((inp - k) / stride) + 1;
    const total = padding === 'same' ? Math.max((out - 1) * stride + k - inp, 0) : 0;
    return { out, before: Math.floor(total / 2) };
  }
  let h = x;
  let shape = spec.input.slice();
  for (const layer of spec.layers) {
    const size = shape.reduce((a, b) => a * b, 1);
    switch (layer.type) {
      case 'dense': {
        // x (N,I) W (I,O) b (O) -> (N,O)
        const O = layer.units;
        const y = new Float32Array(n * O);
        const acc = new Float64Array(O);
        for (let s = 0; s < n; s++) {
          acc.set(layer.b);
          for (let i = 0; i < size; i++) {
            const v = h[s * size + i];
            if (v === 0) continue;
            const row = i * O;
            for (let o = 0; o < O; o++) acc[o] += v * layer.W[row + o];
          }
          y.set(acc, s * O);
        }
        h = y;
        shape = [O];
        break;
      }
      case 'conv2d': {
        // x (N,H,W,C) W (KH,KW,C,F) b (F) -> (N,OH,OW,F)
        const [H, W, C] = shape;
        const [KH, KW] = layer.kernel;
        const F = layer.filters;
        const r = windowOutput(H, KH, layer.stride, layer.padding);
        const c = windowOutput(W, KW, layer.stride, layer.padding);
        const y = new Float32Array(n * r.out * c.out * F);
        const acc = new Float64Array(F);
        for (let s = 0; s < n; s++) for (let oy = 0; oy < r.out; oy++) for (let ox = 0; ox < c.out; ox++) {
          acc.set(layer.b);
          for (let ky = 0; ky < KH; ky++) {
            const iy = oy * layer.stride + ky - r.before;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ox * layer.stride + kx - c.before;
              if (ix < 0 || ix >= W) continue;
              for (let ci = 0; ci < C; ci++) {
                const v = h[((s * H + iy) * W + ix) * C + ci];
                const wRow = ((ky * KW + kx) * C + ci) * F;
                for (let f = 0; f < F; f++) acc[f] += v * layer.W[wRow + f];
              }
            }
          }
          y.set(acc, ((s * r.out + oy) * c.out + ox) * F);
        }
        h = y;
        shape = [r.out, c.out, F];
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const [H, W, C] = shape;
        const r = windowOutput(H, layer.size, layer.stride, layer.padding);
        const c = windowOutput(W, layer.size, layer.stride, layer.padding);
        const max = layer.type === 'maxPool2d';
        const y = new Float32Array(n * r.out * c.out * C);
        for (let s = 0; s < n; s++) for (let oy = 0; oy < r.out; oy++) for (let ox = 0; ox < c.out; ox++) {
          for (let ci = 0; ci < C; ci++) {
            // Padding never wins a max and is left out of a mean (TensorFlow's 'SAME').
            let best = -Infinity;
            let sum = 0;
            let count = 0;
            for (let ky = 0; ky < layer.size; ky++) {
              const iy = oy * layer.stride + ky - r.before;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < layer.size; kx++) {
                const ix = ox * layer.stride + kx - c.before;
                if (ix < 0 || ix >= W) continue;
                const v = h[((s * H + iy) * W + ix) * C + ci];
                if (v > best) best = v;
                sum += v;
                count++;
              }
            }
            y[((s * r.out + oy) * c.out + ox) * C + ci] = max ? best : sum / count;
          }
        }
        h = y;
        shape = [r.out, c.out, C];
        break;
      }
      case 'batchNorm': {
        // Per channel or per activation: in NHWC order both are index % K.
        const K = layer.mean.length;
        const scale = new Float64Array(K);
        const shift = new Float64Array(K);
        for (let k = 0; k < K; k++) {
          scale[k] = (layer.gamma ? layer.gamma[k] : 1) / Math.sqrt(layer.variance[k] + layer.eps);
          shift[k] = (layer.beta ? layer.beta[k] : 0) - layer.mean[k] * scale[k];
        }
        const y = new Float32Array(h.length);
        for (let i = 0; i < h.length; i++) y[i] = h[i] * scale[i % K] + shift[i % K];
        h = y;
        break;
      }
      case 'relu': h = h.map((v) => (v > 0 ? v : 0)); break;
      case 'leakyRelu': { const a = layer.alpha; h = h.map((v) => (v > 0 ? v : a * v)); break; }
      case 'tanh': h = h.map(Math.tanh); break;
      case 'sigmoid': h = h.map((v) => 1 / (1 + Math.exp(-v))); break;
      case 'flatten': shape = [size]; break;
      case 'dropout': break;
      default: throw new Error(`no forward pass for a ${(layer as { type: string }).type} layer`);
    }
  }
  const K = shape.reduce((a, b) => a * b, 1);
  const p = new Float32Array(n * K);
  for (let s = 0; s < n; s++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, h[s * K + k]);
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(h[s * K + k] - m);
    for (let k = 0; k < K; k++) p[s * K + k] = Math.exp(h[s * K + k] - m) / z;
  }
  return p;
}

/**
 * A drawing as MNIST's digits were made: the ink's bounding box scaled (keeping its aspect ratio,
 * averaging the pixels it covers) to fit 20 x 20, then placed in 28 x 28 so that its centre of mass
 * is the centre. ink: width * height values, 0 (background) to 1 (full stroke). Returns 784 values in
 * [0, 1], white on black; all zeros when nothing is drawn.
 */
export function centerDigit(ink: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(28 * 28);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (ink[y * width + x] > 0.05) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Area averaging: each target pixel is the mean of the source pixels that fall in it.
  const sum = new Float64Array(tw * th);
  const count = new Float64Array(tw * th);
  for (let y = y0; y <= y1; y++) {
    const ty = Math.min(th - 1, Math.floor((y - y0) * th / bh));
    for (let x = x0; x <= x1; x++) {
      const tx = Math.min(tw - 1, Math.floor((x - x0) * tw / bw));
      sum[ty * tw + tx] += ink[y * width + x];
      count[ty * tw + tx] += 1;
    }
  }
  let mass = 0, mx = 0, my = 0, peak = 0;
  const small = new Float64Array(tw * th);
  for (let i = 0; i < small.length; i++) {
    small[i] = count[i] ? sum[i] / count[i] : 0;
    peak = Math.max(peak, small[i]);
  }
  for (let ty = 0; ty < th; ty++) for (let tx = 0; tx < tw; tx++) {
    const v = small[ty * tw + tx];
    mass += v;
    mx += v * (tx + 0.5);
    my += v * (ty + 0.5);
  }
  const ox = Math.round(14 - mx / mass);
  const oy = Math.round(14 - my / mass);
  for (let ty = 0; ty < th; ty++) for (let tx = 0; tx < tw; tx++) {
    const X = tx + ox;
    const Y = ty + oy;
    if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[ty * tw + tx] / peak);
  }
  return out;
}
