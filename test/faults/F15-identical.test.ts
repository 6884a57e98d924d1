// F15 with identical sheets: F1 runs twice under production's and finds the same both times, a
// pass on every seed (the finding side is F15.test.ts).
import t from 'tap';
import { readSheet } from '../../harness/config/sheet.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const production = readSheet('--parameters', 'examples/sheets/production.json');

proveSide(
  t,
  'F15',
  '2016-01',
  'pass',
  (t, run) => {
    const verdicts = run.report.results.map((result) => `${result.fault} ${result.verdict}`);
    t.same(verdicts, ['F1 finding', 'F15 pass'], `seed ${run.seed}: F1 found under both sheets`);
  },
  TWO_SEEDS,
  { faults: ['F1', 'F15'], testSheet: production, productionSheet: production },
);
