// The plan the harness hands to load/terminals.ts (types only: k6 strips the import, and the
// harness writes the plan as JSON).

/** The kinds of terminal work; `card` is a pre-issue setting followed by the issue. */
export type Work = 'search' | 'move' | 'certificate-change' | 'card';

export interface Stage {
  /** Iterations per minute reached at the end of the stage (linear in between). */
  target: number;
  durationS: number;
}

export interface PlanScenario {
  work: Work;
  /** Iterations per minute at the start. */
  startRate: number;
  stages: Stage[];
  maxVUs: number;
}

export interface Plan {
  /** `host:port` of each CS's terminal link, in municipality order. */
  targets: string[];
  scenarios: PlanScenario[];
  /** Each arrival first waits a uniform random part of this: regular arrivals become Poisson-like. */
  jitterS: number;
  /** How long a terminal waits for an answer. */
  timeoutS: number;
  seed: number;
}

/** One line of k6's console per request: the suite's history. */
export interface RequestLine {
  /** Epoch ms at which the request was sent. */
  t: number;
  ms: number;
  op: string;
  cs: number;
  class: string;
  status: number;
}
