import { EXIT_INTERRUPTED } from '../errors.ts';
import type { Report } from '../report/report.ts';
import { tapReport } from '../report/tap.ts';
import { VERDICTS, type Verdict } from '../verdict.ts';


export interface Outcome {
  /** 130 interrupted, 2 not judged (an error, or inconclusive under --strict), 1 a finding, 0 none. */
  status: number;
  /** For exit 2 and 130: the one stderr line saying which results made it so. */
  line?: string;
}

/**
 * The exit status a report means, for `ijiwaru run` and `ijiwaru judge` alike. A release gate must
 * never pass what was not judged: a result interrupted wins over all (130), then one that ended
 * in error (2, like a run that could not start), then a finding (1). Inconclusive passes the gate
 * (0) unless `strict`, where it could not be judged either (2).
 */
export function outcome(report: Pick<Report, 'results'>, strict: boolean): Outcome {
  const ids = (verdict: Verdict) => report.results.filter((result) => result.verdict === verdict).map((result) => result.fault);
  const interrupted = ids('interrupted');
  if (interrupted.length > 0) return { status: EXIT_INTERRUPTED, line: `${listed(interrupted)} interrupted before a verdict` };
  const error = ids('error');
  if (error.length > 0) return { status: 2, line: `${listed(error)} could not be judged (error), which no gate may pass` };
  if (ids('finding').length > 0) return { status: 1 };
  const inconclusive = ids('inconclusive');
  if (strict && inconclusive.length > 0) return { status: 2, line: `--strict: ${listed(inconclusive)} inconclusive, which a strict gate does not pass` };
  return { status: 0 };
}

function listed(ids: string[]): string {
  return ids.join(', ');
}

/**
 * What `ijiwaru run` and `ijiwaru judge` print at the end: the verdict table (one line a result,
 * then the counts and where to look) or, with `--reporter tap`, TAP 14.
 */
export function verdictText(report: Report, reporter: 'text' | 'tap', where: string): string {
  if (reporter === 'tap') return tapReport(report);
  const width = Math.max(4, ...report.results.map((result) => result.fault.length + 1));
  const rows = report.results.map((result) => {
    const after = result.detectedAfterMs === null ? '' : ` (after ${(result.detectedAfterMs / 1000).toFixed(1)} s)`;
    return `${result.fault.padEnd(width)}${result.verdict.padEnd(13)}${result.summary}${after}`;
  });
  const counts = VERDICTS.map((verdict) => `${report.summary[verdict] ?? 0} ${verdict}`).join(', ');
  return [...rows, `${counts}; ${where}`, ''].join('\n');
}
