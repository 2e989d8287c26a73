'use strict';
// Hostile command lines: usage mistakes (exit 2, two lines: the mistake and the pointer to --help),
// files and data that cannot be used (exit 1, one line naming them), and small runs that must work
// (exit 0, their outputs checked). `setup` makes the case's files before the command runs.
const fs = require('fs');
const path = require('path');

const cli = (name, args, exit, stderr, extra = {}) => ({ group: 'cli', name, cli: args, exit, stderr, ...extra });
const NPZ = (c) => (fs.existsSync(c.NOTMNIST) ? c.NOTMNIST : null);
const data = (c) => (NPZ(c) ? ['--data', NPZ(c)] : []);

function usageCases() {
  const out = [];
  for (const [what, args, re] of [
    ['an unknown command', ['trian'], /unknown command "trian"; did you mean train/],
    ['an unknown option', ['train', '--epoch', '3'], /unknown option --epoch; did you mean --epochs/],
    ['--epochs 0', ['train', '--epochs', '0'], /--epochs/],
    ['--epochs x', ['train', '--epochs', 'x'], /--epochs must be a number/],
    ['--epochs 1e300', ['train', '--epochs', '1e300'], /--epochs/],
    ['--batch -1', ['train', '--batch', '-1'], /--batch/],
    ['--lr 0', ['train', '--lr', '0'], /--lr/],
    ['--lr NaN', ['train', '--lr', 'NaN'], /--lr/],
    ['--threads 0', ['train', '--threads', '0'], /--threads/],
    ['--seed -1', ['train', '--seed', '-1'], /--seed/],
    ['--split 1,2', ['train', '--split', '1,2'], /--split/],
    ['--split 0,1,1', ['train', '--split', '0,1,1'], /--split/],
    ['--keep-prob 2 for a cnn', ['train', '--model', 'cnn', '--keep-prob', '2'], /--keep-prob/],
    ['--l2 for an mlp', ['train', '--model', 'mlp', '--l2', '0.1'], /--l2 does not apply/],
    ['--model foo', ['train', '--model', 'foo'], /--model must be/],
    ['--epochs without a value', ['train', '--epochs'], /--epochs needs a value/],
    ['a stray argument', ['train', 'extra'], /unexpected argument "extra"/],
    ['export without --onnx', ['export', '--model', 'x.safetensors'], /--onnx/],
    ['sweep without a list', ['sweep', '--model', 'mlp', '--out', 'x'], /sweep|--hidden/],
    ['info with an option', ['info', '--fast'], /unknown option --fast/],
  ]) out.push(cli(`gemmnet ${what}`, () => args, 2, re));
  return out;
}

function fileCases() {
  const out = [];
  const train = (more) => (c) => ['train', '--epochs', '1', ...more(c)];
  for (const [what, setup, args, re] of [
    ['--data of a missing file', null, train((c) => ['--data', c.file('missing.npz')]), /missing\.npz/],
    ['--data of an empty folder', null, train((c) => ['--data', c.tmp]), /cannot choose a data set/],
    ['--data of a text file', (c) => c.write('notes.txt', 'hello'), train((c) => ['--data', c.file('notes.txt')]), /notes\.txt/],
    ['--data of a truncated .npz', (c) => c.write('cut.npz', fs.readFileSync(c.NOTMNIST).subarray(0, 5000)), train((c) => ['--data', c.file('cut.npz')]), /cut\.npz/],
    ['--data of a FIFO', (c) => c.mkfifo('p.npz'), train((c) => ['--data', c.file('p.npz')]), /FIFO/],
    ['--data /dev/zero', null, train(() => ['--data', '/dev/zero']), /device/],
    ['--data of images that are not 28x28 for the mlp', (c) => c.write('small.npz', c.g.encodeNpz({
      images: { data: new Uint8Array(20 * 8 * 8), shape: [20, 8, 8] }, labels: { data: new Uint8Array(20) } })),
    train((c) => ['--data', c.file('small.npz')]), /64 values, but the model takes 784/],
    ['--data with a label of 200', (c) => c.write('labels.npz', c.g.encodeNpz({
      images: { data: new Uint8Array(20 * 28 * 28), shape: [20, 28, 28] }, labels: { data: new Uint8Array(20).fill(200) } })),
    train((c) => ['--data', c.file('labels.npz'), '--hidden', '4']), /label|200|class/],
    ['--model of a missing JSON file', null, train((c) => ['--model', c.file('net.json')]), /net\.json/],
    ['--model of invalid JSON', (c) => c.write('net.json', '{ "input": [28, 28, 1], '), train((c) => ['--model', c.file('net.json')]), /net\.json is not valid JSON/],
    ['--model of a JSON array', (c) => c.write('net.json', '[1, 2]'), train((c) => ['--model', c.file('net.json')]), /net\.json must hold an object/],
    ['--model of a stack past 2^30 weights', (c) => c.write('net.json', JSON.stringify({ input: [784], layers: [{ type: 'dense', units: 1 << 20 }, { type: 'dense', units: 2048 }] })),
      train((c) => ['--model', c.file('net.json')]), /net\.json.*2\^30/],
    ['--model of a stack with an unknown layer', (c) => c.write('net.json', JSON.stringify({ input: [784], layers: [{ type: 'lstm' }] })),
      train((c) => ['--model', c.file('net.json')]), /net\.json.*type must be one of/],
    ['--model of a FIFO named .json', (c) => c.mkfifo('net.json'), train((c) => ['--model', c.file('net.json')]), /net\.json/],
    ['--model of /dev/zero through a .json link', (c) => fs.symlinkSync('/dev/zero', c.file('zero.json')), train((c) => ['--model', c.file('zero.json')]), /zero\.json/],
    ['--out at an existing file', (c) => c.write('taken', 'x'), train((c) => ['--out', c.file('taken')]), /exists and is not a directory/],
    ['--out under /proc', null, train(() => ['--out', '/proc/gemmnet/out']), /cannot write files there/],
    ['export of a missing model', null, (c) => ['export', '--model', c.file('none.safetensors'), '--onnx', c.file('m.onnx')], /none\.safetensors/],
    ['export of a corrupt model', (c) => c.write('bad.safetensors', Buffer.alloc(100, 7)), (c) => ['export', '--model', c.file('bad.safetensors'), '--onnx', c.file('m.onnx')], /bad\.safetensors/],
    ['export of a FIFO', (c) => c.mkfifo('f.safetensors'), (c) => ['export', '--model', c.file('f.safetensors'), '--onnx', c.file('m.onnx')], /FIFO/],
    ['export to a folder', (c) => c.savedModel(), (c) => ['export', '--model', c.file('model.safetensors'), '--onnx', c.tmp], /directory/],
    ['export to /proc', (c) => c.savedModel(), (c) => ['export', '--model', c.file('model.safetensors'), '--onnx', '/proc/m.onnx'], /proc/],
    ['demo of a corrupt model', (c) => c.write('bad.safetensors', 'x'), (c) => ['demo', '--model', c.file('bad.safetensors'), '--port', '0'], /bad\.safetensors/],
  ]) {
    out.push(cli(`gemmnet ${what}`, args, 1, re, { setup, needsData: what.includes('truncated') }));
  }
  return out;
}

function runCases() {
  const out = [];
  out.push(cli('gemmnet train --limit 40 --hidden 8 --out DIR writes a model that loads', (c) => ['train', ...data(c), '--epochs', '1', '--limit', '40',
    '--hidden', '8', '--out', c.file('out')], 0, null, {
    check: (c) => {
      const m = c.g.load(c.file('out/model.safetensors'));
      const h = JSON.parse(fs.readFileSync(c.file('out/history.json'), 'utf8'));
      const left = fs.readdirSync(c.file('out')).filter((f) => f.endsWith('.tmp'));
      return (m.shapes.W_h.join() === '784,8' && h.epochs.length === 1 && left.length === 0) || `shapes ${m.shapes.W_h}, ${h.epochs.length} epochs, left ${left}`;
    },
  }));
  out.push(cli('gemmnet train of a JSON stack on 40 samples', (c) => ['train', ...data(c), '--epochs', '1', '--limit', '40', '--model', c.file('net.json')], 0, null, {
    setup: (c) => c.write('net.json', JSON.stringify({ input: [28, 28, 1], layers: [{ type: 'maxPool2d', size: 4 }, { type: 'flatten' }, { type: 'dense', units: 10 }] })),
    check: (c, r) => /final: test accuracy \d+\.\d+%/.test(r.stdout) || r.stdout,
  }));
  out.push(cli('gemmnet export of a saved model', (c) => ['export', '--model', c.file('model.safetensors'), '--onnx', c.file('m.onnx')], 0, null, {
    setup: (c) => c.savedModel(),
    check: (c) => fs.statSync(c.file('m.onnx')).size > 100 || 'empty',
  }));
  out.push(cli('gemmnet info prints JSON', () => ['info'], 0, null, { check: (c, r) => typeof JSON.parse(r.stdout).simd === 'string' || r.stdout }));
  out.push(cli('gemmnet --version', () => ['--version'], 0, null, { check: (c, r) => /^\d+\.\d+\.\d+\n$/.test(r.stdout) || r.stdout }));
  return out;
}

module.exports = () => [...usageCases(), ...fileCases(), ...runCases()];
module.exports.needsNotMnist = NPZ;
