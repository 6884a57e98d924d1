// Answers landing as the relay's timer fires (faults/kit/timer-edge.ts), one experiment replayed
// both ways: the relay of 2016-01 dies of the race (F2, by the no-crash checker, whatever it
// logs), the fixed relay keeps serving; the fault's own messages that time out are no finding.
import t from 'tap';
import { experimentReplayer } from '../helpers/replay.ts';

const replay = experimentReplayer(t, 'timer-edge');

t.test('2016-01: the relay dies at its timer, matched to F2', async (t) => {
  const { status, result, said } = await replay('timer-edge', '2016-01');
  t.equal(status, 1, said);
  t.match(result, { fault: 'timer-edge', verdict: 'finding', summary: /no-crash: relay-1 exited \(status \d+\) unasked.*matches F2/ });
});

t.test('fixed: the same answers at the timer, every checker holds', async (t) => {
  const { status, result, said } = await replay('timer-edge', 'fixed');
  t.equal(status, 0, said);
  t.equal(result.verdict, 'pass', said);
});
