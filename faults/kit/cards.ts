import type { Operation, Recorded } from '../../harness/fault-api.ts';

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
