import { catalogEntry } from './catalog.ts';
import { CS_BLOCK_TIME_SCALE, judgeCsBlock } from './kit/cs-block.ts';
import { failed } from './kit/evidence.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault } from './types.ts';

/**
 * Connections the CS may hold to the centre, and terminals pushing searches through it: more than
 * the largest relay cap of 2016 (94), so that this one CS meets the relay's cap by itself (in 2016
 * the sum over municipalities did it; faults/README.md says why this CS must be the one).
 */
const POOL = 128;
const PUSHERS = 110;
/** The card server answering slowly (as on 2016-02-22) keeps the relay's connections held. */
const SLOW_CARD_SERVER_MS = 300;
const INNOCENTS = 4;
const PUSH_LIMIT_MS = 15_000;

/**
 * F3: one municipality's CS pushed past the relay's connection cap while pre-issue work of the same
 * CS is in flight. In-flight work may meet the cap itself; what is judged is whether the CS then
 * refuses the work that follows, when nothing holds the cap any more.
 */
const fault: Fault = {
  id: 'F3',
  ...catalogEntry('F3'),
  topology: {
    municipalities: 1,
    relays: 1,
    cardServers: 1,
    // Generous search and relay timeouts keep other triggers out of this test: only the overflow acts.
    parameters: { CS_POOL_SIZE: String(POOL), CS_SEARCH_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' },
  },
  limitMs: 60_000,
  timeScale: CS_BLOCK_TIME_SCALE,
  async run(context) {
    const { topology, view, rng, signal } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F3 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const slow = await topology.link(relay.cardServerLink).latency({ latency: SLOW_CARD_SERVER_MS });
    const innocents = Array.from({ length: INNOCENTS }, () => terminal.preIssue('innocent'));
    // The push starts while the pre-issues are in their IC phase; the offset comes from the seed.
    await wait(rng.int(20, 60), signal);
    // Pushing stops at the first pushed request the system turned away, whatever it answered:
    // the cap was met, and what follows shows the CS's own reaction rather than more load.
    let met = false;
    const pushUntil = performance.now() + Math.max(view.timing.csBlockMs * 1.5, PUSH_LIMIT_MS);
    const push = async () => {
      while (!met && performance.now() < pushUntil && !signal.aborted) {
        if (failed((await terminal.search('trigger')).operation)) met = true;
      }
    };
    await Promise.all(Array.from({ length: PUSHERS }, push));
    await slow.remove();
    await Promise.all([...innocents, terminal.probe(view.timing.csBlockMs * 1.5, Math.max(10, view.timing.csBlockMs / 20), signal)]);
  },
  judge: (history) => judgeCsBlock(history, { description: 'connection overflow', harmed: ['probe'] }),
};

export default fault;
