// A component taken down while a burst presses on it: on the fixed build the system serves again
// once the component is back. Before the links leading to a downed component refused at once
// (harness/topology/refusing.ts), Toxiproxy's dials of the vanished name held its proxy shut past
// the heal and both experiments were false findings on `fixed`; 2016-01 blocks the CS (F3).
import t from 'tap';
import { experimentReplayer } from '../helpers/replay.ts';

const replay = experimentReplayer(t, 'down-under-burst');

t.test('2016-01: relay killed under a burst, the CS blocks (F3)', async (t) => {
  const { status, result, said } = await replay('relay-killed-under-burst', '2016-01');
  t.equal(status, 1, said);
  t.match(result, { verdict: 'finding', summary: /liveness.*matches F3/ });
});

for (const experiment of ['relay-killed-under-burst', 'card-server-stopped-under-burst']) {
  t.test(`fixed: ${experiment}, served again after the heal`, async (t) => {
    const { status, result, said } = await replay(experiment, 'fixed');
    t.equal(status, 0, said);
    t.equal(result.verdict, 'pass', said);
  });
}
