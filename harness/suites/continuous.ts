import { catalogEntry } from '../../faults/catalog.ts';
import { latencyTrend, isError, timeSeries } from '../load/analysis.ts';
import { mixOf, peakSlot, stepPlan } from '../load/plan.ts';
import { describe, PACE, relaysAlive } from './common.ts';
import type { Suite, SuiteContext, SuiteResult } from './types.ts';

/**
 * Requests per wall-clock second: what this machine carries with room to spare (bench/load.md),
 * whatever the time scale. F5 grows with the messages a processing slot serves without a pause,
 * not with the load's height, so the test runs the target fast and the load continuous.
 */
const RATE_PER_S = 40;
/** F5's signature: the last fifth's median latency this much above the first fifth's. */
const TREND_FACTOR = 1.15;
const BUCKETS = 20;

interface RelayHealth {
  relay: string;
  boards: string;
  interruptedLines: number;
  polls: number;
}

async function relayHealth(context: SuiteContext): Promise<RelayHealth[]> {
  const logs = await context.logs('relay-');
  const health: RelayHealth[] = [];
  for (const relay of context.view.relays) {
    const status = await context.topology.component(relay.name).exec(context.view.operator.relayStatus).catch((error: Error) => ({ exitCode: -1, output: error.message }));
    const log = logs.get(relay.name) ?? '';
    health.push({
      relay: relay.name,
      boards: status.output.trim(),
      interruptedLines: log.split('\n').filter((line) => line.includes('"event":"hsm-interrupted"')).length,
      polls: log.split('\n').filter((line) => line.includes('"event":"monitor-poll"')).length,
    });
  }
  return health;
}

/**
 * The continuous test: the peak slot's mix at a steady rate with no pause, the hardware monitor
 * at a compressed cadence. F5: latency that climbs under load that does not change. F1: an HSM
 * that stops answering (a board left waiting, or the explicit interrupted error) once a poll
 * meets HSM work.
 */
const suite: Suite = {
  id: 'continuous',
  title: 'Continuous test: steady load without a pause',
  judges: ['F5', 'F1', 'F2'],
  // F5 grows with the messages a slot serves, so the faster the target runs the sooner it shows;
  // at 60 the monitor's own 2 hours are 2 minutes, so a short run meets F1 only when asked to.
  defaultTimeScale: 60,
  topology: () => ({
    municipalities: 4,
    relays: 2,
    cardServers: 1,
    // At this time scale the CS's timeouts are a few hundred milliseconds, inside this machine's
    // own jitter; generous ones keep the CS block (F3, F4) out of a test about F1 and F5.
    parameters: { CS_SEARCH_TIMEOUT_MS: '600000', CS_REQUEST_TIMEOUT_MS: '600000' },
  }),
  async run(context) {
    const { options } = context;
    const mix = mixOf(peakSlot(options.profile));
    // Each request is one business message (a card is two requests), so the rate converts directly.
    const per10Min = (RATE_PER_S * 600) / options.timeScale;
    const scenarios = stepPlan(mix, [per10Min], options.minutes * 60, { timeScale: options.timeScale, ...PACE });
    const run = await context.load(scenarios, 'steady');
    const trend = latencyTrend(run.requests.filter((request) => request.op === 'search'));
    const health = await relayHealth(context);
    const series = timeSeries(run.requests, Math.max(1, (options.minutes * 60) / BUCKETS));
    const errors = run.requests.filter((request) => isError(request.class)).length;
    const measurements = { ratePerS: RATE_PER_S, requests: run.requests.length, errors, trend, relays: health, series };
    const evidence = [context.evidence('continuous-observations.json', `${JSON.stringify(measurements, null, 2)}\n`)];

    const climbing = trend.firstMedianMs !== null && trend.lastMedianMs !== null && trend.slopeMsPerMin > 0 && trend.lastMedianMs >= trend.firstMedianMs * TREND_FACTOR;
    const f5: SuiteResult = {
      fault: 'F5',
      ...catalogEntry('F5'),
      verdict: trend.samples < 50 ? 'inconclusive' : climbing ? 'finding' : 'pass',
      detectedAfterMs: climbing ? Math.round(options.minutes * 60_000) : null,
      summary:
        `search latency under steady load: median ${trend.firstMedianMs} ms in the first fifth, ${trend.lastMedianMs} ms in the last, ` +
        `slope ${trend.slopeMsPerMin.toFixed(1)} ms/min over ${trend.samples} answers` +
        (climbing ? ` (a climb of ${TREND_FACTOR}× or more with nothing changed but time)` : ''),
      evidence,
      measurements: { trend },
    };
    const waiting = health.filter((relay) => relay.boards.includes('"waiting"'));
    const interrupted = health.filter((relay) => relay.interruptedLines > 0);
    const polls = health.reduce((sum, relay) => sum + relay.polls, 0);
    let f1Verdict: SuiteResult['verdict'] = 'pass';
    let f1Summary = `${polls} monitor polls during steady HSM work on ${health.length} relays, no board left waiting, no interrupted HSM processing`;
    if (waiting.length > 0 || interrupted.length > 0) {
      f1Verdict = 'finding';
      f1Summary =
        `${[...waiting.map((relay) => `${relay.relay}: an HSM board left waiting (${relay.boards})`), ...interrupted.map((relay) => `${relay.relay}: ${relay.interruptedLines} hsm-interrupted`)].join('; ')} ` +
        `after ${polls} monitor polls`;
    } else if (polls === 0) {
      f1Verdict = 'inconclusive';
      f1Summary = 'the hardware monitor never polled in this run (--monitor-interval compresses its cadence), so no poll could meet HSM work';
    }
    const f1: SuiteResult = { ...describe('F1'), verdict: f1Verdict, detectedAfterMs: null, summary: f1Summary, evidence, measurements: { relays: health } };
    return [f5, f1, await relaysAlive(context)];
  },
};

export default suite;
