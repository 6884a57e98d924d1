// Answers landing as the relay's timer fires (faults/kit/timer-edge.ts), one experiment replayed
// both ways: the relay of 2016-01 dies of the race (F2, by the no-crash checker, whatever it
// logs), the fixed relay keeps serving; the fault's own messages that time out are no finding.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';

const EXPERIMENT = 'test/fixtures/experiments/timer-edge.json';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-timer-edge-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const replay = async (variant: string) => {
  const outDir = path.join(scratch, variant);
  const run = await ijiwaru(['run', '--target', `reference@${variant}`, '--experiment', EXPERIMENT, '--out', outDir]);
  const result = (JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report).results[0]!;
  return { status: run.status, result, said: `${result.verdict}: ${result.summary}` };
};

t.test('2016-01: the relay dies at its timer, matched to F2', async (t) => {
  const { status, result, said } = await replay('2016-01');
  t.equal(status, 1, said);
  t.match(result, { fault: 'timer-edge', verdict: 'finding', summary: /no-crash: relay-1 exited \(status \d+\) unasked.*matches F2/ });
});

t.test('fixed: the same answers at the timer, every checker holds', async (t) => {
  const { status, result, said } = await replay('fixed');
  t.equal(status, 0, said);
  t.equal(result.verdict, 'pass', said);
});
