// A correct build with other words and other settings: other declared timeouts, pool size and
// connection cap. Every mean test passes: the judges take the timings from the build's view.
import t from 'tap';
import { runAcme, summaries, verdicts } from './helpers/acme.ts';

t.test('acme@sturdy (every fix, other words and settings): F1, F3 and F4 pass', async (t) => {
  const { status, report } = await runAcme(t, 'sturdy', 3);
  t.equal(status, 0, 'exit status 0');
  t.same(verdicts(report), { F1: 'pass', F3: 'pass', F4: 'pass' }, summaries(report));
});
