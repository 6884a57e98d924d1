import type { FaultContext, FaultTopology } from '../../faults/types.ts';
import type { FaultResult } from '../verdict.ts';
import type { DayProfile } from '../../fixtures/profiles/profile.ts';
import type { PlanScenario } from '../../load/plan.ts';
import type { Operation, Recorded } from '../history/history.ts';
import type { SystemView } from '../target/types.ts';

export interface SuiteOptions {
  /** Wall-clock length of the suite's load. */
  minutes: number;
  /** The target's time scale: the load runs at the day's rates times this. */
  timeScale: number;
  profile: DayProfile;
  seed: number;
}

/** What one k6 run left: its requests, already in the history. */
export interface LoadRun {
  requests: Operation[];
  exitCode: number | null;
  /** `enough` ended the load before its plan did. */
  stoppedEarly: boolean;
}

/**
 * What a suite's `run` may touch: a fault's context (the system through its interfaces, the
 * history, clients) and the load. Whatever it does or asks lands in the history.
 */
export interface SuiteContext extends FaultContext {
  options: SuiteOptions;
  /**
   * Runs k6 against every CS's terminal link and imports each request it sent into the history
   * (a request entry, its class in `code`); k6's own files land in the evidence folder. `enough`,
   * asked every second with the requests so far (on the history's clock), may end the load
   * early. Throws when k6 sent no request.
   */
  load(scenarios: PlanScenario[], name: string, enough?: (requests: Operation[]) => boolean): Promise<LoadRun>;
  say(line: string): void;
}

/** One judged aspect of a suite run, reported like a mean test's result, with its figures. */
export interface SuiteResult extends FaultResult {
  fault: string;
  title: string;
  viewpoints: string[];
  measurements: Record<string, unknown>;
}

/**
 * A load, limit or continuous test (F13): a topology, a k6 plan and the looks `run` takes, and a
 * judge that is a pure function of the history, the view and the suite's settings, so that
 * `ijiwaru judge` judges a finished run again from its evidence folder alone.
 */
export interface Suite {
  id: string;
  title: string;
  /** The catalog IDs (faults/catalog.ts) whose verdicts the suite reports, in its results' order. */
  judges: readonly string[];
  /** The target's time scale when the user gives none. */
  defaultTimeScale: number;
  topology(options: SuiteOptions): FaultTopology;
  /** Loads the system and looks at it; writes only to the history (and k6's own files). */
  run(context: SuiteContext): Promise<void>;
  /** Every verdict and its measurements from the history alone (results carry no evidence paths). */
  judge(history: Recorded, view: SystemView, options: SuiteOptions): SuiteResult[];
}
