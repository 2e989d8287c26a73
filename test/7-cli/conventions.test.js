'use strict';
// The command line's conventions: help and version, suggestions for typos, exit codes (0 done,
// 1 a failure to act on, 2 a usage mistake), one clear line per error, and --out checked before
// any training starts.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'cli.js');
const VERSION = require(path.join(ROOT, 'package.json')).version;

function cli(args, env = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, CI: 'true', GEMMNET_DEBUG: '', ...env },
  });
  assert.strictEqual(r.signal, null, `gemmnet ${args.join(' ')} was killed (${r.signal}): it hung`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line of error (plus, for usage errors, the pointer to --help), and no stack trace. */
function assertClean(r, lines = 1) {
  const out = r.stderr.trimEnd().split('\n');
  assert.strictEqual(out.length, lines, `expected ${lines} line(s) on stderr, got:\n${r.stderr}`);
  assert.ok(!/\n\s+at .*:\d+:\d+/.test(r.stderr), `stack trace printed:\n${r.stderr}`);
}

describe('command line conventions', function () {
  this.timeout(120000);
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-cli-conv-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gemmnet --help lists every command and exits 0', () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = cli([flag]);
      assert.strictEqual(r.code, 0, r.stderr);
      for (const c of ['train', 'sweep', 'reproduce', 'bench', 'export', 'demo', 'info']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
      assert.match(r.stdout, /--help/);
    }
  });

  it('gemmnet with no command prints the usage on stderr and exits 2', () => {
    const r = cli([]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /^Usage: gemmnet <command>/);
  });

  it('gemmnet <command> --help shows that command\'s options and exits 0, whatever else is given', () => {
    for (const c of ['train', 'sweep', 'reproduce', 'bench', 'export', 'demo', 'info']) {
      const r = cli([c, '--help']);
      assert.strictEqual(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: gemmnet ${c}`), c);
    }
    const train = cli(['train', '--epoch', 'x', '-h']).stdout;
    for (const o of ['--model', '--data', '--epochs', '--out', '--limit', '--threads']) assert.ok(train.includes(o), o);
    assert.strictEqual(cli(['help', 'sweep']).stdout, cli(['sweep', '--help']).stdout);
  });

  it('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) {
      const r = cli([flag]);
      assert.strictEqual(r.code, 0);
      assert.strictEqual(r.stdout, `${VERSION}\n`);
    }
  });

  it('an unknown flag gets a suggestion and exit code 2', () => {
    const cases = [
      [['train', '--epoch', '3'], /unknown option --epoch; did you mean --epochs\?/],
      [['train', '--keepprob', '0.5'], /unknown option --keepprob; did you mean --keep-prob\?/],
      [['sweep', '--hiden', '1,2'], /unknown option --hiden; did you mean --hidden\?/],
      [['reproduce', '--ot', 'x'], /unknown option --ot; did you mean --out\?/],
      [['train', '--zzzzzzzz'], /^gemmnet: unknown option --zzzzzzzz\n/],
      [['train', '-x'], /unknown option -x/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.match(r.stderr, new RegExp(`Run \`gemmnet ${args[0]} --help\` for usage`));
      assertClean(r, 2);
    }
    const typo = cli(['trian']);
    assert.strictEqual(typo.code, 2);
    assert.match(typo.stderr, /unknown command "trian"; did you mean train\?/);
  });

  it('bad option values are usage errors (exit 2) found before any data is loaded', () => {
    const cases = [
      [['train', '--epochs'], /--epochs needs a value/],
      [['train', '--epochs', '0'], /--epochs must be an integer from 1/],
      [['train', '--epochs', '2.5'], /--epochs must be an integer/],
      [['train', '--batch', 'ten'], /--batch must be a number, got "ten"/],
      [['train', '--model', 'rnn'], /--model must be mlp, cnn or a stack.s .json file, got "rnn"/],
      [['train', '--model', 'cnn', '--hidden', '10'], /--hidden does not apply to --model cnn/],
      [['train', '--keep-prob', '0', '--model', 'cnn'], /--keep-prob must be in \(0, 1\]/],
      [['train', '--split', '1,2'], /--split takes three/],
      [['train', 'extra'], /unexpected argument "extra"/],
      [['sweep', '--model', 'mlp', '--hidden', '10,20'], /sweep needs --out DIR/],
      [['reproduce'], /reproduce needs --out DIR/],
    ];
    for (const [args, re] of cases) {
      // A data path that does not exist: a usage error must be reported before it is looked at.
      const r = cli([args[0], '--data', path.join(tmp, 'never-read.npz'), ...args.slice(1)]);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assertClean(r, 2);
    }
  });

  it('bad --data prints one clear line naming the file, exits 1, and no stack trace', () => {
    const text = path.join(tmp, 'notes.txt');
    fs.writeFileSync(text, 'not data\n');
    const fakeNpz = path.join(tmp, 'fake.npz');
    fs.writeFileSync(fakeNpz, 'this is not a zip archive');
    const noImages = path.join(ROOT, 'test', 'fixtures', 'npz', 'positional.npz');
    const emptyDir = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const cases = [
      [text, /do not know how to load .*notes\.txt/],
      [fakeNpz, /fake\.npz/],
      [noImages, /positional\.npz.*'images'/],
      [emptyDir, /cannot choose a data set in directory .*no \*-images-idx3-ubyte/],
      [path.join(tmp, 'missing.npz'), /cannot read .*missing\.npz.*no such file/],
    ];
    for (const [file, re] of cases) {
      const r = cli(['train', '--data', file, '--epochs', '1']);
      assert.strictEqual(r.code, 1, `${file}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assertClean(r);
    }
  });

  it('GEMMNET_DEBUG shows the stack trace of a failure', () => {
    const r = cli(['train', '--data', path.join(tmp, 'missing.npz')], { GEMMNET_DEBUG: '1' });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /\n\s+at .*:\d+:\d+/);
  });

  it('--out is checked before training: an existing file, or a folder that cannot be made, fails at once', () => {
    const file = path.join(tmp, 'taken');
    fs.writeFileSync(file, 'keep me');
    const started = Date.now();
    const r1 = cli(['train', '--out', file, '--epochs', '50']);
    assert.strictEqual(r1.code, 1);
    assert.match(r1.stderr, /--out .*taken exists and is not a directory/);
    assert.doesNotMatch(r1.stderr, /training/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'keep me');
    assertClean(r1);
    // Under /proc nothing can be created (Node's own recursive mkdir never returns there).
    const r2 = cli(['train', '--out', '/proc/gemmnet-no/such/dir', '--epochs', '50']);
    assert.strictEqual(r2.code, 1);
    assert.match(r2.stderr, /--out \/proc\/gemmnet-no\/such\/dir: cannot write files there/);
    assert.doesNotMatch(r2.stderr, /training/);
    const r3 = cli(['sweep', '--model', 'mlp', '--hidden', '4,8', '--out', file]);
    assert.strictEqual(r3.code, 1);
    assert.match(r3.stderr, /exists and is not a directory/);
    const r4 = cli(['reproduce', '--out', file]);
    assert.strictEqual(r4.code, 1);
    assert.match(r4.stderr, /exists and is not a directory/);
    assert.ok(Date.now() - started < 60000, 'refused before any training');
  });

  it('--limit is documented and works', function () {
    const h = cli(['train', '--help']).stdout;
    assert.match(h, /--limit N\s+use at most N samples/);
  });
});
