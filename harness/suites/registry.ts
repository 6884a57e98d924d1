import type { Suite } from './types.ts';

/** The suites by public name (F13's three tests); the CLI rejects an unknown name listing these. */
const CATALOG = new Map<string, () => Promise<Suite>>([
  ['load', async () => (await import('./load.ts')).default],
  ['limit', async () => (await import('./limit.ts')).default],
  ['continuous', async () => (await import('./continuous.ts')).default],
]);

export const SUITE_IDS: readonly string[] = [...CATALOG.keys()];

export function loadSuite(id: string): Promise<Suite> | undefined {
  return CATALOG.get(id)?.();
}
