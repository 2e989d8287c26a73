// The models a checkpoint can rebuild, by the `kind` it stores: each builder takes the model's
// options exactly as model.options gives them. One table, so save and load agree on every kind.
import { cnn } from '../cnn';
import { mlp } from '../mlp';
import type { Network } from '../network';
import { sequential } from '../sequential';

export const MODEL_BUILDERS: Readonly<Record<string, (options: Record<string, unknown>) => Network>> = Object.freeze({
  mlp: (o) => mlp(o),
  cnn: (o) => cnn(o),
  sequential: (o) => sequential(o as never),
});

export function isModelKind(kind: unknown): kind is string {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(MODEL_BUILDERS, kind);
}
