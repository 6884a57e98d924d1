import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Operation } from '../../harness/history/history.ts';
import { judgeCsBlock } from '../../faults/oracles/cs-block.ts';
import { checkSeedRuns, runSeeds, SEEDS } from '../helpers/mean-runs.ts';

const op = (role: string, outcome: Operation['outcome'], code?: string, startMs = 0, endMs = 10): Operation => ({
  id: 1, client: 'c', op: 'x', target: 't', startMs, endMs, outcome, ...(code && { code }), data: { role },
});
const trigger = { code: 'overflow', description: 'connection overflow' };

t.test('the block oracle on F3: an innocent that met the cap itself is no casualty; blocked answers measure the refusal', async (t) => {
  const own = judgeCsBlock([op('trigger', 'overflow', 'overflow'), op('innocent', 'overflow', 'overflow'), op('innocent', 'ok'), op('probe', 'ok')], trigger);
  t.equal(own.verdict, 'pass', own.summary);
  const blocked = judgeCsBlock(
    [op('trigger', 'server-error', 'blocked', 0, 5), op('innocent', 'server-error', 'blocked', 0, 6), op('probe', 'server-error', 'blocked', 500, 510), op('probe', 'ok', undefined, 1000, 1010)],
    trigger,
  );
  t.equal(blocked.verdict, 'finding');
  t.equal(blocked.refusedForMs, 510);
  t.match(blocked.summary, /failed 1 of 1 transactions in flight/);
});

for (const [level, expected] of [['2016-01', 'finding'], ['fixed', 'pass']] as const) {
  t.test(`F3 on reference@${level}, docker, seeds ${SEEDS[expected].join(',')}: ${expected}`, async (t) => {
    const runs = await runSeeds(t, 'F3', level, expected);
    checkSeedRuns(t, runs, expected);
    for (const { seed, outDir } of runs) {
      const observed = JSON.parse(readFileSync(path.join(outDir, 'evidence/F3/observations.json'), 'utf8')) as { overflows: number; verdict: { blockedAnswers: number } };
      // On 2016-01 the block answers the overflowing request itself; on fixed the overflow shows.
      if (expected === 'finding') t.ok(observed.verdict.blockedAnswers > 0, `seed ${seed}: ${observed.verdict.blockedAnswers} blocked answers`);
      else t.ok(observed.overflows > 0, `seed ${seed}: ${observed.overflows} overflow answers, none harmful`);
    }
  });
}
