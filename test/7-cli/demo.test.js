'use strict';
// `gemmnet demo` in headless Chromium: strokes drawn with the mouse are read as an MNIST model
// should (a vertical line is a "1", a circle a "0"), the page's JavaScript forward pass equals
// model.predict, the page loads nothing from outside the server, and without --model the server
// trains one first and shows its progress. A screenshot goes to test-artifacts/demo.png.
const assert = require('assert');
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const gemmnet = require('../..');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

/** Starts `gemmnet demo --port 0 ...args`; resolves with the process and the URL it serves. */
function startDemo(args) {
  const child = spawn(process.execPath, [CLI, 'demo', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (m) resolve({ child, url: m[0], stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`gemmnet demo exited with ${code}: ${stderr}`)));
  });
}

function stop(demo) {
  if (!demo || demo.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    demo.child.once('exit', resolve);
    demo.child.kill('SIGTERM');
  });
}

/** A small MLP trained for a few seconds on 12,000 MNIST images (about 94% on the test set). */
async function smallMnistModel(file) {
  const all = gemmnet.loadMnist();
  const n = 12000;
  const model = gemmnet.mlp({ hidden: 128, seed: 1 });
  await gemmnet.train(model, { x: all.x.subarray(0, n * 784), y: all.y.subarray(0, n), n }, {
    epochs: 4, batchSize: 100, optimizer: gemmnet.momentum({ lr: 0.05, gamma: 0.9 }), seed: 1,
  });
  model.save(file, { meta: { classes: [...'0123456789'] } });
  return model;
}

async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Draws a polyline on #pad with the mouse; points are fractions of the canvas. */
async function draw(page, points) {
  const box = await page.locator('#pad').boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
  // The prediction is redrawn on the next animation frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.textContent('#prediction');
}

function line(x, top, bottom) {
  return [[x, top], [x, bottom]];
}

function ellipse(cx, cy, rx, ry) {
  return Array.from({ length: 49 }, (_, k) => {
    const a = (2 * Math.PI * k) / 48;
    return [cx + rx * Math.sin(a), cy - ry * Math.cos(a)];
  });
}

describe('gemmnet demo', function () {
  let dir;
  let browser;
  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
      console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-demo-'));
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('with --model', function () {
    let demo;
    let model;
    let page;
    const requests = [];
    const errors = [];
    before(async function () {
      const file = path.join(dir, 'mnist-mlp.safetensors');
      model = await smallMnistModel(file);
      demo = await startDemo(['--model', file]);
      page = await browser.newPage({ viewport: { width: 900, height: 480 } });
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(demo.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
    });
    after(async () => {
      if (page) await page.close();
      await stop(demo);
    });

    it('runs a forward pass in the page equal to model.predict on MNIST test images', async function () {
      const test = gemmnet.loadMnist({ subset: 'test' });
      const n = 50;
      const x = test.x.subarray(0, n * 784);
      const inPage = await page.evaluate(([data, count]) =>
        Array.from(forwardNetwork(model, new Float32Array(data), count)), [Array.from(x), n]);
      const expected = model.predict(x);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(inPage[i] - expected[i]));
      assert.ok(worst <= 1e-5, `max |page - predict| = ${worst}`);
    });

    it('reads vertical lines as "1" and circles as "0", and clears', async function () {
      const strokes = [
        ['1', line(0.5, 0.15, 0.85)], ['1', line(0.3, 0.2, 0.7)], ['1', line(0.7, 0.1, 0.95)],
        ['0', ellipse(0.5, 0.5, 0.25, 0.33)], ['0', ellipse(0.4, 0.45, 0.2, 0.25)], ['0', ellipse(0.55, 0.55, 0.3, 0.35)],
      ];
      const read = [];
      for (const [, points] of strokes) {
        await page.click('#clear');
        assert.strictEqual(await page.textContent('#prediction'), '');
        read.push(await draw(page, points));
      }
      assert.deepStrictEqual(read, strokes.map(([want]) => want));
      // The last drawing is a circle: show it with its probabilities.
      const p = JSON.parse(await page.evaluate(() => document.body.dataset.probabilities));
      assert.strictEqual(p.length, 10);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      const rows = await page.$$eval('#probabilities tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
      assert.deepStrictEqual(rows, [...'0123456789']);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'demo.png') });
      await page.click('#clear');
      assert.strictEqual(await page.textContent('#prediction'), '');
    });

    it('says so when its port is taken', function () {
      const port = new URL(demo.url).port;
      const r = spawnSync(process.execPath, [CLI, 'demo', '--port', port, '--model', path.join(dir, 'mnist-mlp.safetensors')],
        { encoding: 'utf8' });
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, new RegExp(`^gemmnet: demo: cannot listen on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\); pass another --port\\n$`));
    });

    it('loads nothing from outside the server, without errors', function () {
      const outside = requests.filter((u) => !u.startsWith(demo.url));
      assert.deepStrictEqual(outside, []);
      assert.ok(requests.some((u) => u.endsWith('/model.json')));
      assert.deepStrictEqual(errors, []);
    });
  });

  it('without --model, trains on the default data set first and shows its progress', async function () {
    // Four epochs (a second or two): long enough for the page, which polls every 500 ms, to show
    // progress before training ends, however fast the machine.
    const demo = await startDemo(['--epochs', '4']);
    try {
      const page = await browser.newPage();
      // Every text the status line shows, as the page sets it (no polling gaps in the test).
      await page.addInitScript(() => {
        window.__statuses = [];
        document.addEventListener('DOMContentLoaded', () => {
          const el = document.getElementById('status');
          const record = () => { if (el.textContent) window.__statuses.push(el.textContent); };
          record();
          new MutationObserver(record).observe(el, { childList: true, characterData: true, subtree: true });
        });
      });
      await page.goto(demo.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120000 });
      const seen = await page.evaluate(() => window.__statuses);
      assert.ok(seen.some((t) => /training|epoch/.test(t)), seen.join(' | '));
      assert.match(demo.stderr(), /training an MLP .* on MNIST/);
      assert.strictEqual(await draw(page, line(0.5, 0.15, 0.85)), '1');
      await page.close();
    } finally {
      await stop(demo);
    }
  });
});
