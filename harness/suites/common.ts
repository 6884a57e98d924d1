import { loadFault } from '../../faults/registry.ts';
import type { SuiteContext, SuiteResult } from './types.ts';

/** Arrivals' random wait (s) and the longest work (s, a card) for k6's VU budget. */
export const PACE = { jitterS: 2, longestS: 10 };

/** A fault's public name and viewpoints, for a suite result about it. */
export async function describe(id: string): Promise<{ fault: string; title: string; viewpoints: string[] }> {
  const fault = await loadFault(id);
  return { fault: id, title: fault?.title ?? id, viewpoints: fault?.viewpoints ?? [] };
}

/** Whether any relay ended abnormally under the load (F2's signature in a load test). */
export async function relaysAlive(context: SuiteContext): Promise<SuiteResult> {
  const statuses = await Promise.all(context.view.relays.map(async (relay) => ({ relay: relay.name, ...(await context.topology.component(relay.name).status()) })));
  const dead = statuses.filter((status) => status.state !== 'running');
  return {
    ...(await describe('F2')),
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

