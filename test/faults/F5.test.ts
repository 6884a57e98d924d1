// F5's judge on hand-built histories, then the finding side on docker (the pass side is F5-fixed.test.ts).
import t from 'tap';
import fault, { judgeF5, MEAN_TEST_FACTOR, MESSAGES } from '../../faults/F5-thread-names.ts';
import { history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const search = (i: number, ms: number) => request({ client: 'card-work', op: 'search', target: 'relay-1', startMs: i * 20, endMs: i * 20 + ms, outcome: 'ok', status: 200 });
const exchange = (i: number, ms: number) => request({ client: 'control', op: 'ic-exchange', target: 'relay-1', startMs: i * 20 + 7, endMs: i * 20 + 7 + ms, outcome: 'ok', status: 200 });
const N = MESSAGES;

t.test('F5 judge: the card server share climbing while the control path stays flat is a finding', async (t) => {
  // Searches 10 → 30 ms; the control 3 ms: the card server's share 7 → 27 ms.
  const requests = [...Array.from({ length: N }, (_, i) => search(i, 10 + (20 * i) / N)), ...Array.from({ length: N }, (_, i) => exchange(i, 3))];
  const judged = fault.judge(history({ requests }), VIEW);
  t.equal(judged.verdict, 'finding', judged.summary);
  t.ok((judged.detectedAfterMs ?? 0) > 0, 'detected at the last answer of the climb');
});

t.test('F5 judge: a machine that slows both paths as much is no finding, nor a flat line, nor too few answers', async (t) => {
  const machine = [...Array.from({ length: N }, (_, i) => search(i, 10 + (20 * i) / N)), ...Array.from({ length: N }, (_, i) => exchange(i, 3 + (20 * i) / N))];
  t.equal(fault.judge(history({ requests: machine }), VIEW).verdict, 'pass', 'the machine, not the card server');
  const flat = [...Array.from({ length: N }, (_, i) => search(i, 10 + (i % 5))), ...Array.from({ length: N }, (_, i) => exchange(i, 3 + (i % 3)))];
  t.equal(fault.judge(history({ requests: flat }), VIEW).verdict, 'pass');
  t.equal(fault.judge(history({ requests: flat.slice(0, 40) }), VIEW).verdict, 'inconclusive');
  const cutShort = [...flat.slice(0, N / 2), ...flat.slice(N)];
  t.match(fault.judge(history({ requests: cutShort }), VIEW), { verdict: 'inconclusive', summary: /only 1000 of 2000 messages were served in a row/ }, 'a flat line too short to be sure: no pass');
});

t.test("F5 judge: the ratio decides, not the absolute time; the factor is the caller's", async (t) => {
  // The same 1.3× climb of the share is a finding at 1.1 and not at the mean test's factor.
  const searches = Array.from({ length: N }, (_, i) => search(i, 13 + (3 * i) / N));
  const controls = Array.from({ length: N }, (_, i) => exchange(i, 3));
  t.equal(judgeF5(searches, controls, 1.1).verdict, 'finding');
  t.equal(judgeF5(searches, controls, MEAN_TEST_FACTOR).verdict, 'pass');
  const slow = (ms: number) => ms * 10;
  const scaled = judgeF5(Array.from({ length: N }, (_, i) => search(i, slow(13 + (3 * i) / N))), Array.from({ length: N }, (_, i) => exchange(i, slow(3))), 1.1);
  t.equal(scaled.verdict, 'finding', 'ten times slower everywhere: the same verdict');
});

proveSide(t, 'F5', '2016-01', 'finding', undefined, TWO_SEEDS);
