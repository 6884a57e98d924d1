import type { Reply, Rng, SystemView } from '../../harness/fault-api.ts';
import { reachStep, stepOfExchange } from '../kit/chip-write.ts';
import { failed } from '../kit/evidence.ts';
import { lookAt } from '../kit/observe.ts';
import { cardRecord, personsUnder, Terminal } from '../kit/terminal.ts';
import { wait } from '../kit/wait.ts';
import type { FaultContext } from '../types.ts';
import { readBackBatches, runBatch, type BatchNote, type RunningBatch } from './batch-step.ts';
import { inject, type Heal } from './inject.ts';
import { type Experiment, type PlacedFault, type StepOp } from './types.ts';

/** Probes after the heal: this share of the CS's declared block, every twentieth of it. */
const PROBE_SHARE_OF_BLOCK = 1 / 3;

/** The names of the notes an experiment's judge reads. */
export const NOTES = { applied: 'fault-applied', healed: 'fault-healed', probing: 'probing' } as const;

/** How long a fault may last at most: past every declared timeout of the path, so every timer has fired once it heals. */
function holdMs(timing: SystemView['timing']): number {
  return Math.round(Math.max(timing.relayTimeoutMs, timing.csSearchTimeoutMs, timing.csRequestTimeoutMs) * 1.5);
}

/**
 * The client's patience: the longest hold, then every declared timeout again, so that an answer
 * that never comes is the target's hang, not the harness's haste (a pre-issue's 29 exchanges
 * all slowed under the hold still answer within it).
 */
function hangMs(timing: SystemView['timing']): number {
  return 2 * holdMs(timing) + 500;
}

/**
 * One experiment: the workload step by step at the first CS, each placed fault applied as its
 * step leaves (or at its exchange) and healed once the step has its answer; then the contract's
 * recovery of every issue that failed, probes, every card read back, every component looked at.
 */
export async function runExperiment(context: FaultContext, experiment: Experiment): Promise<void> {
  const { topology, view, rng, signal, history } = context;
  const [municipality] = view.municipalities;
  const [cardServer] = view.cardServers;
  if (!municipality || !cardServer) throw new Error('an experiment needs a CS and a card server');
  const patience = hangMs(view.timing);
  const hold = holdMs(view.timing);
  const client = context.client('terminal-1', { headersMs: patience, bodyMs: patience });
  const terminal = new Terminal(client, municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
  const cards: string[] = [];
  const failedIssues: Array<{ cardId: string; requestId: string }> = [];
  const batches: BatchNote[] = [];
  const moved = new Set<string>();

  for (const [index, op] of experiment.workload.entries()) {
    if (signal.aborted) break;
    const placed = experiment.faults.filter((fault) => fault.placement.step === index);
    const heals: Heal[] = [];
    const apply = async (fault: PlacedFault) => {
      history.note(NOTES.applied, { step: index, ...fault });
      heals.push(await inject(context, terminal, fault.fault));
    };
    const inFlight = (fault: PlacedFault) => fault.placement.exchange === undefined && fault.placement.record === undefined;
    for (const fault of placed.filter(inFlight)) await apply(fault);
    const healed = new AbortController();
    const sent: Sent = op === 'batch' ? batchStep(context, index, healed.signal, patience, batches) : { promise: send(terminal, op, cards, moved, rng) };
    const later = placed.filter((fault) => !inFlight(fault));
    const [{ placement } = { placement: undefined }] = later;
    if (placement) {
      // The fault waits for its point (the chip's write at the exchange, the batch at the record), or the step ends without it.
      const answered = new AbortController();
      void sent.promise.then(() => answered.abort(), () => answered.abort());
      const until = AbortSignal.any([signal, answered.signal]);
      const reached =
        placement.exchange !== undefined && op === 'pre-issue'
          ? await reachStep(terminal, cards.at(-1)!, stepOfExchange(placement.exchange), until)
          : placement.record !== undefined && op === 'batch' && (await sent.batch?.reached(placement.record, until));
      if (reached) for (const fault of later) await apply(fault);
    }
    // Healed once the step has its answer, or once the fault has outlasted every declared timer.
    await Promise.race([sent.promise, wait(hold, signal)]);
    for (const heal of heals.reverse()) await heal();
    if (heals.length > 0) history.note(NOTES.healed, { step: index });
    healed.abort();
    const reply = await sent.promise;
    if (op === 'issue' && reply && failed(reply.operation)) failedIssues.push({ cardId: reply.operation.data?.['cardId'] as string, requestId: reply.operation.data?.['requestId'] as string });
  }

  // Recovery as the contract lets a terminal: the registration sent again, else the issue again.
  for (const { cardId, requestId } of failedIssues) {
    if (signal.aborted) break;
    if (failed((await terminal.issueComplete('recovery', cardId, requestId)).operation)) await terminal.issue('recovery', cardId);
  }
  history.note(NOTES.probing, {});
  const blockMs = view.timing.csBlockMs;
  await terminal.probe(blockMs * PROBE_SHARE_OF_BLOCK, blockMs / 20, signal);
  for (const cardId of cards) {
    await terminal.ic(cardId);
    await cardRecord(client, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), cardId, signal);
  }
  for (const code of moved) {
    await personsUnder(client, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), code, signal);
  }
  await readBackBatches(context, client, batches, hold);
  await lookAt(context, [...view.municipalities.map((m) => m.cs), ...view.relays.map((relay) => relay.name), ...view.cardServers]);
}

/** A step under way: the terminal's answer, or a batch's end (and the batch, for its placements). */
interface Sent {
  promise: Promise<Reply | undefined>;
  batch?: RunningBatch;
}

/** Starts step `index`'s batch; a target without batch commands says so, and the step is over. */
function batchStep(context: FaultContext, index: number, healed: AbortSignal, patienceMs: number, batches: BatchNote[]): Sent {
  const batch = runBatch(context, index, healed, patienceMs);
  if (batch) batches.push(batch.note);
  else context.history.note('not-applicable', { step: index, reason: 'the target declares no batch operator commands' });
  return { promise: batch ? batch.ended.then(() => undefined) : Promise.resolve(undefined), ...(batch && { batch }) };
}

/** Sends step `op`; a pre-issue names its card at once, so that a placement can watch its chip; a move-in's code is kept for the read-back. */
function send(terminal: Terminal, op: Exclude<StepOp, 'batch'>, cards: string[], moved: Set<string>, rng: Rng): Promise<Reply> {
  switch (op) {
    case 'pre-issue': {
      const cardId = `card-${cards.length + 1}-${rng.int(0, 0xffffff).toString(16)}`;
      cards.push(cardId);
      return terminal.preIssue('work', cardId);
    }
    case 'issue': {
      const cardId = cards.at(-1);
      return cardId === undefined ? terminal.search('work') : terminal.issue('work', cardId);
    }
    case 'search':
      return terminal.search('work');
    case 'move': {
      // A move-in that says who moves in, so that uniqueness can read the code back: one person a code.
      const code = `R${1000 + cards.length}`;
      moved.add(code);
      return terminal.move('work', code, '1-1 Chiyoda', { name: `Resident ${code}`, birthDate: '1980-04-01' });
    }
  }
}
