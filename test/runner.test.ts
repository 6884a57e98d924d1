// The runner's own guarantees, with faults written for the test: a fault that ignores its signal
// is given up on at its limit, a judge that throws gives `error`, the no-op fault runs end to end
// and its run can be judged again from its evidence.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import noop from '../faults/noop.ts';
import type { Fault } from '../faults/types.ts';
import { judgeRun } from '../harness/judge.ts';
import { GRACE_MS, runFaults, runMeanTests } from '../harness/runner.ts';
import type { ViewRecord } from '../harness/judging.ts';
import { leftovers } from './helpers/leftovers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-runner-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const options = (name: string) => ({ target: 'reference@fixed', runtime: 'process' as const, seed: 1, timeScale: 60, outDir: path.join(scratch, name), say: () => undefined });

t.test('a fault that ignores its signal is given up on within the grace after its limit', async (t) => {
  const LIMIT_MS = 1500;
  let began = 0;
  let givenUpAfterMs = Infinity;
  const stubborn: Fault = {
    ...noop,
    id: 'STUBBORN',
    limitMs: LIMIT_MS,
    async run(context) {
      began = performance.now();
      // Ignores `context.signal`; notices only that the runner closed its history.
      while (!context.history.closed) await new Promise((resolve) => setTimeout(resolve, 20));
      givenUpAfterMs = performance.now() - began;
      await new Promise(() => undefined);
    },
  };
  const report = await runFaults([stubborn], options('stubborn'));
  // The runner may be reaped and back before the stubborn fault's next look at its history.
  for (let waited = 0; !Number.isFinite(givenUpAfterMs) && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  const result = report.results[0];
  t.equal(result?.verdict, 'error');
  t.match(result?.summary, /over its time limit/);
  t.ok(givenUpAfterMs >= LIMIT_MS, `not before its limit (${Math.round(givenUpAfterMs)} ms)`);
  // The runner's own timers decide this, not the machine's speed: the slack is for a busy event loop.
  t.ok(givenUpAfterMs <= LIMIT_MS + GRACE_MS + 1000, `given up ${Math.round(givenUpAfterMs - LIMIT_MS)} ms after its limit`);
});

t.test('a judge that throws gives error with its message; the run goes on to the next fault', async (t) => {
  const throwing: Fault = {
    ...noop,
    id: 'THROWS',
    judge() {
      throw new Error('cannot read this history');
    },
  };
  const report = await runFaults([throwing, noop], options('throws'));
  t.same(report.results.map((result) => result.verdict), ['error', 'pass']);
  t.match(report.results[0]?.summary, /THROWS could not be judged: cannot read this history/);
  t.same(report.summary, { finding: 0, pass: 1, inconclusive: 0, error: 1, interrupted: 0 });
});

t.test('the no-op fault end to end on docker: pass, its evidence, the same verdict judged again, nothing left', async (t) => {
  const outDir = path.join(scratch, 'noop');
  const report = await runMeanTests({ ...options('noop'), runtime: 'docker', faults: ['NOOP'] });
  const result = report.results[0];
  t.equal(result?.verdict, 'pass', result?.summary);
  for (const file of result?.evidence ?? []) t.ok(existsSync(path.join(outDir, file)), `${file} exists`);
  t.same(result?.evidence, ['evidence/NOOP/history.jsonl', 'evidence/NOOP/view.json', 'evidence/NOOP/judgement.json']);
  const again = await judgeRun(outDir, () => undefined);
  t.same(again.results.map((entry) => [entry.verdict, entry.detectedAfterMs, entry.summary]), report.results.map((entry) => [entry.verdict, entry.detectedAfterMs, entry.summary]));
  const { runId } = JSON.parse(readFileSync(path.join(outDir, 'evidence/NOOP/view.json'), 'utf8')) as ViewRecord;
  t.same(await leftovers(runId), { containers: [], networks: [], volumes: [], processes: [] }, `nothing of run ${runId} is left`);
});
