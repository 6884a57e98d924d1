import path from 'node:path';
import { EXPERIMENT_TIME_SCALE, EXPERIMENT_TOPOLOGY, experimentFault } from '../../faults/experiment/fault.ts';
import { describeFault } from '../../faults/experiment/types.ts';
import { HarnessError } from '../errors.ts';
import type { Report } from '../report/report.ts';
import { runFaults, type RunOptions } from '../runner.ts';
import { loadTarget } from '../target/load.ts';
import { readExperiment } from './experiment-file.ts';
import { componentsOf, explorationSpace, linksOf } from './space.ts';

/**
 * `ijiwaru run --experiment FILE`: one experiment of `ijiwaru explore` as a mean test, judged by
 * the same checkers, its result named after the file (E1.json gives E1). Links and components it
 * names must be the target's, or the run does not start.
 */
export async function replayExperiment(options: Omit<RunOptions, 'faults'> & { experimentFile: string }): Promise<Report> {
  const { file, experiment } = readExperiment(options.experimentFile);
  const target = await loadTarget(options.target);
  const { view } = target.definition.build({ variant: target.variant, timeScale: EXPERIMENT_TIME_SCALE, ...EXPERIMENT_TOPOLOGY, parameters: EXPERIMENT_TOPOLOGY.parameters });
  const links = linksOf(view);
  const components = componentsOf(view);
  const space = explorationSpace(view).faults.map(describeFault);
  for (const { fault } of experiment.faults) {
    const [known, name] = fault.kind === 'link' ? [links, fault.link] : [components, fault.component];
    if (!known.includes(name)) throw new HarnessError('usage', `--experiment ${options.experimentFile}: ${fault.kind} "${name}" is not in ${options.target} (it has ${known.join(', ')})`);
    // A way to fail that the place does not have: answers at a relay's timer off a relay's card-server link, a burst where no cap is declared.
    if (!space.includes(describeFault(fault))) throw new HarnessError('usage', `--experiment ${options.experimentFile}: "${describeFault(fault)}" is not in the space of ${options.target}`);
  }
  const id = path.basename(file, '.json');
  return runFaults([experimentFault(experiment, id)], { ...options, experimentFile: file });
}
