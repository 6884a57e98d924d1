// The reference images through a config written by hand as a vendor would write it
// (examples/reference.config.json): the mean tests give the verdicts the reference itself gives
// at the same level (the table test/faults/level-2016-04.test.ts asserts against real reference
// runs of its whole row). Two of the row are enough to show the config's variant is what runs: F1,
// whose fix arrives at this level, passes, and F3, whose fix does not, is a finding.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../harness/report/report.ts';
import { ijiwaru } from './helpers/cli.ts';
import { LEVEL_VERDICTS } from './helpers/level-verdicts.ts';

const LEVEL = '2016-04';
/** The levels test's seed: the same command as its reference@2016-04 run but for the target. */
const SEED = 11;

t.test(`reference-image@${LEVEL} from examples/reference.config.json: the reference's verdicts`, async (t) => {
  t.setTimeout(300_000);
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-config-target-'));
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
  const faults = ['F1', 'F3'] as const;
  const run = await ijiwaru(['run', '--config', 'examples/reference.config.json', '--target', `reference-image@${LEVEL}`, '--faults', faults.join(','), '--seed', String(SEED), '--out', outDir]);
  t.equal(run.status, 1, `exit status 1: a finding (stderr: ${run.stderr.trim()})`);
  const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
  t.same(report.target, { ...report.target, name: 'reference-image', variant: LEVEL }, 'the config target at its variant');
  t.equal(report.target.parameters.HSM_BOARDS, '1', "the variant's parameters are on the sheet");
  t.same(
    Object.fromEntries(report.results.map((result) => [result.fault, result.verdict])),
    Object.fromEntries(faults.map((fault) => [fault, LEVEL_VERDICTS[LEVEL][fault]])),
    report.results.map((result) => `${result.fault}: ${result.summary}`).join(' | '),
  );
});
