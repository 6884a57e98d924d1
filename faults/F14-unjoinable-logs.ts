import type { Judgement, Operation, Recorded, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { CORRELATION_FIELD, keptLogs, logJoin, type Trace } from './kit/checkers/log-join.ts';
import { componentsOf, failed, failureWords } from './kit/evidence.ts';
import { lookAt } from './kit/observe.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/** Searches before, during and after each failure: enough to fail several ways, few enough that every log is kept whole. */
const SEARCHES_EACH = 3;

/**
 * F14: a short run with two faults in it (the card server's link reset, then latency on it past
 * the CS's search timeout), so that requests fail at the relay and at the CS; then every
 * component's log is read. Each failed request must be traceable through the logs alone: on
 * every component that names it, a line carries it in the correlation field, and an error-stream
 * line so joined says why. In 2016 the three streams could not be related, and the relay had to
 * be changed to log more before F1 and F2 could be investigated.
 */
const fault: Fault = {
  id: 'F14',
  ...catalogEntry('F14'),
  topology: { municipalities: 1, relays: 1, cardServers: 1 },
  limitMs: 30_000,
  async run(context) {
    const { topology, view, rng, signal } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F14 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const searches = async (role: 'work' | 'trigger') => {
      for (let index = 0; index < SEARCHES_EACH && !signal.aborted; index++) await terminal.search(role);
    };
    const link = topology.link(relay.cardServerLink);
    await searches('work');
    {
      await using _reset = await link.resetPeer();
      await searches('trigger');
    }
    const { csSearchTimeoutMs, csRequestTimeoutMs, relayTimeoutMs } = view.timing;
    const extra = Math.round(Math.min(csSearchTimeoutMs * (1.3 + rng.next() * 0.4), (Math.min(csRequestTimeoutMs, relayTimeoutMs) + csSearchTimeoutMs) / 2));
    {
      await using _latency = await link.latency({ latency: extra });
      await terminal.search('trigger');
    }
    await searches('work');
    await lookAt(context, componentsOf(view));
  },
  judge,
};

function describeTrace(trace: Trace): string {
  const why = [trace.unjoined.length > 0 ? `no ${CORRELATION_FIELD} on ${trace.unjoined.join(', ')}` : '', trace.explained ? '' : 'no error line says why'].filter(Boolean);
  return `#${trace.request} ${trace.requestId} (${why.join('; ')})`;
}

/**
 * Join coverage over the history: below 100 % of the failed requests traceable is a finding. The
 * target's error words never decide; only which lines carry the request in the correlation field
 * and which of them are on the error stream.
 */
export function judge(history: Recorded, view: SystemView): Judgement {
  const logs = keptLogs(history);
  const entryOf = (request: Operation) => view.municipalities.find((municipality) => municipality.terminalLink === request.target)?.cs;
  const failures = history.requests.filter((request) => failed(request) && entryOf(request) !== undefined);
  const unread = componentsOf(view).filter((component) => !logs.some((log) => log.component === component));
  const report = logJoin(failures, logs, entryOf);
  const untraceable = report.traces.filter((trace) => trace.unjoined.length > 0 || !trace.explained);
  const coverage = `${report.traceable} of ${report.traces.length} failed request(s) traceable (${(report.coverage * 100).toFixed(0)} %)`;
  const details = { coverage: report.coverage, traceable: report.traceable, failed: report.traces.length, untraceable: untraceable.slice(0, 50), traces: report.traces.slice(0, 50), cut: report.cut, unread };
  if (unread.length > 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the logs of ${unread.join(', ')} were never read, so no request can be traced there`, details };
  if (report.traces.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `no request failed (${history.requests.length} sent), so there was nothing to trace`, details };
  if (untraceable.length > 0 && report.cut.length > 0) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `${coverage}, but the logs of ${report.cut.join(', ')} were longer than the history keeps, so the missing lines may be among those cut`, details };
  }
  const read = history.queries.filter((query) => query.query === 'logs').at(-1)?.endMs ?? null;
  const answered = failureWords(failures);
  if (untraceable.length > 0) {
    return {
      verdict: 'finding',
      detectedAfterMs: read === null ? null : Math.round(read),
      summary: `${coverage} through the logs' ${CORRELATION_FIELD} (failures answered ${answered}); untraceable: ${untraceable.slice(0, 3).map(describeTrace).join(', ')}${untraceable.length > 3 ? ` and ${untraceable.length - 3} more` : ''}`,
      details,
    };
  }
  return { verdict: 'pass', detectedAfterMs: null, summary: `${coverage}: each joins to its request on every component that logged it, with an error line saying why (failures answered ${answered})`, details };
}

export default fault;
