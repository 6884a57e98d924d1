import { cardServerLinksOf, connectionCap } from '../../faults/experiment/inject.ts';
import { batchCommands } from '../../faults/kit/batch.ts';
import { AT_THE_RELAY_TIMEOUT, COMPONENT_ACTIONS, describeFault, LINK_MODES, STEP_OPS, type FaultSpec, type StepOp } from '../../faults/experiment/types.ts';
import type { SystemView } from '../target/types.ts';

/**
 * The space `ijiwaru explore` searches, derived from a system's view and nothing else: every link
 * the target declares × every way a link fails, every component × every action on it, each
 * landing on every operation of the workload (a batch transfer where the target has one). A target that adds a link or a component adds rows.
 */
export interface Space {
  faults: FaultSpec[];
  ops: readonly StepOp[];
}

/** One cell of the coverage matrix: a fault landing on an operation. */
export interface Cell {
  fault: FaultSpec;
  op: StepOp;
}

export const cellKey = (cell: Cell): string => `${describeFault(cell.fault)} × ${cell.op}`;

/** Every link of the view, in the order traffic meets them. */
export function linksOf(view: SystemView): string[] {
  const links = [
    ...view.municipalities.flatMap((municipality) => [municipality.terminalLink, municipality.csToDistributorLink]),
    ...view.relays.map((relay) => relay.distributorLink),
    ...cardServerLinksOf(view).map(({ link }) => link),
    ...(view.pki ? [view.pki.caLink, view.pki.schedulerLink, view.pki.schedulerToCaLink] : []),
  ];
  return [...new Set(links)];
}

/** Every component of the view a fault can act on. */
export function componentsOf(view: SystemView): string[] {
  return [...view.municipalities.map((municipality) => municipality.cs), ...view.relays.map((relay) => relay.name), ...view.cardServers, ...(view.pki ? [view.pki.ca, view.pki.scheduler] : [])];
}

export function explorationSpace(view: SystemView): Space {
  const linkFaults = linksOf(view).flatMap((link) => LINK_MODES.map((mode): FaultSpec => ({ kind: 'link', link, mode })));
  const timerEdges = cardServerLinksOf(view).map(({ link }): FaultSpec => ({ kind: 'link', link, mode: AT_THE_RELAY_TIMEOUT }));
  // A burst needs a declared connection cap to go past.
  const componentFaults = componentsOf(view).flatMap((component) =>
    COMPONENT_ACTIONS.filter((action) => action !== 'burst' || connectionCap(view, component) !== undefined).map((action): FaultSpec => ({ kind: 'component', component, action })),
  );
  // A batch is an operation only where the target declares the operator's commands for it.
  const ops = STEP_OPS.filter((op) => op !== 'batch' || batchCommands(view) !== undefined);
  return { faults: [...linkFaults, ...timerEdges, ...componentFaults], ops };
}

export function cellsOf(space: Space): Cell[] {
  return space.faults.flatMap((fault) => space.ops.map((op) => ({ fault, op })));
}
