import type { Judgement, Operation, Recorded, SystemView } from '../../harness/fault-api.ts';
import { misreports, readBack, type BatchReading } from '../kit/batch.ts';
import { cardReadsOf, cardWrites, chipReads, recordReads } from '../kit/cards.ts';
import { durability } from '../kit/checkers/durability.ts';
import { uniqueness } from '../kit/checkers/uniqueness.ts';
import { crashes } from '../kit/checkers/no-crash.ts';
import { reconcile } from '../kit/checkers/reconciliation.ts';
import { failed, roleOf } from '../kit/evidence.ts';
import { moveInClaims, personListings } from '../kit/persons.ts';
import { batchesOf, batchServed, type BatchNote } from './batch-step.ts';
import { catalogMatch } from './catalog-match.ts';
import { NOTES } from './run.ts';
import type { FaultSpec, PlacedFault } from './types.ts';

/** The generic checkers of an experiment, each a pure function of its history. */
export const CHECKERS = ['no-crash', 'durability', 'uniqueness', 'card-integrity', 'batch-reconciliation', 'liveness', 'blast-radius', 'explicit-errors'] as const;
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
 * (no component exited unasked; every card write acknowledged still in its record; one person
 * a code, and every acknowledged move-in's person under it; every card's chip sound and agreeing
 * with its record; every batch's console agreeing with the records and notices; work served once
 * the fault is healed; no step failed but the ones a fault touched; every failure answered, in
 * time, as an answer and not a dropped connection), and the catalog fault it matches, if any.
 */
export function judgeExperiment(history: Recorded, view: Pick<SystemView, 'municipalities' | 'timing' | 'operator'>): Judgement {
  const applied = history.notes.filter((note) => note.name === NOTES.applied);
  const faults = applied.map((note) => note.data as unknown as PlacedFault & { step: number });
  const failures = checkAll(history, faults, view);
  const work = history.requests.filter((operation) => roleOf(operation) === 'work');
  const batches = batchesOf(history);
  if (failures.length === 0) {
    const probes = history.requests.filter(isProbe);
    const steps = work.length + batches.length;
    if (steps === 0 || probes.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the experiment did not get to ${steps === 0 ? 'its workload' : 'its probes'}` };
    const hit = work.filter(failed).length + batches.filter((batch) => !batchServed(history, view, batch).served).length;
    return { verdict: 'pass', detectedAfterMs: null, summary: `every checker held: ${applied.length} fault(s) applied, ${hit} of ${steps} step(s) failed under them, ${probes.length} probes served after the heal`, details: { checkers: [] } };
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

type Faults = ReadonlyArray<PlacedFault & { step: number }>;
type CheckView = Pick<SystemView, 'municipalities' | 'operator'>;
/** A batch with what its console, the card server and the notices last said of it (none: not all three were read). */
type BatchReadings = Array<{ batch: BatchNote; reading: BatchReading }>;

function checkAll(history: Recorded, faults: Faults, view: CheckView): CheckerFailure[] {
  const status = view.operator.relayBatchStatus;
  const readings = batchesOf(history).flatMap((batch) => {
    const reading = status && readBack(history, status, batch.batchId, batch.municipality);
    return reading ? [{ batch, reading }] : [];
  });
  return [
    ...noCrash(history),
    ...durable(history),
    ...unique(history),
    ...cardIntegrity(history),
    ...batchReconciliation(readings),
    ...liveness(history),
    ...blastRadius(history, faults, view),
    ...explicitErrors(history, faults, view, readings),
  ];
}

function noCrash(history: Recorded): CheckerFailure[] {
  return crashes(history).map((crash) => ({ checker: 'no-crash', kind: 'exit', what: `${crash.target} exited (status ${crash.exitCode ?? '?'}) unasked`, atMs: crash.atMs }));
}

/** Every card write the target acknowledged (a pre-issue's record, an issue) is in the record read back afterwards. */
function durable(history: Recorded): CheckerFailure[] {
  const records = recordReads(history);
  const { lost, unexpected } = durability(cardWrites(history.requests.filter((operation) => ['work', 'recovery'].includes(roleOf(operation) ?? ''))).writes, cardReadsOf(records));
  const readAt = (key: string) => records.get(key.split(' ')[0]!)?.atMs ?? 0;
  return [
    ...lost.map((key): CheckerFailure => ({ checker: 'durability', kind: 'lost', what: `acknowledged, then not in the record: ${key.includes(' ') ? key : `card ${key}`}`, atMs: readAt(key) })),
    ...unexpected.map((key): CheckerFailure => ({ checker: 'durability', kind: 'unexpected', what: `in the record though never sent: ${key}`, atMs: readAt(key) })),
  ];
}

/** No code stands for two persons, and no acknowledged move-in's person is gone from its code. */
function unique(history: Recorded): CheckerFailure[] {
  const persons = uniqueness(moveInClaims(history), personListings(history).listings);
  return [
    ...persons.duplicated.map(({ code, persons: under, listing }): CheckerFailure => ({ checker: 'uniqueness', kind: 'duplicated', what: `code ${code} stands for ${under.length} persons`, atMs: listing.atMs })),
    ...persons.overwritten.map(({ claim, listing }): CheckerFailure => ({ checker: 'uniqueness', kind: 'overwritten', what: `${claim.person.name}'s acknowledged move-in under ${claim.code} is gone`, atMs: listing.atMs })),
  ];
}

/** Every chip sound, and issued exactly when its record is. */
function cardIntegrity(history: Recorded): CheckerFailure[] {
  const chips = chipReads(history);
  const records = recordReads(history);
  const found: CheckerFailure[] = [];
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
  return found;
}

function batchReconciliation(readings: BatchReadings): CheckerFailure[] {
  return readings.flatMap(({ batch, reading }) =>
    misreports(reading).map((what): CheckerFailure => ({ checker: 'batch-reconciliation', kind: 'misreported', what: `batch ${batch.batchId}: ${what}`, atMs: reading.atMs })),
  );
}

function liveness(history: Recorded): CheckerFailure[] {
  const probes = history.requests.filter(isProbe);
  const refused = probes.filter(failed);
  return refused.length >= MIN_FAILED_PROBES
    ? [{ checker: 'liveness', kind: 'refused', what: `${refused.length} of ${probes.length} probes failed once the fault was healed`, atMs: refused[MIN_FAILED_PROBES - 1]!.endMs }]
    : [];
}

/** No step failed but the ones a fault touched: a request of the terminal's, or a batch that did not finish. */
function blastRadius(history: Recorded, faults: Faults, view: CheckView): CheckerFailure[] {
  const found: CheckerFailure[] = [];
  const batches = batchesOf(history);
  const touched = new Set(faults.map((fault) => fault.step));
  const stepOf = stepNumbers(history, new Set(batches.map((batch) => batch.step)));
  const collateral = history.requests.filter((operation) => roleOf(operation) === 'work' && failed(operation) && !touched.has(stepOf.get(operation.id) ?? -1));
  if (collateral[0]) found.push({ checker: 'blast-radius', kind: 'collateral', what: `${collateral.length} step(s) no fault touched failed (${describe(collateral[0])})`, atMs: collateral[0].endMs });
  for (const batch of batches.filter((candidate) => !touched.has(candidate.step))) {
    const { served, console, atMs } = batchServed(history, view, batch);
    if (!served) found.push({ checker: 'blast-radius', kind: 'collateral', what: `batch ${batch.batchId}, which no fault touched, ${console ? `ended "${console.status}"` : 'did not finish'}`, atMs });
  }
  return found;
}

/** Every failure answered in time, as an answer and not a dropped connection; no console left saying "running". */
function explicitErrors(history: Recorded, faults: Faults, view: CheckView, readings: BatchReadings): CheckerFailure[] {
  const found: CheckerFailure[] = [];
  const entry = view.municipalities[0] ?? { cs: '', terminalLink: '' };
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
  // A console that still says "running" once everything is healed and probed leaves its operator waiting for ever.
  const stuck = readings.find(({ reading }) => reading.console.status === 'running');
  if (stuck) found.push({ checker: 'explicit-errors', kind: 'hang', what: `batch ${stuck.batch.batchId}'s console still "running" long after the heal`, atMs: stuck.reading.console.atMs });
  return found;
}

/** Each workload request's step: the terminal's work requests in the order they were sent, one a step, the batch steps (no request of the terminal's) skipped. */
function stepNumbers(history: Recorded, batchSteps: ReadonlySet<number>): Map<number, number> {
  const work = history.requests.filter((operation) => roleOf(operation) === 'work').sort((a, b) => a.startMs - b.startMs);
  const steps = new Map<number, number>();
  let step = 0;
  for (const operation of work) {
    while (batchSteps.has(step)) step++;
    steps.set(operation.id, step++);
  }
  return steps;
}

function describe(operation: Operation): string {
  return `#${operation.id} ${operation.op} ${operation.status ?? operation.outcome}${operation.code ? ` ${operation.code}` : ''}`;
}

