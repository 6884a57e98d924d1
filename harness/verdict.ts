/**
 * What a result can say, shared by faults, runner and reports (reports and runtimes never reach
 * into faults/ for it). A judge decides among the first three; the runner adds `error` (a judge
 * that threw, a fault over its limit) and `interrupted` (Ctrl-C, a dead parent).
 */
export const VERDICTS = ['finding', 'pass', 'inconclusive', 'error', 'interrupted'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a fault's `judge` returns: a pure function of the history and the system's view. */
export interface Judgement {
  verdict: 'finding' | 'pass' | 'inconclusive';
  /** On the history's clock (ms since the fault's history began), the first entry that decided a finding. */
  detectedAfterMs: number | null;
  /** One line a person reads; says only what the history shows. */
  summary: string;
  /** What decided it (the requests, cards, relays involved), kept in judgement.json. */
  details?: Record<string, unknown>;
}

export interface FaultResult {
  verdict: Verdict;
  detectedAfterMs: number | null;
  summary: string;
  /** Paths relative to the run folder. */
  evidence: string[];
  /** The time scale it ran at, where that differs from the run's (a fault that fixes its own). */
  timeScale?: number;
}

/** finding beats inconclusive beats pass (Jepsen's compose); error and interrupted beat all. */
const RANK: Record<Verdict, number> = { pass: 0, inconclusive: 1, finding: 2, error: 3, interrupted: 4 };

export function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((a, b) => (RANK[b] > RANK[a] ? b : a), 'pass');
}
