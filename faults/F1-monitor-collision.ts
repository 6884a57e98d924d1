import { setTimeout as sleep } from 'node:timers/promises';
import { envelope } from '../harness/contract/envelope.ts';
import type { HarnessClient } from '../harness/history/client.ts';
import type { Rng } from '../harness/seed.ts';
import { catalogEntry } from './catalog.ts';
import type { Fault, FaultContext, FaultResult, Verdict } from './types.ts';

/**
 * F1: the hardware monitor's status check collides with a CPU core that handles an HSM board's
 * data. HSM work flows through every relay (control `ic-exchange` messages sent straight to the
 * relay, a few loops per relay) while the operator's "poll now" runs on the relays over and over,
 * each poll after a small seeded offset. Judged only from what came back: answers, the relays'
 * state, their logs.
 */

/** Concurrent ic-exchange loops per relay: enough to keep the boards of a relay busy. */
const LOOPS_PER_RELAY = 2;
/** Concurrent operator polls (an exec starts a Node process: about 0.2–0.4 s each). */
const POLL_WORKERS = 2;
/**
 * Rest of a poll worker between two polls. Back-to-back execs saturate a small host, and a relay
 * starved of CPU for 100 ms is a different test (its watchdog fires without any collision).
 */
const POLL_REST_MS = 250;
/** Pass budget: this many polls, or this long, whichever comes first. */
const POLL_BUDGET = 150;
const TIME_BUDGET_MS = 20_000;
/** The offsets swept before a poll, in ms: a seeded rotation of 0..OFFSET_STEPS-1. */
const OFFSET_STEPS = 10;
/** Timeouts on one relay, while it still runs, that make the HSM count as unresponsive. */
const TIMEOUT_THRESHOLD = 3;
/**
 * The relay's HSM watchdog (CONTRACT.md 3), at time scale 1: 0.8 of the declared relay timeout
 * (30,000), so a relay that notices a lost completion says so before its own timer answers 504.
 * Its default (1,000) is 100 ms real at the default scale: within the scheduling noise of a
 * loaded test host, where it fires without any collision.
 */
const HSM_WATCHDOG_MS = '24000';
/** The harness client gives up after this many relay timeouts (the relay should answer 504 first). */
const CLIENT_TIMEOUT_FACTOR = 4;
/** Log lines of each relay kept in the evidence. */
const LOG_TAIL = 30;

// ---------------------------------------------------------------------------------------------
// Observations: everything the verdict is made of, as written to observations.json.

/** One ic-exchange that did not end in a 200 (successes are only counted, in `served`). */
export interface ProbeFailure {
  relay: string;
  loop: number;
  seq: number;
  /** context.elapsedMs() when the answer (or the client's give-up) arrived. */
  atMs: number;
  durationMs: number;
  outcome: string;
  status?: number;
  code?: string;
}

/** Per relay: how its probes went. */
export interface ServedTally {
  relay: string;
  ok: number;
  failed: number;
  /** Outcome of the relay's last probe ('ok' or the failure's code/outcome); null if none ended. */
  last: string | null;
  lastAtMs: number | null;
}

export interface PollObservation {
  index: number;
  relay: string;
  offsetMs: number;
  startMs: number;
  endMs: number;
  exitCode: number;
  output: string;
}

export interface StatusObservation {
  relay: string;
  atMs: number;
  state: string;
  exitCode: number | null;
}

export interface LogObservation {
  relay: string;
  atMs: number;
  /** Lines whose event is "hsm-interrupted". */
  interrupted: string[];
  tail: string[];
}

export interface F1Observations {
  relays: string[];
  timeoutThreshold: number;
  relayTimeoutMs: number;
  clientTimeoutMs: number;
  budget: { polls: number; ms: number };
  failures: ProbeFailure[];
  served: ServedTally[];
  polls: PollObservation[];
  statuses: StatusObservation[];
  logs: LogObservation[];
  endedAtMs: number;
}

export interface F1Judgement {
  verdict: Verdict;
  detectedAfterMs: number | null;
  summary: string;
  /** What decided a finding: the relay, the kind, and the poll closest before it. */
  decidedBy: {
    kind: 'hsm-interrupted-answer' | 'hsm-interrupted-log' | 'unresponsive';
    relay: string;
    atMs: number;
    collidingPoll: PollObservation | null;
    hungProbes: ProbeFailure[];
  } | null;
}

/** A probe failure that means the relay did not answer in time: its own 504 or the client gave up. */
export function isTimeout(failure: Pick<ProbeFailure, 'status' | 'code' | 'outcome'>): boolean {
  return failure.status === 504 || failure.code === 'timeout' || failure.outcome === 'timeout-headers' || failure.outcome === 'timeout-body';
}

/**
 * The probe failure at which a relay's timeouts decide that its HSM is unresponsive, if any: the
 * `threshold`-th timeout, provided at least one of those counted was sent after an earlier one had
 * already timed out (the relay stayed unresponsive across probes; one host stall that times out
 * every message in flight at once does not count).
 */
export function sustainedTimeout(timeouts: readonly ProbeFailure[], threshold: number): ProbeFailure | undefined {
  const first = timeouts[0];
  if (!first) return undefined;
  let sentAfterFirst = false;
  for (let index = 1; index < timeouts.length; index++) {
    const timeout = timeouts[index] as ProbeFailure;
    if (timeout.atMs - timeout.durationMs >= first.atMs) sentAfterFirst = true;
    if (index + 1 >= threshold && sentAfterFirst) return timeout;
  }
  return undefined;
}

/** The last poll of `relay` that started at or before `atMs`: the one that most likely collided. */
function pollBefore(polls: readonly PollObservation[], relay: string, atMs: number): PollObservation | null {
  let found: PollObservation | null = null;
  for (const poll of polls) {
    if (poll.relay === relay && poll.startMs <= atMs && (!found || poll.startMs > found.startMs)) found = poll;
  }
  return found;
}

/**
 * The verdict, from observations only. Finding: (b) a 503 hsm-interrupted answer or an
 * "hsm-interrupted" log line of a relay; or (a) a relay whose probes time out `timeoutThreshold`
 * times, sustained (see sustainedTimeout), while its process is still running (status checked at or after the last of them): the HSM
 * is unresponsive. The earliest deciding observation wins. Pass: none of that, every relay still
 * running at the end, polled at least once and serving its last probe.
 */
export function judgeF1(observations: F1Observations): F1Judgement {
  const { relays, failures, polls, statuses, logs, timeoutThreshold } = observations;
  const candidates: NonNullable<F1Judgement['decidedBy']>[] = [];
  const byTime = [...failures].sort((a, b) => a.atMs - b.atMs);

  const interruptedAnswer = byTime.find((failure) => failure.code === 'hsm-interrupted');
  if (interruptedAnswer) {
    candidates.push({
      kind: 'hsm-interrupted-answer',
      relay: interruptedAnswer.relay,
      atMs: interruptedAnswer.atMs,
      collidingPoll: pollBefore(polls, interruptedAnswer.relay, interruptedAnswer.atMs),
      hungProbes: [interruptedAnswer],
    });
  }
  for (const log of logs) {
    if (log.interrupted.length > 0) {
      candidates.push({ kind: 'hsm-interrupted-log', relay: log.relay, atMs: log.atMs, collidingPoll: pollBefore(polls, log.relay, log.atMs), hungProbes: [] });
    }
  }
  for (const relay of relays) {
    const timeouts = byTime.filter((failure) => failure.relay === relay && isTimeout(failure));
    const deciding = sustainedTimeout(timeouts, timeoutThreshold);
    if (!deciding) continue;
    const alive = statuses
      .filter((status) => status.relay === relay && status.atMs >= deciding.atMs)
      .sort((a, b) => a.atMs - b.atMs)[0];
    if (alive?.state !== 'running') continue;
    const first = timeouts[0] as ProbeFailure;
    candidates.push({
      kind: 'unresponsive',
      relay,
      atMs: alive.atMs,
      collidingPoll: pollBefore(polls, relay, first.atMs - first.durationMs),
      hungProbes: timeouts.slice(0, Math.max(timeoutThreshold, 10)),
    });
  }

  const decided = candidates.sort((a, b) => a.atMs - b.atMs)[0];
  const pollCount = polls.length;
  const okCount = observations.served.reduce((sum, tally) => sum + tally.ok, 0);
  if (decided) {
    const timeouts = failures.filter((failure) => failure.relay === decided.relay && isTimeout(failure)).length;
    const poll = decided.collidingPoll;
    const at = poll ? ` after poll #${poll.index} (offset ${poll.offsetMs} ms)` : '';
    const what =
      decided.kind === 'unresponsive'
        ? `HSM unresponsive on ${decided.relay}: ${timeouts} ic-exchange timeouts while the relay kept running`
        : decided.kind === 'hsm-interrupted-answer'
          ? `${decided.relay} answered 503 hsm-interrupted`
          : `${decided.relay} logged hsm-interrupted`;
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(decided.atMs),
      summary: `${what}${at}; ${pollCount} monitor polls, ${okCount} exchanges served, detected after ${(decided.atMs / 1000).toFixed(1)} s`,
      decidedBy: decided,
    };
  }

  const problems: string[] = [];
  for (const relay of relays) {
    const end = statuses.filter((status) => status.relay === relay).sort((a, b) => b.atMs - a.atMs)[0];
    if (end?.state !== 'running') problems.push(`${relay} ${end ? end.state : 'status unknown'}`);
    if (!polls.some((poll) => poll.relay === relay && poll.exitCode === 0)) problems.push(`${relay} never polled`);
    const tally = observations.served.find((entry) => entry.relay === relay);
    if (!tally || tally.ok === 0 || tally.last !== 'ok') problems.push(`${relay} not serving at the end (${tally?.last ?? 'no probe'})`);
  }
  const failed = failures.length;
  if (problems.length > 0) {
    return {
      verdict: 'inconclusive',
      detectedAfterMs: null,
      summary: `no HSM collision seen, but ${problems.join('; ')} (${pollCount} polls, ${okCount} exchanges served, ${failed} failed)`,
      decidedBy: null,
    };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${pollCount} monitor polls during HSM work on ${relays.length} relays in ${(observations.endedAtMs / 1000).toFixed(1)} s: ${okCount} exchanges served, ${failed} failed, no hang, no hsm-interrupted`,
    decidedBy: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Injection and observation.

/** Waits `ms`, or less if `signal` aborts; never throws. */
async function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** The seeded poll schedule: relays alternate from a seeded start; offsets sweep a seeded rotation. */
export function pollSchedule(rng: Rng, relays: readonly string[], count: number): Array<{ index: number; relay: string; offsetMs: number }> {
  const relayStart = rng.int(0, relays.length - 1);
  const offsetStart = rng.int(0, OFFSET_STEPS - 1);
  const stride = rng.pick([1, 3, 7, 9]); // coprime with OFFSET_STEPS: every offset is swept
  return Array.from({ length: count }, (_, index) => ({
    index,
    relay: relays[(relayStart + index) % relays.length] as string,
    offsetMs: (offsetStart + index * stride) % OFFSET_STEPS,
  }));
}

function logObservation(relay: string, atMs: number, text: string): LogObservation {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const interrupted = lines.filter((line) => {
    try {
      return (JSON.parse(line) as { event?: unknown }).event === 'hsm-interrupted';
    } catch {
      return false;
    }
  });
  return { relay, atMs, interrupted: interrupted.slice(0, LOG_TAIL), tail: lines.slice(-LOG_TAIL) };
}

const fault: Fault = {
  id: 'F1',
  ...catalogEntry('F1'),
  topology: { municipalities: 1, relays: 2, cardServers: 1, parameters: { HSM_WATCHDOG_MS } },
  limitMs: 45_000,
  async run(context: FaultContext): Promise<FaultResult> {
    const { topology, view, rng } = context;
    const relays = view.relays.map((relay) => relay.name);
    const clientTimeoutMs = Math.max(200, Math.round(view.timing.relayTimeoutMs * CLIENT_TIMEOUT_FACTOR));
    const client: HarnessClient = context.client('hsm-probe', { connectMs: clientTimeoutMs, headersMs: clientTimeoutMs, bodyMs: clientTimeoutMs });
    const schedule = pollSchedule(rng.fork('polls'), relays, POLL_BUDGET);

    const stop = new AbortController();
    const signal = AbortSignal.any([context.signal, stop.signal]);
    const budget = setTimeout(() => stop.abort(), TIME_BUDGET_MS);

    const failures: ProbeFailure[] = [];
    const served = new Map<string, ServedTally>(relays.map((relay) => [relay, { relay, ok: 0, failed: 0, last: null, lastAtMs: null }]));
    const polls: PollObservation[] = [];
    const statuses: StatusObservation[] = [];
    const timeoutsOf = new Map<string, ProbeFailure[]>(relays.map((relay) => [relay, []]));
    const statusChecked = new Set<string>();

    const checkStatus = async (relay: string): Promise<StatusObservation> => {
      const status = await topology.component(relay).status();
      const observation = { relay, atMs: context.elapsedMs(), state: status.state, exitCode: status.exitCode };
      statuses.push(observation);
      return observation;
    };

    const probeLoop = async (relay: string, loop: number): Promise<void> => {
      const component = topology.component(relay);
      for (let seq = 0; !signal.aborted; seq++) {
        const requestId = `f1-${relay}-${loop}-${seq}`;
        const cardId = `F1-${relay}-${loop}`;
        const started = context.elapsedMs();
        const { operation } = await client.send({
          op: 'ic-exchange',
          target: relay,
          endpoint: () => component.endpoint(view.ports.relay),
          path: '/message',
          body: envelope(requestId, 'control', 'ic-exchange', { cardId, exchange: seq }),
          data: { requestId, loop },
        });
        const atMs = context.elapsedMs();
        const tally = served.get(relay) as ServedTally;
        if (operation.outcome === 'aborted' && signal.aborted) break;
        tally.lastAtMs = atMs;
        if (operation.outcome === 'ok') {
          tally.ok++;
          tally.last = 'ok';
          continue;
        }
        const failure: ProbeFailure = {
          relay,
          loop,
          seq,
          atMs,
          durationMs: Math.round(atMs - started),
          outcome: operation.outcome,
          ...(operation.status !== undefined && { status: operation.status }),
          ...(operation.code !== undefined && { code: operation.code }),
        };
        failures.push(failure);
        tally.failed++;
        tally.last = failure.code ?? failure.outcome;
        if (failure.code === 'hsm-interrupted') {
          stop.abort();
          break;
        }
        if (isTimeout(failure)) {
          const timeouts = timeoutsOf.get(relay) as ProbeFailure[];
          timeouts.push(failure);
          // The same rule as judgeF1: sustained timeouts, then is the relay's process still up?
          if (sustainedTimeout(timeouts, TIMEOUT_THRESHOLD) && !statusChecked.has(relay)) {
            statusChecked.add(relay);
            const status = await checkStatus(relay);
            if (status.state === 'running') stop.abort();
            else statusChecked.delete(relay);
          }
        } else {
          // A refused or reset connection: the relay may be gone; do not spin on it.
          await wait(20, signal);
        }
      }
    };

    let nextPoll = 0;
    const pollWorker = async (): Promise<void> => {
      while (!signal.aborted) {
        const planned = schedule[nextPoll++];
        if (!planned) break;
        await wait(planned.offsetMs, signal);
        if (signal.aborted) break;
        const startMs = context.elapsedMs();
        const result = await topology
          .component(planned.relay)
          .exec(view.operator.relayPollNow)
          .catch((error: Error) => ({ exitCode: -1, output: `exec failed: ${error.message}` }));
        polls.push({ ...planned, startMs, endMs: context.elapsedMs(), exitCode: result.exitCode, output: result.output.trim().slice(0, 200) });
        await wait(POLL_REST_MS, signal);
      }
      // The poll budget is spent: stop the HSM work too.
      if (nextPoll >= schedule.length) stop.abort();
    };

    try {
      await Promise.all([
        ...relays.flatMap((relay) => Array.from({ length: LOOPS_PER_RELAY }, (_, loop) => probeLoop(relay, loop))),
        ...Array.from({ length: POLL_WORKERS }, () => pollWorker()),
      ]);
    } finally {
      clearTimeout(budget);
    }
    const endedAtMs = context.elapsedMs();

    // What the relays look like now, and what they logged.
    const logs: LogObservation[] = [];
    for (const relay of relays) {
      await checkStatus(relay).catch(() => undefined);
      const text = await topology
        .component(relay)
        .logs()
        .catch((error: Error) => `{"event":"harness-could-not-read-logs","message":${JSON.stringify(error.message)}}`);
      logs.push(logObservation(relay, context.elapsedMs(), text));
    }

    const observations: F1Observations = {
      relays,
      timeoutThreshold: TIMEOUT_THRESHOLD,
      relayTimeoutMs: view.timing.relayTimeoutMs,
      clientTimeoutMs,
      budget: { polls: POLL_BUDGET, ms: TIME_BUDGET_MS },
      failures,
      served: [...served.values()],
      polls,
      statuses,
      logs,
      endedAtMs,
    };
    const judgement = judgeF1(observations);
    const evidence = [
      context.evidence('observations.json', `${JSON.stringify(observations, null, 2)}\n`),
      context.evidence('judgement.json', `${JSON.stringify(judgement, null, 2)}\n`),
    ];
    return { verdict: judgement.verdict, detectedAfterMs: judgement.detectedAfterMs, summary: judgement.summary, evidence };
  },
};

export default fault;
