import { statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FAULT_IDS, SHEET_COMPARISON_ID } from '../../faults/registry.ts';
import { findConfig, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { readSheet } from '../config/sheet.ts';
import { configTarget } from '../config/target.ts';
import { HarnessError } from '../errors.ts';
import type { RunOptions } from '../runner.ts';
import type { Say } from '../setup/setup.ts';
import type { SuiteRunOptions } from '../suites/run.ts';
import { addConfiguredTarget } from '../target/load.ts';
import { positiveInteger, positiveNumber, runtimeFlag, seedFlag, type Flags } from './args.ts';

export type ResolvedRun =
  | { kind: 'mean'; options: RunOptions }
  | { kind: 'suite'; options: SuiteRunOptions }
  | { kind: 'experiment'; options: Omit<RunOptions, 'faults'> & { experimentFile: string } };

/** The config file in use (--config, else one in the working directory), its target made known. */
export async function useConfig(named: string | boolean | undefined): Promise<{ file: string; config: Config } | undefined> {
  const file = findConfig(typeof named === 'string' ? named : undefined);
  if (file === undefined) return undefined;
  const config = await loadConfig(file);
  addConfiguredTarget(configTarget(config.target));
  return { file, config };
}

/**
 * `ijiwaru run`'s flags over a config's run defaults, as the plain options of a mean run or a
 * suite. A flag always wins; a default of the other mode (a suite's minutes, the mean tests'
 * faults) is dropped rather than refused, since only flags are the user's choice for this run.
 */
export async function resolveRun(flags: Flags, say: Say): Promise<ResolvedRun> {
  const used = await useConfig(flags.config);
  const defaults = used?.config.run ?? {};
  const configName = used?.config.target.name;
  const target = str(flags.target) ?? (defaults.variant !== undefined ? `${configName}@${defaults.variant}` : undefined);
  if (target === undefined) throw new HarnessError('usage', "--target is required (see 'ijiwaru run --help')");
  const out = str(flags.out) ?? defaults.out;
  if (out === undefined) throw new HarnessError('usage', "--out is required (see 'ijiwaru run --help')");
  const outDir = outFolder(str(flags.out) !== undefined ? '--out' : `${used?.file}: run.out`, out);
  const runtime = runtimeFlag(flags.runtime ?? defaults.runtime);
  if (used && runtime === 'process' && target.split('@')[0] === configName) {
    throw new HarnessError('usage', `target "${configName}" of ${used.file} runs images, which the process runtime cannot run: use --runtime docker`);
  }
  const common = { target, runtime, seed: seedFlag(flags.seed, defaults.seed ?? 1), outDir, say, ...(used && { config: path.resolve(used.file) }) };
  const timeScale = flags['time-scale'] !== undefined ? positiveInteger('--time-scale', flags['time-scale'], 1) : defaults.timeScale;
  const suite = str(flags.suite) ?? (flags.faults === undefined ? defaults.suite : undefined);
  if (suite !== undefined) {
    for (const flag of ['parameters', 'production-parameters'] as const) {
      if (flags[flag] !== undefined) throw new HarnessError('usage', `--${flag} is for mean tests, not --suite (see 'ijiwaru run --help')`);
    }
    if (flags.faults !== undefined) throw new HarnessError('usage', "--faults and --suite exclude each other (see 'ijiwaru run --help')");
    if (flags.experiment !== undefined) throw new HarnessError('usage', "--experiment and --suite exclude each other (see 'ijiwaru run --help')");
    return {
      kind: 'suite',
      options: {
        ...common,
        suite,
        ...(timeScale !== undefined && { timeScale }),
        minutes: positiveNumber('--minutes', flags.minutes, defaults.minutes ?? 10),
        profile: str(flags.profile) ?? defaults.profile ?? '2016-03-29',
        ...(flags['monitor-interval'] !== undefined && { monitorIntervalS: positiveNumber('--monitor-interval', flags['monitor-interval'], 0) }),
      },
    };
  }
  for (const flag of ['minutes', 'profile', 'monitor-interval'] as const) {
    if (flags[flag] !== undefined) throw new HarnessError('usage', `--${flag} needs --suite (see 'ijiwaru run --help')`);
  }
  const testFile = str(flags.parameters);
  const experimentFile = str(flags.experiment);
  if (experimentFile !== undefined) {
    for (const flag of ['faults', 'production-parameters'] as const) {
      if (flags[flag] !== undefined) throw new HarnessError('usage', `--experiment and --${flag} exclude each other (see 'ijiwaru run --help')`);
    }
    return { kind: 'experiment', options: { ...common, experimentFile, timeScale: timeScale ?? 60, ...(testFile !== undefined && { testSheet: readSheet('--parameters', testFile) }) } };
  }
  const productionFile = str(flags['production-parameters']);
  const faults = [...(faultList(str(flags.faults)) ?? defaults.faults ?? DEFAULT_FAULT_IDS)];
  // A production sheet is asked for to compare against it: F15 then runs whatever faults were chosen.
  if (productionFile !== undefined && !faults.includes(SHEET_COMPARISON_ID)) faults.push(SHEET_COMPARISON_ID);
  return {
    kind: 'mean',
    options: {
      ...common,
      faults,
      timeScale: timeScale ?? 60,
      ...(testFile !== undefined && { testSheet: readSheet('--parameters', testFile) }),
      ...(productionFile !== undefined && { productionSheet: readSheet('--production-parameters', productionFile) }),
    },
  };
}

/** `--faults F1,F3`: the IDs in order; an empty one (`F1,,F3`, `""`) is a typo, not "all". */
function faultList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim().toUpperCase());
  const empty = ids.findIndex((id) => id === '');
  if (empty >= 0) {
    throw new HarnessError('usage', `--faults "${value}": fault ID ${empty + 1} of ${ids.length} is empty (give IDs separated by single commas, like F1,F3)`);
  }
  return ids;
}

/**
 * Where a run's report goes, absolute: a folder that exists or can be made. A file in its place
 * (or in place of a folder above it) is named here rather than failing the run after it started.
 */
function outFolder(label: string, out: string): string {
  // An empty name would resolve to the working directory, and a run would write all over it.
  if (out.trim() === '') throw new HarnessError('usage', `${label} is empty: name the folder for the report and evidence`);
  const dir = path.resolve(out);
  for (let at = dir; ; at = path.dirname(at)) {
    let stats;
    try {
      stats = statSync(at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return dir;
    }
    if (stats !== undefined) {
      if (stats.isDirectory()) return dir;
      throw new HarnessError('usage', at === dir ? `${label} ${out} is a file, not a folder` : `${label} ${out}: ${at} is a file, not a folder`);
    }
    if (path.dirname(at) === at) return dir;
  }
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
