import type { PlanScenario } from '../../load/plan.ts';
import { blockEpisodes, countClasses, isError, relayOverflows, timeSeries } from '../load/analysis.ts';
import { dayPlan } from '../load/plan.ts';
import { describe, PACE, relaysAlive } from './common.ts';
import type { Suite, SuiteResult } from './types.ts';

/** Arrivals per iteration of each kind of work: a `card` starts with its pre-issue. */
const ITERATION_OPS = new Set(['search', 'move', 'certificate-change', 'pre-issue']);
const BUCKETS = 20;

/** Iterations the plan asks for: each stage ramps linearly from the previous rate (per minute). */
export function intendedIterations(scenarios: readonly PlanScenario[]): number {
  let total = 0;
  for (const scenario of scenarios) {
    let rate = scenario.startRate;
    for (const stage of scenario.stages) {
      total += (((rate + stage.target) / 2) * stage.durationS) / 60;
      rate = stage.target;
    }
  }
  return total;
}

/**
 * The load test: a documented day replayed through the terminals of every CS. It reports what
 * the records counted (overflows at the relay, their share of the messages) and what they could
 * not: how often a CS then refused all work, and latency over the day.
 */
const suite: Suite = {
  id: 'load',
  title: 'Load test: a documented day replayed',
  judges: ['F3', 'F2'],
  // The day's real rates, twice over: the most this machine carries at the peak (bench/load.md).
  defaultTimeScale: 2,
  topology: () => ({ municipalities: 8, relays: 1, cardServers: 1 }),
  async run(context) {
    const { options, view } = context;
    const scenarios = dayPlan(options.profile, options.minutes, { timeScale: options.timeScale, ...PACE });
    const run = await context.load(scenarios, 'replay');
    const requests = run.requests;
    const logs = await context.logs('relay-');
    const overflows = [...logs.values()].reduce((sum, log) => sum + relayOverflows(log), 0);
    const intended = intendedIterations(scenarios);
    const sent = requests.filter((request) => ITERATION_OPS.has(request.op)).length;
    const messages = requests.length;
    const episodes = blockEpisodes(requests, view.timing.csBlockMs);
    const classes = countClasses(requests);
    const errors = requests.filter((request) => isError(request.class)).length;
    const series = timeSeries(requests, Math.max(1, (options.minutes * 60) / BUCKETS));
    const share = messages > 0 ? overflows / messages : 0;
    const blockedS = episodes.reduce((sum, episode) => sum + (episode.toS - episode.fromS), 0);
    const t0 = Math.min(...requests.map((request) => request.t));
    const firstBlocked = requests.filter((request) => request.class === 'blocked').map((request) => request.t + request.ms - t0);
    const measurements = {
      profile: options.profile.day,
      intendedIterations: Math.round(intended),
      sentIterations: sent,
      achievedRatio: intended > 0 ? sent / intended : null,
      messages,
      overflowsAtRelay: overflows,
      overflowShare: share,
      recordedOverflows: options.profile.recordedOverflows,
      recordedOverflowShare: options.profile.recordedOverflows / options.profile.totalMessages,
      errors,
      classes,
      blockEpisodes: episodes,
      series,
      k6ExitCode: run.exitCode,
    };
    const evidence = [context.evidence('load-observations.json', `${JSON.stringify(measurements, null, 2)}\n`)];
    const day = `${options.profile.day} replay: ${messages} requests, ${overflows} overflow(s) at the relay (${(share * 100).toFixed(2)} %; records ${(measurements.recordedOverflowShare * 100).toFixed(2)} %)`;
    let verdict: SuiteResult['verdict'];
    let summary: string;
    if (episodes.length > 0) {
      verdict = 'finding';
      summary = `${day}; ${episodes.length} CS block episode(s), ${blockedS.toFixed(1)} s in all, ${classes.blocked ?? 0} requests refused as blocked`;
    } else if (overflows > 0 || (classes.overflow ?? 0) > 0) {
      verdict = 'pass';
      summary = `${day}; no CS blocked itself: each overflow failed only its own request`;
    } else {
      verdict = 'inconclusive';
      summary = `${day}; the load never reached the relay's cap, so the CS's reaction to an overflow was not seen`;
    }
    const results: SuiteResult[] = [
      {
        ...describe('F3'),
        verdict,
        detectedAfterMs: verdict === 'finding' ? Math.round(Math.min(...firstBlocked)) : null,
        summary,
        evidence,
        measurements,
      },
      await relaysAlive(context),
    ];
    return results;
  },
};

export default suite;
