import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXPERIMENT_TIME_SCALE, EXPERIMENT_TOPOLOGY, experimentFault, experimentTitle } from '../../faults/experiment/fault.ts';
import type { CheckerFailure } from '../../faults/experiment/judge.ts';
import { describeFault, type Experiment } from '../../faults/experiment/types.ts';
import { failed, logEventsOf } from '../../faults/kit/evidence.ts';
import type { Recorded } from '../history/history.ts';
import { REPORT_SCHEMA, summarize, writeReport, type Report, type ResultEntry } from '../report/report.ts';
import { configFlag, makeOutDir, reason, runFault, type RunFaultOutcome, type RunProgress } from '../runner.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import { Rng } from '../seed.ts';
import { setup, type Say } from '../setup/setup.ts';
import { loadTarget } from '../target/load.ts';
import { coverageOf, type CellVerdicts } from './coverage.ts';
import { drawShape, experimentOf, shapeArbitrary, shrinkShape, type Shape } from './shapes.ts';
import { cellKey, cellsOf, explorationSpace, type Cell, type Space } from './space.ts';

export interface ExploreOptions {
  target: string;
  config?: string;
  runtime: RuntimeKind;
  seed: number;
  /** Wall time: no experiment starts after it (the one under way ends within its own limit). */
  budgetMs: number;
  outDir: string;
  say: Say;
  progress?: RunProgress;
  signal?: AbortSignal;
}

/** Runs a finding is given to shrink and replay, the first being the replay of the original. */
const SHRINK_RUNS = 4;
const EXPERIMENTS_DIR = 'experiments';

/** A search step: one fault landing on one operation, or two on the same one. */
interface Candidate {
  cells: Cell[];
}

interface Finding {
  /** What makes two findings one: the checkers that failed and the catalog fault, else the fault placed. */
  signature: string;
  /** How many faults its saved experiment places: a later experiment with fewer that fails alike replaces it. */
  faults: number;
  result: ResultEntry;
}

/**
 * `ijiwaru explore`: searches the space of `harness/explore/space.ts` on fresh systems, one
 * experiment at a time, within the budget. Cells come in a seeded order; an experiment that shows
 * behaviour no earlier one showed (an outcome, a component state, a log event, a checker failing)
 * has its fault tried on the other operations first, and paired with the last such fault. Each
 * new finding is replayed and shrunk with fast-check, saved under experiments/ and reported with
 * the command that replays it.
 */
export async function explore(options: ExploreOptions): Promise<Report> {
  const target = await loadTarget(options.target);
  const startedAt = new Date();
  const started = performance.now();
  const deadline = started + options.budgetMs;
  makeOutDir(options.outDir);
  mkdirSync(path.join(options.outDir, EXPERIMENTS_DIR), { recursive: true });
  await setup({ engine: options.runtime === 'docker', say: options.say, step: ({ index, total, name }) => options.progress?.phase(`setup ${index}/${total}: ${name}`) });
  const { view } = target.definition.build({ variant: target.variant, timeScale: EXPERIMENT_TIME_SCALE, ...EXPERIMENT_TOPOLOGY, parameters: EXPERIMENT_TOPOLOGY.parameters });
  const space = explorationSpace(view);
  const rng = new Rng(options.seed).fork('explore');
  const queue: Candidate[] = searchOrder(space, rng).map((cell) => ({ cells: [cell] }));
  const first: Candidate[] = [];
  const verdicts: CellVerdicts = new Map();
  const behaviours = new Set<string>();
  const checkersFailed: Record<string, number> = {};
  const findings: Finding[] = [];
  let lastNovel: Cell | undefined;
  let experiments = 0;
  let shrinkRuns = 0;
  const runsLeft = () => performance.now() < deadline && !options.signal?.aborted;
  options.progress?.plan([{ name: 'explore', atMostMs: options.budgetMs }]);
  options.progress?.phase('explore');

  const run = async (experiment: Experiment, id: string): Promise<RunFaultOutcome> =>
    runFault(experimentFault(experiment, id), target, { ...options, timeScale: EXPERIMENT_TIME_SCALE });

  let expanded = false;
  while (runsLeft()) {
    // Expansions and the seeded order take turns, so that new behaviour is followed up without
    // starving the faults not yet tried.
    const candidate = (expanded ? (queue.shift() ?? first.shift()) : (first.shift() ?? queue.shift()));
    expanded = first.length > 0 && !expanded;
    if (!candidate) break;
    const op = candidate.cells[0]!.op;
    const faults = candidate.cells.map((cell) => cell.fault);
    const seed = rng.int(0, 0x7fffffff);
    const drawn = drawShape(op, faults.length, seed);
    const shape: Shape = { ...drawn, faults: faults.map((_, index) => index) };
    const experiment = experimentOf(op, faults, shape, seed);
    const id = `x${++experiments}`;
    const outcome = await run(experiment, id);
    const verdict = outcome.result.verdict;
    for (const cell of candidate.cells) record(verdicts, cell, verdict);
    const failures = failuresOf(outcome);
    for (const checker of new Set(failures.map((failure) => failure.checker))) checkersFailed[checker] = (checkersFailed[checker] ?? 0) + 1;
    const novel = outcome.judged ? behaviourOf(outcome.judged.history, failures).filter((behaviour) => !behaviours.has(behaviour)) : [];
    for (const behaviour of novel) behaviours.add(behaviour);
    options.say(`${id} ${experimentTitle(experiment)}: ${verdict}${novel.length > 0 ? ` (${novel.length} new behaviour(s))` : ''}: ${outcome.result.summary}`);

    // One finding per defect: the first of its signatures not yet reported is replayed and shrunk;
    // else one reported with more faults than this experiment places, which this one may replace
    // (shrinking keeps the faults a replay needs; a simpler cause found later is the better test).
    const signatures = verdict === 'finding' ? signaturesOf(outcome, experiment) : [];
    const reported = (signature: string) => findings.find((finding) => finding.signature === signature);
    const signature = signatures.find((candidate) => !reported(candidate)) ?? signatures.find((candidate) => (reported(candidate)?.faults ?? 0) > faults.length);
    if (signature !== undefined) {
      const foundAfterMs = Math.round(performance.now() - started);
      const previous = reported(signature);
      const name = previous?.result.fault ?? `E${findings.length + 1}`;
      const shrunk = await shrinkFinding(op, faults, shape, seed, signature, id, outcome, name, (minimal, reproduced) => previous === undefined || (reproduced && minimal.faults.length < previous.faults));
      shrinkRuns += shrunk.runs;
      if (shrunk.kept) {
        const matches = catalogMatchOf(outcome)?.includes(signature) ? signature : null;
        const first = previous?.result.measurements ?? { foundAfterMs, foundBy: id, matches, shrinkRuns: 0 };
        const measurements = { ...first, shrinkRuns: Number(first['shrinkRuns']) + shrunk.runs, ...(previous && { replacedBy: id }) };
        const entry = { signature, faults: shrunk.kept.faults, result: { ...shrunk.kept.result, measurements } };
        if (previous) findings[findings.indexOf(previous)] = entry;
        else findings.push(entry);
      }
    }
    if (novel.length > 0 && candidate.cells.length === 1) {
      // New behaviour: the same fault on every other operation next, and with the last fault that also showed some.
      const cell = candidate.cells[0]!;
      const others = queue.filter((other) => other.cells.length === 1 && describeFault(other.cells[0]!.fault) === describeFault(cell.fault));
      for (const other of others) queue.splice(queue.indexOf(other), 1);
      first.push(...others);
      if (lastNovel && describeFault(lastNovel.fault) !== describeFault(cell.fault)) first.push({ cells: [cell, { fault: lastNovel.fault, op: cell.op }] });
      lastNovel = cell;
    }
  }

  /**
   * Replays and shrinks a finding; a smaller experiment must show the same `signature` (its
   * catalog fault, else its checkers). What `accept` keeps is saved as `name` and reported.
   */
  async function shrinkFinding(
    op: Cell['op'],
    faults: Cell['fault'][],
    shape: Shape,
    seed: number,
    signature: string,
    id: string,
    original: RunFaultOutcome,
    name: string,
    accept: (minimal: Experiment, reproduced: boolean) => boolean,
  ): Promise<{ runs: number; kept?: { faults: number; result: ResultEntry } }> {
    let attempt = 0;
    let last: { experiment: Experiment; outcome: RunFaultOutcome } | undefined;
    const { shape: minimal, reproduced, runs } = await shrinkShape(
      shape,
      shapeArbitrary(op, faults.length),
      async (candidate) => {
        const experiment = experimentOf(op, faults, candidate, seed);
        const runId = `${id}-s${++attempt}`;
        const outcome = await run(experiment, runId);
        const same = outcome.result.verdict === 'finding' && alike(outcome, signature);
        options.say(`${runId} ${attempt === 1 ? 'replaying' : 'shrinking'} ${experimentTitle(experiment)}: ${same ? 'fails alike' : `not alike (${outcome.result.verdict})`}`);
        if (same) last = { experiment, outcome };
        return same;
      },
      // A finding gets its replay and shrinking even past the budget: SHRINK_RUNS bounds them.
      { seed, maxRuns: SHRINK_RUNS, deadline: Infinity },
    );
    const experiment = experimentOf(op, faults, minimal, seed);
    if (!accept(experiment, reproduced)) return { runs };
    const file = path.join(options.outDir, EXPERIMENTS_DIR, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(experiment, null, 2)}\n`);
    const replay = `ijiwaru run${configFlag(options.config)} --target ${options.target} --experiment ${file} --runtime ${options.runtime} --out ${options.outDir}-${name}`;
    const shown = reproduced && last ? last.outcome.result : undefined;
    const result: ResultEntry = {
      fault: name,
      title: experimentTitle(experiment),
      viewpoints: [],
      replay,
      ...(shown
        ? { ...shown, summary: `${shown.summary}; shrunk in ${runs - 1} run(s) to ${experiment.faults.length} fault(s) and ${experiment.workload.length} operation(s)` }
        : { verdict: 'inconclusive', detectedAfterMs: null, summary: `failed once but not when run again (${signature}); the experiment as first run is kept`, evidence: [] }),
      // The run that shows it: the smallest that failed again, else the first.
      evidence: [...(shown ?? original.result).evidence, path.relative(options.outDir, file)],
    };
    return { runs, kept: { faults: experiment.faults.length, result } };
  }

  const results = findings.map((finding) => finding.result);
  const coverage = coverageOf(space, verdicts);
  if (!results.some((result) => result.verdict === 'finding')) {
    const stopped = options.signal?.aborted;
    results.push({
      fault: 'EXPLORE',
      title: 'every checker over the experiments run',
      viewpoints: [],
      replay: `ijiwaru explore${configFlag(options.config)} --target ${options.target} --seed ${options.seed} --budget ${Math.round(options.budgetMs / 1000)}s --out ${options.outDir}-again`,
      verdict: stopped ? 'interrupted' : experiments === 0 ? 'inconclusive' : 'pass',
      detectedAfterMs: null,
      summary: stopped
        ? `interrupted after ${experiments} experiment(s): ${reason(options.signal!)}`
        : `${experiments} experiment(s) over ${coverage.coverage.covered} of ${coverage.coverage.cells} cells of the space; no checker failed`,
      evidence: [],
    });
  }
  const report: Report = {
    schema: REPORT_SCHEMA,
    target: { name: target.definition.name, variant: target.variant, parameters: view.parameters, ...(view.defaults && { defaults: view.defaults }) },
    runtime: options.runtime,
    seed: options.seed,
    timeScale: EXPERIMENT_TIME_SCALE,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results,
    summary: summarize(results),
    explore: { budgetMs: options.budgetMs, experiments, shrinkRuns, checkersFailed, ...coverage },
  };
  writeReport(options.outDir, report);
  return report;
}

function record(verdicts: CellVerdicts, cell: Cell, verdict: ResultEntry['verdict']): void {
  const key = cellKey(cell);
  const before = verdicts.get(key);
  // The worst a cell showed stays: a finding over an error over a pass over the rest.
  const rank = (value: ResultEntry['verdict'] | undefined) => (value === undefined ? -1 : ['interrupted', 'inconclusive', 'pass', 'error', 'finding'].indexOf(value));
  if (rank(verdict) > rank(before)) verdicts.set(key, verdict);
}

function failuresOf(outcome: RunFaultOutcome): CheckerFailure[] {
  const details = outcome.judged?.judgement.details as { failures?: CheckerFailure[] } | undefined;
  return details?.failures ?? [];
}

const catalogMatchOf = (outcome: RunFaultOutcome): string[] | undefined =>
  (outcome.judged?.judgement.details as { matches?: string | null } | undefined)?.matches?.split(',');

/** The checkers that failed, sorted. */
function checkersOf(outcome: RunFaultOutcome): string {
  const details = outcome.judged?.judgement.details as { checkers?: string[] } | undefined;
  return [...(details?.checkers ?? [])].sort().join('+');
}

/**
 * What defects a finding shows: each catalog fault it matches; else its checkers and the faults
 * placed, so that two defects nobody wrote down stay two.
 */
function signaturesOf(outcome: RunFaultOutcome, experiment: Experiment): string[] {
  return catalogMatchOf(outcome) ?? [`${checkersOf(outcome)} after ${experiment.faults.map((placed) => describeFault(placed.fault)).join(' + ')}`];
}

/** Whether a replay shows the defect `signature` names: the same catalog fault, or the same checkers failing and none matched. */
function alike(outcome: RunFaultOutcome, signature: string): boolean {
  const matches = catalogMatchOf(outcome);
  return matches ? matches.includes(signature) : signature.startsWith(`${checkersOf(outcome)} after `);
}

/**
 * What an experiment showed, as comparable words: the error classes of the work that failed
 * (operation, status or outcome, code), component states other than running, log events, checkers
 * failed. What went right is no behaviour to expand on.
 */
function behaviourOf(history: Recorded, failures: readonly CheckerFailure[]): string[] {
  const words = new Set<string>();
  for (const operation of history.requests.filter(failed)) words.add(`${operation.op} ${operation.status ?? operation.outcome}${operation.code ? ` ${operation.code}` : ''}`);
  for (const query of history.queries) {
    if (query.query === 'status' && query.result !== undefined) {
      const { state, exitCode } = query.result as { state: string; exitCode: number | null };
      if (state !== 'running') words.add(`${query.target} ${state} ${exitCode ?? ''}`);
    }
    if (query.query === 'logs') for (const event of Object.keys(logEventsOf(history, query.target))) words.add(`${query.target} logged ${event}`);
  }
  for (const failure of failures) words.add(`${failure.checker} ${failure.kind}`);
  return [...words];
}

/**
 * Breadth first, in a seeded order: every way to fail (a link mode, a component action) once, on
 * a link or component drawn from the seed; then every other fault of the space once; then the
 * remaining cells. Each first try lands on an operation drawn from the seed. A budget too short for
 * every cell still tries every way to fail, and then every fault.
 */
function searchOrder(space: Space, rng: Rng): Cell[] {
  const wayOf = (fault: Cell['fault']) => (fault.kind === 'link' ? fault.mode : fault.action);
  const ways = shuffled([...new Set(space.faults.map(wayOf))], rng).map((way) => rng.pick(space.faults.filter((fault) => wayOf(fault) === way)));
  const faults = [...ways, ...shuffled(space.faults.filter((fault) => !ways.includes(fault)), rng)];
  const firsts = faults.map((fault) => ({ fault, op: rng.pick(space.ops) }));
  const rest = shuffled(
    cellsOf(space).filter((cell) => !firsts.some((first) => first.fault === cell.fault && first.op === cell.op)),
    rng,
  );
  return [...firsts, ...rest];
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = rng.int(0, index);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
