import type { RequestLine } from '../../load/plan.ts';
import type { Operation, Recorded } from '../history/history.ts';
import type { Outcome } from '../history/outcome.ts';

/** k6's network error codes (k6 docs, "error codes") as the harness's outcome classes. */
const NETWORK: Record<string, Outcome> = { '1050': 'timeout-headers', '1211': 'timeout-connect', '1212': 'refused', '1220': 'refused', '1000': 'other' };

/** How the history names the terminals k6 drives: `k6-` and the link they send through. */
const K6_CLIENT = 'k6-';

/**
 * One of k6's request lines as a request of the history: the same record a mean test's client
 * writes, on the history's clock (`originEpochMs` is the epoch time of the history's zero). The
 * request's target is the terminal link it went through (`targets`, in the plan's order, as a
 * mean test's terminal names its link); the class k6 gave a failure is kept in `code`.
 */
export function fromK6Line(line: RequestLine, originEpochMs: number, phase: string, targets: readonly string[] = []): Omit<Operation, 'type' | 'id'> {
  const network = /^network:(\d+)$/.exec(line.class)?.[1];
  const outcome: Outcome =
    line.class === 'ok' ? 'ok' : line.class === 'overflow' ? 'overflow' : network !== undefined ? (NETWORK[network] ?? 'other') : line.status >= 500 ? 'server-error' : line.status >= 400 ? 'client-error' : 'other';
  const target = targets[line.cs] ?? `cs-${line.cs}`;
  return {
    client: `${K6_CLIENT}${target}`,
    op: line.op,
    target,
    startMs: line.t - originEpochMs,
    endMs: line.t - originEpochMs + line.ms,
    outcome,
    ...(line.status > 0 && { status: line.status }),
    ...(line.class !== 'ok' && { code: line.class }),
    data: { phase },
  };
}

/** Whether a request of the history is one k6 sent (a terminal of the suite's load). */
export const isK6Request = (operation: Pick<Operation, 'client'>) => operation.client.startsWith(K6_CLIENT);

/** The requests k6 sent, as the history holds them (in the order they were imported). */
export function k6Requests(history: Pick<Recorded, 'requests'>, phase?: string): Operation[] {
  return history.requests.filter((operation) => isK6Request(operation) && (phase === undefined || operation.data?.['phase'] === phase));
}
