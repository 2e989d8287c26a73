// The course's CNN as a preset stack: conv 3x3 (SAME) + bias -> ReLU -> batch norm -> 2x2 max pool -> flatten ->
// FC -> dropout -> ReLU -> FC -> softmax cross-entropy, with optional L2 on the three weight tensors.
import { convOutput } from './layers/conv2d';
import { BatchNormMode } from './layers/batch-norm';
import { layers } from './layers/specs';
import { adam } from './optim';
import { Sequential } from './sequential';
import * as check from './validate';

export interface BatchNormOptions {
  /** 'channel' (default): each channel over batch, height and width. 'batch': each activation over
   * the batch axis only, as the course's tf.nn.moments(h, axes=[0]). */
  mode?: BatchNormMode;
  /** Added to the variance (default 1e-9, the course's). */
  eps?: number;
  /** Running-average momentum used for evaluation statistics (default 0.99). */
  momentum?: number;
  /** Statistics at evaluation: 'running' (default, averages kept during training) or 'batch' (the
   * course's behaviour: each evaluation chunk normalized by its own statistics). */
  evaluation?: 'running' | 'batch';
}

export interface CnnOptions {
  /** Input height, width and channels (default 28 x 28 x 1). */
  height?: number;
  width?: number;
  channels?: number;
  /** Convolution filters (default 32) and kernel size (default 3). */
  filters?: number;
  kernel?: number;
  /** Units of the first fully connected layer (default 784). */
  fc?: number;
  classes?: number;
  /** Dropout keep probability after the first FC layer (default 1: no dropout). */
  keepProb?: number;
  /** L2 weight decay: adds l2 * sum(W^2) / 2 over W_conv, W_fc1, W_fc2 (default 0). */
  l2?: number;
  batchNorm?: BatchNormOptions;
  /** Seed of the initialization and of the dropout masks (default 521). */
  seed?: number;
}

const KEYS = ['height', 'width', 'channels', 'filters', 'kernel', 'fc', 'classes', 'keepProb', 'l2', 'batchNorm', 'seed'] as const;
const BN_KEYS = ['mode', 'eps', 'momentum', 'evaluation'] as const;

export interface NormalizedCnnOptions {
  height: number; width: number; channels: number; filters: number; kernel: number; fc: number;
  classes: number; keepProb: number; l2: number; seed: number;
  batchNorm: Required<BatchNormOptions>;
}

function normalize(options: CnnOptions): NormalizedCnnOptions {
  const o = check.object('cnn options', options);
  check.knownKeys('cnn options', o, KEYS);
  const bn = check.object('batchNorm', o.batchNorm ?? {});
  check.knownKeys('batchNorm', bn, BN_KEYS);
  return {
    height: check.integer('height', o.height ?? 28, 1, 4096),
    width: check.integer('width', o.width ?? 28, 1, 4096),
    channels: check.integer('channels', o.channels ?? 1, 1, 4096),
    filters: check.integer('filters', o.filters ?? 32, 1, 4096),
    kernel: check.integer('kernel', o.kernel ?? 3, 1, 64),
    fc: check.integer('fc', o.fc ?? 784, 1, 1 << 16),
    classes: check.integer('classes', o.classes ?? 10, 2, 1 << 16),
    // Kept units are scaled by 1/keepProb, which must stay a sane float32.
    keepProb: check.finite('keepProb', o.keepProb ?? 1, { min: 1e-6, max: 1 }),
    l2: check.finite('l2', o.l2 ?? 0, { min: 0 }),
    seed: check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1),
    batchNorm: {
      mode: check.oneOf('batchNorm.mode', bn.mode ?? 'channel', ['channel', 'batch'] as const),
      eps: check.positiveFloat32('batchNorm.eps', bn.eps ?? 1e-9),
      momentum: check.finite('batchNorm.momentum', bn.momentum ?? 0.99, { min: 0, max: 1 }),
      evaluation: check.oneOf('batchNorm.evaluation', bn.evaluation ?? 'running', ['running', 'batch'] as const),
    },
  };
}

export class CNN extends Sequential {
  declare readonly options: Readonly<NormalizedCnnOptions>;

  constructor(options: CnnOptions = {}) {
    const o = normalize(options);
    // Counted before anything is allocated: each factor is capped, their products are not.
    const convWeights = o.kernel * o.kernel * o.channels * o.filters;
    const fcWeights = Math.floor(o.height / 2) * Math.floor(o.width / 2) * o.filters * o.fc + o.fc * o.classes;
    if (convWeights + fcWeights > 2 ** 30) {
      throw new RangeError(`cnn: these options need ${convWeights + fcWeights} weights (W_conv ${o.kernel}x${o.kernel}x${o.channels}x${o.filters} ` +
        `= ${convWeights}, the dense layers ${fcWeights}), more than 2^30; use fewer filters or channels, a smaller kernel or fc`);
    }
    const { OH, OW } = convOutput({
      H: o.height, W: o.width, C: o.channels, KH: o.kernel, KW: o.kernel, F: o.filters, stride: 1, padding: 'same',
    });
    if (OH < 2 || OW < 2) throw new RangeError('cnn: the input is too small for 2x2 max pooling');
    const pooled = Math.floor(OH / 2) * Math.floor(OW / 2) * o.filters;
    if (pooled * o.fc > 2 ** 30) throw new RangeError(`cnn: W_fc1 would need ${pooled * o.fc} weights; use a smaller fc`);
    const bn = o.batchNorm;
    super({
      input: [o.height, o.width, o.channels],
      layers: [
        layers.conv2d({ filters: o.filters, kernel: o.kernel, stride: 1, padding: 'same' }),
        layers.relu(),
        layers.batchNorm({ mode: bn.mode === 'batch' ? 'activation' : 'channel', eps: bn.eps, momentum: bn.momentum }),
        layers.maxPool2d({ size: 2 }),
        layers.flatten(),
        layers.dense({ units: o.fc }),
        layers.dropout({ keepProb: o.keepProb }),
        layers.relu(),
        layers.dense({ units: o.classes }),
      ],
      l2: o.l2,
      seed: o.seed,
    }, {
      kind: 'cnn',
      options: deepFreeze(o),
      // The course's: minibatches of 32, Adam at 1e-4; 200 rows per evaluation pass (a row's
      // activations are 30 times an MLP's, and a pass should not hold the event loop for long).
      defaults: { batchSize: 32, evalBatchSize: 200, optimizer: () => adam() },
      names: [['W_conv', 'b_conv'], , , , , ['W_fc1', 'b_fc1'], , , ['W_fc2', 'b_fc2']],
      stateByIndex: true,
      batchStatsInEval: bn.evaluation === 'batch',
    });
  }
}

function deepFreeze(o: NormalizedCnnOptions): Readonly<NormalizedCnnOptions> {
  Object.freeze(o.batchNorm);
  return Object.freeze(o);
}

/** Builds the course's CNN (see CnnOptions for the defaults). */
export function cnn(options: CnnOptions = {}): CNN {
  return new CNN(options);
}
