import { catalogEntry } from '../../faults/catalog.ts';
import { statesOf } from '../../faults/kit/evidence.ts';
import type { FaultContext } from '../../faults/types.ts';
import type { Recorded } from '../history/history.ts';
import { messageOutcomes } from '../load/analysis.ts';
import type { SystemView } from '../target/types.ts';
import type { SuiteResult } from './types.ts';

/** Arrivals' random wait (s) and the longest work (s, a card) for k6's VU budget. */
export const PACE = { jitterS: 2, longestS: 10 };

/** The query that records a relay's messages by outcome, read from its log (CONTRACT.md 2.2). */
export const MESSAGE_OUTCOMES = 'message-outcomes';

/** A fault's public name and viewpoints, for a suite result about it. */
export function describe(id: string): { fault: string; title: string; viewpoints: string[] } {
  return { fault: id, ...catalogEntry(id) };
}

/**
 * One look at every relay once the load is over: its state, and its log (the log events, and its
 * messages counted by outcome). Each is a query of the history; a look that fails is recorded
 * with its error.
 */
export async function lookAtRelays(context: Pick<FaultContext, 'topology' | 'view' | 'history'>): Promise<void> {
  await Promise.all(
    context.view.relays.map(async ({ name }) => {
      const component = context.topology.component(name);
      await component.status().catch(() => undefined);
      await context.history.query(name, MESSAGE_OUTCOMES, () => component.logs(), messageOutcomes).catch(() => undefined);
    }),
  );
}

/** The messages `relay` counted by outcome at its last look, or undefined if it was never read. */
export function relayOutcomes(history: Recorded, relay: string): Record<string, number> | undefined {
  const last = history.queries.findLast((query) => query.target === relay && query.query === MESSAGE_OUTCOMES && query.result !== undefined);
  return last?.result as Record<string, number> | undefined;
}

/** Overflow answers the relays counted (as the 2016 records did, at the relay). */
export function overflowsAtRelays(history: Recorded, view: SystemView): number {
  return view.relays.reduce((sum, relay) => sum + (relayOutcomes(history, relay.name)?.['overflow'] ?? 0), 0);
}

/**
 * F2's signature under load: a relay that exited with a non-zero status, from its recorded states.
 * A relay whose state was never recorded, or that stopped with status 0, leaves F2 undecided.
 */
export function judgeRelaysAlive(history: Recorded, view: SystemView): SuiteResult {
  const rows = view.relays.map((relay) => {
    const states = statesOf(history, relay.name);
    const died = states.find((sample) => sample.state === 'exited' && sample.exitCode !== null && sample.exitCode !== 0);
    const last = states.at(-1);
    return { relay: relay.name, died, last, samples: states.length };
  });
  const measurements = { relays: rows.map((row) => ({ relay: row.relay, state: row.last?.state ?? 'unknown', exitCode: row.last?.exitCode ?? null, samples: row.samples })) };
  const dead = rows.filter((row) => row.died).sort((a, b) => (a.died?.atMs ?? 0) - (b.died?.atMs ?? 0));
  const base = { ...describe('F2'), evidence: [], measurements };
  if (dead.length > 0) {
    return {
      ...base,
      verdict: 'finding',
      detectedAfterMs: Math.round(dead[0]?.died?.atMs ?? 0),
      summary: `${dead.map((row) => `${row.relay} exited with status ${row.died?.exitCode} (seen at ${((row.died?.atMs ?? 0) / 1000).toFixed(1)} s)`).join(', ')} under load`,
    };
  }
  const undecided = rows.filter((row) => row.last?.state !== 'running');
  if (undecided.length > 0) {
    return {
      ...base,
      verdict: 'inconclusive',
      detectedAfterMs: null,
      summary: `no relay exited with an error, but ${undecided.map((row) => `${row.relay} ${row.last ? `${row.last.state} (exit ${row.last.exitCode})` : 'state never recorded'}`).join(', ')}`,
    };
  }
  return { ...base, verdict: 'pass', detectedAfterMs: null, summary: `every relay (${rows.length}) kept running through the load` };
}
