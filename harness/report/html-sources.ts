import path from 'node:path';
import { existsSync } from 'node:fs';
import { HISTORY_FILE, readHistory, type Operation, type Recorded } from '../history/history.ts';
import type { ChartSpec, Mark } from './html-charts.ts';
import { fromHistory, injectionMarks, timelineCharts } from './html-timeline.ts';
import type { ResultEntry } from './report.ts';

/** The evidence one result was judged from: its folder, its requests and the injections. */
export interface Source {
  /** `evidence/F4`, `evidence/load`: relative to the run folder. */
  folder: string;
  /** The history's requests (a suite's: k6's, imported, and its own). */
  operations: Operation[];
  timeline: { charts: ChartSpec[]; marks: Mark[]; injections: number; requests: number; bucketMs: number; from: string };
}

/** The folder under `evidence/` that holds a result's files. */
export function evidenceFolder(result: ResultEntry, suite: string | undefined): string {
  const first = result.evidence.map((file) => file.split('/')).find((parts) => parts[0] === 'evidence' && parts.length > 2);
  return first ? `evidence/${first[1]}` : `evidence/${suite ?? result.fault}`;
}

/** Results with the same key were judged from the same history (a suite's results share its load). */
export function sourceKey(result: ResultEntry, suite: string | undefined): string {
  return evidenceFolder(result, suite);
}

/**
 * Reads what a result's timeline is drawn from: its history's requests and injections, on the
 * history's clock; a suite's history holds every request k6 sent, imported when its load ended.
 */
export function readSource(outDir: string, result: ResultEntry, suite: string | undefined, id: string): Source {
  const folder = evidenceFolder(result, suite);
  const historyFile = path.join(folder, HISTORY_FILE);
  const at = path.join(outDir, historyFile);
  const history: Recorded = existsSync(at) ? readHistory(at) : { requests: [], injections: [], queries: [], notes: [] };
  const marks = injectionMarks(history.injections);
  const operations = [...history.requests];
  const { charts, bucketMs } = timelineCharts(id, fromHistory(operations), marks);
  return { folder, operations, timeline: { charts, marks, injections: history.injections.length, requests: operations.length, bucketMs, from: historyFile } };
}
