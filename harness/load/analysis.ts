// Pure functions of the load history (one line per request, load/plan.ts RequestLine): what the
// suites' oracles count. No I/O, so a run can be re-judged from its evidence folder.
import type { RequestLine } from '../../load/plan.ts';

/** Classes that are the system failing, as opposed to answering (ok) or refusing by state. */
export const isError = (cls: string) => cls !== 'ok' && cls !== 'refused';

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function countClasses(requests: readonly RequestLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) counts[request.class] = (counts[request.class] ?? 0) + 1;
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
export function timeSeries(requests: readonly RequestLine[], bucketS: number): Bucket[] {
  if (requests.length === 0) return [];
  const t0 = Math.min(...requests.map((request) => request.t));
  const count = Math.floor((Math.max(...requests.map((request) => request.t)) - t0) / 1000 / bucketS) + 1;
  const groups: RequestLine[][] = Array.from({ length: count }, () => []);
  for (const request of requests) groups[Math.floor((request.t - t0) / 1000 / bucketS)]?.push(request);
  return groups.map((group, index) => {
    const latencies = group.filter((request) => !isError(request.class)).map((request) => request.ms).sort((a, b) => a - b);
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

export interface BlockEpisode {
  cs: number;
  /** Seconds from the first request of the run. */
  fromS: number;
  toS: number;
  blockedAnswers: number;
}

/**
 * Times a CS refused all work: runs of `blocked` answers at one CS, a new episode when more than
 * `gapMs` passed since the last one (the CS's block length is the natural gap).
 */
export function blockEpisodes(requests: readonly RequestLine[], gapMs: number): BlockEpisode[] {
  if (requests.length === 0) return [];
  const t0 = Math.min(...requests.map((request) => request.t));
  const episodes: BlockEpisode[] = [];
  const open = new Map<number, { episode: BlockEpisode; lastMs: number }>();
  const blocked = requests.filter((request) => request.class === 'blocked').sort((a, b) => a.t + a.ms - (b.t + b.ms));
  for (const request of blocked) {
    const atMs = request.t + request.ms - t0;
    const current = open.get(request.cs);
    if (current && atMs - current.lastMs <= gapMs) {
      current.episode.toS = atMs / 1000;
      current.episode.blockedAnswers++;
      current.lastMs = atMs;
      continue;
    }
    const episode = { cs: request.cs, fromS: atMs / 1000, toS: atMs / 1000, blockedAnswers: 1 };
    episodes.push(episode);
    open.set(request.cs, { episode, lastMs: atMs });
  }
  return episodes.sort((a, b) => a.fromS - b.fromS);
}

export interface Trend {
  /** Least-squares slope of the answered requests' latency against send time. */
  slopeMsPerMin: number;
  /** Median latency of the first and the last fifth of the run. */
  firstMedianMs: number | null;
  lastMedianMs: number | null;
  samples: number;
}

/**
 * How latency moves under load that does not change: the F5 signature is a steady climb. The
 * first `warmUp` share of the answers is left out: connections and compiled code are still being
 * set up there, and a slow start would hide a climb.
 */
export function latencyTrend(requests: readonly RequestLine[], warmUp = 0.1): Trend {
  const sorted = requests.filter((request) => request.class === 'ok').sort((a, b) => a.t - b.t);
  const answered = sorted.slice(Math.floor(sorted.length * warmUp));
  if (answered.length < 2) return { slopeMsPerMin: 0, firstMedianMs: null, lastMedianMs: null, samples: answered.length };
  const t0 = answered[0]?.t ?? 0;
  const xs = answered.map((request) => (request.t - t0) / 60_000);
  const ys = answered.map((request) => request.ms);
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
  const median = (slice: readonly RequestLine[]) => percentile(slice.map((request) => request.ms).sort((a, b) => a - b), 50);
  return {
    slopeMsPerMin: sxx === 0 ? 0 : sxy / sxx,
    firstMedianMs: median(answered.slice(0, fifth)),
    lastMedianMs: median(answered.slice(-fifth)),
    samples: answered.length,
  };
}

/** Overflow answers a relay logged (CONTRACT.md 2.2: one `message` line per message, with its outcome). */
export function relayOverflows(log: string): number {
  let count = 0;
  for (const line of log.split('\n')) {
    if (!line.includes('"overflow"')) continue;
    try {
      const entry = JSON.parse(line) as { event?: unknown; outcome?: unknown };
      if (entry.event === 'message' && entry.outcome === 'overflow') count++;
    } catch {
      // Not a log line of the contract.
    }
  }
  return count;
}
