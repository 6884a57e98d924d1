import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { History, readHistory, type Injection, type Operation } from '../harness/history/history.ts';
import { reportHtml } from '../harness/report/html.ts';
import { injectionMarks } from '../harness/report/html-timeline.ts';
import type { Report } from '../harness/report/report.ts';
import { runMeanTests } from '../harness/runner.ts';
import type { Component } from '../harness/runtime/types.ts';
import { ensureChromium } from '../harness/setup/chromium.ts';
import { fromK6Line } from '../harness/load/k6-history.ts';
import { InjectionJournal, journaled } from '../harness/topology/injections.ts';
import { checkPage } from './helpers/browser.ts';

/** The JSON the page's script draws from. */
function pageData(page: string): { charts: Array<{ id: string; marks: unknown[]; series: Array<{ label: string }> }> } {
  const json = /<script type="application\/json" id="ijiwaru-data">([^<]*)<\/script>/.exec(page)?.[1] ?? '{}';
  return JSON.parse(json) as ReturnType<typeof pageData>;
}

t.test('the journal records each action into the history once it returns, failures included; looks are queries', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-journal-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const journal = new InjectionJournal();
  t.equal(await journal.track('link-a', 'cut', undefined, async () => 1), 1, 'unattached: the action runs, nothing is written');
  const file = path.join(dir, 'evidence', 'history.jsonl');
  const history = new History(file);
  journal.attach(history);
  await journal.track('link-a', 'toxic-add', { toxic: 'latency-downstream-1' }, async () => 'done');
  await t.rejects(journal.track('relay-1', 'kill', undefined, async () => Promise.reject(new Error('no such container'))), /no such container/);
  const events = readHistory(file).injections;
  t.equal(events.length, 2);
  t.match(events[0], { type: 'injection', target: 'link-a', action: 'toxic-add', detail: { toxic: 'latency-downstream-1' } });
  t.ok((events[0]?.atMs ?? -1) >= 0 && (events[0]?.endMs ?? -1) >= (events[0]?.atMs ?? 0), 'on the history clock');
  t.match(events[1], { target: 'relay-1', action: 'kill', error: 'no such container' });
  t.ok(!Number.isNaN(Date.parse(events[0]?.time ?? '')), 'wall time beside the clock');

  const done: string[] = [];
  const fake: Component = {
    name: 'relay-1',
    endpoint: () => ({ host: '127.0.0.1', port: 1 }),
    stop: async () => void done.push('stop'),
    kill: async () => void done.push('kill'),
    pause: async () => void done.push('pause'),
    resume: async () => void done.push('resume'),
    restart: async () => void done.push('restart'),
    logs: async () => '{"event":"ready"}\n{"event":"hsm-interrupted"}\n{"event":"hsm-interrupted"}\n',
    exec: async () => ({ exitCode: 3, output: '' }),
    limitMemory: async () => void done.push('limit'),
    changedFiles: async () => [{ path: '/etc/ijiwaru/ic/c1.json', content: Buffer.from('secret contents') }],
    status: async () => ({ state: 'running', exitCode: null }),
  };
  const component = journaled(fake, journal);
  await component.pause();
  await component.status();
  await component.logs();
  await component.exec(['node', 'relay-ctl.ts', 'poll-now']);
  await component.changedFiles();
  await component.resume();
  t.same(done, ['pause', 'resume'], 'the real operations ran');
  const written = readHistory(file);
  const recorded = written.injections.slice(2);
  t.same(recorded.map((event) => event.action), ['pause', 'exec', 'resume'], 'looks are not injections');
  t.same(recorded[1]?.detail, { argv: ['node', 'relay-ctl.ts', 'poll-now'], exitCode: 3, output: '' }, 'an operator command with its exit status and output');
  t.same(written.queries.map((query) => query.query), ['status', 'logs', 'changed-files'], 'looks are queries');
  t.same(written.queries[2]?.result, { files: 1, listed: [{ path: '/etc/ijiwaru/ic/c1.json', bytes: 15 }] }, "changed files by name and size, never their contents");
  t.match(written.queries[1]?.result, { events: { ready: 1, 'hsm-interrupted': 2 }, lines: 3 }, 'log events counted');
  const marks = injectionMarks(recorded);
  t.equal(marks.length, 2, 'pause and resume make one band, the exec another');
  t.equal(marks[0]?.toS, (recorded[2]?.endMs ?? 0) / 1000);
});

/** A suite-shaped run folder, written by hand: only for the page builder (Chromium opens a real run). */
function syntheticSuite(dir: string): Report {
  const folder = path.join(dir, 'evidence', 'load');
  mkdirSync(path.join(folder, 'day'), { recursive: true });
  mkdirSync(path.join(folder, 'logs'), { recursive: true });
  const origin = Date.parse('2026-11-23T10:00:00.000Z');
  const requests = Array.from({ length: 400 }, (_, index) => ({ t: origin + 500 + index * 25, ms: 40 + (index % 7) * 10, op: 'search', cs: index % 2, class: index % 50 === 0 ? 'blocked' : 'ok', status: index % 50 === 0 ? 503 : 200 }));
  writeFileSync(path.join(folder, 'day', 'k6-requests.jsonl'), requests.map((line) => JSON.stringify(line)).join('\n') + '\n{"t":');
  const load: Injection = { type: 'injection', atMs: 400, endMs: 10_600, time: new Date(origin + 400).toISOString(), target: 'k6', action: 'load', detail: { phase: 'day', work: ['search'] } };
  // A suite's history holds k6's requests, imported as request entries (harness/suites/run.ts).
  const imported = requests.map((line, index) => ({ type: 'request', id: index + 1, ...fromK6Line(line, origin, 'day') }));
  writeFileSync(path.join(folder, 'history.jsonl'), [load, ...imported].map((entry) => JSON.stringify(entry)).join('\n') + '\n');
  writeFileSync(path.join(folder, 'observations.json'), JSON.stringify({ worst: { requestId: 'search-1-7-aa' } }));
  writeFileSync(
    path.join(folder, 'logs', 'cs-1.log'),
    [
      { time: '2026-11-23T10:00:01Z', component: 'cs', stream: 'business', event: 'search', requestId: 'search-1-7-aa', correlationId: 'search-1-7-aa' },
      { time: '2026-11-23T10:00:01Z', component: 'cs', stream: 'error', event: '<script>alert(1)</script>', correlationId: 'search-1-7-aa' },
      { time: '2026-11-23T10:00:02Z', component: 'cs', stream: 'business', event: 'search', requestId: 'other', correlationId: 'other' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
  const files = ['evidence/load/history.jsonl', 'evidence/load/day/k6-requests.jsonl'];
  return {
    schema: 'ijiwaru.report/2',
    suite: 'load',
    target: { name: 'vendor<x>', variant: '2016-01', parameters: { TIME_SCALE: '60', CS_BLOCK_MS: '60000' }, defaults: { TIME_SCALE: '1', CS_BLOCK_MS: '60000', RELAY_MAX_CONNECTIONS: '70' } },
    runtime: 'docker',
    seed: 7,
    timeScale: 60,
    startedAt: '2026-11-23T10:00:00.000Z',
    durationMs: 12_000,
    results: [
      {
        fault: 'F3',
        title: 'Connection overflow and the CS one-minute block',
        viewpoints: ['2', '5', '6', 'N1'],
        verdict: 'finding',
        detectedAfterMs: 1200,
        summary: 'the CS refused all work <for 60 s>',
        evidence: [...files, 'evidence/load/observations.json'],
        replay: 'ijiwaru run --target reference@2016-01 --suite load --seed 7',
        measurements: {
          profile: '2016-03-29',
          overflowShare: 0.0228519,
          classes: { ok: 392, blocked: 8 },
          blockEpisodes: [],
          series: [0, 1, 2, 3].map((index) => ({ fromS: index * 3, toS: index * 3 + 3, sent: 100, classes: { ok: 98, blocked: 2 }, p50: 45, p95: 90 })),
          relays: [{ relay: 'relay-1', state: 'running', exitCode: null }],
        },
      },
      { fault: 'F2', title: 'Timeout-versus-reset race', viewpoints: ['2', '5', '6'], verdict: 'pass', detectedAfterMs: null, summary: 'no relay died', evidence: files, replay: 'ijiwaru run --target reference@2016-01 --suite load --seed 7', measurements: {} },
    ],
    summary: { finding: 1, pass: 1, inconclusive: 0, error: 0, interrupted: 0 },
  };
}

t.test('the page builder on a suite-shaped folder: viewpoints, shared timeline, measurements, joined logs, parameters', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-report-html-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const page = reportHtml(syntheticSuite(dir), dir);
  t.notOk(/<script>alert/.test(page), 'log text is escaped');
  t.ok(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/.test(page), 'and still shown');
  t.ok(/vendor&lt;x&gt;@2016-01/.test(page), 'the target name is escaped');
  t.notOk(/(src|href)="https?:/.test(page), 'nothing to fetch');
  t.equal((page.match(/class="viewpoint" data-viewpoint=/g) ?? []).length, 13, 'all 13 viewpoints');
  t.equal((page.match(/not covered by this run/g) ?? []).length, 13 - 4, 'those without a result say so');
  t.ok(/Joined by <code>correlationId<\/code>/.test(page), 'joined by correlation ID');
  t.ok(/cs-1\.log: 2 of 2 matching lines/.test(page), 'only the lines of the request involved');
  t.ok(/the same requests as <a href="#result-0">/.test(page), 'a suite draws its load once');
  t.ok(/<tr class="differs"><td>TIME_SCALE<\/td><td>60<\/td><td>1<\/td><td>≠<\/td>/.test(page), 'the parameter that differs is marked');
  t.ok(/RELAY_MAX_CONNECTIONS<\/td><td><span class="note">not set \(default\)/.test(page), 'a default the run did not set');
  t.ok(/overflowShare<\/th><td>0\.023</.test(page), 'a scalar figure, rounded');
  t.ok(/classes\.blocked<\/th><td>8</.test(page), 'a record of figures, flattened');
  t.ok(/<td>relay-1<\/td><td>running<\/td>/.test(page), 'records without an x axis as a table');
  const data = pageData(page);
  const timeline = data.charts.filter((chart) => chart.id.startsWith('timeline-'));
  t.equal(timeline.length, 3, 'throughput, latency, errors');
  t.equal(timeline[0]?.marks.length, 1, 'the load phase over the timeline');
  t.same(timeline[2]?.series.map((series) => series.label), ['server-error:blocked']);
  const measured = data.charts.filter((chart) => chart.id.startsWith('m-0-')).map((chart) => chart.series.map((series) => series.label));
  t.same(measured, [['sent'], ['classes.ok', 'classes.blocked'], ['p50', 'p95']], 'a measured series as charts, one per family of fields');
  for (const chart of data.charts) t.ok(new RegExp(`<div class="chart" id="${chart.id}">`).test(page), `${chart.id} has its element`);
});

t.test('a target without correlation IDs: lines matched on requestId, and the page says so', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-report-html-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'evidence', 'F9', 'logs'), { recursive: true });
  const failed: Operation = { type: 'request', id: 1, client: 'c', op: 'search', target: 'terminal-1', startMs: 1, endMs: 9, outcome: 'server-error', status: 503, code: 'blocked', data: { requestId: 'r-1' } };
  writeFileSync(path.join(dir, 'evidence', 'F9', 'history.jsonl'), `${JSON.stringify(failed)}\n${JSON.stringify({ ...failed, id: 2, outcome: 'ok', data: { requestId: 'r-2' } })}\n`);
  writeFileSync(path.join(dir, 'evidence', 'F9', 'logs', 'relay-1.log'), '{"event":"message","requestId":"r-1"}\n{"event":"message","requestId":"r-2"}\nnot json\n');
  const report: Report = {
    schema: 'ijiwaru.report/2',
    target: { name: 'reference', variant: '2016-01', parameters: { TIME_SCALE: '60' } },
    runtime: 'process',
    seed: 1,
    timeScale: 60,
    startedAt: '2026-11-23T10:00:00.000Z',
    durationMs: 1000,
    results: [{ fault: 'F9', title: 'False success', viewpoints: ['9'], verdict: 'finding', detectedAfterMs: 5, summary: 's', evidence: ['evidence/F9/history.jsonl'], replay: 'ijiwaru run --faults F9' }],
    summary: { finding: 1, pass: 0, inconclusive: 0, error: 0, interrupted: 0 },
  };
  const page = reportHtml(report, dir);
  t.ok(/No log line of this target carries a <code>correlationId<\/code>/.test(page), 'the page says the logs cannot be joined');
  t.ok(/relay-1\.log: 1 of 1 matching lines \(matched by requestId\)/.test(page), 'the failed request only');
  t.ok(/The target declared no defaults/.test(page), 'no defaults: the values alone');
});

t.test('report.html of a real run opens offline in Chromium with every chart drawn', async (t) => {
  t.setTimeout(240_000);
  const chromium = await ensureChromium((line) => t.comment(line));
  // Kept after the test (tap's fixture folder, .tap/fixtures/...): CI keeps the screenshot and the run.
  t.saveFixture = true;
  const keep = t.testdir();
  const outDir = path.join(keep, 'run');
  const report = await runMeanTests({ target: 'reference@2016-01', faults: ['F4'], runtime: 'docker', seed: 1, timeScale: 60, outDir, say: () => undefined });
  t.equal(report.results[0]?.verdict, 'finding', report.results[0]?.summary);
  const injections = readHistory(path.join(outDir, 'evidence', 'F4', 'history.jsonl')).injections;
  t.same(injections.map((event) => event.action), ['toxic-add', 'toxic-remove'], 'the latency toxic, added and removed');
  t.ok((injections[0]?.atMs ?? -1) >= 0 && (injections[1]?.atMs ?? 0) > (injections[0]?.endMs ?? Infinity), 'on the history clock, in order');
  const file = path.join(outDir, 'report.html');
  t.ok(statSync(file).size < 2_000_000, `report.html is ${statSync(file).size} bytes`);
  const screenshot = path.join(keep, 'report-html.png');
  const check = await checkPage(chromium, file, screenshot);
  t.same(check.consoleErrors, [], 'no console error');
  t.same(check.pageErrors, [], 'no page error');
  t.same(check.requests.filter((url) => url !== pathToFileURL(file).href && !url.startsWith('data:')), [], 'no request but the file itself');
  t.ok(check.charts.length >= 3, `${check.charts.length} charts`);
  for (const chart of check.charts) {
    t.ok(chart.canvas && chart.width > 0 && chart.height > 0, `${chart.id}: a canvas of ${chart.width}×${chart.height}`);
    t.ok(chart.painted > 0 && chart.coloured > 0, `${chart.id}: ${chart.painted} pixels painted, ${chart.coloured} in colour`);
    t.ok(Number(chart.rendered) > 0, `${chart.id}: drawn from ${chart.rendered} points`);
  }
  t.same(check.viewpoints, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'N1', 'N2', 'N3'], 'every viewpoint, in order');
  t.same(check.notCovered, ['1', '3', '4', '5', '7', '8', '9', '10', 'N1', 'N2', 'N3'], 'F4 under 2 and 6 only');
  t.same(check.replays, [report.results[0]?.replay], 'the replay command');
  t.match(check.injectionRows[0] ?? '', /latency downstream latency=\d+/, 'the injection listed under the timeline');
  t.equal(check.logSections.length, 1, 'log excerpts for the finding');
  t.ok(existsSync(screenshot) && statSync(screenshot).size > 10_000, `screenshot kept at ${path.relative(process.cwd(), screenshot)}`);
});
