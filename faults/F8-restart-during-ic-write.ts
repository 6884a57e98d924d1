import type { Injection, Recorded } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { chipReads } from './kit/cards.ts';
import { PRE_ISSUE_EXCHANGES, reachStep, stepOfExchange } from './kit/chip-write.ts';
import { seededSweep } from './kit/sweep.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/** Four placements: the CS restarted and the relay killed, twice each, at swept exchanges. */
const PLACEMENTS = 4;
const ACTIONS = ['restart-cs', 'kill-relay'] as const;
type Action = (typeof ACTIONS)[number];
/** At this scale a local step lasts some 14 ms of a 2 s write: a placement lands within a step or two. */
const TIME_SCALE = 5;

/**
 * F8: operators restarted servers at once after every failure. A pre-issue setting is started,
 * and while the chip is being written the CS is restarted (or the relay killed and started again)
 * at a swept exchange; after recovery the chip is read through `GET /ic/:cardId`. A broken chip
 * is a finding: the card can only be reissued.
 */
const fault: Fault = {
  id: 'F8',
  ...catalogEntry('F8'),
  topology: { municipalities: 1, relays: 1, cardServers: 1, parameters: { CS_SEARCH_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' } },
  limitMs: 90_000,
  timeScale: TIME_SCALE,
  async run(context) {
    const { topology, view, rng, signal, history } = context;
    const [municipality] = view.municipalities;
    const [relay] = view.relays;
    if (!municipality || !relay) throw new Error('F8 needs a CS and a relay');
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const first = rng.int(0, ACTIONS.length - 1);
    const exchanges = seededSweep(rng, PRE_ISSUE_EXCHANGES, PLACEMENTS).map((index) => index + 1);
    for (const [index, exchange] of exchanges.entries()) {
      if (signal.aborted) break;
      const action = ACTIONS[(first + index) % ACTIONS.length] as Action;
      const cardId = `card-f8-${index + 1}-${rng.int(0, 0xffff).toString(16)}`;
      const target = action === 'restart-cs' ? municipality.cs : relay.name;
      history.note('fault-placed', { cardId, action, target, exchange, step: stepOfExchange(exchange) });
      const writing = terminal.preIssue('work', cardId);
      if (await reachStep(terminal, cardId, stepOfExchange(exchange), signal)) {
        const component = topology.component(target);
        if (action === 'kill-relay') await component.kill();
        await component.restart();
      }
      await writing;
      await terminal.ic(cardId);
      if (context.found()) break;
    }
  },
  judge,
};

/** A placement landed when the last read of its chip before the action saw it being written. */
function landed(history: Recorded, cardId: string, action: Injection): boolean {
  const before = history.requests.filter((operation) => operation.op === 'query-ic' && operation.data?.['cardId'] === cardId && operation.endMs <= action.atMs).at(-1);
  return before?.body?.['state'] === 'writing';
}

export function judge(history: Recorded) {
  const chips = chipReads(history);
  const placements = history.notes.filter((note) => note.name === 'fault-placed').flatMap((note) => {
    const cardId = String(note.data?.['cardId']);
    const target = String(note.data?.['target']);
    const action = history.injections.find((injection) => injection.target === target && injection.atMs >= note.atMs && (injection.action === 'restart' || injection.action === 'kill'));
    const chip = chips.get(cardId);
    if (!action || !chip || chip.atMs < action.endMs || !landed(history, cardId, action)) return [];
    return [{ cardId, action: String(note.data?.['action']), exchange: Number(note.data?.['exchange']), chip: chip.state, readAtMs: chip.atMs, request: chip.request }];
  });
  const broken = placements.filter((placement) => placement.chip === 'broken');
  const first = broken[0];
  if (first) {
    const cards = broken.map((card) => `${card.cardId} (${card.action} at exchange ${card.exchange})`).join(', ');
    return { verdict: 'finding' as const, detectedAfterMs: Math.round(first.readAtMs), summary: `${broken.length} of ${placements.length} chips broken by a restart during their write: ${cards}`, details: { broken, placements } };
  }
  if (placements.length === 0) return { verdict: 'inconclusive' as const, detectedAfterMs: null, summary: 'no restart landed while a chip was being written', details: { placements } };
  const states = placements.map((placement) => `${placement.action} at exchange ${placement.exchange}: ${placement.chip}`).join(', ');
  return { verdict: 'pass' as const, detectedAfterMs: null, summary: `no chip broken by ${placements.length} restart(s) during the write (${states})`, details: { placements } };
}

export default fault;
