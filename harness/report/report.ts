import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { VERDICTS, type FaultResult, type Verdict } from '../verdict.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';

export interface ResultEntry extends FaultResult {
  fault: string;
  title: string;
  viewpoints: string[];
  replay: string;
  /** The time scale this result ran at, where its fault fixes one that differs from the run's. */
  timeScale?: number;
  /** A suite's figures behind the verdict (counts, shares, series). */
  measurements?: Record<string, unknown>;
}

/**
 * `ijiwaru.report/2` (ARCHITECTURE.md): stable, read by release gates. /2 renamed `target.level`
 * to `target.variant` (the word the CLI's NAME@VARIANT uses) and added the `interrupted` verdict.
 */
export const REPORT_SCHEMA = 'ijiwaru.report/2';

/** `ijiwaru explore`'s account of its search: what it ran and which cells of its space it reached. */
export interface ExploreSummary {
  budgetMs: number;
  /** Experiments run to search the space, and runs spent shrinking and replaying findings. */
  experiments: number;
  shrinkRuns: number;
  /** In how many experiments each checker failed. */
  checkersFailed: Record<string, number>;
  /** The workload's operations: the matrix's columns. */
  ops: string[];
  /** One row per fault of the space: the link or component, how it fails, each operation's worst verdict (absent: not reached). */
  matrix: Array<{ on: string; mode: string; cells: Record<string, Verdict> }>;
  coverage: { cells: number; covered: number };
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  /** The suite that produced the results (load, limit, continuous); absent for mean tests. */
  suite?: string;
  /** `defaults`: the contract's parameter defaults at time scale 1, when the target declares them (N3). */
  target: { name: string; variant: string; parameters: Record<string, string>; defaults?: Record<string, string> };
  runtime: RuntimeKind;
  seed: number;
  timeScale: number;
  startedAt: string;
  durationMs: number;
  results: ResultEntry[];
  summary: Record<Verdict, number>;
  /** Present for `ijiwaru explore`: its results are its findings, each with its minimal experiment. */
  explore?: ExploreSummary;
}

export function summarize(results: ResultEntry[]): Record<Verdict, number> {
  const summary = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const result of results) summary[result.verdict]++;
  return summary;
}

export function writeReport(outDir: string, report: Report): void {
  writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'junit.xml'), junitXml(report));
  writeFileSync(path.join(outDir, 'report.html'), reportHtml(report, outDir));
}
