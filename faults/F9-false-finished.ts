import type { Recorded } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { batchCommands, misreports, notices, readBack, readConsole, startBatch } from './kit/batch.ts';
import { batchRecords } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault } from './types.ts';

const RECORDS = 40;
/** Two breaks a run, in a seeded order: the relay→card-server link cut, the card server killed. */
const BREAKS = ['cut', 'kill'] as const;
type Break = (typeof BREAKS)[number];
const POLL_MS = 10;
/** How long the console may take to show that a broken transfer ended, once healed. */
const SETTLE_MS = 5_000;
/** A record of the card server's 3.3 s service time lasts 33 ms: a batch of 40 in under 2 s. */
const TIME_SCALE = 100;

/**
 * F9: an operator starts a municipality's batch transfer and it breaks part way (the link to the
 * card server cut, or the card server killed, at a seeded record). Once healed, the console is
 * judged against the data: "finished" while records are missing, a count the card server never
 * received, or a "registered" notice for records that never arrived, is a finding.
 */
const fault: Fault = {
  id: 'F9',
  ...catalogEntry('F9'),
  topology: { municipalities: 1, relays: 1, cardServers: 1, parameters: { RELAY_TIMEOUT_MS: '600000' } },
  limitMs: 60_000,
  timeScale: TIME_SCALE,
  async run(context) {
    const { topology, view, rng, signal, history } = context;
    const [relay] = view.relays;
    const [cardServer] = view.cardServers;
    const commands = batchCommands(view);
    if (!relay || !cardServer) throw new Error('F9 needs a relay and a card server');
    if (!commands) return history.note('not-applicable', { reason: 'the target declares no batch operator commands' });
    const client = context.client('operator');
    const relayComponent = topology.component(relay.name);
    const cardServerComponent = topology.component(cardServer);
    const endpoint = () => cardServerComponent.endpoint(view.ports.cardServer);
    const municipality = `ward-${rng.int(100, 999)}`;
    const first = rng.int(0, BREAKS.length - 1);
    for (const [index] of BREAKS.entries()) {
      if (signal.aborted) break;
      const mechanism = BREAKS[(first + index) % BREAKS.length] as Break;
      const batchId = `batch-${index + 1}-${rng.int(0, 0xffff).toString(16)}`;
      const breakAt = rng.int(5, RECORDS - 10);
      history.note('fault-placed', { batchId, municipality, mechanism, breakAt, records: RECORDS });
      if ((await startBatch(relayComponent, commands.start, batchId, municipality, RECORDS)) !== 0) continue;
      // The break is placed by what the card server has received, as its own query says.
      while (!signal.aborted) {
        const received = Number((await batchRecords(client, cardServer, endpoint, batchId, signal)).operation.body?.['records'] ?? 0);
        if (received >= breakAt) break;
        await wait(POLL_MS, signal);
      }
      const link = topology.link(relay.cardServerLink);
      if (mechanism === 'cut') await link.cut();
      else await cardServerComponent.kill();
      const until = performance.now() + SETTLE_MS;
      while (!signal.aborted && performance.now() < until && (await readConsole(relayComponent, commands.status, batchId))?.status === 'running') await wait(POLL_MS * 10, signal);
      if (mechanism === 'cut') await link.heal();
      else await cardServerComponent.restart();
      await readConsole(relayComponent, commands.status, batchId);
      await batchRecords(client, cardServer, endpoint, batchId, signal);
      await notices(client, cardServer, endpoint, municipality, signal);
      if (context.found()) break;
    }
  },
  judge,
};

/** The console's last word on each batch against the records the card server holds and the notices the ward received. */
export function judge(history: Recorded, view: { operator: { relayBatchStatus?: string[] } }) {
  const status = view.operator.relayBatchStatus;
  const skipped = history.notes.find((note) => note.name === 'not-applicable');
  if (!status || skipped) return { verdict: 'inconclusive' as const, detectedAfterMs: null, summary: String(skipped?.data?.['reason'] ?? 'the target declares no batch status command') };
  const batches = history.notes.filter((note) => note.name === 'fault-placed').flatMap((note) => {
    const reading = readBack(history, status, String(note.data?.['batchId']), String(note.data?.['municipality']));
    return reading ? [{ ...reading, mechanism: String(note.data?.['mechanism']), breakAt: Number(note.data?.['breakAt']) }] : [];
  });
  const wrong = batches.flatMap((batch) => {
    const reasons = misreports(batch);
    return reasons.length > 0 ? [{ ...batch, reasons }] : [];
  });
  const first = wrong[0];
  if (first) {
    const summary = wrong.map((batch) => `${batch.batchId} (${batch.mechanism} at record ${batch.breakAt}): ${batch.reasons.join('; ')}`).join('; ');
    return { verdict: 'finding' as const, detectedAfterMs: Math.round(first.atMs), summary: `${wrong.length} of ${batches.length} broken batches misreported: ${summary}`, details: { wrong, batches } };
  }
  if (batches.length === 0) return { verdict: 'inconclusive' as const, detectedAfterMs: null, summary: 'no broken batch was read back (console, records and notices)' };
  const running = batches.filter((batch) => batch.console.status === 'running');
  if (running.length > 0) return { verdict: 'inconclusive' as const, detectedAfterMs: null, summary: `the console still says "running" for ${running.map((batch) => batch.batchId).join(', ')} after the transfer broke and was healed`, details: { batches } };
  const said = batches.map((batch) => `${batch.batchId} ${batch.console.status} with ${batch.console.acknowledged} acknowledged, ${batch.received} at the card server`).join('; ');
  return { verdict: 'pass' as const, detectedAfterMs: null, summary: `the console told the truth on ${batches.length} broken batch(es): ${said}`, details: { batches } };
}

export default fault;
