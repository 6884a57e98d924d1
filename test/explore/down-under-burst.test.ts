// A component taken down while a burst presses on it: on the fixed build the system serves again
// once the component is back. Before the links leading to a downed component refused at once
// (harness/topology/refusing.ts), Toxiproxy's dials of the vanished name held its proxy shut past
// the heal and both experiments were false findings on `fixed`; 2016-01 blocks the CS (F3).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-down-under-burst-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const replay = async (experiment: string, variant: string) => {
  const outDir = path.join(scratch, `${experiment}-${variant}`);
  const run = await ijiwaru(['run', '--target', `reference@${variant}`, '--experiment', `test/fixtures/experiments/${experiment}.json`, '--out', outDir]);
  const result = (JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report).results[0]!;
  return { status: run.status, result, said: `${result.verdict}: ${result.summary}` };
};

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
