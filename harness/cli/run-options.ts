import path from 'node:path';
import { FAULT_IDS } from '../../faults/registry.ts';
import { findConfig, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { configTarget } from '../config/target.ts';
import { HarnessError } from '../errors.ts';
import type { RunOptions } from '../runner.ts';
import type { Say } from '../setup/setup.ts';
import type { SuiteRunOptions } from '../suites/run.ts';
import { addConfiguredTarget } from '../target/load.ts';
import { positiveInteger, positiveNumber, runtimeFlag, type Flags } from './args.ts';

export type ResolvedRun = { kind: 'mean'; options: RunOptions } | { kind: 'suite'; options: SuiteRunOptions };

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
  const runtime = runtimeFlag(flags.runtime ?? defaults.runtime);
  if (used && runtime === 'process' && target.split('@')[0] === configName) {
    throw new HarnessError('usage', `target "${configName}" of ${used.file} runs images, which the process runtime cannot run: use --runtime docker`);
  }
  const common = { target, runtime, seed: positiveInteger('--seed', flags.seed, defaults.seed ?? 1), outDir: path.resolve(out), say, ...(used && { config: path.resolve(used.file) }) };
  const timeScale = flags['time-scale'] !== undefined ? positiveInteger('--time-scale', flags['time-scale'], 1) : defaults.timeScale;
  const suite = str(flags.suite) ?? (flags.faults === undefined ? defaults.suite : undefined);
  if (suite !== undefined) {
    if (flags.faults !== undefined) throw new HarnessError('usage', "--faults and --suite exclude each other (see 'ijiwaru run --help')");
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
  const faults = str(flags.faults)?.split(',').map((id) => id.trim().toUpperCase()) ?? defaults.faults ?? [...FAULT_IDS];
  return { kind: 'mean', options: { ...common, faults, timeScale: timeScale ?? 60 } };
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
