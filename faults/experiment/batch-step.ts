import type { HarnessClient, Recorded, SystemView } from '../../harness/fault-api.ts';
import { batchCommands, lastConsole, notices, readConsole, startBatch, type BatchConsole } from '../kit/batch.ts';
import { commandsRun } from '../kit/evidence.ts';
import { batchRecords } from '../kit/terminal.ts';
import { wait } from '../kit/wait.ts';
import type { FaultContext } from '../types.ts';

/**
 * An experiment's batch step: an operator starts a municipality's transfer with the relay's
 * commands (CONTRACT.md 2.2), a fault may land at its n-th record, and the console's last word is
 * read back against the card server's records and the municipality's notices.
 */

/** Records a batch carries: at time scale 10 the card server takes 330 ms a record, the batch about 2.3 s with its commit. */
export const BATCH_RECORDS = 6;
/** The note that names a step's batch, so that its judge finds the console, records and notices of it. */
export const BATCH_NOTE = 'batch-started';
const POLL_MS = 50;

const settled = (console: BatchConsole | undefined) => console !== undefined && console.status !== 'running';

export interface BatchNote {
  step: number;
  batchId: string;
  municipality: string;
  records: number;
}

/** A batch under way: where its records stand, and when it has ended. */
export interface RunningBatch {
  note: BatchNote;
  /** True once the card server holds the records before `record` (the fault meets that one); false if the batch ended first. */
  reached(record: number, signal: AbortSignal): Promise<boolean>;
  /**
   * Settles once the console says the batch ended (finished or failed); once `healed` is aborted,
   * also when the console has nothing to say of it (a relay restarted without it). Never later than `patienceMs`.
   */
  ended: Promise<void>;
}

/** Starts step `step`'s batch; undefined when the target declares no batch commands. */
export function runBatch(context: FaultContext, step: number, healed: AbortSignal, patienceMs: number): RunningBatch | undefined {
  const { topology, view, rng, history, signal } = context;
  const commands = batchCommands(view);
  const [relay] = view.relays;
  const [cardServer] = view.cardServers;
  if (!commands || !relay || !cardServer) return undefined;
  const note: BatchNote = { step, batchId: `batch-${step + 1}-${rng.int(0, 0xffffff).toString(16)}`, municipality: `ward-${rng.int(100, 999)}`, records: BATCH_RECORDS };
  history.note(BATCH_NOTE, { ...note });
  const relayComponent = topology.component(relay.name);
  // Looks while a fault is on must not wait out a paused card server.
  const oracle = context.client('batch-oracle', { headersMs: 1_000, bodyMs: 1_000 });
  const endpoint = () => topology.component(cardServer).endpoint(view.ports.cardServer);
  const received = async () => Number((await batchRecords(oracle, cardServer, endpoint, note.batchId, signal, 'oracle')).operation.body?.['records'] ?? 0);
  const until = performance.now() + patienceMs;
  const started = startBatch(relayComponent, commands.start, note.batchId, note.municipality, note.records);
  let over = false;
  const ended = (async () => {
    if ((await started) !== 0) return;
    while (!signal.aborted && performance.now() < until) {
      const console = await readConsole(relayComponent, commands.status, note.batchId);
      if (settled(console) || (console === undefined && healed.aborted)) return;
      await wait(POLL_MS, signal);
    }
  })().finally(() => {
    over = true;
  });
  return {
    note,
    ended,
    async reached(record, stop) {
      if ((await started) !== 0) return false;
      while (!stop.aborted && !over) {
        if ((await received()) >= record - 1) return true;
        await wait(POLL_MS / 5, stop);
      }
      return false;
    },
  };
}

/** After the probes: each batch's console once it ended (within `patienceMs`), then the card server's records and the municipality's notices. */
export async function readBackBatches(context: FaultContext, client: HarnessClient, batches: readonly BatchNote[], patienceMs: number): Promise<void> {
  const { topology, view, signal } = context;
  const commands = batchCommands(view);
  const [relay] = view.relays;
  const [cardServer] = view.cardServers;
  if (!commands || !relay || !cardServer) return;
  const endpoint = () => topology.component(cardServer).endpoint(view.ports.cardServer);
  for (const batch of batches) {
    // A console that has nothing to say of the batch (a relay restarted without it) will not say more later.
    const until = performance.now() + patienceMs;
    while (!signal.aborted && (await readConsole(topology.component(relay.name), commands.status, batch.batchId))?.status === 'running' && performance.now() < until) await wait(POLL_MS, signal);
    await batchRecords(client, cardServer, endpoint, batch.batchId, signal);
    await notices(client, cardServer, endpoint, batch.municipality, signal);
  }
}

export function batchesOf(history: Recorded): BatchNote[] {
  return history.notes.filter((note) => note.name === BATCH_NOTE).map((note) => note.data as unknown as BatchNote);
}

/** Whether the batch's start command ran and the console's last word was "finished": what blast radius asks of a batch no fault touched. */
export function batchServed(history: Recorded, view: Pick<SystemView, 'operator'>, batch: BatchNote): { served: boolean; console: (BatchConsole & { atMs: number }) | undefined; atMs: number } {
  const { relayBatchStart: start, relayBatchStatus: status } = view.operator;
  const [command] = start ? commandsRun(history, [...start, batch.batchId, batch.municipality, String(batch.records)]) : [];
  const console = status ? lastConsole(history, status, batch.batchId) : undefined;
  return { served: command?.exitCode === 0 && console?.status === 'finished', console, atMs: console?.atMs ?? command?.endMs ?? 0 };
}
