import type { Operation, Rng } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
import { cardRecord, type Terminal } from './terminal.ts';

/**
 * Steady mixed work for `sendLoops`: the first `cardLoops` loops pre-issue a card and issue it
 * (search where the pre-issue failed), over and over; the others search and move in turn, short
 * requests that keep a fault window measured while the pre-issues take their seconds. Every
 * request has the role `load`.
 */
export function mixedWork(terminal: Terminal, rng: Rng, cardLoops: number): (loop: number, seq: number) => Promise<Operation> {
  const cards = new Map<number, string>();
  return async (loop, seq) => {
    if (loop >= cardLoops) {
      return (await (seq % 2 === 0 ? terminal.search('load') : terminal.move('load', `R${rng.int(1000, 9999)}`, `${loop}-${seq} Chiyoda`))).operation;
    }
    if (seq % 2 === 0) {
      const { operation } = await terminal.preIssue('load');
      if (operation.outcome === 'ok') cards.set(loop, operation.data?.['cardId'] as string);
      else cards.delete(loop);
      return operation;
    }
    const card = cards.get(loop);
    return (await (card ? terminal.issue('load', card) : terminal.search('load'))).operation;
  };
}

/** Every card the history tried to pre-issue, read back at every card server by `readers` at once. */
export async function readBackCards(context: FaultContext, readers: number): Promise<void> {
  const { topology, view, history, signal } = context;
  const cardIds = [...new Set(history.recorded.requests.filter((operation) => operation.op === 'pre-issue').map((operation) => operation.data?.['cardId'] as string))];
  history.note('read-back', { cards: cardIds.length, cardServers: view.cardServers });
  const client = context.client('oracle');
  const queue = view.cardServers.flatMap((cardServer) => cardIds.map((cardId) => ({ cardServer, cardId })));
  await Promise.all(
    Array.from({ length: readers }, async () => {
      for (let next = queue.shift(); next && !signal.aborted; next = queue.shift()) {
        const { cardServer, cardId } = next;
        await cardRecord(client, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), cardId, signal);
      }
    }),
  );
}
