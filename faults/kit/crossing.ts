import { wait } from './wait.ts';

export interface CrossingSearch {
  /** The first setting tried, and how much each step adds. */
  start: number;
  step: number;
  maxSteps: number;
  /** How long each setting holds before its answers are counted (the second half of it counts). */
  dwellMs: number;
  signal: AbortSignal;
  /** Puts a setting in place (a link's latency). */
  apply(setting: number): Promise<void>;
  /** The share of answers that timed out among those that ended after `sinceMs`, and how many there were. */
  share(sinceMs: number): { share: number; count: number };
  now(): number;
}

/**
 * The search for the setting at which a declared timeout starts to fire: settings grow by `step`
 * until at least half of at least five answers time out. Returns that setting, or null if the
 * steps ran out (or the signal aborted) first.
 */
export async function timeoutCrossing(search: CrossingSearch): Promise<number | null> {
  let setting = search.start;
  for (let index = 0; index < search.maxSteps && !search.signal.aborted; index++, setting += search.step) {
    await search.apply(setting);
    const from = search.now();
    await wait(search.dwellMs, search.signal);
    const { share, count } = search.share(from + search.dwellMs / 2);
    if (count >= 5 && share >= 0.5) return setting;
  }
  return null;
}
