import { catalogEntry } from './catalog.ts';
import { pause, Terminal, TERMINAL_TIMEOUTS } from './cs-workload.ts';
import { judgeCsBlock } from './oracles/cs-block.ts';
import type { Fault, FaultContext, FaultResult } from './types.ts';

/**
 * Connections the CS may hold to the centre, and terminals pushing searches through it: more
 * than the largest relay cap of 2016 (94), so that this one CS overflows the relay by itself. In
 * 2016 the sum over municipalities did it; making the CS under test the one that meets the cap is
 * what makes the trigger land there on every seed.
 */
const POOL = 128;
const PUSHERS = 110;
/** The card server answering slowly (as on 2016-02-22) keeps the relay's connections held. */
const SLOW_CARD_SERVER_MS = 300;
const INNOCENTS = 4;
const PUSH_LIMIT_MS = 15_000;

/**
 * F3: one municipality's CS pushed past the relay's connection cap while pre-issue work of the
 * same CS is in flight; the blast radius at that CS is what is judged.
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
  async run(context: FaultContext): Promise<FaultResult> {
    const { topology, view, rng } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F3 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng);
    const slow = await topology.link(relay.cardServerLink).latency({ latency: SLOW_CARD_SERVER_MS });
    const innocents = Array.from({ length: INNOCENTS }, () => terminal.preIssue('innocent'));
    // The push starts while the pre-issues are in their IC phase; the offset comes from the seed.
    await pause(rng.int(20, 60));
    // Pushing stops as soon as the CS has answered the overflow in either way (the overflow
    // passed on, or the block), so that what follows shows the CS's own reaction.
    let reacted = false;
    // Long enough for a busy machine to get every pusher in flight; the first reaction ends it.
    const pushUntil = performance.now() + Math.max(view.timing.csBlockMs * 1.5, PUSH_LIMIT_MS);
    const push = async () => {
      while (!reacted && performance.now() < pushUntil && !context.signal.aborted) {
        const { operation } = await terminal.search('trigger');
        if (operation.code === 'overflow' || operation.code === 'blocked') reacted = true;
      }
    };
    await Promise.all(Array.from({ length: PUSHERS }, push));
    await slow.remove();
    await Promise.all([...innocents, terminal.probe(view.timing.csBlockMs * 1.5, Math.max(10, view.timing.csBlockMs / 20), context.signal)]);
    const operations = context.history.operations;
    const verdict = judgeCsBlock(operations, { code: 'overflow', description: 'connection overflow' });
    const evidence = context.evidence(
      'observations.json',
      JSON.stringify({ verdict, overflows: operations.filter((o) => o.code === 'overflow').length, operations: operations.length }, null, 2),
    );
    return { verdict: verdict.verdict, detectedAfterMs: verdict.detectedAfterMs, summary: verdict.summary, evidence: [evidence] };
  },
};

export default fault;
