import { catalogEntry } from '../../faults/catalog.ts';
import type { Operation } from '../history/history.ts';
import { firstStartMs, isError, lastStartMs, latencyOf, percentile } from '../load/analysis.ts';
import { k6Requests } from '../load/k6-history.ts';
import { messagesOf, mixOf, peakSlot, stepPlan } from '../load/plan.ts';
import { judgeRelaysAlive, lookAtRelays, PACE } from './common.ts';
import type { Suite, SuiteOptions, SuiteResult } from './types.ts';

/** The ramp, in business messages per 10 minutes at time scale 1 (the records' unit). */
const FROM = 6_000;
const TO = 22_000;
const STEP = 500;
/** The stated thresholds: a step is past the knee when either is crossed (one request in 20 failing; searches three times slower). */
const ERROR_SHARE = 0.05;
const LATENCY_FACTOR = 3;
/** Latency is judged on searches: one business message each, the same work at every step. */
const LATENCY_OP = 'search';
/** How long after a step's end its slowest answers (a card's) may still come back. */
const SETTLE_S = 15;
/** Steps past the knee that are still run, to show it was no accident. */
const CONFIRMING_STEPS = 1;

export interface StepFigures {
  per10Min: number;
  requests: number;
  errors: number;
  errorShare: number;
  searchP95Ms: number | null;
}

/** Each step's figures from the requests sent in it after its ramp (`t0`: the first request's send time). */
export function stepFigures(requests: readonly Operation[], totals: readonly number[], stepS: number, t0: number): StepFigures[] {
  const rampS = Math.min(2, stepS / 4);
  return totals.map((per10Min, index) => {
    const from = t0 + (index * stepS + rampS) * 1000;
    const to = t0 + (index + 1) * stepS * 1000;
    const inStep = requests.filter((request) => request.startMs >= from && request.startMs < to);
    const errors = inStep.filter(isError).length;
    const searches = inStep.filter((request) => request.op === LATENCY_OP && !isError(request)).map(latencyOf);
    return {
      per10Min,
      requests: inStep.length,
      errors,
      errorShare: inStep.length > 0 ? errors / inStep.length : 0,
      searchP95Ms: percentile(searches.sort((a, b) => a - b), 95),
    };
  });
}

/**
 * The knee: the first step whose error share passes ERROR_SHARE or whose search p95 passes
 * LATENCY_FACTOR times the first step's.
 */
export function knee(steps: readonly StepFigures[]): { index: number; reason: string } | null {
  const baseline = steps[0]?.searchP95Ms ?? null;
  for (const [index, step] of steps.entries()) {
    if (step.requests === 0) continue;
    if (step.errorShare > ERROR_SHARE) return { index, reason: `${(step.errorShare * 100).toFixed(1)} % errors, over ${ERROR_SHARE * 100} %` };
    if (baseline !== null && step.searchP95Ms !== null && step.searchP95Ms > baseline * LATENCY_FACTOR) {
      return { index, reason: `search p95 ${step.searchP95Ms} ms, over ${LATENCY_FACTOR}× the first step's ${baseline} ms` };
    }
  }
  return null;
}

/** The ramp's rates (business messages per 10 minutes at time scale 1) and each step's length. */
function ramp(options: SuiteOptions): { totals: number[]; stepS: number } {
  const totals = Array.from({ length: Math.floor((TO - FROM) / STEP) + 1 }, (_, index) => FROM + index * STEP);
  return { totals, stepS: (options.minutes * 60) / totals.length };
}

/**
 * The limit test: the peak slot's mix at rising rates until the system breaks (the knee, plus a
 * confirming step, then the load stops). It reports the knee in the records' unit and judges it
 * against the day's peak demand.
 */
const suite: Suite = {
  id: 'limit',
  title: 'Limit test: a ramp to the breaking point',
  judges: ['N1', 'F2'],
  defaultTimeScale: 2,
  topology: () => ({ municipalities: 8, relays: 1, cardServers: 1 }),
  async run(context) {
    const { options } = context;
    const { totals, stepS } = ramp(options);
    const mix = mixOf(peakSlot(options.profile));
    // The steps whose answers have all come back, by the same figures the judge reads.
    const enough = (requests: Operation[]) => {
      if (requests.length === 0) return false;
      const t0 = firstStartMs(requests);
      const complete = Math.max(0, Math.floor((lastStartMs(requests) - t0) / 1000 / stepS - SETTLE_S / stepS));
      const steps = stepFigures(requests, totals.slice(0, complete), stepS, t0);
      const found = knee(steps);
      return found !== null && steps.length > found.index + CONFIRMING_STEPS;
    };
    await context.load(stepPlan(mix, totals, stepS, { timeScale: options.timeScale, ...PACE }), 'ramp', enough);
    await lookAtRelays(context);
  },
  judge(history, view, options) {
    const { totals, stepS } = ramp(options);
    const demand = messagesOf(mixOf(peakSlot(options.profile)));
    const requests = k6Requests(history);
    const t0 = firstStartMs(requests);
    const steps = stepFigures(requests, totals, stepS, t0).filter((step) => step.requests > 0);
    const found = knee(steps);
    const at = found ? steps[found.index] : undefined;
    const load = history.injections.find((injection) => injection.target === 'k6' && injection.action === 'load');
    const stoppedEarly = (load?.detail?.['stoppedEarly'] as boolean | undefined) ?? false;
    const measurements = { kneePer10Min: at?.per10Min ?? null, reason: found?.reason ?? 'no threshold crossed', peakDemandPer10Min: demand, stepS, stoppedEarly, steps };
    const kneeText = at && found ? `knee at ${at.per10Min.toLocaleString('en')} messages per 10 min (${found.reason})` : `no knee up to ${TO.toLocaleString('en')} per 10 min`;
    const holds = !at || at.per10Min > demand;
    const result: SuiteResult = {
      fault: 'N1',
      ...catalogEntry('N1'),
      verdict: holds ? 'pass' : 'finding',
      // The end of the step that crossed the threshold, on the history's clock.
      detectedAfterMs: holds || !found || !Number.isFinite(t0) ? null : Math.round(t0 + (found.index + 1) * stepS * 1000),
      summary: `${kneeText}; ${options.profile.day}'s peak demand is ${demand.toLocaleString('en')} per 10 min`,
      evidence: [],
      measurements,
    };
    return [result, judgeRelaysAlive(history, view)];
  },
};

export default suite;
