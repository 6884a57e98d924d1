import type { Fault } from '../types.ts';
import { judgeExperiment } from './judge.ts';
import { runExperiment } from './run.ts';
import { describeFault, describePlacement, type Experiment } from './types.ts';

/**
 * The time scale experiments run at: the CS's one-minute block lasts 6 s, a pre-issue's local step
 * some 7 ms (a placement lands within a step or two), every declared timeout a few seconds at most.
 */
export const EXPERIMENT_TIME_SCALE = 10;
/**
 * An operator's setting for every experiment: a CS pool larger than any relay's connection cap,
 * so that a burst through the one CS can meet the relay's cap (as 2016's many CSs did together).
 */
const PARAMETERS = { CS_POOL_SIZE: '128' };
/** The system every experiment starts: one of each, so that a finding names its component. */
export const EXPERIMENT_TOPOLOGY = { municipalities: 1, relays: 1, cardServers: 1, parameters: PARAMETERS };
/** What the heaviest experiment may take at time scale 10: two faults, each step a hang, a burst. */
const LIMIT_MS = 120_000;

export function experimentTitle(experiment: Experiment): string {
  const faults = experiment.faults.map((placed) => `${describeFault(placed.fault)} at ${describePlacement(experiment, placed.placement)}`).join(' + ');
  return `${faults || 'no fault'}; workload ${experiment.workload.join(', ')}`;
}

/** An experiment as a mean test: its workload and faults as `run`, the generic checkers as `judge`. */
export function experimentFault(experiment: Experiment, id: string): Fault {
  return {
    id,
    title: experimentTitle(experiment),
    viewpoints: [],
    topology: EXPERIMENT_TOPOLOGY,
    limitMs: LIMIT_MS,
    timeScale: EXPERIMENT_TIME_SCALE,
    run: (context) => runExperiment(context, experiment),
    judge: (history, view) => judgeExperiment(history, view),
    record: { experiment },
  };
}

