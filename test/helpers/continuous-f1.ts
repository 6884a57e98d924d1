// The continuous suite's F1 judge (the mean test's own, over HSM work sent straight to each relay
// beside the load), proven both ways: with the hardware monitor compressed to a poll every 2
// seconds (an operator's setting), a minute of steady load leaves HSM work failed or hanging on a
// running relay on 2016-01 and never on 2016-04 (the fix for F1). It judges what happened to the
// HSM work, not latency, so unlike the other suite tests it needs no quiet machine and runs with
// the rest. Each run is then judged again from its evidence folder alone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { outcome } from '../../harness/cli/outcome.ts';
import { judgeRun } from '../../harness/judge.ts';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from './cli.ts';

/** One side of the proof, a file of its own (test/continuous-f1-*.test.ts): a minute of load each. */
export function proveContinuousF1(t: Test, level: string, expected: 'finding' | 'pass'): void {
  t.test(`F1 in the continuous suite on reference@${level}, monitor every 2 s: ${expected}`, async (t) => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-continuous-f1-${level}-`));
    t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
    const run = await ijiwaru(['run', '--target', `reference@${level}`, '--suite', 'continuous', '--minutes', '1', '--monitor-interval', '2', '--out', outDir]);
    const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
    const f1 = report.results.find((result) => result.fault === 'F1');
    t.equal(f1?.verdict, expected, f1?.summary ?? 'no F1 result');
    const polls = (f1?.measurements as { monitorPolls?: number } | undefined)?.monitorPolls ?? 0;
    t.ok(polls > 0, `the monitor polled (${polls} polls logged): a pass is no pass without them`);
    t.match(f1?.summary, /the relays logged [1-9]\d* monitor polls/, 'the summary says so');
    t.match(f1?.replay, /--monitor-interval 2/, 'the replay command keeps the monitor setting');
    // F5 may or may not show in one minute; the exit status follows the verdicts either way.
    t.equal(run.status, outcome(report, false).status, 'the exit status the verdicts mean');

    const again = await judgeRun(outDir, () => undefined);
    t.same(
      again.results.map((result) => [result.fault, result.verdict, result.detectedAfterMs]),
      report.results.map((result) => [result.fault, result.verdict, result.detectedAfterMs]),
      'judged again from the evidence folder alone: the same verdicts and detection times',
    );
    t.same(again.results.map((result) => result.summary), report.results.map((result) => result.summary), 'and the same summaries');
  });
}
