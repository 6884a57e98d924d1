import type { HarnessClient } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
import { sendLoops } from './loops.ts';
import { relayMessage } from './terminal.ts';

/**
 * HSM work straight to each relay: `loops` senders per relay of control `ic-exchange` messages
 * (one HSM operation each) until `signal` aborts. Shared by F1 and the continuous suite, whose F1
 * judge reads what happened to this work.
 */
export function hsmWork(context: FaultContext, client: HarnessClient, loops: number, signal: AbortSignal, prefix: string): Promise<void[]> {
  const { topology, view } = context;
  return Promise.all(
    view.relays.map(({ name: relay }) =>
      sendLoops(loops, signal, async (loop, seq) => {
        const endpoint = () => topology.component(relay).endpoint(view.ports.relay);
        const payload = { cardId: `${prefix}-${relay}-${loop}`, exchange: seq };
        const message = { requestId: `${prefix}-${relay}-${loop}-${seq}`, kind: 'control' as const, op: 'ic-exchange', payload, data: { role: 'work', loop } };
        return (await relayMessage(client, relay, endpoint, message, signal)).operation;
      }),
    ),
  );
}
