// Detection times for bench/detect.md: each mean test on the level with its defect (findings;
// 2016-01, 2015-10 for F9, 2016-04 for F10, 2016-07 for F11) and on fixed (passes) over several seeds, the wall time of the
// whole-catalog run on 2016-01 and fixed, and the F1 model's expected wait for a collision when
// only the 2-hour monitor makes it happen.
//   node bench/detect.ts [--seeds 5] [--faults F7,F8]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FAULT_IDS, SHEET_COMPARISON_ID } from '../faults/registry.ts';
import { readSheet } from '../harness/config/sheet.ts';
import { runMeanTests, type RunOptions } from '../harness/runner.ts';
import { Env } from '../targets/reference/lib/env.ts';
import { relayConfig } from '../targets/reference/relay/config.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, faults: { type: 'string' } } });
const faults = values.faults?.split(',') ?? [...DEFAULT_FAULT_IDS];
/** The level whose build has each fault's defect, where it is not the launch build. */
const FINDING_LEVEL: Record<string, string> = { F9: '2015-10', F10: '2016-04', F11: '2016-07' };
const seeds = Array.from({ length: Number(values.seeds) }, (_, index) => index + 1);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-detect-'));
type Extras = Partial<Pick<RunOptions, 'testSheet' | 'productionSheet'>>;
const run = (level: string, faults: string[], seed: number, extras: Extras = {}) =>
  runMeanTests({ target: `reference@${level}`, faults, runtime: 'docker', seed, timeScale: 60, outDir: path.join(scratch, `${level}-${faults.join('')}-${seed}`), say: () => undefined, ...extras });

interface Side {
  label: string;
  level: string;
  faults: string[];
  extras?: Extras;
}
const sheet = (file: string) => readSheet('--parameters', `examples/sheets/${file}.json`);
/**
 * A fault's two sides: its defect's level and fixed. F15 compares F1 on 2016-01 under a test
 * sheet with the monitor off against production's (finding), and under production's twice (pass).
 */
const sidesOf = (fault: string): Side[] =>
  fault === SHEET_COMPARISON_ID
    ? [
        { label: '2016-01, monitor off in test', level: '2016-01', faults: ['F1', fault], extras: { testSheet: sheet('test-monitor-off'), productionSheet: sheet('production') } },
        { label: '2016-01, identical sheets', level: '2016-01', faults: ['F1', fault], extras: { testSheet: sheet('production'), productionSheet: sheet('production') } },
      ]
    : [FINDING_LEVEL[fault] ?? '2016-01', 'fixed'].map((level) => ({ label: level, level, faults: [fault] }));

// Each side of each fault: the findings with their detection times, the passes on fixed with
// their wall time (a pass spends the fault's whole budget).
console.log('| fault | side | verdicts | detection median | detection max | wall median |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const fault of faults) {
  for (const side of sidesOf(fault)) {
    const detections: number[] = [];
    const walls: number[] = [];
    const verdicts: string[] = [];
    for (const seed of seeds) {
      const started = performance.now();
      const result = (await run(side.level, side.faults, seed, side.extras)).results.find((entry) => entry.fault === fault);
      walls.push(performance.now() - started);
      verdicts.push(result?.verdict ?? 'none');
      if (result?.detectedAfterMs != null) detections.push(result.detectedAfterMs);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const seconds = (ms: number) => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);
    console.log(`| ${fault} | ${side.label} | ${verdicts.join(', ')} | ${seconds(median(detections))} | ${seconds(detections.length > 0 ? Math.max(...detections) : NaN)} | ${seconds(median(walls))} |`);
  }
}

console.log('\n| run of the faults above | wall time | verdicts |');
console.log('| --- | --- | --- |');
// F15 is left out: its sides above are its runs.
const together = faults.filter((fault) => fault !== SHEET_COMPARISON_ID);
for (const level of together.length > 0 ? ['2016-01', 'fixed'] : []) {
  const started = performance.now();
  const report = await run(level, together, 1);
  console.log(`| reference@${level} | ${((performance.now() - started) / 1000).toFixed(1)} s | ${report.results.map((r) => `${r.fault} ${r.verdict}`).join(', ')} |`);
}
rmSync(scratch, { recursive: true, force: true });

// F1 by waiting: in logical mode a poll loses a completion when it meets an interrupt being
// handled (HSM_CORE_MS) or an interrupt starts while it is answered (MONITOR_POLL_MS). With HSM
// operations arriving at rate λ per relay, one poll collides with probability 1 − e^(−λ·window).
const relay = relayConfig(new Env({ REFERENCE_LEVEL: '2016-01', CARD_SERVER: 'unused:0' }));
const windowS = (relay.hsmCoreMs + relay.monitorPollMs) / 1000;
const operatingS = 14 * 3600;
const pollsPerOperatingDay = operatingS / (relay.monitorIntervalMs / 1000);
console.log(`\nF1 model: window ${windowS * 1000} ms per HSM operation, ${pollsPerOperatingDay} polls per relay in a 14-hour operating day`);
console.log('| day figure | relays | HSM operations/s per relay | P(collision) per poll | collisions per day | expected wait (days) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [label, messages] of [['2016-04-18', 549_000], ['2016-03-29', 715_000]] as const) {
  for (const relays of [2, 4]) {
    // Two HSM operations a business message (decrypt, encrypt); the IC exchanges of pre-issue
    // settings are left out, so the wait is an upper bound.
    const opsPerS = (messages * 2) / relays / operatingS;
    const perPoll = 1 - Math.exp(-opsPerS * windowS);
    const perDay = perPoll * pollsPerOperatingDay * relays;
    console.log(`| ${label}: ${messages.toLocaleString('en')} messages | ${relays} | ${opsPerS.toFixed(1)} | ${(perPoll * 100).toFixed(1)} % | ${perDay.toFixed(2)} | ${(1 / perDay).toFixed(1)} |`);
  }
}
