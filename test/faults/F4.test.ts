import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { junitSchemaErrors } from '../helpers/junit-schema.ts';
import type { Operation } from '../../harness/history/history.ts';
import { judgeCsBlock } from '../../faults/kit/cs-block.ts';
import { history, request } from '../helpers/histories.ts';
import { checkSeedRuns, runSeeds, SEEDS } from '../helpers/mean-runs.ts';

const F4 = { description: 'search timeout', harmed: ['innocent', 'probe'] as const };
const role = (name: string, outcome: Operation['outcome'], extra: Partial<Operation> = {}) => request({ target: 'terminal-1', outcome, ...extra, data: { role: name } });

t.test('the block judge on F4: collateral damage is a finding, a lone failure a pass, no trigger inconclusive', async (t) => {
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'server-error', { status: 504 }), role('innocent', 'server-error', { status: 503, code: 'blocked', endMs: 42 })] }), F4).verdict, 'finding');
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'server-error', { status: 504 }), role('innocent', 'ok'), role('probe', 'ok')] }), F4).verdict, 'pass');
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'ok'), role('innocent', 'ok'), role('probe', 'ok')] }), F4).verdict, 'inconclusive');
  const timedOut = judgeCsBlock(history({ requests: [role('trigger', 'server-error'), role('probe', 'timeout-headers', { endMs: 20_000 }), role('probe', 'timeout-headers', { endMs: 20_010 })] }), F4);
  t.equal(timedOut.verdict, 'finding', 'probes that all time out are refused work, not a pass');
  t.equal(timedOut.detectedAfterMs, 20_000);
});

for (const [level, expected] of [['2016-01', 'finding'], ['fixed', 'pass']] as const) {
  t.test(`F4 on reference@${level}, docker, seeds ${SEEDS[expected].join(',')}: ${expected}`, async (t) => {
    const runs = await runSeeds(t, 'F4', level, expected);
    await checkSeedRuns(t, runs, expected);
    for (const { seed, outDir } of runs) {
      t.match(JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')), { schema: 'ijiwaru.report/2', seed, target: { variant: level } }, `seed ${seed}: report.json`);
      const junit = readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
      t.same(await junitSchemaErrors(junit), [], `seed ${seed}: junit.xml validates against the common schema`);
      t.equal(/<failure /.test(junit), expected === 'finding', `seed ${seed}: junit.xml has a failure exactly when F4 is a finding`);
    }
  });
}
