import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFault } from '../faults/registry.ts';
import { HarnessError } from './errors.ts';
import { HISTORY_FILE, readHistory } from './history/history.ts';
import { judgeSafely, VIEW_FILE, type ViewRecord } from './judging.ts';
import { summarize, type Report, type ResultEntry } from './report/report.ts';
import { loadSuite } from './suites/registry.ts';
import { judgeSuite, suiteOptions, type SuiteRecord } from './suites/run.ts';

/**
 * `ijiwaru judge DIR`: every result of a finished run judged again from its evidence folder alone
 * (the history and the view beside it), by the same judge the run used. Nothing is started and
 * nothing is written; the returned report is the run's with the verdicts recomputed.
 */
export async function judgeRun(dir: string, say: (line: string) => void): Promise<Report> {
  const reportFile = path.join(dir, 'report.json');
  if (!existsSync(reportFile)) throw new HarnessError('usage', `${dir} holds no report.json: name the --out folder of an 'ijiwaru run'`);
  let report: Report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  } catch (error) {
    throw new HarnessError('usage', `${reportFile} is not a report: ${(error as Error).message}`);
  }
  if (report.suite !== undefined) return judgeSuiteRun(dir, report, say);
  const results: ResultEntry[] = [];
  for (const result of report.results) {
    // What was never judged (interrupted, over its limit) has nothing to judge again.
    if (result.verdict === 'interrupted' || result.verdict === 'error') {
      results.push(result);
      continue;
    }
    const folder = path.join(dir, 'evidence', result.fault);
    const historyFile = path.join(folder, HISTORY_FILE);
    const viewFile = path.join(folder, VIEW_FILE);
    const fault = await loadFault(result.fault);
    if (!fault || !existsSync(historyFile) || !existsSync(viewFile)) {
      throw new HarnessError('usage', `${result.fault}: ${folder} lacks ${!fault ? 'a known fault' : !existsSync(historyFile) ? HISTORY_FILE : VIEW_FILE}`);
    }
    const { view } = JSON.parse(readFileSync(viewFile, 'utf8')) as ViewRecord;
    const judgement = judgeSafely(fault, readHistory(historyFile), view);
    say(`${result.fault}: ${judgement.verdict}: ${judgement.summary}`);
    results.push({ ...result, verdict: judgement.verdict, detectedAfterMs: judgement.detectedAfterMs, summary: judgement.summary });
  }
  return { ...report, results, summary: summarize(results) };
}

/**
 * A suite run judged again: the suite's judge over evidence/SUITE/history.jsonl and the settings
 * view.json keeps (minutes, profile), each result replaced by the one of the same ID. A suite
 * that was never judged (interrupted, k6 sent nothing) keeps its result.
 */
async function judgeSuiteRun(dir: string, report: Report, say: (line: string) => void): Promise<Report> {
  const id = report.suite as string;
  if (report.results.every((result) => result.verdict === 'interrupted' || result.verdict === 'error')) return report;
  const suite = await loadSuite(id);
  const folder = path.join(dir, 'evidence', id);
  const historyFile = path.join(folder, HISTORY_FILE);
  const viewFile = path.join(folder, VIEW_FILE);
  if (!suite || !existsSync(historyFile) || !existsSync(viewFile)) {
    throw new HarnessError('usage', `${id}: ${folder} lacks ${!suite ? 'a known suite' : !existsSync(historyFile) ? HISTORY_FILE : VIEW_FILE}`);
  }
  const record = JSON.parse(readFileSync(viewFile, 'utf8')) as ViewRecord & Partial<SuiteRecord>;
  if (record.minutes === undefined || record.profile === undefined) throw new HarnessError('usage', `${viewFile} lacks the suite's settings (minutes, profile): a run older than its judge`);
  const judged = new Map(judgeSuite(suite, readHistory(historyFile), record.view, suiteOptions(record as SuiteRecord, record.timeScale, record.seed)).map((result) => [result.fault, result]));
  const results: ResultEntry[] = report.results.map((result) => {
    const again = judged.get(result.fault);
    if (!again || result.verdict === 'interrupted') return result;
    say(`${result.fault}: ${again.verdict}: ${again.summary}`);
    return { ...result, verdict: again.verdict, detectedAfterMs: again.detectedAfterMs, summary: again.summary, measurements: again.measurements };
  });
  return { ...report, results, summary: summarize(results) };
}
