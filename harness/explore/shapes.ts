import fc from 'fast-check';
import { EXPERIMENT_SCHEMA, type Experiment, type FaultSpec, type StepOp } from '../../faults/experiment/types.ts';
import { BATCH_RECORDS } from '../../faults/experiment/batch-step.ts';
import { PRE_ISSUE_EXCHANGES } from '../../faults/kit/chip-write.ts';

/**
 * What fast-check generates and shrinks of an experiment: the workload around the operation the
 * faults land on, the exchange of a pre-issue or the record of a batch they land at, and which of
 * the candidate faults are placed. Shrinking drops steps and faults and moves the exchange or the
 * record down, as fast-check shrinks any counterexample.
 */
export interface Shape {
  before: StepOp[];
  /** For a pre-issue: the exchange the faults land at; none: just before it leaves. */
  exchange: number | undefined;
  /** For a batch: the record the faults meet; none: just before it starts. */
  record: number | undefined;
  after: StepOp[];
  /** Indices into the candidate faults, one or two. */
  faults: number[];
}

/** At most this many steps on each side of the placed operation. */
const MAX_AROUND = 2;

export function shapeArbitrary(op: StepOp, candidates: number): fc.Arbitrary<Shape> {
  return fc.record({
    before: fc.array(fc.constantFrom<StepOp>('search', 'move'), { maxLength: MAX_AROUND }),
    exchange: op === 'pre-issue' ? fc.option(fc.integer({ min: 1, max: PRE_ISSUE_EXCHANGES }), { nil: undefined }) : fc.constant(undefined),
    record: op === 'batch' ? fc.option(fc.integer({ min: 1, max: BATCH_RECORDS }), { nil: undefined }) : fc.constant(undefined),
    after: fc.array(fc.constantFrom<StepOp>('search', 'move', 'pre-issue'), { maxLength: MAX_AROUND }),
    faults: fc.uniqueArray(fc.integer({ min: 0, max: candidates - 1 }), { minLength: 1, maxLength: candidates }),
  });
}

/** One shape drawn from `seed`. */
export function drawShape(op: StepOp, candidates: number, seed: number): Shape {
  const [shape] = fc.sample(shapeArbitrary(op, candidates), { seed, numRuns: 1 });
  if (!shape) throw new Error('fast-check drew no shape');
  return shape;
}

/** The experiment a shape stands for: every chosen fault lands on the operation `op`. */
export function experimentOf(op: StepOp, candidates: readonly FaultSpec[], shape: Shape, seed: number): Experiment {
  // An issue issues the latest pre-issued card: it brings its own pre-issue.
  const workload: StepOp[] = [...shape.before, ...(op === 'issue' ? (['pre-issue'] as const) : []), op, ...shape.after];
  const step = workload.length - shape.after.length - 1;
  const faults = shape.faults.flatMap((index) => {
    const fault = candidates[index];
    return fault ? [{ fault, placement: { step, ...(shape.exchange !== undefined && { exchange: shape.exchange }), ...(shape.record !== undefined && { record: shape.record }) } }] : [];
  });
  return { schema: EXPERIMENT_SCHEMA, seed, workload, faults };
}

/**
 * Shrinks a failing shape with fast-check: the original is run first (it must fail again to be
 * kept), then smaller ones, each an experiment run by `fails`; at most `maxRuns` of them, and none
 * after `deadline` (a later candidate counts as passing, so the smallest failure found so far stays).
 */
export async function shrinkShape(
  original: Shape,
  arbitrary: fc.Arbitrary<Shape>,
  fails: (shape: Shape) => Promise<boolean>,
  options: { seed: number; maxRuns: number; deadline: number },
): Promise<{ shape: Shape; reproduced: boolean; runs: number }> {
  let runs = 0;
  let reproduced = false;
  const property = fc.asyncProperty(arbitrary, async (shape) => {
    if (runs >= options.maxRuns || performance.now() >= options.deadline) return true;
    runs++;
    const failing = await fails(shape);
    if (runs === 1) reproduced = failing;
    return !failing;
  });
  const result = await fc.check(property, { seed: options.seed, numRuns: 1, examples: [[original]] });
  return { shape: reproduced ? (result.counterexample?.[0] ?? original) : original, reproduced, runs };
}
