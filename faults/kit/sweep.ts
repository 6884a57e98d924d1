import type { Rng } from '../../harness/fault-api.ts';

/**
 * `count` settings that visit every one of `steps` values in a seeded order: a seeded start and a
 * stride coprime with `steps`, so that any prefix of `steps` settings covers them all once.
 */
export function seededSweep(rng: Rng, steps: number, count: number): number[] {
  const start = rng.int(0, steps - 1);
  const strides = Array.from({ length: steps }, (_, index) => index + 1).filter((stride) => gcd(stride, steps) === 1);
  const stride = rng.pick(strides);
  return Array.from({ length: count }, (_, index) => (start + index * stride) % steps);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
