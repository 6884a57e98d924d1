// The continuous suite, shortened (2 minutes of steady load at time scale 60): F5's latency climb
// on 2016-01 and none on 2016-03 (short thread names). Its F1 oracle is tested in
// test/continuous-f1.test.ts, with the rest: it does not judge latency.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { RequestLine } from '../../load/plan.ts';
import { latencyTrend } from '../../harness/load/analysis.ts';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-continuous-suite-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

t.test('the latency trend: a steady climb, against a flat line', async (t) => {
  const line = (i: number, ms: number): RequestLine => ({ t: 1000 + i * 100, ms, op: 'search', cs: 0, class: 'ok', status: 200 });
  const climbing = latencyTrend(Array.from({ length: 600 }, (_, i) => line(i, 60 + i / 10)));
  t.ok(climbing.slopeMsPerMin > 0 && (climbing.lastMedianMs ?? 0) > (climbing.firstMedianMs ?? 0) * 1.5, 'climbing');
  const flat = latencyTrend(Array.from({ length: 600 }, (_, i) => line(i, 60 + (i % 7))));
  t.ok(Math.abs(flat.slopeMsPerMin) < 1 && flat.lastMedianMs === flat.firstMedianMs, 'flat');
});

async function continuous(t: Test, level: string, extra: string[]): Promise<Report> {
  const outDir = path.join(scratch, `${level}${extra.join('')}`);
  const run = await ijiwaru(['run', '--target', `reference@${level}`, '--suite', 'continuous', ...extra, '--out', outDir]);
  t.not(run.status, 2, `${level}: the suite ran (${run.stderr.trim().split('\n').at(-1)})`);
  return JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
}

const verdict = (report: Report, fault: string) => report.results.find((result) => result.fault === fault);

for (const [level, expected] of [['2016-01', 'finding'], ['2016-03', 'pass']] as const) {
  t.test(`F5 on reference@${level}: ${expected}`, async (t) => {
    const report = await continuous(t, level, ['--minutes', '2']);
    t.equal(report.suite, 'continuous');
    const f5 = verdict(report, 'F5');
    t.equal(f5?.verdict, expected, f5?.summary ?? 'no F5 result');
  });
}
