import fc from 'fast-check';
import type { Judgement, Operation, Recorded } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { ADDRESS_CLASSES, addressOf, codePoints, violation, type Violation } from './kit/addresses.ts';
import { failed, requestSummary } from './kit/evidence.ts';
import { cardRecord, Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/** Generated addresses per class before shrinking; a failing class then shrinks to its smallest. */
const RUNS_PER_CLASS = 6;
/** A class's search and shrinking together stop after this long (real time). */
const CLASS_LIMIT_MS = 2_500;

interface Attempt {
  change: Operation;
  readBack: Operation | undefined;
  className: string;
  real: boolean;
  broke: Violation | undefined;
}

/** Each certificate change with the record read back after it, as the run paired them. */
function attempts(history: Recorded): Attempt[] {
  const changes = history.requests.filter((request) => request.op === 'certificate-change' && typeof request.data?.['addressClass'] === 'string');
  const reads = history.requests.filter((request) => request.op === 'query-card');
  return changes.map((change) => {
    const after = reads.filter((read) => read.data?.['cardId'] === change.data?.['cardId'] && read.startMs >= change.endMs);
    const readBack = after.reduce<Operation | undefined>((first, read) => (first === undefined || read.startMs < first.startMs ? read : first), undefined);
    const className = String(change.data?.['addressClass']);
    const real = ADDRESS_CLASSES.find((addressClass) => addressClass.name === className)?.real ?? true;
    return { change, readBack, className, real, broke: violation(change, readBack, real) };
  });
}

/**
 * F10: property-based certificate changes after a move. For each class of characters (CONTRACT.md
 * 2.1 and beyond), fast-check, seeded from the run's seed, generates old and new addresses; each
 * is a certificate change on one pre-issued card, then its record read back. The property: the
 * change succeeds with the new address kept exactly, or is refused; a refusal of characters a
 * resident's address really holds, a 5xx, a crash or a mangled record breaks it, and fast-check
 * shrinks the address that broke it to the smallest that still does.
 */
const fault: Fault = {
  id: 'F10',
  ...catalogEntry('F10'),
  topology: { municipalities: 1, relays: 1, cardServers: 1, parameters: { CS_REQUEST_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' } },
  limitMs: 50_000,
  async run(context) {
    const { topology, view, rng, signal } = context;
    const [municipality] = view.municipalities;
    const [cardServer] = view.cardServers;
    if (!municipality || !cardServer) throw new Error('F10 needs a CS and a card server');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const oracle = context.client('oracle');
    const cardId = `f10-${rng.int(0, 0xffffff).toString(16)}`;
    const issued = await terminal.preIssue('work', cardId);
    if (issued.operation.outcome !== 'ok') return;
    for (const addressClass of ADDRESS_CLASSES) {
      if (signal.aborted) break;
      const property = fc.asyncProperty(addressOf(addressClass), addressOf(addressClass), async (oldAddress, newAddress) => {
        if (signal.aborted) return true;
        const change = await terminal.certificateChange('trigger', cardId, oldAddress, newAddress, { addressClass: addressClass.name });
        const readBack = await cardRecord(oracle, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), cardId, signal);
        return violation(change.operation, readBack.operation, addressClass.real) === undefined;
      });
      await fc.check(property, { seed: rng.int(0, 0x7fffffff), numRuns: RUNS_PER_CLASS, interruptAfterTimeLimit: CLASS_LIMIT_MS, markInterruptAsFailure: false });
    }
  },
  judge,
};

/** Per class: how many changes, how many broke the property, and the smallest address that did (the shrunk one). */
function byClass(all: readonly Attempt[]) {
  const names = [...new Set(all.map((attempt) => attempt.className))];
  return names.map((className) => {
    const mine = all.filter((attempt) => attempt.className === className);
    const broken = mine.filter((attempt) => attempt.broke !== undefined);
    const size = (attempt: Attempt) => [...String(attempt.change.data?.['oldAddress'])].length + [...String(attempt.change.data?.['newAddress'])].length;
    // The shrink's last failure is its smallest; ties go to the later attempt.
    const minimal = broken.reduce<Attempt | undefined>((best, attempt) => (best === undefined || size(attempt) <= size(best) ? attempt : best), undefined);
    return { className, real: mine[0]?.real ?? true, changes: mine.length, broken, minimal };
  });
}

/**
 * Every class whose property broke is named with its shrunk example; the target's words never
 * decide: a refusal is any 4xx, a server error any 5xx or no answer, a mangled record any
 * difference read back.
 */
export function judge(history: Recorded): Judgement {
  const all = attempts(history);
  const classes = byClass(all);
  const failing = classes.filter((entry) => entry.minimal !== undefined);
  const failingClasses = failing.map(({ className, real, changes, broken, minimal }) => ({
    class: className,
    real,
    broke: `${broken.length} of ${changes}`,
    how: minimal?.broke,
    minimalOld: codePoints(String(minimal?.change.data?.['oldAddress'])),
    minimalNew: codePoints(String(minimal?.change.data?.['newAddress'])),
    answer: minimal?.change.status ?? minimal?.change.outcome,
    code: minimal?.change.code,
    change: minimal ? requestSummary(minimal.change) : null,
  }));
  const unverified = all.filter((attempt) => attempt.change.outcome === 'ok' && attempt.readBack?.outcome !== 'ok').length;
  const details = { failingClasses, classes: classes.map(({ className, real, changes, broken }) => ({ class: className, real, changes, broken: broken.length })), unverified };
  if (failing.length > 0) {
    const first = Math.min(...failing.flatMap((entry) => entry.broken.map((attempt) => attempt.readBack?.endMs ?? attempt.change.endMs)));
    const named = failingClasses.map((entry) => `${entry.class} (${entry.how}, answered ${entry.answer}${entry.code ? ` ${entry.code}` : ''}; smallest: ${entry.minimalOld} → ${entry.minimalNew})`);
    return { verdict: 'finding', detectedAfterMs: Math.round(first), summary: `${failing.length} of ${classes.length} address classes broke the certificate change: ${named.join('; ')}`, details };
  }
  const issued = history.requests.find((request) => request.op === 'pre-issue');
  if (!issued || failed(issued)) return { verdict: 'inconclusive', detectedAfterMs: null, summary: 'the card for the certificate changes was never pre-issued, so no address was tried', details };
  if (classes.length < ADDRESS_CLASSES.length) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `only ${classes.length} of ${ADDRESS_CLASSES.length} address classes were tried`, details };
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${all.length} certificate changes over ${classes.length} address classes: every real address kept exactly, anything else refused or kept, no 5xx${unverified > 0 ? ` (${unverified} not read back)` : ''}`,
    details,
  };
}

export default fault;
