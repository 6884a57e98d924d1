// A build nobody taught the harness the words of: the defects of 2016-03 in acme's words. The
// same findings, because harm is judged by what happened to the work.
import t from 'tap';
import { runAcme, summaries, verdicts } from './helpers/acme.ts';

t.test('acme@defects (2016-03 in other words): F1, F3 and F4 are findings', async (t) => {
  const { status, report } = await runAcme(t, 'defects', 3);
  t.equal(status, 1, 'exit status 1: findings');
  t.same(verdicts(report), { F1: 'finding', F3: 'finding', F4: 'finding' }, summaries(report));
  t.notMatch(summaries(report), /hsm-interrupted|blocked/, "no contract word decided it: the build never said one");
});
