import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { judgeF15, type SheetComparison, type SheetPair, type SheetSide } from '../faults/F15-production-parameters.ts';
import { experimentFault } from '../faults/experiment/fault.ts';
import type { Experiment } from '../faults/experiment/types.ts';
import { loadFault, SHEET_COMPARISON_ID } from '../faults/registry.ts';
import { HarnessError } from './errors.ts';
import { HISTORY_FILE, readHistory } from './history/history.ts';
import { judgeSafely, sheetFolder, SHEETS_FILE, VIEW_FILE, type SafeJudgement, type SheetsRecord, type ViewRecord } from './judging.ts';
import type { SystemView } from './target/types.ts';
import type { Verdict } from './verdict.ts';
import { evidenceFolder } from './report/html-sources.ts';
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
    // Exploration's own account judges no history; its findings' histories are in their experiments' folders.
    if (report.explore && result.evidence.length === 0) {
      results.push(result);
      continue;
    }
    const folder = evidenceFolder(result, undefined).slice('evidence/'.length);
    const judgement = result.fault === SHEET_COMPARISON_ID ? await judgeSheets(dir) : await judgeFolder(dir, result.fault, folder);
    say(`${result.fault}: ${judgement.verdict}: ${judgement.summary}`);
    results.push({ ...result, verdict: judgement.verdict, detectedAfterMs: judgement.detectedAfterMs, summary: judgement.summary, ...('measurements' in judgement && { measurements: judgement.measurements }) });
  }
  return { ...report, results, summary: summarize(results) };
}

/** One fault's evidence folder (evidence/FOLDER) judged again: its history and view, and the view. */
async function judgeFolder(dir: string, faultId: string, folderName: string): Promise<SafeJudgement & { view: SystemView }> {
  const folder = path.join(dir, 'evidence', folderName);
  const historyFile = path.join(folder, HISTORY_FILE);
  const viewFile = path.join(folder, VIEW_FILE);
  const record = existsSync(viewFile) ? (JSON.parse(readFileSync(viewFile, 'utf8')) as ViewRecord & { experiment?: Experiment }) : undefined;
  // An experiment's evidence holds its plan: its judge is the experiments' checkers.
  const fault = record?.experiment ? experimentFault(record.experiment, faultId) : await loadFault(faultId);
  if (!fault || !record || !existsSync(historyFile)) {
    throw new HarnessError('usage', `${faultId}: ${folder} lacks ${!record ? VIEW_FILE : !fault ? 'a known fault' : HISTORY_FILE}`);
  }
  const { view } = record;
  return { ...judgeSafely(fault, readHistory(historyFile), view), view };
}

/**
 * F15 judged again: each fault's two runs (evidence/FAULT, evidence/F15/FAULT) judged again and
 * compared; a side that was never judged (interrupted, over its limit) keeps its verdict.
 */
async function judgeSheets(dir: string): Promise<SheetComparison> {
  const file = path.join(dir, 'evidence', SHEET_COMPARISON_ID, SHEETS_FILE);
  if (!existsSync(file)) throw new HarnessError('usage', `${SHEET_COMPARISON_ID}: ${file} is missing`);
  const record = JSON.parse(readFileSync(file, 'utf8')) as SheetsRecord;
  const side = async (fault: string, folder: string, verdict: Verdict): Promise<SheetSide> => {
    if (verdict === 'interrupted' || verdict === 'error') return { verdict, summary: `not judged (${verdict})`, detectedAfterMs: null, view: { parameters: {} } };
    return judgeFolder(dir, fault, folder);
  };
  const pairs: SheetPair[] = [];
  for (const { fault, test, production } of record.pairs) {
    pairs.push({ fault, test: await side(fault, fault, test), production: await side(fault, sheetFolder(fault), production) });
  }
  return judgeF15(pairs);
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
