import { budget } from './kit/budget.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/**
 * The simplest fault, the one to copy: it injects nothing, sends a few searches through the CS
 * and judges that each was served. `run` only acts and records; `judge` only reads the history.
 */
const fault: Fault = {
  id: 'NOOP',
  title: 'No fault: the system serves a few searches',
  viewpoints: [],
  // No timer of the system may decide a no-op on a busy machine: generous timeouts, as an operator sets them.
  topology: { municipalities: 1, relays: 1, cardServers: 1, parameters: { CS_SEARCH_TIMEOUT_MS: '600000', CS_REQUEST_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' } },
  limitMs: 20_000,
  async run(context) {
    const [municipality] = context.view.municipalities;
    if (!municipality) throw new Error('NOOP needs a CS');
    using window = budget(context, 10_000, { stopAtFinding: false });
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => context.topology.entry(municipality.terminalLink), context.rng, window.signal);
    for (let index = 0; index < 3 && !window.signal.aborted; index++) await terminal.search('work');
  },
  judge(history) {
    const searches = history.requests.filter((operation) => operation.op === 'search');
    const failed = searches.filter((operation) => operation.outcome !== 'ok');
    if (searches.length < 3) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `only ${searches.length} of 3 searches were sent` };
    if (failed[0]) return { verdict: 'finding', detectedAfterMs: Math.round(failed[0].endMs), summary: `${failed.length} of ${searches.length} searches failed with no fault injected` };
    return { verdict: 'pass', detectedAfterMs: null, summary: `${searches.length} searches served with no fault injected` };
  },
};

export default fault;
