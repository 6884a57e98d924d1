import type { AppliedToxic, Operation } from '../../harness/fault-api.ts';
import { percentile } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
import { sendLoops } from './loops.ts';
import { relayMessage } from './terminal.ts';
import { wait } from './wait.ts';

/** Concurrent senders straight into the relay: enough messages land at the edge in a few rounds. */
const LOOPS = 16;
/** The calibration's latency, as a share of the timeout: the load of the edge rounds, every answer still in time. */
const CALIBRATION_SHARE = 0.8;
/** The loops' start, spread over this share of the timeout. */
const STAGGER_SHARE = 0.5;
/**
 * Rounds of one timeout at the edge, the second aimed one jitter earlier (a path slower under the
 * edge's load than under the calibration's still crosses). Two, so that the fault, calibration
 * included, lasts about three timeouts: work sent through the link meanwhile is slowed, not stranded.
 */
const EDGE_OFFSETS = [0, -1] as const;
/** How far past the timer an answer is aimed: inside the OS's notification delay, whatever its length. */
const AIM_PAST_MS = 4;
const MIN_JITTER_MS = 12;
const MAX_JITTER_MS = 60;

/** The running edge: `done` settles once its toxic is removed and every message sent has its answer. */
export interface TimerEdge {
  done: Promise<void>;
}

/**
 * Answers that arrive at `relay` as its declared timer fires: with the relay's own traffic sent
 * straight into it, the card-server link's latency is first set at 80 % of the timeout to measure
 * the path's own time under that load, then set so that answers land just past the timer, spread
 * by the measured spread, for two rounds of the timeout. Whatever a relay does when a reset and
 * its timer's notification meet, this is where it does it; the messages are the fault's own
 * (role `trigger`), timeouts among them are the timeout path working.
 */
export function answersAtTheTimeout(context: FaultContext, relay: string, link: string, signal: AbortSignal): TimerEdge {
  const { topology, view, history } = context;
  const timeoutMs = view.timing.relayTimeoutMs;
  const client = context.client(`edge-${relay}`, { headersMs: timeoutMs * 4, bodyMs: timeoutMs * 4 });
  const endpoint = () => topology.component(relay).endpoint(view.ports.relay);
  // Stopping the senders leaves the messages in flight to their answers.
  const sending = new AbortController();
  const until = AbortSignal.any([signal, sending.signal]);
  let counter = 0;
  let phase = 'calibration';
  const sent: Operation[] = [];
  // Loops start spread over half a timeout and stay spread: answers that arrive all at once would
  // queue at the card server and make the calibration's own time longer than the edge's.
  const send = async (loop: number, seq: number): Promise<Operation> => {
    if (seq === 0) await wait((loop * timeoutMs * STAGGER_SHARE) / LOOPS, until);
    const requestId = `edge-${relay}-${++counter}`;
    const { operation } = await relayMessage(client, relay, endpoint, { requestId, kind: 'business', op: 'search', payload: { residentCode: 'R0001' }, data: { role: 'trigger', phase } }, signal);
    sent.push(operation);
    // Nobody listens any more: the relay is down, and what became of it is for the judge.
    if (operation.outcome === 'refused') sending.abort();
    return operation;
  };

  const done = (async () => {
    let toxic: AppliedToxic | undefined;
    const setLatency = async (latency: number, jitter = 0) => {
      await toxic?.remove();
      toxic = await topology.link(link).latency({ latency: Math.max(0, Math.round(latency)), jitter: Math.round(jitter) });
    };
    const calibrationMs = timeoutMs * CALIBRATION_SHARE;
    await setLatency(calibrationMs);
    // Settled at once into a value, so that a sender's failure waits for the heal instead of crashing the run.
    const loops = sendLoops(LOOPS, until, send).then(
      () => undefined,
      (error: unknown) => error,
    );
    try {
      // The first round's answers, all sent under the calibration's latency.
      const firstRound = AbortSignal.any([until, AbortSignal.timeout(timeoutMs * (1 + STAGGER_SHARE) + 1000)]);
      while (!firstRound.aborted && sent.filter((operation) => operation.outcome === 'ok').length < LOOPS) await wait(20, firstRound);
      const own = sent.filter((operation) => operation.outcome === 'ok').map((operation) => operation.endMs - operation.startMs - calibrationMs).sort((a, b) => a - b);
      const centre = percentile(own, 50);
      if (centre === null || until.aborted) return;
      const spread = (percentile(own, 90)! - percentile(own, 10)!) / 2;
      const jitter = Math.min(MAX_JITTER_MS, Math.max(MIN_JITTER_MS, spread + MIN_JITTER_MS / 2));
      const latency = timeoutMs - centre + AIM_PAST_MS;
      phase = 'edge';
      history.note('timer-edge', { relay, link, timeoutMs, ownMs: { p10: percentile(own, 10), p50: centre, p90: percentile(own, 90) }, latency: Math.round(latency), jitter: Math.round(jitter) });
      for (const offset of EDGE_OFFSETS) {
        if (until.aborted) break;
        await setLatency(latency + offset * jitter, jitter);
        await wait(timeoutMs, until);
      }
    } finally {
      sending.abort();
      await toxic?.remove().catch(() => undefined);
      // Without the latency, every message in flight ends at once; a relay that died ends them too.
      const failure = await Promise.race([loops, wait(timeoutMs * 3 + 1000, new AbortController().signal)]);
      if (failure !== undefined) throw failure;
    }
  })();
  // Awaited only at the heal, maybe seconds later: a failure waits there rather than crashing the run as unhandled.
  done.catch(() => undefined);
  return { done };
}
