import type { Verdict } from '../verdict.ts';
import type { Report, ResultEntry } from './report.ts';

/**
 * Text made safe for an XML 1.0 attribute or element: markup escaped, and the characters XML 1.0
 * cannot carry at all (control characters from a target's logs, lone surrogates) replaced, since
 * escaping them would still leave a document no parser accepts.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const count = (report: Report, verdict: Verdict) => report.results.filter((result) => result.verdict === verdict).length;

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(suite: string, result: ResultEntry): string {
  const name = `${result.fault} ${result.title}`;
  // What a CI page shows under the case: how to rerun it and where its evidence lies.
  const out = `<system-out>${xmlText([`verdict: ${result.verdict}`, `replay: ${result.replay}`, ...result.evidence.map((file) => `evidence: ${file}`)].join('\n'))}</system-out>`;
  const outcome = {
    finding: `<failure message="${xmlText(result.summary)}" type="finding">${xmlText(result.summary)}</failure>`,
    pass: '',
    // Not judged a pass, but not a failure of the harness either: a gate that wants it to fail
    // runs with --strict (exit 2); the CI page shows the reason.
    inconclusive: `<skipped message="${xmlText(result.summary)}" type="inconclusive"/>`,
    error: `<error message="${xmlText(`not judged (error): ${result.summary}`)}" type="error"/>`,
    interrupted: `<error message="${xmlText(`interrupted before a verdict: ${result.summary}`)}" type="interrupted"/>`,
  }[result.verdict];
  return `    <testcase classname="${xmlText(suite)}" name="${xmlText(name)}" time="${seconds(result.detectedAfterMs)}">${outcome}${out}</testcase>`;
}

/**
 * junit.xml in the common schema (schemas/junit-10.xsd, the Jenkins one): one test case per
 * fault, meaning what the exit status means. A finding is a failure with the finding's summary
 * as its message; a result that was never judged (error, interrupted) an error whose message says
 * which; an inconclusive one skipped, its summary the reason.
 */
export function junitXml(report: Report): string {
  const suite = `ijiwaru ${report.suite ?? (report.explore ? 'explore' : 'mean')} ${report.target.name}@${report.target.variant}`;
  const failures = count(report, 'finding');
  const errors = count(report, 'error') + count(report, 'interrupted');
  const skipped = count(report, 'inconclusive');
  // The schema allows `skipped` on a testsuite only, not on testsuites.
  const counts = `tests="${report.results.length}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}"`;
  const properties = { runtime: report.runtime, seed: String(report.seed), timeScale: String(report.timeScale) };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ijiwaru" ${counts}>`,
    `  <testsuite name="${xmlText(suite)}" ${counts} skipped="${skipped}" timestamp="${report.startedAt.slice(0, 19)}">`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property name="${name}" value="${xmlText(value)}"/>`),
    '    </properties>',
    ...report.results.map((result) => testcase(suite, result)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
