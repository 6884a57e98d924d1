import { VERDICTS } from '../verdict.ts';
import type { Report, ResultEntry } from './report.ts';

/** A YAML scalar that no content can break: JSON strings are valid YAML. */
const scalar = (text: string) => JSON.stringify(text);

function point(result: ResultEntry, index: number): string[] {
  const description = `${result.fault} ${result.title}`.replace(/#/g, '\\#');
  // An inconclusive result is no finding (the exit status says the same unless --strict), but a
  // gate must see it was not a pass either: TAP's SKIP says exactly that. What was never judged
  // (error, interrupted) is not ok, like a finding; its diagnostics say which.
  const status = result.verdict === 'pass' || result.verdict === 'inconclusive' ? 'ok' : 'not ok';
  const directive = result.verdict === 'inconclusive' ? ` # SKIP inconclusive: ${result.summary.replace(/\s*[\r\n]+\s*/g, ' ')}` : '';
  return [
    `${status} ${index + 1} - ${description}${directive}`,
    '  ---',
    `  verdict: ${result.verdict}`,
    `  summary: ${scalar(result.summary)}`,
    `  detectedAfterMs: ${result.detectedAfterMs ?? 'null'}`,
    `  replay: ${scalar(result.replay)}`,
    `  evidence: [${result.evidence.map(scalar).join(', ')}]`,
    '  ...',
  ];
}

/** The report as TAP 14 (`--reporter tap`): one test point per fault; a finding, error or interruption is `not ok`. */
export function tapReport(report: Report): string {
  return [
    'TAP version 14',
    `# ijiwaru ${report.suite ?? 'mean'} ${report.target.name}@${report.target.variant} seed ${report.seed} time scale ${report.timeScale}`,
    `1..${report.results.length}`,
    ...report.results.flatMap(point),
    `# ${VERDICTS.map((verdict) => `${report.results.filter((result) => result.verdict === verdict).length} ${verdict}`).join(', ')}`,
    '',
  ].join('\n');
}
