// junit.xml and TAP for gates, from reports with every verdict and hostile text in them (a
// target's log lines end up in summaries: control characters, markup, Japanese, astral code points).
import t from 'tap';
import { Parser, type FinalResults } from 'tap-parser';
import { junitXml } from '../harness/report/junit.ts';
import { summarize, type Report, type ResultEntry } from '../harness/report/report.ts';
import { tapReport } from '../harness/report/tap.ts';
import type { Verdict } from '../faults/types.ts';
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
    schema: 'ijiwaru.report/1',
    ...(suite !== undefined && { suite }),
    target: { name: 'reference', level: '2016-01', parameters: { TIME_SCALE: '60' } },
    runtime: 'docker',
    seed: 3,
    timeScale: 60,
    startedAt: '2026-11-23T18:00:00.000Z',
    durationMs: 24_321,
    results,
    summary: summarize(results),
  };
}

const everyVerdict = report([entry('F1', 'finding', hostile), entry('F2', 'pass', 'held'), entry('F3', 'inconclusive', hostile), entry('F4', 'error', hostile)]);
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

t.test('junit.xml: a finding is a failure whose message is the summary; inconclusive and error are errors', async (t) => {
  const xml = junitXml(everyVerdict);
  t.match(xml, /<testsuites name="ijiwaru" tests="4" failures="1" errors="2"/);
  t.match(xml, /<testcase [^>]*name="F1 [^"]*"[^>]*><failure message="relay-2 said &lt;&quot;crash&quot;&gt; &amp; left \uFFFD\[31m\uFFFD 𠮷 葛\u{E0100} # not a directive\nsecond line" type="finding">/u);
  t.match(xml, /name="F2 [^"]*"[^>]*><system-out>verdict: pass/);
  t.match(xml, /<error message="[^"]*" type="inconclusive"\/>/);
  t.match(xml, /<error message="[^"]*" type="error"\/>/);
  t.match(xml, /replay: ijiwaru run --target reference@2016-01 --faults F1 --seed 3/);
  t.notMatch(xml, /\u001b|\u0000/, 'no character XML 1.0 forbids');
});

t.test('the schema check can fail: a document the schema rejects is reported', async (t) => {
  t.not((await junitSchemaErrors('<testsuites><testcase name="x"/></testsuites>')).length, 0, 'a testcase outside a testsuite');
  t.not((await junitSchemaErrors(junitXml(everyVerdict).replace(/(<testsuite name="[^"]*") tests="4" failures="1"/, '$1'))).length, 0, 'a testsuite without its counts');
});

function parseTap(text: string): Promise<FinalResults> {
  return new Promise((resolve) => {
    const parser = new Parser(resolve);
    parser.end(text);
  });
}

t.test('TAP: a well-formed TAP 14 stream, a finding or error is not ok, inconclusive a SKIP', async (t) => {
  const text = tapReport(everyVerdict);
  const results = await parseTap(text);
  t.equal(results.count, 4);
  t.equal(results.pass, 2, 'pass and inconclusive');
  t.equal(results.fail, 2, 'finding and error');
  t.equal(results.skip, 1, 'inconclusive');
  t.same(results.failures.map((failure) => failure.name), ['F1 F1 title with <markup> & "quotes"', 'F4 F4 title with <markup> & "quotes"']);
  t.match(results.failures[0]?.diag, { verdict: 'finding', summary: hostile, replay: /--faults F1 --seed 3/ });
  t.equal(results.plan.end, 4);
});

t.test('TAP: all pass is ok, an empty run a valid empty plan', async (t) => {
  t.match(await parseTap(tapReport(cases[1]![1])), { ok: true, count: 2, fail: 0 });
  t.match(await parseTap(tapReport(report([]))), { ok: true, count: 0 });
});
