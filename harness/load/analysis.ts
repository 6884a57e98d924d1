// Pure functions of a suite's history requests (k6's requests imported by harness/load/k6-history.ts,
// the class k6 gave each kept in its `code`): what the suites' judges count. No I/O, so a run can be
// judged again from its evidence folder.
import type { Operation } from '../history/history.ts';

/**
 * The class a k6 line had: `ok`, or its failure's class (`refused` for an answer about the record's
 * state, `network:N`, the contract's word or `status-N`), which fromK6Line keeps in `code`.
 */
export function classOf(request: Operation): string {
  return request.outcome === 'ok' ? 'ok' : (request.code ?? request.outcome);
}

/** Classes that are the system failing, as opposed to answering (ok) or refusing by state. */
export const isErrorClass = (cls: string) => cls !== 'ok' && cls !== 'refused';

/** A request the system failed (not answered, nor refused for the record's state). */
export const isError = (request: Operation) => isErrorClass(classOf(request));

/** How long a request took, ms. */
export const latencyOf = (request: Operation) => request.endMs - request.startMs;

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** The earliest send time among `requests` (a loop: a suite holds more requests than a call takes arguments). */
export function firstStartMs(requests: readonly Operation[]): number {
  let first = Infinity;
  for (const request of requests) first = Math.min(first, request.startMs);
  return first;
}

export function lastStartMs(requests: readonly Operation[]): number {
  let last = -Infinity;
  for (const request of requests) last = Math.max(last, request.startMs);
  return last;
}

export function countClasses(requests: readonly Operation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const cls = classOf(request);
    counts[cls] = (counts[cls] ?? 0) + 1;
  }
  return counts;
}

export interface Bucket {
  /** Seconds from the first request. */
  fromS: number;
  toS: number;
  sent: number;
  perS: number;
  classes: Record<string, number>;
  /** Latency of the answered requests (ok or refused), ms. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The run cut into `bucketS`-second windows by send time. */
export function timeSeries(requests: readonly Operation[], bucketS: number): Bucket[] {
  if (requests.length === 0) return [];
  const t0 = firstStartMs(requests);
  const count = Math.floor((lastStartMs(requests) - t0) / 1000 / bucketS) + 1;
  const groups: Operation[][] = Array.from({ length: count }, () => []);
  for (const request of requests) groups[Math.floor((request.startMs - t0) / 1000 / bucketS)]?.push(request);
  return groups.map((group, index) => {
    const latencies = group
      .filter((request) => !isError(request))
      .map(latencyOf)
      .sort((a, b) => a - b);
    return {
      fromS: index * bucketS,
      toS: (index + 1) * bucketS,
      sent: group.length,
      perS: group.length / bucketS,
      classes: countClasses(group),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    };
  });
}

/** A relay's messages by the outcome its log gave each (CONTRACT.md 2.2: one `message` line per message). */
export function messageOutcomes(log: string): Record<string, number> {
  const outcomes: Record<string, number> = {};
  for (const line of log.split('\n')) {
    if (!line.includes('"message"')) continue;
    try {
      const entry = JSON.parse(line) as { event?: unknown; outcome?: unknown };
      if (entry.event === 'message' && typeof entry.outcome === 'string') outcomes[entry.outcome] = (outcomes[entry.outcome] ?? 0) + 1;
    } catch {
      // Not a log line of the contract.
    }
  }
  return outcomes;
}
