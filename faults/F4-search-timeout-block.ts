import { catalogEntry } from './catalog.ts';
import { pause, Terminal, TERMINAL_TIMEOUTS } from './cs-workload.ts';
import { judgeCsBlock } from './oracles/cs-block.ts';
import type { Fault, FaultContext, FaultResult } from './types.ts';

/**
 * F4: latency on the search path past the CS's search timeout, while pre-issue work of the same
 * CS is in flight. The same blast-radius oracle as F3.
 */
const fault: Fault = {
  id: 'F4',
  ...catalogEntry('F4'),
  topology: { municipalities: 1, relays: 1, cardServers: 1 },
  limitMs: 60_000,
  async run(context: FaultContext): Promise<FaultResult> {
    const { topology, view, rng } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F4 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng);
    const innocents = Array.from({ length: 3 }, () => terminal.preIssue('innocent'));
    await pause(rng.int(20, 60));
    // Slower than the search timeout by a seeded margin, faster than any other timeout of the path.
    const extra = Math.round(view.timing.csSearchTimeoutMs * (1.3 + rng.next() * 0.4));
    const latency = await topology.link(relay.cardServerLink).latency({ latency: extra });
    await terminal.search('trigger');
    await latency.remove();
    await Promise.all(innocents);
    await terminal.probe(view.timing.csBlockMs * 1.5, Math.max(10, view.timing.csBlockMs / 20), context.signal);
    const operations = context.history.operations;
    const verdict = judgeCsBlock(operations, { code: 'timeout', description: 'search timeout' });
    const evidence = context.evidence('observations.json', JSON.stringify({ verdict, addedLatencyMs: extra }, null, 2));
    return { verdict: verdict.verdict, detectedAfterMs: verdict.detectedAfterMs, summary: verdict.summary, evidence: [evidence] };
  },
};

export default fault;
