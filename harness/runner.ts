import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, FaultContext, FaultTopology } from '../faults/types.ts';
import { F15, judgeF15 } from '../faults/F15-production-parameters.ts';
import { KNOWN_FAULT_IDS, loadFault, SHEET_COMPARISON_ID } from '../faults/registry.ts';
import type { ParameterSheet } from './config/sheet.ts';
import { HarnessError } from './errors.ts';
import { HarnessClient } from './history/client.ts';
import { History, HISTORY_FILE, type Recorded } from './history/history.ts';
import { redactFiles } from './history/redact.ts';
import { REPORT_SCHEMA, summarize, writeReport, type Report, type ResultEntry } from './report/report.ts';
import { createRuntime } from './runtime/create.ts';
import type { RuntimeKind } from './runtime/types.ts';
import { Rng } from './seed.ts';
import { setup, type Say } from './setup/setup.ts';
import { checkTimeScale } from './target/time-scale.ts';
import { loadTarget, type ResolvedTarget } from './target/load.ts';
import type { SystemView } from './target/types.ts';
import { judgeSafely, sheetFolder, SHEETS_FILE, VIEW_FILE, JUDGEMENT_FILE, type SafeJudgement, type SheetsRecord, type ViewRecord } from './judging.ts';
import type { FaultResult } from './verdict.ts';

export interface RunOptions {
  target: string;
  /** The config file declaring the target, if any (absolute): the replay command names it. */
  config?: string;
  /** Told the phases (one a fault) and when each begins, for a person or a CI log watching. */
  progress?: RunProgress;
  faults: string[];
  runtime: RuntimeKind;
  seed: number;
  timeScale: number;
  outDir: string;
  say: Say;
  /** Aborted on Ctrl-C or when the run must stop: the fault in progress and the rest are `interrupted`. */
  signal?: AbortSignal;
  /** The test environment's parameter sheet over the target's (--parameters): every fault runs under it. */
  testSheet?: ParameterSheet;
  /** Production's sheet (--production-parameters): F15 runs the faults again under it; the target's own when absent. */
  productionSheet?: ParameterSheet;
  /** The experiment file the one fault of the run replays (--experiment), in place of catalog IDs. */
  experimentFile?: string;
}

/** What a person watching is told of a run's course (harness/cli/progress.ts draws it). */
export interface RunProgress {
  /** The phases the run will go through, each with the most it may take (ms). */
  plan(phases: ReadonlyArray<{ name: string; atMostMs: number }>): void;
  /** A planned (or unplanned) phase begins. */
  phase(name: string): void;
}

/** Starting and reaping one fault's system, on top of the fault's own limit (bench/startup.md: about 4 s to ready). */
const STARTUP_ALLOWANCE_MS = 15_000;
/** How long a fault may take to return once its signal aborted before the runner gives up on it. */
export const GRACE_MS = 2000;

/** How a replay command names the config file that declares its target, if one does. */
export function configFlag(config: string | undefined): string {
  return config ? ` --config ${config}` : '';
}

/** The replay command printed in the report: the same target, faults, sheets, seed and scale. */
function replayCommand(options: Omit<RunOptions, 'faults'>, faults: string, sheets: { production?: boolean } = {}): string {
  const sheet = (flag: string, given: ParameterSheet | undefined) => (given ? ` ${flag} ${given.file}` : '');
  const production = sheets.production ? sheet('--production-parameters', options.productionSheet) : '';
  const selection = options.experimentFile ? `--experiment ${options.experimentFile}` : `--faults ${faults}`;
  return `ijiwaru run${configFlag(options.config)} --target ${options.target} ${selection}${sheet('--parameters', options.testSheet)}${production} --runtime ${options.runtime} --seed ${options.seed} --time-scale ${options.timeScale} --out ${options.outDir}-replay`;
}

/** The run folder, made (the CLI has already named a file in its way; a caller of its own may not have). */
export function makeOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new HarnessError('usage', `--out ${outDir} cannot be made a folder: ${(error as Error).message}`);
  }
}

/**
 * Runs each selected mean test against a fresh system (so no fault leaks into the next), writes
 * the report, and returns it. Harness failures (bad input, engine, readiness) are thrown.
 */
export async function runMeanTests(options: RunOptions): Promise<Report> {
  const unknown = options.faults.filter((id) => !KNOWN_FAULT_IDS.includes(id));
  if (unknown.length > 0) {
    throw new HarnessError('unknown-fault', `unknown fault ${unknown.join(', ')}: use one of ${KNOWN_FAULT_IDS.join(', ')}`);
  }
  const compareSheets = options.faults.includes(SHEET_COMPARISON_ID) || options.productionSheet !== undefined;
  const ids = options.faults.filter((id) => id !== SHEET_COMPARISON_ID);
  if (compareSheets && ids.length === 0) {
    throw new HarnessError('usage', `${SHEET_COMPARISON_ID} compares the verdicts of other faults under the test and production parameter sheets: name them too (for example --faults F1,${SHEET_COMPARISON_ID})`);
  }
  return runFaults(await Promise.all(ids.map(async (id) => (await loadFault(id)) as Fault)), { ...options, compareSheets });
}

/**
 * The mean tests of `faults` (modules, not IDs: the tests run faults of their own through it);
 * with `compareSheets`, each again under production's sheet, and F15's comparison last.
 */
export async function runFaults(faults: readonly Fault[], options: Omit<RunOptions, 'faults'> & { compareSheets?: boolean }): Promise<Report> {
  const target = await loadTarget(options.target);
  // The run's own time scale is refused up front if it makes a declared duration meaningless,
  // even where every fault chosen fixes a scale of its own: the user asked for it.
  const declared = target.definition.build({ variant: target.variant, timeScale: options.timeScale, municipalities: 1, relays: 1, cardServers: 1, parameters: {} });
  checkTimeScale(declared.view.timing, options.timeScale);
  const startedAt = new Date();
  const started = performance.now();
  makeOutDir(options.outDir);
  // First use installs and builds for minutes: that shows as setup and its step, not as time
  // spent by the first fault (each fault's own setup call is then instant).
  await setup({ engine: options.runtime === 'docker', say: options.say ?? (() => undefined), step: ({ index, total, name }) => options.progress?.phase(`setup ${index}/${total}: ${name}`) });
  const phases = faults.map((fault) => ({ name: fault.id, atMostMs: fault.limitMs + STARTUP_ALLOWANCE_MS }));
  options.progress?.plan(options.compareSheets ? [...phases, ...phases.map((phase) => ({ ...phase, name: productionPhase(phase.name) }))] : phases);
  const results: ResultEntry[] = [];
  const tested: RunFaultOutcome[] = [];
  let view: SystemView | undefined;
  for (const fault of faults) {
    const entry = { fault: fault.id, title: fault.title, viewpoints: fault.viewpoints, replay: replayCommand(options, fault.id) };
    if (options.signal?.aborted) {
      results.push({ ...entry, verdict: 'interrupted', detectedAfterMs: null, summary: `not run: ${reason(options.signal)}`, evidence: [] });
      continue;
    }
    options.progress?.phase(fault.id);
    const outcome = await runFault(fault, target, options);
    tested.push(outcome);
    view = outcome.view;
    options.say(`${fault.id}: ${outcome.result.verdict}: ${outcome.result.summary}`);
    results.push({ ...entry, ...outcome.result });
  }
  if (options.compareSheets) results.push(await compareSheets(faults, tested, target, options));
  const report: Report = {
    schema: REPORT_SCHEMA,
    target: { name: target.definition.name, variant: target.variant, parameters: view?.parameters ?? {}, ...(view?.defaults && { defaults: view.defaults }) },
    runtime: options.runtime,
    seed: options.seed,
    timeScale: options.timeScale,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results,
    summary: summarize(results),
  };
  writeReport(options.outDir, report);
  return report;
}

export function reason(signal: AbortSignal): string {
  const cause = signal.reason as unknown;
  return cause instanceof Error ? cause.message : String(cause ?? 'interrupted');
}

const productionPhase = (fault: string) => `${SHEET_COMPARISON_ID}: ${fault} under production's sheet`;

/**
 * F15: every fault that ran under the test sheet, again on a fresh system under production's
 * (evidence/F15/FAULT), and the two verdicts of each compared by F15's judge.
 */
async function compareSheets(faults: readonly Fault[], tested: readonly RunFaultOutcome[], target: ResolvedTarget, options: Omit<RunOptions, 'faults'>): Promise<ResultEntry> {
  const entry = { fault: F15.id, title: F15.title, viewpoints: F15.viewpoints, replay: replayCommand(options, [...faults.map((fault) => fault.id), F15.id].join(','), { production: true }) };
  const sheet = options.productionSheet?.parameters ?? {};
  const sides: ComparedSides[] = [];
  for (const [index, fault] of faults.entries()) {
    const test = tested[index];
    if (!test || options.signal?.aborted) break;
    options.progress?.phase(productionPhase(fault.id));
    const production = await runFault(fault, target, options, { folder: sheetFolder(fault.id), sheet });
    options.say(`${productionPhase(fault.id)}: ${production.result.verdict}: ${production.result.summary}`);
    sides.push({ fault: fault.id, test, production });
  }
  const folder = path.join(options.outDir, 'evidence', F15.id);
  mkdirSync(folder, { recursive: true });
  const record: SheetsRecord = {
    test: options.testSheet?.parameters ?? {},
    production: sheet,
    pairs: sides.map(({ fault, test, production }) => ({ fault, test: test.result.verdict, production: production.result.verdict })),
  };
  writeFileSync(path.join(folder, SHEETS_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const judged = judgeF15(sides.map(({ fault, test, production }) => ({ fault, test: { ...test.result, view: test.view }, production: { ...production.result, view: production.view } })));
  writeFileSync(path.join(folder, JUDGEMENT_FILE), `${JSON.stringify(judged, null, 2)}\n`);
  const own = [SHEETS_FILE, JUDGEMENT_FILE].map((file) => path.join('evidence', F15.id, file));
  if (options.signal?.aborted) {
    return { ...entry, verdict: 'interrupted', detectedAfterMs: null, summary: `interrupted after ${sides.length} of ${faults.length} faults ran under production's sheet: ${reason(options.signal)}`, evidence: own };
  }
  options.say(`${F15.id}: ${judged.verdict}: ${judged.summary}`);
  return { ...entry, verdict: judged.verdict, detectedAfterMs: judged.detectedAfterMs, summary: judged.summary, measurements: judged.measurements, evidence: [...own, ...sides.flatMap(({ production }) => production.result.evidence)] };
}

export interface RunFaultOutcome {
  result: FaultResult;
  view: SystemView;
  /** What the fault's judge read and said, where it ran to the end. */
  judged?: { history: Recorded; judgement: SafeJudgement };
}

interface ComparedSides {
  fault: string;
  test: RunFaultOutcome;
  production: RunFaultOutcome;
}

/** One fault: its case run through the steps, then judged by its own judge, check-safe. */
export async function runFault(
  fault: Fault,
  target: ResolvedTarget,
  options: Omit<RunOptions, 'faults'>,
  side: Pick<CaseSettings, 'folder' | 'sheet'> = { sheet: options.testSheet?.parameters ?? {} },
): Promise<RunFaultOutcome> {
  const outcome = await runCase(
    { ...fault, found: (history, view) => judgeSafely(fault, history, view).verdict === 'finding' },
    { ...options, target, timeScale: fault.timeScale ?? options.timeScale, ...side, ...(fault.record && { record: fault.record }) },
  );
  if (outcome.kind === 'stopped') return outcome;
  const judgement = judgeSafely(fault, outcome.history, outcome.view);
  return {
    view: outcome.view,
    judged: { history: outcome.history, judgement },
    result: { ...(fault.timeScale !== undefined && fault.timeScale !== options.timeScale && { timeScale: fault.timeScale }), verdict: judgement.verdict, detectedAfterMs: judgement.detectedAfterMs, summary: judgement.summary, evidence: [...outcome.evidence, outcome.write(JUDGEMENT_FILE, judgement)] },
  };
}

/** What the runner runs: a mean test's fault, or a suite (its load and its looks). */
export interface Case {
  /** Names the evidence folder. */
  id: string;
  title: string;
  topology: FaultTopology;
  limitMs: number;
  run(context: FaultContext): Promise<void>;
  /** Whether the history so far already holds a finding (a run may stop at its first proof). */
  found(history: Recorded, view: SystemView): boolean;
}

/** A run's settings for one case, its target resolved. */
export type CaseSettings = Pick<RunOptions, 'runtime' | 'seed' | 'timeScale' | 'outDir' | 'say' | 'signal'> & {
  target: ResolvedTarget;
  /** The evidence folder under evidence/, where it is not the case's ID (F15's second run of a fault). */
  folder?: string;
  /** Parameters an operator set for this environment: over the target's, under the case's own. */
  sheet?: Record<string, string>;
  /** More settings view.json keeps for judging again (a suite's minutes, profile). */
  record?: Record<string, unknown>;
};

export type CaseOutcome =
  | { kind: 'ran'; history: Recorded; view: SystemView; evidence: string[]; write(name: string, content: unknown): string }
  | { kind: 'stopped'; view: SystemView; result: FaultResult };

/**
 * One case as titled steps (build, start, arm, inject; judging is the caller's), each teardown
 * undone in reverse: the history closes before anyone judges it, the system is reaped last.
 */
export async function runCase(theCase: Case, settings: CaseSettings): Promise<CaseOutcome> {
  const { target } = settings;
  const { id } = theCase;
  const evidenceDir = path.join(settings.outDir, 'evidence', settings.folder ?? id);
  const relative = (file: string) => path.relative(settings.outDir, path.join(evidenceDir, file));
  // A fresh folder: the history appends, and a rerun into the same --out must not mix runs.
  rmSync(evidenceDir, { recursive: true, force: true });
  mkdirSync(evidenceDir, { recursive: true });

  // build
  const build = target.definition.build({ variant: target.variant, timeScale: settings.timeScale, ...theCase.topology, parameters: { ...settings.sheet, ...theCase.topology.parameters } });
  const { view } = build;
  checkTimeScale(view.timing, settings.timeScale);

  // start (not once the run was told to stop: nothing would be judged)
  if (settings.signal?.aborted) return { kind: 'stopped', view, result: { verdict: 'interrupted', detectedAfterMs: null, summary: `not run: ${reason(settings.signal)}`, evidence: [] } };
  settings.say(`${id} ${theCase.title}: starting ${target.spec} on ${settings.runtime}`);
  const logDir = path.join(evidenceDir, 'logs');
  // Declared before the system, so undone after it: the logs it saves lose what the history redacted.
  const secrets = new Set<string>();
  await using _redacted = { [Symbol.asyncDispose]: async () => redactFiles(logDir, secrets) };
  const runtime = await createRuntime(settings.runtime, { logDir, say: settings.say });
  await using topology = await build.topology.start(runtime);
  const record: ViewRecord = { fault: id, target: target.spec, runId: runtime.runId, seed: settings.seed, timeScale: settings.timeScale, view, ...settings.record };
  writeFileSync(path.join(evidenceDir, VIEW_FILE), `${JSON.stringify(record, null, 2)}\n`);

  // arm: the history, the clients, the limit
  const unwritable = new AbortController();
  const history = new History(path.join(evidenceDir, HISTORY_FILE), (error) =>
    unwritable.abort(new HarnessError('interrupted', `the evidence folder ${evidenceDir} can no longer be written (${error.message})`)),
    secrets,
  );
  topology.injections.attach(history);
  const clients: HarnessClient[] = [];
  const limit = new AbortController();
  const limitTimer = setTimeout(() => limit.abort(new Error(`${id} reached its time limit of ${theCase.limitMs} ms`)), theCase.limitMs);
  const signal = AbortSignal.any([limit.signal, unwritable.signal, ...(settings.signal ? [settings.signal] : [])]);
  await using teardown = new AsyncDisposableStack();
  teardown.defer(async () => {
    clearTimeout(limitTimer);
    history.close();
    await Promise.all(clients.map((client) => client.close()));
  });

  // inject: the case's own run, bounded by its limit plus the grace
  const began = performance.now();
  const ran = await runBounded(
    () =>
      theCase.run({
        topology,
        view,
        rng: new Rng(settings.seed).fork(id),
        history,
        client: (name, timeouts) => {
          const client = new HarnessClient(history, name, timeouts);
          clients.push(client);
          return client;
        },
        signal,
        found: () => theCase.found(history.recorded, view),
      }),
    signal,
  );
  history.close();
  if (unwritable.signal.aborted) throw unwritable.signal.reason;
  const evidence = [relative(HISTORY_FILE), relative(VIEW_FILE)];
  const stopped = (verdict: 'interrupted' | 'error', summary: string): CaseOutcome => ({ kind: 'stopped', view, result: { verdict, detectedAfterMs: null, summary, evidence } });
  if (settings.signal?.aborted) return stopped('interrupted', `interrupted after ${((performance.now() - began) / 1000).toFixed(1)} s: ${reason(settings.signal)}`);
  if (ran.kind === 'over-limit') return stopped('error', `${id} did not return within ${GRACE_MS} ms of its time limit (${theCase.limitMs} ms): over its time limit`);
  if (ran.kind === 'threw') return stopped('error', `${id} could not run: ${ran.error.message}`);
  return {
    kind: 'ran',
    history: history.recorded,
    view,
    evidence,
    write(name, content) {
      writeFileSync(path.join(evidenceDir, name), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
      return relative(name);
    },
  };
}

type Ran = { kind: 'returned' } | { kind: 'threw'; error: Error } | { kind: 'over-limit' };

/** Runs `work`; once `signal` aborts, waits at most GRACE_MS more for it, then gives up on it. */
async function runBounded(work: () => Promise<void>, signal: AbortSignal): Promise<Ran> {
  const finished: Promise<Ran> = work().then(
    () => ({ kind: 'returned' }),
    (error: unknown) => ({ kind: 'threw', error: error instanceof Error ? error : new Error(String(error)) }),
  );
  const { promise: aborted, resolve } = Promise.withResolvers<void>();
  if (signal.aborted) resolve();
  else signal.addEventListener('abort', () => resolve(), { once: true });
  const first = await Promise.race([finished, aborted.then(() => undefined)]);
  if (first) return first;
  const giveUp = new AbortController();
  const late = await Promise.race([finished, sleep(GRACE_MS, { kind: 'over-limit' } as const, { signal: giveUp.signal }).catch(() => undefined)]);
  giveUp.abort();
  return late ?? { kind: 'over-limit' };
}
