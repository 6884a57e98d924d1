import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadProfile, PROFILE_NAMES } from '../../fixtures/profiles/profile.ts';
import type { Plan } from '../../load/plan.ts';
import { HarnessError } from '../errors.ts';
import type { Operation, Recorded } from '../history/history.ts';
import { JUDGEMENT_FILE } from '../judging.ts';
import { fromK6Line, k6Requests } from '../load/k6-history.ts';
import { planDurationS, runK6 } from '../load/k6.ts';
import { REPORT_SCHEMA, summarize, writeReport, type Report, type ResultEntry } from '../report/report.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import { configFlag, runCase, type Case, type RunProgress } from '../runner.ts';
import type { Say } from '../setup/setup.ts';
import type { SystemView } from '../target/types.ts';
import { loadTarget } from '../target/load.ts';
import { PACE } from './common.ts';
import { loadSuite, SUITE_IDS } from './registry.ts';
import type { Suite, SuiteContext, SuiteOptions, SuiteResult } from './types.ts';

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
  /** Aborted on Ctrl-C or when the run must stop: the suite is then `interrupted`. */
  signal?: AbortSignal;
}

/**
 * What view.json keeps of a suite run besides the view, for judging it again: the suite and its
 * settings (the time scale and seed are the view record's own).
 */
export interface SuiteRecord {
  suite: string;
  minutes: number;
  profile: string;
  monitorIntervalS: number | null;
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

/** The suite's settings as its judge takes them, from what view.json keeps. */
export function suiteOptions(record: SuiteRecord, timeScale: number, seed: number): SuiteOptions {
  return { minutes: record.minutes, timeScale, profile: loadProfile(record.profile), seed };
}

/** Jepsen's check-safe for a suite: a judge that throws gives one `error` result, never a crash. */
export function judgeSuite(suite: Suite, history: Recorded, view: SystemView, options: SuiteOptions): SuiteResult[] {
  try {
    return suite.judge(history, view, options);
  } catch (error) {
    return [{ fault: suite.id, title: suite.title, viewpoints: [], verdict: 'error', detectedAfterMs: null, summary: `${suite.id} could not be judged: ${(error as Error).message}`, evidence: [], measurements: {} }];
  }
}

/**
 * Runs one suite through the runner's steps on a fresh system (build, start, arm, then the suite's
 * load and looks as the case's run), judges the history with the suite's judge, and writes the
 * report like a mean run (the suite's results are entries of the same format, with their
 * measurements).
 */
export async function runSuite(options: SuiteRunOptions): Promise<Report> {
  const suite = await loadSuite(options.suite);
  if (!suite) throw new HarnessError('usage', `unknown suite "${options.suite}": use one of ${SUITE_IDS.join(', ')}`);
  if (!PROFILE_NAMES.includes(options.profile)) {
    throw new HarnessError('usage', `unknown profile "${options.profile}": use one of ${PROFILE_NAMES.join(', ')}`);
  }
  const target = await loadTarget(options.target);
  const timeScale = options.timeScale ?? suite.defaultTimeScale;
  const record: SuiteRecord = { suite: suite.id, minutes: options.minutes, profile: options.profile, monitorIntervalS: options.monitorIntervalS ?? null };
  const settings = suiteOptions(record, timeScale, options.seed);
  const startedAt = new Date();
  const started = performance.now();
  const evidenceDir = path.join(options.outDir, 'evidence', suite.id);
  const relative = (file: string) => path.relative(options.outDir, path.join(evidenceDir, file));
  const topology = suite.topology(settings);
  // An operator's setting, given at time scale 1 like every duration of the contract.
  const monitor: Record<string, string> = options.monitorIntervalS === undefined ? {} : { MONITOR_INTERVAL_MS: String(Math.round(options.monitorIntervalS * 1000 * timeScale)) };
  // A suite's load lasts its minutes (the limit ramp may stop sooner); a minute more covers the
  // start, the answers still in flight and the judging.
  options.progress?.plan([{ name: suite.id, atMostMs: options.minutes * 60_000 + 60_000 }]);
  options.progress?.phase(suite.id);
  const loadFiles: string[] = [];
  const theCase: Case = {
    id: suite.id,
    title: suite.title,
    topology: { ...topology, parameters: { ...topology.parameters, ...monitor } },
    // Whatever its plans say, a suite never outlives three times its length.
    limitMs: options.minutes * 60_000 * 3 + 300_000,
    run: (context) => suite.run(suiteContext(context, suite, settings, evidenceDir, (files) => loadFiles.push(...files.map(relative)), options.say)),
    // A suite measures over its whole length: it never stops at a first finding.
    found: () => false,
  };
  const outcome = await runCase(theCase, { target, runtime: options.runtime, seed: options.seed, timeScale, outDir: options.outDir, say: options.say, ...(options.signal && { signal: options.signal }), record: { ...record } });
  const replay = replayCommand(options, timeScale);
  let entries: ResultEntry[];
  if (outcome.kind === 'stopped') {
    entries = [{ fault: suite.id, title: suite.title, viewpoints: [], ...outcome.result, evidence: [...outcome.result.evidence, ...loadFiles], measurements: {}, replay }];
  } else {
    const results = judgeSuite(suite, outcome.history, outcome.view, settings);
    const judged = outcome.write(JUDGEMENT_FILE, results);
    entries = results.map((result) => ({ ...result, evidence: [...outcome.evidence, ...loadFiles, judged, ...result.evidence], replay }));
  }
  for (const entry of entries) options.say(`${entry.fault}: ${entry.verdict}: ${entry.summary}`);
  const { view } = outcome;
  const report: Report = {
    schema: REPORT_SCHEMA,
    suite: suite.id,
    target: { name: target.definition.name, variant: target.variant, parameters: view.parameters, ...(view.defaults && { defaults: view.defaults }) },
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

/**
 * The case's context with the load added: k6 through every CS's terminal link, recorded as a
 * `load` injection of `k6`, its requests then imported into the history on its clock.
 */
function suiteContext(
  context: Parameters<Case['run']>[0],
  suite: Suite,
  options: SuiteOptions,
  evidenceDir: string,
  kept: (files: string[]) => void,
  say: Say,
): SuiteContext {
  const { topology, view, history } = context;
  const links = view.municipalities.map((municipality) => municipality.terminalLink);
  return {
    ...context,
    options,
    say,
    async load(scenarios, name, enough) {
      const plan: Plan = {
        targets: links.map((link) => {
          const endpoint = topology.entry(link);
          return `${endpoint.host}:${endpoint.port}`;
        }),
        scenarios,
        jitterS: PACE.jitterS,
        timeoutS: TERMINAL_TIMEOUT_S,
        seed: options.seed,
      };
      say(`${suite.id}: ${name}: k6 for up to ${Math.round(planDurationS(plan))} s`);
      const dir = path.join(evidenceDir, name);
      mkdirSync(dir, { recursive: true });
      // The epoch time of the history's zero: k6 stamps its requests with the epoch.
      const origin = Date.now() - history.now();
      const asOperations = (lines: Parameters<typeof fromK6Line>[0][]): Operation[] =>
        lines.map((line, index) => ({ type: 'request', id: -1 - index, ...fromK6Line(line, origin, name, links) }));
      const run = await history.inject(
        'k6',
        'load',
        { phase: name, work: scenarios.map((scenario) => scenario.work) },
        () => runK6(plan, dir, AbortSignal.any([context.signal, AbortSignal.timeout(Math.ceil(planDurationS(plan) * 1000) + 60_000)]), enough && ((lines) => enough(asOperations(lines)))),
        (done) => ({ requests: done.requests.length, exitCode: done.exitCode, stoppedEarly: done.stoppedEarly }),
      );
      kept(Object.values(run.files).map((file) => path.join(name, file)));
      for (const line of run.requests) history.imported(fromK6Line(line, origin, name, links));
      if (run.requests.length === 0) throw new Error(`k6 sent no request (exit ${run.exitCode}): ${run.stderrTail}`);
      return { requests: k6Requests(history.recorded, name), exitCode: run.exitCode, stoppedEarly: run.stoppedEarly };
    },
  };
}
