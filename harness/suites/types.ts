import type { FaultResult, FaultTopology } from '../../faults/types.ts';
import type { DayProfile } from '../../fixtures/profiles/profile.ts';
import type { PlanScenario, RequestLine } from '../../load/plan.ts';
import type { K6Run } from '../load/k6.ts';
import type { SystemView } from '../target/types.ts';
import type { StartedTopology } from '../topology/topology.ts';

export interface SuiteOptions {
  /** Wall-clock length of the suite's load. */
  minutes: number;
  /** The target's time scale: the load runs at the day's rates times this. */
  timeScale: number;
  profile: DayProfile;
  seed: number;
}

export interface SuiteContext {
  topology: StartedTopology;
  view: SystemView;
  options: SuiteOptions;
  /**
   * Runs k6 against every CS's terminal link; its files land in the evidence folder. `enough`,
   * asked every second with the requests so far, may end the load early.
   */
  load(scenarios: PlanScenario[], name: string, enough?: (requests: RequestLine[]) => boolean): Promise<K6Run>;
  /** The logs of every component whose name starts with `prefix`, by component. */
  logs(prefix: string): Promise<Map<string, string>>;
  evidence(name: string, content: string): string;
  say(line: string): void;
  signal: AbortSignal;
}

/** One judged aspect of a suite run, reported like a mean test's result, with its figures. */
export interface SuiteResult extends FaultResult {
  fault: string;
  title: string;
  viewpoints: string[];
  measurements: Record<string, unknown>;
}

/** A load, limit or continuous test (F13): a topology, a k6 plan, and oracles over what came back. */
export interface Suite {
  id: string;
  title: string;
  /** The catalog IDs (faults/catalog.ts) whose verdicts the suite reports, in its results' order. */
  judges: readonly string[];
  /** The target's time scale when the user gives none. */
  defaultTimeScale: number;
  topology(options: SuiteOptions): FaultTopology;
  run(context: SuiteContext): Promise<SuiteResult[]>;
}
