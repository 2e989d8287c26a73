// `gemmnet export --model m.safetensors --onnx m.onnx`: a saved model as an ONNX file.
import { readCheckpoint, modelFromCheckpoint } from '../io/checkpoint';
import { exportOnnx } from '../export';
import { EXPORT_OPTIONS, parseOptions, UsageError } from './args';


/** Class names: --classes a,b,c, else those saved with the model (meta.classes), else none. */
export function savedClasses(meta: Record<string, unknown>): string[] | undefined {
  const c = meta.classes;
  return Array.isArray(c) && c.every((s) => typeof s === 'string') ? c as string[] : undefined;
}

export function exportCommand(argv: string[]): number {
  const o = parseOptions('export', argv, EXPORT_OPTIONS);
  if (!o.model || !o.onnx) throw new UsageError('export needs --model FILE.safetensors and --onnx FILE.onnx');
  const checkpoint = readCheckpoint(o.model);
  const model = modelFromCheckpoint(checkpoint, `export: ${o.model}`);
  const classes = o.classes !== undefined ? o.classes.split(',').map((s) => s.trim()) : savedClasses(checkpoint.meta);
  exportOnnx(model, o.onnx, { classes });
  process.stdout.write(`wrote ${o.onnx} (input [N, ${model.toSpec().input.join(', ')}], output [N, ${model.classes}]` +
    `${classes ? `, classes ${classes.join(' ')}` : ''})\n`);
  return 0;
}
