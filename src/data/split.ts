// The course's data split: `np.random.seed(seed); order = np.arange(n); np.random.shuffle(order)`.
import { MT19937, checkSeed } from '../random';

/**
 * The permutation NumPy's legacy shuffle produces for `arange(n)` after `np.random.seed(seed)`,
 * element for element. n must be an integer in [0, 2^31 - 1]; seed an integer in [0, 2^32 - 1].
 */
export function seedSplit(n: number, seed: number): Int32Array {
  if (typeof n !== 'number') throw new TypeError(`seedSplit: n must be an integer in [0, 2147483647], got ${typeof n}`);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`seedSplit: n must be an integer in [0, 2147483647], got ${n}`);
  }
  checkSeed(seed, 'seedSplit: seed');
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return new MT19937(seed).shuffle(order);
}
