// The continuous suite's F1 oracle, proven both ways: with the hardware monitor compressed to a
// poll every 2 seconds (an operator's setting), a minute of steady load leaves an HSM board
// waiting on 2016-01 and never on 2016-04 (the fix for F1). It judges board states and log lines,
// not latency, so unlike the other suite tests it needs no quiet machine and runs with the rest.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../harness/report/report.ts';
import { ijiwaru } from './helpers/cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-continuous-f1-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

for (const [level, expected, status] of [['2016-01', 'finding', 1], ['2016-04', 'pass', 0]] as const) {
  t.test(`F1 in the continuous suite on reference@${level}, monitor every 2 s: ${expected}`, async (t) => {
    const outDir = path.join(scratch, level);
    const run = await ijiwaru(['run', '--target', `reference@${level}`, '--suite', 'continuous', '--minutes', '1', '--monitor-interval', '2', '--out', outDir]);
    const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
    const f1 = report.results.find((result) => result.fault === 'F1');
    t.equal(f1?.verdict, expected, f1?.summary ?? 'no F1 result');
    t.match(f1?.summary, /[1-9]\d* monitor polls/, 'the polls happened (a pass is no pass without them)');
    t.match(f1?.replay, /--monitor-interval 2/, 'the replay command keeps the monitor setting');
    // F5 may or may not show in one minute; the exit status follows the findings either way.
    t.equal(run.status, report.summary.finding > 0 ? 1 : 0, `exit status (${status} when F1 is the only finding)`);
  });
}
