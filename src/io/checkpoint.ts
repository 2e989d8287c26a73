// Model checkpoints as .safetensors files: the named weights (F32) under their own names, the
// non-trainable state under `state.`, the optimizer's buffers under `optim.`, caller tensors under
// `extra.`, and in __metadata__ what is needed to rebuild the model (format, version, kind, options)
// plus the optimizer's hyperparameters and any JSON the caller adds (training progress, say).
import { TypedData, checkPath, describe } from '../data/common';
import { Network, Weights } from '../network';
import { Optimizer, adam, isOptimizer, momentum } from '../optim';
import { writeFileAtomic } from './atomic';
import { MODEL_BUILDERS, isModelKind } from './registry';
import { SequentialOptions, stackValues } from '../sequential';
import { Tensor, TensorInput, encodeSafetensorsParts, loadSafetensors } from './safetensors';

export const CHECKPOINT_FORMAT = 'gemmnet';
/** Bumped when a checkpoint could no longer be read by older versions. */
export const CHECKPOINT_VERSION = 1;

const STATE = 'state.';
const OPTIM = 'optim.';
const EXTRA = 'extra.';

export interface SaveModelExtra {
  /** Its buffers are stored as `optim.<name>`; its name, hyperparameters and step count in the metadata. */
  optimizer?: Optimizer;
  /** More tensors to keep, stored as `extra.<name>` and returned by readCheckpoint as `extra`. */
  tensors?: Record<string, TensorInput>;
  /** JSON-serializable values (training progress, say), returned by readCheckpoint as `meta`. */
  meta?: Record<string, unknown>;
}

export interface OptimizerCheckpoint {
  name: 'momentum' | 'adam';
  config: Record<string, number>;
  step: number;
  buffers: Record<string, Float32Array>;
}

export interface Checkpoint {
  /** 'mlp', 'cnn' or 'sequential'. */
  kind: string;
  /** The options the model was built with: mlp(options), cnn(options) or sequential(options) rebuilds it. */
  options: Record<string, unknown>;
  weights: Weights;
  /** Non-trainable state as model.getState() names it (batch norm's running averages). */
  state: Record<string, Float32Array>;
  optimizer?: OptimizerCheckpoint;
  extra: Record<string, TypedData>;
  meta: Record<string, unknown>;
  /** Shapes of the weights as stored. */
  shapes: Record<string, number[]>;
  version: number;
}

function json(who: string, what: string, v: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch (e) {
    throw new TypeError(`${who}: ${what} cannot be stored as JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`${who}: ${what} cannot be stored as JSON, got ${describe(v)}`);
  return text;
}

/**
 * Saves a model made by sequential(), mlp() or cnn() (and optionally its optimizer, more tensors and JSON
 * metadata) to path, atomically: path holds the old file or the new one, never a partial write.
 */
export function saveModel(model: Network, path: string, extra: SaveModelExtra = {}): void {
  const who = 'saveModel';
  if (!(model instanceof Network)) throw new TypeError(`${who}: model must be a model made by mlp() or cnn(), or a sequential() stack, got ${describe(model)}`);
  checkPath(who, path);
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
    throw new TypeError(`${who}: extra must be an object { optimizer, tensors, meta }, got ${describe(extra)}`);
  }
  for (const key of Object.keys(extra)) {
    if (!['optimizer', 'tensors', 'meta'].includes(key)) {
      throw new TypeError(`${who}: extra has an unknown option "${key}"; known options: optimizer, tensors, meta`);
    }
  }
  const tensors: Record<string, TensorInput> = Object.create(null);
  const shapes = model.shapes;
  for (const [name, data] of Object.entries(model.getWeights())) tensors[name] = { data, shape: shapes[name] };
  for (const [name, data] of Object.entries(model.getState())) tensors[STATE + name] = data;
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    version: String(CHECKPOINT_VERSION),
    kind: model.kind,
    options: json(who, 'model.options', model.options),
  };
  if (extra.optimizer !== undefined) {
    if (!isOptimizer(extra.optimizer)) throw new TypeError(`${who}: extra.optimizer must be made by momentum() or adam()`);
    const { name, config } = extra.optimizer;
    const { step, buffers } = extra.optimizer.getState();
    for (const [k, v] of Object.entries(buffers)) tensors[OPTIM + k] = v;
    metadata.optimizer = json(who, 'extra.optimizer', { name, config, step });
  }
  if (extra.tensors !== undefined) {
    if (extra.tensors === null || typeof extra.tensors !== 'object' || ArrayBuffer.isView(extra.tensors)) {
      throw new TypeError(`${who}: extra.tensors must be an object of typed arrays by name, got ${describe(extra.tensors)}`);
    }
    for (const [k, v] of Object.entries(extra.tensors)) tensors[EXTRA + k] = v;
  }
  if (extra.meta !== undefined) {
    if (extra.meta === null || typeof extra.meta !== 'object' || Array.isArray(extra.meta)) {
      throw new TypeError(`${who}: extra.meta must be an object, got ${describe(extra.meta)}`);
    }
    metadata.meta = json(who, 'extra.meta', extra.meta);
  }
  const { parts } = encodeSafetensorsParts(tensors, metadata, `${who}: ${path}`);
  writeFileAtomic(who, path, parts);
}

function parseJson(where: string, key: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: __metadata__ '${key}' is not valid JSON (${(e as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where}: __metadata__ '${key}' must be a JSON object`);
  return v as Record<string, unknown>;
}

function float32(where: string, name: string, t: Tensor): Float32Array {
  if (t.dtype !== 'F32') throw new Error(`${where}: tensor '${name}' must be F32, got ${t.dtype}`);
  return t.data as Float32Array;
}

function readCheckpointAs(who: string, path: string): Checkpoint {
  checkPath(who, path);
  const where = `${who}: ${path}`;
  const { tensors, metadata } = loadSafetensors(path, who);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${where}: not a gemmnet checkpoint (its __metadata__ has no format "${CHECKPOINT_FORMAT}")`);
  }
  const version = Number(metadata.version);
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`${where}: invalid checkpoint version ${describe(metadata.version)}`);
  if (version > CHECKPOINT_VERSION) {
    throw new Error(`${where}: checkpoint version ${version} was written by a newer gemmnet (this one reads up to ${CHECKPOINT_VERSION})`);
  }
  const kind = metadata.kind;
  if (!isModelKind(kind)) throw new Error(`${where}: unknown model kind ${describe(kind)}; known kinds: ${Object.keys(MODEL_BUILDERS).join(', ')}`);
  const options = parseJson(where, 'options', metadata.options);
  if (!options) throw new Error(`${where}: __metadata__ has no model options`);
  // No prototypes: the names come from the file, and '__proto__' must stay an ordinary key.
  const out: Checkpoint = {
    kind, options, weights: Object.create(null), state: Object.create(null), extra: Object.create(null),
    meta: parseJson(where, 'meta', metadata.meta) ?? {}, shapes: Object.create(null), version,
  };
  const buffers: Record<string, Float32Array> = Object.create(null);
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith(STATE)) out.state[name.slice(STATE.length)] = float32(where, name, t);
    else if (name.startsWith(OPTIM)) buffers[name.slice(OPTIM.length)] = float32(where, name, t);
    else if (name.startsWith(EXTRA)) out.extra[name.slice(EXTRA.length)] = t.data;
    else {
      out.weights[name] = float32(where, name, t);
      out.shapes[name] = t.shape;
    }
  }
  const opt = parseJson(where, 'optimizer', metadata.optimizer);
  if (opt) {
    const { name, config, step } = opt as { name: unknown; config: unknown; step: unknown };
    if ((name !== 'momentum' && name !== 'adam') || config === null || typeof config !== 'object' ||
      !Number.isSafeInteger(step) || (step as number) < 0) {
      throw new Error(`${where}: __metadata__ 'optimizer' must be { name: "momentum"|"adam", config, step }`);
    }
    out.optimizer = { name, config: config as Record<string, number>, step: step as number, buffers };
  } else if (Object.keys(buffers).length) {
    throw new Error(`${where}: the file holds optimizer tensors (${Object.keys(buffers).join(', ')}) but no 'optimizer' metadata`);
  }
  return out;
}

/** Reads a checkpoint written by saveModel without building the model (e.g. to resume training). */
export function readCheckpoint(path: string): Checkpoint {
  return readCheckpointAs('readCheckpoint', path);
}

/**
 * The values (trainable, and non-trainable state) a model's stored options need, counted without
 * building it; undefined when the options are malformed (the builder then names what is wrong).
 */
function claimedValues(kind: unknown, options: Record<string, unknown>): { parameters: number; state: number } | undefined {
  const int = (v: unknown, d: number) => (v === undefined ? d : typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : NaN);
  let n: number;
  if (kind === 'mlp') {
    const h = options.hidden;
    const sizes = [int(options.inputs, 784), ...(Array.isArray(h) ? h.map((v) => int(v, NaN)) : [int(h, 1000)]), int(options.classes, 10)];
    n = 0;
    for (let i = 1; i < sizes.length; i++) n += sizes[i - 1] * sizes[i] + sizes[i];
  } else if (kind === 'cnn') {
    const [H, W, C, F, k, fc, classes] = [int(options.height, 28), int(options.width, 28), int(options.channels, 1),
      int(options.filters, 32), int(options.kernel, 3), int(options.fc, 784), int(options.classes, 10)];
    n = k * k * C * F + F + Math.floor(H / 2) * Math.floor(W / 2) * F * fc + fc + fc * classes + classes;
  } else if (kind === 'sequential') {
    // The stack's own shape walk, which allocates nothing.
    try {
      return stackValues(options as unknown as SequentialOptions);
    } catch {
      return undefined;
    }
  } else {
    return undefined;
  }
  return Number.isFinite(n) ? { parameters: n, state: 0 } : undefined;
}

/**
 * Builds the model a checkpoint describes and puts its weights and state back exactly. Every weight
 * and state tensor the model has must be present, with its shape, and nothing else.
 */
export function modelFromCheckpoint(checkpoint: Checkpoint, where = 'modelFromCheckpoint'): Network {
  const c = checkpoint;
  let model: Network;
  // Sizes first: a small file whose options claim a large model is refused before it is built.
  // A small model is cheap to build, and the checks after building name the tensor that is wrong.
  const stored = Object.values(c.weights).reduce((n, w) => n + w.length, 0);
  const storedState = Object.values(c.state).reduce((n, w) => n + w.length, 0);
  const claimed = claimedValues(c.kind, c.options);
  if (claimed !== undefined && claimed.parameters > stored && claimed.parameters > 1 << 20) {
    throw new Error(`${where}: its ${c.kind} options need ${claimed.parameters} weight values but the file holds ${stored}; ` +
      'the file is truncated or its metadata does not match its tensors');
  }
  if (claimed !== undefined && claimed.state > storedState && claimed.state > 1 << 20) {
    throw new Error(`${where}: its ${c.kind} options need ${claimed.state} values of batch-norm state but the file holds ` +
      `${storedState}; the file is truncated or its metadata does not match its tensors`);
  }
  try {
    if (!isModelKind(c.kind)) throw new Error(`unknown model kind ${describe(c.kind)}`);
    model = MODEL_BUILDERS[c.kind](c.options);
  } catch (e) {
    const Ctor = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
    throw new Ctor(`${where}: the stored ${c.kind} options are invalid: ${(e as Error).message}`, { cause: e });
  }
  const shapes = model.shapes;
  for (const name of Object.keys(c.weights)) {
    if (!(name in shapes)) throw new Error(`${where}: unexpected weight '${name}'; a ${c.kind} has ${Object.keys(shapes).join(', ')}`);
  }
  for (const [name, shape] of Object.entries(shapes)) {
    if (!(name in c.weights)) throw new Error(`${where}: weight '${name}' is missing`);
    const stored = c.shapes[name] ?? [c.weights[name].length];
    if (stored.join(',') !== shape.join(',')) {
      throw new Error(`${where}: weight '${name}' has shape [${stored}], the model expects [${shape}]`);
    }
  }
  const own = model.getState();
  for (const name of Object.keys(c.state)) {
    if (!(name in own)) throw new Error(`${where}: unexpected state '${name}'`);
  }
  for (const [name, v] of Object.entries(own)) {
    const stored = c.state[name];
    if (!stored) throw new Error(`${where}: state '${name}' is missing`);
    if (stored.length !== v.length) throw new Error(`${where}: state '${name}' has ${stored.length} values, the model expects ${v.length}`);
  }
  model.setWeights(c.weights);
  model.setState(c.state);
  return model;
}

/** Loads a model saved by saveModel: the same kind, options, weights and state, bit for bit. */
export function loadModel(path: string): Network {
  return modelFromCheckpoint(readCheckpointAs('loadModel', path), `loadModel: ${path}`);
}

/** A fresh optimizer of the checkpoint's kind, hyperparameters, step count and buffers. */
export function optimizerFromCheckpoint(checkpoint: Checkpoint): Optimizer {
  const o = checkpoint.optimizer;
  if (!o) throw new Error('optimizerFromCheckpoint: the checkpoint holds no optimizer');
  const opt = o.name === 'adam' ? adam(o.config) : momentum(o.config);
  opt.setState({ step: o.step, buffers: o.buffers });
  return opt;
}
