import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import type { Report, ResultEntry } from '../../harness/report/report.ts';
import { ijiwaru } from './cli.ts';

export interface Replayed {
  status: number | null;
  result: ResultEntry;
  /** The verdict and summary, for an assertion's message. */
  said: string;
}

/**
 * Replays saved experiments (test/fixtures/experiments/NAME.json) on reference variants with
 * `ijiwaru run --experiment`, each into its own folder of a scratch folder the file removes at its end.
 */
export function experimentReplayer(t: Test, name: string): (experiment: string, variant: string) => Promise<Replayed> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-${name}-`));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  return async (experiment, variant) => {
    const outDir = path.join(scratch, `${experiment}-${variant}`);
    const run = await ijiwaru(['run', '--target', `reference@${variant}`, '--experiment', `test/fixtures/experiments/${experiment}.json`, '--out', outDir]);
    const result = (JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report).results[0]!;
    return { status: run.status, result, said: `${result.verdict}: ${result.summary}` };
  };
}
