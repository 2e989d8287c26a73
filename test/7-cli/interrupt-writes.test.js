'use strict';
// Ctrl-C while `gemmnet train --out DIR` writes its files: the process ends in order (exit 0 or
// 130, never killed by the signal), and every file in DIR is either complete or absent: no
// temporary file is left and model.safetensors, when present, loads. The model is large (63 MB) so
// that its file takes a while to write; the signal is sent when a temporary file appears in DIR.
const assert = require('assert');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const gemmnet = require('../..');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
const NOTMNIST = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist', 'notMNIST-10k.npz');
const DATA = fs.existsSync(NOTMNIST) ? ['--data', NOTMNIST] : [];
const HIDDEN = 20000;
/** What `train --out` writes, in the order it writes them. */
const OUTPUTS = ['history.json', 'history.csv', 'curves.svg', 'curves.png', 'model.safetensors'];
const isTemp = (f) => /^\.gn-[0-9a-f]+\.tmp$/.test(f) || /\.tmp-/.test(f);

/**
 * Trains a small run of a large MLP into dir and sends `signals` SIGINTs (1 ms apart) as soon as the
 * `nth` temporary file (1-based) appears in dir. Resolves with the exit code or signal, the output,
 * and whether the signals went while a temporary file was there.
 */
function interruptWrites(dir, nth, signals) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'mlp', '--hidden', String(HIDDEN), '--epochs', '1',
      '--limit', '20', ...DATA, '--out', dir], { env: { ...process.env, CI: 'true' } });
    let stderr = '';
    let stdout = '';
    const seen = new Set();
    let sentDuring = null;
    const watcher = fs.watch(dir, (event, name) => {
      if (!name || !isTemp(name) || seen.has(name)) return;
      seen.add(name);
      if (seen.size !== nth || sentDuring !== null) return;
      child.kill('SIGINT');
      // Still there when the first signal was sent: it was sent while that file was being written.
      sentDuring = fs.existsSync(path.join(dir, name));
      let left = signals - 1;
      const again = setInterval(() => {
        if (left-- <= 0) return clearInterval(again);
        child.kill('SIGINT');
      }, 1);
    });
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal, stdout, stderr, sentDuring, temps: seen.size });
    });
  });
}

function assertNothingPartial(dir, r) {
  const files = fs.readdirSync(dir);
  assert.deepStrictEqual(files.filter(isTemp), [], `temporary files left in ${dir}: ${files}\n${r.stderr}`);
  for (const f of files) assert.ok(OUTPUTS.includes(f), `unexpected file ${f}`);
  if (files.includes('history.json')) {
    const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
    assert.strictEqual(h.epochs.length, 1);
  }
  if (files.includes('model.safetensors')) {
    // Loading checks the header, every tensor's size against the file, and every weight's shape.
    const m = gemmnet.load(path.join(dir, 'model.safetensors'));
    assert.deepStrictEqual(m.shapes.W_h, [784, HIDDEN]);
    let finite = 0;
    for (const v of m.getWeights().W_o) finite += Number.isFinite(v) ? 1 : 0;
    assert.strictEqual(finite, HIDDEN * 10, 'W_o holds finite numbers throughout');
  }
  return files;
}

describe('Ctrl-C while train --out writes its files', function () {
  this.timeout(180000);
  const dirs = [];
  const tmpDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-int-write-'));
    dirs.push(d);
    return d;
  };
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('one Ctrl-C while model.safetensors is written: the run completes and every file is whole', async () => {
    const dir = tmpDir();
    const r = await interruptWrites(dir, OUTPUTS.length, 1);
    assert.strictEqual(r.signal, null, `killed by ${r.signal} while writing:\n${r.stderr}`);
    assert.strictEqual(r.temps, OUTPUTS.length, `temporary files seen: ${r.temps}\n${r.stderr}`);
    assert.strictEqual(r.sentDuring, true, 'the signal went after the model was written; the test did not test');
    assert.ok(r.code === 0 || r.code === 130, `exit code ${r.code}\n${r.stderr}`);
    const files = assertNothingPartial(dir, r);
    // Training had finished: what was done is all there.
    assert.deepStrictEqual(files.sort(), [...OUTPUTS].sort(), r.stderr);
    assert.match(r.stdout, /wrote history\.json, history\.csv, curves\.svg, curves\.png, model\.safetensors/);
  });

  it('one Ctrl-C while the first file is written: every file is still written whole', async () => {
    const dir = tmpDir();
    const r = await interruptWrites(dir, 1, 1);
    assert.strictEqual(r.signal, null, `killed by ${r.signal} while writing:\n${r.stderr}`);
    assert.ok(r.code === 0 || r.code === 130, `exit code ${r.code}\n${r.stderr}`);
    assert.deepStrictEqual(assertNothingPartial(dir, r).sort(), [...OUTPUTS].sort(), r.stderr);
  });

  for (const nth of [1, OUTPUTS.length]) {
    it(`Ctrl-C twice (quit now) while ${OUTPUTS[nth - 1]} is written: exit 130, no partial file, no temporary file`, async () => {
      const dir = tmpDir();
      const r = await interruptWrites(dir, nth, 2);
      assert.strictEqual(r.signal, null, `killed by ${r.signal} while writing:\n${r.stderr}`);
      assert.ok(r.code === 130 || r.code === 0, `exit code ${r.code}\n${r.stderr}`);
      assertNothingPartial(dir, r);
    });
  }
});
