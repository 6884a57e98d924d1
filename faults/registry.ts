import type { Fault } from './types.ts';

/**
 * The catalog by public ID. Modules register here explicitly (no import side effects); the CLI
 * rejects an unknown ID listing these.
 */
const CATALOG = new Map<string, () => Promise<Fault>>([
  ['F1', async () => (await import('./F1-monitor-collision.ts')).default],
  ['F2', async () => (await import('./F2-timer-race.ts')).default],
  ['F3', async () => (await import('./F3-overflow-block.ts')).default],
  ['F4', async () => (await import('./F4-search-timeout-block.ts')).default],
]);

export const FAULT_IDS: readonly string[] = [...CATALOG.keys()];

export function loadFault(id: string): Promise<Fault> | undefined {
  return CATALOG.get(id)?.();
}
