// Models and optimizers as plain data that can cross to a worker thread and back.
import type { Network } from '../network';
import type { Optimizer } from '../optim';
import type { ModelSnapshot, OptimizerSnapshot } from './protocol';

export function snapshotModel(model: Network): ModelSnapshot {
  return {
    kind: model.kind,
    options: JSON.parse(JSON.stringify(model.options)) as Record<string, unknown>,
    params: model.params.slice(),
    state: Object.fromEntries(Object.entries(model.getState()).map(([k, v]) => [k, v.slice()])),
    counters: model.getCounters(),
  };
}

export function restoreModel(model: Network, s: ModelSnapshot): void {
  model.params.set(s.params);
  model.setState(s.state);
  model.setCounters(s.counters);
}

export function snapshotOptimizer(o: Optimizer): OptimizerSnapshot {
  const { step, buffers } = o.getState();
  return { name: o.name, config: { ...o.config }, step, buffers };
}
