// `gemmnet demo [--model m.safetensors] [--port 8080]`: serves, on 127.0.0.1, a page to draw on
// that shows the model's prediction. Without --model it first trains a small MLP on the default data
// set, showing its progress on the page and on stderr.
import * as http from 'http';
import * as path from 'path';
import { loadSplit } from './train-command';
import { readCheckpoint, modelFromCheckpoint } from '../io/checkpoint';
import { mlp } from '../mlp';
import { Network } from '../network';
import { momentum } from '../optim';
import { train } from '../train';
import { demoPage } from '../demo/page';
import { NetworkSpec } from '../export/specs';
import { CliError, DEMO_OPTIONS, int, parseOptions } from './args';
import { savedClasses } from './export-command';


const DIGITS = [...'0123456789'];
const LETTERS = [...'ABCDEFGHIJ'];

/** notMNIST's .npz holds the letters A-J; MNIST and other IDX sets the digits. */
export function datasetClasses(dataPath?: string): string[] {
  return dataPath && dataPath.endsWith('.npz') ? LETTERS : DIGITS;
}

/** The spec as JSON, each Float32Array as { f32: base64 of its little-endian bytes }. */
export function specJson(spec: NetworkSpec): string {
  return JSON.stringify(spec, (_k, v) =>
    v instanceof Float32Array ? { f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v);
}

interface State { message: string; ready: boolean; model?: string }

async function trainDefault(state: State, dataPath: string | undefined, epochs: number): Promise<Network> {
  const data = loadSplit(dataPath);
  const model = mlp({ hidden: 256 });
  const say = (m: string) => {
    state.message = m;
    process.stderr.write(`gemmnet demo: ${m}\n`);
  };
  say(`training an MLP 784-256-10 on ${data.name} (${data.train.n} images), ${epochs} epochs`);
  let lastShown = 0;
  await train(model, data.train, {
    epochs, batchSize: 100, optimizer: momentum({ lr: 0.05, gamma: 0.9 }), validation: data.valid, seed: 521,
    onBatch: (b) => {
      if (Date.now() - lastShown < 250) return;
      lastShown = Date.now();
      state.message = `training: epoch ${b.epoch}/${epochs}, ${Math.round((100 * b.batch) / b.batches)}% (loss ${b.loss.toFixed(3)})`;
    },
    onEpoch: (r) => say(`epoch ${r.epoch}/${epochs}: validation accuracy ${(r.valid!.accuracy * 100).toFixed(2)}%`),
  });
  return model;
}

export async function demoCommand(argv: string[]): Promise<number> {
  const o = parseOptions('demo', argv, DEMO_OPTIONS);
  const port = int('port', o.port, 0, 65535)!;
  const epochs = int('epochs', o.epochs, 1, 1e4) ?? 3;
  let classes = datasetClasses(o.data);
  let title = 'gemmnet: draw a digit';
  const state: State = { message: 'loading the model', ready: false };
  let model: Network | undefined;
  if (o.model) {
    const checkpoint = readCheckpoint(o.model);
    model = modelFromCheckpoint(checkpoint, `demo: ${o.model}`);
    classes = savedClasses(checkpoint.meta) ?? classes;
    title = `gemmnet: ${path.basename(o.model)}`;
  }
  const inputs = model ? model.inputSize : 784;
  if (inputs !== 784) throw new CliError(`demo: the model takes ${inputs} values per sample; the page draws 28 x 28 images`);
  if (classes === LETTERS) title = 'gemmnet: draw a letter A-J';

  const page = demoPage(title);
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const send = (type: string, body: string, code = 200) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url === '/') send('text/html; charset=utf-8', page);
    else if (url === '/status') send('application/json', JSON.stringify({ message: state.message, ready: state.ready }));
    else if (url === '/model.json' && state.model) send('application/json', state.model);
    else send('text/plain', 'not found\n', 404);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new CliError(`demo: cannot listen on 127.0.0.1:${port} (${e.message}); ` +
      'pass another --port')));
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as { port: number };
  process.stdout.write(`gemmnet demo: http://127.0.0.1:${address.port}/ (Ctrl-C to stop)\n`);
  try {
    if (!model) model = await trainDefault(state, o.data, epochs);
    if (model.classes !== classes.length) {
      throw new CliError(`demo: the model has ${model.classes} classes, the data set ${classes.length}`);
    }
    state.model = specJson(model.toSpec(classes));
    state.message = 'draw with the mouse, a pen or a finger';
    state.ready = true;
    process.stderr.write('gemmnet demo: ready\n');
  } catch (e) {
    server.close();
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    server.once('close', resolve);
  });
  return 0;
}
