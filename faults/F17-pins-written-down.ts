import type { Judgement, Recorded, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { CANARY_SCAN, canaryScans, pinCanaries, scanForCanaries } from './kit/canaries.ts';
import { componentsOf, failed, roleOf } from './kit/evidence.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/** Cards issued while the centre answers, and while it cannot be reached. */
const REACHABLE = 2;
const UNREACHABLE = 2;

/**
 * F17: terminals issue cards with seeded canary PINs, first while the centre answers, then while
 * the CS cannot reach it (the provisional operation of January 2016, when staff took residents'
 * PINs to enter later). Then every component's log and every file it changed (its container's
 * diff, the card server's database, the CS's chip files) is scanned for the canaries. The PINs
 * are redacted from the history as they are drawn, so the harness's own evidence never holds one.
 */
const fault: Fault = {
  id: 'F17',
  ...catalogEntry('F17'),
  topology: { municipalities: 1, relays: 1, cardServers: 1 },
  limitMs: 30_000,
  async run(context) {
    const { topology, view, rng, signal, history } = context;
    const [municipality] = view.municipalities;
    if (!municipality) throw new Error('F17 needs a CS');
    const pins = pinCanaries(rng, REACHABLE + UNREACHABLE);
    for (const pin of pins) history.redact(pin);
    history.note('canaries', { count: pins.length, reachable: REACHABLE, unreachable: UNREACHABLE });
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const cards: string[] = [];
    for (let index = 0; index < pins.length && !signal.aborted; index++) {
      const cardId = `f17-${index}-${rng.int(0, 0xffff).toString(16)}`;
      if ((await terminal.preIssue('work', cardId)).operation.outcome === 'ok') cards.push(cardId);
    }
    for (const [index, cardId] of cards.slice(0, REACHABLE).entries()) await terminal.issue('work', cardId, pins[index]);
    {
      // The centre unreachable from the CS: every registration fails after the chip has its PINs.
      await using _cut = await topology.link(municipality.csToDistributorLink).resetPeer();
      for (const [index, cardId] of cards.slice(REACHABLE).entries()) await terminal.issue('trigger', cardId, pins[REACHABLE + index]);
    }
    await scanForCanaries(topology, history, componentsOf(view), pins);
  },
  judge,
};

/** One hit anywhere is a finding, naming the component, the file and the line; only where, never what the line said. */
export function judge(history: Recorded, view: SystemView): Judgement {
  const { scanned, hits } = canaryScans(history);
  const unscanned = componentsOf(view).filter((component) => !scanned.has(component));
  const issues = history.requests.filter((request) => request.op === 'issue');
  const duringOutage = issues.filter((request) => roleOf(request) === 'trigger');
  const places = [...scanned.values()].reduce((sum, scan) => ({ lines: sum.lines + scan.logLines, files: sum.files + scan.files, bytes: sum.bytes + scan.bytes }), { lines: 0, files: 0, bytes: 0 });
  const details = { hits, scanned: [...scanned].map(([component, scan]) => ({ component, logLines: scan.logLines, files: scan.files, bytes: scan.bytes, hits: scan.hits.length })), unscanned };
  const looked = `${places.lines} log lines and ${places.files} changed files (${places.bytes} bytes) of ${scanned.size} components`;
  if (hits.length > 0) {
    const at = history.queries.filter((query) => query.query === CANARY_SCAN).at(-1)?.endMs ?? 0;
    const named = hits.slice(0, 4).map((hit) => `${hit.component} ${hit.place === 'log' ? 'log' : hit.file} line ${hit.line} (PIN #${hit.canary + 1})`);
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(at),
      summary: `${hits.length} cop${hits.length === 1 ? 'y' : 'ies'} of ${new Set(hits.map((hit) => hit.canary)).size} resident PIN(s) written down: ${named.join('; ')}${hits.length > 4 ? ` and ${hits.length - 4} more` : ''}; scanned ${looked}`,
      details,
    };
  }
  if (unscanned.length > 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `${unscanned.join(', ')} could not be scanned, so a PIN may be there`, details };
  if (duringOutage.length === 0 || issues.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: 'no card was issued with a PIN while the centre was unreachable', details };
  const failedThen = duringOutage.filter(failed).length;
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `no PIN anywhere: ${issues.length} issues with canary PINs (${duringOutage.length} while the centre was unreachable, ${failedThen} of them failed), ${looked}`,
    details,
  };
}

export default fault;
