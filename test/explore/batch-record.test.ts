// A batch transfer cut at its third record (test/fixtures/experiments/batch-cut-at-record.json),
// replayed on three levels: 2015-10's console says "finished" for records the card server never
// got (F9, by reconciliation of the console with the records and notices, whatever it logs);
// 2016-01's honest console and the fixed build say the batch failed, and every checker holds.
import t from 'tap';
import { experimentReplayer } from '../helpers/replay.ts';

const replay = experimentReplayer(t, 'batch-record');

t.test('2015-10: "finished" with records missing and no notice, matched to F9', async (t) => {
  const { status, result, said } = await replay('batch-cut-at-record', '2015-10');
  t.equal(status, 1, said);
  t.match(result, { fault: 'batch-cut-at-record', verdict: 'finding', summary: /batch-reconciliation: batch \S+: console "finished" with [0-5] of 6 records.*matches F9/ });
});

for (const variant of ['2016-01', 'fixed']) {
  t.test(`${variant}: the console says the batch failed, every checker holds`, async (t) => {
    const { status, result, said } = await replay('batch-cut-at-record', variant);
    t.equal(status, 0, said);
    t.equal(result.verdict, 'pass', said);
    t.match(result.summary, /1 of 2 step\(s\) failed under them/, 'the batch failed under the cut, and said so');
  });
}
