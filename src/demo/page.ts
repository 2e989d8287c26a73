// The demo page: one self-contained HTML document (no external resources). It polls /status while
// the server trains, loads /model.json, and runs the forward pass of forward.ts on each stroke.
import { centerDigit, forwardNetwork } from './forward';

const STYLE = `
  body { font: 16px system-ui, sans-serif; margin: 24px; background: #f6f6f4; color: #222; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  .row { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
  #pad { background: #000; border-radius: 6px; touch-action: none; cursor: crosshair; }
  #input { background: #000; image-rendering: pixelated; width: 112px; height: 112px; border-radius: 4px; }
  #prediction { font-size: 64px; font-weight: 700; min-width: 1.2em; text-align: center; }
  #probabilities { border-collapse: collapse; }
  #probabilities td { padding: 1px 6px; font-variant-numeric: tabular-nums; }
  .bar { background: #3b6fd8; height: 12px; }
  .top .bar { background: #d8753b; }
  button { font-size: 16px; padding: 6px 18px; margin-top: 8px; }
  #status { color: #666; margin: 8px 0; min-height: 1.2em; }
`;

const SCRIPT = `
const forwardNetwork = ${forwardNetwork.toString()};
const centerDigit = ${centerDigit.toString()};
const pad = document.getElementById('pad');
const ctx = pad.getContext('2d', { willReadFrequently: true });
const inputView = document.getElementById('input').getContext('2d');
const status = document.getElementById('status');
let model = null;
let drawing = false;
let last = null;
let pending = false;

function clearPad() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  predict();
}

function decode(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function stroke(e) {
  const r = pad.getBoundingClientRect();
  const p = { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
  ctx.strokeStyle = '#fff';
  ctx.fillStyle = '#fff';
  ctx.lineWidth = 24;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  if (last) { ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke(); }
  else { ctx.arc(p.x, p.y, ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill(); }
  last = p;
  schedule();
}

function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; predict(); });
}

function predict() {
  const img = ctx.getImageData(0, 0, pad.width, pad.height).data;
  const ink = new Float32Array(pad.width * pad.height);
  for (let i = 0; i < ink.length; i++) ink[i] = img[4 * i] / 255;
  const x = centerDigit(ink, pad.width, pad.height);
  const view = inputView.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(x[i] * 255);
    view.data.set([v, v, v, 255], 4 * i);
  }
  inputView.putImageData(view, 0, 0);
  if (!model) return;
  const empty = !x.some((v) => v > 0);
  const p = forwardNetwork(model, x, 1);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  document.getElementById('prediction').textContent = empty ? '' : model.classes[best];
  const rows = document.getElementById('probabilities').rows;
  for (let k = 0; k < p.length; k++) {
    const row = rows[k];
    row.className = !empty && k === best ? 'top' : '';
    row.cells[1].firstChild.style.width = (empty ? 0 : Math.round(p[k] * 200)) + 'px';
    row.cells[2].textContent = empty ? '' : (p[k] * 100).toFixed(1) + '%';
  }
  document.body.dataset.probabilities = empty ? '' : JSON.stringify(Array.from(p));
}

async function load() {
  for (;;) {
    const s = await (await fetch('/status')).json();
    status.textContent = s.message;
    if (s.ready) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const m = await (await fetch('/model.json')).json();
  for (const layer of m.layers) {
    for (const k of Object.keys(layer)) if (layer[k] && layer[k].f32) layer[k] = decode(layer[k].f32);
  }
  const table = document.getElementById('probabilities');
  for (const name of m.classes) {
    const row = table.insertRow();
    row.insertCell().textContent = name;
    const bar = document.createElement('div');
    bar.className = 'bar';
    row.insertCell().appendChild(bar);
    row.insertCell();
  }
  model = m;
  document.body.dataset.ready = 'true';
  predict();
}

pad.addEventListener('pointerdown', (e) => { drawing = true; last = null; pad.setPointerCapture(e.pointerId); stroke(e); });
pad.addEventListener('pointermove', (e) => {
  if (!drawing) return;
  const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
  for (const c of events.length ? events : [e]) stroke(c);
});
for (const type of ['pointerup', 'pointercancel']) pad.addEventListener(type, () => { drawing = false; last = null; });
document.getElementById('clear').addEventListener('click', clearPad);
clearPad();
load().catch((e) => { status.textContent = 'could not load the model: ' + e.message; });
`;

export function demoPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="status"></div>
<div class="row">
  <div><canvas id="pad" width="280" height="280"></canvas><br><button id="clear">Clear</button></div>
  <div><div>Model input (28 &times; 28)</div><canvas id="input" width="28" height="28"></canvas>
    <div>Prediction</div><div id="prediction"></div></div>
  <table id="probabilities"></table>
</div>
<script>${SCRIPT}</script>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
