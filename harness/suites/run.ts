import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadProfile, PROFILE_NAMES } from '../../fixtures/profiles/profile.ts';
import type { Plan } from '../../load/plan.ts';
import { HarnessError } from '../errors.ts';
import { planDurationS, runK6 } from '../load/k6.ts';
import { summarize, writeReport, type Report, type ResultEntry } from '../report/report.ts';
import { createRuntime } from '../runtime/create.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import { configFlag, type RunProgress } from '../runner.ts';
import type { Say } from '../setup/setup.ts';
import { loadTarget } from '../target/load.ts';
import { INJECTIONS_FILE } from '../topology/injections.ts';
import { PACE } from './common.ts';
import { loadSuite, SUITE_IDS } from './registry.ts';
import type { SuiteContext, SuiteOptions, SuiteResult } from './types.ts';

export interface SuiteRunOptions {
  target: string;
  /** The config file declaring the target, if any (absolute): the replay command names it. */
  config?: string;
  progress?: RunProgress;
  suite: string;
  runtime: RuntimeKind;
  seed: number;
  /** The suite's own default when absent. */
  timeScale?: number;
  minutes: number;
  profile: string;
  /** The hardware monitor's interval in wall-clock seconds; the target's own schedule when absent. */
  monitorIntervalS?: number;
  outDir: string;
  say: Say;
}

/** How long a terminal waits for an answer before k6 records a network timeout. */
const TERMINAL_TIMEOUT_S = 60;

function replayCommand(options: SuiteRunOptions, timeScale: number): string {
  return (
    `ijiwaru run${configFlag(options.config)} --target ${options.target} --suite ${options.suite} --runtime ${options.runtime} --seed ${options.seed} ` +
    `--time-scale ${timeScale} --minutes ${options.minutes} --profile ${options.profile}` +
    (options.monitorIntervalS === undefined ? '' : ` --monitor-interval ${options.monitorIntervalS}`) +
    ` --out ${options.outDir}-replay`
  );
}

/**
 * Runs one suite on a fresh system: the suite's topology, its k6 load through the terminals'
 * Toxiproxy links, its oracles; writes the report like a mean run (the suite's results are
 * entries of the same format, with their measurements).
 */
export async function runSuite(options: SuiteRunOptions): Promise<Report> {
  const suite = await loadSuite(options.suite);
  if (!suite) throw new HarnessError('usage', `unknown suite "${options.suite}": use one of ${SUITE_IDS.join(', ')}`);
  if (!PROFILE_NAMES.includes(options.profile)) {
    throw new HarnessError('usage', `unknown profile "${options.profile}": use one of ${PROFILE_NAMES.join(', ')}`);
  }
  const target = await loadTarget(options.target);
  const timeScale = options.timeScale ?? suite.defaultTimeScale;
  const suiteOptions: SuiteOptions = { minutes: options.minutes, timeScale, profile: loadProfile(options.profile), seed: options.seed };
  const startedAt = new Date();
  const started = performance.now();
  const evidenceDir = path.join(options.outDir, 'evidence', suite.id);
  rmSync(evidenceDir, { recursive: true, force: true });
  mkdirSync(evidenceDir, { recursive: true });
  const relative = (file: string) => path.relative(options.outDir, path.join(evidenceDir, file));
  const topologyOptions = suite.topology(suiteOptions);
  // An operator's setting, given at time scale 1 like every duration of the contract.
  const monitor: Record<string, string> = options.monitorIntervalS === undefined ? {} : { MONITOR_INTERVAL_MS: String(Math.round(options.monitorIntervalS * 1000 * timeScale)) };
  const build = target.definition.build({
    variant: target.variant,
    timeScale,
    ...topologyOptions,
    parameters: { ...topologyOptions.parameters, ...monitor },
  });
  // A suite's load lasts its minutes (the limit ramp may stop sooner); a minute more covers the
  // start, the answers still in flight and the judging.
  options.progress?.plan([{ name: suite.id, atMostMs: options.minutes * 60_000 + 60_000 }]);
  options.progress?.phase(suite.id);
  options.say(`${suite.id}: ${suite.title}: starting ${target.spec} on ${options.runtime}`);
  const runtime = await createRuntime(options.runtime, { logDir: path.join(evidenceDir, 'logs'), say: options.say });
  await using topology = await build.topology.start(runtime);
  // The load is the suite's injection: its phases, and anything done to a component, on the suite's clock.
  topology.injections.attach(path.join(evidenceDir, INJECTIONS_FILE), () => performance.now() - started);
  const loadFiles: string[] = [];
  // Bounds the whole suite, whatever its plans say: a suite never outlives three times its length.
  const signal = AbortSignal.timeout(options.minutes * 60_000 * 3 + 300_000);
  const context: SuiteContext = {
    topology,
    view: build.view,
    options: suiteOptions,
    async load(scenarios, name, enough) {
      const plan: Plan = {
        targets: build.view.municipalities.map((municipality) => {
          const endpoint = topology.entry(municipality.terminalLink);
          return `${endpoint.host}:${endpoint.port}`;
        }),
        scenarios,
        jitterS: PACE.jitterS,
        timeoutS: TERMINAL_TIMEOUT_S,
        seed: options.seed,
      };
      options.say(`${suite.id}: ${name}: k6 for up to ${Math.round(planDurationS(plan))} s`);
      const dir = path.join(evidenceDir, name);
      mkdirSync(dir, { recursive: true });
      const run = await topology.injections.track(
        'k6',
        'load',
        { phase: name, work: scenarios.map((scenario) => scenario.work) },
        () => runK6(plan, dir, AbortSignal.any([signal, AbortSignal.timeout(Math.ceil(planDurationS(plan) * 1000) + 60_000)]), enough),
        (done) => ({ requests: done.requests.length, exitCode: done.exitCode, stoppedEarly: done.stoppedEarly }),
      );
      loadFiles.push(...Object.values(run.files).map((file) => relative(path.join(name, file))));
      if (run.requests.length === 0) throw new Error(`k6 sent no request (exit ${run.exitCode}): ${run.stderrTail}`);
      return run;
    },
    async logs(prefix) {
      const names = [...build.view.municipalities.map((m) => m.cs), ...build.view.relays.map((r) => r.name), ...build.view.cardServers];
      const logs = new Map<string, string>();
      for (const name of names.filter((candidate) => candidate.startsWith(prefix))) logs.set(name, await topology.component(name).logs());
      return logs;
    },
    evidence(name, content) {
      writeFileSync(path.join(evidenceDir, name), content);
      return relative(name);
    },
    say: options.say,
    signal,
  };
  let results: SuiteResult[];
  try {
    results = await suite.run(context);
  } catch (error) {
    results = [{ fault: suite.id, title: suite.title, viewpoints: [], verdict: 'error', detectedAfterMs: null, summary: `${suite.id} could not be judged: ${(error as Error).message}`, evidence: [], measurements: {} }];
  }
  const injectionsFile = path.join(evidenceDir, INJECTIONS_FILE);
  const recorded = existsSync(injectionsFile) ? [path.relative(options.outDir, injectionsFile)] : [];
  const entries: ResultEntry[] = results.map((result) => ({ ...result, evidence: [...recorded, ...loadFiles, ...result.evidence], replay: replayCommand(options, timeScale) }));
  for (const entry of entries) options.say(`${entry.fault}: ${entry.verdict}: ${entry.summary}`);
  const report: Report = {
    schema: 'ijiwaru.report/1',
    suite: suite.id,
    target: { name: target.definition.name, level: target.variant, parameters: build.view.parameters, ...(build.view.defaults && { defaults: build.view.defaults }) },
    runtime: options.runtime,
    seed: options.seed,
    timeScale,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results: entries,
    summary: summarize(entries),
  };
  writeReport(options.outDir, report);
  return report;
}
