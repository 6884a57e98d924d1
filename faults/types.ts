import type { ClientTimeouts, HarnessClient } from '../harness/fault-api.ts';
import type { History, Recorded } from '../harness/fault-api.ts';
import type { Rng } from '../harness/fault-api.ts';
import type { SystemView } from '../harness/fault-api.ts';
import type { StartedTopology } from '../harness/fault-api.ts';
import type { Judgement } from '../harness/fault-api.ts';

export type { Judgement, Verdict } from '../harness/fault-api.ts';

/** Everything a fault's `run` may touch: the running system through its interfaces, and the seed. */
export interface FaultContext {
  /** Links, components and operator commands: whatever is done or asked through them lands in the history. */
  topology: StartedTopology;
  view: SystemView;
  /** The only source of randomness. */
  rng: Rng;
  /** The one record of the run (requests, injections, queries, notes), on one clock. */
  history: History;
  /** A client whose every request lands in the history. */
  client(name: string, timeouts?: Partial<ClientTimeouts>): HarnessClient;
  /** Aborted on Ctrl-C, at the fault's time limit, or when the run must stop. */
  signal: AbortSignal;
  /** Whether the fault's own `judge` already finds a defect in the history so far (stop at the first proof). */
  found(): boolean;
}

/** How big a system the fault needs; the runner starts a fresh one per fault. */
export interface FaultTopology {
  municipalities: number;
  relays: number;
  cardServers: number;
  /** Operational parameters an operator would set for this test (never a defect switch). */
  parameters?: Record<string, string>;
  /** The harness's distributor: health checks of the relays, for a test of failover (off unless asked). */
  distributor?: { healthChecks: boolean };
  /** The certificate authority's reception server and the job scheduler (F11; off unless asked). */
  pki?: boolean;
}

/**
 * One mean test (faults/README.md). `run` injects and observes through the context and writes
 * only to the history; `judge` is a pure function of the history and the system's view, so any
 * run can be judged again from its evidence (`ijiwaru judge DIR`).
 */
export interface Fault {
  id: string;
  title: string;
  /** Inspection viewpoints of the 2016 audit (INCIDENTS.md). */
  viewpoints: string[];
  topology: FaultTopology;
  /** Upper bound of `run`, real time: the runner aborts `signal` then, and gives up 2 s later. */
  limitMs: number;
  /**
   * The time scale the fault always runs at, whatever the run's: a fault whose mechanism is a race
   * window the target declares in milliseconds must not have it compressed below what timers resolve.
   */
  timeScale?: number;
  run(context: FaultContext): Promise<void>;
  judge(history: Recorded, view: SystemView): Judgement;
  /** Kept in the evidence's view.json: what judging the run again needs besides the history (an experiment's plan). */
  record?: Record<string, unknown>;
}
