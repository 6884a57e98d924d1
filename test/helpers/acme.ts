import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { ijiwaru } from './cli.ts';

/**
 * test/fixtures/configs/acme.json: the reference image as a vendor's build that words everything
 * its own way (ANSWER_DIALECT=acme: other status codes, no contract error words, other log event
 * names). `defects` keeps the defects of 2016-03; `sturdy` has every fix and other declared
 * timeouts, pool size and connection cap. The judges decide by effect, so the verdicts must be
 * the reference's own.
 */
export async function runAcme(t: Test, variant: 'defects' | 'sturdy', seed: number): Promise<{ status: number | null; report: Report }> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-acme-${variant}-`));
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
  const run = await ijiwaru(['run', '--config', 'test/fixtures/configs/acme.json', '--target', `acme@${variant}`, '--faults', 'F1,F3,F4', '--seed', String(seed), '--out', outDir]);
  return { status: run.status, report: JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report };
}

export const verdicts = (report: Report) => Object.fromEntries(report.results.map((result) => [result.fault, result.verdict]));
export const summaries = (report: Report) => report.results.map((result) => `${result.fault}: ${result.summary}`).join(' | ');
