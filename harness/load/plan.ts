import { slotTotal, type DayProfile, type ProfileSlot, type TerminalOp } from '../../fixtures/profiles/profile.ts';
import type { PlanScenario, Stage, Work } from '../../load/plan.ts';

/**
 * The profiles count business messages per terminal op; k6 drives kinds of work. A `card` is a
 * pre-issue then its issue, so it arrives at the pre-issue rate and the issue rides on it.
 */
const WORK_OF: Partial<Record<TerminalOp, Work>> = {
  search: 'search',
  move: 'move',
  'certificate-change': 'certificate-change',
  'pre-issue': 'card',
};

/** Messages per 10 minutes at time scale 1, by kind of work. */
export type Mix = Record<Work, number>;

export interface Pace {
  /** The target's time scale: the load runs this many times the real rate. */
  timeScale: number;
  /** Each arrival's random wait before its request (seconds). */
  jitterS: number;
  /** How long a request of `card` work (the longest) may take, for the VU budget. */
  longestS: number;
}

export const WORKS: readonly Work[] = ['search', 'move', 'certificate-change', 'card'];

export function mixOf(slot: ProfileSlot): Mix {
  const mix: Mix = { search: 0, move: 0, 'certificate-change': 0, card: 0 };
  for (const [op, work] of Object.entries(WORK_OF) as Array<[TerminalOp, Work]>) mix[work] += slot.messages[op];
  return mix;
}

/** Business messages a mix stands for: a card is two (its pre-issue and its issue). */
export function messagesOf(mix: Mix): number {
  return WORKS.reduce((sum, work) => sum + mix[work], 0) + mix.card;
}

/** The busiest slot of a day: the mix the limit and continuous suites scale. */
export function peakSlot(profile: DayProfile): ProfileSlot {
  return profile.slots.reduce((peak, slot) => (slotTotal(slot) > slotTotal(peak) ? slot : peak));
}

/** Business messages per 10 minutes at time scale 1 → k6 iterations per minute at `timeScale`. */
const perMinute = (per10Min: number, timeScale: number) => Math.round((per10Min / 10) * timeScale);

function scenario(work: Work, ratesPer10Min: readonly number[], durationsS: readonly number[], pace: Pace): PlanScenario {
  const stages: Stage[] = ratesPer10Min.map((rate, index) => ({ target: perMinute(rate, pace.timeScale), durationS: durationsS[index] ?? 0 }));
  const peakPerS = Math.max(...stages.map((stage) => stage.target)) / 60;
  return {
    work,
    startRate: stages[0]?.target ?? 0,
    stages,
    // Enough VUs for every arrival waiting out its jitter and its answer at the peak rate.
    maxVUs: Math.max(10, Math.ceil(peakPerS * (pace.jitterS + pace.longestS) * 1.5)),
  };
}

/**
 * A day replayed: each 10-minute slot becomes a stage of `dayMinutes·60/slots` seconds at the
 * slot's rate times the time scale. The day's shape passes by compressed while the target sees
 * the real rates at its own time scale; the replay is a thinned sample of the day.
 */
export function dayPlan(profile: DayProfile, dayMinutes: number, pace: Pace): PlanScenario[] {
  const slotS = (dayMinutes * 60) / profile.slots.length;
  const durations = profile.slots.map(() => slotS);
  return WORKS.map((work) => scenario(work, profile.slots.map((slot) => mixOf(slot)[work]), durations, pace)).filter((planned) =>
    planned.stages.some((stage) => stage.target > 0),
  );
}

/**
 * The same mix at the given rates (business messages per 10 minutes at time scale 1), one stage
 * each, each reached by a short ramp.
 */
export function stepPlan(mix: Mix, totalsPer10Min: readonly number[], stepS: number, pace: Pace): PlanScenario[] {
  const mixTotal = messagesOf(mix);
  const rampS = Math.min(2, stepS / 4);
  return WORKS.map((work) => {
    const rates = totalsPer10Min.flatMap((total) => [(total * mix[work]) / mixTotal, (total * mix[work]) / mixTotal]);
    const durations = totalsPer10Min.flatMap(() => [rampS, stepS - rampS]);
    return scenario(work, rates, durations, pace);
  }).filter((planned) => planned.stages.some((stage) => stage.target > 0));
}
