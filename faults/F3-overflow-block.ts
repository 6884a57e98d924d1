import { pause, Terminal, TERMINAL_TIMEOUTS } from './cs-workload.ts';
import { judgeCsBlock } from './oracles/cs-block.ts';
import type { Fault, FaultContext, FaultResult } from './types.ts';

const MUNICIPALITIES = 4;
/** Each CS may hold this many connections to the centre: 4 × 32 past any relay cap of 2016. */
const POOL = 32;
/** The card server answering slowly (as on 2016-02-22) keeps the relay's connections held. */
const SLOW_CARD_SERVER_MS = 300;
/** Terminals pushing per CS: 4 × 28 = 112 messages held at once, past the largest cap (94). */
const PUSHERS = 28;

/**
 * F3: many municipalities at once push the centre past its connection cap while one CS has
 * pre-issue work in flight; the blast radius at that CS is what is judged.
 */
const fault: Fault = {
  id: 'F3',
  title: 'Connection overflow and the CS one-minute block',
  viewpoints: ['2', '5', '6', 'N1'],
  topology: {
    municipalities: MUNICIPALITIES,
    relays: 1,
    cardServers: 1,
    // Generous search and relay timeouts keep other triggers out of this test: only the overflow acts.
    parameters: { CS_POOL_SIZE: String(POOL), CS_SEARCH_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' },
  },
  limitMs: 60_000,
  async run(context: FaultContext): Promise<FaultResult> {
    const { topology, view, rng } = context;
    const terminals = view.municipalities.map(
      (municipality, index) =>
        new Terminal(context.client(`terminal-${index + 1}`, TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng.fork(municipality.cs)),
    );
    const [watched] = terminals as [Terminal];
    const [relay] = view.relays;
    if (!relay) throw new Error('F3 needs a relay');
    const slow = await topology.link(relay.cardServerLink).latency({ latency: SLOW_CARD_SERVER_MS });
    const innocents = Array.from({ length: 4 }, () => watched.preIssue('innocent'));
    // The push starts while the pre-issues are in their IC phase; the offset comes from the seed.
    await pause(rng.int(20, 60));
    const pushUntil = performance.now() + view.timing.csBlockMs * 1.5;
    const push = async (terminal: Terminal) => {
      while (performance.now() < pushUntil && !context.signal.aborted) {
        const { operation } = await terminal.search('trigger');
        if (operation.outcome !== 'ok') await pause(10);
      }
    };
    await Promise.all([...innocents, ...terminals.flatMap((terminal) => Array.from({ length: PUSHERS }, () => push(terminal)))]);
    await slow.remove();
    await watched.probe(view.timing.csBlockMs * 1.5, Math.max(10, view.timing.csBlockMs / 20), context.signal);
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
