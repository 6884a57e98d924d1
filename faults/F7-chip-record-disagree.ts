import type { LinkHandle, Operation, Recorded } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { chipReads, recordReads } from './kit/cards.ts';
import { reconcile } from './kit/checkers/reconciliation.ts';
import { failed, roleOf } from './kit/evidence.ts';
import { cardRecord, Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault } from './types.ts';

/**
 * How the CS→centre path fails while a card is issued: the line cut, connections reset, or the
 * answer slower than the CS waits. Every run meets each once, in a seeded order.
 */
const MODES = ['cut', 'reset', 'latency'] as const;
type Mode = (typeof MODES)[number];
/** The CS's request timeout the operator sets for the test, at time scale 1 (2 s at the fault's scale). */
const CS_REQUEST_TIMEOUT_MS = 20_000;
const TIME_SCALE = 10;

/**
 * F7: the issue step sets the chip's PINs, then registers the update at the card server through
 * the centre. The path fails at that moment (the chip is already updated when the request leaves
 * the CS), then heals; the terminal recovers as the contract lets it (`/issue/complete`, else the
 * issue again). Judged by reconciliation: a chip that says issued against a record that does not.
 */
const fault: Fault = {
  id: 'F7',
  ...catalogEntry('F7'),
  topology: {
    municipalities: 1,
    relays: 1,
    cardServers: 1,
    parameters: { CS_REQUEST_TIMEOUT_MS: String(CS_REQUEST_TIMEOUT_MS), CS_SEARCH_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' },
  },
  limitMs: 60_000,
  timeScale: TIME_SCALE,
  async run(context) {
    const { topology, view, rng, signal, history } = context;
    const [municipality] = view.municipalities;
    const [cardServer] = view.cardServers;
    if (!municipality || !cardServer) throw new Error('F7 needs a CS and a card server');
    const client = context.client('terminal-1', TERMINAL_TIMEOUTS);
    const terminal = new Terminal(client, municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const path = topology.link(municipality.csToDistributorLink);
    const offset = rng.int(0, MODES.length - 1);
    const modes = MODES.map((_, index) => MODES[(offset + index) % MODES.length] as Mode);
    const cards = await Promise.all(modes.map(() => terminal.preIssue('work')));
    for (const [index, mode] of modes.entries()) {
      const cardId = cards[index]?.operation.data?.['cardId'];
      if (signal.aborted || typeof cardId !== 'string' || failed(cards[index]!.operation)) continue;
      const latencyMs = view.timing.csRequestTimeoutMs * 2;
      history.note('fault-placed', { cardId, mode, link: municipality.csToDistributorLink, ...(mode === 'latency' && { latencyMs }) });
      const heal = await breakPath(path, mode, latencyMs);
      const issued = await terminal.issue('trigger', cardId);
      await heal();
      // What the held bytes of a slow answer do once the link is clear is the target's business;
      // it has that long to settle before the terminal recovers.
      if (mode === 'latency') await wait(latencyMs, signal);
      if (failed(issued.operation)) {
        const requestId = issued.operation.data?.['requestId'] as string;
        const completed = await terminal.issueComplete('recovery', cardId, requestId);
        if (failed(completed.operation)) await terminal.issue('recovery', cardId);
      }
      await terminal.ic(cardId);
      await cardRecord(client, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), cardId, signal);
      if (context.found()) break;
    }
  },
  judge,
};

async function breakPath(path: LinkHandle, mode: Mode, latencyMs: number): Promise<() => Promise<void>> {
  if (mode === 'cut') {
    await path.cut();
    return () => path.heal();
  }
  const toxic = mode === 'reset' ? await path.resetPeer({ timeout: 0 }, 'upstream') : await path.latency({ latency: latencyMs }, 'upstream');
  return () => toxic.remove();
}

/** A chip issued and a record not (or the reverse), once the terminal has done what it can. */
export function judge(history: Recorded) {
  const chips = chipReads(history);
  const records = recordReads(history);
  const issues = history.requests.filter((operation) => operation.op === 'issue' && roleOf(operation) === 'trigger');
  const pairs = issues.flatMap((issue) => {
    const cardId = issue.data?.['cardId'] as string;
    const chip = chips.get(cardId);
    const record = records.get(cardId);
    return chip && record ? [{ key: cardId, left: chip, right: record }] : [];
  });
  const checked = reconcile(pairs, (chip, record) => (chip.state === 'issued') === (record.state === 'issued'));
  const recoveryOf = (cardId: string) => history.requests.filter((operation) => roleOf(operation) === 'recovery' && operation.data?.['cardId'] === cardId).map(describe);
  const placements = history.notes.filter((note) => note.name === 'fault-placed').map((note) => note.data);
  const cards = checked.disagreements.map(({ key, left, right }) => ({
    cardId: key,
    chip: left.state,
    record: right.state,
    issue: describe(issues.find((operation) => operation.data?.['cardId'] === key) as Operation),
    recovery: recoveryOf(key),
    placement: placements.find((placement) => placement?.['cardId'] === key),
  }));
  const first = checked.disagreements[0];
  if (first) {
    const summary = cards.map((card) => `card ${card.cardId}: chip ${card.chip}, record ${card.record} (issue ${card.issue}; recovery ${card.recovery.join(', ') || 'none'})`).join('; ');
    return { verdict: 'finding' as const, detectedAfterMs: Math.round(Math.max(first.left.atMs, first.right.atMs)), summary: `${cards.length} of ${pairs.length} cards disagree after the path failed during their issue: ${summary}`, details: { cards } };
  }
  if (pairs.length === 0) return { verdict: 'inconclusive' as const, detectedAfterMs: null, summary: 'no card was issued under the fault and read back', details: { placements } };
  const hit = issues.filter(failed).length;
  return { verdict: 'pass' as const, detectedAfterMs: null, summary: `chip and record agree on all ${pairs.length} cards issued while the path failed (${hit} issue(s) failed at the time and were recovered)`, details: { placements } };
}

function describe(operation: Operation): string {
  return `#${operation.id} ${operation.op} ${operation.status ?? operation.outcome}${operation.code ? ` ${operation.code}` : ''}`;
}

export default fault;
