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
  ['F5', async () => (await import('./F5-thread-names.ts')).default],
  ['F6', async () => (await import('./F6-card-server-memory.ts')).default],
  ['F7', async () => (await import('./F7-chip-record-disagree.ts')).default],
  ['F8', async () => (await import('./F8-restart-during-ic-write.ts')).default],
  ['F9', async () => (await import('./F9-false-finished.ts')).default],
  ['F10', async () => (await import('./F10-address-characters.ts')).default],
  ['F12', async () => (await import('./F12-failover.ts')).default],
  ['F14', async () => (await import('./F14-unjoinable-logs.ts')).default],
  ['F16', async () => (await import('./F16-duplicate-codes.ts')).default],
  ['F17', async () => (await import('./F17-pins-written-down.ts')).default],
]);

/** Faults outside the catalog: run only when named (the template to copy, run end to end by the tests). */
const EXTRA = new Map<string, () => Promise<Fault>>([['NOOP', async () => (await import('./noop.ts')).default]]);

/** The catalog's mean tests: what `ijiwaru run` runs by default. */
export const FAULT_IDS: readonly string[] = [...CATALOG.keys()];
/** Every fault a run may name. */
export const KNOWN_FAULT_IDS: readonly string[] = [...CATALOG.keys(), ...EXTRA.keys()];

export function loadFault(id: string): Promise<Fault> | undefined {
  return (CATALOG.get(id) ?? EXTRA.get(id))?.();
}
