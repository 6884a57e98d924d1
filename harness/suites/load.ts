import { episodeEstablishedAtMs, refusalEpisodes } from '../../faults/kit/cs-block.ts';
import type { PlanScenario } from '../../load/plan.ts';
import { classOf, countClasses, isError, timeSeries } from '../load/analysis.ts';
import { k6Requests } from '../load/k6-history.ts';
import { dayPlan } from '../load/plan.ts';
import { describe, judgeRelaysAlive, lookAtRelays, overflowsAtRelays, PACE } from './common.ts';
import type { Suite, SuiteResult } from './types.ts';

/** Arrivals per iteration of each kind of work: a `card` starts with its pre-issue. */
const ITERATION_OPS = new Set(['search', 'move', 'certificate-change', 'pre-issue']);
const BUCKETS = 20;
/** A CS block episode: this many requests in a row failed at one CS with none served between... */
const EPISODE_MIN_FAILED = 5;
/** ...over at least this share of the CS's declared block length. */
const EPISODE_SPAN_SHARE = 0.5;

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
 * not: how often a CS then turned away all its work, and latency over the day.
 */
const suite: Suite = {
  id: 'load',
  title: 'Load test: a documented day replayed',
  judges: ['F3', 'F2'],
  // The day's real rates, twice over: the most this machine carries at the peak (bench/load.md).
  defaultTimeScale: 2,
  topology: () => ({ municipalities: 8, relays: 1, cardServers: 1 }),
  async run(context) {
    const { options } = context;
    await context.load(dayPlan(options.profile, options.minutes, { timeScale: options.timeScale, ...PACE }), 'replay');
    await lookAtRelays(context);
  },
  judge(history, view, options) {
    const scenarios = dayPlan(options.profile, options.minutes, { timeScale: options.timeScale, ...PACE });
    const requests = k6Requests(history);
    const overflows = overflowsAtRelays(history, view);
    // What met the cap, seen from the terminals: an overflow answer of any status, or k6's class for it.
    const overflowAnswers = requests.filter((request) => request.outcome === 'overflow' || request.code === 'overflow').length;
    const intended = intendedIterations(scenarios);
    const sent = requests.filter((request) => ITERATION_OPS.has(request.op)).length;
    const messages = requests.length;
    const bounds = { minFailed: EPISODE_MIN_FAILED, minSpanMs: view.timing.csBlockMs * EPISODE_SPAN_SHARE };
    const episodes = refusalEpisodes(requests, bounds);
    const classes = countClasses(requests);
    const errors = requests.filter(isError).length;
    const series = timeSeries(requests, Math.max(1, (options.minutes * 60) / BUCKETS));
    const share = messages > 0 ? overflows / messages : 0;
    const refusedS = episodes.reduce((sum, episode) => sum + (episode.toMs - episode.fromMs) / 1000, 0);
    const failedInEpisodes = episodes.reduce((sum, episode) => sum + episode.failed, 0);
    const load = history.injections.find((injection) => injection.target === 'k6' && injection.action === 'load');
    const measurements = {
      profile: options.profile.day,
      intendedIterations: Math.round(intended),
      sentIterations: sent,
      achievedRatio: intended > 0 ? sent / intended : null,
      messages,
      overflowsAtRelay: overflows,
      overflowShare: share,
      overflowAnswers,
      recordedOverflows: options.profile.recordedOverflows,
      recordedOverflowShare: options.profile.recordedOverflows / options.profile.totalMessages,
      errors,
      classes,
      blockEpisodes: episodes,
      series,
      k6ExitCode: (load?.detail?.['exitCode'] as number | null | undefined) ?? null,
    };
    const day = `${options.profile.day} replay: ${messages} requests, ${overflows} overflow(s) at the relay (${(share * 100).toFixed(2)} %; records ${(measurements.recordedOverflowShare * 100).toFixed(2)} %)`;
    let verdict: SuiteResult['verdict'];
    let summary: string;
    let detectedAfterMs: number | null = null;
    if (episodes.length > 0) {
      verdict = 'finding';
      detectedAfterMs = Math.round(Math.min(...episodes.map((episode) => episodeEstablishedAtMs(requests, episode, bounds))));
      // The answers' words only decorate: the episode is what happened to the work.
      const inEpisodes = requests.filter((request) => episodes.some((episode) => request.target === episode.target && request.endMs >= episode.fromMs && request.endMs <= episode.toMs && request.outcome !== 'ok'));
      const words = [...new Set(inEpisodes.map(classOf))].slice(0, 3).join(', ');
      summary = `${day}; ${episodes.length} CS block episode(s), ${refusedS.toFixed(1)} s in all in which a CS failed every request (${failedInEpisodes} requests; answered ${words})`;
    } else if (overflows > 0 || overflowAnswers > 0) {
      verdict = 'pass';
      summary = `${day}; no CS turned away all its work: each overflow failed only its own request`;
    } else {
      verdict = 'inconclusive';
      summary = `${day}; the load never reached the relay's cap, so the CS's reaction to an overflow was not seen`;
    }
    return [{ ...describe('F3'), verdict, detectedAfterMs, summary, evidence: [], measurements }, judgeRelaysAlive(history, view)];
  },
};

export default suite;
