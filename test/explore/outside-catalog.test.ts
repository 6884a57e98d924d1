// A build the harness's authors never saw (test/fixtures/configs/outside-catalog.json): the
// reference with every fix, except that its CS exits when a message to the centre fails, a defect
// no catalog fault describes. A short exploration finds it without being told, names it as new,
// shrinks it, and the experiment it saved replays as a mean test with the same verdict. Seed 5
// starts with a cut link, which fails a message every time; seed 1 started with a burst, whose
// overflow a busy machine may not reach, and once did not when replayed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from '../helpers/cli.ts';

const CONFIG = 'test/fixtures/configs/outside-catalog.json';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-explore-outside-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const readReport = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;

t.test('a short exploration of kumo@quirky finds its CS exiting, new to the catalog, and the saved experiment replays alike', async (t) => {
  const outDir = path.join(scratch, 'quirky');
  const run = await ijiwaru(['explore', '--config', CONFIG, '--target', 'kumo@quirky', '--budget', '20s', '--seed', '5', '--out', outDir]);
  t.equal(run.status, 1, `a finding exits 1 (${run.stderr.trim()})`);
  const report = readReport(outDir);
  const finding = report.results.find((result) => result.verdict === 'finding');
  t.ok(finding, report.results.map((result) => `${result.fault}: ${result.verdict}: ${result.summary}`).join(' | '));
  if (!finding) return;
  t.match(finding.summary, /no-crash: cs-1 exited \(status 70\) unasked/);
  t.match(finding.summary, /not in the catalog/);
  t.ok(report.explore && report.explore.experiments >= 1 && report.explore.coverage.covered >= 1, 'the coverage says what ran');
  const file = finding.evidence.find((evidence) => evidence.startsWith('experiments/'));
  t.ok(file, 'the minimal experiment is saved');
  const experiment = JSON.parse(readFileSync(path.join(outDir, file!), 'utf8')) as { faults: unknown[]; workload: string[] };
  t.equal(experiment.faults.length, 1, 'shrunk to one fault');
  t.ok(experiment.workload.length <= 3, `shrunk to a few operations (${experiment.workload.join(', ')})`);
  t.match(finding.replay, /ijiwaru run --config .* --target kumo@quirky --experiment .*E1\.json/);
  const page = readFileSync(path.join(outDir, 'report.html'), 'utf8');
  t.match(page, /<section id="explore"><h2>Exploration<\/h2>/, 'report.html shows the exploration');
  t.match(page, /<table class="coverage">.*cs-1-distributor/s, 'with its coverage matrix');
  const junit = readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
  t.match(junit, /<testsuite name="ijiwaru explore kumo@quirky".*<testcase [^>]*name="E1 [^"]*"[^>]*><failure/s, 'junit.xml: one failing case per finding');

  const replayDir = path.join(scratch, 'replay');
  const replay = await ijiwaru(['run', '--config', CONFIG, '--target', 'kumo@quirky', '--experiment', path.join(outDir, file!), '--out', replayDir]);
  t.equal(replay.status, 1, 'the replay exits 1 too');
  const replayed = readReport(replayDir).results[0];
  t.match(replayed, { fault: 'E1', verdict: 'finding', summary: /no-crash: cs-1 exited \(status 70\) unasked/ });

  const judged = await ijiwaru(['judge', outDir]);
  t.equal(judged.status, 1, 'judged again from the evidence alone: the same verdict');
  t.match(judged.stdout, /E1\s+finding/);
});
