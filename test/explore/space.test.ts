// The exploration space and the shapes of its experiments: derived from a view alone, drawn and
// shrunk by fast-check from a seed.
import t from 'tap';
import { BATCH_RECORDS } from '../../faults/experiment/batch-step.ts';
import { AT_THE_RELAY_TIMEOUT, COMPONENT_ACTIONS, LINK_MODES, STEP_OPS } from '../../faults/experiment/types.ts';
import { drawShape, experimentOf, shapeArbitrary, shrinkShape } from '../../harness/explore/shapes.ts';
import { cellsOf, componentsOf, explorationSpace, linksOf } from '../../harness/explore/space.ts';
import type { SystemView } from '../../harness/target/types.ts';
import { VIEW } from '../helpers/histories.ts';

t.test('the space: every link and component of the view, nothing hard-coded', async (t) => {
  t.same(linksOf(VIEW), ['terminal-1', 'cs-1-distributor', 'distributor-relay-1', 'distributor-relay-2', 'relay-1-card-server-1', 'relay-2-card-server-1']);
  t.same(componentsOf(VIEW), ['cs-1', 'relay-1', 'relay-2', 'card-server-1']);
  const space = explorationSpace(VIEW);
  // No declared cap in this view: no burst.
  t.equal(space.faults.length, 6 * LINK_MODES.length + 2 + 4 * (COMPONENT_ACTIONS.length - 1));
  t.same(
    space.faults.filter((fault) => fault.kind === 'link' && fault.mode === AT_THE_RELAY_TIMEOUT).map((fault) => fault.kind === 'link' && fault.link),
    ['relay-1-card-server-1', 'relay-2-card-server-1'],
    "answers at a relay's timer: only where a relay's timer waits",
  );
  t.same(space.ops, STEP_OPS.filter((op) => op !== 'batch'), 'no batch operation where the target declares no batch commands');
  t.equal(cellsOf(space).length, space.faults.length * (STEP_OPS.length - 1));
  const batching: SystemView = { ...VIEW, operator: { ...VIEW.operator, relayBatchStart: ['relay-ctl', 'batch-start'], relayBatchStatus: ['relay-ctl', 'batch-status'] } };
  t.same(explorationSpace(batching).ops, STEP_OPS, "with the operator's batch commands, a batch is an operation too");
  // A target that adds a link or a component adds rows; a declared cap adds bursts.
  const wider: SystemView = {
    ...VIEW,
    parameters: { RELAY_MAX_CONNECTIONS: '70' },
    pki: { ca: 'ca', scheduler: 'scheduler', caLink: 'operator-ca', schedulerLink: 'operator-scheduler', schedulerToCaLink: 'scheduler-ca' },
  };
  const more = explorationSpace(wider);
  t.ok(linksOf(wider).includes('scheduler-ca') && componentsOf(wider).includes('ca'));
  t.same(
    more.faults.filter((fault) => fault.kind === 'component' && fault.action === 'burst').map((fault) => fault.kind === 'component' && fault.component),
    ['relay-1', 'relay-2'],
  );
});

t.test('an experiment of a cell: the operation in place, an issue with its own pre-issue, the same from the same seed', async (t) => {
  const fault = { kind: 'link', link: 'cs-1-distributor', mode: 'cut' } as const;
  const shape = drawShape('issue', 1, 7);
  t.same(drawShape('issue', 1, 7), shape, 'seeded');
  const experiment = experimentOf('issue', [fault], shape, 7);
  const step = experiment.faults[0]!.placement.step;
  t.equal(experiment.workload[step], 'issue');
  t.equal(experiment.workload[step - 1], 'pre-issue');
  t.equal(experiment.faults[0]!.placement.exchange, undefined, 'an issue has no exchange');
  const preIssue = experimentOf('pre-issue', [fault], { before: [], exchange: 12, record: undefined, after: ['search'], faults: [0] }, 1);
  t.same(preIssue.workload, ['pre-issue', 'search']);
  t.same(preIssue.faults[0]!.placement, { step: 0, exchange: 12 });
  const batch = experimentOf('batch', [fault], { before: ['search'], exchange: undefined, record: 4, after: [], faults: [0] }, 1);
  t.same(batch.workload, ['search', 'batch']);
  t.same(batch.faults[0]!.placement, { step: 1, record: 4 }, 'a batch: the fault meets its fourth record');
  const drawn = Array.from({ length: 20 }, (_, seed) => drawShape('batch', 1, seed));
  t.ok(drawn.every((shape) => shape.exchange === undefined && (shape.record === undefined || (shape.record >= 1 && shape.record <= BATCH_RECORDS))), 'records within the batch, no exchange');
  t.ok(drawn.some((shape) => shape.record !== undefined), 'some land on a record');
});

t.test('shrinking: replays the original first, keeps it when it does not fail again, and stops at its run limit', async (t) => {
  const arbitrary = shapeArbitrary('pre-issue', 2);
  const original = { before: ['move', 'search'] as const, exchange: 22, record: undefined, after: ['search', 'move'] as const, faults: [0, 1] };
  const failsWhen = (shape: { exchange: number | undefined; faults: number[] }) => shape.exchange !== undefined && shape.exchange >= 5 && shape.faults.includes(1);
  const shrunk = await shrinkShape({ ...original, before: [...original.before], after: [...original.after] }, arbitrary, async (shape) => failsWhen(shape), { seed: 3, maxRuns: 100, deadline: Infinity });
  t.ok(shrunk.reproduced);
  t.same(shrunk.shape, { before: [], exchange: 5, record: undefined, after: [], faults: [1] }, 'fewer faults, no steps around, the smallest exchange that still fails');
  const flaky = await shrinkShape({ ...original, before: [], after: [] }, arbitrary, async () => false, { seed: 3, maxRuns: 100, deadline: Infinity });
  t.notOk(flaky.reproduced);
  t.equal(flaky.runs, 1);
  const bounded = await shrinkShape({ ...original, before: [...original.before], after: [...original.after] }, arbitrary, async (shape) => failsWhen(shape), { seed: 3, maxRuns: 4, deadline: Infinity });
  t.equal(bounded.runs, 4);
  t.ok(failsWhen(bounded.shape), 'what it keeps still fails');
});
