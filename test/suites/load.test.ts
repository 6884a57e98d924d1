// The load suite, shortened (the operating day in 90 seconds): the 2016-03-29 replay reports the
// overflows and their share on 2016-01 and no CS block on fixed. The full-length replay is a
// benchmark (bench/load.md). Its judge first, on hand-built histories: a block is what happened to
// the work, whatever the CS answered.
// No level is compared with another by its overflow count: counts this small from two separate
// runs were ordered either way by a neighbouring process (8 against 0, 3 against 14, 5 against 5).
// The cap each level declares is asserted where it is deterministic, in test/targets/relay.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadProfile } from '../../fixtures/profiles/profile.ts';
import type { Operation } from '../../harness/history/history.ts';
import { judgeRun } from '../../harness/judge.ts';
import type { Report } from '../../harness/report/report.ts';
import load from '../../harness/suites/load.ts';
import { ijiwaru } from '../helpers/cli.ts';
import { suiteTimeout } from '../helpers/file-times.ts';
import { history, request, state, VIEW } from '../helpers/histories.ts';

suiteTimeout(t);

t.test('the load judge: a CS that fails every request for half its block length, whatever it answers', async (t) => {
  const options = { minutes: 1.5, timeScale: 2, profile: loadProfile('2016-03-29'), seed: 1 };
  const k6 = (startMs: number, outcome: Operation['outcome'], fields: Partial<Operation> = {}) =>
    request({ client: 'k6-terminal-1', op: 'search', target: 'terminal-1', startMs, endMs: startMs + 20, outcome, ...fields });
  const served = (fromMs: number, toMs: number) => Array.from({ length: (toMs - fromMs) / 50 }, (_, index) => k6(fromMs + index * 50, 'ok', { status: 200 }));
  const running = VIEW.relays.map((relay) => state(relay.name, 4000, 'running'));
  const judge = (requests: Operation[], queries = running) => load.judge(history({ requests, queries }), VIEW, options);
  // VIEW's CS blocks for 1 s: 20 failures over 950 ms with nothing served between them is a block episode.
  const answers: Record<string, Partial<Operation> & Pick<Operation, 'outcome'>> = {
    "the contract's 503 blocked": { outcome: 'server-error', status: 503, code: 'blocked' },
    'another status and word': { outcome: 'client-error', status: 429, code: 'status-429' },
    'a reset': { outcome: 'other', code: 'network:1000' },
  };
  for (const [how, answer] of Object.entries(answers)) {
    const refused = Array.from({ length: 20 }, (_, index) => k6(1000 + index * 50, answer.outcome, answer));
    const [f3, f2] = judge([...served(0, 1000), ...refused, ...served(2000, 3000)]);
    t.equal(f3?.verdict, 'finding', `${how}: ${f3?.summary}`);
    t.equal(f3?.detectedAfterMs, 1520, `${how}: detected at the failure that made it an episode`);
    t.equal(f2?.verdict, 'pass', `${how}: the relays kept running`);
  }
  const overflows = served(0, 3000).map((operation, index) => (index % 10 === 5 ? { ...operation, outcome: 'overflow' as const, status: 503, code: 'overflow' } : operation));
  t.equal(judge(overflows)[0]?.verdict, 'pass', 'overflows that failed only their own requests: pass');
  t.equal(judge(served(0, 3000))[0]?.verdict, 'inconclusive', 'a load that never met the cap: inconclusive');
  const died = judge(served(0, 3000), [state('relay-1', 1200, 'exited', 134), state('relay-2', 1200, 'running')])[1];
  t.match(died, { fault: 'F2', verdict: 'finding', detectedAfterMs: 1200 }, `a relay that exited 134: ${died?.summary}`);
});

const MINUTES = '1.5';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-load-suite-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

interface LoadMeasurements {
  overflowsAtRelay: number;
  overflowShare: number;
  messages: number;
  achievedRatio: number;
  blockEpisodes: unknown[];
  series: Array<{ p95: number | null }>;
}

async function replay(level: string): Promise<{ status: number | null; report: Report; outDir: string }> {
  const outDir = path.join(scratch, level);
  const run = await ijiwaru(['run', '--target', `reference@${level}`, '--suite', 'load', '--minutes', MINUTES, '--out', outDir]);
  return { status: run.status, report: JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report, outDir };
}

const measured = (report: Report) => report.results.find((result) => result.fault === 'F3')?.measurements as LoadMeasurements | undefined;

t.test('the 2016-03-29 replay on 2016-01 and fixed', async (t) => {
  const early = await replay('2016-01');
  const fixed = await replay('fixed');
  const [a, c] = [measured(early.report), measured(fixed.report)];
  if (!t.ok(a && c, 'each report has the F3 measurements') || !a || !c) return;
  t.equal(early.report.suite, 'load');
  t.ok(a.overflowsAtRelay > 0, `2016-01: ${a.overflowsAtRelay} overflows at the relay`);
  t.ok(a.overflowShare > 0 && a.overflowShare < 1, `2016-01: share ${(a.overflowShare * 100).toFixed(2)} % of ${a.messages} messages`);
  t.match(early.report.results[0]?.summary, /overflow\(s\) at the relay \(\d+\.\d+ %/, 'the summary gives the count and the share');
  t.equal(c.blockEpisodes.length, 0, 'fixed: no CS block episode');
  t.equal(fixed.report.results.find((result) => result.fault === 'F3')?.verdict, 'pass', 'fixed: F3 pass');
  t.equal(early.status, 1, '2016-01: exit 1 (the block is a finding)');
  t.equal(fixed.status, 0, 'fixed: exit 0');
  for (const [level, run, m] of [['2016-01', early, a], ['fixed', fixed, c]] as const) {
    t.ok(m.achievedRatio > 0.9 && m.achievedRatio < 1.1, `${level}: k6 achieved ${(m.achievedRatio * 100).toFixed(1)} % of the intended arrivals`);
    t.ok(m.series.length >= 10 && m.series.some((bucket) => bucket.p95 !== null), `${level}: latency percentiles over time`);
    const entry = run.report.results[0];
    for (const file of ['k6-dashboard.html', 'k6-requests.jsonl', 'k6-summary.json', 'k6-plan.json']) {
      t.ok(entry?.evidence.some((evidence) => evidence.endsWith(file)), `${level}: ${file} in the evidence`);
    }
    for (const file of entry?.evidence ?? []) t.ok(existsSync(path.join(run.outDir, file)), `${level}: ${file} exists`);
    t.match(readFileSync(path.join(run.outDir, 'evidence/load/replay/k6-dashboard.html'), 'utf8'), /<html/i, `${level}: the dashboard is an HTML page`);
  }
  const again = await judgeRun(early.outDir, () => undefined);
  t.same(
    again.results.map((result) => [result.fault, result.verdict, result.detectedAfterMs, result.summary]),
    early.report.results.map((result) => [result.fault, result.verdict, result.detectedAfterMs, result.summary]),
    '2016-01 judged again from its evidence folder alone: the same verdicts, detection times and summaries',
  );
});
