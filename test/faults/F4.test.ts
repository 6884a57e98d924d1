import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { junitSchemaErrors } from '../helpers/junit-schema.ts';
import type { Operation } from '../../harness/history/history.ts';
import { judgeCsBlock } from '../../faults/oracles/cs-block.ts';
import { checkSeedRuns, runSeeds, SEEDS } from '../helpers/mean-runs.ts';

const op = (role: string, outcome: Operation['outcome'], code?: string, endMs = 10): Operation => ({
  id: 1, client: 'c', op: 'x', target: 't', startMs: 0, endMs, outcome, ...(code && { code }), data: { role },
});
const trigger = { code: 'timeout', description: 'search timeout' };

t.test('the block oracle: collateral damage is a finding, a lone failure a pass, no trigger inconclusive', async (t) => {
  t.equal(judgeCsBlock([op('trigger', 'server-error', 'timeout'), op('innocent', 'server-error', 'blocked', 42)], trigger).verdict, 'finding');
  t.equal(judgeCsBlock([op('trigger', 'server-error', 'timeout'), op('innocent', 'ok'), op('probe', 'ok')], trigger).verdict, 'pass');
  t.equal(judgeCsBlock([op('trigger', 'ok'), op('innocent', 'ok')], trigger).verdict, 'inconclusive');
  const found = judgeCsBlock([op('trigger', 'server-error', 'timeout', 5), op('probe', 'server-error', 'blocked', 42)], trigger);
  t.equal(found.detectedAfterMs, 42);
  t.equal(found.blockedAnswers, 1);
});

for (const [level, expected] of [['2016-01', 'finding'], ['fixed', 'pass']] as const) {
  t.test(`F4 on reference@${level}, docker, seeds ${SEEDS[expected].join(',')}: ${expected}`, async (t) => {
    const runs = await runSeeds(t, 'F4', level, expected);
    checkSeedRuns(t, runs, expected);
    for (const { seed, outDir } of runs) {
      t.match(JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')), { schema: 'ijiwaru.report/1', seed, target: { level } }, `seed ${seed}: report.json`);
      const junit = readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
      t.same(await junitSchemaErrors(junit), [], `seed ${seed}: junit.xml validates against the common schema`);
      t.equal(/<failure /.test(junit), expected === 'finding', `seed ${seed}: junit.xml has a failure exactly when F4 is a finding`);
    }
  });
}
