'use strict';
// `--data` on something that is not a regular file or folder: a FIFO (which would block a plain
// open() until a writer comes), /dev/zero (which never ends), links to them, and a folder whose
// data file is a FIFO. Each is refused at once with one line naming the path, and exit code 1.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
const LIMIT_MS = 10000;

function cli(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', timeout: LIMIT_MS, env: { ...process.env, CI: 'true', GEMMNET_DEBUG: '' },
  });
  const ms = performance.now() - t;
  assert.notStrictEqual(r.error && r.error.code, 'ETIMEDOUT', `gemmnet ${args.join(' ')} was still running after ${LIMIT_MS} ms`);
  assert.strictEqual(r.signal, null, `gemmnet ${args.join(' ')} was killed (${r.signal})`);
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, ms };
}

describe('command line: --data on a FIFO or a device', function () {
  this.timeout(120000);
  let tmp;
  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-cli-special-'));
    for (const name of ['pipe.npz', 'train-images-idx3-ubyte', 'plain-pipe']) {
      if (spawnSync('mkfifo', [path.join(tmp, name)]).status !== 0) this.skip();
    }
    fs.mkdirSync(path.join(tmp, 'folder'));
    spawnSync('mkfifo', [path.join(tmp, 'folder', 'data.npz')]);
    fs.symlinkSync('/dev/zero', path.join(tmp, 'zero.npz'));
    fs.symlinkSync('/dev/zero', path.join(tmp, 't10k-images-idx3-ubyte'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cases = [
    ['a FIFO named .npz', 'pipe.npz', /FIFO/],
    ['a FIFO named as IDX images', 'train-images-idx3-ubyte', /FIFO/],
    ['a FIFO with no known name', 'plain-pipe', /FIFO/],
    ['a folder whose .npz is a FIFO', path.join('folder', 'data.npz'), /FIFO/, 'folder'],
    ['/dev/zero', '/dev/zero', /device/],
    ['a link named .npz to /dev/zero', 'zero.npz', /device/],
    ['a link named as IDX images to /dev/zero', 't10k-images-idx3-ubyte', /device/],
  ];
  for (const [what, file, kind, arg] of cases) {
    for (const command of ['train', 'sweep']) {
      it(`${command} --data ${what}: one line naming it, exit 1, at once`, () => {
        const p = path.isAbsolute(file) ? file : path.join(tmp, file);
        const given = arg ? path.join(tmp, arg) : p;
        const args = command === 'train' ? ['train', '--data', given, '--epochs', '1']
          : ['sweep', '--model', 'mlp', '--hidden', '4,8', '--data', given, '--epochs', '1', '--out', path.join(tmp, 'sweep')];
        const r = cli(args);
        assert.strictEqual(r.code, 1, r.stderr);
        const lines = r.stderr.trimEnd().split('\n');
        assert.strictEqual(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
        assert.match(lines[0], kind);
        assert.ok(lines[0].includes(p), `the message names ${p}: ${lines[0]}`);
        assert.doesNotMatch(r.stderr, /training/);
        assert.ok(r.ms < 5000, `took ${r.ms.toFixed(0)} ms`);
      });
    }
  }
});
