import type { RequestLine } from '../../load/plan.ts';
import type { Injection, Operation } from '../history/history.ts';
import { percentile } from '../load/analysis.ts';
import { color, type ChartSpec, type Mark } from './html-charts.ts';

/** One request as the timeline needs it, on the run's clock (ms since the history began). */
export interface TimedRequest {
  startMs: number;
  endMs: number;
  /** `ok`, or the kind of failure or refusal. */
  cls: string;
}

/** Buckets per chart at most: enough to see a one-minute block at any scale, small enough to embed. */
const MAX_BUCKETS = 150;
const BUCKET_STEPS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
/** Error classes drawn one by one; the rest are summed. */
const MAX_CLASSES = 7;

export function fromHistory(operations: readonly Operation[]): TimedRequest[] {
  return operations.map((operation) => ({
    startMs: operation.startMs,
    endMs: operation.endMs,
    // The contract's error word tells a block from a timeout where the status alone does not.
    cls: operation.code && (operation.outcome === 'server-error' || operation.outcome === 'client-error') ? `${operation.outcome}:${operation.code}` : operation.outcome,
  }));
}

/** k6's lines (epoch ms) on the suite's clock, whose start is at `originEpochMs`. */
export function fromK6(lines: readonly RequestLine[], originEpochMs: number): TimedRequest[] {
  return lines.map((line) => ({ startMs: line.t - originEpochMs, endMs: line.t - originEpochMs + line.ms, cls: line.class }));
}

function bucketMs(spanMs: number): number {
  return BUCKET_STEPS_MS.find((step) => spanMs / step <= MAX_BUCKETS) ?? Math.ceil(spanMs / MAX_BUCKETS);
}

/**
 * Injections as bands: a toxic from its addition to its removal, a cut to its heal, a pause to its
 * resume, anything else (a kill, an operator command, a load phase) from its start to its end.
 */
export function injectionMarks(injections: readonly Injection[]): Mark[] {
  const marks: Mark[] = [];
  const open = new Map<string, Mark>();
  const opening: Record<string, string> = { 'toxic-add': 'toxic', cut: 'link', pause: 'pause' };
  const closing: Record<string, string> = { 'toxic-remove': 'toxic', heal: 'link', resume: 'pause' };
  const key = (injection: Injection, kind: string) => `${injection.target}|${kind}|${String(injection.detail?.['toxic'] ?? '')}`;
  for (const injection of [...injections].sort((a, b) => a.atMs - b.atMs)) {
    const label = `${injection.target}: ${describe(injection)}${injection.error ? ` (failed: ${injection.error})` : ''}`;
    const opens = opening[injection.action];
    const closes = closing[injection.action];
    const pending = closes ? open.get(key(injection, closes)) : undefined;
    if (pending) {
      pending.toS = injection.endMs / 1000;
      open.delete(key(injection, closes ?? ''));
      continue;
    }
    const mark: Mark = { fromS: injection.atMs / 1000, toS: opens ? null : injection.endMs / 1000, label };
    if (opens) open.set(key(injection, opens), mark);
    marks.push(mark);
  }
  return marks;
}

function describe(injection: Injection): string {
  const detail = injection.detail ?? {};
  if (injection.action === 'toxic-add') {
    const attributes = Object.entries((detail['attributes'] as Record<string, unknown> | undefined) ?? {}).map(([name, value]) => `${name}=${String(value)}`);
    return `${String(detail['type'])} ${String(detail['stream'])} ${attributes.join(' ')}`.trim();
  }
  if (injection.action === 'exec') return `exec ${((detail['argv'] as unknown[] | undefined) ?? []).map(String).join(' ')}`;
  if (injection.action === 'load') return `load phase ${String(detail['phase'] ?? '')}`;
  if (injection.action === 'limit-memory') return `limit memory to ${String(detail['bytes'])} bytes`;
  return injection.action;
}

/**
 * The three charts of a timeline, bucketed by completion time: requests completed per second,
 * latency percentiles of the requests completed in each bucket (failures included: a timeout
 * shows as the wait it was), and every class other than `ok` per bucket.
 */
export function timelineCharts(id: string, requests: readonly TimedRequest[], marks: readonly Mark[]): { bucketMs: number; charts: ChartSpec[] } {
  // Loops, not Math.max(...): a suite's history holds more requests than a call takes arguments.
  // The axis starts at the first request or injection: a suite's clock starts before its system is up.
  let startMs = Infinity;
  let endMs = 1;
  for (const request of requests) [startMs, endMs] = [Math.min(startMs, request.startMs), Math.max(endMs, request.endMs)];
  for (const mark of marks) [startMs, endMs] = [Math.min(startMs, mark.fromS * 1000), Math.max(endMs, (mark.toS ?? mark.fromS) * 1000)];
  startMs = Number.isFinite(startMs) ? Math.max(0, startMs) : 0;
  const step = bucketMs(Math.max(1, endMs - startMs));
  const originMs = Math.floor(startMs / step) * step;
  const buckets = Array.from({ length: Math.floor((endMs - originMs) / step) + 1 }, () => [] as TimedRequest[]);
  for (const request of requests) buckets[Math.max(0, Math.floor((request.endMs - originMs) / step))]?.push(request);
  const x = buckets.map((_, index) => round((originMs + index * step) / 1000));
  const classTotals = new Map<string, number>();
  for (const request of requests) if (request.cls !== 'ok') classTotals.set(request.cls, (classTotals.get(request.cls) ?? 0) + 1);
  const ranked = [...classTotals.entries()].sort((a, b) => b[1] - a[1]).map(([cls]) => cls);
  const shown = ranked.slice(0, MAX_CLASSES);
  const rest = new Set(ranked.slice(MAX_CLASSES));
  const latencies = buckets.map((bucket) => bucket.map((request) => request.endMs - request.startMs).sort((a, b) => a - b));
  const base = { xLabel: 's on the run clock', x, marks: [...marks], sync: id };
  const charts: ChartSpec[] = [
    {
      ...base,
      id: `${id}-throughput`,
      yLabel: 'completed / s',
      series: [{ label: 'completed / s', values: buckets.map((bucket) => round((bucket.length * 1000) / step)), color: color(0) }],
    },
    {
      ...base,
      id: `${id}-latency`,
      yLabel: 'latency ms',
      series: [50, 95, 99].map((p, index) => ({ label: `p${p}`, values: latencies.map((sorted) => roundOrNull(percentile(sorted, p))), color: color(index) })),
    },
    {
      ...base,
      id: `${id}-errors`,
      yLabel: 'requests',
      series: [
        ...shown.map((cls, index) => ({ label: cls, values: buckets.map((bucket) => bucket.filter((request) => request.cls === cls).length), color: color(index + 1) })),
        ...(rest.size > 0 ? [{ label: 'other classes', values: buckets.map((bucket) => bucket.filter((request) => rest.has(request.cls)).length), color: color(0) }] : []),
        ...(ranked.length === 0 ? [{ label: 'no errors', values: buckets.map(() => 0), color: color(2) }] : []),
      ],
    },
  ];
  return { bucketMs: step, charts };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}
