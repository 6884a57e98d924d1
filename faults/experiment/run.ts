import type { Reply, Rng, SystemView } from '../../harness/fault-api.ts';
import { reachStep, stepOfExchange } from '../kit/chip-write.ts';
import { failed } from '../kit/evidence.ts';
import { lookAt } from '../kit/observe.ts';
import { cardRecord, Terminal } from '../kit/terminal.ts';
import { wait } from '../kit/wait.ts';
import type { FaultContext } from '../types.ts';
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

  for (const [index, op] of experiment.workload.entries()) {
    if (signal.aborted) break;
    const placed = experiment.faults.filter((fault) => fault.placement.step === index);
    const heals: Heal[] = [];
    const apply = async (fault: PlacedFault) => {
      history.note(NOTES.applied, { step: index, ...fault });
      heals.push(await inject(context, terminal, fault.fault));
    };
    for (const fault of placed.filter((fault) => fault.placement.exchange === undefined)) await apply(fault);
    const sent = send(terminal, op, cards, rng);
    const atExchange = placed.filter((fault) => fault.placement.exchange !== undefined);
    const [exchange] = atExchange.map((fault) => fault.placement.exchange!);
    if (op === 'pre-issue' && exchange !== undefined) {
      // The chip is watched until the write reaches the exchange, or the pre-issue ends without it.
      const answered = new AbortController();
      void sent.then(() => answered.abort(), () => answered.abort());
      if (await reachStep(terminal, cards.at(-1)!, stepOfExchange(exchange), AbortSignal.any([signal, answered.signal]))) {
        for (const fault of atExchange) await apply(fault);
      }
    }
    // Healed once the step has its answer, or once the fault has outlasted every declared timer.
    await Promise.race([sent, wait(hold, signal)]);
    for (const heal of heals.reverse()) await heal();
    if (heals.length > 0) history.note(NOTES.healed, { step: index });
    const reply = await sent;
    if (op === 'issue' && failed(reply.operation)) failedIssues.push({ cardId: reply.operation.data?.['cardId'] as string, requestId: reply.operation.data?.['requestId'] as string });
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
  await lookAt(context, [...view.municipalities.map((m) => m.cs), ...view.relays.map((relay) => relay.name), ...view.cardServers]);
}

/** Sends step `op`; a pre-issue names its card at once, so that a placement can watch its chip. */
function send(terminal: Terminal, op: StepOp, cards: string[], rng: Rng): Promise<Reply> {
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
    case 'move':
      return terminal.move('work', `R${1000 + cards.length}`, '1-1 Chiyoda');
  }
}
