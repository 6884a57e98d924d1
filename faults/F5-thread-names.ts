import type { Judgement, Operation, Recorded } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { cardSearches } from './kit/card-searches.ts';
import { hsmWork } from './kit/hsm-work.ts';
import { latencyTrend, type Trend } from './kit/latency.ts';
import { wait } from './kit/wait.ts';
import type { Fault } from './types.ts';

/**
 * The card server's slots reused with no pause in between, fast: at 300 its 60 s idle rule is
 * 200 ms and a message's service 11 ms, so a name that grows with each reuse shows within seconds.
 * Faster still, the log's cost per KiB shrinks more than the names grow (measured at 600: a
 * climb of 1.36 in 30 s on 2016-01).
 */
const TIME_SCALE = 300;
/**
 * One message in flight at a time, so one slot serves them all and its name grows with each: the
 * climb depends on how many messages the slot served in a row, not on how fast the machine is.
 */
const SEARCH_LOOPS = 1;
/** The control path beside it, per relay. */
const CONTROL_LOOPS = 1;
/** Messages the slot serves in a row; a pass needs them all (measured on 2016-01: 1.28× after some 1,200). */
export const MESSAGES = 2_000;
/** At least this long before a climb may stop the run. */
const MIN_MS = 10_000;
const CHECK_EVERY_MS = 2_000;
/** The card server's share of a message's latency this much higher at the end than at the start. */
export const MEAN_TEST_FACTOR = 1.25;
/** Fewer answers than this on either path leave the trend undecided. */
const MIN_SAMPLES = 50;

export interface F5Judgement extends Judgement {
  trend: Trend;
  control: Trend;
}

/**
 * F5 from two paths measured in the same minutes: `work` reaches the card server, `control` meets
 * the same machine (a CPU hog, a neighbour's run) and the same relay but not the card server's log.
 * What a busy machine adds to both is taken off the work, so only the card server's own climb is
 * judged: its share of the latency (work's median less control's) at least `factor` times higher
 * in the last fifth than in the first, and the work's slope above the control's. The ratio
 * decides, never an absolute time. Shared by the mean test and the continuous suite.
 */
export function judgeF5(work: readonly Operation[], control: readonly Operation[], factor: number): F5Judgement {
  const trend = latencyTrend(work);
  const base = latencyTrend(control);
  const share = (median: number | null, controlMedian: number | null) => (median === null || controlMedian === null ? null : median - controlMedian);
  const firstShare = share(trend.firstMedianMs, base.firstMedianMs);
  const lastShare = share(trend.lastMedianMs, base.lastMedianMs);
  const climbing = firstShare !== null && lastShare !== null && trend.slopeMsPerMin > base.slopeMsPerMin && lastShare >= firstShare * factor;
  const ms = (value: number | null) => (value === null ? '?' : value.toFixed(1));
  const summary =
    `latency of ${trend.samples} answers reaching the card server: median ${ms(trend.firstMedianMs)} ms in the first fifth, ${ms(trend.lastMedianMs)} ms in the last, ` +
    `slope ${trend.slopeMsPerMin.toFixed(1)} ms/min; the relay-only control path ${ms(base.firstMedianMs)} ms → ${ms(base.lastMedianMs)} ms, ` +
    `slope ${base.slopeMsPerMin.toFixed(1)} ms/min over ${base.samples}; the card server's share ${ms(firstShare)} ms → ${ms(lastShare)} ms` +
    (climbing ? ` (a climb of ${factor}× or more with nothing changed but time)` : '');
  if (trend.samples < MIN_SAMPLES || base.samples < MIN_SAMPLES) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `too few answers to see a trend: ${summary}`, trend, control: base };
  return { verdict: climbing ? 'finding' : 'pass', detectedAfterMs: climbing && trend.lastEndMs !== null ? Math.round(trend.lastEndMs) : null, summary, trend, control: base };
}

const CONTROL = 'ic-exchange';
const WORK = 'search';

/**
 * F5: business messages straight to the relay, each reaching the card server, in loops that never
 * pause, beside the relay's own HSM exchanges as the control path. The fault judges the slope of
 * one against the other.
 */
const fault: Fault = {
  id: 'F5',
  ...catalogEntry('F5'),
  topology: {
    municipalities: 1,
    relays: 1,
    cardServers: 1,
    // An operator's settings for a test of the card server alone: no timer of the relay may cut a
    // slow message, and the hardware monitor's schedule (F1) stays out of the control path.
    parameters: { RELAY_TIMEOUT_MS: '3600000', MONITOR_INTERVAL_MS: '86400000' },
  },
  limitMs: 55_000,
  timeScale: TIME_SCALE,
  async run(context) {
    const { view, signal } = context;
    const [relay] = view.relays;
    if (!relay) throw new Error('F5 needs a relay');
    const client = context.client('card-work');
    const control = context.client('control');
    context.history.note('plan', { messages: MESSAGES, searchLoops: SEARCH_LOOPS, controlLoops: CONTROL_LOOPS, minMs: MIN_MS });
    const during = new AbortController();
    const loops = AbortSignal.any([signal, during.signal]);
    const searches = cardSearches(context, client, [relay.name], { loops: SEARCH_LOOPS, prefix: 'f5', signal: loops, sent: (seq) => {
        if (seq + 1 >= MESSAGES) during.abort();
      },
    });
    const exchanges = hsmWork(context, control, CONTROL_LOOPS, loops, 'f5-control');
    try {
      await wait(MIN_MS, loops);
      while (!loops.aborted && !context.found()) await wait(CHECK_EVERY_MS, loops);
    } finally {
      during.abort();
      await Promise.all([searches, exchanges]);
    }
  },
  judge: (history: Recorded) => {
    const work = history.requests.filter((request) => request.op === WORK);
    const { trend, control, ...judgement } = judgeF5(work, history.requests.filter((request) => request.op === CONTROL), MEAN_TEST_FACTOR);
    const details = { trend, control };
    // A machine too slow to serve them all within the limit has not shown that no climb comes.
    if (judgement.verdict === 'pass' && work.length < MESSAGES) {
      return { ...judgement, verdict: 'inconclusive', summary: `only ${work.length} of ${MESSAGES} messages were served in a row: too few to show a climb; ${judgement.summary}`, details };
    }
    return { ...judgement, details };
  },
};

export default fault;
