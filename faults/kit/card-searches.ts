import type { HarnessClient } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
import { sendLoops } from './loops.ts';
import { relayMessage } from './terminal.ts';

/**
 * Searches straight to each of `relays`, each reaching the card server: `loops` senders per relay,
 * with no pause between messages, until `signal` aborts; `sent` hears each message's number in its
 * loop. The card server's slots serve them in a row, which is what grows F5's thread names; F5's
 * mean test and the continuous suite judge their latency.
 */
export function cardSearches(
  context: FaultContext,
  client: HarnessClient,
  relays: readonly string[],
  options: { loops: number; prefix: string; signal: AbortSignal; sent?: (seq: number) => void },
): Promise<void[]> {
  const { topology, view } = context;
  return Promise.all(
    relays.map((relay) =>
      sendLoops(options.loops, options.signal, async (loop, seq) => {
        const endpoint = () => topology.component(relay).endpoint(view.ports.relay);
        const message = { requestId: `${options.prefix}-${relay}-${loop}-${seq}`, kind: 'business' as const, op: 'search', payload: { residentCode: `R${1000 + loop}` }, data: { role: 'load', loop } };
        const sent = (await relayMessage(client, relay, endpoint, message, options.signal)).operation;
        options.sent?.(seq);
        return sent;
      }),
    ),
  );
}
