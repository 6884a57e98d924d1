import { catalogEntry } from '../../faults/catalog.ts';
import type { SuiteContext, SuiteResult } from './types.ts';

/** Arrivals' random wait (s) and the longest work (s, a card) for k6's VU budget. */
export const PACE = { jitterS: 2, longestS: 10 };

/** A fault's public name and viewpoints, for a suite result about it. */
export function describe(id: string): { fault: string; title: string; viewpoints: string[] } {
  return { fault: id, ...catalogEntry(id) };
}

/** Whether any relay ended abnormally under the load (F2's signature in a load test). */
export async function relaysAlive(context: SuiteContext): Promise<SuiteResult> {
  const statuses = await Promise.all(context.view.relays.map(async (relay) => ({ relay: relay.name, ...(await context.topology.component(relay.name).status()) })));
  const dead = statuses.filter((status) => status.state !== 'running');
  return {
    ...describe('F2'),
    verdict: dead.length > 0 ? 'finding' : 'pass',
    detectedAfterMs: null,
    summary:
      dead.length > 0
        ? `${dead.map((status) => `${status.relay} ended with status ${status.exitCode}`).join(', ')} under load`
        : `every relay (${statuses.length}) kept running through the load`,
    evidence: [],
    measurements: { relays: statuses },
  };
}

