import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { pinCanaries } from '../../faults/kit/canaries.ts';
import { Rng } from '../../harness/seed.ts';
import type { SeedRun } from './mean-runs.ts';

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => [path.join(entry.parentPath, entry.name), readFileSync(path.join(entry.parentPath, entry.name), 'utf8')]);
}

/** The run's PINs are drawn first from the fault's fork of the seed: none may be in anything the harness wrote. */
export async function noPinWritten(t: Test, run: SeedRun): Promise<void> {
  const pins = pinCanaries(new Rng(run.seed).fork('F17'), 4);
  const files = filesUnder(run.outDir);
  const holding = files.filter(([, text]) => pins.some((pin) => text.includes(pin))).map(([file]) => path.relative(run.outDir, file));
  t.same(holding, [], `seed ${run.seed}: none of ${files.length} files of the run folder holds a PIN (history, judgement, reports, saved logs)`);
}

