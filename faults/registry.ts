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
  ['F11', async () => (await import('./F11-vendor-boundary.ts')).default],
  ['F12', async () => (await import('./F12-failover.ts')).default],
  ['F14', async () => (await import('./F14-unjoinable-logs.ts')).default],
  ['F16', async () => (await import('./F16-duplicate-codes.ts')).default],
  ['F17', async () => (await import('./F17-pins-written-down.ts')).default],
]);

/** Faults outside the catalog: run only when named (the template to copy, run end to end by the tests). */
const EXTRA = new Map<string, () => Promise<Fault>>([['NOOP', async () => (await import('./noop.ts')).default]]);

/**
 * F15 is no fault of its own: the runner runs the other selected faults again under production's
 * parameter sheet and compares verdicts (faults/F15-production-parameters.ts).
 */
export const SHEET_COMPARISON_ID = 'F15';

/** The catalog's mean tests, in catalog order. */
export const FAULT_IDS: readonly string[] = [...CATALOG.keys(), SHEET_COMPARISON_ID].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
/** What `ijiwaru run` runs by default: F15 doubles a run, so it runs when named or given a production sheet. */
export const DEFAULT_FAULT_IDS: readonly string[] = [...CATALOG.keys()];
/** Every fault a run may name. */
export const KNOWN_FAULT_IDS: readonly string[] = [...FAULT_IDS, ...EXTRA.keys()];

/** A fault's module; none for F15, which the runner does itself. */
export function loadFault(id: string): Promise<Fault> | undefined {
  return (CATALOG.get(id) ?? EXTRA.get(id))?.();
}
