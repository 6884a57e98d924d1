// F15's judge on hand-made pairs, then the finding side on docker: F1 under a test sheet with the
// hardware monitor off and production's with it on (the pass side is F15-identical.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { judgeF15, type SheetSide } from '../../faults/F15-production-parameters.ts';
import { readSheet } from '../../harness/config/sheet.ts';
import { CONTRACT_DEFAULTS } from '../../harness/contract/parameters.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const side = (verdict: SheetSide['verdict'], parameters: Record<string, string> = {}): SheetSide => ({
  verdict,
  summary: `${verdict} here`,
  detectedAfterMs: verdict === 'finding' ? 900 : null,
  view: { parameters: { TIME_SCALE: '1', RELAY_TIMEOUT_MS: '2000', ...parameters }, defaults: CONTRACT_DEFAULTS },
});

t.test('judgeF15: a verdict that differs is a finding naming the fault, both verdicts and every parameter that differs', async (t) => {
  const judged = judgeF15([
    { fault: 'F1', test: side('inconclusive', { MONITOR_INTERVAL_MS: '0' }), production: side('finding') },
    { fault: 'F3', test: side('finding', { MONITOR_INTERVAL_MS: '0' }), production: side('finding') },
  ]);
  t.equal(judged.verdict, 'finding', judged.summary);
  t.match(judged.summary, /^F1 inconclusive under the test sheet, finding under production's: the test environment hides a fault \(MONITOR_INTERVAL_MS 0 in test, 7200000 in production\)$/);
  t.equal(judged.detectedAfterMs, 900);
  t.same(judged.measurements.parametersThatDiffer, [{ parameter: 'MONITOR_INTERVAL_MS', test: '0', production: '7200000' }], "a fault's own settings, alike on both sides, are no difference");
  t.same(judged.measurements.verdicts.map((row) => row.differs), [true, false]);
  const only = judgeF15([{ fault: 'F6', test: side('finding'), production: side('pass', { HSM_BOARDS: '1' }) }]);
  t.match(only.summary, /the two environments do not test the same thing \(HSM_BOARDS 2 in test, 1 in production\)/, 'a finding only the test sheet shows still differs');
});

t.test('judgeF15: the same verdicts under both sheets pass; a side never judged leaves it inconclusive', async (t) => {
  const same = judgeF15([{ fault: 'F1', test: side('finding'), production: side('finding') }]);
  t.equal(same.verdict, 'pass', same.summary);
  t.match(same.summary, /^F1 finding under both the test sheet and production's \(no parameter differs\)$/);
  const cut = judgeF15([{ fault: 'F1', test: side('finding'), production: side('interrupted') }]);
  t.equal(cut.verdict, 'inconclusive');
  t.match(cut.summary, /F1 \(finding \/ interrupted\)/);
  t.equal(judgeF15([]).verdict, 'inconclusive');
});

const SHEETS = { testSheet: readSheet('--parameters', 'examples/sheets/test-monitor-off.json'), productionSheet: readSheet('--production-parameters', 'examples/sheets/production.json') };

proveSide(
  t,
  'F15',
  '2016-01',
  'finding',
  (t, run) => {
    const [f1] = run.report.results;
    t.equal(f1?.fault, 'F1', `seed ${run.seed}: F1 ran under the test sheet first`);
    t.equal(f1?.verdict, 'inconclusive', `seed ${run.seed}: with no monitor, F1 cannot be exercised: ${f1?.summary}`);
    t.ok(existsSync(path.join(run.outDir, 'evidence', 'F15', 'F1', 'history.jsonl')), `seed ${run.seed}: F1's run under production's sheet kept its history`);
    const page = readFileSync(path.join(run.outDir, 'report.html'), 'utf8');
    t.match(page, /<td>MONITOR_INTERVAL_MS<\/td><td>0<\/td><td>7200000<\/td>/, `seed ${run.seed}: report.html lists the parameter that differs`);
    t.match(page, /<td>F1<\/td><td>inconclusive<\/td><td>finding<\/td><td>true<\/td>/, `seed ${run.seed}: and the verdict that differs`);
  },
  TWO_SEEDS,
  { faults: ['F1', 'F15'], ...SHEETS },
);
