import type { HarnessClient } from '../harness/history/client.ts';
import type { History } from '../harness/history/history.ts';
import type { Rng } from '../harness/seed.ts';
import type { SystemView } from '../harness/target/types.ts';
import type { StartedTopology } from '../harness/topology/topology.ts';

export type Verdict = 'finding' | 'pass' | 'inconclusive' | 'error';

export interface FaultResult {
  verdict: Verdict;
  /** From the start of the injection to the first observation that decided a finding. */
  detectedAfterMs: number | null;
  /** One line a person reads. */
  summary: string;
  /** Paths relative to the run folder. */
  evidence: string[];
}

/** Everything a fault may touch: the running system through its interfaces, and the run's seed. */
export interface FaultContext {
  topology: StartedTopology;
  view: SystemView;
  /** The only source of randomness. */
  rng: Rng;
  history: History;
  /** A client whose every request lands in the history. */
  client(name: string, timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number }): HarnessClient;
  /** Writes a file into the fault's evidence folder; returns its path relative to the run folder. */
  evidence(name: string, content: string): string;
  /** Milliseconds since the injection began. */
  elapsedMs(): number;
  /** Aborted on Ctrl-C or when the fault's time limit is reached. */
  signal: AbortSignal;
}

/** How big a system the fault needs; the runner starts a fresh one per fault. */
export interface FaultTopology {
  municipalities: number;
  relays: number;
  cardServers: number;
  /** Operational parameters an operator would set for this test (never a defect switch). */
  parameters?: Record<string, string>;
}

/**
 * One mean test. `run` injects only through the context (links, runtime operations, operator
 * commands, harness clients) and judges only from what it observed; every wait honours `signal`.
 */
export interface Fault {
  id: string;
  title: string;
  /** Inspection viewpoints of the 2016 audit (INCIDENTS.md). */
  viewpoints: string[];
  topology: FaultTopology;
  /** Upper bound of the fault's own run, real time. */
  limitMs: number;
  run(context: FaultContext): Promise<FaultResult>;
}
