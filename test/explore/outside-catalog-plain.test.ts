// The pass side of test/explore/outside-catalog.test.ts: the same short exploration (seed,
// budget) of the same build without its defect finds nothing, so the finding there was the
// defect's, not the checkers'.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-explore-plain-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

t.test('the same exploration of kumo@plain: no finding', async (t) => {
  const run = await ijiwaru(['explore', '--config', 'test/fixtures/configs/outside-catalog.json', '--target', 'kumo@plain', '--budget', '20s', '--seed', '1', '--out', scratch]);
  const report = JSON.parse(readFileSync(path.join(scratch, 'report.json'), 'utf8')) as Report;
  t.equal(run.status, 0, report.results.map((result) => `${result.fault}: ${result.verdict}: ${result.summary}`).join(' | '));
  t.match(report.results, [{ fault: 'EXPLORE', verdict: 'pass' }]);
  t.ok((report.explore?.experiments ?? 0) >= 1);
});
