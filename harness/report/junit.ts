import type { Report } from './report.ts';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One test case per fault; a finding is a failure, an error or inconclusive result an error. */
export function junitXml(report: Report): string {
  const suite = `ijiwaru ${report.target.name}@${report.target.level}`;
  const cases = report.results.map((result) => {
    const name = `${result.fault} ${result.title}`;
    const seconds = ((result.detectedAfterMs ?? 0) / 1000).toFixed(3);
    const body =
      result.verdict === 'finding'
        ? `<failure message="${escape(result.summary)}" type="finding">${escape(result.replay)}</failure>`
        : result.verdict === 'pass'
          ? ''
          : `<error message="${escape(result.summary)}" type="${result.verdict}"/>`;
    return `    <testcase classname="${escape(suite)}" name="${escape(name)}" time="${seconds}">${body}</testcase>`;
  });
  const failures = report.summary.finding;
  const errors = report.summary.error + report.summary.inconclusive;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.results.length}" failures="${failures}" errors="${errors}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escape(suite)}" tests="${report.results.length}" failures="${failures}" errors="${errors}" timestamp="${report.startedAt.slice(0, 19)}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
