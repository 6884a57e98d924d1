import type { Operation, Recorded } from '../../harness/fault-api.ts';
import type { Read, Write } from './checkers/durability.ts';
import type { Pair } from './checkers/reconciliation.ts';

/**
 * What the contract's queries last said of each card: its chip (`GET /ic/:cardId` at the CS) and
 * its record (`GET /cards/:cardId` at a card server). Pure readers of a history, for the judges
 * that compare the two.
 */
export interface CardRead {
  cardId: string;
  /** The chip's or the record's state; `absent` for a 404, `unknown` for no readable answer. */
  state: string;
  digest: string | undefined;
  atMs: number;
  request: number;
}

function lastReads(history: Recorded, op: string, field: string, digestField: string, target?: string): Map<string, CardRead> {
  const reads = new Map<string, CardRead>();
  for (const operation of history.requests) {
    if (operation.op !== op || (target !== undefined && operation.target !== target)) continue;
    const cardId = operation.data?.['cardId'];
    if (typeof cardId !== 'string') continue;
    reads.set(cardId, { cardId, state: stateOf(operation, field), digest: operation.body?.[digestField] as string | undefined, atMs: operation.endMs, request: operation.id });
  }
  return reads;
}

function stateOf(operation: Operation, field: string): string {
  if (operation.status === 404) return 'absent';
  const value = operation.outcome === 'ok' ? operation.body?.[field] : undefined;
  return typeof value === 'string' ? value : 'unknown';
}

/** The last chip state read of each card. */
export const chipReads = (history: Recorded): Map<string, CardRead> => lastReads(history, 'query-ic', 'state', 'digest');

/** The last record read of each card (at one card server, or at any). */
export const recordReads = (history: Recorded, cardServer?: string): Map<string, CardRead> => lastReads(history, 'query-card', 'status', 'icDigest', cardServer);

/**
 * The card writes of `operations` that must last, for the durability checker: a pre-issue makes
 * the record (key: the card), an issue or the completion of one makes it `issued` (key: "card
 * issued"); with the request that acknowledged each.
 */
export function cardWrites(operations: readonly Operation[]): { writes: Write[]; acknowledgedBy: Map<string, Operation> } {
  const writes: Write[] = [];
  const acknowledgedBy = new Map<string, Operation>();
  for (const operation of operations) {
    const cardId = operation.data?.['cardId'];
    if (typeof cardId !== 'string' || !['pre-issue', 'issue', 'issue-complete'].includes(operation.op)) continue;
    const key = operation.op === 'pre-issue' ? cardId : `${cardId} issued`;
    writes.push({ key, acknowledged: operation.outcome === 'ok', atMs: operation.endMs });
    if (operation.outcome === 'ok') acknowledgedBy.set(key, operation);
  }
  return { writes, acknowledgedBy };
}

/** The record reads as the durability checker reads `cardWrites`' keys; an unreadable answer reads nothing. */
export function cardReadsOf(records: ReadonlyMap<string, CardRead>): Read[] {
  return [...records.values()].flatMap((read) =>
    read.state === 'unknown'
      ? []
      : [
          { key: read.cardId, present: read.state !== 'absent', atMs: read.atMs },
          { key: `${read.cardId} issued`, present: read.state === 'issued', atMs: read.atMs },
        ],
  );
}

/** The cards two card servers both answered readably, paired for `reconcile`. */
export function recordPairs(left: ReadonlyMap<string, CardRead>, right: ReadonlyMap<string, CardRead>): Array<Pair<CardRead, CardRead>> {
  return [...left.values()].flatMap((read) => {
    const other = right.get(read.cardId);
    return other && read.state !== 'unknown' && other.state !== 'unknown' ? [{ key: read.cardId, left: read, right: other }] : [];
  });
}
