// junit.xml and TAP for gates, from reports with every verdict and hostile text in them (a
// target's log lines end up in summaries: control characters, markup, Japanese, astral code points).
import t from 'tap';
import { Parser, type FinalResults } from 'tap-parser';
import { outcome, verdictText } from '../harness/cli/outcome.ts';
import { junitXml } from '../harness/report/junit.ts';
import { REPORT_SCHEMA, summarize, type Report, type ResultEntry } from '../harness/report/report.ts';
import { tapReport } from '../harness/report/tap.ts';
import type { Verdict } from '../harness/verdict.ts';
import { junitSchemaErrors } from './helpers/junit-schema.ts';

const hostile = 'relay-2 said <"crash"> & left \u001b[31m\u0000 𠮷 葛\u{E0100} # not a directive\nsecond line';

function entry(fault: string, verdict: Verdict, summary: string): ResultEntry {
  return {
    fault,
    title: `${fault} title with <markup> & "quotes"`,
    viewpoints: ['2'],
    verdict,
    detectedAfterMs: verdict === 'finding' ? 1234.5 : null,
    summary,
    evidence: [`evidence/${fault}/history.jsonl`],
    replay: `ijiwaru run --target reference@2016-01 --faults ${fault} --seed 3 --out runs/x-replay`,
  };
}

function report(results: ResultEntry[], suite?: string): Report {
  return {
    schema: REPORT_SCHEMA,
    ...(suite !== undefined && { suite }),
    target: { name: 'reference', variant: '2016-01', parameters: { TIME_SCALE: '60' } },
    runtime: 'docker',
    seed: 3,
    timeScale: 60,
    startedAt: '2026-11-23T18:00:00.000Z',
    durationMs: 24_321,
    results,
    summary: summarize(results),
  };
}

const everyVerdict = report([
  entry('F1', 'finding', hostile),
  entry('F2', 'pass', 'held'),
  entry('F3', 'inconclusive', hostile),
  entry('F4', 'error', hostile),
  entry('N1', 'interrupted', 'stopped by SIGINT after 12.0 s'),
]);
const cases: Array<[string, Report]> = [
  ['every verdict, hostile text', everyVerdict],
  ['all pass', report([entry('F1', 'pass', 'held'), entry('F2', 'pass', 'held')])],
  ['no result at all', report([])],
  ['a suite', report([entry('F3', 'finding', hostile), entry('N1', 'pass', 'knee at 16,500 per 10 min')], 'limit')],
];

for (const [name, subject] of cases) {
  t.test(`junit.xml validates against schemas/junit-10.xsd: ${name}`, async (t) => {
    const xml = junitXml(subject);
    t.same(await junitSchemaErrors(xml), [], 'no schema error');
    t.equal(xml.match(/<testcase /g)?.length ?? 0, subject.results.length, 'one test case per fault');
  });
}

t.test('junit.xml: a finding is a failure, error and interrupted errors saying which, inconclusive skipped', async (t) => {
  const xml = junitXml(everyVerdict);
  t.match(xml, /<testsuites name="ijiwaru" tests="5" failures="1" errors="2" time="24\.321">/);
  t.match(xml, /<testsuite name="[^"]*" tests="5" failures="1" errors="2" time="24\.321" skipped="1" /);
  t.match(xml, /<testcase [^>]*name="F1 [^"]*"[^>]*><failure message="relay-2 said &lt;&quot;crash&quot;&gt; &amp; left \uFFFD\[31m\uFFFD 𠮷 葛\u{E0100} # not a directive\nsecond line" type="finding">/u);
  t.match(xml, /name="F2 [^"]*"[^>]*><system-out>verdict: pass/);
  t.match(xml, /name="F3 [^"]*"[^>]*><skipped message="relay-2 said &lt;[^"]*second line" type="inconclusive"\/><system-out>/);
  t.match(xml, /name="F4 [^"]*"[^>]*><error message="not judged \(error\): relay-2 said [^"]*" type="error"\/>/);
  t.match(xml, /name="N1 [^"]*"[^>]*><error message="interrupted before a verdict: stopped by SIGINT after 12\.0 s" type="interrupted"\/>/);
  t.equal(xml.match(/<error /g)?.length, 2, 'no error element for an inconclusive result');
  t.match(xml, /replay: ijiwaru run --target reference@2016-01 --faults F1 --seed 3/);
  t.notMatch(xml, /\u001b|\u0000/, 'no character XML 1.0 forbids');
});

t.test('the schema check can fail: a document the schema rejects is reported', async (t) => {
  t.not((await junitSchemaErrors('<testsuites><testcase name="x"/></testsuites>')).length, 0, 'a testcase outside a testsuite');
  t.not((await junitSchemaErrors(junitXml(everyVerdict).replace(/(<testsuite name="[^"]*") tests="5" failures="1"/, '$1'))).length, 0, 'a testsuite without its counts');
  t.not((await junitSchemaErrors(junitXml(everyVerdict).replace('<testsuites name="ijiwaru"', '<testsuites name="ijiwaru" skipped="1"'))).length, 0, 'skipped on testsuites');
});

function parseTap(text: string): Promise<FinalResults> {
  return new Promise((resolve) => {
    const parser = new Parser(resolve);
    parser.end(text);
  });
}

t.test('TAP: a well-formed TAP 14 stream, a finding, error or interruption is not ok, inconclusive a SKIP', async (t) => {
  const text = tapReport(everyVerdict);
  const results = await parseTap(text);
  t.equal(results.count, 5);
  t.equal(results.pass, 2, 'pass and inconclusive');
  t.equal(results.fail, 3, 'finding, error and interrupted');
  t.equal(results.skip, 1, 'inconclusive');
  t.same(
    results.failures.map((failure) => failure.name),
    ['F1 F1 title with <markup> & "quotes"', 'F4 F4 title with <markup> & "quotes"', 'N1 N1 title with <markup> & "quotes"'],
  );
  t.match(results.failures[0]?.diag, { verdict: 'finding', summary: hostile, replay: /--faults F1 --seed 3/ });
  t.match(results.failures[2]?.diag, { verdict: 'interrupted', summary: 'stopped by SIGINT after 12.0 s' });
  t.match(text, /^ok 3 - F3 .* # SKIP inconclusive: relay-2 said .* second line$/m, 'the reason on one line');
  t.match(text, /\n# 1 finding, 1 pass, 1 inconclusive, 1 error, 1 interrupted\n$/);
  t.equal(results.plan.end, 5);
});

t.test('TAP: all pass is ok, an empty run a valid empty plan', async (t) => {
  t.match(await parseTap(tapReport(cases[1]![1])), { ok: true, count: 2, fail: 0 });
  t.match(await parseTap(tapReport(report([]))), { ok: true, count: 0 });
});

t.test('the exit status means what junit.xml and TAP say: interrupted 130, error 2, finding 1, inconclusive 0 or 2 with --strict', async (t) => {
  const of = (...verdicts: Verdict[]) => report(verdicts.map((verdict, i) => entry(`F${i + 1}`, verdict, 'x')));
  t.same(outcome(everyVerdict, false), { status: 130, line: 'N1 interrupted before a verdict' });
  t.same(outcome(of('finding', 'error', 'error'), false), { status: 2, line: 'F2, F3 could not be judged (error), which no gate may pass' });
  t.same(outcome(of('finding', 'inconclusive', 'pass'), true), { status: 1 });
  t.same(outcome(of('inconclusive', 'pass'), false), { status: 0 });
  t.same(outcome(of('inconclusive', 'pass', 'inconclusive'), true), { status: 2, line: '--strict: F1, F3 inconclusive, which a strict gate does not pass' });
  t.same(outcome(of('pass', 'pass'), true), { status: 0 });
  t.same(outcome(of(), true), { status: 0 });
  // What the gate reads agrees: not a pass in junit.xml exactly when the status is not 0 (strict).
  for (const verdict of ['finding', 'error', 'interrupted'] as const) t.match(junitXml(of('pass', verdict)), /<testsuites [^>]*(failures="1"|errors="1")/);
});

t.test('the verdict table: one line a result, the five counts, where to look', async (t) => {
  const text = verdictText(report([entry('F1', 'finding', 'a board left waiting'), entry('load', 'error', 'k6 sent no request'), entry('N1', 'interrupted', 'not run')]), 'text', 'report: runs/x/report.json');
  t.equal(
    text,
    [
      'F1   finding      a board left waiting (after 1.2 s)',
      'load error        k6 sent no request',
      'N1   interrupted  not run',
      '1 finding, 0 pass, 0 inconclusive, 1 error, 1 interrupted; report: runs/x/report.json',
      '',
    ].join('\n'),
  );
  t.equal(verdictText(everyVerdict, 'tap', 'unused'), tapReport(everyVerdict));
});
