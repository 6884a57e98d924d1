/**
 * An experiment of `ijiwaru explore` (harness/explore/): a short workload of terminal operations
 * at one CS, one or two faults placed at chosen points of it, then heal, recovery and read-back.
 * Plain data, so that a shrunk failure is saved as a file and replayed (`ijiwaru run --experiment`).
 */

/**
 * What is done at one step: the terminal's operations (`issue` issues the card of the latest
 * pre-issue), or an operator's batch transfer of a municipality's records, where the target
 * declares the commands for it.
 */
export type StepOp = 'pre-issue' | 'issue' | 'search' | 'move' | 'batch';
export const STEP_OPS: readonly StepOp[] = ['pre-issue', 'issue', 'search', 'move', 'batch'];

/** The declared timeouts a latency can be set just past (SystemView's timing). */
export type TimeoutName = 'relayTimeoutMs' | 'csSearchTimeoutMs' | 'csRequestTimeoutMs';
export const TIMEOUT_NAMES: readonly TimeoutName[] = ['relayTimeoutMs', 'csSearchTimeoutMs', 'csRequestTimeoutMs'];

/** How a link fails: each through one Toxiproxy mechanism (faults/experiment/inject.ts). */
export type LinkMode = `latency>${TimeoutName}` | 'reset' | 'cut' | 'blackhole' | 'slow-close' | 'cut-mid-body' | 'low-bandwidth' | typeof AT_THE_RELAY_TIMEOUT;
export const LINK_MODES: readonly LinkMode[] = [...TIMEOUT_NAMES.map((name) => `latency>${name}` as const), 'reset', 'cut', 'blackhole', 'slow-close', 'cut-mid-body', 'low-bandwidth'];
/**
 * Answers landing as the relay's timer fires, with the fault's own traffic through the relay
 * (faults/kit/timer-edge.ts): only on a link whose far side a relay's timer waits for, its card-server links.
 */
export const AT_THE_RELAY_TIMEOUT = 'latency=relayTimeoutMs';
export const EVERY_LINK_MODE: readonly LinkMode[] = [...LINK_MODES, AT_THE_RELAY_TIMEOUT];

/** What is done to a component: each through the container engine, or load for a burst. */
export type ComponentAction = 'kill' | 'stop' | 'pause' | 'restart' | 'memory' | 'burst';
export const COMPONENT_ACTIONS: readonly ComponentAction[] = ['kill', 'stop', 'pause', 'restart', 'memory', 'burst'];

export type FaultSpec = { kind: 'link'; link: string; mode: LinkMode } | { kind: 'component'; component: string; action: ComponentAction };

/**
 * Where in the workload the fault lands: while step `step`'s request is in flight (applied just
 * before it leaves); for a pre-issue, once its chip write has sent exchange `exchange` of the
 * contract's 29; for a batch, once the card server holds the records before `record`, so that
 * the fault meets that record on its way.
 */
export interface Placement {
  step: number;
  exchange?: number;
  record?: number;
}

export interface PlacedFault {
  fault: FaultSpec;
  placement: Placement;
}

export const EXPERIMENT_SCHEMA = 'ijiwaru.experiment/1';

export interface Experiment {
  schema: typeof EXPERIMENT_SCHEMA;
  /** The seed of the experiment's own random choices (request IDs, resident codes). */
  seed: number;
  workload: StepOp[];
  faults: PlacedFault[];
}

/** A fault as one short line: the coverage matrix's row and a finding's title. */
export function describeFault(fault: FaultSpec): string {
  return fault.kind === 'link' ? `${fault.link}: ${fault.mode}` : `${fault.component}: ${fault.action}`;
}

export function describePlacement(experiment: Pick<Experiment, 'workload'>, placement: Placement): string {
  const op = `${experiment.workload[placement.step] ?? '?'} #${placement.step + 1}`;
  if (placement.exchange !== undefined) return `${op} at exchange ${placement.exchange}`;
  return placement.record !== undefined ? `${op} at record ${placement.record}` : `${op} in flight`;
}
