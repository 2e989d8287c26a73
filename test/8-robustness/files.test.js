'use strict';
// Hostile files: every loader refuses a FIFO, a device or a directory with an Error naming the path
// (never blocking in open() on a FIFO, never reading /dev/zero until memory runs out); archives
// whose entries overlap or that inflate past a total bound are refused; saves write only regular
// files. Anything that could hang runs in a child process with a time limit.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');

// Runs `expr` (an expression using `g`, gemmnet) in a child; returns what it threw, or fails when it
// returns, crashes or takes more than `limit` ms.
function refusedInChild(expr, limit = 20000) {
  const src = `
    const g = require(${JSON.stringify(ROOT)});
    Promise.resolve().then(() => ${expr}).then(
      () => { console.log(JSON.stringify({ ok: true })); process.exit(0); },
      (e) => { console.log(JSON.stringify({ ok: false, message: String(e && e.message) })); process.exit(0); });`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', '-e', src], { encoding: 'utf8', timeout: limit });
  assert.notStrictEqual(r.error && r.error.code, 'ETIMEDOUT', `${expr} was still running after ${limit} ms (blocked?)`);
  assert.strictEqual(r.signal, null, `${expr}: child killed by ${r.signal}\n${r.stderr}`);
  assert.strictEqual(r.status, 0, `${expr}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.strictEqual(out.ok, false, `${expr} did not throw`);
  return out.message;
}

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-files-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('files: loaders on a FIFO, a device or a directory', function () {
  this.timeout(60000);
  let fifo;
  before(function () {
    fifo = path.join(tmp, 'pipe.npz');
    const r = spawnSync('mkfifo', [fifo]);
    if (r.status !== 0) this.skip();
  });

  const loaders = {
    load: (p) => `g.load(${JSON.stringify(p)})`,
    loadModel: (p) => `g.loadModel(${JSON.stringify(p)})`,
    loadSafetensors: (p) => `g.loadSafetensors(${JSON.stringify(p)})`,
    readCheckpoint: (p) => `g.readCheckpoint(${JSON.stringify(p)})`,
    loadNpy: (p) => `g.loadNpy(${JSON.stringify(p)})`,
    loadNpz: (p) => `g.loadNpz(${JSON.stringify(p)})`,
    loadIdx: (p) => `g.loadIdx(${JSON.stringify(p)})`,
    loadDataset: (p) => `g.loadDataset(${JSON.stringify(p)})`,
    resumeFrom: (p) => `g.train(g.mlp({ inputs: 2, hidden: 2, classes: 2 }),
      { x: new Float32Array(4), y: new Int32Array(2) }, { epochs: 1, resumeFrom: ${JSON.stringify(p)} })`,
  };

  for (const [name, call] of Object.entries(loaders)) {
    it(`${name} refuses a FIFO without waiting for a writer`, () => {
      const msg = refusedInChild(call(fifo));
      assert.match(msg, /FIFO/);
      assert.ok(msg.includes(fifo), msg);
    });
  }

  for (const name of ['loadNpy', 'loadNpz', 'loadIdx', 'loadSafetensors', 'load']) {
    it(`${name} refuses /dev/zero instead of reading it until memory runs out`, function () {
      if (!fs.existsSync('/dev/zero')) this.skip();
      const msg = refusedInChild(loaders[name]('/dev/zero'));
      assert.match(msg, /device/);
      assert.match(msg, /\/dev\/zero/);
    });
  }

  it('a directory is named as one', () => {
    const msg = refusedInChild(loaders.loadNpy(tmp));
    assert.match(msg, /directory/);
  });
});
