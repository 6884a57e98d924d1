import { catalogEntry } from '../../faults/catalog.ts';
import type { RequestLine } from '../../load/plan.ts';
import { isError, percentile } from '../load/analysis.ts';
import { messagesOf, mixOf, peakSlot, stepPlan } from '../load/plan.ts';
import { PACE, relaysAlive } from './common.ts';
import type { Suite, SuiteResult } from './types.ts';

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

/** Each step's figures from the requests sent in it after its ramp. */
export function stepFigures(requests: readonly RequestLine[], totals: readonly number[], stepS: number, t0: number): StepFigures[] {
  const rampS = Math.min(2, stepS / 4);
  return totals.map((per10Min, index) => {
    const from = t0 + (index * stepS + rampS) * 1000;
    const to = t0 + (index + 1) * stepS * 1000;
    const inStep = requests.filter((request) => request.t >= from && request.t < to);
    const errors = inStep.filter((request) => isError(request.class)).length;
    const searches = inStep.filter((request) => request.op === LATENCY_OP && !isError(request.class)).map((request) => request.ms);
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
    const totals = Array.from({ length: Math.floor((TO - FROM) / STEP) + 1 }, (_, index) => FROM + index * STEP);
    const stepS = (options.minutes * 60) / totals.length;
    const mix = mixOf(peakSlot(options.profile));
    const demand = messagesOf(mix);
    const settled = (requests: readonly RequestLine[]) => {
      const t0 = Math.min(...requests.map((request) => request.t));
      const newest = Math.max(...requests.map((request) => request.t));
      const complete = Math.max(0, Math.floor((newest - t0) / 1000 / stepS - SETTLE_S / stepS));
      return stepFigures(requests, totals.slice(0, complete), stepS, t0);
    };
    const enough = (requests: RequestLine[]) => {
      if (requests.length === 0) return false;
      const steps = settled(requests);
      const found = knee(steps);
      return found !== null && steps.length > found.index + CONFIRMING_STEPS;
    };
    const run = await context.load(stepPlan(mix, totals, stepS, { timeScale: options.timeScale, ...PACE }), 'ramp', enough);
    const t0 = Math.min(...run.requests.map((request) => request.t));
    const steps = stepFigures(run.requests, totals, stepS, t0).filter((step) => step.requests > 0);
    const found = knee(steps);
    const at = found ? steps[found.index] : undefined;
    const measurements = { kneePer10Min: at?.per10Min ?? null, reason: found?.reason ?? 'no threshold crossed', peakDemandPer10Min: demand, stepS, stoppedEarly: run.stoppedEarly, steps };
    const evidence = [context.evidence('limit-steps.json', `${JSON.stringify(measurements, null, 2)}\n`)];
    const kneeText = at && found ? `knee at ${at.per10Min.toLocaleString('en')} messages per 10 min (${found.reason})` : `no knee up to ${TO.toLocaleString('en')} per 10 min`;
    const holds = !at || at.per10Min > demand;
    const result: SuiteResult = {
      fault: 'N1',
      ...catalogEntry('N1'),
      verdict: holds ? 'pass' : 'finding',
      detectedAfterMs: holds || !found ? null : Math.round((found.index + 1) * stepS * 1000),
      summary: `${kneeText}; ${options.profile.day}'s peak demand is ${demand.toLocaleString('en')} per 10 min`,
      evidence,
      measurements,
    };
    return [result, await relaysAlive(context)];
  },
};

export default suite;
