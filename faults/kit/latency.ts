import { latencyOf, percentile, type Operation } from '../../harness/fault-api.ts';

export interface Trend {
  /** Least-squares slope of the answered requests' latency against send time. */
  slopeMsPerMin: number;
  /** Median latency of the first and the last fifth of the run. */
  firstMedianMs: number | null;
  lastMedianMs: number | null;
  samples: number;
  /** When the last answer counted came back (history clock), or null without samples. */
  lastEndMs: number | null;
}

/**
 * How latency moves under load that does not change: the F5 signature is a steady climb. The
 * first `warmUp` share of the answers is left out: connections and compiled code are still being
 * set up there, and a slow start would hide a climb.
 */
export function latencyTrend(requests: readonly Operation[], warmUp = 0.1): Trend {
  const sorted = requests.filter((request) => request.outcome === 'ok').sort((a, b) => a.startMs - b.startMs);
  const answered = sorted.slice(Math.floor(sorted.length * warmUp));
  let lastEndMs: number | null = null;
  for (const request of answered) lastEndMs = Math.max(lastEndMs ?? -Infinity, request.endMs);
  if (answered.length < 2) return { slopeMsPerMin: 0, firstMedianMs: null, lastMedianMs: null, samples: answered.length, lastEndMs };
  const t0 = answered[0]?.startMs ?? 0;
  const xs = answered.map((request) => (request.startMs - t0) / 60_000);
  const ys = answered.map(latencyOf);
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, index) => {
    sxy += (x - mx) * ((ys[index] ?? 0) - my);
    sxx += (x - mx) ** 2;
  });
  const fifth = Math.max(1, Math.floor(answered.length / 5));
  const median = (slice: readonly Operation[]) => percentile(slice.map(latencyOf).sort((a, b) => a - b), 50);
  return {
    slopeMsPerMin: sxx === 0 ? 0 : sxy / sxx,
    firstMedianMs: median(answered.slice(0, fifth)),
    lastMedianMs: median(answered.slice(-fifth)),
    samples: answered.length,
    lastEndMs,
  };
}
