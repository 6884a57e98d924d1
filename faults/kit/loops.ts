import type { Operation } from '../../harness/fault-api.ts';
import { wait } from './wait.ts';

/** Outcomes that come back at once from a dead or refusing peer: a loop backs off instead of spinning. */
const INSTANT = new Set(['refused', 'reset', 'closed', 'overflow', 'aborted']);

/**
 * `loops` concurrent senders, each sending until `signal` aborts. After an answer that came back
 * at once (refused, reset, closed), a sender backs off `backoffMs` so that a dead peer is not spun on.
 */
export async function sendLoops(loops: number, signal: AbortSignal, send: (loop: number, seq: number) => Promise<Operation>, backoffMs = 20): Promise<void> {
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      for (let seq = 0; !signal.aborted; seq++) {
        const operation = await send(loop, seq);
        if (INSTANT.has(operation.outcome)) await wait(backoffMs, signal);
      }
    }),
  );
}
