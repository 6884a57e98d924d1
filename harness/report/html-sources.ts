import path from 'node:path';
import type { RequestLine } from '../../load/plan.ts';
import type { Operation } from '../history/history.ts';
import { INJECTIONS_FILE, type Injection } from '../topology/injections.ts';
import type { ChartSpec, Mark } from './html-charts.ts';
import { readJsonLines } from './html-evidence.ts';
import { fromHistory, fromK6, injectionMarks, timelineCharts } from './html-timeline.ts';
import type { ResultEntry } from './report.ts';

/** The evidence one result was judged from: its folder, its requests and the injections. */
export interface Source {
  /** `evidence/F4`, `evidence/load`: relative to the run folder. */
  folder: string;
  /** Mean tests: the history; suites: empty (k6's lines have no request IDs). */
  operations: Operation[];
  timeline: { charts: ChartSpec[]; marks: Mark[]; injections: number; requests: number; bucketMs: number; from: string };
}

const HISTORY_FILE = 'history.jsonl';
const K6_REQUESTS = 'k6-requests.jsonl';

/** The folder under `evidence/` that holds a result's files. */
export function evidenceFolder(result: ResultEntry, suite: string | undefined): string {
  const first = result.evidence.map((file) => file.split('/')).find((parts) => parts[0] === 'evidence' && parts.length > 2);
  return first ? `evidence/${first[1]}` : `evidence/${suite ?? result.fault}`;
}

/** Results with the same key were judged from the same requests (a suite's results share its load). */
export function sourceKey(result: ResultEntry, suite: string | undefined): string {
  return [evidenceFolder(result, suite), ...result.evidence.filter((file) => file.endsWith(K6_REQUESTS))].join('|');
}

/**
 * Reads what a result's timeline is drawn from: a mean test's history (on the history's clock,
 * like its injections), or a suite's k6 lines (epoch ms, put on the suite's clock through the
 * wall time its injections carry).
 */
export function readSource(outDir: string, result: ResultEntry, suite: string | undefined, id: string): Source {
  const folder = evidenceFolder(result, suite);
  const at = (relative: string) => path.join(outDir, relative);
  const injections = readJsonLines<Injection>(at(path.join(folder, INJECTIONS_FILE)));
  const marks = injectionMarks(injections);
  const k6Files = result.evidence.filter((file) => file.endsWith(K6_REQUESTS));
  if (k6Files.length > 0) {
    const lines = k6Files.flatMap((file) => readJsonLines<RequestLine>(at(file)));
    const first = injections[0];
    let origin = first ? Date.parse(first.time) - first.atMs : Infinity;
    if (!Number.isFinite(origin)) for (const line of lines) origin = Math.min(origin, line.t);
    const requests = fromK6(lines, Number.isFinite(origin) ? origin : 0);
    const { charts, bucketMs } = timelineCharts(id, requests, marks);
    return { folder, operations: [], timeline: { charts, marks, injections: injections.length, requests: requests.length, bucketMs, from: k6Files.join(', ') } };
  }
  const historyFile = path.join(folder, HISTORY_FILE);
  const operations = readJsonLines<Operation>(at(historyFile));
  const { charts, bucketMs } = timelineCharts(id, fromHistory(operations), marks);
  return { folder, operations, timeline: { charts, marks, injections: injections.length, requests: operations.length, bucketMs, from: historyFile } };
}
