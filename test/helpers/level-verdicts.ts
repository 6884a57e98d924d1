/**
 * The level × fault verdicts the 2016 history implies (issue 4): asserted against real reference
 * runs in test/faults/levels.test.ts, and against the hand-written config of the reference images
 * in test/config-target.test.ts.
 */
export type Expected = 'finding' | 'pass';

/** F2 corrected from 2016-03; F1 fixed by physical mode in 2016-04; the block rule only in fixed. */
export const LEVEL_VERDICTS: Record<string, Record<'F1' | 'F2' | 'F3' | 'F4', Expected>> = {
  '2015-10': { F1: 'finding', F2: 'finding', F3: 'finding', F4: 'finding' },
  '2016-01': { F1: 'finding', F2: 'finding', F3: 'finding', F4: 'finding' },
  '2016-03': { F1: 'finding', F2: 'pass', F3: 'finding', F4: 'finding' },
  '2016-04': { F1: 'pass', F2: 'pass', F3: 'finding', F4: 'finding' },
  '2016-07': { F1: 'pass', F2: 'pass', F3: 'finding', F4: 'finding' },
  fixed: { F1: 'pass', F2: 'pass', F3: 'pass', F4: 'pass' },
};
