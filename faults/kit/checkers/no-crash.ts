import type { Recorded } from '../../../harness/fault-api.ts';
import { statesOf } from '../evidence.ts';

/** Actions after which a component may be seen exited: it was told to stop. */
const TOLD_TO_STOP = new Set(['stop', 'kill']);
/** Actions after which it must be running again. */
const BROUGHT_BACK = new Set(['restart', 'start']);

export interface Crash {
  target: string;
  atMs: number;
  exitCode: number | null;
}

/**
 * No crash: no component was seen exited unless the harness had told it to stop (and had not
 * brought it back since). Pure over the status queries and injections of a history; a component
 * never looked at cannot be judged, so a fault that wants this check samples the states.
 */
export function crashes(history: Recorded): Crash[] {
  const targets = new Set(history.queries.filter((query) => query.query === 'status').map((query) => query.target));
  const found: Crash[] = [];
  for (const target of targets) {
    const actions = history.injections.filter((injection) => injection.target === target && (TOLD_TO_STOP.has(injection.action) || BROUGHT_BACK.has(injection.action)));
    for (const sample of statesOf(history, target)) {
      if (sample.state !== 'exited') continue;
      const last = actions.filter((action) => action.atMs <= sample.atMs).at(-1);
      // A restart that is still under way when the state was read has stopped the component itself.
      const restarting = last && BROUGHT_BACK.has(last.action) && last.endMs >= sample.atMs;
      if (!(last && TOLD_TO_STOP.has(last.action)) && !restarting) {
        found.push({ target, atMs: sample.atMs, exitCode: sample.exitCode });
        break;
      }
    }
  }
  return found;
}
