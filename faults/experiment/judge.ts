import type { Judgement, Operation, Recorded, SystemView } from '../../harness/fault-api.ts';
import { chipReads, recordReads } from '../kit/cards.ts';
import { crashes } from '../kit/checkers/no-crash.ts';
import { reconcile } from '../kit/checkers/reconciliation.ts';
import { failed, roleOf } from '../kit/evidence.ts';
import { catalogMatch } from './catalog-match.ts';
import { NOTES } from './run.ts';
import type { FaultSpec, PlacedFault } from './types.ts';

/** The generic checkers of an experiment, each a pure function of its history. */
export const CHECKERS = ['no-crash', 'card-integrity', 'liveness', 'blast-radius', 'explicit-errors'] as const;
export type Checker = (typeof CHECKERS)[number];

export interface CheckerFailure {
  checker: Checker;
  /** What went wrong, as the history shows it. */
  what: string;
  /** The kind of harm within the checker, for matching the catalog (a broken chip, a disagreement). */
  kind: string;
  atMs: number;
}

/** Probes after the heal that may fail before the system is taken to refuse work (a stray failure is not a block). */
const MIN_FAILED_PROBES = 2;
const OUTCOMES_OF_A_HANG = new Set(['timeout-headers', 'timeout-body']);
const OUTCOMES_OF_A_DROP = new Set(['reset', 'closed']);

/** A fault at the terminal's own link, or on the CS itself, may take the terminal's connection with it. */
const touchesTheTerminal = (fault: FaultSpec, terminalLink: string, cs: string) => (fault.kind === 'link' ? fault.link === terminalLink : fault.component === cs);

/**
 * The verdict of an experiment from its history alone: a finding when any generic checker fails
 * (no component exited unasked; every card's chip sound and agreeing with its record; work served
 * once the fault is healed; no step failed but the ones a fault touched; every failure answered,
 * in time, as an answer and not a dropped connection), and the catalog fault it matches, if any.
 */
export function judgeExperiment(history: Recorded, view: Pick<SystemView, 'municipalities' | 'timing'>): Judgement {
  const applied = history.notes.filter((note) => note.name === NOTES.applied);
  const faults = applied.map((note) => note.data as unknown as PlacedFault & { step: number });
  const failures = checkAll(history, faults, view.municipalities[0] ?? { cs: '', terminalLink: '' });
  const work = history.requests.filter((operation) => roleOf(operation) === 'work');
  if (failures.length === 0) {
    const probes = history.requests.filter(isProbe);
    if (work.length === 0 || probes.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the experiment did not get to ${work.length === 0 ? 'its workload' : 'its probes'}` };
    const hit = work.filter(failed).length;
    return { verdict: 'pass', detectedAfterMs: null, summary: `every checker held: ${applied.length} fault(s) applied, ${hit} of ${work.length} step(s) failed under them, ${probes.length} probes served after the heal`, details: { checkers: [] } };
  }
  const first = [...failures].sort((a, b) => a.atMs - b.atMs)[0]!;
  const searchOutlastedItsTimeout = work.some((operation) => operation.op === 'search' && failed(operation) && operation.endMs - operation.startMs >= view.timing.csSearchTimeoutMs);
  const matches = catalogMatch(
    failures,
    faults.map((fault) => fault.fault),
    { searchOutlastedItsTimeout },
  );
  return {
    verdict: 'finding',
    detectedAfterMs: Math.round(first.atMs),
    summary: `${failures.map((failure) => `${failure.checker}: ${failure.what}`).join('; ')}${matches ? ` (matches ${matches})` : ' (not in the catalog)'}`,
    details: { checkers: [...new Set(failures.map((failure) => failure.checker))], failures, matches: matches ?? null },
  };
}

const isProbe = (operation: Operation) => operation.op === 'search' && roleOf(operation) === 'probe';

function checkAll(history: Recorded, faults: ReadonlyArray<PlacedFault & { step: number }>, entry: { cs: string; terminalLink: string }): CheckerFailure[] {
  const found: CheckerFailure[] = [];
  for (const crash of crashes(history)) found.push({ checker: 'no-crash', kind: 'exit', what: `${crash.target} exited (status ${crash.exitCode ?? '?'}) unasked`, atMs: crash.atMs });

  const chips = chipReads(history);
  const records = recordReads(history);
  for (const [cardId, chip] of chips) {
    if (chip.state === 'broken') found.push({ checker: 'card-integrity', kind: 'broken-chip', what: `card ${cardId}'s chip is broken`, atMs: chip.atMs });
  }
  const pairs = [...chips].flatMap(([key, left]) => {
    const right = records.get(key);
    return right && left.state !== 'unknown' && right.state !== 'unknown' ? [{ key, left, right }] : [];
  });
  for (const { key, left, right } of reconcile(pairs, (chip, record) => (chip.state === 'issued') === (record.state === 'issued')).disagreements) {
    found.push({ checker: 'card-integrity', kind: 'disagreement', what: `card ${key}: chip ${left.state}, record ${right.state}`, atMs: Math.max(left.atMs, right.atMs) });
  }

  const probes = history.requests.filter(isProbe);
  const refused = probes.filter(failed);
  if (refused.length >= MIN_FAILED_PROBES) found.push({ checker: 'liveness', kind: 'refused', what: `${refused.length} of ${probes.length} probes failed once the fault was healed`, atMs: refused[MIN_FAILED_PROBES - 1]!.endMs });

  const touched = new Set(faults.map((fault) => fault.step));
  const stepOf = stepNumbers(history);
  const collateral = history.requests.filter((operation) => roleOf(operation) === 'work' && failed(operation) && !touched.has(stepOf.get(operation.id) ?? -1));
  if (collateral[0]) found.push({ checker: 'blast-radius', kind: 'collateral', what: `${collateral.length} step(s) no fault touched failed (${describe(collateral[0])})`, atMs: collateral[0].endMs });

  // A fault on the terminal's own link or its CS may leave the terminal unanswered while it lasts.
  const healedAtMs = Math.max(0, ...history.notes.filter((note) => note.name === NOTES.healed).map((note) => note.atMs));
  const excused = (operation: Operation) => faults.some((fault) => touchesTheTerminal(fault.fault, entry.terminalLink, entry.cs)) && operation.startMs <= healedAtMs;
  const answeredBadly = history.requests.filter(
    (operation) => ['work', 'recovery', 'probe'].includes(roleOf(operation) ?? '') && (OUTCOMES_OF_A_HANG.has(operation.outcome) || OUTCOMES_OF_A_DROP.has(operation.outcome)) && !excused(operation),
  );
  const [unanswered] = answeredBadly;
  if (unanswered) {
    const kind = OUTCOMES_OF_A_HANG.has(unanswered.outcome) ? 'hang' : 'dropped';
    found.push({ checker: 'explicit-errors', kind, what: `${answeredBadly.length} request(s) ${kind === 'hang' ? 'got no answer in time' : 'lost their connection unanswered'} (${describe(unanswered)})`, atMs: unanswered.endMs });
  }
  return found;
}

/** Each workload request's step: the terminal's work requests in the order they were sent. */
function stepNumbers(history: Recorded): Map<number, number> {
  const work = history.requests.filter((operation) => roleOf(operation) === 'work').sort((a, b) => a.startMs - b.startMs);
  return new Map(work.map((operation, index) => [operation.id, index]));
}

function describe(operation: Operation): string {
  return `#${operation.id} ${operation.op} ${operation.status ?? operation.outcome}${operation.code ? ` ${operation.code}` : ''}`;
}

