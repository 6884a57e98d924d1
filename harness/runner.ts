import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fault, FaultContext, FaultResult } from '../faults/types.ts';
import { FAULT_IDS, loadFault } from '../faults/registry.ts';
import { HarnessError } from './errors.ts';
import { HarnessClient } from './history/client.ts';
import { History } from './history/history.ts';
import { summarize, writeReport, type Report, type ResultEntry } from './report/report.ts';
import { createRuntime } from './runtime/create.ts';
import type { RuntimeKind } from './runtime/types.ts';
import { Rng } from './seed.ts';
import type { Say } from './setup/setup.ts';
import { loadTarget } from './target/load.ts';
import { INJECTIONS_FILE, type InjectionJournal } from './topology/injections.ts';

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

/** How a replay command names the config file that declares its target, if one does. */
export function configFlag(config: string | undefined): string {
  return config ? ` --config ${config}` : '';
}

/** The replay command printed in the report: the same target, fault, seed and scale. */
function replayCommand(options: RunOptions, fault: string): string {
  return `ijiwaru run${configFlag(options.config)} --target ${options.target} --faults ${fault} --runtime ${options.runtime} --seed ${options.seed} --time-scale ${options.timeScale} --out ${options.outDir}-replay`;
}

/**
 * Runs each selected mean test against a fresh system (so no fault leaks into the next), writes
 * the report, and returns it. Harness failures (bad input, engine, readiness) are thrown.
 */
export async function runMeanTests(options: RunOptions): Promise<Report> {
  const unknown = options.faults.filter((id) => !FAULT_IDS.includes(id));
  if (unknown.length > 0) {
    throw new HarnessError('unknown-fault', `unknown fault ${unknown.join(', ')}: use one of ${FAULT_IDS.join(', ')}`);
  }
  const target = await loadTarget(options.target);
  const startedAt = new Date();
  const started = performance.now();
  mkdirSync(options.outDir, { recursive: true });
  const results: ResultEntry[] = [];
  const faults = await Promise.all(options.faults.map(async (id) => [id, (await loadFault(id)) as Fault] as const));
  options.progress?.plan(faults.map(([id, fault]) => ({ name: id, atMostMs: fault.limitMs + STARTUP_ALLOWANCE_MS })));
  let parameters: Record<string, string> = {};
  let defaults: Record<string, string> | undefined;
  for (const [id, fault] of faults) {
    options.progress?.phase(id);
    options.say(`${id} ${fault.title}: starting ${target.spec} on ${options.runtime}`);
    const evidenceDir = path.join(options.outDir, 'evidence', id);
    // A fresh folder: the history appends, and a rerun into the same --out must not mix runs.
    rmSync(evidenceDir, { recursive: true, force: true });
    const build = target.definition.build({
      variant: target.variant,
      timeScale: options.timeScale,
      ...fault.topology,
      parameters: fault.topology.parameters ?? {},
    });
    parameters = build.view.parameters;
    defaults = build.view.defaults;
    const runtime = await createRuntime(options.runtime, { logDir: path.join(evidenceDir, 'logs'), say: options.say });
    await using topology = await build.topology.start(runtime);
    const result = await runOne(fault, options, evidenceDir, topology.injections, (context) => fault.run({ ...context, topology, view: build.view }));
    options.say(`${id}: ${result.verdict}: ${result.summary}`);
    results.push({ fault: id, title: fault.title, viewpoints: fault.viewpoints, ...result, replay: replayCommand(options, id) });
  }
  const report: Report = {
    schema: 'ijiwaru.report/1',
    target: { name: target.definition.name, level: target.variant, parameters, ...(defaults && { defaults }) },
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

async function runOne(
  fault: Fault,
  options: RunOptions,
  evidenceDir: string,
  injections: InjectionJournal,
  execute: (context: Omit<FaultContext, 'topology' | 'view'>) => Promise<FaultResult>,
): Promise<FaultResult> {
  mkdirSync(evidenceDir, { recursive: true });
  const history = new History(path.join(evidenceDir, 'history.jsonl'));
  // The fault's injections on the history's own clock, so the report lays one over the other.
  const injectionsFile = path.join(evidenceDir, INJECTIONS_FILE);
  injections.attach(injectionsFile, () => history.now());
  const clients: HarnessClient[] = [];
  const signal = AbortSignal.timeout(fault.limitMs);
  const began = performance.now();
  const relative = (file: string) => path.relative(options.outDir, file);
  try {
    const result = await execute({
      rng: new Rng(options.seed).fork(fault.id),
      history,
      client: (name, timeouts) => {
        const client = new HarnessClient(history, name, timeouts);
        clients.push(client);
        return client;
      },
      evidence: (name, content) => {
        const file = path.join(evidenceDir, name);
        writeFileSync(file, content);
        return relative(file);
      },
      elapsedMs: () => performance.now() - began,
      signal,
    });
    const recorded = existsSync(injectionsFile) ? [relative(injectionsFile)] : [];
    return { ...result, evidence: [relative(history.file ?? ''), ...recorded, ...result.evidence] };
  } catch (error) {
    // A checker that throws yields an error verdict with the reason; the run itself goes on.
    return { verdict: 'error', detectedAfterMs: null, summary: `${fault.id} could not be judged: ${(error as Error).message}`, evidence: [] };
  } finally {
    history.close();
    await Promise.all(clients.map((client) => client.close()));
  }
}
