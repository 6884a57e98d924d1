// The table of level × fault verdicts that the 2016 history implies (issue 4), each level
// through the command a user types, and the replay commands of a finding run giving the same
// verdicts again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';
import { LEVEL_VERDICTS as TABLE } from '../helpers/level-verdicts.ts';

/** A seed of its own, so the table is not just the per-fault tests' seeds again. */
const SEED = 11;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-levels-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const readReport = (outDir: string) => JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
const verdicts = (report: Report) => Object.fromEntries(report.results.map((result) => [result.fault, result.verdict]));

const reports = new Map<string, Report>();

// fixed's row (every fault a pass) is the pass side of test/faults/F1-F4, three seeds each through
// the same runner: run again here it would cost a minute of the test command and prove nothing new.
const ROWS = Object.entries(TABLE).filter(([level]) => level !== 'fixed');

for (const [level, expected] of ROWS) {
  t.test(`ijiwaru run --target reference@${level}: ${JSON.stringify(expected)}`, async (t) => {
    const outDir = path.join(scratch, level);
    const run = await ijiwaru(['run', '--target', `reference@${level}`, '--seed', String(SEED), '--out', outDir]);
    const anyFinding = Object.values(expected).includes('finding');
    t.equal(run.status, anyFinding ? 1 : 0, `exit status (last line: ${run.stderr.trim().split('\n').at(-1) ?? ''})`);
    const report = readReport(outDir);
    reports.set(level, report);
    t.same(verdicts(report), expected, report.results.map((result) => `${result.fault}: ${result.summary}`).join(' | '));
    for (const result of report.results) {
      if (result.verdict === 'finding') t.type(result.detectedAfterMs, 'number', `${result.fault}: detectedAfterMs`);
      // The explicit error of 2016-03 is what makes F1 visible there, rather than a silent hang.
      if (level === '2016-03' && result.fault === 'F1') t.match(result.summary, /interrupted/, 'F1 shows as the explicit interrupted error');
    }
  });
}

t.test('the replay commands of the 2016-01 run give the same verdicts', async (t) => {
  const original = reports.get('2016-01');
  if (!t.ok(original, 'the 2016-01 run has a report') || !original) return;
  for (const result of original.results) {
    const [command, ...args] = result.replay.split(' ');
    t.equal(command, 'ijiwaru', `${result.fault}: the replay is an ijiwaru command`);
    const outDir = args[args.indexOf('--out') + 1] ?? '';
    t.ok(outDir.startsWith(scratch), `${result.fault}: the replay writes beside the original (${outDir})`);
    const replay = await ijiwaru(args);
    t.equal(replay.status, result.verdict === 'finding' ? 1 : 0, `${result.fault}: replay exit status`);
    t.same(verdicts(readReport(outDir)), { [result.fault]: result.verdict }, `${result.fault}: same verdict on replay`);
  }
});
