import { catalogEntry } from './catalog.ts';
import { CS_BLOCK_TIME_SCALE, judgeCsBlock } from './kit/cs-block.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault } from './types.ts';

/**
 * F4: latency on the search path past the CS's search timeout, while pre-issue work of the same
 * CS is in flight; the one slow search may fail, nothing else may.
 */
const fault: Fault = {
  id: 'F4',
  ...catalogEntry('F4'),
  topology: { municipalities: 1, relays: 1, cardServers: 1 },
  limitMs: 60_000,
  timeScale: CS_BLOCK_TIME_SCALE,
  async run(context) {
    const { topology, view, rng, signal } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F4 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const innocents = Array.from({ length: 3 }, () => terminal.preIssue('innocent'));
    await wait(rng.int(20, 60), signal);
    // Slower than the search timeout by a seeded margin, and faster than every other declared
    // timeout of the path, so that only the search's own timer can fire.
    const { csSearchTimeoutMs, csRequestTimeoutMs, relayTimeoutMs } = view.timing;
    const extra = Math.round(Math.min(csSearchTimeoutMs * (1.3 + rng.next() * 0.4), (Math.min(csRequestTimeoutMs, relayTimeoutMs) + csSearchTimeoutMs) / 2));
    {
      await using _latency = await topology.link(relay.cardServerLink).latency({ latency: extra });
      await terminal.search('trigger');
    }
    await Promise.all(innocents);
    await terminal.probe(view.timing.csBlockMs * 1.5, Math.max(10, view.timing.csBlockMs / 20), signal);
  },
  judge: (history) => judgeCsBlock(history, { description: 'search timeout', harmed: ['innocent', 'probe'] }),
};

export default fault;
