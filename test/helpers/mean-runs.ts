import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { judgeRun } from '../../harness/judge.ts';
import { runMeanTests, type RunOptions } from '../../harness/runner.ts';

/**
 * Seeds per expected verdict for F1, F3, F4: two each, as every later fault, to keep the test
 * command under 30 minutes with the operational faults beside them (it was 5 and 3, then 3 and 2;
 * F2 keeps three findings for its abort check). bench/detect.md records five of each.
 */
export const SEEDS = { finding: [1, 2], pass: [1, 2] } as const;
/** The data faults (issue 12) prove each side on two seeds in the test command; bench/detect.md keeps five. */
export const TWO_SEEDS = [1, 2] as const;
/** Detection must come well within the fault's own run (issue 4: under 30 s each; F5, a trend, under 60 s: issue 13). */
export const DETECTION_LIMIT_MS = 30_000;
const DETECTION_LIMITS: Readonly<Record<string, number>> = { F5: 60_000 };

export interface SeedRun {
  fault: string;
  level: string;
  seed: number;
  outDir: string;
  report: Report;
}

/** What a run adds to its fault: the faults F15 compares, and the parameter sheets. */
export type RunExtras = Partial<Pick<RunOptions, 'faults' | 'testSheet' | 'productionSheet'>>;

/** The seeds of one level on docker, one after another, each on a fresh system. */
export async function runSeeds(t: Test, fault: string, level: string, seeds: readonly number[], extras: RunExtras = {}): Promise<SeedRun[]> {
  const runs: SeedRun[] = [];
  for (const seed of seeds) {
    const outDir = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-${fault.toLowerCase()}-${level}-${seed}-`));
    t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
    const report = await runMeanTests({ target: `reference@${level}`, faults: [fault], runtime: 'docker', seed, timeScale: 60, outDir, say: () => undefined, ...extras });
    runs.push({ fault, level, seed, outDir, report });
  }
  return runs;
}

/** The run's result of its own fault (F15's comes after the faults it compares). */
export const resultOf = (run: Pick<SeedRun, 'fault' | 'report'>) => run.report.results.find((result) => result.fault === run.fault);

/**
 * What every seeded run must show: the expected verdict, a detection time on a finding (none on a
 * pass), every evidence file it names on disk, and the same verdict judged again from them. Returns the detection times for the comment.
 */
export async function checkSeedRuns(t: Test, runs: readonly SeedRun[], expected: 'finding' | 'pass'): Promise<number[]> {
  const detections: number[] = [];
  for (const run of runs) {
    const { seed, outDir } = run;
    const result = resultOf(run);
    if (!t.ok(result, `seed ${seed}: a result`) || !result) continue;
    const limit = DETECTION_LIMITS[result.fault] ?? DETECTION_LIMIT_MS;
    t.equal(result.verdict, expected, `seed ${seed}: ${result.summary}`);
    if (expected === 'finding') {
      t.type(result.detectedAfterMs, 'number', `seed ${seed}: detectedAfterMs set`);
      t.ok((result.detectedAfterMs ?? Infinity) < limit, `seed ${seed}: detected after ${result.detectedAfterMs} ms (limit ${limit} ms)`);
      detections.push(result.detectedAfterMs ?? NaN);
    } else {
      t.equal(result.detectedAfterMs, null, `seed ${seed}: no detection time on a pass`);
    }
    for (const file of result.evidence) t.ok(existsSync(path.join(outDir, file)), `seed ${seed}: evidence ${file} exists`);
    // The verdict is a pure function of the evidence: judged again from the folder alone, the same.
    const again = resultOf({ fault: run.fault, report: await judgeRun(outDir, () => undefined) });
    t.same(again && [again.verdict, again.detectedAfterMs], [result.verdict, result.detectedAfterMs], `seed ${seed}: ijiwaru judge gives the same verdict and detection time`);
  }
  if (detections.length > 0) {
    const sorted = [...detections].sort((a, b) => a - b);
    t.comment(`${runs[0]?.fault} ${runs[0]?.level}: detection median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
  }
  return detections;
}

/** What a fault's runs show besides its verdict (its own evidence), checked on each seeded run. */
export type SideCheck = (t: Test, run: SeedRun, expected: 'finding' | 'pass') => void | Promise<void>;

/**
 * One side of a mean test's proof on docker: every seed of `expected` on `level`. Each side is a
 * file of its own (FX.test.ts the finding on 2016-01, FX-fixed.test.ts the pass), so that no file
 * needs more than half of its tap timeout on a busy machine.
 */
export function proveSide(t: Test, fault: string, level: string, expected: 'finding' | 'pass', check?: SideCheck, seeds: readonly number[] = SEEDS[expected], extras: RunExtras = {}): void {
  t.test(`${fault} on reference@${level}, docker, seeds ${seeds.join(',')}: ${expected}`, async (t) => {
    const runs = await runSeeds(t, fault, level, seeds, extras);
    await checkSeedRuns(t, runs, expected);
    for (const run of runs) await check?.(t, run, expected);
  });
}
