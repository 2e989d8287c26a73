'use strict';
// Hostile calls of the API: models, layers, inputs, labels, training options, optimizers, weights,
// the course's helpers and the data functions, with wrong types, NaN, huge sizes, detached and
// shared buffers and unknown options. Each is refused with a message naming the argument, or
// returns a result its check verifies.
const { refuse, ok, either } = require('./kinds');

const show = (v) => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const keyRe = (k) => new RegExp(k.replace(/[.[\]]/g, (c) => `\\${c}`));
const finiteAll = (a) => a.every((v) => Number.isFinite(v));
const sameArray = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function detached(Type, n) {
  const a = new Type(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

function shared(Type, values) {
  const a = new Type(new SharedArrayBuffer(values.length * Type.BYTES_PER_ELEMENT));
  a.set(values);
  return a;
}

function modelCases() {
  const out = [];
  const sizes = [0, NaN, '8', null];
  for (const key of ['inputs', 'hidden', 'classes']) {
    for (const v of sizes) out.push(refuse('api', `mlp({ ${key}: ${show(v)} })`, (c) => c.g.mlp({ [key]: v }), keyRe(key)));
  }
  for (const v of [[8, 0], [8, 'x'], [2 ** 20, 2 ** 20]]) out.push(refuse('api', `mlp({ hidden: ${show(v)} })`, (c) => c.g.mlp({ hidden: v }), /hidden|2\^30/));
  for (const v of [-1, 2 ** 32]) out.push(refuse('api', `mlp({ seed: ${show(v)} })`, (c) => c.g.mlp({ seed: v }), /seed/));
  out.push(refuse('api', 'mlp({ classes: 1 })', (c) => c.g.mlp({ classes: 1 }), /classes/));
  out.push(refuse('api', 'mlp({ hiden: 100 })', (c) => c.g.mlp({ hiden: 100 }), /hiden/));
  out.push(refuse('api', 'mlp("big")', (c) => c.g.mlp('big'), /mlp options/));
  out.push(ok('api', 'mlp({ hidden: [] }) is a linear model', (c) => c.g.mlp({ inputs: 4, hidden: [], classes: 3 }),
    (m) => (m.parameterCount === 15 && Object.keys(m.shapes).join() === 'W_o,b_o') || `${m.parameterCount} ${Object.keys(m.shapes)}`));

  for (const key of ['filters', 'kernel', 'fc', 'classes', 'height', 'channels']) {
    for (const v of key === 'fc' ? [0, 2.5, '3'] : [0, '3']) out.push(refuse('api', `cnn({ ${key}: ${show(v)} })`, (c) => c.g.cnn({ [key]: v }), keyRe(key)));
  }
  for (const v of [0, '0.5']) out.push(refuse('api', `cnn({ keepProb: ${show(v)} })`, (c) => c.g.cnn({ keepProb: v }), /keepProb/));
  for (const v of [-1, '0.1']) out.push(refuse('api', `cnn({ l2: ${show(v)} })`, (c) => c.g.cnn({ l2: v }), /l2/));
  for (const bn of [{ mode: 'layer' }, { eps: 1e-50 }, { momentum: 1.5 }, { typo: 1 }]) {
    out.push(refuse('api', `cnn({ batchNorm: ${show(bn)} })`, (c) => c.g.cnn({ batchNorm: bn }), /batchNorm|typo/));
  }
  out.push(refuse('api', 'cnn({ batchNorm: "channel" })', (c) => c.g.cnn({ batchNorm: 'channel' }), /batchNorm/));
  out.push(refuse('api', 'cnn({ height: 4096, width: 4096, fc: 1 }): 2^29 activations per sample',
    (c) => c.g.cnn({ height: 4096, width: 4096, fc: 1 }), /2\^26|activations|values per sample/));
  out.push(refuse('api', 'cnn({ height: 4096, width: 4096, fc: 1, batchNorm: { mode: "batch" } })',
    (c) => c.g.cnn({ height: 4096, width: 4096, fc: 1, batchNorm: { mode: 'batch' } }), /2\^26|values per sample/));
  out.push(refuse('api', 'cnn({ height: 1, width: 1 })', (c) => c.g.cnn({ height: 1, width: 1 }), /too small/));
  out.push(ok('api', 'cnn({ kernel: 9, height: 4, width: 4 }) predicts finite probabilities',
    (c) => c.g.cnn({ kernel: 9, height: 4, width: 4, filters: 2, fc: 3 }).predict(c.rand(32)),
    (p) => (p.length === 20 && finiteAll(p)) || 'not finite'));
  return out;
}

function stackCases() {
  const out = [];
  const L = (c) => c.g.layers;
  const seq = (c, input, layers) => c.g.sequential({ input, layers });
  const head = (c) => [L(c).flatten(), L(c).dense({ units: 2 })];
  for (const input of [[], [1.5], [28, 28], ['28'], [2 ** 25], [4096, 4096, 8]]) {
    out.push(refuse('api', `sequential({ input: ${show(input)} })`, (c) => seq(c, input, head(c)), /input/));
  }
  for (const [what, layers] of [['[]', []], ['"dense"', 'dense'], ['[null]', [null]], ['[{}]', [{}]], ['[{ type: "dense" }]', [{ type: 'dense' }]],
    ['[{ type: "foo" }]', [{ type: 'foo' }]], ['[{ type: "dense", units: 2, extra: 1 }]', [{ type: 'dense', units: 2, extra: 1 }]],
    ['[{ type: "dense", units: 2, name: "1bad" }]', [{ type: 'dense', units: 2, name: '1bad' }]],
    ['two layers named x', [{ type: 'dense', units: 3, name: 'x' }, { type: 'dense', units: 2, name: 'x' }]],
    ['[{ type: "dense", units: 2, name: "__proto__" }]', [{ type: 'dense', units: 2, name: '__proto__' }]]]) {
    const expectOk = what.includes('__proto__');
    out.push(expectOk
      ? either('api', `sequential({ input: [4], layers: ${what} })`, (c) => seq(c, [4], layers),
        (m) => (m.parameterCount === 10 && Object.keys(m.getWeights()).includes('__proto__.W')) || 'weights lost')
      : refuse('api', `sequential({ input: [4], layers: ${what} })`, (c) => seq(c, [4], layers), /layers|type|units|name|extra/));
  }
  const layerBad = [
    ['dense', 'units', [0, 2 ** 21]],
    ['conv2d', 'filters', [0, 4097]],
    ['conv2d', 'kernel', [65, [3], [0, 3]]],
    ['conv2d', 'stride', [0, 1.5]],
    ['conv2d', 'padding', ['full', 1]],
    ['maxPool2d', 'size', [0, 'x']],
    ['avgPool2d', 'stride', [0]],
    ['batchNorm', 'eps', [0, NaN, 1e-50]],
    ['batchNorm', 'momentum', [1.1]],
    ['batchNorm', 'mode', ['x']],
    ['batchNorm', 'affine', ['true']],
    ['batchNorm', 'evaluation', ['x']],
    ['dropout', 'keepProb', [0, 1e-7]],
    ['leakyRelu', 'alpha', [-1]],
  ];
  for (const [type, key, values] of layerBad) {
    for (const v of values) {
      const base = type === 'conv2d' ? { filters: 2 } : type === 'dense' ? { units: 2 } : type === 'dropout' ? { keepProb: 0.5 } : {};
      const c = refuse('api', `layers.${type}({ ${key}: ${show(v)} })`, (c) => c.g.layers[type]({ ...base, [key]: v }), keyRe(key));
      // Refused by sequential() (the case after the next loop), not yet by the layer's own constructor.
      out.push(c);
    }
  }
  // The same values reaching sequential() as plain objects (as from a JSON file).
  for (const [type, key, v] of [['batchNorm', 'eps', 1e-50], ['dense', 'units', 2 ** 21], ['conv2d', 'kernel', [0, 3]], ['dropout', 'keepProb', 0]]) {
    const spec = { type, [key]: v, ...(type === 'conv2d' ? { filters: 2 } : {}) };
    const input = type === 'conv2d' ? [4, 4, 1] : [4];
    out.push(refuse('api', `sequential() with the plain layer ${show(spec)}`, (c) => seq(c, input, [spec, ...head(c)]), keyRe(key)));
  }
  out.push(refuse('api', 'dense on an image input', (c) => seq(c, [4, 4, 1], [L(c).dense({ units: 2 })]), /flatten/));
  out.push(refuse('api', 'conv2d on a vector', (c) => seq(c, [16], [L(c).conv2d({ filters: 2 }), ...head(c)]), /image input/));
  out.push(refuse('api', 'a pool window larger than its input', (c) => seq(c, [2, 2, 1], [L(c).maxPool2d({ size: 3 }), ...head(c)]), /window is larger/));
  out.push(refuse('api', 'a valid conv kernel larger than its input', (c) => seq(c, [2, 2, 1], [L(c).conv2d({ filters: 1, kernel: 3, padding: 'valid' }), ...head(c)]), /kernel is larger/));
  out.push(refuse('api', 'a stack ending in one unit', (c) => seq(c, [4], [L(c).dense({ units: 1 })]), /at least two/));
  out.push(refuse('api', 'a stack ending in an image', (c) => seq(c, [4, 4, 1], [L(c).conv2d({ filters: 2 })]), /flatten/));
  out.push(refuse('api', 'a stack past 2^30 weights', (c) => seq(c, [2 ** 20], [L(c).dense({ units: 2 ** 11 }), L(c).dense({ units: 2 })]), /2\^30/));
  out.push(refuse('api', 'a stack past 2^26 activations per sample', (c) => seq(c, [2048, 2048, 1], [L(c).conv2d({ filters: 64 }), L(c).maxPool2d({ size: 2048 }), ...head(c)]), /2\^26/));
  out.push(refuse('api', 'sequential({ input: [4], layers, l2: -1 })', (c) => c.g.sequential({ input: [4], layers: [L(c).dense({ units: 2 })], l2: -1 }), /l2/));
  out.push(refuse('api', 'sequential({ input: [4], layers, seed: 2**32 })', (c) => c.g.sequential({ input: [4], layers: [L(c).dense({ units: 2 })], seed: 2 ** 32 }), /seed/));
  out.push(refuse('api', 'sequential({ ..., typo: 1 })', (c) => c.g.sequential({ input: [4], layers: [L(c).dense({ units: 2 })], typo: 1 }), /typo/));
  out.push(ok('api', 'a stack ending in a ReLU gives that many classes', (c) => seq(c, [4], [L(c).dense({ units: 3 }), L(c).relu()]),
    (m) => m.classes === 3 || `${m.classes} classes`));
  out.push(ok('api', 'a batch norm on a constant column predicts finite probabilities', (c) => {
    const m = seq(c, [3], [L(c).batchNorm({ mode: 'activation', eps: 1e-30 }), L(c).dense({ units: 2 })]);
    return c.g.train(m, { x: new Float32Array(24).fill(1), y: new Int32Array(8).map((_, i) => i % 2) }, { epochs: 1, batchSize: 4 })
      .then(() => m.predict(new Float32Array(6).fill(1)));
  }, (p) => finiteAll(p) || `predictions ${Array.from(p)}`));
  return out;
}

function inputCases() {
  const out = [];
  const X = [
    ['a Float64Array', () => new Float64Array(8)],
    ['an Array', () => Array.from({ length: 8 }, () => 0.5)],
    ['null', () => null],
    ['7 values (not whole rows)', () => new Float32Array(7)],
    ['no values', () => new Float32Array(0)],
    ['a detached Float32Array', () => detached(Float32Array, 8)],
  ];
  const fns = {
    predict: (m, x) => m.predict(x),
    evaluate: (m, x) => m.evaluate(x, new Int32Array([0, 1])),
    lossAndGradients: (m, x) => m.lossAndGradients(x, new Int32Array([0, 1])),
  };
  for (const [fn, call] of Object.entries(fns)) {
    for (const [what, make] of fn === 'predict' ? X : X.filter((_, i) => i % 2 === 0)) out.push(refuse('api', `${fn}(x: ${what})`, (c) => call(c.tinyMlp(), make()), /\bx\b|input/));
    out.push(ok('api', `${fn}(x in a SharedArrayBuffer) equals the unshared result`, (c) => {
      const m = c.tinyMlp();
      const x = c.rand(8);
      return [call(m, shared(Float32Array, x)), call(m, x)];
    }, ([a, b]) => JSON.stringify(a) === JSON.stringify(b) || 'differs'));
    out.push(ok('api', `${fn}(x a subarray at an odd offset) equals a copy`, (c) => {
      const m = c.tinyMlp();
      const big = c.rand(9);
      return [call(m, big.subarray(1)), call(m, big.slice(1))];
    }, ([a, b]) => JSON.stringify(a) === JSON.stringify(b) || 'differs'));
    for (const bad of [NaN, -Infinity]) {
      // A non-finite input is refused, or its sample's outputs are not finite either: never a
      // confident-looking answer computed from NaN.
      out.push(either('api', `${fn}(x holding ${bad})`, (c) => { const x = c.rand(8); x[5] = bad; return call(c.tinyMlp(), x); },
        (r) => (fn === 'predict' ? !finiteAll(Array.from(r).slice(2, 4)) : !Number.isFinite(r.loss)) || `finite result from ${bad}: ${JSON.stringify(fn === 'predict' ? Array.from(r) : r.loss)}`));
    }
  }
  for (const v of [0, 1.5, 'a']) out.push(refuse('api', `predict(x, batchSize ${show(v)})`, (c) => c.tinyMlp().predict(c.rand(8), v), /batch/i));
  out.push(ok('api', 'predict(x, batchSize 1e9) equals predict(x)', (c) => { const m = c.tinyMlp(); return [m.predict(c.rand(8), 1e9), m.predict(c.rand(8))]; },
    ([a, b]) => sameArray(Array.from(a), Array.from(b)) || 'differs'));
  const Y = [
    ['a label equal to the class count', () => new Int32Array([0, 2])],
    ['a negative label', () => new Int32Array([0, -1])],
    ['a fractional label', () => [0, 0.5]],
    ['labels in a Float32Array', () => new Float32Array([0, 1])],
    ['2**32 + 1 in an Array', () => [0, 2 ** 32 + 1]],
    ['4294967295 in a Uint32Array', () => new Uint32Array([0, 4294967295])],
    ['3 labels for 2 samples', () => new Int32Array([0, 1, 0])],
    ['a detached Int32Array', () => detached(Int32Array, 2)],
    ['a BigInt64Array', () => new BigInt64Array([0n, 1n])],
    ['null', () => null],
  ];
  for (const fn of ['evaluate', 'lossAndGradients']) {
    for (const [what, make] of Y.filter((_, i) => (fn === 'evaluate' ? i % 4 !== 3 : i % 3 === 0))) out.push(refuse('api', `${fn}(labels: ${what})`, (c) => c.tinyMlp()[fn](c.rand(8), make()), /labels/));
    out.push(ok('api', `${fn}(labels in a SharedArrayBuffer) equals the unshared result`, (c) => {
      const m = c.tinyMlp();
      return [m[fn](c.rand(8), shared(Int32Array, [1, 0])), m[fn](c.rand(8), new Int32Array([1, 0]))];
    }, ([a, b]) => JSON.stringify(a) === JSON.stringify(b) || 'differs'));
    out.push(ok('api', `${fn}(labels as a plain array) equals an Int32Array`, (c) => {
      const m = c.tinyMlp();
      return [m[fn](c.rand(8), [1, 0]), m[fn](c.rand(8), new Int32Array([1, 0]))];
    }, ([a, b]) => JSON.stringify(a) === JSON.stringify(b) || 'differs'));
  }
  out.push(ok('api', 'evaluate: the loss is the mean cross-entropy of predict', (c) => {
    const m = c.tinyMlp();
    const x = c.rand(8);
    return { e: m.evaluate(x, [1, 0]), p: m.predict(x) };
  }, ({ e, p }) => {
    const want = -(Math.log(p[1]) + Math.log(p[2])) / 2;
    return Math.abs(e.loss - want) < 1e-5 * Math.max(1, want) || `${e.loss} vs ${want}`;
  }));
  return out;
}

function trainCases() {
  const out = [];
  const run = (c, options, data) => c.g.train(c.tinyMlp(), data === undefined ? c.tinyData() : data, { epochs: 1, batchSize: 4, ...options });
  const bad = [
    ['epochs', [0, '1', 1e7]],
    ['batchSize', ['32', 2 ** 21]],
    ['optimizer', ['adam', () => 0]],
    ['earlyStopping', [{ patience: -1 }, { monitor: 'x', patience: 1 }, 5, { patience: 1, typo: 2 }]],
    ['onEpoch', [5]],
    ['onBatch', ['f']],
    ['signal', [{ aborted: true }]],
    ['threads', [0, '2']],
    ['checkpoint', ['']],
    ['resumeFrom', [5]],
    ['evalBatchSize', [0]],
    ['shuffle', ['false']],
    ['seed', [-1, 1.5]],
    ['evaluateTrain', ['yes']],
    ['worker', ['yes']],
    ['validation', [{ x: new Float32Array(6), y: [0] }, 5, { x: new Float32Array(4) }]],
    ['test', [{ x: new Float32Array(4), y: [7] }]],
    ['typo', [1]],
  ];
  for (const [key, values] of bad) {
    for (const v of values) out.push(refuse('api', `train({ ${key}: ${typeof v === 'function' ? 'a function' : show(v)} })`, (c) => run(c, { [key]: v }), keyRe(key === 'typo' ? 'typo' : key === 'validation' || key === 'test' ? key : key)));
  }
  out.push(refuse('api', 'train(options: null)', (c) => c.g.train(c.tinyMlp(), c.tinyData(), null), /options/));
  out.push(refuse('api', 'train(model: {})', (c) => c.g.train({}, c.tinyData(), { epochs: 1 }), /model/));
  out.push(refuse('api', 'train(data: null)', (c) => run(c, {}, null), /data/));
  out.push(refuse('api', 'train on x holding NaN', (c) => { const d = c.tinyData(); d.x[3] = NaN; return run(c, {}, d); }, /data\.x\[3\]/));
  out.push(refuse('api', 'train on a label out of range', (c) => { const d = c.tinyData(); d.y[7] = 9; return run(c, {}, d); }, /data\.y/));
  out.push(refuse('api', 'train on a detached x', (c) => run(c, {}, { x: detached(Float32Array, 32), y: new Int32Array(8) }), /data\.x/));
  out.push(refuse('api', 'train with a checkpoint in a missing folder', (c) => run(c, { checkpoint: c.file('no/such/dir/c.safetensors') }), /checkpoint/));
  out.push(refuse('api', 'train with a checkpoint at a folder', (c) => run(c, { checkpoint: c.tmp }), /checkpoint/));
  out.push(refuse('api', 'train with a checkpoint under /proc', (c) => run(c, { checkpoint: '/proc/gemmnet/c.safetensors' }), /checkpoint/));
  out.push(refuse('api', 'train with a missing resumeFrom', (c) => run(c, { resumeFrom: c.file('missing.safetensors') }), /missing\.safetensors/));
  out.push(refuse('api', 'onEpoch rejecting rejects train()', (c) => run(c, { onEpoch: () => Promise.reject(new RangeError('mine')) }), /mine/));
  out.push(ok('api', 'an aborted signal trains nothing and says so', (c) => run(c, { signal: AbortSignal.abort(), epochs: 3 }),
    (h) => (h.stopReason === 'aborted' && h.epochs.length === 0) || `${h.stopReason} after ${h.epochs.length} epochs`));
  out.push(ok('api', 'labels detached during training do not change the result', async (c) => {
    const d = c.tinyData(64);
    const a = c.tinyMlp();
    const b = c.tinyMlp();
    await c.g.train(a, { x: d.x, y: d.y.slice() }, { epochs: 2, batchSize: 4 });
    const y = d.y.slice();
    const p = c.g.train(b, { x: d.x, y }, { epochs: 2, batchSize: 4, onBatch: (i) => { if (i.batch === 2 && y.length) structuredClone(y.buffer, { transfer: [y.buffer] }); } });
    await p;
    return [a.getWeights().W_h, b.getWeights().W_h];
  }, ([a, b]) => sameArray(Array.from(a), Array.from(b)) || 'the detached labels changed training'));
  out.push(refuse('api', 'x detached during training stops it with an error', (c) => {
    const d = c.tinyData(64);
    const x = d.x.slice();
    return c.g.train(c.tinyMlp(), { x, y: d.y }, { epochs: 3, batchSize: 4, onBatch: (i) => { if (i.batch === 2 && x.length) structuredClone(x.buffer, { transfer: [x.buffer] }); } });
  }, /detached/));
  return out;
}

function optimizerCases() {
  const out = [];
  for (const [fn, key, values] of [['momentum', 'lr', [0, NaN, 'x']], ['momentum', 'gamma', [1.5]],
    ['adam', 'lr', [-1e-3]], ['adam', 'beta1', [1, NaN]], ['adam', 'beta2', [1.5]], ['adam', 'eps', [0, 1e-50]]]) {
    for (const v of values) out.push(refuse('api', `${fn}({ ${key}: ${show(v)} })`, (c) => c.g[fn]({ [key]: v }), keyRe(key)));
  }
  out.push(refuse('api', 'adam({ typo: 1 })', (c) => c.g.adam({ typo: 1 }), /typo/));
  out.push(refuse('api', 'adam("fast")', (c) => c.g.adam('fast'), /adam|options/));
  return out;
}

function weightCases() {
  const out = [];
  const w = (c) => c.tinyMlp();
  for (const [what, value, re] of [
    ['an unknown name', { nope: new Float32Array(3) }, /nope/],
    ['a wrong length', { W_h: new Float32Array(5) }, /W_h/],
    ['a Float64Array', { W_h: new Float64Array(12) }, /W_h/],
    ['an Array', { W_h: Array(12).fill(0) }, /W_h/],
    ['null', null, /weights/],
    ['a detached Float32Array', null, /W_h/],
  ]) {
    out.push(refuse('api', `setWeights(${what})`, (c) => w(c).setWeights(what.startsWith('a detached') ? { W_h: detached(Float32Array, 12) } : value), re));
  }
  out.push(ok('api', 'setWeights reads a getter once and copies what it checked', (c) => {
    const m = w(c);
    let reads = 0;
    const good = new Float32Array(12).fill(0.25);
    m.setWeights({ get W_h() { reads++; return reads === 1 ? good : new Float32Array(3); } });
    return { reads, W_h: m.getWeights().W_h };
  }, ({ reads, W_h }) => (reads === 1 && W_h.every((v) => v === 0.25)) || `read ${reads} times`));
  out.push(refuse('api', 'setState(an unknown name)', (c) => c.g.cnn({ filters: 1, fc: 2 }).setState({ nope: new Float32Array(1) }), /nope/));
  out.push(refuse('api', 'setState(a wrong length)', (c) => c.g.cnn({ filters: 1, fc: 2 }).setState({ 'layer1.running_mean': new Float32Array(5) }), /running_mean/));
  for (const v of [0, '2']) out.push(refuse('api', `setThreads(${show(v)})`, (c) => c.g.setThreads(v), /threads/));
  out.push(ok('api', 'setThreads(1) then predict', (c) => { c.g.setThreads(1); return c.tinyMlp().predict(c.rand(4)); }, (p) => (p.length === 2 && finiteAll(p)) || 'bad'));
  return out;
}

function helperCases() {
  const out = [];
  const M = (data, shape) => ({ data, shape });
  out.push(refuse('api', 'relu(null)', (c) => c.g.relu(null), /relu|x|matrix/i));
  out.push(refuse('api', 'relu(a matrix whose data is short)', (c) => c.g.relu(M(new Float32Array(3), [2, 2])), /shape|data|4/));
  out.push(refuse('api', 'softmax(a 1-D shape)', (c) => c.g.softmax(M(new Float32Array(3), [3])), /shape/));
  out.push(refuse('api', 'softmax(data of a Float64Array)', (c) => c.g.softmax(M(new Float64Array(4), [2, 2])), /Float32Array|data/));
  out.push(refuse('api', 'computeLayer(mismatched X and W)', (c) => c.g.computeLayer(M(new Float32Array(6), [2, 3]), M(new Float32Array(8), [4, 2]), new Float32Array(2)), /W|X|shape/));
  out.push(refuse('api', 'computeLayer(b of the wrong length)', (c) => c.g.computeLayer(M(new Float32Array(6), [2, 3]), M(new Float32Array(6), [3, 2]), new Float32Array(3)), /\bb\b/));
  out.push(refuse('api', 'averageCE(a target row [1, 1, 0])', (c) => c.g.averageCE(M(Float32Array.from([1, 1, 0]), [1, 3]), M(Float32Array.from([0.2, 0.3, 0.5]), [1, 3])), /target/));
  out.push(refuse('api', 'averageCE(labels out of range)', (c) => c.g.averageCE([3], M(Float32Array.from([0.2, 0.3, 0.5]), [1, 3])), /target|label/));
  out.push(refuse('api', 'gradCE(a target of another shape)', (c) => c.g.gradCE(M(new Float32Array(4), [2, 2]), M(new Float32Array(6), [2, 3])), /target|shape/));
  out.push(ok('api', 'averageCE of labels equals -mean(log p)', (c) => c.g.averageCE([2, 0], M(Float32Array.from([0.2, 0.3, 0.5, 0.6, 0.3, 0.1]), [2, 3])),
    (v) => Math.abs(v - -(Math.log(0.5) + Math.log(0.6)) / 2) < 1e-6 || `${v}`));
  out.push(ok('api', 'gradCE of labels is (p - onehot) / N', (c) => c.g.gradCE([1], M(Float32Array.from([0.25, 0.75]), [1, 2])),
    (g) => (Math.abs(g.data[0] - 0.25) < 1e-7 && Math.abs(g.data[1] + 0.25) < 1e-7) || `${Array.from(g.data)}`));
  return out;
}

function dataCases() {
  const out = [];
  for (const [n, seed] of [[-1, 1], [2 ** 40, 1], ['10', 1], [10, 2 ** 32], [NaN, 1]]) {
    out.push(refuse('api', `seedSplit(${show(n)}, ${show(seed)})`, (c) => c.g.seedSplit(n, seed), /\bn\b|seed/));
  }
  out.push(ok('api', 'seedSplit(10, 521) is a permutation', (c) => c.g.seedSplit(10, 521), (p) => Array.from(p).sort((a, b) => a - b).join() === '0,1,2,3,4,5,6,7,8,9' || 'not a permutation'));
  const set = (c, n = 4) => ({ x: c.rand(n * 2), y: new Uint8Array(n), n });
  out.push(refuse('api', 'splitDataset(null)', (c) => c.g.splitDataset(null), /data/));
  out.push(refuse('api', 'splitDataset(n that does not match y)', (c) => c.g.splitDataset({ ...set(c), n: 3 }), /data\.n|n/));
  out.push(refuse('api', 'splitDataset(sizes past n)', (c) => c.g.splitDataset(set(c), { sizes: [3, 1, 1] }), /sizes/));
  out.push(refuse('api', 'splitDataset(negative sizes)', (c) => c.g.splitDataset(set(c), { sizes: [5, -1, 0] }), /sizes/));
  out.push(refuse('api', 'parseNpy(a string)', (c) => c.g.parseNpy('abc'), /parseNpy/));
  out.push(refuse('api', 'parseNpy(no bytes)', (c) => c.g.parseNpy(Buffer.alloc(0)), /parseNpy/));
  out.push(refuse('api', 'parseNpz(ten zero bytes)', (c) => c.g.parseNpz(Buffer.alloc(10)), /parseNpz/));
  out.push(refuse('api', 'parseIdx(a header claiming 2^32 items)', (c) => c.g.parseIdx(Buffer.from([0, 0, 8, 1, 255, 255, 255, 255])), /parseIdx/));
  out.push(refuse('api', 'parseIdx(a header claiming 2^64 values in 3 dims)', (c) => c.g.parseIdx(Buffer.from([0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255])), /parseIdx/));
  out.push(refuse('api', 'encodeNpy(data: an Array)', (c) => c.g.encodeNpy({ data: [1, 2] }), /data|encodeNpy/));
  out.push(refuse('api', 'encodeNpy(a shape that does not match)', (c) => c.g.encodeNpy({ data: new Float32Array(4), shape: [3] }), /shape/));
  out.push(refuse('api', 'encodeNpz(no arrays)', (c) => c.g.encodeNpz(null), /encodeNpz|arrays/));
  out.push(ok('api', 'encodeNpy then parseNpy gives the values back', (c) => c.g.parseNpy(c.g.encodeNpy({ data: Float32Array.from([1, NaN, -0, 3]), shape: [2, 2] })),
    (a) => (a.shape.join() === '2,2' && Object.is(a.data[2], -0) && Number.isNaN(a.data[1])) || 'differs'));
  return out;
}

module.exports = () => [...modelCases(), ...stackCases(), ...inputCases(), ...trainCases(), ...optimizerCases(), ...weightCases(),
  ...helperCases(), ...dataCases()];
