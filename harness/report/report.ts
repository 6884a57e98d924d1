import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FaultResult, Verdict } from '../../faults/types.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';

export interface ResultEntry extends FaultResult {
  fault: string;
  title: string;
  viewpoints: string[];
  replay: string;
  /** A suite's figures behind the verdict (counts, shares, series). */
  measurements?: Record<string, unknown>;
}

/** `ijiwaru.report/1` (ARCHITECTURE.md): stable, read by release gates. */
export interface Report {
  schema: 'ijiwaru.report/1';
  /** The suite that produced the results (load, limit, continuous); absent for mean tests. */
  suite?: string;
  /** `defaults`: the contract's parameter defaults at time scale 1, when the target declares them (N3). */
  target: { name: string; level: string; parameters: Record<string, string>; defaults?: Record<string, string> };
  runtime: RuntimeKind;
  seed: number;
  timeScale: number;
  startedAt: string;
  durationMs: number;
  results: ResultEntry[];
  summary: Record<Verdict, number>;
}

export function summarize(results: ResultEntry[]): Record<Verdict, number> {
  const summary: Record<Verdict, number> = { finding: 0, pass: 0, inconclusive: 0, error: 0 };
  for (const result of results) summary[result.verdict]++;
  return summary;
}

export function writeReport(outDir: string, report: Report): void {
  writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'junit.xml'), junitXml(report));
  writeFileSync(path.join(outDir, 'report.html'), reportHtml(report, outDir));
}
