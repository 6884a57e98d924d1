import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Operation } from '../../harness/history/history.ts';
import { runMeanTests } from '../../harness/runner.ts';
import { judgeCsBlock } from '../../faults/oracles/cs-block.ts';

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

for (const [level, verdict] of [['2016-01', 'finding'], ['fixed', 'pass']] as const) {
  for (const seed of [1, 2, 3, 4, 5]) {
    t.test(`F4 on reference@${level}, seed ${seed}: ${verdict}`, async (t) => {
      const outDir = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-f4-${level}-`));
      const report = await runMeanTests({ target: `reference@${level}`, faults: ['F4'], runtime: 'docker', seed, timeScale: 60, outDir, say: () => undefined });
      const [result] = report.results;
      t.equal(result?.verdict, verdict, result?.summary);
      if (verdict === 'finding') t.ok((result?.detectedAfterMs ?? -1) >= 0, 'detectedAfterMs is set');
      for (const file of result?.evidence ?? []) t.ok(existsSync(path.join(outDir, file)), `evidence ${file} exists`);
      t.match(JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')), { schema: 'ijiwaru.report/1', seed, target: { level } });
      t.match(readFileSync(path.join(outDir, 'junit.xml'), 'utf8'), verdict === 'finding' ? /<failure / : /<testcase [^>]*><\/testcase>/);
    });
  }
}
